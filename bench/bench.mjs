// npm run bench: nbcheck's speed next to a baseline measured in the same run.
//  1. Wall time of `nbcheck check` on the seed example (a fresh process each run, as a student's save or a
//     TA's script would start it), against `jupyter nbconvert --execute` of the same notebook, which is how
//     nbgrader / Otter check a notebook (Debian: jupyter-nbconvert, python3-ipykernel).
//  2. Notebooks per second over the corpus, in one process, against the same baseline.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = join(root, 'dist', 'cli.js');
// The seed notebook itself when the corpus is there, else its reconstruction in examples/.
const corpusSeed = join(root, '..', 'shared', 'corpus', 'spring2023-theory', 'Almogbs__draft__Part2_TheoreticalQuestions.ipynb');
const seed = existsSync(corpusSeed) ? corpusSeed : join(root, 'examples', 'seed-final-project-theory.ipynb');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timeCommand(cmd, args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: root });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error || (r.status !== 0 && r.status !== 1)) return { error: (r.error?.message ?? r.stderr).trim().split('\n').pop() };
    times.push(ms);
  }
  return { ms: median(times) };
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;

// 1. One check, fresh process.
const ours = timeCommand(process.execPath, [cli, 'check', seed, '--format', 'json'], RUNS);
const jupyter = existsSync('/usr/bin/jupyter-nbconvert') ? '/usr/bin/jupyter-nbconvert' : 'jupyter-nbconvert';
const base = timeCommand(jupyter, ['--to', 'notebook', '--execute', '--allow-errors', '--stdout', seed], BASELINE_RUNS);
console.log(`check of the seed notebook, ${seed.startsWith(root) ? 'examples/' : 'corpus/'}${seed.split('/').pop()} (median, fresh process each run)`);
console.log(`  nbcheck check                     ${fmt(ours.ms)}  (${RUNS} runs; goal < 300 ms: ${ours.ms < 300 ? 'met' : 'NOT met'})`);
if (base.error) console.log(`  jupyter nbconvert --execute       unavailable: ${base.error} (apt-get install jupyter-nbconvert python3-ipykernel)`);
else console.log(`  jupyter nbconvert --execute       ${fmt(base.ms)}  (${BASELINE_RUNS} runs)\n  ratio nbcheck / baseline          ${(ours.ms / base.ms).toFixed(3)}`);

// 2. Throughput over the corpus, in one process.
const corpus = join(root, '..', 'shared', 'corpus');
const files = existsSync(corpus)
  ? readdirSync(corpus, { recursive: true }).filter((f) => String(f).endsWith('.ipynb')).map((f) => join(corpus, String(f)))
  : readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ipynb')).map((f) => join(root, 'examples', f));
const { main } = require(cli);
const io = { out: () => {}, err: () => {}, isTty: false };
for (const f of files) main(['check', f, '--format', 'json'], io); // warm-up
let n = 0;
const t0 = process.hrtime.bigint();
while (Number(process.hrtime.bigint() - t0) / 1e9 < 2) {
  for (const f of files) main(['check', f, '--format', 'json'], io);
  n += files.length;
}
const perSecond = n / (Number(process.hrtime.bigint() - t0) / 1e9);
console.log(`\nthroughput over ${files.length} notebooks (${existsSync(corpus) ? 'the corpus' : 'the examples'}), one process`);
console.log(`  nbcheck                           ${perSecond.toFixed(0)} notebooks/s`);
if (!base.error) {
  const basePerSecond = 1000 / base.ms;
  console.log(`  jupyter nbconvert --execute       ${basePerSecond.toFixed(2)} notebooks/s\n  ratio nbcheck / baseline          ${(perSecond / basePerSecond).toFixed(0)}x`);
}
