/**
 * Question 3: derivatives computed by hand, checked. The function is the prompt's formula; its graph and
 * derivatives come from the engine (forward and reverse mode, function-ad.ts). In the answer, each stated
 * derivative `\frac{\partial f_1}{\partial x} = <expression> [= <number>]` is read with compute-engine:
 * an expression is compared with the true derivative at several points (equivalence, not spelling), a
 * number with its value at the point the answer states. Each finding points at the equation it is about.
 */
import type { PackDifferentiation } from '../assignment/types';
import type { Runtime } from '../engine/runtime';
import type { Finding } from '../findings';
import type { Verified } from '../assignment/verdicts';
import { freeSymbols, head, operands, parseLatex, valueAt, type MathJson } from '../math/compute-engine';
import { answerEquations, equalityChain, type WrittenEquation } from '../math/equations';
import { extractMath } from '../math/extract';
import { FunctionSyntaxError, functionGraph, type FunctionGraph } from '../math/function-graph';
import type { Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { fmtNumber as fmt } from '../report/graph-draw';
import { LineIndex, type Range } from '../text';
import { differentiateFunction, type FunctionDerivatives } from './function-ad';
import { checkDerivation } from './derivation';
import { readJacobian, type JacobianShape } from './derivative-jacobian';
import { cleanTex, substitute } from './derivation-read';
import { NotationTable, normaliseDerivation, refText } from '../math/notation';
import { pushTo } from '../collections';

export interface DerivativeClaim {
  /** 0-based output index (f_1 is 0). */
  readonly output: number;
  /** The variable differentiated by; undefined for a claim about the output's value (`f_1 = -0.416`). */
  readonly variable: string | undefined;
  /** A point written with the claim (`f_1(1, 2) = ...`), in the order of the function's variables. */
  readonly at?: readonly number[];
  /** The right-hand sides, in order (`= expression = number`); an entry of a matrix has its own place. */
  readonly sides: readonly { readonly expr: MathJson; readonly text: string; readonly range?: Range }[];
  readonly cell: number;
  readonly range: Range;
  /** For an entry of a Jacobian written as a matrix: where it is ("row 2, column 1 of the Jacobian"). */
  readonly where?: string;
}

const ops = operands;

/** The prompt's `f(x,y) = ...` display formula, as LaTeX. */
export function promptFunction(nb: Notebook, prompt: Span | undefined): string | undefined {
  if (!prompt) return undefined;
  const source = nb.cells[prompt.cell]?.source ?? '';
  for (const m of extractMath(source).segments) {
    const tex = source.slice(m.texStart, m.texEnd);
    if (m.display && /^\s*f\s*\(\s*[a-z]\s*(,\s*[a-z]\s*)*\)\s*=/.test(tex)) return tex;
  }
  return undefined;
}

/** `f_1`, `f_{1}`, `f1` → 0; `f` → 0 for a single output. */
function outputIndex(name: MathJson): number | undefined {
  const s = typeof name === 'string' ? name : head(name) === 'Subscript' ? `${String(ops(name)[0])}_${String(ops(name)[1])}` : undefined;
  const m = s ? /^f_?\{?(\d)\}?$/.exec(s) : null;
  if (m) return Number(m[1]) - 1;
  return s === 'f' ? 0 : undefined;
}

/** A derivative `D(f_i, v)` (or `∂f_i/∂v` parsed as a quotient): its output and variable. */
function derivativeOf(e: MathJson): { output: number; variable: string } | undefined {
  if (head(e) === 'D' && ops(e).length === 2) {
    const [f, v] = ops(e) as [MathJson, MathJson];
    const output = outputIndex(f);
    if (output !== undefined && typeof v === 'string') return { output, variable: v };
  }
  if (head(e) === 'Divide') {
    const [a, b] = ops(e) as [MathJson, MathJson];
    if (head(a) === 'PartialDerivative' && head(b) === 'PartialDerivative') {
      const output = outputIndex(ops(a)[0] as MathJson);
      const v = ops(b)[0];
      if (output !== undefined && typeof v === 'string') return { output, variable: v };
    }
  }
  return undefined;
}

/** An output's value: `f_1`, `f_1(x, y)`, or `f_1(1, 2)` (then `at` is that point). */
function valueOf(e: MathJson): { output: number; variable: undefined; at?: readonly number[] } | undefined {
  if (typeof e === 'string' || head(e) === 'Subscript') {
    const output = outputIndex(e);
    return output === undefined ? undefined : { output, variable: undefined };
  }
  const h = head(e);
  const output = h === undefined ? undefined : outputIndex(h);
  if (output === undefined) return undefined;
  const args = ops(e);
  return args.every((a) => typeof a === 'number') ? { output, variable: undefined, at: args as number[] } : args.every((a) => typeof a === 'string') ? { output, variable: undefined } : undefined;
}

/** The derivative claims in the answer's math, each with its place, and the Jacobians nbcheck sees but cannot read (why). */
export function findClaims(nb: Notebook, spans: readonly Span[], table: NotationTable, shape: JacobianShape): { claims: DerivativeClaim[]; unread: { cell: number; range: Range; why: string }[] } {
  const claims: DerivativeClaim[] = [];
  const unread: { cell: number; range: Range; why: string }[] = [];
  const indexes = new Map<number, LineIndex>();
  const rangeOf = (cell: number, start: number, end: number): Range => {
    if (!indexes.has(cell)) indexes.set(cell, new LineIndex(nb.cells[cell]?.source ?? ''));
    return (indexes.get(cell) as LineIndex).range(start, end);
  };
  // An output the answer names as a node (`f_1 = a d = 0.54`) is read here as the output it is.
  const read = (tex: string): MathJson =>
    substitute(parseLatex(normaliseDerivation(cleanTex(tex), table)), (s) => {
      const r = table.ref(s);
      return r?.kind === 'value' && /^f_\d$/.test(r.name) ? r.name : undefined;
    });
  /** A Jacobian written as a matrix: each entry a claim, placed on its entry; false when the equation is none. */
  const jacobianClaims = (eq: WrittenEquation): boolean => {
    const range = rangeOf(eq.cell, eq.start, eq.end);
    const jacobian = readJacobian(eq.tex, wordsAround(nb, eq), shape, (t) => {
      try {
        return derivativeOf(read(t));
      } catch {
        return undefined;
      }
    });
    if (jacobian && 'why' in jacobian) unread.push({ cell: eq.cell, range, why: jacobian.why });
    for (const e of jacobian && 'entries' in jacobian ? jacobian.entries : []) {
      const sides = e.sides.map((p) => {
        let expr: MathJson;
        try {
          expr = read(p.tex);
        } catch {
          expr = ['Error'];
        }
        return { expr, text: JSON.stringify(expr), range: rangeOf(eq.cell, eq.start + p.start, eq.start + p.end) };
      });
      claims.push({ output: e.output, variable: e.variable, sides, cell: eq.cell, range, where: e.where });
    }
    return jacobian !== undefined;
  };
  // A Jacobian written as an `array` is read from its whole display (its rows are pieces of their own below).
  const arrays = arrayDisplays(nb, spans).filter(jacobianClaims);
  for (const eq of answerEquations(nb, spans, { keepMatrices: true })) {
    if (!/\\partial|\\frac\{d|f_?\{?\d|\bd\s*f|\\begin\{/.test(eq.tex) || arrays.some((a) => a.cell === eq.cell && eq.start >= a.start && eq.end <= a.end)) continue;
    if (/\\begin\{[a-zA-Z]*matrix\}/.test(eq.tex) && jacobianClaims(eq)) continue;
    let parsed: MathJson;
    try {
      parsed = read(eq.tex);
    } catch {
      continue;
    }
    const [lhs, ...sides] = equalityChain(parsed, ['Equal', 'Approx', 'TildeEqual']);
    const d = lhs === undefined ? undefined : (derivativeOf(lhs) ?? valueOf(lhs));
    if (!d || !sides.length) continue;
    claims.push({ ...d, sides: sides.map((expr) => ({ expr, text: JSON.stringify(expr) })), cell: eq.cell, range: rangeOf(eq.cell, eq.start, eq.end) });
  }
  // In the order they are written (an array's Jacobian was read first).
  claims.sort((a, b) => a.cell - b.cell || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { claims, unread };
}

/** The display math of the answer that holds an `array`, whole, to be read as a Jacobian. */
function arrayDisplays(nb: Notebook, spans: readonly Span[]): WrittenEquation[] {
  const out: WrittenEquation[] = [];
  for (const span of spans) {
    const cell = nb.cells[span.cell];
    if (!cell || cell.kind !== 'markdown') continue;
    for (const m of extractMath(cell.source).segments) {
      const tex = cell.source.slice(m.texStart, m.texEnd);
      if (m.start < span.start || m.end > span.end || !m.display || !/\\begin\{array\}/.test(tex)) continue;
      const lead = tex.length - tex.trimStart().length;
      out.push({ cell: span.cell, start: m.texStart + lead, end: m.texStart + tex.trimEnd().length, tex: tex.trim() });
    }
  }
  return out;
}

/** The answer's words around an equation: its paragraph up to it (and the paragraph before, when it opens its own), and after it to the paragraph's end. */
function wordsAround(nb: Notebook, eq: WrittenEquation): string {
  const source = nb.cells[eq.cell]?.source ?? '';
  const paragraphs = source.slice(0, eq.start).split(/\n\s*\n/);
  const own = paragraphs[paragraphs.length - 1] ?? '';
  const before = /[A-Za-z]{2}/.test(own.replace(/\$+|\\\[/g, '')) ? own : paragraphs.slice(-2).join('\n\n');
  const after = source.slice(eq.end);
  const end = after.search(/\n\s*\n/);
  return `${before.slice(-400)} ${(end < 0 ? after : after.slice(0, end)).slice(0, 200)}`;
}

/** The point the answer says it evaluates at: `(x, y) = (1, 2)`, `x = 1, y = 2`, `at the point (1, 2)`. */
export function statedPoint(text: string, variables: readonly string[]): Record<string, number> | undefined {
  if (variables.length !== 2) return undefined;
  const [a, b] = variables as [string, string];
  const num = '(-?\\d+(?:\\.\\d+)?)';
  const patterns = [
    new RegExp(`\\(\\s*${a}\\s*,\\s*${b}\\s*\\)\\s*=\\s*\\(\\s*${num}\\s*,\\s*${num}\\s*\\)`),
    new RegExp(`(?<![A-Za-z\\\\])${a}\\s*=\\s*${num}\\s*(?:,|;|and|\\\\quad|\\\\,|\\\\;|\\s)\\s*\\$?\\s*${b}\\s*=\\s*${num}`),
    new RegExp(`point\\s*\\$?\\s*\\(\\s*${num}\\s*,\\s*${num}\\s*\\)`, 'i'),
  ];
  // TeX spacing inside the point ("(2,\\ 0.5)", "x=1,\\;y=2") is a space.
  const plain = text.replace(/\\[ ,;!:]|~|\$/g, ' ');
  for (const p of patterns) {
    const m = p.exec(plain);
    if (m) return { [a]: Number(m[1]), [b]: Number(m[2]) };
  }
  return undefined;
}


/** How far a number written with `digits` decimals may be from the true value. */
function tolerance(tex: string, truth: number): number {
  const decimals = /\d\.(\d+)/.exec(tex)?.[1]?.length;
  const rounding = decimals === undefined ? 0 : 0.51 * 10 ** -decimals;
  // Intermediate values rounded on the way (4 significant digits each) move the last digits of the result.
  return Math.max(rounding + (decimals === undefined ? 0 : 2e-3 * Math.abs(truth)), 1e-6 * Math.max(1, Math.abs(truth)));
}

export interface DifferentiationTarget {
  readonly pack: PackDifferentiation;
  readonly prompt: Span | undefined;
  readonly answer: readonly Span[];
}

export interface DifferentiationResult {
  readonly findings: Finding[];
  /** The function, the point used and its derivatives (for the panel's tables and graph). */
  readonly graph?: FunctionGraph;
  readonly point?: Readonly<Record<string, number>>;
  readonly stated?: boolean;
  readonly derivatives?: FunctionDerivatives;
}

export async function checkDifferentiation(nb: Notebook, target: DifferentiationTarget, runtime: Runtime, verify?: (v: Verified) => void): Promise<DifferentiationResult> {
  const tex = promptFunction(nb, target.prompt);
  if (!tex) return { findings: [] };
  let graph: FunctionGraph;
  try {
    graph = functionGraph(tex);
  } catch (e) {
    if (e instanceof FunctionSyntaxError) return { findings: [] };
    throw e;
  }
  const text = target.answer.map((s) => (nb.cells[s.cell]?.source ?? '').slice(s.start, s.end)).join('\n');
  const stated = statedPoint(text, graph.variables);
  const point = stated ?? target.pack.defaultPoint;
  const derivatives = await differentiateFunction(graph, point, runtime);
  // The true derivatives at the sample points (for expressions), one engine run per point.
  const samples: { point: Readonly<Record<string, number>>; values: Readonly<Record<string, number>>; jacobian: readonly (readonly number[])[] }[] = [];
  for (const p of target.pack.samplePoints) samples.push({ point: p, ...(await differentiateFunction(graph, p, runtime)) });
  // The answer's own intermediate variables, their values, tangents and adjoints (derivation.ts).
  const derivation = await checkDerivation(nb, target.answer, { item: target.pack.item, graph, point: stated, samplePoints: target.pack.samplePoints, sampleValues: samples.map((x) => x.values) }, runtime);
  const { claims, unread: unreadJacobians } = findClaims(nb, target.answer, derivation.table, { outputs: graph.outputs.length, variables: graph.variables });
  const findings: Finding[] = [...derivation.findings];
  const passes = derivation.checked;
  const passCount = passes.values.length + passes.tangents.length + passes.adjoints.length;
  if (verify && passCount && !derivation.findings.some((f) => f.severity === 'error')) {
    const list = (what: string, names: readonly string[]): string => (names.length ? `${names.length} ${what}` : '');
    const parts = [list(passes.values.length === 1 ? 'forward value' : 'forward values', passes.values), list(passes.tangents.length === 1 ? 'tangent' : 'tangents', passes.tangents), list(passes.adjoints.length === 1 ? 'adjoint' : 'adjoints', passes.adjoints)].filter(Boolean);
    verify({ question: target.pack.item, aspect: 'differentiation', what: `${parts.join(', ')} of the answer's intermediate variables hold at ${'(x, y) = (' + graph.variables.map((v) => fmt(point[v] as number)).join(', ') + ')'} (through the answer's own graph, computed by the engine)`, cells: derivation.cells });
  }
  const unreadNote = (cell: number, range: Range, why: string): Finding => ({ code: 'math.unread', severity: 'info', rule: 'differentiation', question: target.pack.item, cell, range, message: `Not judged: ${why}. nbcheck reads a derivative written as \\frac{\\partial f_1}{\\partial x} = … in x and y, in the answer's own intermediate variables, or as its value at the point the answer states; this one is graded by hand.` });
  for (const u of unreadJacobians) findings.push({ code: 'math.unread', severity: 'info', rule: 'differentiation', question: target.pack.item, cell: u.cell, range: u.range, message: `Not judged: ${u.why}; it is graded by hand.` });
  if (!claims.length) {
    // Derivatives written some other way (∂f1/∂x as text, a table, adjoints with no equation nbcheck reads).
    const mentions = passCount ? undefined : derivativeMentions(nb, target.answer);
    if (mentions) findings.push(unreadNote(mentions.cell, mentions.range, 'the answer writes derivatives nbcheck cannot read as equations'));
    return { findings, graph, point, stated: Boolean(stated), derivatives };
  }
  /** A wrong final result that agrees with the answer's own graph follows from the derivation's first mistake. */
  const follows = (f: Finding, output: number, variable: string | undefined, got: { value?: number; expr?: MathJson }): Finding => {
    const first = derivation.firstError;
    if (!first) return f;
    const own = derivation.own(output, variable);
    const agrees = got.value !== undefined
      ? own.numbers.some((n) => Math.abs(n - (got.value as number)) <= 5e-3 * Math.max(1e-3, Math.abs(n)))
      : got.expr !== undefined && own.samples.length > 0 && samples.every((smp, k) => Math.abs(valueAt(got.expr as MathJson, smp.point) - (own.samples[k] as number)) <= 1e-6 * Math.max(1, Math.abs(own.samples[k] as number)));
    if (!agrees) return f;
    const line = first.range ? ` (line ${first.range.start.line + 1}${first.cell !== claims[0]?.cell ? `, cell ${first.cell}` : ''})` : '';
    return { ...f, message: `${f.message} It follows from the mistake reported earlier in the derivation${line}, so it is not counted again.`, follows: first.code, consequence: true };
  };
  const checkedNames = new Set<string>();
  let exprChecked = false;
  let valueChecked = false;
  const unreadNames = new Map<string, { cell: number; range: Range; why: string }>();

  const name = (c: DerivativeClaim): string => `∂f${graph.outputs.length > 1 ? c.output + 1 : ''}/∂${c.variable}`;
  const shown = (c: DerivativeClaim): string => `${name(c)}${c.where ? ` (${c.where})` : ''}`;
  /** A Jacobian's entry that is the value of the entry across the diagonal: the matrix may be transposed, unsaid. */
  const transposedHint = (c: DerivativeClaim, got: number, text: string): string => {
    const o = graph.variables.indexOf(c.variable ?? '');
    const v = graph.variables[c.output];
    const other = c.where && o >= 0 && v !== undefined && o < graph.outputs.length ? (derivatives.jacobian[o] as readonly number[])[c.output] : undefined;
    if (other === undefined || !(Math.abs(got - other) <= tolerance(text, other))) return '';
    return ` It is the value of ∂f${o + 1}/∂${v}: if the matrix is written with rows ${graph.variables.join(', ')} (the Jacobian transposed), say so, and it is read that way.`;
  };
  /** A wrong result stated again (a Jacobian after the results one by one) is the mistake told where it is first stated. */
  const told = new Map<string, { finding: Finding; got: { value?: number; expr?: MathJson } }[]>();
  const same = (a: { value?: number; expr?: MathJson }, b: { value?: number; expr?: MathJson }): boolean =>
    a.value !== undefined && b.value !== undefined
      ? Math.abs(a.value - b.value) <= 5e-3 * Math.max(1e-3, Math.abs(b.value))
      : a.expr !== undefined && b.expr !== undefined && samples.every((smp) => Math.abs(valueAt(a.expr as MathJson, smp.point) - valueAt(b.expr as MathJson, smp.point)) <= 1e-9 * Math.max(1, Math.abs(valueAt(b.expr as MathJson, smp.point))));
  const once = (f: Finding, c: DerivativeClaim, got: { value?: number; expr?: MathJson }): Finding => {
    if (f.consequence) return f;
    const earlier = told.get(name(c))?.find((t) => same(t.got, got));
    if (!earlier) {
      pushTo(told, name(c), { finding: f, got });
      return f;
    }
    const where = earlier.finding.range ? ` (line ${earlier.finding.range.start.line + 1}${earlier.finding.cell !== f.cell ? `, cell ${earlier.finding.cell}` : ''})` : '';
    return { ...f, message: `${f.message} It repeats the ${got.value !== undefined ? 'value' : 'expression'} reported above${where}, so it is not counted again.`, follows: earlier.finding.code, consequence: true };
  };
  const at = (p: Readonly<Record<string, number>>): string => `(${graph.variables.map((v) => `${v}, `).join('').slice(0, -2)}) = (${graph.variables.map((v) => fmt(p[v] as number)).join(', ')})`;
  for (const claim of claims) {
    if (claim.output >= graph.outputs.length) continue;
    if (claim.variable === undefined) {
      // f_i = <number> at the stated point, or f_i(a, b) = <number> (an expression of x and y restates f).
      const side = claim.sides[claim.sides.length - 1];
      const here = claim.at?.length === graph.variables.length ? Object.fromEntries(graph.variables.map((v, i) => [v, claim.at?.[i] as number])) : stated ? point : undefined;
      if (!here || !side || freeSymbols(side.expr).length) continue;
      const values = here === point ? derivatives.values : (await differentiateFunction(graph, here, runtime)).values;
      const truth = values[graph.outputs[claim.output] as string] as number;
      const got = valueAt(side.expr, {});
      if (!Number.isFinite(got)) continue;
      if (Number.isFinite(truth) && !(Math.abs(got - truth) <= tolerance(side.text, truth))) {
        findings.push(follows({ code: 'derivative.wrong-value', severity: 'error', question: target.pack.item, cell: claim.cell, range: claim.range, message: `f${graph.outputs.length > 1 ? claim.output + 1 : ''} at ${at(here)} is ${fmt(truth)}, not ${fmt(got)}${here === point ? ' (the point the answer states)' : ''}.` }, claim.output, undefined, here === point ? { value: got } : {}));
      } else if (Number.isFinite(truth)) {
        checkedNames.add(`f${graph.outputs.length > 1 ? claim.output + 1 : ''}`);
        valueChecked = true;
      }
      continue;
    }
    const j = graph.variables.indexOf(claim.variable);
    if (j < 0) continue;
    const truth = (derivatives.jacobian[claim.output] as readonly number[])[j] as number;
    let judged = false;
    for (const side of claim.sides) {
      const unknown = freeSymbols(side.expr).filter((s) => !graph.variables.includes(s));
      if (unknown.length && unknown.every((s) => derivation.table.ref(s)) && stated) {
        // Written in the answer's own variables (u̇_7, x̄): its value at the stated point, through its graph.
        const got = derivation.resolve(side.expr, { output: claim.output, variable: claim.variable });
        if (got !== undefined) {
          judged = true;
          valueChecked = true;
          if (!(Math.abs(got - truth) <= tolerance(side.text, truth) + 5e-3 * Math.abs(truth))) {
            findings.push(once(follows({ code: 'derivative.wrong-value', severity: 'error', rule: name(claim), question: target.pack.item, cell: claim.cell, range: side.range ?? claim.range, message: `${shown(claim)} at ${at(point)} is ${fmt(truth)}, but the answer's own quantities give ${fmt(got)} here (the point the answer states; forward and reverse mode agree).` }, claim.output, claim.variable, { value: got }), claim, { value: got }));
            break;
          }
          continue;
        }
      }
      const free = freeSymbols(side.expr).filter((s) => graph.variables.includes(s));
      if (unknown.length) {
        // Written with u_i, v_i or other names: not an expression of x and y (or LaTeX that does not parse).
        const why = JSON.stringify(side.expr).includes('"Error"') ? `nbcheck could not read this ${shown(claim)}: its LaTeX does not parse` : `${shown(claim)} is written in terms of ${unknown.map((v) => { const r = derivation.table.ref(v); return r ? refText(r) : v.replace(/^(\w)_?(\d+)$/, '$1_$2'); }).join(', ')}, which nbcheck could not evaluate${stated ? '' : ' (the answer states no point)'}`;
        if (!unreadNames.has(name(claim))) unreadNames.set(name(claim), { cell: claim.cell, range: side.range ?? claim.range, why });
        continue;
      }
      if (!free.length && !stated) continue;
      // An expression nbcheck cannot evaluate (NaN at the points) is not judged, never "wrong".
      const evaluable = free.length ? samples.every((smp) => Number.isFinite(valueAt(side.expr, smp.point))) : Number.isFinite(valueAt(side.expr, {}));
      if (!evaluable) {
        if (!unreadNames.has(name(claim))) unreadNames.set(name(claim), { cell: claim.cell, range: side.range ?? claim.range, why: `nbcheck could not evaluate this ${shown(claim)} (its value is undefined at the sample points)` });
        continue;
      }
      judged = true;
      if (free.length) exprChecked = true;
      else valueChecked = true;
      const base = { code: 'derivative.wrong' as const, severity: 'error' as const, rule: name(claim), question: target.pack.item, cell: claim.cell, range: side.range ?? claim.range };
      if (free.length) {
        const wrong = samples.find((s) => {
          const want = (s.jacobian[claim.output] as readonly number[])[j] as number;
          const got = valueAt(side.expr, s.point);
          return Number.isFinite(want) && !(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)));
        });
        if (wrong) {
          const want = (wrong.jacobian[claim.output] as readonly number[])[j] as number;
          findings.push(once(follows({ ...base, message: `This ${shown(claim)} is not the derivative of f${graph.outputs.length > 1 ? claim.output + 1 : ''}: at ${at(wrong.point)} the expression is ${fmt(valueAt(side.expr, wrong.point))}, where ${name(claim)} = ${fmt(want)} (forward and reverse mode agree).` }, claim.output, claim.variable, { expr: side.expr }), claim, { expr: side.expr }));
          break;
        }
      } else if (stated) {
        const got = valueAt(side.expr, {});
        if (!(Math.abs(got - truth) <= tolerance(side.text, truth))) {
          findings.push(once(follows({ ...base, code: 'derivative.wrong-value', message: `${shown(claim)} at ${at(point)} is ${fmt(truth)}, not ${fmt(got)} (the point the answer states; forward and reverse mode agree).${transposedHint(claim, got, side.text)}` }, claim.output, claim.variable, { value: got }), claim, { value: got }));
          break;
        }
      }
    }
    if (judged) checkedNames.add(name(claim));
  }
  for (const [n, u] of unreadNames) {
    if (checkedNames.has(n)) continue;
    findings.push(unreadNote(u.cell, u.range, u.why));
  }
  const wrong = findings.some((f) => f.code === 'derivative.wrong' || f.code === 'derivative.wrong-value');
  const ds = [...checkedNames].filter((n) => n.startsWith('∂'));
  if (verify && !wrong && checkedNames.size) {
    const where = [exprChecked ? `as expressions, at ${target.pack.samplePoints.length} points` : '', valueChecked ? `as numbers, at the point the answer states, ${at(point)}` : ''].filter(Boolean).join('; ');
    const missing = graph.outputs.flatMap((_, i) => graph.variables.map((v) => `∂f${graph.outputs.length > 1 ? i + 1 : ''}/∂${v}`)).filter((n) => !checkedNames.has(n) && !unreadNames.has(n));
    verify({ question: target.pack.item, aspect: 'differentiation', what: `${ds.length ? ds.join(', ') : [...checkedNames].join(', ')} equal the true ${ds.length ? 'derivatives' : 'values'} (${where}; forward and reverse mode agree)${missing.length ? `; not found: ${missing.join(', ')}` : ''}`, cells: [...new Set(claims.map((c) => c.cell))] });
  }
  return { findings, graph, point, stated: Boolean(stated), derivatives };
}

/** The first place an answer writes a derivative in any form (∂, \partial, d/dx, "derivative"), when it has one. */
function derivativeMentions(nb: Notebook, spans: readonly Span[]): { cell: number; range: Range } | undefined {
  for (const span of spans) {
    const source = nb.cells[span.cell]?.source ?? '';
    if (nb.cells[span.cell]?.kind !== 'markdown') continue;
    const m = /\\partial|∂|\\frac\s*\{\s*d|\bd\s*f_?\{?\d|\\bar\s*\{?\s*[uvw]|\\dot\s*\{?\s*[uvw]|\bderivative/i.exec(source.slice(span.start, span.end));
    if (m) return { cell: span.cell, range: new LineIndex(source).range(span.start + m.index, span.start + m.index + m[0].length) };
  }
  return undefined;
}
