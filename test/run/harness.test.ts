/**
 * The Q1.3.1 harness on answers written the ways students write them: what a student or TA sees for
 * each (finding codes, positions, evidence, hints), run for real through onnxruntime.
 */
import { strict as assert } from 'node:assert';
import type { NotebookReport } from '../../src/core/check';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { REVISED_EXAMPLE, exampleCells, md, notebookOf, srcOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

const SEED_CELL = 10;
const REVISED_CELL = 9;
const HEAD_ORIGINAL = 'from torch.nn.functional import log_softmax\nfrom torch import index_select\nimport torch\n# Input:  model, x, y.\n# Output: the loss on the current batch.\n';
const HEAD_REVISED = 'from torch.nn.functional import log_softmax\nfrom torch import gather\n# Input:  model, x, y.\n# Output: the loss on the current batch.\n';

/** The seed example (original release) or the revised sample with the CE cell replaced. */
async function answer(code: string, release: 'original' | 'revised' = 'original'): Promise<{ report: NotebookReport; code: Finding[] }> {
  const cells: RawCell[] = release === 'original' ? exampleCells() : exampleCells(REVISED_EXAMPLE);
  const at = release === 'original' ? SEED_CELL : REVISED_CELL;
  const cell = cells[at] as RawCell;
  assert.equal(cell.cell_type, 'code');
  cells[at] = { ...cell, source: (release === 'original' ? HEAD_ORIGINAL : HEAD_REVISED) + code, outputs: [] };
  const report = await checkNotebookAndRun(notebookOf(cells), runtime);
  return { report, code: report.findings.filter((f) => f.code.startsWith('code.')) };
}

const line = (f: Finding): number => (f.range?.start.line ?? -1) + 1;

describe('Q1.3.1 harness', function () {
  this.timeout(30_000);

  it('the seed cell: the `incices` error at its exact span with the keyword meant, then the [B, B] wrong value', async () => {
    const cells = exampleCells();
    const report = await checkNotebookAndRun(notebookOf(cells), runtime);
    const src = srcOf(cells[SEED_CELL] as RawCell);
    const err = report.findings.find((f) => f.code === 'code.runtime-error');
    assert.ok(err, 'a runtime error');
    assert.equal(err.severity, 'error');
    assert.equal(err.cell, SEED_CELL);
    const lines = src.split('\n');
    const start = err.range?.start ?? { line: -1, character: -1 };
    const end = err.range?.end ?? { line: -1, character: -1 };
    assert.equal(lines[start.line]?.slice(start.character, end.character), 'incices=y', 'the range is the keyword argument');
    assert.match(err.message, /^TypeError: index_select\(\) received an invalid combination of arguments - got \(incices=Tensor, dim=int, input=Tensor, \), but expected one of: \* \(input, dim, index\) — 'incices' is not one of its keywords; did you mean 'index'\? The cell stops here when run on the question's inputs \(x \[4, 1, 2, 3\], y \[4\], C=3\)\.$/);
    const wrong = report.findings.find((f) => f.code === 'code.numeric-mismatch');
    assert.ok(wrong, 'the corrected cell is still wrong');
    assert.equal(wrong.severity, 'error');
    assert.match(wrong.message, /^With `incices=` corrected to `index=`, the cell runs, but loss is wrong/);
    assert.match(wrong.message, /`index_select\(input=y_probs, dim=1, index=y\)` makes a \[B, B\] matrix \(\[4, 4\] here\)/);
    assert.equal(report.run?.device, 'cpu');
  });

  it('with the keyword fixed: a wrong value explained by the [B, B] matrix, with the batch as evidence', async () => {
    const { code } = await answer('logits = model(x)\ny_probs = log_softmax(input=logits, dim=1)\nloss = -1 * torch.sum(index_select(input=y_probs, dim=1, index=y))\n');
    assert.deepEqual(code.map((f) => [f.code, f.severity]), [['code.numeric-mismatch', 'error']]);
    const f = code[0] as Finding;
    assert.equal(line(f), 8);
    assert.match(f.message, /^loss is wrong: on the question's inputs with x \[4, 1, 2, 3\], y \[4\], C=3 \(y = \[[0-2], [0-2], [0-2], [0-2]\]\) it is [\d.]+, where the cross-entropy loss is [\d.]+ \(3 of 3 batches differ\)/);
    assert.match(f.message, /makes a \[B, B\] matrix \(\[4, 4\] here\): index_select along dim 1/);
    // The fix it suggests uses the function this release asks for, never the other release's.
    assert.match(f.message, /Take its diagonal \(`\.diagonal\(\)`\), or pick one entry per row with index_select on the flattened log-probabilities: `index_select\(logp\.view\(-1\), 0, y \+ C \* torch\.arange\(B\)\)`\. It also sums over the batch where the loss is the mean over its B samples: after picking one entry per row, take the mean \(or divide by B\)\.$/);
    assert.doesNotMatch(f.message, /gather/);
  });

  it('the gather release: a [B, B] matrix gets a fix with gather (the function its question asks for)', async () => {
    const { code } = await answer('logits = model(x)\nlogp = log_softmax(logits, dim=1)\nloss = -gather(logp, 1, y.view(1, -1).expand(logits.shape[0], logits.shape[0])).mean()\n', 'revised');
    const f = code.find((x) => x.code === 'code.numeric-mismatch');
    assert.ok(f, JSON.stringify(code.map((x) => x.message)));
    assert.match(f.message, /makes a \[B, B\] matrix .*Pick one entry per row with gather: `gather\(logp, 1, y\)` with y of shape \[B, 1\]\.$/);
    assert.doesNotMatch(f.message, /index_select/);
  });

  it('correct index_select answers get no warning or error', async () => {
    for (const body of [
      'logits = model(x)\nloss = -index_select(log_softmax(logits, dim=1).view(-1), 0, y + logits.shape[1] * torch.arange(logits.shape[0])).mean()\n',
      'logits = model(x)\nlogp = log_softmax(logits, dim=1)\nloss = -index_select(logp, 1, y).diag().mean()\n',
      'def wrapper(model, x, y):\n    logits = model(x)\n    return -torch.diagonal(index_select(log_softmax(logits, 1), 1, y)).mean()\n',
    ]) {
      const { code } = await answer(body);
      assert.deepEqual(code.filter((f) => f.severity !== 'info').map((f) => f.message), [], body);
    }
  });

  it('a correct gather answer (revised release, labels [B, 1]) gets no finding at all', async () => {
    const { report, code } = await answer('logits = model(x)\nloss = -gather(log_softmax(logits, dim=1), 1, y).mean()\n', 'revised');
    assert.equal(report.release?.id, 'revised');
    assert.deepEqual(code, []);
    assert.equal(report.run?.device, 'cpu', 'it ran');
  });

  it('a sum where the mean is meant: the ratio B in every batch', async () => {
    const { code } = await answer('logits = model(x)\nloss = -log_softmax(logits, dim=1).index_select(-1, y).diag().sum()\n');
    const f = code.find((x) => x.code === 'code.numeric-mismatch');
    assert.ok(f);
    assert.match(f.message, /It is B times the loss in every batch \(B = 4, 7, 16\): it sums over the batch/);
    assert.doesNotMatch(f.message, /\[B, B\] matrix/, 'the diagonal was taken: the matrix is not the mistake');
  });

  it('log_softmax over the batch dimension', async () => {
    const { code } = await answer('logits = model(x)\nlogp = log_softmax(logits, dim=0)\nloss = -logp[range(len(y)), y].mean()\n');
    const f = code.find((x) => x.code === 'code.numeric-mismatch');
    assert.ok(f);
    assert.match(f.message, /`log_softmax\(logits, dim=0\)` normalises over dim 0, the batch; the classes are dim 1\./);
    assert.ok(code.some((x) => x.code === 'code.required-function-unused' && /index_select/.test(x.message)));
  });

  it('a non-scalar result', async () => {
    const { code } = await answer('logits = model(x)\nloss = -log_softmax(logits, dim=1).gather(1, y.unsqueeze(1))\n');
    const f = code.find((x) => x.code === 'code.not-scalar');
    assert.ok(f);
    assert.match(f.message, /^loss has shape \[4, 1\] on the question's inputs \(x \[4, 1, 2, 3\], y \[4\], C=3\); the cross-entropy loss is a single number \(a scalar\)\.$/);
  });

  it('the required functions not used (warning), the value still checked', async () => {
    const { code } = await answer('import torch.nn.functional as F\nloss = F.cross_entropy(model(x), y)\n');
    assert.deepEqual(code.map((f) => [f.code, f.severity]), [['code.required-function-unused', 'warning']]);
    assert.match((code[0] as Finding).message, /asks to use `log_softmax` and `index_select`; this answer does not call `log_softmax` or `index_select`/);
  });

  it('more operations than the reference (info)', async () => {
    const { code } = await answer('logits = model(x)\np = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)\nlogp = log_softmax(logits, dim=1)\nloss = -(index_select(logp.view(-1), 0, y + logits.shape[1] * torch.arange(logits.shape[0])) * 1.0 + 0.0).mean()\n');
    const f = code.find((x) => x.code === 'code.extra-operations');
    assert.ok(f, JSON.stringify(code));
    assert.equal(f.severity, 'info');
    assert.match(f.message, /This answer takes \d+ operations after the model \(.*\); it can be done in 5/);
  });

  it('labels of its own, of the question\'s kind: run with them set aside, checked on the question\'s inputs (test/run/harness-demo.test.ts has the rest)', async () => {
    const { code, report } = await answer('y = torch.tensor([0, 1, 2, 0])\nlogits = model(x)\nloss = -index_select(log_softmax(logits, dim=1), 1, y).diag().mean()\n');
    assert.deepEqual(code.map((f) => [f.code, f.severity, line(f)]), [['code.demo', 'info', 6]]);
    // As written it would run on nbcheck's stand-ins for `model` and `x` beside its own `y`: nothing of that is reported.
    assert.equal((code[0] as Finding).message, "This cell makes its own `y` (line 6) to try itself out. It also reads the question's `model`, `x`, which nbcheck only stands in for, so what it computes as written is not reported. nbcheck ran it with those lines set aside, so that the rest of the cell runs on the question's inputs (x [4, 1, 2, 3], y [4], C=3): what it reports about the answer's value comes from that run.");
    const part = report.judgement?.parts.find((p) => p.id === '1.3.1');
    assert.equal(part?.verdict, 'checked');
  });

  it('a provided name rebound inside a function or loop is still not judged (nothing at top level to set aside)', async () => {
    const { code, report } = await answer('for i in range(1):\n    y = torch.tensor([0, 1, 2, 0])\nlogits = model(x)\nloss = -index_select(log_softmax(logits, dim=1), 1, y).diag().mean()\n');
    assert.deepEqual(code.map((f) => [f.code, f.severity, line(f)]), [['code.inputs-overwritten', 'info', 7]]);
    assert.match((code[0] as Finding).message, /^Not checked against the reference: the cell assigns its own `y`, which the question provides \(model, x, y\), so nbcheck cannot run it on the question's inputs\./);
    assert.equal(report.judgement?.parts.find((p) => p.id === '1.3.1')?.aspects[0]?.summary, 'runs on inputs of its own');
  });

  it('an input reshaped from itself is still the grader\'s: compared, no warning; nn.LogSoftmax counts as log_softmax', async () => {
    const { code } = await answer('y = y.view(-1, 1)\nlogits = model(x)\nlogp = torch.nn.LogSoftmax(dim=1)(logits)\nloss = -index_select(logp.view(-1), 0, y.view(-1) + logits.shape[1] * torch.arange(logits.shape[0])).mean()\n');
    assert.deepEqual(code.filter((f) => f.severity !== 'info').map((f) => f.message), []);
    const wrong = await answer('y = y.view(-1, 1)\nlogits = model(x)\nloss = -log_softmax(logits, dim=1).gather(1, y).sum()\n');
    assert.deepEqual(wrong.code.map((f) => f.code), ['code.numeric-mismatch', 'code.required-function-unused']);
  });

  it('imports and helpers from earlier code cells are there, as in the kernel; the rest of those cells is not run', async () => {
    const cells = exampleCells();
    const setupAt = cells.findIndex((c, i) => i < SEED_CELL && c.cell_type === 'code');
    const setup: RawCell = { cell_type: 'code', source: 'import torch as T\nimport numpy as np\nfrom torch.nn.functional import log_softmax as lsm\ndef pick(logp, y):\n    return logp[range(len(y)), y]\nwhile True:\n    pass\n', metadata: {}, outputs: [] };
    if (setupAt >= 0) cells[setupAt] = setup;
    else cells.splice(1, 0, setup);
    const at = cells.findIndex((c) => c.cell_type === 'code' && /index_select/.test(srcOf(c)));
    cells[at] = { ...(cells[at] as RawCell), source: HEAD_ORIGINAL.replace('import torch\n', '') + 'loss = -T.mean(pick(lsm(model(x), dim=1), y))\n', outputs: [] };
    const report = await checkNotebookAndRun(notebookOf(cells), runtime);
    const code = report.findings.filter((f) => f.code.startsWith('code.'));
    assert.deepEqual(code.map((f) => f.code), ['code.required-function-unused'], JSON.stringify(code));
  });

  it('a function taking (logits, labels) is called with model(x) and y', async () => {
    const { code } = await answer('def compute(logits, labels):\n    return -gather(log_softmax(logits, dim=1), 1, labels.view(-1, 1)).mean()\n', 'revised');
    assert.deepEqual(code, []);
    const wrong = await answer('def compute(logits, labels):\n    return -gather(log_softmax(logits, dim=1), 1, labels.view(-1, 1)).sum()\n', 'revised');
    const f = wrong.code.find((x) => x.code === 'code.numeric-mismatch');
    assert.match(f?.message ?? '', /^compute\(logits, labels\) is wrong: on the question's inputs with x \[4, 1, 2, 3\], y \[4, 1\], C=3/);
  });

  it('syntax errors at their range; unsupported code is "not checked automatically"; runaway loops are stopped', async () => {
    const syntax = await answer('logits = model(x)\nloss = -(log_softmax(logits, dim=1)\n');
    const s = syntax.code.find((f) => f.code === 'code.syntax-error');
    assert.ok(s);
    assert.equal(s.severity, 'error');
    assert.ok(line(s) >= 6, 'in the student\'s lines');

    const unsupported = await answer('try:\n    loss = model(x).sum()\nexcept Exception:\n    pass\n');
    assert.deepEqual(unsupported.code.map((f) => [f.code, f.severity, line(f)]), [['code.unsupported', 'info', 6]]);
    assert.match((unsupported.code[0] as Finding).message, /^Not checked automatically: 'try' is not supported/);

    const started = Date.now();
    const loop = await answer('i = 0\nwhile True:\n    i += 1\nloss = model(x).sum()\n');
    assert.ok(Date.now() - started < 10_000, 'stopped quickly');
    const b = loop.code.find((f) => f.code === 'code.budget');
    assert.ok(b);
    assert.match(b.message, /^Stopped a while loop after 10\^4 iterations at line 7, running on the question's inputs \(x \[4, 1, 2, 3\], y \[4\], C=3\)\.$/);
  });

  it('mutated answers never crash the harness; its findings stay inside the cell', async () => {
    const answers = [
      'logits = model(x)\ny_probs = log_softmax(input=logits, dim=1)\nloss = -1 * torch.sum(index_select(input=y_probs, dim=1, incices=y))\n',
      'def wrapper(model, x, y):\n    logits = model(x)\n    return -torch.diagonal(index_select(log_softmax(logits, 1), 1, y)).mean()\n',
    ];
    let seed = 1;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 30; k++) {
      let src = answers[k % answers.length] as string;
      const at = rand(src.length);
      src = k % 3 === 0 ? src.slice(0, at) + src.slice(at + 1 + rand(8)) : k % 3 === 1 ? src.slice(0, at) : src.replace(/\b(y|x|dim|1)\b/, ['0', 'y.float()', 'dim', 'x'][rand(4)] as string);
      const { report, code } = await answer(src);
      const lines = (HEAD_ORIGINAL + src).split('\n');
      for (const f of code) {
        assert.equal(f.cell, SEED_CELL);
        if (f.range) assert.ok(f.range.start.line < lines.length, `${f.message}\n${src}`);
        assert.ok(f.message.length > 10);
      }
      assert.ok(report.findings.length > 0);
    }
  });

  it('a huge intermediate is stopped by the element budget, not the machine', async () => {
    const { code } = await answer('logits = model(x)\nbig = torch.ones(100000, 100000)\nloss = big.sum()\n');
    const b = code.find((f) => f.code === 'code.budget');
    assert.ok(b);
    assert.match(b.message, /a tensor of shape \[100000, 100000\] .* exceeds the limit/);
  });
});

describe('Q1.3.2: the node count traced from the answer\'s code', function () {
  this.timeout(30_000);
  const count = (r: NotebookReport): Finding | undefined => r.findings.find((f) => f.code === 'graph.node-count');

  it('the seed: 7 nodes traced (inputs, the model, four operations) next to the answer\'s 7, on the number it states', async () => {
    const cells = exampleCells();
    const report = await checkNotebookAndRun(notebookOf(cells), runtime);
    const f = count(report);
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.equal(f.question, '1.3.2');
    const src = srcOf(cells[f.cell as number] as RawCell).split('\n')[f.range?.start.line ?? -1] ?? '';
    assert.equal(src.slice(f.range?.start.character, f.range?.end.character), '7 nodes');
    assert.match(f.message, /^The graph traced from the answer's code \(with `incices=` corrected to `index=`\) has 7 nodes — counting `x` and `y` as inputs, the model as one black-box node, and one node per operation after it \(log_softmax, index_select, sum, mul\); constants are not counted\. This matches the answer's 7\.$/);
  });

  it('a different count is stated next to the traced one, as information (conventions differ)', async () => {
    const cells = exampleCells();
    cells[12] = md(srcOf(cells[12] as RawCell).replace('7 nodes', 'five nodes'));
    cells[SEED_CELL] = { ...(cells[SEED_CELL] as RawCell), source: `${HEAD_ORIGINAL}logits = model(x)\nloss = -log_softmax(logits, dim=1).gather(1, y.view(-1, 1)).mean()\n`, outputs: [] };
    const f = count(await checkNotebookAndRun(notebookOf(cells), runtime));
    assert.ok(f);
    assert.equal(f.severity, 'info');
    assert.match(f.message, /has 7 nodes — .*\(log_softmax, gather, mean, neg\).* The answer says 5; another convention/);
  });
});
