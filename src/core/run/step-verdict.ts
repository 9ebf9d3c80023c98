/**
 * What one optimizer step of a two-task training loop applied, against what Question 2's rule asks: with
 * g1, g2 the task gradients over all parameters (one concatenated vector), a step applies g1 or g2 (either)
 * when g1·g2 < 0 and g1 + g2 otherwise. Pure arithmetic on the values the harness read at the step.
 */

/** One vector per parameter, in the optimizer's order. */
export type PerParameter = readonly Float64Array[];

/** Which combination of the task gradients a gradient is. */
export type Combination = 'g1' | 'g2' | 'sum' | 'zero';

export type StepVerdict =
  | { readonly kind: 'ok'; readonly applied: Combination }
  /** All gradients zero: no backward since they were zeroed (the step does not move the parameters). */
  | { readonly kind: 'zero' }
  /** The sum of several backward passes (`from`: their indices among those since the last step), or of the last step's gradient and them. */
  | { readonly kind: 'accumulated'; readonly from: readonly number[]; readonly withPrevious: boolean }
  /** Each parameter got a combination of its own (a decision per parameter, not over the concatenation). */
  | { readonly kind: 'per-parameter'; readonly applied: readonly Combination[]; readonly ownRule: boolean }
  /** A combination of the task gradients, but not the one the rule picks for this step. */
  | { readonly kind: 'wrong-branch'; readonly applied: Combination }
  /** The combination the rule picks, times a positive factor other than 1 (a loss averaged instead of summed). */
  | { readonly kind: 'scaled'; readonly applied: Combination; readonly factor: number }
  /** None of the task gradients' combinations. */
  | { readonly kind: 'other'; readonly difference: number };

export interface StepReading {
  readonly observed: PerParameter;
  readonly g1: PerParameter;
  readonly g2: PerParameter;
  /** The gradient each backward pass since the previous step added, in order. */
  readonly contributions: readonly PerParameter[];
  /** What the previous step applied (still in `.grad` when nothing zeroed it). */
  readonly previous?: PerParameter;
}

const flat = (v: PerParameter): Float64Array => {
  const out = new Float64Array(v.reduce((n, a) => n + a.length, 0));
  let k = 0;
  for (const a of v) {
    out.set(a, k);
    k += a.length;
  }
  return out;
};

const add = (a: Float64Array, b: Float64Array): Float64Array => a.map((x, i) => x + (b[i] as number));
const maxAbs = (a: Float64Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
export const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const norm = (a: Float64Array): number => Math.sqrt(dot(a, a));

/** Equal up to float32 rounding of sums taken in another order (relative to the larger vector). */
function close(a: Float64Array, b: Float64Array): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
  return diff <= 1e-4 * Math.max(maxAbs(a), maxAbs(b)) + 1e-7;
}

/**
 * The sign of g1·g2, or 0 when it is too close to zero for float32 gradients to decide (then either
 * branch is accepted).
 */
export function conflictSign(g1: Float64Array, g2: Float64Array): -1 | 0 | 1 {
  const d = dot(g1, g2);
  if (Math.abs(d) <= 1e-5 * norm(g1) * norm(g2)) return 0;
  return d < 0 ? -1 : 1;
}

/** The combinations of the rule for a step with this sign of g1·g2. */
export function allowed(sign: -1 | 0 | 1): readonly Combination[] {
  return sign < 0 ? ['g1', 'g2'] : sign > 0 ? ['sum'] : ['g1', 'g2', 'sum'];
}

function combinations(g1: Float64Array, g2: Float64Array): Record<Combination, Float64Array> {
  return { g1, g2, sum: add(g1, g2), zero: new Float64Array(g1.length) };
}

/** The combinations `v` equals (several when the task gradients coincide, e.g. one of them is zero). */
function matches(v: Float64Array, g1: Float64Array, g2: Float64Array): Combination[] {
  const c = combinations(g1, g2);
  return (Object.keys(c) as Combination[]).filter((k) => close(v, c[k]));
}

export function classifyStep(r: StepReading): StepVerdict {
  const observed = flat(r.observed);
  const g1 = flat(r.g1);
  const g2 = flat(r.g2);
  const rule = allowed(conflictSign(g1, g2));
  const whole = matches(observed, g1, g2);
  const ok = whole.find((c) => rule.includes(c));
  if (ok) return { kind: 'ok', applied: ok };
  if (whole.includes('zero') || maxAbs(observed) === 0) return { kind: 'zero' };

  // Gradients added up over several backward passes (or on top of the last step's).
  const parts = r.contributions.map(flat);
  for (const withPrevious of [false, true]) {
    if (withPrevious && !r.previous) continue;
    let sum = withPrevious ? flat(r.previous as PerParameter) : new Float64Array(observed.length);
    for (let s = parts.length - 1; s >= 0; s--) {
      sum = add(sum, parts[s] as Float64Array);
      const count = parts.length - s + (withPrevious ? 1 : 0);
      if (count >= 2 && close(observed, sum)) return { kind: 'accumulated', from: parts.map((_, i) => i).slice(s), withPrevious };
    }
  }

  if (whole.length) return { kind: 'wrong-branch', applied: whole[0] as Combination };

  // A decision per parameter.
  const per = r.observed.map((o, p) => matches(o, r.g1[p] as Float64Array, r.g2[p] as Float64Array));
  if (per.every((m) => m.length)) {
    const ownRule = per.every((m, p) => {
      const own = allowed(conflictSign(r.g1[p] as Float64Array, r.g2[p] as Float64Array));
      return m.some((c) => own.includes(c) || c === 'zero');
    });
    const applied = per.map((m, p) => {
      const own = allowed(conflictSign(r.g1[p] as Float64Array, r.g2[p] as Float64Array));
      return m.find((c) => own.includes(c)) ?? (m[0] as Combination);
    });
    return { kind: 'per-parameter', applied, ownRule };
  }
  const c = combinations(g1, g2);
  for (const k of rule) {
    const v = c[k];
    const vv = dot(v, v);
    const factor = vv > 0 ? dot(observed, v) / vv : 0;
    if (factor > 0 && Math.abs(factor - 1) > 1e-3 && close(observed, v.map((x) => factor * x))) return { kind: 'scaled', applied: k, factor };
  }
  const difference = Math.min(...rule.map((k) => maxAbs(observed.map((x, i) => x - (c[k][i] as number))) / Math.max(maxAbs(c[k]), 1e-12)));
  return { kind: 'other', difference };
}

/**
 * A manual update whose learning rate nbcheck cannot read (`p.data -= 0.01 * g`): judged by its direction.
 * `observed` is the change the update made (old − new, per parameter); it applies a combination when it
 * is that combination times a positive factor.
 */
export function classifyDirection(r: StepReading): StepVerdict {
  const observed = flat(r.observed);
  if (maxAbs(observed) === 0) return { kind: 'zero' };
  const g1 = flat(r.g1);
  const g2 = flat(r.g2);
  const rule = allowed(conflictSign(g1, g2));
  const c = combinations(g1, g2);
  const along = (['g1', 'g2', 'sum'] as const).filter((k) => {
    const v = c[k];
    const vv = dot(v, v);
    const factor = vv > 0 ? dot(observed, v) / vv : 0;
    return factor > 0 && close(observed, v.map((x) => factor * x));
  });
  const ok = along.find((k) => rule.includes(k));
  if (ok) return { kind: 'ok', applied: ok };
  if (along.length) return { kind: 'wrong-branch', applied: along[0] as Combination };
  const difference = Math.min(...rule.map((k) => {
    const v = c[k];
    const vv = dot(v, v);
    const factor = vv > 0 ? Math.max(dot(observed, v) / vv, 0) : 0;
    return maxAbs(observed.map((x, i) => x - factor * (v[i] as number))) / Math.max(maxAbs(observed), 1e-12);
  }));
  return { kind: 'other', difference };
}

/** g1·g2 over the concatenation, and per parameter. */
export function dots(g1: PerParameter, g2: PerParameter): { total: number; perParameter: number[] } {
  const perParameter = g1.map((a, p) => dot(a, g2[p] as Float64Array));
  return { total: perParameter.reduce((s, x) => s + x, 0), perParameter };
}
