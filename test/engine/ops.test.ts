/**
 * Every op of the engine against real PyTorch (Debian's python3-torch): the same random programs run
 * by nbcheck and by PyTorch, values compared (rtol 1e-5, atol 1e-6), errors by type and message; and every
 * ONNX model nbcheck emitted passes onnx.checker (Debian's python3-onnx, IR 8 / opset 17).
 */
import { strict as assert } from 'node:assert';
import { GRADIENT_ONLY_OPS } from '../../src/core/engine/autodiff';
import { OPS } from '../../src/core/engine/ir';
import { exportVariables, runProgram } from '../../src/core/run/program';
import { generateCases } from './cases';
import { generateViewCases } from './view-cases';
import { generateAutogradCases } from './autograd-cases';
import { generateConvCases } from './conv-cases';
import { generateSurfaceFnCases } from './surface-fn-cases';
import { generateSurfaceNnCases } from './surface-nn-cases';
import type { Outcome } from './oracle';
import { checkModels, itMatchesPyTorch, recordingRuntime, runOracle, skipWithoutOracle } from './oracle';

const cases = [...generateCases(), ...generateViewCases(), ...generateAutogradCases(), ...generateConvCases(), ...generateSurfaceFnCases(), ...generateSurfaceNnCases()];

describe('engine ops against PyTorch', function () {
  this.timeout(120_000);
  const ours = new Map<string, Outcome>();
  const { runtime, models, lowered } = recordingRuntime();
  let theirs: Record<string, Outcome> = {};

  before(async function () {
    skipWithoutOracle(this);
    for (const c of cases) {
      const run = await runProgram(c.source, { runtime });
      if (run.problem) {
        ours.set(c.id, { error: { type: run.problem.type ?? run.problem.kind, message: run.problem.message } });
        continue;
      }
      try {
        ours.set(c.id, { variables: (await exportVariables(run)) as never });
      } catch (e) {
        ours.set(c.id, { error: { type: 'RuntimeError', message: (e as Error).message } });
      }
    }
    await runtime.dispose();
    theirs = runOracle(cases.map((c) => ({ id: c.id, source: c.source })));
  });

  for (const c of cases) itMatchesPyTorch(c.id, c.source, ours, () => theirs);

  it('covers both values and PyTorch errors', function () {
    const outcomes = Object.values(theirs);
    assert.ok(outcomes.filter((o) => 'error' in o).length >= 20, 'misuse cases are exercised');
    assert.ok(outcomes.filter((o) => 'variables' in o).length >= 200, 'value cases are exercised');
  });

  it('every op of the IR table is exercised by the programs compared with PyTorch', () => {
    // Gradient-only ops are lowered by the gradient programs (grad.test.ts).
    assert.deepEqual(Object.keys(OPS).filter((op) => !lowered.has(op) && !GRADIENT_ONLY_OPS.includes(op)), []);
  });

  it('every emitted model passes onnx.checker (IR 8, opset 17)', function () {
    assert.ok(models.length > 100, `models were emitted (${models.length})`);
    assert.deepEqual(checkModels(models), []);
  });
});
