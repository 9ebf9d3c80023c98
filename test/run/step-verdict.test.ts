/**
 * What one optimizer step applied, classified against Question 2's rule, on hand-made gradients: every
 * verdict the harness reports, and the near-zero dot product where either branch is accepted.
 */
import { strict as assert } from 'node:assert';
import { classifyStep, type PerParameter } from '../../src/core/run/step-verdict';

const v = (...xs: number[][]): PerParameter => xs.map((x) => Float64Array.from(x));
const add = (a: PerParameter, b: PerParameter): PerParameter => a.map((x, i) => x.map((y, j) => y + ((b[i] as Float64Array)[j] as number)));
const scale = (a: PerParameter, k: number): PerParameter => a.map((x) => x.map((y) => k * y));

// Two parameters. Conflicting overall (g1·g2 = -1 + 0.25 < 0), though parameter 2's own product is positive.
const G1 = v([1, 0], [0.5]);
const G2 = v([-1, 0], [0.5]);
// Agreeing overall.
const A1 = v([1, 1], [0]);
const A2 = v([1, -0.5], [2]);

describe('Q2 step verdicts', () => {
  it('the rule: either task when g1·g2 < 0, g1 + g2 otherwise', () => {
    assert.deepEqual(classifyStep({ observed: G1, g1: G1, g2: G2, contributions: [] }), { kind: 'ok', applied: 'g1' });
    assert.deepEqual(classifyStep({ observed: G2, g1: G1, g2: G2, contributions: [] }), { kind: 'ok', applied: 'g2' });
    assert.deepEqual(classifyStep({ observed: add(A1, A2), g1: A1, g2: A2, contributions: [] }), { kind: 'ok', applied: 'sum' });
    // float32 rounding of a sum taken in another order is not a difference.
    assert.equal(classifyStep({ observed: scale(add(A1, A2), 1 + 1e-6), g1: A1, g2: A2, contributions: [] }).kind, 'ok');
  });

  it('a dot product too close to zero to decide accepts either branch', () => {
    const g1 = v([1, 0]);
    const g2 = v([1e-9, 1]);
    assert.equal(classifyStep({ observed: g1, g1, g2, contributions: [] }).kind, 'ok');
    assert.equal(classifyStep({ observed: add(g1, g2), g1, g2, contributions: [] }).kind, 'ok');
  });

  it('the wrong branch, a zero step, a scaled one, and none of the combinations', () => {
    assert.deepEqual(classifyStep({ observed: add(G1, G2), g1: G1, g2: G2, contributions: [] }), { kind: 'wrong-branch', applied: 'sum' });
    assert.deepEqual(classifyStep({ observed: A2, g1: A1, g2: A2, contributions: [] }), { kind: 'wrong-branch', applied: 'g2' });
    assert.deepEqual(classifyStep({ observed: v([0, 0], [0]), g1: A1, g2: A2, contributions: [] }), { kind: 'zero' });
    const half = classifyStep({ observed: scale(add(A1, A2), 0.5), g1: A1, g2: A2, contributions: [] });
    assert.equal(half.kind, 'scaled');
    assert.ok(half.kind === 'scaled' && Math.abs(half.factor - 0.5) < 1e-12 && half.applied === 'sum');
    const other = classifyStep({ observed: v([3, -1], [1]), g1: A1, g2: A2, contributions: [] });
    assert.equal(other.kind, 'other');
  });

  it('gradients accumulated over backward passes, or on top of the last step\'s', () => {
    // Backward of loss 1, of loss 2, then of the chosen loss (g1), with no zeroing in between.
    assert.deepEqual(classifyStep({ observed: add(add(G1, G2), G1), g1: G1, g2: G2, contributions: [G1, G2, G1] }), { kind: 'accumulated', from: [0, 1, 2], withPrevious: false });
    // Zeroed within the iteration, not after the last step.
    const previous = v([0.2, 0.2], [0.2]);
    assert.deepEqual(classifyStep({ observed: add(previous, G1), g1: G1, g2: G2, contributions: [G1], previous }), { kind: 'accumulated', from: [0], withPrevious: true });
  });

  it('a choice made per parameter: each parameter by its own dot product', () => {
    // Parameter 1's product is negative (g1 chosen), parameter 2's positive (g1 + g2), where the rule
    // (g1·g2 < 0 overall) applies one task to every parameter.
    const observed = v([1, 0], [1]);
    assert.deepEqual(classifyStep({ observed, g1: G1, g2: G2, contributions: [] }), { kind: 'per-parameter', applied: ['g1', 'sum'], ownRule: true });
  });
});
