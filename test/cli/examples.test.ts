/** The bundled examples, as `npm start` and a student see them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EXAMPLES, REVISED_EXAMPLE, ROOT, SEED_EXAMPLE, checkNotebook, readNotebook, statusTable } from '../helpers';

describe('examples', () => {
  it('the seed reconstruction reads as the seed does: 36 of 50, Q2/Q3 and Q6 errors, NameError, pasted math, the written answers\' misconceptions and assistant text', () => {
    const r = checkNotebook(readNotebook(SEED_EXAMPLE));
    assert.equal(r.release?.id, 'original');
    assert.deepEqual(r.points, { max: 50, attainable: 36 });
    const notes = (code: string): boolean => code === 'answer.not-judged' || code === 'answer.image-only';
    assert.deepEqual(
      r.findings.filter((f) => !notes(f.code)).map((f) => [f.code, f.question, f.cell]),
      [
        ['prose.rubric', '1.2', 7],
        ['prose.misconception', '1.2', 7],
        ['prose.misconception', '1.2', 7],
        // `$$ CE_LOSS … $$ <br>`: renders in Jupyter, an error in VS Code.
        ['math.renders-jupyter-only', '1.3.1', 9],
        ['outputs.saved-error', '1.3.1', 10],
        // The two missing images, one finding listing both.
        ['images.missing-file', '1.3.2', 12],
        ['prose.rubric', '1.3.3', 14],
        ['prose.rubric', '1.3.4', 16],
        ['prose.misconception', '1.3.4', 16],
        ['structure.choice-none', '2', 18],
        ['integrity.assistant-text', '5', 29],
        ['math.pasted-render', '5', 29],
        ['structure.question-missing', '6', 30],
        ['integrity.assistant-text', '7', 35],
        ['prose.misconception', '7', 35],
        ['prose.misconception', '7', 35],
        ['prose.misconception', '7', 35],
      ],
    );
    // What nbcheck did not judge is said at each part (Q1.3.4 is flagged): the written answers no catalogue entry matched, the
    // code (not run here) and the drawing of the graph, an image.
    assert.deepEqual(r.findings.filter((f) => notes(f.code)).map((f) => [f.code, f.question, f.cell]), [
      ['answer.not-judged', '1.1', 5],
      ['answer.not-judged', '1.3.1', 9],
      ['answer.not-judged', '1.3.2', 12],
      ['answer.image-only', '1.3.2', 12],
      ['answer.not-judged', '1.3.3', 14],
      ['answer.not-judged', '4', 25],
      ['answer.not-judged', '5', 29],
    ]);
  });
  it('the revised-release sample: Q2 declined for Q3, an unclosed brace in Q3, an external image in Q5', () => {
    const r = checkNotebook(readNotebook(REVISED_EXAMPLE));
    assert.equal(r.release?.id, 'revised');
    assert.equal(statusTable(r)['2'], 'declined');
    assert.equal(statusTable(r)['3'], 'answered');
    assert.deepEqual(r.points, { max: 50, attainable: 50 });
    assert.deepEqual(r.findings.filter((f) => f.severity !== 'info').map((f) => [f.code, f.severity, f.question]), [
      ['math.parse-error', 'error', '3'],
      ['images.external-link', 'error', '5'],
    ]);
  });
  it('the notes notebook: no pack, its macros render in Jupyter (in VS Code \\newcommand{\\set} wants \\renewcommand, and what follows it is lost), one real brace error', () => {
    const r = checkNotebook(readNotebook(join(EXAMPLES, 'deep-learning-notes.ipynb')));
    assert.deepEqual(r.findings.map((f) => [f.code, f.cell, f.range?.start.line]), [
      ['pack.none', undefined, undefined],
      ['math.renders-jupyter-only', 0, 5],
      // KaTeX stops at \\set: \\pderiv, defined after it, is unknown where cell 2 uses it.
      ['math.renders-jupyter-only', 2, 3],
      ['math.parse-error', 3, 2],
    ]);
    assert.match(r.findings[2]!.message, /"Undefined control sequence: \\pderiv" \(\\pderiv is defined in cell 0, but KaTeX stops reading that formula at the error before it there: fix that one\)\.$/);
  });
  it('`npm start` prints the example\u2019s findings and exits 0', function () {
    this.timeout(60000);
    const r = spawnSync('npm', ['start', '--silent'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /error: Question 6 \(Diffusion models, 7 points\) is mandatory and has no answer/);
    assert.match(r.stdout, /36 of 50 points attainable/);
    assert.match(r.stdout, /\n  estimate: [0-9.]+–[0-9.]+ of 50 \(an estimate from what nbcheck checked and found, not a grade\) — checked: 1\.3\.2 · flagged: /);
  });
});
