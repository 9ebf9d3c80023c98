/**
 * Verdicts per answer part (checked, flagged, not judged — and why) and the grade estimate built from them,
 * on notebooks written here. Static checks only: what the exercise code would judge is "not judged", with the
 * reason; test/run/verdicts-run.test.ts runs it.
 */
import { strict as assert } from 'node:assert';
import { judge, type PartVerdict } from '../../src/core/assignment/verdicts';
import { checkStatic, type NotebookReport } from '../../src/core/check';
import { partDetail, verdictTally } from '../../src/core/report/verdict-text';
import type { Finding } from '../../src/core/findings';
import { REVISED_EXAMPLE, SEED_EXAMPLE, checkNotebook, exampleCells, md, notebookOf, readNotebook, type RawCell } from '../helpers';

const part = (r: NotebookReport, id: string): PartVerdict => {
  const p = r.judgement?.parts.find((x) => x.id === id);
  assert.ok(p, `part ${id}`);
  return p;
};

/** The revised sample's static report, judged again with extra findings (what a check could have found). */
function judgedWith(extra: Finding[], base = checkStatic(readNotebook(REVISED_EXAMPLE), { notRun: { kind: 'ran' } }).report) {
  assert.ok(base.pack && base.points && base.segmentation);
  return judge({ nb: base.notebook, pack: base.pack, seg: base.segmentation, questions: base.questions, points: base.points, findings: [...base.findings, ...extra], verified: base.verified, run: { kind: 'ran' }, proseChecked: true });
}
const on = (question: string, code: Finding['code'], severity: Finding['severity'] = 'error', more: Partial<Finding> = {}): Finding => ({ code, severity, question, message: code, ...more });
const estimateOf = (extra: Finding[]): [number, number] => {
  const j = judgedWith(extra);
  return [j.estimate.low, j.estimate.high];
};

describe('verdicts per answer part', () => {
  it('every part of a counted question has one, saying why; the other question of a choice group has none when unanswered', () => {
    const r = checkNotebook(readNotebook(REVISED_EXAMPLE), { notRun: { kind: 'off', reason: '--no-run' } });
    const ids = (r.judgement?.parts ?? []).map((p) => p.id);
    assert.deepEqual(ids, ['1.1', '1.2', '1.3.1', '1.3.2', '1.3.3', '1.3.4', '2', '3', '4', '5', '6', '7']);
    // Q2 is declined, Q3 answered: Q2 is not counted and gets no verdict.
    assert.equal(part(r, '2').counted, false);
    assert.equal(part(r, '2').verdict, undefined);
    // A written answer no catalogue entry matched is not judged, and says what was looked for.
    const q4 = part(r, '4');
    assert.equal(q4.verdict, 'not-judged');
    assert.match(q4.aspects[0]?.says[0] ?? '', /^Not judged by nbcheck: the written answer of Question 4 was read for the 3 misconceptions the exam's catalogue lists for it and none was found; whether it is right is for the grader\.$/);
    // The code is not judged without a run, saying why (and there is a note at the answer).
    const code = part(r, '1.3.1');
    assert.equal(code.verdict, 'not-judged');
    assert.match(code.aspects[0]?.summary ?? '', /^not run \(--no-run\)$/);
    const note = r.findings.find((f) => f.code === 'answer.not-judged' && f.question === '1.3.1');
    assert.equal(note?.severity, 'info');
    assert.equal(note?.cell, 9);
  });

  it('no answer nbcheck did not read is left without a note: each not-judged aspect has an information finding at the part', () => {
    const r = checkNotebook(readNotebook(SEED_EXAMPLE), { notRun: { kind: 'off', reason: '--no-run' } });
    for (const p of r.judgement?.parts ?? []) {
      if (!p.counted || p.verdict !== 'not-judged') continue;
      const notes = r.findings.filter((f) => f.question === p.id && f.severity === 'info' && ['answer.not-judged', 'answer.image-only', 'math.unread', 'code.unsupported', 'training.not-run', 'graph.node-count', 'code.inputs-overwritten'].includes(f.code));
      assert.ok(notes.length >= 1, `part ${p.id}: ${p.aspects.map((a) => a.summary).join('; ')}`);
      assert.ok(notes.every((f) => f.cell !== undefined && f.range), `part ${p.id} notes are placed`);
    }
  });

  it('an answer that is only an image is not judged, with a note at the image; a few words beside it do not change that', () => {
    for (const answer of ['#### Answer:\n![graph](imgs/q132.png)', '#### Answer:\nHere is my graph:\n<img src="imgs/q132.png" width=500>', '#### Answer:\n![image.png](attachment:image.png)']) {
      const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
      cells[11] = { ...md(answer), ...(answer.includes('attachment:') ? { attachments: { 'image.png': { 'image/png': 'iVBORw0KGgo=' } } } : {}) };
      const r = checkNotebook(notebookOf(cells), { notRun: { kind: 'ran' } });
      const p = part(r, '1.3.2');
      assert.equal(p.verdict, 'not-judged', answer);
      const note = r.findings.filter((f) => f.code === 'answer.image-only');
      assert.equal(note.length, 1, answer);
      assert.equal(note[0]?.cell, 11);
      assert.match(note[0]?.message ?? '', /^Not read: the node count and the drawing of the graph of part 1\.3\.2 — an image \((imgs\/q132\.png|attachment:image\.png)\); nbcheck cannot read images, so it is graded by hand\.$/);
      // An image can hold anything: its points may all be lost.
      assert.equal(p.earned?.low, 0);
    }
  });

  it('an image beside a written answer does not make it an image answer: the text is read', () => {
    const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
    cells[13] = md(`${(cells[13]?.source as string | string[]).toString()}\n\n![the graph](imgs/soft.png)`);
    const r = checkNotebook(notebookOf(cells), { notRun: { kind: 'ran' } });
    assert.ok(!r.findings.some((f) => f.code === 'answer.image-only' && f.question === '1.3.3'));
    assert.match(part(r, '1.3.3').aspects[0]?.summary ?? '', /no catalogued misconception found/);
  });

  it('in words, for the status bar and the summaries', () => {
    const r = checkNotebook(readNotebook(SEED_EXAMPLE), { notRun: { kind: 'off', reason: '--no-run' } });
    assert.equal(verdictTally(r.judgement!), '0 checked, 5 flagged, 6 not judged (1.1, 1.3.1, 1.3.2, 1.3.3, 4, 5)');
    assert.equal(partDetail(part(r, '1.3.2')), 'the node count: not judged — not run (--no-run); the drawing of the graph: not judged — an image (imgs/ce_loss.png)');
    // A mandatory question with no answer is flagged (its points are not attainable); the unanswered choice
    // group is Question 2's, and Question 3 is not counted.
    assert.equal(partDetail(part(r, '6')), 'no answer');
    assert.equal(part(r, '6').verdict, 'flagged');
    assert.equal(part(r, '2').verdict, 'flagged');
    assert.equal(part(r, '3').verdict, undefined);
  });

  it('a part with a finding that puts points at risk is flagged, and says which', () => {
    const j = judgedWith([on('7', 'prose.misconception', 'warning', { rule: 'q7-dropout-scale-by-p' })]);
    const q7 = j.parts.find((p) => p.id === '7');
    assert.equal(q7?.verdict, 'flagged');
    assert.equal(q7?.aspects[0]?.summary, 'a misconception');
  });
});

describe('the grade estimate', () => {
  it('a range that ends below the points attainable once something is flagged, and widens where nothing is judged', () => {
    const [low, high] = estimateOf([]);
    assert.ok(high <= 50 && low < high - 10, `${low}–${high}`);
    const [, high2] = estimateOf([on('1.3.1', 'code.numeric-mismatch')]);
    assert.ok(high2 < high, `a wrong value narrows the top: ${high2} < ${high}`);
  });

  it('each distinct mistake counts once per part; a finding that follows from a counted one counts nothing', () => {
    const entry = (rule: string): Finding => on('7', 'prose.misconception', 'warning', { rule });
    const once = estimateOf([entry('q7-dropout-scale-by-p')]);
    assert.deepEqual(estimateOf([entry('q7-dropout-scale-by-p'), entry('q7-dropout-scale-by-p')]), once);
    const twice = estimateOf([entry('q7-dropout-scale-by-p'), entry('q7-same-dropout-mask')]);
    assert.ok(twice[1] < once[1], `${twice} vs ${once}`);
    const consequence = { ...entry('q7-same-dropout-mask'), consequence: true, follows: 'prose.misconception' as const };
    assert.deepEqual(estimateOf([entry('q7-dropout-scale-by-p'), consequence]), once);
  });

  it('rubric ideas not found and integrity signals cost nothing; a missing part costs all of it', () => {
    const base = estimateOf([]);
    assert.deepEqual(estimateOf([on('5', 'prose.rubric', 'info', { rule: 'components,objectives' })]), base);
    assert.deepEqual(estimateOf([on('5', 'integrity.assistant-text', 'warning'), on('5', 'images.missing-file', 'warning')]), base);
    const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
    cells[15] = md('');
    const r = checkNotebook(notebookOf(cells), { notRun: { kind: 'ran' } });
    const p = part(r, '1.3.4');
    assert.equal(p.verdict, 'flagged');
    assert.deepEqual(p.earned, { low: 0, high: 0 });
    assert.ok((r.judgement?.estimate.high ?? 50) <= 47.5);
  });

  it('says what it rests on', () => {
    const r = checkNotebook(readNotebook(SEED_EXAMPLE), { notRun: { kind: 'off', reason: '--no-run' } });
    // Each part not judged by the reason of its heaviest aspect not judged (Q1.3.2: the drawing, an image).
    assert.equal(r.judgement?.estimate.basis, 'flagged: 1.2, 1.3.4, 7 · not judged: 1.1, 1.3.3, 4, 5 (written answers); 1.3.1 (not run); 1.3.2 (images)');
  });
});
