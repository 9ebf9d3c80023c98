/**
 * The Question 2 harness: training loops written the ways students write them, run on the pack's two-task
 * model and watched step by step. A correct loop gets no warning or error (written several ways); each
 * mistake is reported at its line with the step's evidence. Run for real through onnxruntime.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { CORPUS, HAVE_CORPUS, code, exampleCells, notebookOf, type RawCell } from '../helpers';
import { parseNotebook } from '../../src/core/notebook/reader';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

/** The seed example with Question 2 answered by these code cells (after its prompt, cell 19). */
async function q2(...sources: string[]): Promise<{ findings: Finding[]; cells: number[] }> {
  const cells: RawCell[] = exampleCells();
  cells.splice(20, 0, ...sources.map((s) => code(s)));
  const report = await checkNotebookAndRun(notebookOf(cells), runtime);
  // The harness's findings (the verdicts' notes about the explanation are not its).
  return { findings: report.findings.filter((f) => f.question === '2' && !f.code.startsWith('answer.')), cells: sources.map((_, i) => 20 + i) };
}

const problems = (fs: Finding[]): Finding[] => fs.filter((f) => f.severity !== 'info');
const line = (f: Finding): number => (f.range?.start.line ?? -1) + 1;
const summary = (fs: Finding[]): string[] => fs.map((f) => `${f.code}@${line(f)}`);

const HEAD = 'import torch\nimport random\n';
/** A loop body choosing between the task losses the way the question says (one task at random, else both). */
const CHOICE = [
  '        if torch.dot(g1, g2) < 0:',
  '            chosen = loss_1 if random.random() < 0.5 else loss_2',
  '        else:',
  '            chosen = loss_1 + loss_2',
].join('\n');

const retainLoop = (zero = true, stepFirst = false): string =>
  HEAD +
  [
    'for epoch in range(num_epochs):',
    '    for batch in data_loader:',
    zero ? '        optimizer.zero_grad()' : '        pass',
    '        loss_1 = forward_and_compute_loss_1(model, batch)',
    '        loss_1.backward(retain_graph=True)',
    '        g1 = torch.cat([p.grad.clone().view(-1) for p in model.parameters()])',
    zero ? '        optimizer.zero_grad()' : '        pass',
    '        loss_2 = forward_and_compute_loss_2(model, batch)',
    '        loss_2.backward(retain_graph=True)',
    '        g2 = torch.cat([p.grad.clone().view(-1) for p in model.parameters()])',
    CHOICE,
    zero ? '        optimizer.zero_grad()' : '        pass',
    stepFirst ? '        optimizer.step()\n        chosen.backward()' : '        chosen.backward()\n        optimizer.step()',
  ].join('\n') +
  '\n';

describe('Question 2 harness: correct loops', function () {
  this.timeout(60_000);

  it('backward with retain_graph, .grad read and re-zeroed: no warning or error', async () => {
    const { findings } = await q2(retainLoop());
    assert.deepEqual(summary(problems(findings)), []);
  });

  it('torch.autograd.grad without allow_unused (every parameter feeds both losses), .grad set by hand: no warning or error', async () => {
    const { findings } = await q2(manualLoop('            p.grad = gp\n        optimizer.step()'));
    assert.deepEqual(summary(problems(findings)), []);
  });

  it('autograd.grad with allow_unused=True, as a function of its own called with the harness\'s objects: no warning or error (and the same function with the test inverted is caught)', async () => {
    const { findings } = await q2(TRAIN_FN);
    assert.deepEqual(summary(problems(findings)), []);
    const inverted = await q2(TRAIN_FN.replace('if flat1 @ flat2 < 0:', 'if flat1 @ flat2 >= 0:'));
    // Its own Model() starts elsewhere than the harness's model: which kinds of step it meets varies.
    const errors = problems(inverted.findings);
    assert.ok(errors.length >= 1);
    for (const f of errors) assert.match(`${f.code}@${line(f)}`, /^training\.(sign-inverted|wrong-branch)@20$/);
  });
});

const TRAIN_FN =
      HEAD +
        [
          'def train(Model, num_epochs, data_loader, forward_and_compute_loss_1, forward_and_compute_loss_2):',
          '    model = Model()',
          '    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
          '    params = list(model.parameters())',
          '    for epoch in range(num_epochs):',
          '        for batch in data_loader:',
          "            l1 = forward_and_compute_loss_1(model, batch['inputs'])",
          "            l2 = forward_and_compute_loss_2(model, batch['inputs'])",
          '            g1 = torch.autograd.grad(l1, params, retain_graph=True, allow_unused=True)',
          '            g2 = torch.autograd.grad(l2, params, retain_graph=True, allow_unused=True)',
          '            flat1 = torch.cat([g.flatten() for g in g1])',
          '            flat2 = torch.cat([g.flatten() for g in g2])',
          '            optimizer.zero_grad()',
          '            if flat1 @ flat2 < 0:',
          '                (l1 if random.random() < 0.5 else l2).backward()',
          '            else:',
          '                (l1 + l2).backward()',
          '            optimizer.step()',
        ].join('\n');

describe('Question 2 harness: mistakes, each at its line with evidence', function () {
  this.timeout(60_000);

  it('a second backward without retain_graph: PyTorch\'s error at the line, naming the backward passes that freed the graph', async () => {
    const src = retainLoop().replace(/backward\(retain_graph=True\)/g, 'backward()');
    const { findings } = await q2(src);
    const freed = findings.filter((f) => f.code === 'training.graph-freed');
    assert.equal(freed.length, 1, summary(findings).join(', '));
    const f = freed[0] as Finding;
    assert.equal(f.severity, 'error');
    assert.equal(src.split('\n')[line(f) - 1]?.trim(), 'chosen.backward()');
    assert.match(f.message, /^RuntimeError: Trying to backward through the graph a second time: `loss_(1|2)\.backward\(\)` at line (7|11)( and `loss_2\.backward\(\)` at line 11)? already freed/);
    // Once the graph is kept the loop is right: nothing else is reported.
    assert.deepEqual(summary(problems(findings)), [`training.graph-freed@${line(f)}`]);
  });

  it('optimizer.step() before backward(): the zero-gradient step at its line, and PyTorch\'s in-place error at the backward after it', async () => {
    const src = retainLoop(true, true);
    const { findings } = await q2(src);
    const early = findings.find((f) => f.code === 'training.step-before-backward');
    assert.ok(early, summary(findings).join(', '));
    assert.equal(src.split('\n')[line(early) - 1]?.trim(), 'optimizer.step()');
    assert.equal(early.severity, 'error');
    assert.match(early.message, /every gradient is zero here, so this step applies nothing .*The backward pass comes after it: `chosen\.backward\(\)` at line 19\./);
    const inplace = findings.find((f) => f.code === 'code.runtime-error');
    assert.ok(inplace);
    assert.equal(line(inplace), 19);
    assert.match(inplace.message, /^RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation: .* `optimizer\.step\(\)` at line 18 changed the parameters in place after the graph was computed\.$/);
  });

  it('gradients never zeroed: the step applies the sum of every backward pass, with their lines', async () => {
    const src = retainLoop(false);
    const { findings } = await q2(src);
    const f = findings.find((x) => x.code === 'training.grad-not-zeroed');
    assert.ok(f, summary(findings).join(', '));
    assert.equal(f.severity, 'error');
    assert.equal(src.split('\n')[line(f) - 1]?.trim(), 'optimizer.step()');
    assert.match(f.message, /this step applies the sum of `loss_1\.backward\(retain_graph=True\)` at line 7 and `loss_2\.backward\(retain_graph=True\)` at line 11 and `chosen\.backward\(\)` at line 18/);
    assert.match(f.message, /Here g1·g2 = -?[0-9.e-]+ [<≥] 0/);
  });

  it('the dot product per parameter: the choice made per parameter, with the parameter and its own dot product', async () => {
    const src =
      HEAD +
      [
        'params = list(model.parameters())',
        'for epoch in range(num_epochs):',
        '    for batch in data_loader:',
        '        l1 = forward_and_compute_loss_1(model, batch)',
        '        l2 = forward_and_compute_loss_2(model, batch)',
        '        g1 = torch.autograd.grad(l1, params, retain_graph=True)',
        '        g2 = torch.autograd.grad(l2, params)',
        '        for p, a, b in zip(params, g1, g2):',
        '            if (a * b).sum() < 0:',
        '                p.grad = a',
        '            else:',
        '                p.grad = a + b',
        '        optimizer.step()',
      ].join('\n');
    const { findings } = await q2(src);
    assert.deepEqual(summary(problems(findings)), ['training.per-parameter@15'], findings.map((f) => f.message).join('\n'));
    assert.match((findings[0] as Finding).message, /^The choice is made per parameter instead of once for the whole model: at step \d+ .*Parameter \d \(shape \[\d(, \d)?\]\) got .* — its own dot product is -?[0-9.e-]+\.$/);
  });

  it('the sign test inverted: one conflicting and one agreeing step as evidence', async () => {
    const src = retainLoop().replace('if torch.dot(g1, g2) < 0:', 'if torch.dot(g1, g2) > 0:');
    const { findings } = await q2(src);
    assert.deepEqual(summary(problems(findings)), ['training.sign-inverted@19']);
    assert.match((findings[0] as Finding).message, /^The test of g1·g2 is inverted: at step \d+ \(batch \d of the loader\) g1·g2 = -[0-9.e-]+ < 0 and the step applies g1 \+ g2; at step \d+ \(batch \d of the loader\) g1·g2 = [0-9.e-]+ ≥ 0 and it applies only task [12]'s gradient g[12]\./);
  });

  it('always both tasks: the conflicting steps are reported', async () => {
    const src = retainLoop().replace('if torch.dot(g1, g2) < 0:', 'if False:');
    const { findings } = await q2(src);
    assert.deepEqual([...new Set(summary(problems(findings)))], ['training.wrong-branch@19']);
    assert.match((findings[0] as Finding).message, /g1·g2 = -[0-9.e-]+ < 0, so one task's gradient \(g1 or g2\) should be applied, but this step applies g1 \+ g2\.$/);
  });

  it('the mean of the losses instead of their sum: a warning on the agreeing steps, with the factor', async () => {
    const { findings } = await q2(retainLoop().replace('chosen = loss_1 + loss_2', 'chosen = (loss_1 + loss_2) / 2'));
    assert.deepEqual([...new Set(summary(problems(findings)))], ['training.scaled-update@19']);
    assert.equal((findings[0] as Finding).severity, 'warning');
    assert.match((findings[0] as Finding).message, /this step applies 0\.5 × \(g1 \+ g2\): the direction the rule picks \(g1·g2 = [0-9.e-]+ ≥ 0, so g1 \+ g2 should be applied\), scaled\./);
  });

  it('no optimizer step: reported as an error', async () => {
    const { findings } = await q2(retainLoop().replace('        optimizer.step()', '        pass'));
    assert.deepEqual(summary(problems(findings)).map((s) => s.split('@')[0]), ['training.no-step']);
  });

  it('a loop reading names nobody defines is not run, and says which (info only)', async () => {
    const { findings } = await q2(HEAD + 'for epoch in range(num_epochs):\n    loss1 = forward_and_compute_loss_1(model, inputs1, targets1)\n');
    assert.deepEqual(summary(findings).map((s) => s.split('@')[0]), ['training.not-run']);
    assert.equal((findings[0] as Finding).severity, 'info');
    assert.match((findings[0] as Finding).message, /it reads `inputs1`, which neither the question nor nbcheck's harness defines/);
  });
});

describe('Question 2 harness on the corpus', function () {
  this.timeout(120_000);
  before(function () {
    if (!HAVE_CORPUS) this.skip();
  });
  const run = async (file: string): Promise<{ findings: Finding[]; source: (cell: number) => string[] }> => {
    const path = join(CORPUS, 'spring2023-theory', file);
    const nb = parseNotebook(readFileSync(path, 'utf8'), path);
    const report = await checkNotebookAndRun(nb, runtime);
    return { findings: report.findings.filter((f) => f.question === '2'), source: (c) => (nb.cells[c]?.source ?? '').split('\n') };
  };

  it('the seed student\'s final version: step() before backward() and the second backward, each at its line', async () => {
    const { findings, source } = await run('Almogbs__final__Part2_TheoreticalQuestions.ipynb');
    const early = findings.find((f) => f.code === 'training.step-before-backward');
    const freed = findings.find((f) => f.code === 'training.graph-freed');
    assert.ok(early && freed, summary(findings).join(', '));
    assert.equal(source(early.cell as number)[line(early) - 1]?.trim(), 'optimizer.step()');
    assert.equal(line(early), 35);
    assert.equal(source(freed.cell as number)[line(freed) - 1]?.trim(), 'final_loss.backward()');
    assert.match(freed.message, /`loss_[12]\.backward\(\)` at line (14|19)/);
  });

  it('a loop that backpropagates each task without retain_graph: the second backward in each branch taken', async () => {
    const { findings, source } = await run('oreo-hippiepham1__cs236781-prj__Part2_TheoreticalQuestions.ipynb');
    const errors = problems(findings);
    assert.ok(errors.length >= 1);
    for (const f of errors) {
      assert.equal(f.code, 'training.graph-freed');
      assert.match(source(f.cell as number)[line(f) - 1] ?? '', /\.backward\(\)/);
    }
  });
});

/** A loop that updates the parameters by hand (no optimizer.step()), the task gradients taken with autograd.grad. */
const manualLoop = (update: string, opts: { invert?: boolean; lr?: string } = {}): string =>
  HEAD +
  (opts.lr ? `${opts.lr}\n` : '') +
  [
    'params = list(model.parameters())',
    'for epoch in range(num_epochs):',
    '    for inputs, targets in data_loader:',
    '        l1 = forward_and_compute_loss_1(model, inputs)',
    '        l2 = forward_and_compute_loss_2(model, inputs)',
    '        g1 = torch.autograd.grad(l1, params, retain_graph=True)',
    '        g2 = torch.autograd.grad(l2, params)',
    '        dot = sum((a * b).sum() for a, b in zip(g1, g2))',
    `        if dot ${opts.invert ? '>=' : '<'} 0:`,
    '            g = g1 if random.random() < 0.5 else g2',
    '        else:',
    '            g = [a + b for a, b in zip(g1, g2)]',
    '        for p, gp in zip(params, g):',
    update,
  ].join('\n') +
  '\n';

describe('Question 2 harness: parameters updated by hand, judged by what the update does', function () {
  this.timeout(60_000);

  it('p.data -= lr * g with the rule: no warning or error', async () => {
    const { findings } = await q2(manualLoop('            p.data -= lr * gp'));
    assert.deepEqual(summary(problems(findings)), []);
  });

  it('under torch.no_grad(), with a learning rate nbcheck cannot read (a literal): judged by its direction, no warning or error', async () => {
    const { findings } = await q2(manualLoop('            with torch.no_grad():\n                p -= 0.05 * gp'));
    assert.deepEqual(summary(problems(findings)), []);
  });

  it('the same update with the test inverted: the sign-inverted error at the update', async () => {
    const { findings } = await q2(manualLoop('            p.data -= lr * gp', { invert: true }));
    const codes = summary(problems(findings));
    assert.ok(codes.some((c) => /^training\.(sign-inverted|wrong-branch)@/.test(c)), codes.join(', '));
    const f = problems(findings).find((x) => x.code === 'training.sign-inverted' || x.code === 'training.wrong-branch') as Finding;
    assert.match(f.message, /g1·g2 = /);
  });

  it('p.grad set from the rule and p.data -= lr * p.grad, .grad zeroed through .data: no warning or error', async () => {
    const { findings } = await q2(manualLoop('            p.grad = gp.clone()\n            p.data -= lr * p.grad\n            p.grad.data.zero_()'));
    assert.deepEqual(summary(problems(findings)), []);
  });

  it('a manual update of half the rule with the learning rate known: the scaled-update warning', async () => {
    const { findings } = await q2(manualLoop('            p.data -= lr * 0.5 * gp'));
    assert.deepEqual(summary(problems(findings)).map((c) => c.split('@')[0]), ['training.scaled-update']);
  });
});
