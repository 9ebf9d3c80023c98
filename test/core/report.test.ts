/** The one-line exam summary and the HTML report, on the examples and on hostile notebook text. */
import { strict as assert } from 'node:assert';
import { answersByQuestion, questionCells } from '../../src/core/report/answers';
import { toHtml } from '../../src/core/report/html';
import { examSummary } from '../../src/core/report/summary';
import { isHostToPanel, isPanelToHost } from '../../webview/src/messages';
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
    assert.match(html, /<th>Q6<\/th><th colspan="2">Diffusion models \(7 pts\)<\/th><th>missing<\/th>/);
    // Each part's verdict, with what it rests on.
    assert.match(html, /<tr class="part flagged"><td>7<\/td><td class="verdict">flagged<\/td><td>[0-9.]+–[0-9.]+ of 7 pts<\/td><td>3 misconceptions<\/td><\/tr>/);
    assert.match(html, /<tr class="part not-judged"><td>4<\/td><td class="verdict">not judged<\/td><td>[0-9.]+–7 of 7 pts<\/td><td>no catalogued misconception found \(3 looked for\)<\/td><\/tr>/);
    assert.match(html, /<p class="estimate">Estimate: [0-9.]+–[0-9.]+ of 50 \(an estimate from what nbcheck checked and found, not a grade\)\. It rests on: flagged: 1\.2, 1\.3\.4, 7 · not judged: /);
    assert.match(html, /<strong>Exam 4\/6 · ≤36\/50<\/strong>/);
    assert.match(html, /<td>cell 30:1:1<\/td><td>error<\/td><td>6<\/td><td>Question 6 \(Diffusion models, 7 points\) is mandatory and has no answer\.<\/td>/);
  });

  it('the panel shows a question at its first answer cell, or where the missing answer is reported', () => {
    const nb = readNotebook(SEED_EXAMPLE);
    const cells = questionCells(nb);
    const missing = checkNotebook(nb).findings.find((f) => f.code === 'structure.question-missing' && f.question === '6');
    assert.deepEqual(Object.fromEntries(cells), { '1': 5, '2': 18, '3': 20, '4': 25, '5': 29, '6': missing?.cell, '7': 35 });
    assert.equal(missing?.cell, 30);
  });

  it('the panel gets an answer\'s text and math apart, and no answers when the pack is off', () => {
    const nb = readNotebook(SEED_EXAMPLE);
    const q1 = answersByQuestion(nb).get('1') ?? [];
    assert.deepEqual(q1.map((c) => c.cell), [5, 7, 9, 10, 12, 14, 16]);
    assert.ok(q1.find((c) => c.cell === 7)?.pieces.some((p) => p.kind === 'math' && p.display && p.tex.includes('f_{w,b}(x) = 0')));
    assert.deepEqual(q1.find((c) => c.cell === 10)?.pieces.map((p) => p.kind), ['text'], 'code stays text');
    assert.equal(answersByQuestion(nb, []).size, 0);
  });
});

describe('panel messages: each end accepts only well-formed messages', () => {
  it('host → panel', () => {
    assert.ok(isHostToPanel({ type: 'clear' }));
    assert.ok(isHostToPanel({ type: 'exam', path: '/a.ipynb', questions: [], findings: [], macros: {} }));
    const graph = { nodes: [{ id: 'x', label: 'x', kind: 'input', notes: { value: '1' } }], edges: [], annotations: ['value'] };
    assert.ok(isHostToPanel({ type: 'graph', question: '3', view: { title: 't', note: '', graph, shown: ['value'], tables: [] } }));
    assert.ok(isHostToPanel({ type: 'graph', question: null, view: { title: 't', note: '', shown: [], tables: [] } }));
    assert.ok(isHostToPanel({ type: 'graphError', message: 'no graph' }));
    for (const bad of [null, 'exam', {}, { type: 'graph', question: 3, view: { title: 't', shown: [], tables: [] } }, { type: 'graph', question: null, view: { title: 't', shown: [], tables: [], graph: { nodes: [{ id: 1 }], edges: [], annotations: [] } } }, { type: 'exam', path: 1, questions: [], findings: [], macros: {} }, { type: 'exam', path: '', questions: {}, findings: [], macros: {} }, { type: 'answer', answer: { question: 4, cells: [] } }, { type: 'eval', code: 'x' }]) {
      assert.equal(isHostToPanel(bad), false, JSON.stringify(bad));
    }
  });

  it('panel → host', () => {
    assert.ok(isPanelToHost({ type: 'ready' }));
    assert.ok(isPanelToHost({ type: 'select', question: '4', reveal: true }));
    assert.ok(isPanelToHost({ type: 'reveal', cell: 10, line: 7, character: 0 }));
    assert.ok(isPanelToHost({ type: 'exportSvg', shown: ['value', '∂/∂x'] }));
    for (const bad of [undefined, { type: 'exportSvg', shown: 'value' }, { type: 'exportSvg', shown: [1] }, { type: 'exportSvg', shown: Array(20).fill('v') }, { type: 'select', question: '4' }, { type: 'select', question: 'x'.repeat(40), reveal: true }, { type: 'reveal', cell: -1, line: 0, character: 0 }, { type: 'reveal', cell: 1.5, line: 0, character: 0 }, { type: 'reveal', cell: '3', line: 0, character: 0 }, { type: 'run', command: 'rm' }]) {
      assert.equal(isPanelToHost(bad), false, JSON.stringify(bad));
    }
  });
});
