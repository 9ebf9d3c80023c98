/**
 * Reading a hand derivation (Question 3): the answer's equations and table rows, each rewritten into
 * placeholders (math/notation.ts), parsed, and kept as statements about one quantity (`u_3 = …`, `\dot u_3 = …`,
 * `\bar u_3 = …`) with the text before it, where the pass it belongs to is named. derivation.ts judges them.
 */
import { head, isCompound, operands, parseLatex, type MathJson } from '../math/compute-engine';
import { answerEquations, equalityChain, type WrittenEquation } from '../math/equations';
import { bareNames, NotationTable, normaliseDerivation, type Ref } from '../math/notation';
import type { Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { LineIndex, type Range } from '../text';
import { matricesAsTuples, PAIR_ORDER, pairStatements, type PairOrder } from './derivation-pairs';
import { codeBlocks, type CodeBlock } from './derivation-code';
import { tableEquations } from './derivation-tables';

const ops = operands;

export interface Side {
  readonly expr: MathJson;
  readonly text: string;
  /** The side as the answer wrote it, where it is not the equation's piece after its `=` (a pair's component). */
  readonly tex?: string;
}

export interface Statement {
  readonly eq: WrittenEquation;
  readonly range: Range;
  /** The quantity on the left (a placeholder's meaning; an output the answer defines is named `f_1`). */
  readonly lhs: Ref;
  /** The answer's text since the equation before it in the cell (where a pass is named: "w.r.t. x", "for f_2"). */
  readonly context: string;
  /** The line it is on, up to it ("Constant nodes: $k = …$ and "). */
  readonly line: string;
  readonly sides: readonly Side[];
  /** For a component of a tangent or adjoint written as a pair (`\bar v_3 = (1, 0)`, its left side then `∂f_1/∂v_3`): the pair, `v̄_3`. */
  readonly pair?: Ref;
}

/** Evaluation bars, `\left`/`\right`, alignment marks and environments, which the parser does not read; a vector written as a matrix is read as a pair. */
export function cleanTex(tex: string): string {
  return matricesAsTuples(tex)
    .replace(/^\s*(?:\\Rightarrow|\\implies|\\to|\\therefore|\\Longrightarrow|=>)\s*/, '')
    .replace(/^\s*\[\s*(?:\\[,;!:]\s*)?([\s\S]*?)(?:\\[,;!:]\s*)?\]\s*$/, '$1')
    .replace(/(\\d?frac\s*\{\s*\\partial\s*f[^{}]*\}\s*\{\s*\\partial\s*[a-z]\s*\})\s*(?:\\left)?\(\s*x\s*,\s*y\s*(?:\\right)?\)/g, '$1')
    .replace(/\\(?:[Bb]igg?|left\.?|right)\s*\|\s*_\{[^{}]*\}/g, ' ')
    .replace(/\|_\{[^{}]*\}/g, ' ')
    .replace(/\\left\.?|\\right\.?/g, '')
    .replace(/&/g, ' ')
    .replace(/\\(?:begin|end)\{[a-z]+\*?\}/g, ' ');
}

/** `f_1` → 0, `f_2` → 1 (the names of f's outputs); anything else undefined. */
export function outputOf(name: string | undefined): number | undefined {
  const m = name === undefined ? null : /^f_([12])$/.exec(name);
  return m ? Number(m[1]) - 1 : undefined;
}

export function substitute(e: MathJson, f: (symbol: string) => MathJson | undefined): MathJson {
  if (typeof e === 'string') return f(e) ?? e;
  if (!isCompound(e)) return e;
  return [e[0] as MathJson, ...ops(e).map((o) => substitute(o, f))];
}

const hasError = (e: MathJson): boolean => JSON.stringify(e).includes('"Error"');

/**
 * A name defined by a number is a constant node when it is named as one (`c_1 = π/2`, `c_2 = 1`, or after the
 * word "constant"); otherwise the number may be a value at the point of a node defined elsewhere (a drawing).
 */
export function constantName(name: string, context: string): boolean {
  return /^[cCkKκ](_\w+)?$/.test(name) || /\bconst(ant)?s?\b/i.test(context.slice(-80));
}

/** `a = 1, b = 2` (commas outside braces and parentheses, each part an equation) as its parts. */
function commaParts(eq: WrittenEquation): WrittenEquation[] {
  const cuts: number[] = [];
  let depth = 0;
  for (let i = 0; i < eq.tex.length; i++) {
    const c = eq.tex[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0 && eq.tex[i - 1] !== '\\') cuts.push(i);
  }
  if (!cuts.length) return [eq];
  const parts: WrittenEquation[] = [];
  let from = 0;
  for (const cut of [...cuts, eq.tex.length]) {
    const raw = eq.tex.slice(from, cut);
    const lead = raw.length - raw.trimStart().length;
    const tex = raw.trim().replace(/(?:\\[,;!:]|\s)+$/, '');
    parts.push({ cell: eq.cell, start: eq.start + from + lead, end: eq.start + from + lead + tex.length, tex });
    from = cut + 1;
  }
  return parts.every((p) => /=/.test(p.tex)) ? parts : [eq];
}

/** A label after a definition, `u_5 = u_1 u_4 \;(f_1)` or `(=f_1)`: read as `= f_1`. */
const OUTPUT_LABEL = /(?:\\[,;!:]|\\q?quad|\s)*(?:\(\s*=?\s*(f\s*_?\s*\{?\s*[12]\s*\}?)\s*\)|(?:\\Rightarrow|\\rightarrow|\\to|\\implies|→|=>)\s*(f\s*_?\s*\{?\s*[12]\s*\}?))\s*$/;

/** What the text before an equation says about the pass it is in: `w.r.t. x`, `(x seed)`, `for $f_2$`, `f1 first`. */
export const FORWARD_LABEL = /(?:w\.?\s?r\.?\s?t\.?|with respect to|direction|seed(?:ed)?(?: on| for)?|d\/d|∂\/∂)\s*\$?\s*(x|y)\b|\b(x|y)[ -]seed\b/i;
export const OUTPUT_NAME = /(?:\bfor|\boutput|\bof|\bnow|\()\s*\$?\s*f\s*_?\s*\{?([12])\}?|(?:^|\n)\s*\W{0,2}\$?f\s*_?\s*\{?([12])\}?\$?\s*(?:first|:|,)/i;

/** Reads the answer's statements about its intermediate quantities, in document order. */
export function readStatements(nb: Notebook, spans: readonly Span[]): { statements: Statement[]; table: NotationTable; unread: { eq: WrittenEquation; range: Range; why?: string }[]; blocks: CodeBlock[] } {
  // Rows of an `array` or `tabular` are read as tables (derivation-tables.ts); `aligned` rows as equations.
  const inTable = (e: WrittenEquation): boolean => {
    const source = nb.cells[e.cell]?.source ?? '';
    return ['array', 'tabular'].some((env) => source.lastIndexOf(`\\begin{${env}}`, e.start) > source.lastIndexOf(`\\end{${env}}`, e.start));
  };
  const written = answerEquations(nb, spans, { keepMatrices: true }).filter((e) => !inTable(e)).flatMap(commaParts);
  // A code block of plain assignments (derivation-code.ts) defines nodes as math does.
  const blocks = codeBlocks(nb, spans);
  const equations = [...written, ...tableEquations(nb, spans), ...blocks.flatMap((b) => b.equations)].sort((a, b) => a.cell - b.cell || a.start - b.start);
  const table = new NotationTable(bareNames(equations.map((e) => e.tex)));
  const statements: Statement[] = [];
  const unread: { eq: WrittenEquation; range: Range; why?: string }[] = [];
  const order: PairOrder = { ...PAIR_ORDER };
  const indexes = new Map<number, LineIndex>();
  const rangeOf = (eq: WrittenEquation): Range => {
    if (!indexes.has(eq.cell)) indexes.set(eq.cell, new LineIndex(nb.cells[eq.cell]?.source ?? ''));
    return (indexes.get(eq.cell) as LineIndex).range(eq.start, eq.end);
  };
  // The text before a statement runs from the end of the statement before it (a mention like `$f_2$` is text).
  let previous: WrittenEquation | undefined;
  for (const eq of equations) {
    const before = statements.length;
    readOne(eq);
    if (statements.length > before) previous = eq;
  }
  return { statements, table, unread, blocks };

  function readOne(eq: WrittenEquation): void {
    const source = nb.cells[eq.cell]?.source ?? '';
    const context = (eq as { context?: string }).context ?? source.slice(previous?.cell === eq.cell ? Math.min(previous.end, eq.start) : 0, eq.start);
    // A table row's or code line's equation has the whole line (`| $v_4$ | $1$ | constant |`); math, the line up to it.
    const lineStart = source.lastIndexOf('\n', eq.start - 1) + 1;
    const lineEnd = source.indexOf('\n', eq.start);
    const line = source.slice(lineStart, 'context' in eq ? (lineEnd < 0 ? source.length : lineEnd) : eq.start);
    // A label on its own after a definition (`u_5 = u_1 u_4 \\qquad (= f_1)`, `( $= f_1$ )`): it names that node.
    const named = /^(?:\(\s*=?|=)?\s*f\s*_?\s*\{?\s*([12])\s*\}?\s*\)?$/.exec(cleanTex(eq.tex).trim());
    // `f_1` alone is a label only when the text just before it says so (`→ output $f_1$`, `($=f_1$)`).
    const alone = named && (/^\s*[(=]/.test(eq.tex) || /(?:→|->|\boutput|\bis|=|\()\s*\$?\s*$/.test(context) && !/\n\s*\n/.test(context)) ? named : null;
    if (alone) {
      const prev = statements[statements.length - 1];
      if (prev && prev.lhs.kind === 'value' && prev.eq.cell === eq.cell) statements.push({ ...prev, context: '', sides: [{ expr: table.symbol({ kind: 'value', name: `f_${alone[1]}` }), text: '' }] });
      return;
    }
    let texIn = cleanTex(eq.tex);
    const label = OUTPUT_LABEL.exec(texIn);
    if (label) texIn = `${texIn.slice(0, label.index)} = ${label[1] ?? label[2]}`;
    const tex = normaliseDerivation(texIn, table);
    if (!/\\mathrm\{Z[vta]\d+\}/.test(tex)) return;
    let parsed: MathJson;
    try {
      parsed = parseLatex(tex);
    } catch {
      unread.push({ eq, range: rangeOf(eq) });
      return;
    }
    const [lhs, ...sides] = equalityChain(parsed, ['Equal', 'Approx', 'TildeEqual', 'Assign']);
    if (lhs === undefined || !sides.length) return;
    if (hasError(parsed)) {
      unread.push({ eq, range: rangeOf(eq) });
      return;
    }
    // `(\dot x, \dot y) = (1, 0)`: one statement per name.
    const tuple = (e: MathJson): readonly MathJson[] | undefined => (head(e) === 'Delimiter' ? tuple(ops(e)[0] as MathJson) : head(e) === 'Sequence' || head(e) === 'Tuple' || head(e) === 'Pair' ? ops(e) : undefined);
    const names = tuple(lhs);
    const values = sides.length === 1 ? tuple(sides[0] as MathJson) : undefined;
    if (names && values && names.length === values.length && names.every((n) => typeof n === 'string' && table.ref(n))) {
      names.forEach((n, k) => statements.push({ eq, range: rangeOf(eq), context: k ? '' : context, line, lhs: table.ref(n as string) as Ref, sides: [{ expr: values[k] as MathJson, text: JSON.stringify(values[k]) }] }));
      return;
    }
    const ref = typeof lhs === 'string' ? table.ref(lhs) : undefined;
    if (!ref) return;
    const st: Statement = { eq, range: rangeOf(eq), context, line, lhs: ref, sides: sides.map((expr) => ({ expr, text: JSON.stringify(expr) })) };
    // `\bar v_3 = (1, 0)`: one statement per component.
    const pairs = pairStatements(st, eq.tex.split(/=|\\approx/).slice(1).map((t) => t.trim()), order, (s) => table.ref(s));
    if (pairs && 'why' in pairs) unread.push({ eq, range: rangeOf(eq), why: pairs.why });
    else statements.push(...(pairs ?? [st]));
  }
}

/** The source text of a side, as the answer wrote it (the equation's piece after its `=`), else LaTeX of it. */
export function sideTex(st: Statement, side: Side): string {
  if (side.tex !== undefined) return side.tex;
  const parts = st.eq.tex.split(/=|\\approx/);
  const i = st.sides.indexOf(side);
  return (parts[i + 1] ?? side.text).trim();
}

export function texOf(st: Statement, expr: MathJson): string {
  const side = st.sides.find((s) => s.expr === expr);
  return side ? sideTex(st, side) : JSON.stringify(expr);
}

/** How far a stated number may be from the value: its rounding, and rounding carried through a chain. */
export function close(got: number, want: number, text: string): boolean {
  const decimals = /\d\.(\d+)/.exec(text)?.[1]?.length;
  const rounding = decimals === undefined ? 0 : 0.51 * 10 ** -decimals;
  return Math.abs(got - want) <= rounding + 5e-3 * Math.abs(want) + 1e-9;
}
