/** The one-line exam summary and the HTML report, on the examples and on hostile notebook text. */
import { strict as assert } from 'node:assert';
import { toHtml } from '../../src/core/report/html';
import { examSummary } from '../../src/core/report/summary';
import { REVISED_EXAMPLE, SEED_EXAMPLE, check, checkNotebook, md, readNotebook } from '../helpers';

describe('report: exam summary and HTML', () => {
  it('the seed: 4 of the 6 answers the key asks for, at most 36 of 50 points', () => {
    assert.equal(examSummary(checkNotebook(readNotebook(SEED_EXAMPLE))), 'Exam 4/6 · ≤36/50');
    assert.equal(examSummary(checkNotebook(readNotebook(REVISED_EXAMPLE))), 'Exam 6/6 · ≤50/50');
    assert.equal(examSummary(check([md('# Notes\n\n$x$')])), undefined, 'no pack, no exam summary');
  });

  it('HTML lists questions and findings, and escapes everything taken from the notebook', () => {
    const hostile = check([md('# <img src=x onerror=alert(1)>\n\n$\\frac{<script>alert(2)</script>$\n\n![a](<img src=y onerror=alert(3)>.png)')], '/tmp/<b>evil</b>.ipynb');
    const html = toHtml([hostile, checkNotebook(readNotebook(SEED_EXAMPLE))], '1.0');
    assert.doesNotMatch(html, /<img|<script|<b>/i, 'no markup from the notebook survives');
    assert.match(html, /&lt;b&gt;evil&lt;\/b&gt;\.ipynb/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
    assert.match(html, /<td>Q6<\/td><td>Diffusion models<\/td><td>7<\/td><td>missing<\/td>/);
    assert.match(html, /<strong>Exam 4\/6 · ≤36\/50<\/strong>/);
    assert.match(html, /<td>cell 30:1:1<\/td><td>error<\/td><td>6<\/td><td>Question 6 \(Diffusion models, 7 points\) is mandatory and has no answer\.<\/td>/);
  });
});
