/**
 * Formulas an answer states for a quantity the pack knows (Question 6: the posterior variance β̃_t and mean
 * μ̃(x_t, x_0) of DDPM's q(x_{t−1} | x_t, x_0)), checked by equivalence: the notation is normalised to
 * symbols (ᾱ_{t−1} in its spellings `\bar\alpha_{t-1}`, `\bar{\alpha}_{t-1}`, `\bar{\alpha_{t-1}}`,
 * `\overline{\alpha}_{t-1}`; α_t; β_t; x_t and x_0, also bold), the right-hand side is parsed with compute-engine and
 * evaluated at hand-picked and seeded random values that respect the constraints (0 < β_t < 1, α_t = 1 − β_t,
 * ᾱ_t = ᾱ_{t−1}α_t), and compared with the reference. A wrong formula is an error on its equation that shows
 * both sides and, where it can tell, the factor or term that differs. Q6 also asks for a derivation: an
 * answer that only restates the formulas gets an information finding.
 */
import type { Finding } from '../findings';
import type { Verified } from '../assignment/verdicts';
import { PythonRandom } from '../engine/random';
import { freeSymbols, parseLatex, valueAt, type MathJson } from '../math/compute-engine';
import { answerEquations, equalityChain } from '../math/equations';
import type { Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { fmtNumber as fmt } from '../report/graph-draw';
import { LineIndex } from '../text';

const SUB_T = String.raw`_\s*(?:\{\s*t\s*\}|t(?![\w-]))`;
const SUB_T1 = String.raw`_\s*\{\s*t\s*-\s*1\s*\}`;
const X_ARGS = String.raw`(?:\s*\(\s*x${SUB_T}\s*,\s*x_\s*(?:\{\s*0\s*\}|0)\s*\))?`;
const ALPHA_BAR = (sub: string): RegExp => new RegExp(String.raw`\\(?:bar|overline)\s*\{\s*\\alpha\s*${sub}\s*\}|\\(?:bar|overline)\s*(?:\{\s*\\alpha\s*\}|\\alpha)\s*${sub}`, 'g');
/** Notation → one-letter symbols the parser keeps: most specific first. A subscript is `_t` or `_{t}` (a bare `_t` never eats a brace). */
const NOTATION: readonly [RegExp, string][] = [
  // Spacing and sizing first, so that `\overline{\alpha}\,_{t-1}` or `\sqrt{\,\alpha_t}` read as written.
  [/\\left|\\right|\\[,;!: ]|\\q?quad\b|\\[Bb]ig[glr]?\b/g, ' '],
  // Bold vectors (the DDPM paper's \mathbf{x}_t) are the same x.
  [/\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*x\s*\}/g, 'x'],
  [new RegExp(String.raw`\\tilde\s*\{\s*\\beta\s*(?:${SUB_T})?\s*\}\s*(?:${SUB_T})?|\\tilde\s*\\beta\s*(?:${SUB_T})?`, 'g'), ' V '],
  [new RegExp(String.raw`\\tilde\s*\{\s*\\mu\s*(?:${SUB_T})?\s*\}\s*(?:${SUB_T})?${X_ARGS}|\\tilde\s*\\mu\s*(?:${SUB_T})?${X_ARGS}`, 'g'), ' M '],
  [ALPHA_BAR(SUB_T1), ' P '],
  [ALPHA_BAR(SUB_T), ' Q '],
  [new RegExp(String.raw`\\alpha\s*${SUB_T}`, 'g'), ' R '],
  [new RegExp(String.raw`\\beta\s*${SUB_T}`, 'g'), ' B '],
  [new RegExp(String.raw`x\s*${SUB_T}`, 'g'), ' X '],
  [/x\s*_\s*(?:\{\s*0\s*\}|0)/g, ' Z '],
  [/:=/g, '='],
];

const REFERENCE: Readonly<Record<'V' | 'M', (v: Readonly<Record<string, number>>) => number>> = {
  V: (v) => (((1 - (v.P as number)) / (1 - (v.Q as number))) * (v.B as number)),
  M: (v) => ((Math.sqrt(v.P as number) * (v.B as number)) / (1 - (v.Q as number))) * (v.Z as number) + ((Math.sqrt(v.R as number) * (1 - (v.P as number))) / (1 - (v.Q as number))) * (v.X as number),
};
const NAME = { V: 'β̃_t', M: 'μ̃(x_t, x_0)' } as const;
const FORM = { V: 'β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · β_t', M: 'μ̃(x_t, x_0) = √ᾱ_{t−1} β_t / (1 − ᾱ_t) · x_0 + √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t) · x_t' } as const;
const KNOWN = new Set(['P', 'Q', 'R', 'B', 'X', 'Z']);

/**
 * Values respecting the constraints (fixed, so findings are stable): 0 < β < 1, α = 1 − β, ᾱ_t = ᾱ_{t−1}α.
 * Hand-picked points first (a finding quotes the first that differs), then seeded random ones, all with
 * 0 < ᾱ_{t−1} < 1 and 0 < β_t < 1.
 */
const draw = new PythonRandom(11n);
const RANDOM = Array.from({ length: 6 }, () => [draw.uniform(0.05, 0.95), draw.uniform(0.01, 0.6), draw.uniform(-2, 2), draw.uniform(-2, 2)]);
const SAMPLES: readonly Readonly<Record<string, number>>[] = [
  [0.6, 0.1, 0.7, -1.3],
  [0.3, 0.02, -0.4, 1.1],
  [0.9, 0.35, 1.6, 0.5],
  [0.15, 0.2, -0.9, -0.6],
  ...RANDOM,
].map(([P, B, X, Z]) => ({ P: P as number, B: B as number, R: 1 - (B as number), Q: (P as number) * (1 - (B as number)), X: X as number, Z: Z as number }));

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The answer's formulas for β̃ and μ̃, with the value each gives at the samples and where it is. */
interface Claim {
  readonly quantity: 'V' | 'M';
  readonly rhs: MathJson;
  readonly tex: string;
  readonly cell: number;
  readonly start: number;
  readonly end: number;
}

/** An equation about β̃ or μ̃ that could not be evaluated, and why. */
interface Unread {
  readonly quantity?: 'V' | 'M';
  readonly why: string;
  readonly tex: string;
  readonly cell: number;
  readonly start: number;
  readonly end: number;
}

/** Symbols left after the notation is read, as the student wrote them (for messages). */
const SYMBOL_NAMES: Readonly<Record<string, string>> = { P: 'ᾱ_{t−1}', Q: 'ᾱ_t', R: 'α_t', B: 'β_t', X: 'x_t', Z: 'x_0', V: 'β̃_t', M: 'μ̃', alpha: 'α', beta: 'β', gamma: 'γ', sigma: 'σ', mu: 'μ', epsilon: 'ε', theta: 'θ', lambda: 'λ', pi: 'π' };

function claimsIn(nb: Notebook, spans: readonly Span[]): { claims: Claim[]; unread: Unread[]; text: string } {
  const claims: Claim[] = [];
  const unread: Unread[] = [];
  const text = spans.map((span) => (nb.cells[span.cell]?.kind === 'markdown' ? (nb.cells[span.cell]?.source ?? '').slice(span.start, span.end) : '')).join('');
  for (const eq of answerEquations(nb, spans)) {
    if (!/\\tilde/.test(eq.tex)) continue;
    const at = { tex: eq.tex, cell: eq.cell, start: eq.start, end: eq.end };
    let normal = eq.tex;
    for (const [re, to] of NOTATION) normal = normal.replace(re, to);
    let parsed: MathJson;
    try {
      parsed = parseLatex(normal.replace(/&/g, ' '));
    } catch (e) {
      if (/\\tilde\s*\{?\s*\\(?:beta|mu)/.test(eq.tex)) unread.push({ ...at, why: `nbcheck could not read its notation (${(e as Error).message.slice(0, 80)})` });
      continue;
    }
    const [lhs, ...sides] = equalityChain(parsed, ['Equal', 'Assign']);
    if ((lhs !== 'V' && lhs !== 'M') || !sides.length) continue;
    const rhs = sides.find((x) => freeSymbols(x).length > 0 && freeSymbols(x).every((v) => KNOWN.has(v)));
    if (rhs === undefined) {
      const other = sides.find((x) => freeSymbols(x).some((v) => !KNOWN.has(v)));
      const names = other ? freeSymbols(other).filter((v) => !KNOWN.has(v)) : [];
      if (names.length) unread.push({ ...at, quantity: lhs, why: `it is written with ${names.map((n) => SYMBOL_NAMES[n] ?? n).join(', ')}, which nbcheck does not read as ᾱ_{t−1}, ᾱ_t, α_t, β_t, x_t or x_0` });
      continue;
    }
    if (SAMPLES.some((smp) => !Number.isFinite(valueAt(rhs, smp)))) {
      unread.push({ ...at, quantity: lhs, why: 'nbcheck could not evaluate it (its value is undefined at the sample points)' });
      continue;
    }
    claims.push({ quantity: lhs, rhs, tex: eq.tex, cell: eq.cell, start: eq.start, end: eq.end });
  }
  return { claims, unread, text };
}

/** What differs, when it is recognisable: a constant factor, the ratio inverted, one of μ̃'s two terms. */
function difference(c: Claim): string {
  const got = SAMPLES.map((s) => valueAt(c.rhs, s));
  const want = SAMPLES.map((s) => REFERENCE[c.quantity](s));
  const ratios = got.map((g, i) => g / (want[i] as number));
  if (ratios.every((r) => close(r, ratios[0] as number))) return ` It is ${fmt(ratios[0] as number)} times the right value everywhere: a constant factor is off.`;
  if (c.quantity === 'V' && SAMPLES.every((s, i) => close(got[i] as number, ((1 - (s.Q as number)) / (1 - (s.P as number))) * (s.B as number)))) {
    return ' The ratio is inverted: it is (1 − ᾱ_{t−1}) over (1 − ᾱ_t), not the other way round.';
  }
  if (c.quantity === 'M') {
    const coefficient = (x: number, z: number): boolean => SAMPLES.every((s) => close(valueAt(c.rhs, { ...s, X: x, Z: z }), REFERENCE.M({ ...s, X: x, Z: z })));
    const x0 = coefficient(0, 1);
    const xt = coefficient(1, 0);
    if (x0 && !xt) return ' The coefficient of x_t differs (it should be √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)); the one of x_0 is right.';
    if (xt && !x0) return ' The coefficient of x_0 differs (it should be √ᾱ_{t−1} β_t / (1 − ᾱ_t)); the one of x_t is right.';
  }
  return '';
}

export interface FormulaTarget {
  readonly item: string;
  readonly answer: readonly Span[];
}

export function checkFormulas(nb: Notebook, target: FormulaTarget, verify?: (v: Verified) => void): Finding[] {
  const { claims, unread, text } = claimsIn(nb, target.answer);
  const findings: Finding[] = [];
  const right = new Set<'V' | 'M'>();
  for (const c of claims) {
    const sample = SAMPLES.find((s) => !close(valueAt(c.rhs, s), REFERENCE[c.quantity](s)));
    if (!sample) {
      right.add(c.quantity);
      continue;
    }
    const range = new LineIndex(nb.cells[c.cell]?.source ?? '').range(c.start, c.end);
    const at = `ᾱ_{t−1} = ${sample.P}, β_t = ${sample.B} (so α_t = ${fmt(sample.R as number)}, ᾱ_t = ${fmt(sample.Q as number)})${c.quantity === 'M' ? `, x_t = ${sample.X}, x_0 = ${sample.Z}` : ''}`;
    findings.push({
      code: 'derivative.wrong',
      severity: 'error',
      rule: NAME[c.quantity],
      question: target.item,
      cell: c.cell,
      range,
      message: `This ${NAME[c.quantity]} is not the posterior's: with ${at} it is ${fmt(valueAt(c.rhs, sample))}, where ${FORM[c.quantity]} = ${fmt(REFERENCE[c.quantity](sample))}.${difference(c)}`,
    });
  }
  // What could not be read, for the quantities no formula of the answer decided.
  const decided = new Set(claims.map((c) => c.quantity));
  for (const u of unread) {
    if (u.quantity && decided.has(u.quantity)) continue;
    if (u.quantity) decided.add(u.quantity);
    findings.push({
      code: 'math.unread',
      severity: 'info',
      rule: 'formula',
      question: target.item,
      cell: u.cell,
      range: new LineIndex(nb.cells[u.cell]?.source ?? '').range(u.start, u.end),
      message: `Not judged: ${u.quantity ? `this formula for ${NAME[u.quantity]}` : 'this formula'} could not be checked: ${u.why}. It is neither counted right nor wrong.`,
    });
  }
  if (right.size && verify && !findings.some((f) => f.code === 'derivative.wrong')) {
    const cells = [...new Set(claims.map((c) => c.cell))];
    verify({ question: target.item, aspect: 'formula', what: `${[...right].map((q) => NAME[q]).join(' and ')} equivalent to the posterior's (compared at ${SAMPLES.length} points with 0 < β_t < 1, α_t = 1 − β_t, ᾱ_t = ᾱ_{t−1}α_t)`, cells });
  }
  // Asked to derive, not to restate: formulas without any of the derivation's steps.
  if (claims.length && !/\\exp|e\s*\^\s*\{|\\propto|complet\w* the square|bayes/i.test(text)) {
    const first = claims[0] as Claim;
    findings.push({
      code: 'derivation.restated',
      severity: 'warning',
      question: target.item,
      cell: first.cell,
      range: new LineIndex(nb.cells[first.cell]?.source ?? '').range(first.start, first.end),
      message: 'The answer states μ̃ and β̃ but shows no derivation (no Bayes rule, no product of the Gaussian densities, no completed square); the question asks to derive them by explicitly computing the PDF.',
    });
  }
  return findings;
}
