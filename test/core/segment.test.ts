/** Segmentation of answers as students really write them, on the seed example with cells edited. */
import assert from 'node:assert/strict';
import { check, code, codes, exampleCells, md, srcOf, statusTable, type RawCell } from '../helpers';

const SEED = exampleCells();
const Q6_PROMPT = 31; // "Show that $q(x_{t-1}|x_t,x_0)$ is tractable ..."
const Q2_PROMPT = 19;
const Q3_PROMPT = 21;
const CE_CODE = 10;

/** The seed's cells with `cells` inserted after index `at`. */
const insertAfter = (at: number, ...cells: RawCell[]): RawCell[] => [...SEED.slice(0, at + 1), ...cells, ...SEED.slice(at + 1)];

const ANSWER = 'By Bayes, the posterior is a product of Gaussians in $x_{t-1}$, hence Gaussian.';

describe('segmentation: answer markers written every way students write them', () => {
  it('the seed example itself: Q6 has no answer', () => {
    assert.equal(statusTable(check(SEED))['6'], 'missing');
  });
  for (const marker of ['#### Answer:', '####Answer', '#Answer', '#### Answer', '**Answer**', '**Answer:**', '### **Answer:**', '#### **Answer:**']) {
    it(`${marker} followed by text answers the question; alone it does not`, () => {
      assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md(`${marker}\n${ANSWER}`))))['6'], 'answered');
      assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md(marker))))['6'], 'missing');
      assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md(marker), md('-----'))))['6'], 'missing');
    });
  }
  it('a marker with the answer on the same line: **Answer:** text', () => {
    assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md(`**Answer:** ${ANSWER}`))))['6'], 'answered');
  });
  it('an unmarked answer right after the prompt', () => {
    assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md(ANSWER))))['6'], 'answered');
  });
  it('an answer written into the prompt cell, after the prompt', () => {
    const cells = SEED.map((c, i) => (i === Q6_PROMPT ? md(`${srcOf(c)}\n\n${ANSWER}`) : c));
    assert.equal(statusTable(check(cells))['6'], 'answered');
  });
  it('an image alone is an answer', () => {
    assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md('#### Answer:\n<img src="imgs/derivation.png" />'))))['6'], 'answered');
  });
  it('answer text and code in several cells (marker cell, code, explanation)', () => {
    const cells = insertAfter(Q2_PROMPT, md('#Answer'), code('for batch in loader:\n    loss_1 = forward_and_compute_loss_1(model, batch)\n'), md('Only the training loop changes.'));
    const r = check(cells);
    assert.equal(statusTable(r)['2'], 'answered');
  });
  it('a code cell with only imports and comments is not an answer', () => {
    assert.equal(statusTable(check(insertAfter(Q2_PROMPT, md('#### Answer:'), code('import torch\n# TODO\n'))))['2'], 'missing');
  });
});

describe('segmentation: template code', () => {
  const ORIGINAL_TEMPLATE =
    'from torch.nn.functional import log_softmax\nfrom torch import index_select\n# Input:  model, x, y. \n# Output: the loss on the current batch.\nlogits = model(x)\n...\nloss = ...\n';
  const withCe = (src: string): RawCell[] => SEED.map((c, i) => (i === CE_CODE ? code(src) : i === CE_CODE - 1 ? md('#### Answer:') : c));

  it('a template cell whose `...` is still there is unanswered', () => {
    const r = check(withCe(ORIGINAL_TEMPLATE));
    assert.equal(statusTable(r)['1.3.1'], 'missing');
    assert.equal(statusTable(r)['1'], 'partial');
    const f = r.findings.find((x) => x.code === 'structure.part-missing' && x.question === '1.3.1');
    assert.match(f!.message, /template code cell is unchanged/);
    assert.equal(f!.severity, 'warning');
  });
  it('filled in, it is answered; a leftover `loss = ...` that overrides the result is a warning on that line', () => {
    const filled = ORIGINAL_TEMPLATE.replace('...\nloss = ...', 'lp = log_softmax(logits, dim=1)\nloss = -lp.index_select(1, y).diag().mean()');
    assert.equal(statusTable(check(withCe(filled)))['1.3.1'], 'answered');
    assert.ok(!codes(check(withCe(filled))).includes('structure.template-left'));
    const overridden = ORIGINAL_TEMPLATE.replace('...\nloss = ...', 'loss = -lp.index_select(1, y).diag().mean()\nloss = ...');
    const r = check(withCe(overridden));
    const f = r.findings.find((x) => x.code === 'structure.template-left');
    assert.equal(f?.cell, CE_CODE);
    assert.equal(f?.range?.start.line, 6);
    assert.match(f!.message, /sets loss to Ellipsis/);
  });
});

describe('segmentation: declined questions and the key', () => {
  const q3Answer = md('#### Answer:\n$f_1 = x^2 \\cos(xy)$, and forward mode gives $\\partial f_1/\\partial x = 2x\\cos(xy) - x^2 y \\sin(xy)$.');

  it('"We chose to answer Question 3 instead" declines Q2; with Q3 answered the key is met', () => {
    const cells = insertAfter(Q3_PROMPT, q3Answer);
    const withDecline = [...cells.slice(0, Q2_PROMPT + 1), md('We chose to answer Question 3 instead.'), ...cells.slice(Q2_PROMPT + 1)];
    const r = check(withDecline);
    assert.equal(statusTable(r)['2'], 'declined');
    assert.equal(statusTable(r)['3'], 'answered');
    assert.ok(!codes(r).some((c) => c.startsWith('structure.choice')));
  });
  it('neither Q2 nor Q3: one error on Question 2\u2019s heading', () => {
    const r = check(SEED);
    const f = r.findings.filter((x) => x.code === 'structure.choice-none');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'error');
    assert.equal(f[0]!.cell, 18);
    assert.match(r.notebook.cells[18]!.source, /^### Question 2/);
  });
  it('both Q2 and Q3 answered: a warning that only one is graded, and 7 points counted once', () => {
    const cells = insertAfter(Q3_PROMPT, q3Answer);
    const both = [...cells.slice(0, Q2_PROMPT + 1), md('**Answer:** only the training loop changes.'), ...cells.slice(Q2_PROMPT + 1)];
    const r = check(both);
    const f = r.findings.filter((x) => x.code === 'structure.choice-several');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'warning');
    assert.match(f[0]!.message, /^Questions 2 and 3 are both answered, but the key asks for one of Questions 2 and 3: only one is graded\./);
    assert.deepEqual(r.points, { max: 50, attainable: 43 });
  });
  // A decline written in the other question's cell, in the words students use, in each of the two cells.
  const q2Answer = md('**Answer:** only the training loop changes; the optimizer stays SGD.');
  for (const [words, declined, answered, answer] of [
    ['We chose to answer Question 2.', '3', '2', q2Answer],
    ['I answered Q2 instead', '3', '2', q2Answer],
    ['We went with question 2', '3', '2', q2Answer],
    ['Skipping this one.', '3', '2', q2Answer],
    ['We chose to answer Question 3.', '2', '3', q3Answer],
    ['I answered Q3 instead', '2', '3', q3Answer],
    ['Not answering this question (I did Q3).', '2', '3', q3Answer],
    ['Skipping this one', '2', '3', q3Answer],
  ] as const) {
    it(`"${words}" in Question ${declined}'s cell declines it; Question ${answered} is the one answered`, () => {
      const prompt = declined === '2' ? Q2_PROMPT : Q3_PROMPT;
      const other = answered === '2' ? Q2_PROMPT : Q3_PROMPT;
      // Insert the later cell first, so that the earlier index stays right.
      const [first, second] = prompt > other ? [[prompt, md(words)], [other, answer]] as const : [[other, answer], [prompt, md(words)]] as const;
      const cells = insertAfter(first[0], first[1]);
      const r = check([...cells.slice(0, second[0] + 1), second[1], ...cells.slice(second[0] + 1)]);
      assert.equal(statusTable(r)[declined], 'declined', words);
      assert.equal(statusTable(r)[answered], 'answered', words);
      assert.ok(!codes(r).some((c) => c.startsWith('structure.choice')), `${words}: ${codes(r).join(', ')}`);
    });
  }
  it('a question naming itself as the one chosen is answered, not declined; a short answer mentioning a skip connection is answered', () => {
    assert.equal(statusTable(check(insertAfter(Q2_PROMPT, md('We chose to answer Question 2. Only the training loop changes: the optimizer stays SGD.'))))['2'], 'answered');
    assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md('Skip connections are not needed here: by Bayes the posterior is Gaussian.'))))['6'], 'answered');
  });
  it('a mandatory question that the answer declines is an error that quotes the student', () => {
    const r = check(insertAfter(Q6_PROMPT, md('We decided not to answer this question.')));
    assert.equal(statusTable(r)['6'], 'declined');
    const f = r.findings.find((x) => x.code === 'structure.question-declined');
    assert.equal(f?.severity, 'error');
    assert.match(f!.message, /not to answer this question/);
  });
  it('a long answer that mentions choosing is not a decline', () => {
    const prose = `${ANSWER} We chose to answer question 6 instead of deriving it twice. `.repeat(8);
    assert.equal(statusTable(check(insertAfter(Q6_PROMPT, md(prose))))['6'], 'answered');
  });
});
