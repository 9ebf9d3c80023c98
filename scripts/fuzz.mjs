// npm run fuzz: 10,000 mutated notebooks (test/fuzz.ts), each checked as `nbcheck check --no-run --format json`
// checks it, in a child process with a 10 s guard per case. Prints the crashes, the hangs and the slowest cases.
// FUZZ_N and FUZZ_SEED change the count and the seed.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { runFuzz } = require(join(root, 'out', 'test', 'fuzz-run.js'));
const N = Number(process.env.FUZZ_N ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 7);
let done = 0;
const t0 = Date.now();
const { outcomes, hangs } = await runFuzz(SEED, N, 10_000, () => {
  if (++done % 500 === 0) process.stderr.write(`  ${done}/${N} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
});
const failures = outcomes.filter((o) => typeof o.result === 'object');
const unreadable = outcomes.filter((o) => o.result === 'unreadable').length;
console.log(`fuzz: ${N} cases (seed ${SEED}) in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${outcomes.length - unreadable - failures.length} checked, ${unreadable} unreadable (exit 2), ${failures.length} crashes, ${hangs.length} hangs (over 10 s)`);
for (const f of failures.slice(0, 20)) console.log(`  CRASH ${f.id}: ${f.result.failure}`);
for (const h of hangs.slice(0, 20)) console.log(`  HANG  ${h}`);
console.log('slowest cases:');
for (const o of [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 10)) console.log(`  ${o.ms.toFixed(0).padStart(6)} ms  ${o.id}`);
const over2 = outcomes.filter((o) => o.ms > 2000).length;
console.log(`cases over 2 s: ${over2} (goal: 0)`);
process.exitCode = failures.length || hangs.length ? 1 : 0;
