// npm run bench: nbcheck's speed next to a baseline measured in the same run.
//  1. The CE loss at B=65536, C=1000 through nbcheck's engine (interpreter → IR → ONNX → onnxruntime-node),
//     against PyTorch (Debian's python3-torch, /usr/bin/python3) computing F.cross_entropy on the same
//     shapes, both on the CPU with the same number of threads. Goal: ratio ≤ 0.7.
//  2. `nbcheck check` of the seed notebook, running its CE-loss answer on 3 batches (a fresh process each
//     run, as a student's save or a TA's script starts it), against the nbgrader way: a Jupyter kernel
//     executing the notebook's answer cell and an equivalent hidden test (Debian: jupyter-nbconvert,
//     python3-ipykernel). Goal: nbcheck ≥ 10× faster.
//  3. Static checks only (--no-run): notebooks per second over the corpus, in one process.
//  4. Re-checking after a one-cell edit with the extension's per-cell cache, against a full check.
//  5. In a real VS Code (code-server, as the e2e tests run it): nbcheck's activation against VS Code's own
//     Jupyter support, and edit → refreshed diagnostics against VS Code's JSON language server.
//  6. The CE loss forward and backward (loss.backward(), the whole gradient computed) at B=65536, C=1000,
//     nbcheck (autodiff in the IR, run by onnxruntime) against PyTorch's autograd. Goal: ratio ≤ 0.7.
//  7. A logged training loop (SGD with momentum, `loss.item()` every step) of 10, 100 and 1000 steps, as
//     `nbcheck exec` and as Debian's PyTorch running the same file, each a fresh process. Goals: nbcheck's
//     time per step flat from 10 to 1000 steps (values computed once, not the history again each step),
//     and the 100-step loop ≤ 1× PyTorch's time, process start included.
//  8. Static checks on pathological markup (backtick runs, nested images, <img chains, a line of '<', a long
//     formula, a long line of sentences): time at n and 10·n in one run. Goal: ratio ≤ 12.
// BENCH_ONLY=4,5 runs only those parts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = join(root, 'dist', 'cli.js');
const corpusSeed = join(root, '..', 'shared', 'corpus', 'spring2023-theory', 'Almogbs__draft__Part2_TheoreticalQuestions.ipynb');
const seed = existsSync(corpusSeed) ? corpusSeed : join(root, 'examples', 'seed-final-project-theory.ipynb');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 3);
const PYTHON = '/usr/bin/python3';
const THREADS = cpus().length;

const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map(Number)) : undefined;
const want = (n) => !ONLY || ONLY.has(n);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`);
function timeCommand(cmd, args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: root, maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error || (r.status !== 0 && r.status !== 1)) return { error: (r.error?.message ?? r.stderr).trim().split('\n').pop() };
    times.push(ms);
  }
  return { ms: median(times) };
}

// ---- 1. CE loss, B=65536, C=1000 ------------------------------------------------------------------------
const B = 65536;
const C = 1000;
const REPS = Number(process.env.BENCH_CE_REPS ?? 7);
/** One CE-loss step (`body`, the same Python for both) timed in nbcheck and in PyTorch, in this command. */
async function ceBench(title, { requiresGrad, body, result }) {
  const { Session } = require(join(root, 'out', 'src', 'core', 'run', 'program.js'));
  const { Runtime } = require(join(root, 'out', 'src', 'core', 'engine', 'runtime.js'));
  const runtime = new Runtime({ device: process.env.BENCH_DEVICE ?? 'auto' });
  const session = await Session.create({ runtime, maxElements: 2 ** 27 });
  const head = `import torch\nimport torch.nn.functional as F\ntorch.manual_seed(0)\nlogits = torch.randn(${B}, ${C}${requiresGrad ? ', requires_grad=True' : ''})\ny = torch.randint(0, ${C}, (${B},))\n`;
  const setup = await session.run(head);
  if (setup) throw new Error(setup.message);
  const times = [];
  for (let i = 0; i < REPS + 1; i++) {
    const t0 = process.hrtime.bigint();
    const p = await session.run(`${body}value = ${result}.item()\n`);
    if (p) throw new Error(p.message);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) times.push(ms); // the first run also loads the inputs into onnxruntime and builds the session
  }
  const ours = median(times);
  const value = session.globals.vars.get('value');
  session.dispose();
  await runtime.dispose();

  const indented = body.trim().split('\n').map((l) => `    ${l}`).join('\n');
  const script = `
import time
${head}torch.set_num_threads(${THREADS})
def step():
${indented}
    return ${result}.item()
step()
ts = []
for _ in range(${REPS}):
    t0 = time.perf_counter(); v = step(); ts.append((time.perf_counter() - t0) * 1000)
print(sorted(ts)[len(ts) // 2], v)
`;
  const r = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' }) : { status: 1, stderr: `${PYTHON} not found` };
  console.log(`${title}, B=${B}, C=${C}, median of ${REPS} (device: ${runtime.device}${runtime.fallbackReason ? `; CUDA unavailable: ${runtime.fallbackReason}` : ''}; ${THREADS} threads)`);
  console.log(`  nbcheck (interpret → ONNX → onnxruntime-node)   ${fmt(ours)}   result ${Number(value).toFixed(5)}`);
  if (r.status !== 0) console.log(`  PyTorch                                          unavailable: ${(r.stderr ?? '').trim().split('\n').pop()} (apt-get install python3-torch)`);
  else {
    const [ms, v] = r.stdout.trim().split(' ').map(Number);
    console.log(`  PyTorch ${spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim().padEnd(41)}${fmt(ms)}   result ${v.toFixed(5)}`);
    console.log(`  ratio nbcheck / PyTorch                          ${(ours / ms).toFixed(2)}  (goal ≤ 0.7: ${ours / ms <= 0.7 ? 'met' : 'NOT met'})`);
  }
}

if (want(1)) await ceBench('CE loss forward', { requiresGrad: false, body: 'loss = F.cross_entropy(logits, y)\n', result: 'loss' });
if (want(6)) {
  // The gradient's absolute sum (in float64: 65 million float32 terms) makes all of it computed, and is a
  // value to compare; .grad is reset so that steps do not accumulate.
  await ceBench('\nCE loss forward + backward', { requiresGrad: true, body: 'logits.grad = None\nloss = F.cross_entropy(logits, y)\nloss.backward()\n', result: 'logits.grad.abs().double().sum()' });
}

// ---- 2. nbcheck check of the seed vs the nbgrader way -----------------------------------------------------
if (want(2)) {
  const nb = JSON.parse(readFileSync(seed, 'utf8'));
  const answerCell = nb.cells.find((c) => c.cell_type === 'code' && /log_softmax/.test([].concat(c.source).join('')));
  const answer = [].concat(answerCell.source).join('');
  // What an nbgrader/Otter autograder does: a kernel runs the answer on the same inputs as nbcheck's
  // harness (3 batches) and compares it with the reference, the hidden test.
  const hidden = `
import torch, torch.nn as nn, torch.nn.functional as F
results = []
for seed, B, C, Ch, H, W in [(1, 4, 3, 1, 2, 3), (2, 7, 5, 3, 2, 3), (3, 16, 10, 2, 4, 4)]:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(Ch * H * W, C))
    x = torch.randn(B, Ch, H, W)
    y = torch.randint(0, C, (B,))
    scope = {'model': model, 'x': x, 'y': y}
    try:
        exec(${JSON.stringify(answer)}, scope)
        expected = F.cross_entropy(model(x), y)
        results.append(bool(torch.allclose(scope['loss'], expected, rtol=1e-4, atol=1e-5)))
    except Exception as e:
        results.append(repr(e))
print(results)
`;
  const dir = mkdtempSync(join(tmpdir(), 'nbcheck-bench-'));
  const graded = join(dir, 'graded.ipynb');
  const cell = (source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
  writeFileSync(graded, JSON.stringify({ ...nb, cells: [...nb.cells.filter((c) => c.cell_type !== 'code'), cell(answer), cell(hidden)] }));
  const ours = timeCommand(process.execPath, [cli, 'check', seed, '--format', 'json'], RUNS);
  const jupyter = existsSync('/usr/bin/jupyter-nbconvert') ? '/usr/bin/jupyter-nbconvert' : 'jupyter-nbconvert';
  const base = timeCommand(jupyter, ['--to', 'notebook', '--execute', '--allow-errors', '--stdout', graded], BASELINE_RUNS);
  rmSync(dir, { recursive: true, force: true });
  console.log(`\ncheck of the seed notebook with its CE-loss answer run on 3 batches, ${seed.startsWith(root) ? 'examples/' : 'corpus/'}${seed.split('/').pop()} (median, fresh process each run)`);
  console.log(`  nbcheck check                                    ${fmt(ours.ms)}  (${RUNS} runs)`);
  if (base.error) console.log(`  kernel + hidden test (nbconvert --execute)       unavailable: ${base.error} (apt-get install jupyter-nbconvert python3-ipykernel python3-torch)`);
  else {
    console.log(`  kernel + hidden test (nbconvert --execute)       ${fmt(base.ms)}  (${BASELINE_RUNS} runs)`);
    console.log(`  speed-up                                         ${(base.ms / ours.ms).toFixed(1)}×  (goal ≥ 10×: ${base.ms / ours.ms >= 10 ? 'met' : 'NOT met'})`);
  }
}

// ---- 3. Static checks: throughput over the corpus, one process --------------------------------------------
if (want(3)) {
  const corpus = join(root, '..', 'shared', 'corpus');
  const files = existsSync(corpus)
    ? readdirSync(corpus, { recursive: true }).filter((f) => String(f).endsWith('.ipynb')).map((f) => join(corpus, String(f)))
    : readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ipynb')).map((f) => join(root, 'examples', f));
  const { main } = require(cli);
  const io = { out: () => {}, err: () => {}, isTty: false };
  for (const f of files) await main(['check', f, '--format', 'json', '--no-run'], io); // warm-up
  let n = 0;
  const t0 = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - t0) / 1e9 < 2) {
    for (const f of files) await main(['check', f, '--format', 'json', '--no-run'], io);
    n += files.length;
  }
  const perSecond = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  console.log(`\nstatic checks (--no-run) over ${files.length} notebooks (${existsSync(corpus) ? 'the corpus' : 'the examples'}), one process`);
  console.log(`  nbcheck check --no-run                           ${perSecond.toFixed(0)} notebooks/s`);
}

// ---- 4. Re-checking after a one-cell edit: the per-cell cache the extension keeps vs a full check ----------
if (want(4)) {
  const { checkNotebook, CheckCache } = require(join(root, 'out', 'src', 'core', 'check.js'));
  const { notebookFromCells } = require(join(root, 'out', 'src', 'core', 'notebook', 'reader.js'));
  const { readNotebook } = require(join(root, 'out', 'src', 'core', 'notebook', 'reader.js'));
  const base = readNotebook(seed);
  const cells = base.cells.map((c) => ({ kind: c.kind, source: c.source, outputs: c.outputs }));
  const target = cells.findIndex((c, i) => c.kind === 'markdown' && i > cells.length / 2 && /\$/.test(c.source));
  // Each round types one character into one markdown cell with math, as a student does.
  const edited = (k) => notebookFromCells(seed, cells.map((c, i) => (i === target ? { ...c, source: `${c.source}${'x'.repeat(k % 7)}` } : c)));
  const time = (fn) => {
    const t = [];
    for (let k = 0; k < 200; k++) {
      const nb = edited(k);
      const t0 = process.hrtime.bigint();
      fn(nb);
      t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return median(t.slice(20));
  };
  const full = time((nb) => checkNotebook(nb));
  const cache = new CheckCache();
  const cached = time((nb) => checkNotebook(nb, { cache }));
  console.log(`\nstatic re-check after a one-character edit in one markdown cell (cell ${target} of ${cells.length}), median of 180`);
  console.log(`  full check (baseline)                            ${fmt(full)}`);
  console.log(`  with the per-cell cache (what the extension does) ${fmt(cached)}`);
  console.log(`  ratio cached / full                              ${(cached / full).toFixed(2)}`);
}

// ---- 5. In a real VS Code (code-server): activation, and edit → refreshed diagnostics ----------------------
if (want(5)) {
  const launch = require(join(root, 'out', 'test', 'e2e', 'launch.js'));
  const why = launch.unavailable();
  console.log('\nin VS Code (code-server 4.139.1 = VS Code 1.139.1, extension host on Node 24), medians');
  if (why) console.log(`  unavailable: ${why}`);
  else {
    launch.setUp();
    const work = mkdtempSync(join(tmpdir(), 'nbcheck-bench-vscode-'));
    const ws = join(work, 'ws');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(ws);
    copyFileSync(join(root, 'examples', 'seed-final-project-theory.ipynb'), join(ws, 'seed.ipynb'));
    const results = join(work, 'results.json');
    const runs = Number(process.env.BENCH_VSCODE_RUNS ?? 3);
    let bench;
    try {
      // A fresh VS Code per run (activation happens once per extension host); medians over the runs.
      const all = [];
      for (let i = 0; i < runs; i++) {
        rmSync(results, { force: true });
        bench = await launch.openWorkbench({ workspace: ws, work, testsPath: join(root, 'out', 'test', 'e2e', 'bench-suite.js'), env: { NBCHECK_BENCH_RESULTS: results } });
        const code = await Promise.race([bench.exited, new Promise((r) => setTimeout(() => r('timeout'), 300_000))]);
        if (code !== 0 || !existsSync(results)) throw new Error(`the benchmark in VS Code did not finish (${code}): ${bench.log.join('').slice(-1500)}`);
        all.push(JSON.parse(readFileSync(results, 'utf8')));
        await bench.close();
        bench = undefined;
        for (const d of ['ud', 'exts']) rmSync(join(work, d), { recursive: true, force: true });
      }
      const r = {};
      for (const k of Object.keys(all[0])) {
        const vs = all.map((a) => a[k]);
        r[k] = vs.every((v) => typeof v === 'number') ? median(vs) : vs[0];
      }
      const ms = (v) => (typeof v === 'number' ? fmt(v) : v);
      console.log(`  (${runs} fresh VS Code runs; edits: ${r.rounds} rounds each)`);
      console.log(`  activation: nbcheck                              ${ms(r['activate.nbcheck'])}`);
      console.log(`  activation: VS Code's Jupyter support (baseline) ${ms(r['activate.ipynb'])}`);
      if (typeof r['activate.nbcheck'] === 'number' && typeof r['activate.ipynb'] === 'number') console.log(`  ratio nbcheck / vscode.ipynb                     ${(r['activate.nbcheck'] / r['activate.ipynb']).toFixed(2)}`);
      console.log(`  open the notebook → document open (VS Code)      ${ms(r['open.document'])}`);
      console.log(`  open the notebook → nbcheck's static diagnostics ${ms(r['open.static'])};  → exercise-code findings ${ms(r['open.run'])} (first run loads the runner and onnxruntime)`);
      console.log(`  open the notebook → shown in its editor (VS Code, baseline) ${ms(r['open.editor'])}`);
      console.log(`  edit → error shown: nbcheck (300 ms debounce incl.) ${ms(r['edit.nbcheck.show'])};  undo → gone ${ms(r['edit.nbcheck.clear'])}`);
      console.log(`  edit → error shown: VS Code's JSON server (baseline) ${ms(r['edit.json.show'])};  undo → gone ${ms(r['edit.json.clear'])}`);
      console.log(`  ratio nbcheck / JSON server (shown)              ${(r['edit.nbcheck.show'] / r['edit.json.show']).toFixed(2)}; less nbcheck's deliberate 300 ms debounce ${((r['edit.nbcheck.show'] - 300) / r['edit.json.show']).toFixed(2)}`);
      console.log('  (both include the ~50 ms by which VS Code batches diagnostics-change events)');
    } catch (e) {
      console.log(`  failed: ${e.message}`);
    } finally {
      await bench?.close();
      rmSync(work, { recursive: true, force: true });
    }
  }
}

// ---- 7. A logged training loop: time per step from 10 to 1000 steps, and against PyTorch ------------------
if (want(7)) {
  const dir = mkdtempSync(join(tmpdir(), 'nbcheck-bench-loop-'));
  const program = (steps) => `import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
x = torch.randn(64, 20)
y = torch.randint(0, 4, (64,))
losses = []
for step in range(${steps}):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
last = losses[-1] if losses else 0.0
print(f"{last:.6f}")
`;
  const runs = Number(process.env.BENCH_LOOP_RUNS ?? 3);
  const time = (cmd, args) => {
    const times = [];
    let out = '';
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').pop() };
      out = r.stdout;
    }
    return { ms: median(times), out };
  };
  const last = (out) => {
    try {
      return JSON.parse(out).variables.last.data[0].toFixed(6);
    } catch {
      return out.trim().split('\n').pop();
    }
  };
  console.log(`\na logged training loop (MLP 20-32-4, batch 64, SGD momentum, loss.item() each step), fresh process each run, median of ${runs} (device: CPU unless CUDA is set up)`);
  const rows = [];
  for (const steps of [0, 10, 100, 1000]) {
    const file = join(dir, `loop${steps}.py`);
    writeFileSync(file, program(steps));
    const ours = time(process.execPath, [cli, 'exec', file]);
    const torch = existsSync(PYTHON) ? time(PYTHON, [file]) : { error: `${PYTHON} not found` };
    rows.push({ steps, ours, torch });
  }
  rmSync(dir, { recursive: true, force: true });
  const start = rows[0];
  for (const { steps, ours, torch } of rows.slice(1)) {
    if (ours.error) {
      console.log(`  ${String(steps).padStart(4)} steps  nbcheck failed: ${ours.error}`);
      continue;
    }
    const perStep = start.ours.ms !== undefined ? (ours.ms - start.ours.ms) / steps : NaN;
    const theirs = torch.error ? `PyTorch unavailable: ${torch.error}` : `PyTorch ${fmt(torch.ms)} (last loss ${last(torch.out)})   ratio ${(ours.ms / torch.ms).toFixed(2)}`;
    console.log(`  ${String(steps).padStart(4)} steps  nbcheck ${fmt(ours.ms)} (last loss ${last(ours.out)}, ${perStep.toFixed(2)} ms/step past start-up)   ${theirs}`);
  }
  const per = (k) => (rows[k].ours.ms - start.ours.ms) / rows[k].steps;
  if (rows.every((r) => r.ours.ms !== undefined)) {
    const flat = per(3) / per(1);
    console.log(`  time per step, 1000 steps / 10 steps             ${flat.toFixed(2)}  (goal: flat, ≤ 1.5: ${flat <= 1.5 ? 'met' : 'NOT met'})`);
    const r100 = rows[2];
    if (r100.torch.ms !== undefined) console.log(`  100 steps, nbcheck / PyTorch (process start incl.) ${(r100.ours.ms / r100.torch.ms).toFixed(2)}  (goal ≤ 1: ${r100.ours.ms <= r100.torch.ms ? 'met' : 'NOT met'})`);
  }
}

// ---- 8. Static checks on pathological markup: time at n and 10·n, in one run ------------------------------
// An answer cell of the seed replaced by a long run of one shape of markup (the shapes that made checks
// quadratic: backticks with no closer, nested images, <img src="<img …, one line of '<', a long formula, a
// long line of sentences). Goal: ratio ≤ 12 (linear, with noise).
if (want(8)) {
  const { checkNotebook } = require(join(root, 'out', 'src', 'core', 'check.js'));
  const { parseNotebook } = require(join(root, 'out', 'src', 'core', 'notebook', 'reader.js'));
  const base = JSON.parse(readFileSync(join(root, 'examples', 'seed-final-project-theory.ipynb'), 'utf8'));
  const answer = base.cells.findIndex((c, i) => i > 2 && c.cell_type === 'markdown' && /Answer/i.test([].concat(c.source).join('')));
  const SHAPES = {
    'backticks, no closer': (k) => `Answer: ${'`'.repeat(k)}`,
    'code spans `a`': (k) => '`a` '.repeat(k),
    'nested images ![a](': (k) => '![a]('.repeat(k),
    '<img src=" chains': (k) => '<img src="'.repeat(k),
    "one line of '<'": (k) => '<'.repeat(k),
    // A tenth as many terms: both sizes stay under the 5,000-character limit past which formulas are not rendered.
    'a long formula': (k, run) => `$y_{${run}}+${'x+'.repeat(Math.round(k / 10))}x$`,
    'a long line of sentences': (k) => 'The learning rate should be halved. '.repeat(k),
    // Math openers that never close: each used to search to the end of the cell for its closer.
    'unclosed \\[ runs': (k) => '\\['.repeat(k),
    'unclosed \\begin{align}': (k) => '\\begin{align}'.repeat(Math.round(k / 4)),
    // Definitions whose body never closes, and \text{ groups, each searched for its closing brace (both sizes
    // past the formula limit: what is timed is reading the definitions and groups, not rendering).
    'unclosed \\def\\a{ in $…$': (k, run) => `$${'\\def\\a{'.repeat(k)}$ ${run}`,
    'unclosed \\text{ in $…$': (k, run) => `$${'\\text{'.repeat(k)}$ ${run}`,
    'a run of spaces': (k) => `Answer ${' '.repeat(5 * k)}.`,
    // One endless sentence dense in what a rubric idea looks for: "more", then "parameters", then "capacity".
    'more parameters … (no period)': (k) => 'more parameters '.repeat(k),
  };
  const timeCheck = (k, shape) => {
    const ts = [];
    for (let i = 0; i < 3; i++) {
      // Each run's text is new (a formula's verdict is cached by its text): every run is a first check.
      const nb = structuredClone(base);
      nb.cells[answer].source = SHAPES[shape](k, `${k}.${i}`);
      const parsed = parseNotebook(JSON.stringify(nb), 'bench.ipynb');
      const t0 = process.hrtime.bigint();
      checkNotebook(parsed, { notRun: { kind: 'off', reason: 'bench' } });
      ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return median(ts);
  };
  const N = Number(process.env.BENCH_SHAPE_N ?? 2000);
  console.log(`\nstatic checks on pathological markup, one answer cell of the seed, n = ${N} and ${10 * N} (median of 3)`);
  for (const shape of Object.keys(SHAPES)) {
    const small = timeCheck(N, shape);
    const large = timeCheck(10 * N, shape);
    const ratio = large / small;
    console.log(`  ${shape.padEnd(28)} ${fmt(small).padStart(9)} → ${fmt(large).padStart(9)}   ratio ${ratio.toFixed(1)}  (goal ≤ 12: ${ratio <= 12 ? 'met' : 'NOT met'})`);
  }
  // Many cells: the notebook grows, not one cell (a key of every defining cell's text, per cell, was quadratic).
  const CELLS = {
    'cells defining a macro': (i) => ({ cell_type: 'markdown', metadata: {}, source: `$\\newcommand{\\a${'b'.repeat(i % 7)}}{x}$ text ${i}` }),
    'answer cells': (i) => ({ cell_type: 'markdown', metadata: {}, source: `**Answer:** more parameters mean more capacity ${i}.` }),
  };
  const M = Math.round(N / 4);
  console.log(`static checks on many cells added to the seed, ${M} and ${10 * M} cells (median of 3)`);
  for (const [name, make] of Object.entries(CELLS)) {
    const timeCells = (n) => {
      const ts = [];
      for (let run = 0; run < 3; run++) {
        const nb = structuredClone(base);
        for (let i = 0; i < n; i++) nb.cells.splice(answer + 1 + (i % 20), 0, make(i * 3 + run));
        const parsed = parseNotebook(JSON.stringify(nb), 'bench.ipynb');
        const t0 = process.hrtime.bigint();
        checkNotebook(parsed, { notRun: { kind: 'off', reason: 'bench' } });
        ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return median(ts);
    };
    const small = timeCells(M);
    const large = timeCells(10 * M);
    const ratio = large / small;
    console.log(`  ${name.padEnd(28)} ${fmt(small).padStart(9)} → ${fmt(large).padStart(9)}   ratio ${ratio.toFixed(1)}  (goal ≤ 12: ${ratio <= 12 ? 'met' : 'NOT met'})`);
  }
  // Memory: the peak resident size of `check --no-run` (a fresh process each) on the seed with 1 MB and with
  // 10 MB of answer text added (cells of 100,000 characters of prose, math and markup), over that of the seed
  // alone. Goal: the growth proportional to the text (ratio ≤ 12).
  const dir = mkdtempSync(join(tmpdir(), 'nbcheck-mem-'));
  const preload = join(dir, 'peak.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write('MAXRSS ' + process.resourceUsage().maxRSS + '\\n'));\n");
  const peak = (megabytes) => {
    const nb = structuredClone(base);
    const filler = 'The learning rate should be halved, since $\\eta_{new} = \\eta / 2$ and `lr` is ![a](b.png) **bold**. ';
    for (let i = 0; i < megabytes * 10; i++) nb.cells.splice(answer + 1, 0, { cell_type: 'markdown', metadata: {}, source: filler.repeat(Math.ceil(100_000 / filler.length)).slice(0, 100_000) });
    const file = join(dir, `mem-${megabytes}.ipynb`);
    writeFileSync(file, JSON.stringify(nb));
    // The CLI as users run it, with a preloaded script that reports the process's peak resident size at exit.
    const r = spawnSync(process.execPath, ['--require', preload, cli, 'check', file, '--no-run', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (!/"findings"/.test(r.stdout)) throw new Error(`check of ${file} printed no report: ${r.stderr.slice(0, 300)}`);
    const kb = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? NaN);
    return kb / 1024;
  };
  const none = peak(0);
  const one = peak(1);
  const ten = peak(10);
  rmSync(dir, { recursive: true, force: true });
  const growth = (ten - none) / (one - none);
  console.log(`peak memory of check --no-run (fresh processes): the seed ${none.toFixed(0)} MB; +1 MB of answers ${one.toFixed(0)} MB; +10 MB ${ten.toFixed(0)} MB   growth ratio ${growth.toFixed(1)}  (goal ≤ 12: ${growth <= 12 ? 'met' : 'NOT met'})`);
}
