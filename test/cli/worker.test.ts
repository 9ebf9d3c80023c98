/**
 * Student code runs in a worker process (src/core/worker): hostile programs — allocations without bound, one
 * native call past every budget, deep nesting, self-referencing values — end as a finding at their line, through
 * the built CLI, and the CLI itself lives on (exit 1 with the JSON error, never a V8 fatal error, a stack trace or
 * a hang). The pool's own ways of stopping a worker (heap cap, wall-clock kill, a crash) are each seen for real.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../../src/core/worker/pool';
import { CLI, ROOT } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'nbcheck-worker-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI; a hang past `timeout` fails the test (a guard, not a speed goal). */
function cli(args: string[], timeout = 90_000): { code: number | null; signal: string | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

function exec(source: string, ...args: string[]): ReturnType<typeof cli> & { json: { error?: { message: string; line?: number } } } {
  const file = join(dir, `p${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, source);
  const r = cli(['exec', file, ...args]);
  let json = {};
  try {
    json = JSON.parse(r.out) as object;
  } catch {
    // not JSON: the assertions below say so
  }
  return { ...r, json };
}

/** Each program, the line it must stop at (1-based), and what the message must say. */
const HOSTILE: [string, string, number, RegExp][] = [
  ['a list doubled in a loop', 'a = [0]\nwhile True:\n    a = a + a\n', 3, /list would hold .* items/],
  ['a list doubled in place', 'a = [0]\nfor _ in range(40):\n    a += a\n', 3, /list would hold .* items/],
  ['[0] * 10**9', 'a = [0] * 10**9\n', 1, /10\^9 items/],
  ['a comprehension over a huge range', 'a = [i for i in range(10**9)]\n', 1, /stopped after 10\^6 steps/],
  ['list(range(10**9))', 'a = list(range(10**9))\n', 1, /10\^9 items/],
  ['math.comb of large numbers', 'import math\na = math.comb(10**6, 5 * 10**5)\n', 2, /integer would have 301,0\d\d digits/],
  ['math.factorial of a large number', 'import math\na = math.factorial(10**6)\n', 2, /integer would have/],
  ['10**10**8', 'a = 10**10**8\n', 1, /integer would have .* digits/],
  ['an integer squared in a loop', 'x = 3\nfor i in range(30):\n    x = x * x\n', 3, /integer would have/],
  ['a string doubled', 's = "ab"\nfor i in range(100):\n    s = s + s\n', 3, /string would be .* characters/],
  ['a self-referencing string concatenation', 's = "x"\nwhile True:\n    s += s\n', 3, /string would be .* characters/],
  ['a huge format width', 's = "{:>1000000000}".format(1)\n', 1, /string would be 10\^9 characters/],
  ['a huge nested format width', 'w = 10**9\ns = f"{1:{w}}"\n', 2, /string would be 10\^9 characters/],
  ['a huge join', 's = ",".join(["x" * 1000] * 200000)\n', 1, /string would be/],
  ['10,000 nested parentheses', `a = ${'('.repeat(10000)}1${')'.repeat(10000)}\n`, 1, /too many nested parentheses/],
  ['100,000 chained additions', `a = 1${'+1'.repeat(100000)}\n`, 1, /nests more than 1000 levels/],
  ['an infinite loop', 'while True:\n    pass\n', 1, /stopped a while loop/],
  ['infinite recursion', 'def f(n):\n    return f(n + 1)\nf(0)\n', 2, /call depth/],
  ['a tensor too large', 'import torch\nt = torch.ones(50000, 50000)\n', 2, /exceeds the limit/],
];

describe('hostile programs through `nbcheck exec` end as a finding at their line, the CLI alive', function () {
  this.timeout(120_000);
  for (const [name, source, line, message] of HOSTILE) {
    it(name, () => {
      const r = exec(source);
      assert.equal(r.signal, null, `the CLI was killed (${r.signal})`);
      assert.equal(r.code, 1, `exit ${r.code}: ${r.err.slice(-400)}`);
      assert.match(r.json.error?.message ?? '', message, r.out);
      assert.equal(r.json.error?.line, line, r.out);
      // Nothing of V8's or Node's own reporting reaches the user.
      assert.doesNotMatch(r.err, /Fatal|Native stack trace|\n\s+at |PromiseRejectCallback|internal error/, r.err);
    });
  }

  it('a self-referencing list prints as Python prints it, [[...]]', () => {
    const r = exec('a = []\na.append(a)\nprint(a)\nb = {}\nb["k"] = b\nprint(b)\n');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /^\[\[\.\.\.\]\]\n\{'k': \{\.\.\.\}\}\n/m);
  });

  it('a loop over range(10**9) that breaks early runs as in Python', () => {
    const r = exec('n = 0\nfor i in range(10**9):\n    n += i\n    if i == 10:\n        break\n');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /"data": \[\s*55\s*\]/);
  });

  it('a list appended to while it is looped over is read live, as Python does', () => {
    const r = exec('a = [1, 2]\nn = 0\nfor x in a:\n    n += 1\n    if len(a) < 5:\n        a.append(x)\n');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /"n": \{[^}]*"data": \[\s*5\s*\]/);
  });

  it('past its memory limit, a program is stopped by the worker\'s heap cap, as a finding with its line', () => {
    const r = exec('a = [[i] * 500 for i in range(300000)]\n', '--memory-limit', '64');
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.json.error?.message ?? '', /used more than 64 MiB of memory/);
    assert.equal(r.json.error?.line, 1);
  });

  it('the CLI itself stays small: with its own heap capped at 160 MiB it runs a program that holds ~600 MB in the worker', () => {
    const file = join(dir, 'big.py');
    writeFileSync(file, 'rows = [[i] * 10000 for i in range(8000)]\ntotal = 0\nfor r in rows[:10]:\n    total += len(r)\n');
    const r = spawnSync(process.execPath, ['--max-old-space-size=160', CLI, 'exec', file], { encoding: 'utf8', timeout: 90_000 });
    assert.equal(r.status, 0, r.stderr.slice(-400));
    assert.match(r.stdout, /"total": \{[^}]*"data": \[\s*100000\s*\]/);
  });

  it('`--memory-limit` takes a size in MiB, with a clear message otherwise', () => {
    const r = cli(['exec', 'x.py', '--memory-limit', 'lots']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--memory-limit takes a size in MiB from 64 to 65536, not "lots"/);
  });
});

describe('the worker pool: every way a worker ends is a stop with its reason, and the next run gets a fresh worker', function () {
  this.timeout(120_000);

  it('one native call past the time budget: killed at the budget plus a second, with the line', async () => {
    const pool = new WorkerPool({ setup: { device: 'cpu', budgets: { maxMillis: 500 } } });
    try {
      const r = await pool.run({ kind: 'exec', source: 'import torch\na = torch.ones(2500, 2500)\nb = a @ a @ a @ a @ a @ a\nprint(b.sum().item())\n' });
      assert.ok(!r.ok && r.stop.reason === 'time', JSON.stringify(r));
      assert.equal(r.stop.line, 3);
      const next = await pool.run({ kind: 'exec', source: 'y = 2 + 3\n' });
      assert.ok(next.ok && next.value.variables?.['y']?.data[0] === 5, JSON.stringify(next));
      assert.equal(pool.started, 2);
    } finally {
      await pool.dispose();
    }
  });

  it('a worker that dies of a signal (as a segfault in native code would) is a crash, said to be nbcheck\'s', async () => {
    const pool = new WorkerPool({ setup: { device: 'cpu' } });
    try {
      // A long native call (a chain of 300 matrix products, a minute or more on any CPU: 7 took under 1.5 s on a
      // fast one and ended before the signal) is running when the worker, found by its pid, gets the signal.
      const running = pool.run({ kind: 'exec', source: 'import torch\na = torch.ones(2500, 2500)\nfor _ in range(300):\n    a = a @ a / 2500\nprint(a.sum().item())\n' });
      await new Promise((r) => setTimeout(r, 1500));
      const pid = (pool as unknown as { slots: { child?: { pid?: number } }[] }).slots[0]?.child?.pid;
      assert.ok(pid, 'a worker is running');
      process.kill(pid, 'SIGSEGV');
      const r = await running;
      assert.ok(!r.ok && r.stop.reason === 'crash', JSON.stringify(r));
      assert.match(r.stop.message, /crashed \(signal SIGSEGV\).*nbcheck's failure/);
      const next = await pool.run({ kind: 'exec', source: 'y = 1\n' });
      assert.ok(next.ok, JSON.stringify(next));
    } finally {
      await pool.dispose();
    }
  });
});

describe('`nbcheck check` with a hostile answer cell: a finding at that cell, every other check reported', function () {
  this.timeout(180_000);

  it('an answer that exhausts the worker\'s memory is a warning on its cell and question; the report is whole', () => {
    const nb = JSON.parse(readFileSync(join(ROOT, 'examples', 'seed-final-project-theory.ipynb'), 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
    const cell = nb.cells.findIndex((c) => c.cell_type === 'code' && [c.source].flat().join('').includes('log_softmax'));
    assert.ok(cell >= 0);
    (nb.cells[cell] as { source: string }).source = 'import torch\nhold = [[i] * 500 for i in range(300000)]\nloss = hold\n';
    const file = join(dir, 'hostile.ipynb');
    writeFileSync(file, JSON.stringify(nb));
    const r = cli(['check', file, '--format', 'json', '--memory-limit', '64']);
    assert.equal(r.signal, null);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-400)}`);
    const report = JSON.parse(r.out) as { notebooks: { findings: { code: string; cell?: number; question?: string; message: string }[]; questions: unknown[] }[] };
    const findings = report.notebooks[0]?.findings ?? [];
    const stop = findings.find((f) => f.code === 'code.budget');
    assert.ok(stop, JSON.stringify(findings.map((f) => f.code)));
    assert.equal(stop.cell, cell);
    assert.equal(stop.question, '1.3.1');
    assert.match(stop.message, /used more than 64 MiB of memory/);
    // The static checks are all there (the seed's math and prose findings).
    assert.ok(findings.some((f) => f.code.startsWith('math.') || f.code.startsWith('prose.')), JSON.stringify(findings.map((f) => f.code)));
    assert.doesNotMatch(r.err, /Fatal|Native stack trace|\n\s+at /);
  });
});
