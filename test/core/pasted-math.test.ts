/** Math pasted from a rendered page is caught; ordinary short lines (lists, code-like notes) are not. */
import assert from 'node:assert/strict';
import { SEED_EXAMPLE, check, checkNotebook, md, readNotebook } from '../helpers';

const pasted = (...cells: string[]) => check(cells.map(md)).findings.filter((f) => f.code === 'math.pasted-render');

const RENDERED = [
  'For the VAE the objective has two terms.',
  '\uFFFD', 'recon', '=', '\u2223', '\u2223', '\uFFFD', '\u2212', 'Decoder', '(', '\uFFFD', ')', '\u2223', '\u2223', '2',
  'L', 'recon', '\u200b', ' =\u2223\u2223x\u2212Decoder(z)\u2223\u2223', '2',
  'while not converged:', 'while not converged:',
  'Then train.',
].join('\n');

describe('pasted math', () => {
  it('one warning over the pasted lines, saying what was lost and suggesting LaTeX', () => {
    const [f, ...rest] = pasted('Intro', RENDERED);
    assert.equal(rest.length, 0);
    assert.equal(f!.severity, 'warning');
    assert.equal(f!.cell, 1);
    assert.equal(f!.range!.start.line, 1);
    assert.match(f!.message, /3 symbols were lost \(shown as U\+FFFD/);
    assert.match(f!.message, /single symbol or a fragment/);
    assert.match(f!.message, /repeated as plain text/);
    assert.match(f!.message, /LaTeX/);
  });
  it("quotes the notebook's own rule about answering alone when it has one, as a signal and not proof", () => {
    assert.doesNotMatch(pasted('Intro', RENDERED)[0]!.message, /on your own/);
    const seed = checkNotebook(readNotebook(SEED_EXAMPLE)).findings.filter((f) => f.code === 'math.pasted-render');
    assert.equal(seed.length, 1);
    // An integrity signal: for graders (appended to the message in the grader audience), not for the student.
    assert.doesNotMatch(seed[0]!.message, /on your own/);
    assert.match(seed[0]!.graderNote ?? '', /the notebook says: "You should answer the questions on your own" — a signal for a reader, not proof\.$/);
  });
  it('a list of short items, a table and code are not pasted math', () => {
    assert.deepEqual(pasted('Steps:\n- a\n- b\n- c\n- d\n- e\n- f\n- g', '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n| 7 | 8 |', '```\nx = (\n  1,\n  2,\n  3\n)\ny = [\n]\n```'), []);
  });
  it('short lines of words without math symbols are not pasted math', () => {
    assert.deepEqual(pasted('Encoder\nDecoder\nGenerator\nCritic\nLoss\nOptimizer\nScheduler'), []);
  });
});
