/**
 * Question 3: the function read from the prompt, its derivatives from the engine (forward and reverse mode,
 * checked against PyTorch in graph.test.ts), and an answer's stated derivatives checked by equivalence and by
 * value, each finding on its equation. Answers written here, as students write them.
 */
import { strict as assert } from 'node:assert';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { statedPoint } from '../../src/core/run/derivatives';
import { exampleCells, md, notebookOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

/** `replace` without its `$$` pattern (answers are full of dollars). */
const swap = (s: string, from: string, to: string): string => s.split(from).join(to);

/** The seed example with Question 3 answered by this markdown (after its prompt, cell 21). */
async function q3(answer: string): Promise<{ findings: Finding[]; source: string }> {
  const cells: RawCell[] = exampleCells();
  cells.splice(22, 0, md(answer));
  const report = await checkNotebookAndRun(notebookOf(cells), runtime);
  return { findings: report.findings.filter((f) => f.question === '3' && f.code.startsWith('derivative.')), source: answer };
}

const text = (source: string, f: Finding): string => {
  const lines = source.split('\n');
  const r = f.range;
  if (!r) return '';
  return r.start.line === r.end.line ? (lines[r.start.line] ?? '').slice(r.start.character, r.end.character) : '';
};

const RIGHT = [
  '**Forward pass** at the point $(x, y) = (1, 2)$: $v_1 = x^2 = 1$, $v_2 = xy = 2$, ...',
  '',
  '$$\\frac{\\partial f_1}{\\partial x} = 2x\\sin(xy+\\frac{\\pi}{2}) + x^2 y\\cos(xy+\\frac{\\pi}{2}) = 2\\cos 2 - 2\\sin 2 \\approx -2.651$$',
  '$$\\frac{\\partial f_1}{\\partial y} = x^3\\cos(xy + \\frac{\\pi}{2}) = -\\sin(2)$$',
  '$$\\frac{\\partial f_2}{\\partial x} = 2x\\ln(1+xy) + \\frac{x^2 y}{1+xy} = 2\\ln 3 + \\frac{2}{3}$$',
  '$$\\frac{\\partial f_2}{\\partial y} = \\frac{x^3}{1+xy} = \\frac{1}{3}$$',
].join('\n');

describe('Question 3: derivatives by hand', function () {
  this.timeout(60_000);

  it('right derivatives, written differently from the function (cos for sin + π/2 in one, values rounded): no finding', async () => {
    const { findings } = await q3(swap(RIGHT, 'x^3\\cos(xy + \\frac{\\pi}{2})', '-x^3\\sin(xy)'));
    assert.deepEqual(findings, []);
  });

  it('a wrong ∂f1/∂x (the product rule\'s second term forgotten) is an error on that equation, with a point as evidence', async () => {
    const answer = swap(RIGHT, '2x\\sin(xy+\\frac{\\pi}{2}) + x^2 y\\cos(xy+\\frac{\\pi}{2}) = 2\\cos 2 - 2\\sin 2 \\approx -2.651', '2x\\sin(xy+\\frac{\\pi}{2})');
    const { findings, source } = await q3(answer);
    assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
    const f = findings[0] as Finding;
    assert.equal(f.code, 'derivative.wrong');
    assert.equal(f.severity, 'error');
    assert.equal(text(source, f), '\\frac{\\partial f_1}{\\partial x} = 2x\\sin(xy+\\frac{\\pi}{2})');
    assert.match(f.message, /^This ∂f1\/∂x is not the derivative of f1: at \(x, y\) = \(0\.5, 0\.7\) the expression is [-0-9.]+, where ∂f1\/∂x = [-0-9.]+ \(forward and reverse mode agree\)\.$/);
  });

  it('the left-hand side written any of the ways students write it: each wrong derivative is caught', async () => {
    const wrong = '2x\\sin(xy+\\frac{\\pi}{2})';
    for (const lhs of ['\\partial f_1/\\partial x', '\\frac{d f_1}{d x}', '\\frac{\\partial f_{1}}{\\partial x}', '\\partial_x f_1', '\\dfrac{\\partial f_1}{\\partial x}', '\\frac{\\partial f_1}{\\partial x}(x, y)']) {
      const { findings } = await q3(`#### Answer:\nForward mode gives $$${lhs} = ${wrong}$$`);
      assert.deepEqual(findings.map((f) => f.code), ['derivative.wrong'], lhs);
    }
  });

  it('a wrong value at the stated point is an error on its equation; a rounded right one is not', async () => {
    const { findings, source } = await q3(RIGHT.split('= \\frac{1}{3}$$').join('= 0.5$$'));
    assert.deepEqual(findings.map((f) => f.code), ['derivative.wrong-value']);
    const f = findings[0] as Finding;
    assert.match(text(source, f), /^\\frac\{\\partial f_2\}\{\\partial y\}/);
    assert.equal(f.message, '∂f2/∂y at (x, y) = (1, 2) is 0.333333, not 0.5 (the point the answer states; forward and reverse mode agree).');
    const rounded = await q3(RIGHT.split('= \\frac{1}{3}$$').join('= 0.33$$'));
    assert.deepEqual(rounded.findings, []);
  });

  it('the outputs\' values: at the stated point, or at the point written with them', async () => {
    const ok = await q3(`${RIGHT}\n\n$f_1 = -0.416$, $f_2(1, 2) = 1.0986$ and $f_1(0.5, 1) = 0.25\\cos(0.5)$.`);
    assert.deepEqual(ok.findings, []);
    const { findings, source } = await q3(`${RIGHT}\n\n$f_1 = 0.416$, $f_2(1, 2) = 1.0986$ and $f_1(0.5, 1) = 0.25$.`);
    assert.deepEqual(findings.map((f) => [f.code, text(source, f)]), [['derivative.wrong-value', 'f_1 = 0.416'], ['derivative.wrong-value', 'f_1(0.5, 1) = 0.25']]);
    assert.equal(findings[0]?.message, 'f1 at (x, y) = (1, 2) is -0.416147, not 0.416 (the point the answer states).');
    assert.equal(findings[1]?.message, 'f1 at (x, y) = (0.5, 1) is 0.219396, not 0.25.');
  });

  it('numbers are not judged when the answer states no point', async () => {
    const { findings } = await q3(swap(RIGHT, 'at the point $(x, y) = (1, 2)$', '').split('= \\frac{1}{3}$$').join('= 0.5$$'));
    assert.deepEqual(findings, []);
  });

  it('reads the point however it is written', () => {
    assert.deepEqual(statedPoint('we evaluate at $(x,y) = (0.5, -1)$', ['x', 'y']), { x: 0.5, y: -1 });
    assert.deepEqual(statedPoint('Let $x = 2, y = 3$.', ['x', 'y']), { x: 2, y: 3 });
    assert.deepEqual(statedPoint('at the point (1, 2)', ['x', 'y']), { x: 1, y: 2 });
    assert.equal(statedPoint('for all x and y', ['x', 'y']), undefined);
  });
});
