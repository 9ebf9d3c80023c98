/**
 * Question 1.3's growth analysis, measured: the CE loss with hard labels, with soft labels (a distribution
 * over the C classes) and with hard labels on a doubled batch, each run forward and backward on the engine.
 * For each: the forward graph's operations, the backward graph's, the bytes of forward values the backward
 * pass reads (held from the forward pass until it runs), and the time of forward + backward.
 */
import { gradients } from '../engine/autodiff';
import { numel, type DType } from '../engine/dtype';
import { ancestors, dataNode, type IRNode } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import { Tensor } from '../torch/tensor';
import { Session } from './program';

export interface GrowthRow {
  readonly labels: 'hard' | 'soft';
  readonly batch: number;
  readonly classes: number;
  readonly forwardOps: number;
  readonly backwardOps: number;
  /** Bytes of forward values (not inputs or parameters) the backward pass reads. */
  readonly savedBytes: number;
  /** Forward + backward, the better of two runs (the second warm). */
  readonly millis: number;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int64: 8, bool: 1 };

const program = (labels: 'hard' | 'soft', B: number, C: number): string =>
  [
    'import torch',
    'import torch.nn as nn',
    'from torch.nn.functional import log_softmax, softmax',
    'torch.manual_seed(0)',
    `model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, ${C}))`,
    `x = torch.randn(${B}, 3, 8, 8)`,
    labels === 'hard' ? `y = torch.randint(0, ${C}, (${B},))` : `y = softmax(torch.randn(${B}, ${C}), dim=1)`,
    'logits = model(x)',
    labels === 'hard' ? 'loss = -log_softmax(logits, dim=1).gather(1, y.view(-1, 1)).mean()' : 'loss = -(y * log_softmax(logits, dim=1)).sum(dim=1).mean()',
    'params = list(model.parameters())',
    '',
  ].join('\n');


async function measure(labels: 'hard' | 'soft', B: number, C: number, runtime: Runtime): Promise<GrowthRow> {
  let best = Infinity;
  let row: Omit<GrowthRow, 'millis'> | undefined;
  for (let k = 0; k < 2; k++) {
    const session = await Session.create({ runtime });
    try {
      const problem = await session.run(program(labels, B, C));
      if (problem) throw new Error(`the growth program failed: ${problem.message}`);
      const loss = session.globals.vars.get('loss') as Tensor;
      const params = (session.globals.vars.get('params') as { items: Tensor[] }).items;
      const grads = gradients([loss.node], [dataNode({ dtype: 'float32', shape: [], data: Float32Array.of(1) })], params.map((p) => p.node)).filter((g): g is IRNode => !!g);
      const forward = ancestors([loss.node]);
      const backward = [...ancestors(grads)].filter((n) => !forward.has(n));
      const read = new Set(backward.flatMap((n) => n.inputs.filter((i) => forward.has(i) && i.op !== 'Data')));
      row = {
        labels,
        batch: B,
        classes: C,
        forwardOps: [...forward].filter((n) => n.op !== 'Data').length,
        backwardOps: backward.filter((n) => n.op !== 'Data').length,
        savedBytes: [...read].reduce((s, n) => s + numel(n.shape) * BYTES[n.dtype], 0),
      };
      const t0 = performance.now();
      await runtime.realize([loss.node, ...grads]);
      best = Math.min(best, performance.now() - t0);
    } finally {
      session.dispose();
    }
  }
  return { ...(row as Omit<GrowthRow, 'millis'>), millis: best };
}

/** Hard labels at B, soft labels at B, hard labels at 2B (C classes). */
export async function measureGrowth(runtime: Runtime, B = 2048, C = 1000): Promise<GrowthRow[]> {
  return [await measure('hard', B, C, runtime), await measure('soft', B, C, runtime), await measure('hard', 2 * B, C, runtime)];
}
