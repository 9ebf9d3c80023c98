/**
 * Question 3's final Jacobian written as a matrix, read entry by entry and judged as the results written one
 * by one are; and a graph the answer gives outside its math (a code block), read when it is plain assignments
 * and said to be not judged, with why, when it is not. Fixtures in test/fixtures/q3-jacobian (their manifest
 * is checked with the other rounds' in derivation.test.ts) and variants of them and of round 2's 10.
 */
import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/core/findings';
import { codeToTex } from '../../src/core/run/derivation-code';
import { layoutWords } from '../../src/core/run/derivative-jacobian';
import { derivationAspect, fixture, lineOf, problems, q3, show, unreadNotes } from './q3-answers';

/** `replace` without its `$` patterns (answers are full of dollars). */
const swap = (s: string, from: string, to: string): string => {
  assert.ok(s.includes(from), `the answer has ${from}`);
  return s.split(from).join(to);
};
/** Where a finding starts: [cell, line, character]. */
const at = (f: Finding | undefined): [number | undefined, number | undefined, number | undefined] => [f?.cell, f?.range?.start.line, f?.range?.start.character];
/** The column of `text` on the line where `on` is (where `text` is, by default). */
const columnOf = (source: string, text: string, on = text): number => (source.split('\n')[lineOf(source, on)] ?? '').indexOf(text);

describe('Question 3: the Jacobian written as a matrix', function () {
  this.timeout(120_000);
  const transposed = fixture('q3-jacobian', '03-transposed-stated.md');
  const SAID = 'I write the Jacobian transposed, as the gradients side by side: the rows are the inputs $x, y$ and the columns are the outputs $f_1, f_2$.';

  it('a correct J = [∂f_i/∂x_j] = [numbers] in bmatrix: nothing flagged, and the verdict names the four derivatives', async () => {
    const { findings, verdict } = await q3(fixture('q3-jacobian', '01-correct-bmatrix.md'));
    assert.deepEqual(show([...problems(findings), ...unreadNotes(findings)]), '');
    const d = derivationAspect(verdict);
    assert.equal(d?.state, 'checked');
    assert.match(d?.summary ?? '', /∂f1\/∂x, ∂f1\/∂y, ∂f2\/∂x, ∂f2\/∂y equal the true derivatives \(as numbers, at the point the answer states, \(x, y\) = \(0\.6, 1\.5\)/);
  });

  it('one wrong entry is one error on that entry, naming it, its place in the matrix, the stated and the true value', async () => {
    const source = fixture('q3-jacobian', '02-wrong-entry.md');
    const { findings, cell, verdict } = await q3(source);
    const errors = problems(findings);
    assert.deepEqual(errors.map((f) => [f.code, ...at(f), f.range?.end.character]), [['derivative.wrong-value', cell, lineOf(source, '0.9303'), columnOf(source, '0.9303'), columnOf(source, '0.9303') + 6]]);
    assert.equal(errors[0]?.message, '∂f2/∂x (row 2, column 1 of the Jacobian) at (x, y) = (1.1, 0.3) is 0.900326, not 0.9303 (the point the answer states; forward and reverse mode agree).');
    assert.equal(derivationAspect(verdict)?.summary, 'a wrong value');
  });

  it('named \\mathbf{J}_f(x, y) with an evaluation bar, in \\left[ matrix \\right], as a labelled array, or Df in an aligned block: read the same way', async () => {
    const good = fixture('q3-jacobian', '01-correct-bmatrix.md');
    const matrix = good.slice(good.indexOf('$$\nJ ='));
    const forms = [
      '$$\n\\mathbf{J}_f(x, y) \\Big|_{(0.6, 1.5)} = \\left[\\begin{matrix} 0.3229 & -0.1692 \\\\ 1.0544 & 0.1137 \\end{matrix}\\right]\n$$\n',
      '$$\n\\begin{aligned}\nDf &= \\begin{bmatrix} 0.3229 & -0.1692 \\\\ 1.0544 & 0.1237 \\end{bmatrix}\n\\end{aligned}\n$$\n',
      '$$\nJ = \\left[\\begin{array}{c|cc} & x & y \\\\ \\hline f_1 & 0.3229 & -0.1692 \\\\ f_2 & 1.0544 & 0.1137 \\end{array}\\right]\n$$\n',
    ];
    for (const form of [forms[0], forms[2]]) {
      const { findings } = await q3(swap(good, matrix, form as string));
      assert.deepEqual(show([...problems(findings), ...unreadNotes(findings)]), '', form);
    }
    const source = swap(good, matrix, forms[1] as string);
    const { findings, cell } = await q3(source);
    assert.deepEqual(problems(findings).map((f) => [f.message, ...at(f)]), [['∂f2/∂y (row 2, column 2 of the Jacobian) at (x, y) = (0.6, 1.5) is 0.113684, not 0.1237 (the point the answer states; forward and reverse mode agree).', cell, lineOf(source, 'Df &='), columnOf(source, '0.1237')]]);
  });

  it('a wrong entry that repeats a wrong result stated before it is not counted again', async () => {
    const source = swap(fixture('q3-jacobian', '02-wrong-entry.md'), 'So the Jacobian is', 'So $\\frac{\\partial f_2}{\\partial x} = 0.9303$ and the Jacobian is');
    const errors = problems((await q3(source)).findings);
    assert.deepEqual(errors.map((f) => [f.range?.start.line, Boolean(f.consequence)]), [[lineOf(source, 'So $'), false], [lineOf(source, '$$J_f'), true]]);
    assert.match(errors[1]?.message ?? '', /It repeats the value reported above \(line 15\), so it is not counted again\.$/);
  });

  it('a transposed layout the answer states (J^T and words, J^T alone, words alone) is read as stated', async () => {
    const variants = [transposed, swap(transposed, SAID, 'The Jacobian:'), swap(transposed, 'J^T =', 'J =')];
    for (const source of variants) {
      const { findings } = await q3(source);
      assert.deepEqual(show([...problems(findings), ...unreadNotes(findings)]), '', source.slice(-300));
    }
  });

  it('a wrong entry of a transposed Jacobian is named by the derivative it stands for, and by how it was read', async () => {
    const source = swap(transposed, '0.0201 & 0.0941', '0.0301 & 0.0941');
    const { findings, cell } = await q3(source);
    const errors = problems(findings);
    assert.deepEqual(errors.map((f) => [f.code, ...at(f)]), [['derivative.wrong-value', cell, lineOf(source, '0.0301'), columnOf(source, '0.0301')]]);
    assert.equal(errors[0]?.message, '∂f1/∂y (row 2, column 1 of the Jacobian, read with rows x, y and columns f_1, f_2 as the answer writes it transposed) at (x, y) = (0.4, -0.8) is 0.0201323, not 0.0301 (the point the answer states; forward and reverse mode agree).');
  });

  it('the same matrix with no word of a transpose is read rows f_1, f_2: its two off-diagonal entries are wrong, and the errors say it may be transposed', async () => {
    const source = swap(swap(transposed, SAID, 'The Jacobian:'), 'J^T =', 'J =');
    const { findings, cell } = await q3(source);
    const errors = problems(findings);
    assert.deepEqual(errors.map((f) => [f.code, ...at(f)]), [['derivative.wrong-value', cell, lineOf(source, '0.7191 &'), columnOf(source, '-0.4968', '0.7191 &')], ['derivative.wrong-value', cell, lineOf(source, '0.7191 &'), columnOf(source, '0.0201', '0.7191 &')]]);
    assert.equal(errors[0]?.message, '∂f1/∂y (row 1, column 2 of the Jacobian) at (x, y) = (0.4, -0.8) is 0.0201323, not -0.4968 (the point the answer states; forward and reverse mode agree). It is the value of ∂f2/∂x: if the matrix is written with rows x, y (the Jacobian transposed), say so, and it is read that way.');
  });

  it('labels written in the matrix, and a matrix of partials laid out transposed, say which entry is which', async () => {
    const labelled = swap(swap(transposed, SAID, 'The Jacobian, labelled:'), 'J^T = \\begin{bmatrix} 0.7191 & -0.4968 \\\\ 0.0201 & 0.0941 \\end{bmatrix}', 'J = \\begin{bmatrix} & f_1 & f_2 \\\\ x & 0.7191 & -0.4968 \\\\ y & 0.0201 & 0.0941 \\end{bmatrix}');
    const partials = swap(swap(transposed, SAID, 'The Jacobian:'), 'J^T =', '\\begin{bmatrix} \\partial f_1/\\partial x & \\partial f_2/\\partial x \\\\ \\partial f_1/\\partial y & \\partial f_2/\\partial y \\end{bmatrix} =');
    for (const source of [labelled, partials]) {
      const { findings } = await q3(source);
      assert.deepEqual(show([...problems(findings), ...unreadNotes(findings)]), '', source.slice(-300));
    }
    const wrong = swap(labelled, 'x & 0.7191 & -0.4968', 'x & 0.7191 & -0.5968');
    const errors = problems((await q3(wrong)).findings);
    assert.deepEqual(errors.map((f) => f.message), ['∂f2/∂x (row 1, column 2 of the Jacobian, as the labels of its rows say) at (x, y) = (0.4, -0.8) is -0.496765, not -0.5968 (the point the answer states; forward and reverse mode agree).']);
  });

  it('∂(f_1, f_2)/∂(x, y) = a pmatrix of closed forms = a pmatrix of numbers: each entry judged as an expression and as a number', async () => {
    const good = fixture('q3-jacobian', '04-pmatrix-closed-forms.md');
    assert.deepEqual(show(problems((await q3(good)).findings)), '');
    const source = swap(good, '2x\\ln(1+xy) + \\frac{x^2 y}{1+xy} &', '2x\\ln(1+xy) + \\frac{x^2}{1+xy} &');
    const { findings, cell } = await q3(source);
    const errors = problems(findings);
    assert.deepEqual(errors.map((f) => [f.code, ...at(f)]), [['derivative.wrong', cell, lineOf(source, '\\frac{\\partial (f_1'), columnOf(source, '2x\\ln(1+xy) + \\frac{x^2}{1+xy}')]]);
    assert.equal(errors[0]?.message, 'This ∂f2/∂x (row 2, column 1 of the Jacobian) is not the derivative of f2: at (x, y) = (0.5, 0.7) the expression is 0.48529, where ∂f2/∂x = 0.429734 (forward and reverse mode agree).');
  });

  it('a Jacobian nbcheck cannot read entry by entry is not judged, with the equation and why', async () => {
    const lead = swap(transposed, SAID, 'The Jacobian:');
    const cases: [string, string][] = [
      [swap(lead, 'J^T = \\begin{bmatrix} 0.7191 & -0.4968 \\\\ 0.0201 & 0.0941 \\end{bmatrix}', 'J = \\begin{bmatrix} 0.7191 & -0.4968 \\\\ 0.0201 & 0.0941 \\\\ 1 & 2 \\end{bmatrix}'), 'Not judged: the Jacobian is written as a 3×2 matrix, where f has 2 outputs and 2 inputs (nbcheck reads its rows as f_1, f_2 and its columns as x, y, or the other way round where the answer says so); it is graded by hand.'],
      [swap(transposed, SAID, 'Its rows are the outputs, or rather the rows are the inputs:'), 'Not judged: the answer\'s words give two layouts for the Jacobian (rows the outputs, and rows the inputs), so nbcheck cannot tell which entry is which; it is graded by hand.'],
    ];
    for (const [source, message] of cases) {
      const { findings, cell, verdict } = await q3(source);
      assert.deepEqual(show(problems(findings)), '');
      assert.deepEqual(unreadNotes(findings).map((f) => [f.severity, ...at(f), f.message]), [['info', cell, lineOf(source, 'J'.concat(source.includes('J^T') ? '^T' : ' =')), 0, message]]);
      assert.match(derivationAspect(verdict)?.summary ?? '', /; not judged: math nbcheck could not read$/);
    }
  });

  it('reads what the words say of the layout', () => {
    assert.equal(layoutWords('(rows $f_1, f_2$; columns $x, y$)'), 'standard');
    assert.equal(layoutWords('the rows are the inputs $x, y$ and the columns the outputs'), 'transposed');
    assert.equal(layoutWords('I write it transposed'), 'transposed');
    assert.equal(layoutWords('not transposed: each row is the gradient of one output'), 'standard');
    assert.equal(layoutWords('row i holds ∂f_i/∂x and ∂f_i/∂y'), 'standard');
    assert.equal(layoutWords('from the backward pass'), undefined);
  });
});

describe('Question 3: a graph the answer writes outside its math', function () {
  this.timeout(120_000);
  const round2 = fixture('q3-round2', '10-vector-tangents-closed-form.md');
  const definitions = round2.slice(round2.indexOf('```\nq1 = x'), round2.indexOf('```', round2.indexOf('```\nq1 = x') + 3) + 3);

  it('round 2\'s 10: the code block of assignments is its graph, so its tangents and adjoints are judged; a slip in one is an error on its line', async () => {
    const { findings } = await q3(round2);
    assert.deepEqual(show(unreadNotes(findings)), '');
    assert.deepEqual(problems(findings).map((f) => f.code), ['derivative.wrong']);
    const tangent = swap(round2, '= (-0.8333,\\ 1.3333)', '= (-0.9333,\\ 1.3333)');
    const t = await q3(tangent);
    assert.deepEqual(problems(t.findings).map((f) => [f.code, ...at(f)]), [['derivative.tangent', t.cell, lineOf(tangent, '\\dot q_9 &='), 0], ['derivative.wrong', t.cell, lineOf(tangent, '- $\\dfrac{\\partial f_2}{\\partial x}'), 3]]);
    assert.equal(problems(t.findings)[0]?.message, "q\u0307_9 is wrong in its ∂/∂x component at (x, y) = (0.8, -0.5): it is stated as -0.9333, where ∂q_9/∂x = \\dot q_8 / q_8 = -0.833333 (forward mode through the answer's own graph, each component seeded by its input: ẋ = 1 for ∂/∂x, ẏ = 1 for ∂/∂y).");
    const adjoint = swap(round2, '\\cos q_5 = 0.2492', '\\cos q_5 = 0.3492');
    const a = await q3(adjoint);
    assert.equal(show(problems(a.findings).slice(0, 1)), `derivative.adjoint L${lineOf(adjoint, '$\\bar q_6 = q_3') + 1}: q\u0304_5 is stated as 0.3492, but q\u0304_5 = \\bar q_6\\cos q_5 = 0.249228 at (x, y) = (0.8, -0.5) (reverse mode through the answer's own graph, from q_7's adjoint 1).`);
  });

  it('with the graph only drawn, its tangents and adjoints are not judged: one note on the first of them, naming the nodes and why; the verdict lists it', async () => {
    const source = swap(round2, definitions, '');
    const { findings, cell, verdict } = await q3(source);
    assert.deepEqual(unreadNotes(findings).map((f) => [f.severity, ...at(f)]), [['info', cell, lineOf(source, 'so both seeds at once'), columnOf(source, '\\dot q_1 = (1,0)')]]);
    assert.equal(unreadNotes(findings)[0]?.message, `Not judged: q_1, q_2, q_3, q_4, q_5, q_6, q_7, q_8, q_9 and q_10 are not defined in the answer's math; they are written in a code block (line ${lineOf(source, 'picture:') + 3}), which nbcheck reads only when every line is an assignment such as u1 = x * y (\`q1 ──┬──► sq ─► q3 ─────────────────────…\` is not one), so the 8 tangents and 8 adjoints stated for them (q\u0307_1, q\u0307_2, q\u0307_3, …) are not judged; it is graded by hand.`);
    const d = derivationAspect(verdict);
    assert.equal(d?.summary, 'a wrong formula; not judged: math nbcheck could not read');
    assert.ok(d?.says.includes(unreadNotes(findings)[0]?.message ?? ''));
  });

  it('a code block with a line that is not an assignment is not read, and the note quotes that line', async () => {
    const source = swap(round2, 'q9 = ln(q8)       (ln)', 'q9 = ln(q8)       (ln)\nf = (q7, q10)');
    const { findings, cell } = await q3(source);
    assert.deepEqual(unreadNotes(findings).map((f) => [f.cell, f.range?.start.line]), [[cell, lineOf(source, 'so both seeds at once')]]);
    assert.match(unreadNotes(findings)[0]?.message ?? '', /^Not judged: q_1, .* and q_10 are not defined in the answer's math; they are defined in a code block \(line 9\), which nbcheck reads only when every line is an assignment such as u1 = x \* y \(`f = \(q7, q10\)` is not one\), so /);
  });

  it('a node defined from a name the answer never defines: its quantities, and a pass seeded at it, are not judged, and say so', async () => {
    const source = swap(round2, 'const nodes: k1 = 1 , k2 = π/2', 'const nodes: k1 = 1');
    const { findings, cell } = await q3(source);
    assert.deepEqual(show(problems(findings)), show(problems((await q3(round2)).findings)));
    assert.deepEqual(unreadNotes(findings).map((f) => [f.cell, f.range?.start.line, f.message]), [
      // q̇_5 = q̇_4 = (-0.5, 0.8) is still checked against its rule with the answer's own q̇_4; q̇_6 has no value to check against.
      [cell, lineOf(source, '\\dot q_6 &='), "Not judged: q_5, q_6 and q_7 are defined from k_2, which is not defined in the answer's math, so the 2 tangents and 2 adjoints stated for them (q\u0307_6, q\u0307_7, q\u0304_6, …) are not judged; it is graded by hand."],
      [cell, lineOf(source, '$\\bar q_6 = q_3'), "Not judged: q_7 is defined from k_2, which is not defined in the answer's math, so the reverse pass seeded at q_7 (q\u0304_3, q\u0304_4, q\u0304_2, …) is not judged; it is graded by hand."],
    ]);
  });

  it('reads Python-style arithmetic as LaTeX, and refuses anything else', () => {
    assert.equal(codeToTex('q1 ** 2'), 'q_1^{2}');
    assert.equal(codeToTex('sin(q5) * q3 / 2'), '\\frac{\\sin\\left(q_5\\right) \\cdot q_3}{2}');
    assert.equal(codeToTex('np.log(1 + u_12) - pi'), '\\ln\\left(1 + u_{12}\\right) - \\pi');
    assert.equal(codeToTex('-x^2'), '-x^{2}');
    assert.throws(() => codeToTex('torch.tensor(1.0)'), /`torch\.tensor` is not a name nbcheck reads/);
    assert.throws(() => codeToTex('q1 q2'), /`q2` where the expression should end/);
  });
});
