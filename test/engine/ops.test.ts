/**
 * Every op of the engine against real PyTorch (Debian's python3-torch): the same random programs run
 * by nbcheck and by PyTorch, values compared (rtol 1e-5, atol 1e-6), errors by type and message; and every
 * ONNX model nbcheck emitted passes onnx.checker (Debian's python3-onnx, IR 8 / opset 17).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPS } from '../../src/core/engine/ir';
import { Runtime } from '../../src/core/engine/runtime';
import { exportVariables, runProgram } from '../../src/core/run/program';
import { generateCases } from './cases';
import type { Outcome } from './oracle';
import { PYTHON, compareOutcomes, oracleAvailable, runOracle } from './oracle';

const cases = generateCases();
const oracle = oracleAvailable();

describe('engine ops against PyTorch', function () {
  this.timeout(120_000);
  const models: Uint8Array[] = [];
  const ours = new Map<string, Outcome>();
  const lowered = new Set<string>();
  let theirs: Record<string, Outcome> = {};

  before(async function () {
    if (!oracle.ok) {
      console.log(`    (skipped: ${oracle.why})`);
      this.skip();
    }
    const runtime = new Runtime({ device: 'cpu', onModel: (m) => models.push(m), onLowered: (ops) => ops.forEach((o) => lowered.add(o)) });
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

  for (const c of cases) {
    it(c.id, function () {
      const got = ours.get(c.id);
      const want = theirs[c.id];
      assert.ok(got && want, 'both sides ran');
      const diffs = compareOutcomes(got, want);
      assert.deepEqual(diffs, [], `${diffs.join('\n')}\n--- program ---\n${c.source}`);
    });
  }

  it('covers both values and PyTorch errors', function () {
    const outcomes = Object.values(theirs);
    assert.ok(outcomes.filter((o) => 'error' in o).length >= 20, 'misuse cases are exercised');
    assert.ok(outcomes.filter((o) => 'variables' in o).length >= 200, 'value cases are exercised');
  });

  it('every op of the IR table is exercised by the programs compared with PyTorch', () => {
    assert.deepEqual(Object.keys(OPS).filter((op) => !lowered.has(op)), []);
  });

  it('every emitted model passes onnx.checker (IR 8, opset 17)', function () {
    assert.ok(models.length > 100, `models were emitted (${models.length})`);
    const dir = mkdtempSync(join(tmpdir(), 'nbcheck-onnx-'));
    try {
      models.forEach((m, i) => writeFileSync(join(dir, `m${i}.onnx`), m));
      const script = [
        'import onnx, sys, glob',
        'bad = []',
        `for f in sorted(glob.glob(sys.argv[1] + '/*.onnx')):`,
        '    m = onnx.load(f)',
        '    assert m.ir_version == 8 and m.opset_import[0].version == 17, f',
        '    try:',
        '        onnx.checker.check_model(m, full_check=True)',
        '    except Exception as e:',
        "        bad.append(f + ': ' + str(e).split(chr(10))[0])",
        "print('\\n'.join(bad))",
      ].join('\n');
      const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), '', r.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
