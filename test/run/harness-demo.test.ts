/**
 * Demo cells for Q1.3.1: answers that make their own model, inputs and labels to try themselves out, in the
 * styles students write them. Each runs twice — as written, and with the rebinding of the provided names set
 * aside, on the question's inputs — and what is reported is a real bug of the student's code, with evidence.
 * What is stated about PyTorch (errors, shapes, values) was checked with PyTorch 1.13.
 */
import { strict as assert } from 'node:assert';
import type { NotebookReport } from '../../src/core/check';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { REVISED_EXAMPLE, exampleCells, notebookOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

const HEAD = {
  original: 'from torch.nn.functional import log_softmax\nfrom torch import index_select\nimport torch\n# Input:  model, x, y.\n# Output: the loss on the current batch.\n',
  revised: 'from torch.nn.functional import log_softmax\nfrom torch import gather\n# Input:  model, x, y.\n# Output: the loss on the current batch.\n',
};

async function answer(code: string, release: 'original' | 'revised' = 'revised'): Promise<{ report: NotebookReport; code: Finding[]; verdict?: string; summary?: string }> {
  const cells: RawCell[] = release === 'original' ? exampleCells() : exampleCells(REVISED_EXAMPLE);
  const at = release === 'original' ? 10 : 9;
  cells[at] = { ...(cells[at] as RawCell), source: HEAD[release] + code, outputs: [] };
  const report = await checkNotebookAndRun(notebookOf(cells), runtime);
  const part = report.judgement?.parts.find((p) => p.id === '1.3.1');
  return { report, code: report.findings.filter((f) => f.code.startsWith('code.')), verdict: part?.verdict, summary: part?.aspects[0]?.summary };
}

const line = (f: Finding): number => (f.range?.start.line ?? -1) + 1;
const table = (fs: Finding[]): [string, string, number][] => fs.map((f) => [f.code, f.severity, line(f)]);
const find = (fs: Finding[], code: string): Finding => {
  const f = fs.find((x) => x.code === code);
  assert.ok(f, `${code} in ${JSON.stringify(fs.map((x) => x.message), null, 1)}`);
  return f;
};

describe('Q1.3.1 demo cells: run as written and with their own inputs set aside', function () {
  this.timeout(60_000);

  it('labels [B, C], the model called without its input, a sum: each bug with its evidence', async () => {
    const { code, verdict } = await answer('import torch.nn as nn\nB, C = 4, 3\nmodel = nn.Linear(10, C)\nx = torch.randn(B, 10)\ny = torch.randint(0, C, (B, C))\nlogits = model()\nloss = -torch.sum(gather(log_softmax(logits, dim=1), 1, y))\n');
    assert.deepEqual(table(code), [['code.demo', 'info', 7], ['code.demo-inputs', 'warning', 9], ['code.runtime-error', 'error', 10], ['code.numeric-mismatch', 'error', 11]]);
    const [demo, labels, error, wrong] = code as [Finding, Finding, Finding, Finding];
    assert.match(demo.message, /^This cell makes its own `model`, `x`, `y` \(lines 7–9\) to try itself out\. As written, on them \(`model` a Linear, `x` float32 \[4, 10\], `y` int64 \[4, 3\]; one random draw, as the cell sets no seed\), it stops at line 10 \(TypeError, as it does on the question's inputs\)\. nbcheck also ran it with those lines set aside, so that the rest of the cell runs on the question's inputs \(x \[4, 1, 2, 3\], y \[4, 1\], C=3\)/);
    assert.equal(labels.message, "The cell's own labels are not of the question's kind: `y = torch.randint(0, C, (B, C))` (line 9) makes `y` int64 [4, 3], where the question's `y` is int64 [B, 1], one class index per sample. As written (with `model()` read as `model(x)`), `gather(log_softmax(logits, dim=1), 1, y)` (line 11) then takes 3 entries per row with them (a [4, 3] tensor), where the loss takes one per sample, its own label's.");
    assert.equal(error.message, "TypeError: Sequential.forward() missing 1 required positional argument: 'input'. The cell stops here when run on the question's inputs (x [4, 1, 2, 3], y [4, 1], C=3) with its own `model`, `x`, `y` (lines 7–9) set aside, and as written, on its own inputs, too (Linear.forward() missing 1 required positional argument: 'input'). `model()` calls the model without its input: the loss needs its output on `x`, `model(x)`.");
    assert.match(wrong.message, /^With its own `model`, `x`, `y` \(lines 7–9\) set aside and `model\(\)` read as `model\(x\)`, the cell runs, but loss is wrong: on the question's inputs with x \[4, 1, 2, 3\], y \[4, 1\], C=3 \(y = \[1, 0, 2, 0\]\) it is 4\.3526, where the cross-entropy loss is 1\.0882 \(3 of 3 batches differ\)\. It is B times the loss in every batch \(B = 4, 7, 16\): it sums over the batch, where the cross-entropy loss is the mean\.$/);
    assert.equal(verdict, 'flagged');
  });

  it('`logits = model` and soft labels from torch.rand: the dtype, the model itself where its output is meant', async () => {
    const { code } = await answer('import torch.nn as nn\nmodel = nn.Linear(10, 3)\nx = torch.randn(4, 10)\ny = torch.rand(4, 3)\nlogits = model\nloss = -gather(log_softmax(logits, dim=1), 1, y).sum()\n');
    assert.deepEqual(code.map((f) => f.code), ['code.demo', 'code.demo-inputs', 'code.runtime-error', 'code.numeric-mismatch']);
    // PyTorch 1.13: F.log_softmax calls input.log_softmax(dim), so a module gives an AttributeError; gather wants int64.
    assert.equal(find(code, 'code.demo-inputs').message, "The cell's own labels are not of the question's kind: `y = torch.rand(4, 3)` (line 8) makes `y` float32 [4, 3], where the question's `y` is int64 [B, 1], one class index per sample. As written (with `logits = model` read as `logits = model(x)`), with them the cell stops at line 10: RuntimeError: gather(): Expected dtype int64 for index.");
    assert.match(find(code, 'code.runtime-error').message, /^AttributeError: 'Sequential' object has no attribute 'log_softmax'\. .* too \('Linear' object has no attribute 'log_softmax'\)\. `logits = model` \(line 9\) binds the model itself, not its output: call it on its input, `model\(x\)`\.$/);
    assert.match(find(code, 'code.numeric-mismatch').message, /^With its own `model`, `x`, `y` \(lines 6–8\) set aside and `logits = model` read as `logits = model\(x\)`, the cell runs, but loss is wrong: .*B times the loss/);
  });

  it('correct apart from its own inputs: checked on the question\'s inputs, no error or warning (several styles)', async () => {
    const cases: [string, 'original' | 'revised'][] = [
      ['import torch.nn as nn\nB, C = 8, 5\nmodel = nn.Linear(20, C)\nx = torch.randn(B, 20)\ny = torch.randint(0, C, (B, 1))\nlogits = model(x)\nloss = -gather(log_softmax(logits, dim=1), 1, y).mean()\nprint(loss)\n', 'revised'],
      ['import torch.nn as nn\ndef ce_loss(model, x, y):\n    logits = model(x)\n    return -gather(log_softmax(logits, dim=1), 1, y).mean()\nmodel = nn.Linear(20, 5)\nx = torch.randn(8, 20)\ny = torch.randint(0, 5, (8, 1))\nloss = ce_loss(model, x, y)\n', 'revised'],
      ['x, y = torch.randn(3, 1, 2, 3), torch.tensor([[0], [2], [1]])\nloss = -gather(log_softmax(model(x), dim=1), 1, y).mean()\n', 'revised'],
      ['import torch.nn as nn\nmodel = nn.Linear(10, 3)\nx = torch.randn(4, 10)\ny = torch.randint(0, 3, (4,))\nlogits = model(x)\nloss = -index_select(log_softmax(logits, dim=1).view(-1), 0, y + logits.shape[1] * torch.arange(logits.shape[0])).mean()\n', 'original'],
      ['y = torch.tensor([0, 1, 2, 0])\nlogits = model(x)\nloss = -index_select(log_softmax(logits, dim=1), 1, y).diag().mean()\n', 'original'],
    ];
    for (const [body, release] of cases) {
      const { code, verdict, summary } = await answer(body, release);
      assert.deepEqual(code.map((f) => f.code), ['code.demo'], `${body}\n${JSON.stringify(code.map((f) => f.message), null, 1)}`);
      assert.equal(verdict, 'checked', body);
      assert.match(summary ?? '', /^with its own `[^`]+`.* set aside, ran on 3 batches of the question's inputs .*: equals the cross-entropy loss on each$/, body);
    }
  });

  it('as written, the value on its own inputs is PyTorch\'s (a seeded demo: 0.93794 with PyTorch 1.13)', async () => {
    const { code, verdict } = await answer('import torch.nn as nn\ntorch.manual_seed(0)\nmodel = nn.Linear(10, 3)\nx = torch.randn(4, 10)\ny = torch.randint(0, 3, (4, 1))\nloss = -gather(log_softmax(model(x), dim=1), 1, y).mean()\nprint(loss)\n');
    assert.match(find(code, 'code.demo').message, /As written, on them \(`model` a Linear, `x` float32 \[4, 10\], `y` int64 \[4, 1\]\), `loss` = 0\.93794\./);
    assert.equal(verdict, 'checked');
  });

  it('one-hot labels: gather reads their 0s and 1s as class indices; right on the question\'s labels', async () => {
    const { code, verdict } = await answer('import torch.nn as nn\nimport torch.nn.functional as F\nB, C = 8, 5\nmodel = nn.Linear(20, C)\nx = torch.randn(B, 20)\ny = F.one_hot(torch.randint(0, C, (B,)), C)\nlogits = model(x)\nloss = -gather(log_softmax(logits, dim=1), 1, y).mean()\n');
    assert.deepEqual(table(code), [['code.demo', 'info', 8], ['code.demo-inputs', 'warning', 10]]);
    assert.match(find(code, 'code.demo-inputs').message, /makes `y` int64 \[8, 5\], where the question's `y` is int64 \[B, 1\], one class index per sample\. As written, `gather\(log_softmax\(logits, dim=1\), 1, y\)` \(line 12\) then takes 5 entries per row with them \(a \[8, 5\] tensor\), where the loss takes one per sample, its own label's\. Its rows are one-hot vectors, and gather reads each 0 and 1 in them as a class index\.$/);
    assert.equal(verdict, 'flagged');
  });

  it('soft labels `y = torch.rand(B, C)` with a soft cross-entropy: wrong on the question\'s labels, and gather unused', async () => {
    const { code } = await answer('import torch.nn as nn\nmodel = nn.Linear(20, 5)\nx = torch.randn(8, 20)\ny = torch.rand(8, 5)\nlogits = model(x)\nloss = -(y * log_softmax(logits, dim=1)).sum(dim=1).mean()\n');
    assert.deepEqual(code.map((f) => [f.code, f.severity]), [['code.demo', 'info'], ['code.demo-inputs', 'warning'], ['code.numeric-mismatch', 'error'], ['code.required-function-unused', 'warning']]);
    assert.match(find(code, 'code.demo-inputs').message, /makes `y` float32 \[8, 5\], where the question's `y` is int64 \[B, 1\], one class index per sample\.$/);
    assert.match(find(code, 'code.numeric-mismatch').message, /^With its own `model`, `x`, `y` \(lines 6–8\) set aside, loss is wrong: on the question's inputs with x \[4, 1, 2, 3\], y \[4, 1\], C=3/);
  });

  it('the original release: labels [B, C] stop index_select as written; on the question\'s labels, the [B, B] matrix and the sum', async () => {
    const { code } = await answer('import torch.nn as nn\nB, C = 4, 3\nmodel = nn.Linear(10, C)\nx = torch.randn(B, 10)\ny = torch.randint(0, C, (B, C))\nlogits = model(x)\nloss = -torch.sum(index_select(log_softmax(logits, dim=1), 1, y))\n', 'original');
    assert.deepEqual(table(code), [['code.demo', 'info', 8], ['code.demo-inputs', 'warning', 10], ['code.numeric-mismatch', 'error', 12]]);
    assert.match(find(code, 'code.demo-inputs').message, /makes `y` int64 \[4, 3\], where the question's `y` is int64 \[B\], one class index per sample\. As written, with them the cell stops at line 12: IndexError: index_select\(\): Index is supposed to be a vector\.$/);
    const wrong = find(code, 'code.numeric-mismatch').message;
    assert.match(wrong, /^With its own `model`, `x`, `y` \(lines 8–10\) set aside, loss is wrong: .* makes a \[B, B\] matrix \(\[4, 4\] here\).* It also sums over the batch where the loss is the mean/);
  });

  it('labels [B] where the question gives [B, 1]: gather stops as written; right on the question\'s labels', async () => {
    const { code } = await answer('import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(20, 5))\nx = torch.randn(8, 20)\ny = torch.randint(0, 5, (8,))\nlogits = model(x)\nloss = -gather(log_softmax(logits, dim=1), 1, y).mean()\n');
    assert.deepEqual(code.map((f) => f.code), ['code.demo', 'code.demo-inputs']);
    assert.match(find(code, 'code.demo-inputs').message, /As written, with them the cell stops at line 10: RuntimeError: Index tensor must have the same number of dimensions as input tensor\.$/);
  });

  it('its own model and inputs that do not fit each other: the stop as written (a warning), checked on the question\'s inputs', async () => {
    const { code } = await answer('import torch.nn as nn\nmodel = nn.Linear(10, 3)\nx = torch.randn(4, 12)\ny = torch.randint(0, 3, (4, 1))\nlogits = model(x)\nloss = -gather(log_softmax(logits, dim=1), 1, y).mean()\n');
    assert.deepEqual(table(code), [['code.demo', 'info', 6], ['code.demo-inputs', 'warning', 9]]);
    assert.equal(find(code, 'code.demo-inputs').message, "RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x12 and 10x3). As written, on its own inputs (`model` a Linear, `x` float32 [4, 12], `y` int64 [4, 1]), the cell stops here; with them set aside, on the question's inputs, it does not.");
  });

  it('not judged when the rest of the cell reads what the demo made for its inputs (its batch size), saying which line and why', async () => {
    const { code, verdict, summary } = await answer('import torch.nn as nn\nbatch_size = 8\nnum_classes = 5\nmodel = nn.Linear(20, num_classes)\nx = torch.randn(batch_size, 20)\ny = torch.randint(0, num_classes, (batch_size, 1))\nlogits = model(x)\nloss = -gather(log_softmax(logits, dim=1), 1, y).sum() / batch_size\n');
    assert.deepEqual(table(code), [['code.inputs-overwritten', 'info', 8]]);
    assert.equal((code[0] as Finding).message, "Not checked against the reference: the cell assigns its own `model`, `x`, `y`, which the question provides (model, x, y), and nbcheck cannot set them aside to run the rest on the question's inputs: line 12 (`loss = -gather(log_softmax(logits, dim=1), 1, y).sum() / …`) reads `batch_size`, which line 6 (`batch_size = 8`) sets for those inputs and which would not hold for the question's. To have it checked, compute the result from the provided `model`, `x`, `y` (and sizes from them, e.g. `x.shape[0]`, not `batch_size`).");
    assert.equal(verdict, 'not-judged');
    assert.equal(summary, 'runs on inputs of its own');
  });

  it('a size taken from its own inputs after they are set aside is the question\'s: sound, and checked', async () => {
    const { code, verdict } = await answer('import torch.nn as nn\nmodel = nn.Linear(20, 5)\nx = torch.randn(8, 20)\ny = torch.randint(0, 5, (8, 1))\nB = x.shape[0]\nloss = -gather(log_softmax(model(x), dim=1), 1, y).sum() / B\n');
    assert.deepEqual(code.map((f) => f.code), ['code.demo', 'code.extra-operations'], 'the division by B is one more operation than the mean');
    assert.equal(verdict, 'checked');
  });

  it('a demo after the answer: its loss was computed on the question\'s inputs, and is checked there', async () => {
    const { code, verdict } = await answer('import torch.nn as nn\nlogits = model(x)\nloss = -gather(log_softmax(logits, dim=1), 1, y).mean()\nmodel = nn.Linear(6, 3)\nx = torch.randn(3, 6)\ny = torch.tensor([[0], [2], [1]])\nprint(-gather(log_softmax(model(x), dim=1), 1, y).mean())\n');
    assert.deepEqual(table(code), [['code.demo', 'info', 8]]);
    assert.match((code[0] as Finding).message, /^This cell makes its own `model`, `x`, `y` \(lines 8–10\) to try itself out\. As written, on them \(`model` a Linear, `x` float32 \[3, 6\], `y` int64 \[3, 1\]; one random draw, as the cell sets no seed\), it runs to the end, its `loss` computed from the question's inputs before those lines\./);
    assert.equal(verdict, 'checked');
  });

  it('not judged when a line binds a provided name together with another (`logits, y = ...`)', async () => {
    const { code, verdict } = await answer('logits, y = model(x), torch.randint(0, 3, (4, 1))\nloss = -gather(log_softmax(logits, dim=1), 1, y).mean()\n');
    assert.deepEqual(table(code), [['code.inputs-overwritten', 'info', 5]]);
    assert.match((code[0] as Finding).message, /the question provides \(model, x, y\), and nbcheck cannot set them aside: line 5 binds them together with `logits`\. To have it checked/);
    assert.equal(verdict, 'not-judged');
  });

  it('its own inputs beside the question\'s model: what fails as written only on nbcheck\'s stand-in model is not reported', async () => {
    // As written, nbcheck's stand-in model (images [B, 1, 2, 3]) cannot take the cell's x [4, 10]: no real run does that.
    const { code, verdict } = await answer('x = torch.randn(4, 10)\ny = torch.rand(4, 3)\nloss = -gather(log_softmax(model(x), dim=1), 1, y.argmax(dim=1, keepdim=True)).mean()\n');
    // On the question's labels (class indices [B, 1]), y.argmax(dim=1) is 0 for every sample: a real bug.
    assert.deepEqual(table(code), [['code.demo', 'info', 5], ['code.demo-inputs', 'warning', 6], ['code.numeric-mismatch', 'error', 7]]);
    assert.match((code[0] as Finding).message, /^This cell makes its own `x`, `y` \(lines 5–6\) to try itself out\. It also reads the question's `model`, which nbcheck only stands in for, so what it computes as written is not reported\./);
    assert.equal((code[1] as Finding).message, "The cell's own labels are not of the question's kind: `y = torch.rand(4, 3)` (line 6) makes `y` float32 [4, 3], where the question's `y` is int64 [B, 1], one class index per sample.");
    assert.equal(verdict, 'flagged');
  });

  it('mutated demo cells never crash the harness; their findings stay inside the cell', async () => {
    const demo = 'import torch.nn as nn\nB, C = 4, 3\nmodel = nn.Linear(10, C)\nx = torch.randn(B, 10)\ny = torch.randint(0, C, (B, C))\nlogits = model()\nloss = -torch.sum(gather(log_softmax(logits, dim=1), 1, y))\n';
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 24; k++) {
      const at = rand(demo.length);
      const src = k % 3 === 0 ? demo.slice(0, at) + demo.slice(at + 1 + rand(8)) : k % 3 === 1 ? demo.slice(0, at) : demo.replace(/\b(B|C|x|y|model)\b/, ['0', 'y.float()', 'B', 'x'][rand(4)] as string);
      const { report, code } = await answer(src);
      const lines = (HEAD.revised + src).split('\n');
      for (const f of code) {
        assert.equal(f.cell, 9);
        if (f.range) assert.ok(f.range.start.line < lines.length, `${f.message}\n${src}`);
        assert.ok(f.message.length > 10);
      }
      assert.ok(report.findings.length > 0);
    }
  });
});
