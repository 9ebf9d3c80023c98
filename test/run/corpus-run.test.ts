/**
 * The exercise harness on the real students' notebooks of this exam (../shared/corpus, when present):
 * every code finding, read by hand and defended in the comments.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import { readNotebook } from '../../src/core/notebook/reader';
import { CORPUS, HAVE_CORPUS } from '../helpers';

const dir = join(CORPUS, 'spring2023-theory');
const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

/** [code, severity, cell, 1-based line] of each code.* and training.* finding, and whether anything ran. */
const EXPECTED: Record<string, { findings: [string, string, number, number][]; ran: boolean; messages?: RegExp[] }> = {
  // The seed: `incices=` is not a keyword of index_select (the cell cannot run); with `index=` it sums a
  // [B, B] matrix of every sample's log-probability of every label. The cause comes first.
  'Almogbs__draft__Part2_TheoreticalQuestions.ipynb': {
    findings: [['code.runtime-error', 'error', 10, 10], ['code.numeric-mismatch', 'error', 10, 10]],
    ran: true,
    messages: [/did you mean 'index'\?/, /\[B, B\] matrix.*Take its diagonal \(`\.diagonal\(\)`\), or pick one entry per row with index_select on the flattened log-probabilities/],
  },
  // The same answer wrapped in `def wrapper(model, x, y)`: the harness calls it with the inputs.
  // Question 2, `wrapper_2(Model, num_epochs, data_loader, f1, f2)`, called with the harness's objects:
  // loss_1.backward() and loss_2.backward() free their graphs, then `final_loss.backward()` (line 36) goes
  // through one of them again — PyTorch's error; before it, `optimizer.step()` (line 35) runs right after
  // zero_grad, so it applies nothing, and it modifies the parameters in place, so even with retain_graph=True
  // the backward at line 36 fails (PyTorch's in-place error).
  'Almogbs__final__Part2_TheoreticalQuestions.ipynb': {
    findings: [
      ['code.runtime-error', 'error', 10, 12],
      ['code.numeric-mismatch', 'error', 10, 12],
      ['training.step-before-backward', 'error', 21, 35],
      ['training.graph-freed', 'error', 21, 36],
      ['code.runtime-error', 'error', 21, 36],
    ],
    ran: true,
    messages: [/did you mean 'index'\?/, /\[B, B\] matrix/, /every gradient is zero here/, /Trying to backward through the graph a second time: `loss_[12]\.backward\(\)` at line (14|19)/, /^With the graph kept \(as retain_graph=True would\): RuntimeError: one of the variables needed for gradient computation has been modified by an inplace operation/],
  },
  // Q1.3.1: gather(log_softmax(logits), 1, labels.view(-1, 1)).mean(), negated: right on every batch.
  // Question 2, cell 22: `optim.SGD(model.parameters())` without a learning rate is PyTorch 1.13's
  // ValueError (the loop never starts). Cell 24, a self-contained demo, imports matplotlib, which the runner
  // does not have: not checked (info).
  'HayElmaliah__Deep-Learning-CS236781-MiniProject__Part2_TheoreticalQuestions.ipynb': {
    findings: [['code.runtime-error', 'error', 22, 8], ['code.unsupported', 'info', 24, 4]],
    ran: true,
    messages: [/^ValueError: parameter group didn't specify a value of required optimization parameter lr\. The cell stops here when nbcheck runs the loop/],
  },
  // The template is left as is (`loss = ...`): reported by the structure check, nothing to run.
  'noam-mosh__mini_project__Part2_TheoreticalQuestions.ipynb': { findings: [], ran: false },
  // -log_softmax(...).index_select(-1, y).diag().sum(): the diagonal is right, the sum is B times the mean.
  // Question 2: loss_1.backward() (line 13) and loss_2.backward() (line 16) free their graphs; the branch
  // taken then backpropagates loss_1 again (line 23) or loss_total (line 28): PyTorch's error at each (the
  // two runs take both branches). With the graphs kept, the loop applies the right gradient at every step.
  'oreo-hippiepham1__cs236781-prj__Part2_TheoreticalQuestions.ipynb': {
    findings: [['code.numeric-mismatch', 'error', 9, 7], ['training.graph-freed', 'error', 19, 23], ['training.graph-freed', 'error', 19, 28]],
    ran: true,
    messages: [
      /^loss is wrong: .*It is B times the loss in every batch \(B = 4, 7, 16\): it sums over the batch, where the cross-entropy loss is the mean\.$/,
      /`loss_1\.backward\(\)` at line 13 already freed/,
      /`loss_1\.backward\(\)` at line 13 and `loss_2\.backward\(\)` at line 16 already freed|`loss_2\.backward\(\)` at line 16 already freed/,
    ],
  },
};

describe('exercise harness on the corpus', function () {
  this.timeout(60_000);
  before(function () {
    if (!HAVE_CORPUS) this.skip();
  });
  for (const [file, want] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const r = await checkNotebookAndRun(readNotebook(join(dir, file)), runtime);
      const code = r.findings.filter((f) => f.code.startsWith('code.') || f.code.startsWith('training.'));
      assert.deepEqual(code.map((f) => [f.code, f.severity, f.cell, (f.range?.start.line ?? -1) + 1]), want.findings);
      assert.equal(r.run !== undefined, want.ran);
      (want.messages ?? []).forEach((m, i) => assert.match(code[i]?.message ?? '', m));
    });
  }
});
