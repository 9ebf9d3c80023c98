/**
 * Question 1.3's growth analysis as nbcheck measures it (the panel's table): soft labels add operations and
 * memory held for the backward pass; doubling the batch keeps the graph and doubles the memory.
 */
import { strict as assert } from 'node:assert';
import { Runtime } from '../../src/core/engine/runtime';
import { measureGrowth } from '../../src/core/run/growth';

describe('Q1.3 growth: hard vs soft labels, B vs 2B', function () {
  this.timeout(120_000);
  const runtime = new Runtime({ device: 'cpu' });
  after(() => runtime.dispose());

  it('measures graph sizes and the bytes held for backward as the analysis predicts', async () => {
    const B = 64;
    const C = 10;
    const [hard, soft, double] = await measureGrowth(runtime, B, C);
    assert.ok(hard && soft && double);
    assert.deepEqual([hard.labels, hard.batch, soft.labels, soft.batch, double.labels, double.batch], ['hard', B, 'soft', B, 'hard', 2 * B]);
    assert.ok(soft.forwardOps > hard.forwardOps, 'soft labels: a product with the distribution and a sum over the classes');
    assert.ok(soft.backwardOps > hard.backwardOps);
    // The label distribution ([B, C] float32) is held for the product's backward; the hard labels' [B, 1]
    // int64 index (for the gather's backward) no longer is.
    assert.equal(soft.savedBytes - hard.savedBytes, B * C * 4 - B * 8);
    assert.equal(double.forwardOps, hard.forwardOps);
    assert.equal(double.backwardOps, hard.backwardOps);
    assert.equal(double.savedBytes, 2 * hard.savedBytes);
    for (const r of [hard, soft, double]) assert.ok(r.millis > 0 && r.millis < 10_000);
  });
});
