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

/** [code, severity, cell, 1-based line] of each code.* finding, and whether anything ran. */
const EXPECTED: Record<string, { findings: [string, string, number, number][]; ran: boolean; messages?: RegExp[] }> = {
  // The seed: `incices=` is not a keyword of index_select (the cell cannot run); with `index=` it sums a
  // [B, B] matrix of every sample's log-probability of every label.
  'Almogbs__draft__Part2_TheoreticalQuestions.ipynb': {
    findings: [['code.numeric-mismatch', 'error', 10, 10], ['code.runtime-error', 'error', 10, 10]],
    ran: true,
    messages: [/\[B, B\] matrix/, /did you mean 'index'\?/],
  },
  // The same answer wrapped in `def wrapper(model, x, y)`: the harness calls it with the inputs.
  'Almogbs__final__Part2_TheoreticalQuestions.ipynb': {
    findings: [['code.numeric-mismatch', 'error', 10, 12], ['code.runtime-error', 'error', 10, 12]],
    ran: true,
    messages: [/\[B, B\] matrix/, /did you mean 'index'\?/],
  },
  // gather(log_softmax(logits), 1, labels.view(-1, 1)).mean(), negated: right on every batch.
  'HayElmaliah__Deep-Learning-CS236781-MiniProject__Part2_TheoreticalQuestions.ipynb': { findings: [], ran: true },
  // The template is left as is (`loss = ...`): reported by the structure check, nothing to run.
  'noam-mosh__mini_project__Part2_TheoreticalQuestions.ipynb': { findings: [], ran: false },
  // -log_softmax(...).index_select(-1, y).diag().sum(): the diagonal is right, the sum is B times the mean.
  'oreo-hippiepham1__cs236781-prj__Part2_TheoreticalQuestions.ipynb': {
    findings: [['code.numeric-mismatch', 'error', 9, 7]],
    ran: true,
    messages: [/^loss is wrong: .*It is B times the loss in every batch \(B = 4, 7, 16\): it sums over the batch, where the cross-entropy loss is the mean\.$/],
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
      const code = r.findings.filter((f) => f.code.startsWith('code.'));
      assert.deepEqual(code.map((f) => [f.code, f.severity, f.cell, (f.range?.start.line ?? -1) + 1]), want.findings);
      assert.equal(r.run !== undefined, want.ran);
      (want.messages ?? []).forEach((m, i) => assert.match(code[i]?.message ?? '', m));
    });
  }
});
