/**
 * A bounded sample of the fuzzer (test/fuzz.ts; `npm run fuzz` runs 10,000): every mutated notebook is either
 * unreadable, said so, or checked with its JSON report whole and its findings inside their cells — no stack
 * trace, no hang past the per-case guard; and a few of them through the built CLI, for its exit codes.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzCases } from '../fuzz';
import { runFuzz } from '../fuzz-run';
import { CLI } from '../helpers';

describe('fuzzing: mutated notebooks', function () {
  this.timeout(600_000);

  it('300 cases: each unreadable (exit 2) or a whole report with findings in their cells, none thrown, none hung', async () => {
    // 30 s per case is a guard against a hang, not a speed goal (the bench times the shapes).
    const { outcomes, hangs } = await runFuzz(1, 300, 30_000, undefined, 5_000);
    assert.deepEqual(hangs, []);
    const failures = outcomes.filter((o) => typeof o.result === 'object').map((o) => `${o.id}: ${(o.result as { failure: string }).failure}`);
    assert.deepEqual(failures, []);
    assert.equal(outcomes.length, 300);
    // The sample holds both kinds: files that do not parse and notebooks that are checked.
    assert.ok(outcomes.some((o) => o.result === 'unreadable') && outcomes.some((o) => o.result === 'report'));
  });

  it('through the built CLI: exit 0, 1 or 2, a JSON report when checked, never a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbcheck-fuzz-'));
    try {
      for (const c of fuzzCases(2, 12, 5_000)) {
        const file = join(dir, 'case.ipynb');
        writeFileSync(file, c.text);
        const r = spawnSync(process.execPath, [CLI, 'check', file, '--no-run', '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
        assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `${c.id}: exit ${r.status} ${r.signal ?? ''}`);
        if (r.status !== 2) assert.doesNotThrow(() => JSON.parse(r.stdout), c.id);
        else assert.match(r.stderr, /^nbcheck: /, c.id);
        assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, c.id);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
