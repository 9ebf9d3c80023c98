/**
 * Question 6: the answer's β̃_t and μ̃(x_t, x_0) checked by equivalence in any of the notations students
 * use; a wrong one (inverted ratio, a wrong coefficient) is an error on its equation saying what differs.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { parseNotebook } from '../../src/core/notebook/reader';
import { CORPUS, HAVE_CORPUS, REVISED_EXAMPLE, exampleCells, md, notebookOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

const BETA = '\\tilde\\beta_t = \\frac{1-\\bar\\alpha_{t-1}}{1-\\bar\\alpha_t}\\beta_t';
const MU = '\\tilde\\mu(x_t,x_0) = \\frac{\\sqrt{\\bar\\alpha_{t-1}}\\beta_t}{1-\\bar\\alpha_t}x_0 + \\frac{\\sqrt{\\alpha_t}(1-\\bar\\alpha_{t-1})}{1-\\bar\\alpha_t}x_t';
const DERIVATION = 'By Bayes, $q(x_{t-1}|x_t,x_0) \\propto q(x_t|x_{t-1})\\,q(x_{t-1}|x_0)$; completing the square in the exponent gives';

/** The revised sample with Question 6 answered by this markdown (cell 33). */
async function q6(answer: string): Promise<Finding[]> {
  const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
  cells[33] = md(`#### Answer:\n${answer}`);
  const report = await checkNotebookAndRun(notebookOf(cells), runtime);
  return report.findings.filter((f) => f.question === '6' && (f.code.startsWith('derivative.') || f.code.startsWith('derivation.')));
}

describe('Question 6: β̃ and μ̃ by equivalence', function () {
  this.timeout(60_000);

  it('the right forms pass, in every notation the corpus shows', async () => {
    for (const [beta, mu] of [
      [BETA, MU],
      ['\\tilde{\\beta}_t := \\frac{1-\\bar{\\alpha}_{t-1}}{1-\\bar{\\alpha}_t}\\beta_t', '\\tilde{\\mu}(x_t,x_0) := \\frac{\\sqrt{\\bar{\\alpha}_{t-1}}\\beta_t}{1-\\bar{\\alpha}_t}x_0 + \\frac{\\sqrt{\\alpha_t}(1-\\bar{\\alpha}_{t-1})}{1-\\bar{\\alpha}_t}x_t'],
      // The DDPM paper's bold vectors and a \\cdot.
      ['\\tilde{\\beta}_t = \\frac{1 - \\bar{\\alpha}_{t-1}}{1 - \\bar{\\alpha}_t} \\cdot \\beta_t', '\\tilde{\\mu}_t(\\mathbf{x}_t, \\mathbf{x}_0) = \\frac{\\sqrt{\\alpha_t}(1-\\bar{\\alpha}_{t-1})}{1-\\bar{\\alpha}_t}\\mathbf{x}_t + \\frac{\\sqrt{\\bar{\\alpha}_{t-1}}\\beta_t}{1-\\bar{\\alpha}_t}\\mathbf{x}_0'],
      ['\\tilde{\\beta_t} = \\frac{(1-\\alpha_{t})(1-\\bar{\\alpha_{t-1}})}{1-\\bar{\\alpha_{t}}}', '\\tilde{\\mu}_t = \\frac{\\sqrt{\\alpha_t}(1-\\overline{\\alpha}_{t-1})x_t + \\sqrt{\\overline{\\alpha}_{t-1}}(1-\\alpha_t)x_0}{1-\\overline{\\alpha}_t}'],
    ]) {
      assert.deepEqual(await q6(`${DERIVATION}\n$$${beta}$$\n$$${mu}$$`), [], `${beta}\n${mu}`);
      // Both were read: alone, without a derivation, each is a restated formula.
      for (const f of [beta, mu]) assert.deepEqual((await q6(`$$${f}$$`)).map((x) => x.code), ['derivation.restated'], f);
    }
  });

  it('an inverted ratio in β̃ is an error on that formula, saying so', async () => {
    const wrong = '\\tilde\\beta_t = \\frac{1-\\bar\\alpha_t}{1-\\bar\\alpha_{t-1}}\\beta_t';
    const found = await q6(`${DERIVATION}\n$$${wrong}$$\n$$${MU}$$`);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.range?.start.line]), [['derivative.wrong', 'error', 2]]);
    assert.match(found[0]?.message ?? '', /^This β̃_t is not the posterior's: with ᾱ_\{t−1\} = 0\.6, β_t = 0\.1 \(so α_t = 0\.9, ᾱ_t = 0\.54\) it is [0-9.]+, where β̃_t = \(1 − ᾱ_\{t−1\}\) \/ \(1 − ᾱ_t\) · β_t = [0-9.]+\. The ratio is inverted/);
  });

  it('a wrong coefficient of x_t in μ̃ is an error naming that term', async () => {
    const wrong = MU.replace('\\sqrt{\\alpha_t}(1-\\bar\\alpha_{t-1})', '\\alpha_t(1-\\bar\\alpha_{t-1})');
    const found = await q6(`${DERIVATION}\n$$${BETA}$$\n$$${wrong}$$`);
    assert.deepEqual(found.map((f) => [f.code, f.range?.start.line]), [['derivative.wrong', 3]]);
    assert.match(found[0]?.message ?? '', /The coefficient of x_t differs \(it should be √α_t \(1 − ᾱ_\{t−1\}\) \/ \(1 − ᾱ_t\)\); the one of x_0 is right\.$/);
  });

  it('in bold notation too: √ᾱ_{t−1} lost from the coefficient of x_0 is an error naming that term', async () => {
    const bold = '\\tilde{\\mu}_t(\\mathbf{x}_t, \\mathbf{x}_0) = \\frac{\\sqrt{\\alpha_t}(1-\\bar{\\alpha}_{t-1})}{1-\\bar{\\alpha}_t}\\mathbf{x}_t + \\frac{\\bar{\\alpha}_{t-1}\\beta_t}{1-\\bar{\\alpha}_t}\\mathbf{x}_0';
    const found = await q6(`${DERIVATION}\n$$${BETA}$$\n$$${bold}$$`);
    assert.deepEqual(found.map((f) => [f.code, f.range?.start.line]), [['derivative.wrong', 3]]);
    assert.match(found[0]?.message ?? '', /The coefficient of x_0 differs \(it should be √ᾱ_\{t−1\} β_t \/ \(1 − ᾱ_t\)\); the one of x_t is right\.$/);
  });

  it('right forms in the other notations students write (\\overline with \\, spacing, √(1 − β_t) for √α_t) are not errors', async () => {
    const beta = '\\tilde{\\beta}_t = \\frac{1-\\overline{\\alpha}\\,_{t-1}}{1-\\overline{\\alpha}\\,_{t}}\\,\\beta_t';
    const mu = '\\tilde{\\mu}_t(x_t,x_0) = \\frac{\\sqrt{1-\\beta_t}\\,(1-\\overline{\\alpha}_{t-1})}{1-\\overline{\\alpha}_t}\\, x_t + \\frac{\\sqrt{\\overline{\\alpha}_{t-1}}\\,\\beta_t}{1-\\overline{\\alpha}_t}\\, x_0';
    const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
    cells[33] = md(`#### Answer:\n${DERIVATION}\n$$${beta}$$\n$$${mu}$$`);
    const r = await checkNotebookAndRun(notebookOf(cells), runtime);
    // No error; VS Code's KaTeX (0.16) fails on a subscript put on a space (`\\,_{t-1}`), which Jupyter renders.
    const six = r.findings.filter((f) => f.question === '6' && !f.code.startsWith('answer.'));
    assert.deepEqual(six.map((f) => [f.code, f.severity]), [['math.renders-jupyter-only', 'warning']]);
    assert.match(six[0]!.message, /KaTeX cannot put a subscript or superscript on a space such as \\,/);
    // Both read and checked, not skipped.
    const formula = r.judgement?.parts.find((p) => p.id === '6')?.aspects[0];
    assert.equal(formula?.state, 'checked');
    assert.match(formula?.summary ?? '', /^β̃_t and μ̃\(x_t, x_0\) equivalent to the posterior's \(compared at 10 points/);
  });

  it('a formula nbcheck cannot evaluate is not judged (information), never an error', async () => {
    const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
    // σ² stands for something nbcheck does not know; a product over t it cannot evaluate.
    cells[33] = md(`#### Answer:\n${DERIVATION}\n$$\\tilde\\beta_t = \\sigma^2\\beta_t$$\n$$${MU}$$`);
    const r = await checkNotebookAndRun(notebookOf(cells), runtime);
    const six = r.findings.filter((f) => f.question === '6' && !f.code.startsWith('answer.'));
    assert.deepEqual(six.map((f) => [f.code, f.severity]), [['math.unread', 'info']]);
    assert.match(six[0]?.message ?? '', /^Not judged: this formula for β̃_t could not be checked: it is written with σ, which nbcheck does not read as ᾱ_\{t−1\}, ᾱ_t, α_t, β_t, x_t or x_0\. It is neither counted right nor wrong\.$/);
    const part = r.judgement?.parts.find((p) => p.id === '6');
    assert.equal(part?.aspects[0]?.state, 'checked', 'μ̃ was checked');
    assert.match(part?.aspects[0]?.summary ?? '', /^μ̃\(x_t, x_0\) equivalent to the posterior's .*; not judged: math nbcheck could not read$/);
  });

  it('formulas stated without a derivation: a warning (the question asks to derive them)', async () => {
    const found = await q6(`$$${BETA}$$\n$$${MU}$$`);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['derivation.restated', 'warning']]);
  });

  it('the corpus answers\' formulas are read (a planted inverted ratio is caught) and their right forms pass', async function () {
    if (!HAVE_CORPUS) this.skip();
    for (const file of ['Almogbs__final__Part2_TheoreticalQuestions.ipynb', 'HayElmaliah__Deep-Learning-CS236781-MiniProject__Part2_TheoreticalQuestions.ipynb']) {
      const path = join(CORPUS, 'spring2023-theory', file);
      const text = readFileSync(path, 'utf8');
      const nb = parseNotebook(text, path);
      const own = (await checkNotebookAndRun(nb, runtime)).findings.filter((f) => f.question === '6' && f.code.startsWith('derivative.'));
      assert.deepEqual(own, [], file);
      const planted = text.replace('\\\\frac{1-\\\\bar{\\\\alpha}_{t-1}}{1-\\\\bar{\\\\alpha}_t}', '\\\\frac{1-\\\\bar{\\\\alpha}_t}{1-\\\\bar{\\\\alpha}_{t-1}}');
      assert.notEqual(planted, text, `${file}: the formula is there to plant in`);
      const caught = (await checkNotebookAndRun(parseNotebook(planted, path), runtime)).findings.filter((f) => f.code === 'derivative.wrong');
      assert.ok(caught.some((f) => /The ratio is inverted/.test(f.message)), `${file}: ${caught.map((f) => f.message).join('\n')}`);
    }
  });
});
