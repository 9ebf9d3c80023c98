/**
 * Tangents and adjoints written as pairs (Question 3): a reverse pass that carries both outputs at once
 * (`\bar v_3 = (1, 0)`, `\bar u_2 = [\cos u_1, 1]`, a column `\begin{pmatrix} a \\ b \end{pmatrix}`), each
 * adjoint the pair (∂f_1/∂v, ∂f_2/∂v); a forward pass that carries both seeds (`\dot q_3 = (1.6, 0)`), each
 * tangent the pair (∂q/∂x, ∂q/∂y). A statement about a pair is read as one statement per component, about
 * `∂f_1/∂v_3` or `∂q_3/∂x`, which derivation.ts judges as it judges any other; the mistakes it finds in the
 * components of one equation are told in one finding, naming each wrong component.
 */
import type { Finding } from '../findings';
import { head, operands, toLatex, type MathJson } from '../math/compute-engine';
import { refText, type Ref } from '../math/notation';
import type { Side, Statement } from './derivation-read';

const ops = operands;

/** The entries of a side written as a vector: `(a, b)`, `[a, b]`, `\langle a, b\rangle`, a one-row or one-column matrix, transposed or not. */
export function vectorEntries(e: MathJson): readonly MathJson[] | undefined {
  const h = head(e);
  if (h === 'Transpose' || h === 'Delimiter') return vectorEntries(ops(e)[0] as MathJson);
  if (h === 'Sequence' || h === 'Tuple' || h === 'Pair' || h === 'List' || h === 'AngleBracket') return ops(e).length > 1 ? ops(e) : undefined;
  if (h !== 'Matrix' || head(ops(e)[0] as MathJson) !== 'List') return undefined;
  const rows = ops(ops(e)[0] as MathJson).map((r) => (head(r) === 'List' ? ops(r) : [r]));
  return rows.length === 1 ? rows[0] : rows.flat();
}

/** 1-row and 1-column matrices as the pairs they are, `(a, b)`; a larger one as its rows, `((a, b), (c, d))`. */
export function matricesAsTuples(tex: string): string {
  return tex.replace(/\\begin\{([pbBvV]?matrix)\}([\s\S]*?)\\end\{\1\}/g, (_, _env: string, body: string) => {
    const rows = body.split('\\\\').map((r) => r.split('&').map((c) => c.trim())).filter((r) => r.some(Boolean));
    const cells = rows.length === 1 ? (rows[0] as string[]) : rows.every((r) => r.length === 1) ? rows.map((r) => r[0] as string) : undefined;
    return cells ? `(${cells.join(', ')})` : `(${rows.map((r) => `(${r.join(', ')})`).join(', ')})`;
  });
}

/** A written vector's entries: split at `separators` outside braces and brackets, TeX spacing around them dropped. */
function splitTop(s: string, separators: readonly string[]): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const escaped = s[i - 1] === '\\' && s[i - 2] !== '\\';
    if (escaped) continue;
    if ('{(['.includes(c)) depth++;
    else if ('})]'.includes(c)) depth--;
    const sep = depth === 0 ? separators.find((x) => s.startsWith(x, i)) : undefined;
    if (sep === undefined) continue;
    out.push(s.slice(from, i));
    from = i + sep.length;
    i = from - 1;
  }
  out.push(s.slice(from));
  return out.map((p) => p.replace(/^(?:\\[ ,;!:]|\s)+|(?:\\[ ,;!:]|\s)+$/g, ''));
}

/** The entries of a vector as the answer wrote them (`(1.7552,\ 0.8109)` → `1.7552`, `0.8109`), if it is written alone. */
function writtenEntries(tex: string): string[] | undefined {
  const t = tex.replace(/\\(?:left|right)\b/g, '').trim().replace(/\^\s*\{?\s*(?:T|\\top|\\intercal)\s*\}?\s*$/, '').trim();
  const m = /^\\begin\{([pbBvV]?matrix)\}([\s\S]*)\\end\{\1\}$/.exec(t);
  if (m) return splitTop(m[2] as string, ['\\\\', '&']).filter(Boolean);
  const inner = /^\\langle([\s\S]*)\\rangle$/.exec(t)?.[1] ?? (/^[([][\s\S]*[)\]]$/.test(t) ? t.slice(1, -1) : undefined);
  return inner === undefined ? undefined : splitTop(inner, [',', ';']);
}

/** A pair written inside a longer expression (`v_2 \cdot (1, 0)`): the parser merges its entries with the product's. */
function pairInside(tex: string): boolean {
  if (/\\begin\{[pbBvV]?matrix\}|\\langle/.test(tex)) return true;
  for (let i = 0; i < tex.length; i++) {
    // `f(1, 0.5)`, `\max(a, b)`: a function's arguments, not a pair.
    if ((tex[i] !== '(' && tex[i] !== '[') || /(?:\bf(?:\s*_\s*\{?\d\}?)?|\\(?:sin|cos|tan|exp|ln|log|max|min|operatorname\{[^{}]*\}))\s*$/.test(tex.slice(0, i).replace(/\\left\s*$/, ''))) continue;
    let depth = 0;
    for (let j = i; j < tex.length; j++) {
      const c = tex[j] as string;
      if ('{(['.includes(c)) depth++;
      else if ('})]'.includes(c)) depth--;
      if (depth === 0) break;
      if (depth === 1 && (c === ',' || c === ';') && tex[j - 1] !== '\\') return true;
    }
  }
  return false;
}

/** What a pair's components are: the outputs of an adjoint, the variables of a tangent (a declaration may reorder them). */
export interface PairOrder {
  adjoint: readonly string[];
  tangent: readonly string[];
}
export const PAIR_ORDER: Readonly<PairOrder> = { adjoint: ['f_1', 'f_2'], tangent: ['x', 'y'] };

/**
 * A statement about a tangent or adjoint written as a pair, as one statement per component; undefined when
 * it is written as no pair (or declares the components' order, `\bar v_i = (∂f_1/∂v_i, ∂f_2/∂v_i)`, which is
 * kept in `order`); `why` when it is a vector nbcheck does not read.
 */
export function pairStatements(st: Statement, sideTexts: readonly string[], order: PairOrder, refOf: (s: string) => Ref | undefined): Statement[] | { why: string } | undefined {
  const r = st.lhs;
  if (r.kind === 'value' || r.wrt || r.of) return undefined;
  const kind = r.kind === 'adjoint' ? 'adjoint' : 'tangent';
  const entries = st.sides.map((s) => vectorEntries(s.expr));
  if (!entries.some(Boolean)) {
    const inside = sideTexts.find(pairInside);
    return inside ? { why: `${refText(r)} = ${inside} has a pair inside a longer expression, which nbcheck reads only where the pair stands alone, so it is not judged` } : undefined;
  }
  const over = kind === 'adjoint' ? 'the two outputs, (∂f_1/∂·, ∂f_2/∂·)' : 'the two inputs, (∂·/∂x, ∂·/∂y)';
  const declared = entries[0]?.map((e) => (typeof e === 'string' ? refOf(e) : undefined));
  if (st.sides.length === 1 && declared?.length === 2 && declared.every((d) => d?.kind === r.kind && d.name === r.name && (d.of ?? d.wrt))) {
    order[kind] = declared.map((d) => (d?.of ?? d?.wrt) as string);
    return undefined;
  }
  const bad = entries.find((e) => e && (e.length !== 2 || e.some((x) => vectorEntries(x))));
  if (bad) return { why: `${refText(r)} is written ${bad.some((x) => vectorEntries(x)) ? 'as a matrix' : `with ${bad.length} entries`}, where nbcheck reads a pair over ${over}, so it is not judged` };
  return [0, 1].map((k) => {
    const component = order[kind][k] as string;
    const sides: Side[] = [];
    st.sides.forEach((s, i) => {
      const tex = sideTexts[i] ?? s.text;
      const e = entries[i];
      if (!e) {
        // A rule (`\bar v_6 \cdot v_2`) holds for each component; a pair inside a product is not read.
        if (!pairInside(tex)) sides.push({ expr: s.expr, text: s.text, tex });
        return;
      }
      const expr = e[k] as MathJson;
      sides.push({ expr, text: JSON.stringify(expr), tex: writtenEntries(tex)?.[k] ?? toLatex(expr) });
    });
    const lhs: Ref = kind === 'adjoint' ? { ...r, of: component } : { ...r, wrt: component };
    return { ...st, context: k ? '' : st.context, lhs, sides, pair: r };
  });
}

/** What was found wrong in one component: the side that gives it (a rule, or a number stated), what it gives, the truth. */
export interface ComponentMiss {
  readonly lhs: Ref;
  /** The rule's text when the component's rule is wrong; undefined for a number stated. */
  readonly rule?: string;
  readonly got: number;
  readonly truth?: number;
  /** For a number: what its rule gives with the answer's own values, when the truth is unknown. */
  readonly carried?: number;
  /** For a number: the rule it follows (`\bar v_4 + \bar v_7`), for the message. */
  readonly because?: string;
}

/**
 * The findings of a derivation's statements, in order: a component's mistake waits for the other components of
 * its equation, and the equation gets one finding naming each wrong component (`wrong` words it at the point).
 */
export class PairFindings {
  private pending: { st: Statement; first: Finding; misses: ComponentMiss[] } | undefined;

  constructor(private readonly out: Finding[], private readonly wrong: (ref: Ref, misses: readonly ComponentMiss[]) => string) {}

  /** A mistake in `st`: `finding` as told for a quantity on its own, `miss` what it is for a pair's component. */
  add(st: Statement, finding: Finding, miss: ComponentMiss): void {
    this.flush(st);
    if (!st.pair) this.out.push(finding);
    else (this.pending ??= { st, first: finding, misses: [] }).misses.push(miss);
  }

  /** Tells a pair's mistakes, unless `next` is another component of the same equation. */
  flush(next?: Statement): void {
    const p = this.pending;
    if (!p || (next && next.eq === p.st.eq)) return;
    this.pending = undefined;
    this.out.push({ ...p.first, message: this.wrong(p.st.pair as Ref, p.misses) });
  }
}

/** One message for the wrong components of a pair's equation, each named with what it should be. */
export function pairMessage(ref: Ref, misses: readonly ComponentMiss[], at: string, fmt: (n: number) => string): string {
  const which = (m: ComponentMiss): string => (m.lhs.of ?? `∂/∂${m.lhs.wrt ?? '?'}`);
  const clauses = misses.map((m) => {
    const name = refText(m.lhs);
    const lead = misses.length > 1 ? `for ${which(m)}, ` : '';
    if (m.rule !== undefined) return `${lead}${m.rule} gives ${fmt(m.got)}, where ${name} = ${fmt(m.truth as number)}`;
    if (m.truth !== undefined) return `${lead}it is stated as ${fmt(m.got)}, where ${name}${m.because ? ` = ${m.because}` : ''} = ${fmt(m.truth)}`;
    return `${lead}it is stated as ${fmt(m.got)}, but ${m.because ?? name} gives ${fmt(m.carried as number)} with the answer's own values`;
  });
  const what = misses.length > 1 ? 'both components' : `its ${which(misses[0] as ComponentMiss)} component`;
  const pass = ref.kind === 'adjoint' ? "reverse mode through the answer's own graph, each component from its output's adjoint 1" : "forward mode through the answer's own graph, each component seeded by its input: ẋ = 1 for ∂/∂x, ẏ = 1 for ∂/∂y";
  return `${refText(ref)} is wrong in ${what} at ${at}: ${clauses.join('; ')} (${pass}).`;
}
