/**
 * Untrusted code never crashes or hangs the runner: seeded random mutations of real programs (the op
 * cases and students' answers) end as values or located problems, within the budgets.
 */
import { strict as assert } from 'node:assert';
import { Runtime } from '../../src/core/engine/runtime';
import { exportVariables, problemOf, runProgram } from '../../src/core/run/program';
import { generateCases } from '../engine/cases';
import { Rng } from '../engine/oracle';

const SNIPPETS = ['while True:\n    pass\n', 'x = x', '[', ')', ':', 'lambda', 'torch.ones(100000, 100000)', 'def f(:', '**', 'None', '"', "'''", 'import os', 'class', 'for i in range(10**9): pass\n', 'f(f(f(f(f(f())))))', 'del x', 'yield 1', 'x[...]', '@', 'é', '\t', 'if x:\n', 'return', 'global g', 'torch.zeros(2)[5]', 'len(5)', '1/0', 'x.T.T.T', '.item()', 'nn.Linear(3, 4)(torch.ones(2, 5))'];

function mutate(r: Rng, src: string): string {
  const lines = src.split('\n');
  const i = r.int(0, lines.length - 1);
  switch (r.int(0, 6)) {
    case 0: { // delete a span of characters
      const a = r.int(0, src.length);
      return src.slice(0, a) + src.slice(a + r.int(1, 12));
    }
    case 1: // duplicate a line
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    case 2: // swap two lines
      [lines[i], lines[0]] = [lines[0] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    case 3: { // insert a snippet
      const a = r.int(0, src.length);
      return src.slice(0, a) + r.pick(SNIPPETS) + src.slice(a);
    }
    case 4: // replace a number
      return src.replace(/\d+/, () => String(r.pick([0, -1, 7, 99999, 2 ** 40])));
    case 5: // replace a name
      return src.replace(/\b(sum|mean|dim|reshape|torch|x|y)\b/, () => r.pick(['summ', 'dim', 'torch.nn', 'y', 'None', '0']));
    default: // truncate
      return src.slice(0, r.int(0, src.length));
  }
}

describe('runner robustness', function () {
  this.timeout(120_000);
  const runtime = new Runtime({ device: 'cpu' });
  after(() => runtime.dispose());

  it('400 mutated programs end as values or located problems, each within its budget', async () => {
    const r = new Rng(99);
    const base = generateCases(7).map((c) => c.source);
    const kinds = new Map<string, number>();
    for (let k = 0; k < 400; k++) {
      let src = r.pick(base);
      for (let m = r.int(1, 3); m > 0; m--) src = mutate(r, src);
      if (k % 40 === 0) src = `${r.pick(['while True:\n    pass\n', 'for i in range(10**9):\n    pass\n', 'def f(n):\n    return f(n + 1)\nf(0)\n'])}${src}`;
      const started = Date.now();
      const run = await runProgram(src, { runtime, budgets: { maxSteps: 20_000, maxMillis: 2_000, maxWhileIterations: 1_000 }, maxElements: 1 << 20 });
      if (!run.problem) {
        // Computing what is left bound runs onnxruntime: a failure there is a located problem too.
        try {
          await exportVariables(run);
        } catch (e) {
          const problem = problemOf(e);
          assert.ok(problem.message, String(e));
        }
      }
      const took = Date.now() - started;
      assert.ok(took < 5_000, `took ${took} ms:\n${src}`);
      const p = run.problem;
      kinds.set(p?.kind ?? 'ok', (kinds.get(p?.kind ?? 'ok') ?? 0) + 1);
      if (p?.span) {
        const lines = src.split('\n');
        assert.ok(p.span.start.line < lines.length && p.span.end.line < lines.length, `span inside the program: ${JSON.stringify(p)}\n${src}`);
        assert.ok(p.span.start.character <= (lines[p.span.start.line] ?? '').length, `column inside the line: ${JSON.stringify(p)}`);
      }
      if (p) assert.ok(p.message.length > 0 && !/undefined|\[object Object\]/.test(p.message), `a readable message: ${p.message}`);
    }
    // The mutations reach every outcome.
    for (const kind of ['ok', 'syntax', 'error', 'unsupported', 'budget']) assert.ok((kinds.get(kind) ?? 0) > 0, `${kind}: ${JSON.stringify([...kinds])}`);
  });
});
