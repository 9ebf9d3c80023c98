/**
 * The grade estimate: points at risk per counted question from the findings behind them, as a range that
 * ends at the points attainable. Checked on notebooks written here, where the expected numbers follow from
 * the rule (a share of the part's points per kind of finding, three quarters at most of a part that is there).
 */
import { strict as assert } from 'node:assert';
import { estimateGrade } from '../../src/core/assignment/estimate';
import type { NotebookReport } from '../../src/core/check';
import type { Finding } from '../../src/core/findings';
import { REVISED_EXAMPLE, checkNotebook, exampleCells, md, notebookOf, readNotebook, type RawCell } from '../helpers';

const estimateOf = (r: NotebookReport, extra: Finding[] = []): ReturnType<typeof estimateGrade> => {
  assert.ok(r.pack && r.points);
  return estimateGrade(r.pack, r.questions, r.points, [...r.findings, ...extra]);
};

describe('grade estimate', () => {
  it('a notebook with nothing marked down: the range is the points attainable alone', () => {
    const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
    cells[22] = md('#### Answer:\nThe forward pass gives $f_1 = -0.416$.');
    const e = estimateOf(checkNotebook(notebookOf(cells)));
    assert.deepEqual([e.low, e.high], [50, 50]);
  });

  it('each kind of finding counts once per part, up to three quarters of it; a missing part counts whole', () => {
    const r = checkNotebook(readNotebook(REVISED_EXAMPLE));
    const on = (question: string, code: Finding['code'], severity: Finding['severity'] = 'error'): Finding => ({ code, severity, question, message: '' });
    // Q7 (7 points, one part): a misconception (1.75) twice is still 1.75; two different ones count twice (3.5).
    const entry = (rule: string): Finding => ({ ...on('7', 'prose.misconception', 'warning'), rule });
    let e = estimateOf(r, [entry('q7-dropout-scale-by-p'), entry('q7-dropout-scale-by-p')]);
    assert.equal(e.questions.find((q) => q.id === '7')?.atRisk, 2); // 1.75, to the half point
    e = estimateOf(r, [entry('q7-dropout-scale-by-p'), entry('q7-same-dropout-mask')]);
    assert.equal(e.questions.find((q) => q.id === '7')?.atRisk, 3.5);
    // Rubric ideas not found: a tenth of the part each (Q5: two ideas, 1.4, to the half point 1.5).
    e = estimateOf(r, [{ ...on('5', 'prose.rubric', 'info'), rule: 'components,objectives' }]);
    assert.equal(e.questions.find((q) => q.id === '5')?.atRisk, 1.5);
    // Q1.3.1 (2.5 of Q1's 15): a runtime error and a wrong value (0.5 + 0.5 of 2.5), capped at 3/4: 1.875.
    e = estimateOf(r, [on('1.3.1', 'code.runtime-error'), on('1.3.1', 'code.numeric-mismatch')]);
    assert.equal(e.questions.find((q) => q.id === '1')?.atRisk, 2);
    // A missing part: all of it.
    e = estimateOf(r, [on('1.3.4', 'structure.part-missing', 'warning')]);
    assert.equal(e.questions.find((q) => q.id === '1')?.atRisk, 2.5);
    // Integrity signals and presentation take nothing off.
    e = estimateOf(r, [on('5', 'integrity.assistant-text', 'warning'), on('5', 'images.missing-file', 'warning')]);
    assert.equal(e.questions.find((q) => q.id === '5')?.atRisk, 0);
    assert.equal(e.low, e.high - (e.questions.reduce((a, q) => a + q.atRisk, 0)));
  });

  it('only the questions the key counts: a declined question is not in it', () => {
    const e = estimateOf(checkNotebook(readNotebook(REVISED_EXAMPLE)));
    assert.deepEqual(e.questions.map((q) => q.id), ['1', '3', '4', '5', '6', '7']);
  });
});
