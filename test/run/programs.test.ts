/**
 * Programs written apart from the engine (by a helper that had not read nbcheck's source; see each folder's
 * README): in-place writes through subscripts and views (test/fixtures/programs/inplace) and the torch
 * surface real answers use (test/fixtures/programs/surface). Each one, run by nbcheck, gives PyTorch's
 * values (or PyTorch's error), or stops at a located "not supported": never a different number, never a
 * gap worded as the student's error.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exportVariables, runProgram } from '../../src/core/run/program';
import { compareOutcomes, recordingRuntime, runOracle, skipWithoutOracle, type Outcome } from '../engine/oracle';
import { ROOT } from '../helpers';

const FOLDERS = ['inplace', 'surface', 'round2', 'round3'] as const;

/**
 * These programs run whole training loops (30 steps of momentum SGD) and finite differences (a difference
 * of two sums over eps = 1e-3): there a float32 rounding difference is amplified. onnxruntime sums pairwise
 * where PyTorch's CPU kernel adds a short row in order, so the last bits of a sum differ and a central
 * difference moves in its fifth digit. The tolerance is float32's after such amplification (rtol 2e-4,
 * atol 1e-5); the op-by-op harness (test/engine) keeps rtol 1e-5 / atol 1e-6. A wrong value is off by far
 * more (a gradient halved, a statistic from the wrong batch).
 */
const [RTOL, ATOL] = [2e-4, 1e-5];

interface Result {
  readonly id: string;
  readonly outcome: Outcome | { unsupported: string; line: number | undefined };
}

for (const folder of FOLDERS) {
  const dir = join(ROOT, 'test', 'fixtures', 'programs', folder);
  const files = readdirSync(dir).filter((f) => f.endsWith('.py')).sort();
  const programs = files.map((f) => ({ id: f, source: readFileSync(join(dir, f), 'utf8') }));

  describe(`programs written apart from the engine: ${folder} (${files.length})`, function () {
    this.timeout(300_000);
    const ours = new Map<string, Result['outcome']>();
    let theirs: Record<string, Outcome> = {};

    before(async function () {
      skipWithoutOracle(this);
      const { runtime } = recordingRuntime();
      for (const p of programs) {
        const run = await runProgram(p.source, { runtime, budgets: { maxMillis: 60_000 } });
        if (run.problem?.kind === 'unsupported') {
          ours.set(p.id, { unsupported: run.problem.message, line: run.problem.span ? run.problem.span.start.line + 1 : undefined });
        } else if (run.problem) {
          ours.set(p.id, { error: { type: run.problem.type ?? run.problem.kind, message: run.problem.message } });
        } else {
          try {
            ours.set(p.id, { variables: (await exportVariables(run)) as never });
          } catch (e) {
            // A value that fails when computed is this program's failure, not the folder's.
            ours.set(p.id, { error: { type: 'InternalError', message: (e as Error).message } });
          }
        }
      }
      await runtime.dispose();
      theirs = runOracle(programs);
      const unsupported = [...ours.entries()].filter(([, o]) => 'unsupported' in o);
      const matched = programs.filter((p) => {
        const o = ours.get(p.id);
        const w = theirs[p.id];
        return o && w && !('unsupported' in o) && compareOutcomes(o, w, RTOL, ATOL).length === 0;
      });
      console.log(`    ${folder}: ${matched.length} of ${programs.length} as PyTorch, ${unsupported.length} stop at "not supported"${unsupported.length ? `: ${unsupported.map(([id, o]) => `${id} (line ${(o as { line?: number }).line}: ${(o as { unsupported: string }).unsupported})`).join('; ')}` : ''}`);
    });

    for (const p of programs) {
      it(p.id, () => {
        const got = ours.get(p.id);
        const want = theirs[p.id];
        assert.ok(got && want, 'both sides ran');
        if ('unsupported' in got) {
          // A gap is said at its place, and only where PyTorch itself runs the line.
          assert.ok(got.line !== undefined, `"${got.unsupported}" has no line`);
          return;
        }
        const diffs = compareOutcomes(got, want, RTOL, ATOL);
        assert.deepEqual(diffs, [], `${diffs.join('\n')}\n--- ${p.id} ---\n${p.source}`);
      });
    }
  });
}
