/**
 * Question 3 in the notations students use: intermediate variables, dotted tangents, barred adjoints, ∂u/∂x
 * and ∂f/∂u, tables (markdown and LaTeX arrays), functions without backslashes. The answers in
 * test/fixtures/q3 and test/fixtures/q3-round2 were written by helpers that had not read the checker, each
 * with a manifest naming its one mistake (or none); every number in them was verified with PyTorch. Those in
 * test/fixtures/q3-vector (passes carried as pairs) were written with the checker in view, in the same form.
 * A correct answer gets no error or warning; a wrong one gets one error, on the mistaken equation, and every
 * other error it gets is marked as following from it.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/core/findings';
import { bareNames, NotationTable, normaliseDerivation } from '../../src/core/math/notation';
import { matricesAsTuples, vectorEntries } from '../../src/core/run/derivation-pairs';
import { LineIndex } from '../../src/core/text';
import { derivationAspect, FIXTURES as ROOT, fixture, lineOf, problems, q3, show, unreadNotes, type Entry } from './q3-answers';

const rounds = ['q3', 'q3-round2', 'q3-vector', 'q3-jacobian'].filter((r) => existsSync(join(ROOT, r, 'manifest.json')));
/** Correct answers written in plain text, not math (`z3 = z1^2` in a list): not read, and said so. */
const PLAIN_TEXT = new Set(['03-notes-arrows-negative-y.md']);

describe('Question 3 in the notations students use', function () {
  this.timeout(120_000);

  for (const round of rounds) {
    const manifest = JSON.parse(readFileSync(join(ROOT, round, 'manifest.json'), 'utf8')) as Entry[];
    for (const entry of manifest) {
      const source = readFileSync(join(ROOT, round, entry.file), 'utf8');
      if (entry.correct) {
        it(`${round}/${entry.file}: correct, nothing flagged${PLAIN_TEXT.has(entry.file) ? '' : ', and nothing left unread'}`, async () => {
          const { findings } = await q3(source);
          assert.deepEqual(show(problems(findings)), '');
          if (!PLAIN_TEXT.has(entry.file)) assert.deepEqual(show(unreadNotes(findings)), '');
        });
        continue;
      }
      it(`${round}/${entry.file}: its ${entry.mistake?.kind} is one error, on its equation; what follows from it is not counted again`, async () => {
        const { findings, cell } = await q3(source);
        const errors = problems(findings).filter((f) => f.severity === 'error');
        const causes = errors.filter((f) => !f.consequence);
        assert.equal(causes.length, 1, show(errors));
        const f = causes[0] as Finding;
        assert.equal(f.cell, cell);
        const at = source.indexOf(entry.mistake?.equation ?? '\0');
        assert.ok(at >= 0, 'the manifest names an equation of the file');
        const lines = new LineIndex(source);
        const start = lines.offset(f.range?.start ?? { line: 0, character: 0 });
        const end = lines.offset(f.range?.end ?? { line: 0, character: 0 });
        // On the mistaken equation: the finding's range and the equation overlap.
        assert.ok(start < at + (entry.mistake?.equation.length ?? 0) && end > at, `${show([f])}\nexpected on: ${entry.mistake?.equation}`);
      });
    }
  }

  it('a wrong forward value is named with its definition and the true value at the stated point', async () => {
    const source = readFileSync(join(ROOT, 'q3', '07-wrong-forward-value-05-2.md'), 'utf8');
    const { findings } = await q3(source);
    const f = problems(findings).find((x) => !x.consequence) as Finding;
    assert.equal(f.code, 'derivative.node-value');
    assert.equal(f.message, 'u_7 is stated as 0.6391, but u_7 = \\ln(u_6) = 0.693147 at (x, y) = (0.5, 2).');
    const after = problems(findings).filter((x) => x.consequence);
    assert.ok(after.length >= 1 && after.every((x) => /It follows from the mistake reported earlier in the derivation \(line 24\), so it is not counted again\.$/.test(x.message)), show(after));
  });

  it('a wrong adjoint names the pass it is in and the rule with the true value', async () => {
    const source = readFileSync(join(ROOT, 'q3', '10-wrong-adjoint-2-1.md'), 'utf8');
    const f = problems((await q3(source)).findings).find((x) => !x.consequence) as Finding;
    assert.equal(f.code, 'derivative.adjoint');
    assert.match(f.message, /^u\u0304_6 is stated as 0\.333333, but u\u0304_6 = \\frac\{\\bar\{u\}_7\}\{u_6\} = 1\.33333 at \(x, y\) = \(2, 1\) \(reverse mode through the answer's own graph, from u_8's adjoint 1\)\.$/);
  });

  it('a node that is not a step of f is where the graph went wrong; the derivatives of the wrong graph follow from it', async () => {
    const source = readFileSync(join(ROOT, 'q3', '08-wrong-definition-1-1.md'), 'utf8');
    const errors = problems((await q3(source)).findings);
    const cause = errors.find((x) => !x.consequence) as Finding;
    assert.equal(cause.code, 'derivative.node');
    assert.match(cause.message, /^u_3 = \\sin\(u_2\) is not a step of f: with it, u_4 \(the answer's f_1\) is 0\.0857245 at \(x, y\) = \(0\.5, 0\.7\), where f_1 = 0\.234843\.$/);
    assert.ok(errors.filter((x) => x.consequence).every((x) => x.code === 'derivative.wrong'));
  });

  it('a wrong number in a table cell is an error on its row', async () => {
    const source = readFileSync(join(ROOT, 'q3', '02-correct-table-05-1.md'), 'utf8');
    const broken = source.replace('| $v_7$ | $\\ln v_6$ | 0.4055 |', '| $v_7$ | $\\ln v_6$ | 0.5055 |');
    assert.notEqual(broken, source);
    const errors = problems((await q3(broken)).findings);
    assert.deepEqual(errors.map((f) => [f.code, f.range?.start.line]), [['derivative.node-value', broken.split('\n').findIndex((l) => l.startsWith('| $v_7$'))]]);
    assert.match(errors[0]?.message ?? '', /^v_7 is stated as 0\.5055, but v_7 = \\ln\(v_6\) = 0\.405465 at \(x, y\) = \(0\.5, 1\)\.$/);
  });

  it('a correct derivation is checked, and the verdict says what was checked', async () => {
    const source = readFileSync(join(ROOT, 'q3', '01-correct-udot-1-2.md'), 'utf8');
    const { verdict } = await q3(source);
    const d = derivationAspect(verdict);
    assert.equal(d?.state, 'checked');
    assert.match(d?.summary ?? '', /\d+ forward values, \d+ tangents, \d+ adjoints of the answer's intermediate variables hold at \(x, y\) = \(1, 2\)/);
  });

  it('values without a point are not judged, and say so', async () => {
    const { findings } = await q3('$u_1 = x^2 = 1$, $u_2 = xy = 2$, $u_3 = u_2 + 1 = 5$');
    assert.deepEqual(problems(findings), []);
    assert.ok(findings.some((f) => f.code === 'math.unread' && /no point they are computed at/.test(f.message)));
  });

  it('a tangent with no seed is not judged, and says why', async () => {
    const { findings } = await q3('At $(x, y) = (1, 2)$: $u_1 = x^2 = 1$, $u_2 = xy = 2$.\n\n$\\dot{u}_2 = 7$');
    assert.deepEqual(problems(findings), []);
    assert.ok(findings.some((f) => f.code === 'math.unread' && /no seed for this forward pass/.test(f.message)), show(findings));
  });

  it('reads the notations: dots, bars, partials, bare function names, Griewank\'s v_{-1}', () => {
    const table = new NotationTable(bareNames(['a = x y', 'e = a + 1']));
    const read = (tex: string): string => normaliseDerivation(tex, table).replace(/\s+/g, ' ').trim();
    assert.equal(read('\\dot{u}_3 = \\dot u_1 u_2 + u_1\\dot{u_2}'), '\\mathrm{Zt1} = \\mathrm{Zt2} \\mathrm{Zv3} + \\mathrm{Zv4} \\mathrm{Zt5}');
    assert.equal(read('\\bar{u}_{3} = \\overline{u_3}'), '\\mathrm{Za6} = \\mathrm{Za6}');
    assert.equal(read('\\frac{\\partial u_3}{\\partial x} = \\frac{\\partial f_1}{\\partial u_3}'), '\\mathrm{Zt7} = \\mathrm{Za8}');
    assert.equal(read('\\frac{\\partial f_1}{\\partial x} = cos(xy)'), '\\frac{\\partial f_1}{\\partial x} = \\cos(xy)');
    assert.equal(read('e = ln(a) + e_1'), '\\mathrm{Zv9} = \\ln( \\mathrm{Zv10} ) + \\mathrm{Zv11}');
    assert.equal(read('v_{-1} = x'), '\\mathrm{Zv12} = x');
    assert.equal(read('u̇_3 = ū_3'), read('\\dot{u}_3 = \\bar{u}_3'));
  });

  describe('tangents and adjoints written as pairs over the two outputs or inputs', () => {

    it('round 2\'s vector adjoints: the missing path through xy is one error on the equation of v̄_0 (x̄), naming both components and their true values; the Jacobian\'s x column follows from it', async () => {
      const source = fixture('q3-round2', '09-vector-adjoints.md');
      const { findings, cell } = await q3(source);
      const errors = problems(findings);
      const causes = errors.filter((f) => !f.consequence);
      assert.equal(causes.length, 1, show(errors));
      const f = causes[0] as Finding;
      assert.deepEqual([f.code, f.cell, f.range?.start.line], ['derivative.adjoint', cell, lineOf(source, '$\\bar v_0 = \\bar v_2 \\cdot 2v_0')]);
      assert.equal(f.message, "v\u0304_0 is wrong in both components at (x, y) = (1, 0.5): for f_1, \\bar v_2 \\cdot 2v_0 gives 1.75517, where ∂f_1/∂v_0 = 1.51545; for f_2, \\bar v_2 \\cdot 2v_0 gives 0.81093, where ∂f_2/∂v_0 = 1.14426 (reverse mode through the answer's own graph, each component from its output's adjoint 1).");
      // The 2×2 Jacobian at the end is read entry by entry: its x column carries x̄'s two wrong components.
      const after = errors.filter((x) => x.consequence);
      assert.deepEqual(after.map((x) => [x.code, x.cell, x.range?.start.line, x.range?.start.character]), [
        ['derivative.wrong-value', cell, lineOf(source, '1.7552 & -0.4794'), 0],
        ['derivative.wrong-value', cell, lineOf(source, '0.8109 & 0.6667'), 0],
      ]);
      assert.equal(after[0]?.message, '∂f1/∂x (row 1, column 1 of the Jacobian) at (x, y) = (1, 0.5) is 1.51545, not 1.7552 (the point the answer states; forward and reverse mode agree). It follows from the mistake reported earlier in the derivation (line 72), so it is not counted again.');
      assert.equal(after[1]?.message, '∂f2/∂x (row 2, column 1 of the Jacobian) at (x, y) = (1, 0.5) is 1.14426, not 0.8109 (the point the answer states; forward and reverse mode agree). It follows from the mistake reported earlier in the derivation (line 72), so it is not counted again.');
      assert.deepEqual(show(unreadNotes(findings)), '');
    });

    it('a correct answer with row adjoints is checked component by component', async () => {
      const { findings, verdict } = await q3(fixture('q3-vector', '01-row-adjoints.md'));
      assert.deepEqual(show([...problems(findings), ...unreadNotes(findings)]), '');
      const d = derivationAspect(verdict);
      assert.equal(d?.state, 'checked');
      // Ten adjoints, two components each.
      assert.match(d?.summary ?? '', /\b20 adjoints of the answer's intermediate variables hold at \(x, y\) = \(2, 0\.25\)/);
    });

    it('one wrong component is an error naming that output and its true value; the numbers carried from it are not counted again', async () => {
      const source = fixture('q3-vector', '02-one-wrong-component.md');
      const { findings, cell } = await q3(source);
      const errors = problems(findings);
      const cause = errors.filter((f) => !f.consequence);
      assert.equal(cause.length, 1, show(errors));
      const line = lineOf(source, '- $\\bar{u}_6 =');
      assert.deepEqual([cause[0]?.code, cause[0]?.cell, cause[0]?.range?.start.line], ['derivative.adjoint', cell, line]);
      assert.equal(cause[0]?.message, "u\u0304_6 is wrong in its f_2 component at (x, y) = (0.5, 1): \\bar{u}_7 \\cdot u_6 gives 0.375, where ∂f_2/∂u_6 = 0.166667 (reverse mode through the answer's own graph, each component from its output's adjoint 1).");
      // ∂f2/∂x = 0.7805 and ∂f2/∂y = 0.1875 follow from it.
      const after = errors.filter((f) => f.consequence);
      assert.deepEqual(after.map((f) => [f.code, /is (0\.572132|0\.0833333), not (0\.7805|0\.1875)/.test(f.message), f.message.endsWith(`(line ${line + 1}), so it is not counted again.`)]), [['derivative.wrong-value', true, true], ['derivative.wrong-value', true, true]]);
    });

    it('a number slip in one component is named with its rule and the true value', async () => {
      const source = fixture('q3-vector', '01-row-adjoints.md').replace('= [0.8776, 0.4055]', '= [0.8776, 0.5055]');
      const errors = problems((await q3(source)).findings);
      assert.deepEqual(errors.map((f) => [f.code, f.range?.start.line]), [['derivative.adjoint', lineOf(source, '$\\bar u_1 =')]]);
      assert.equal(errors[0]?.message, "u\u0304_1 is wrong in its f_2 component at (x, y) = (2, 0.25): it is stated as 0.5055, where ∂f_2/∂u_1 = \\bar u_5 u_4 + \\bar u_8 u_7 = 0.405465 (reverse mode through the answer's own graph, each component from its output's adjoint 1).");
    });

    it('columns (pmatrix) and transposed rows (bmatrix^T) are read; a wrong entry is an error on its row of the aligned block', async () => {
      const good = fixture('q3-vector', '03-column-adjoints.md');
      const source = good.replace('\\begin{pmatrix} -1.2704 \\\\ 0 \\end{pmatrix} \\\\', '\\begin{pmatrix} -1.3704 \\\\ 0 \\end{pmatrix} \\\\').replace('0.8253 & 0.47 \\end{bmatrix}^T', '0.8253 & 0.57 \\end{bmatrix}^T');
      assert.notEqual(source, good);
      const { findings, cell } = await q3(source);
      const errors = problems(findings);
      assert.deepEqual(errors.map((f) => [f.code, f.cell, f.range?.start.line]), [['derivative.adjoint', cell, lineOf(source, '\\bar v_3 &=')], ['derivative.adjoint', cell, lineOf(source, '\\bar v_1 &=')]]);
      assert.match(errors[0]?.message ?? '', /^v\u0304_3 is wrong in its f_1 component at \(x, y\) = \(1\.5, 0\.4\): it is stated as -1\.3704, where ∂f_1\/∂v_3 = \\bar v_4 \\cos v_3 = -1\.27045 /);
      assert.match(errors[1]?.message ?? '', /^v\u0304_1 is wrong in its f_2 component at \(x, y\) = \(1\.5, 0\.4\): it is stated as 0\.57, where ∂f_2\/∂v_1 = \\bar v_5 v_4 \+ \\bar v_8 v_7 = 0\.470004 /);
    });

    it('tangents as pairs over (x, y): a wrong ∂/∂y component is an error on its equation; what follows from it is not counted again', async () => {
      const good = fixture('q3-vector', '04-tangent-pairs.md');
      const source = good.replace('= (-1.25, 3)', '= (-1.25, 2.4)').replace('= (-3.9991, 4.32)', '= (-3.9991, 3.456)').replace('{\\partial y} = 4.32$', '{\\partial y} = 3.456$');
      const { findings, cell } = await q3(source);
      const errors = problems(findings);
      const line = lineOf(source, '$\\dot w_9 =');
      assert.deepEqual(errors.map((f) => [f.code, f.cell, f.range?.start.line, Boolean(f.consequence)]), [['derivative.tangent', cell, line, false], ['derivative.wrong-value', cell, lineOf(source, 'So $'), true]]);
      assert.equal(errors[0]?.message, "w\u0307_9 is wrong in its ∂/∂y component at (x, y) = (1.2, -0.5): it is stated as 2.4, where ∂w_9/∂y = \\dot w_8 / w_8 = 3 (forward mode through the answer's own graph, each component seeded by its input: ẋ = 1 for ∂/∂x, ẏ = 1 for ∂/∂y).");
      assert.match(errors[1]?.message ?? '', /^∂f2\/∂y at \(x, y\) = \(1\.2, -0\.5\) is 4\.32, not 3\.456 /);
    });

    it('a declaration that orders the components otherwise, (∂f_2/∂u, ∂f_1/∂u), is followed', async () => {
      const good = fixture('q3-vector', '01-row-adjoints.md');
      const swapped = good.replace('[\\partial f_1/\\partial u_i,\\ \\partial f_2/\\partial u_i]', '[\\partial f_2/\\partial u_i,\\ \\partial f_1/\\partial u_i]').replace(/\[([-\d.]+), ([-\d.]+)\]/g, '[$2, $1]');
      assert.ok(swapped.includes('$\\bar u_5 = [0, 1]$'));
      assert.deepEqual(show(problems((await q3(swapped)).findings)), '');
      const wrong = swapped.replace('= [0.4055, 0.8776]', '= [0.4055, 0.7776]');
      assert.match(show(problems((await q3(wrong)).findings)), /^derivative\.adjoint L21: u\u0304_1 is wrong in its f_1 component at \(x, y\) = \(2, 0\.25\): it is stated as 0\.7776, where ∂f_1\/∂u_1 = .* = 0\.877583 /);
    });

    it('a table column of pairs (its header names both outputs) is read by component; a wrong one is an error on its row', async () => {
      const source = [
        'At $(x, y) = (2, 0.25)$.',
        '',
        '$u_1 = x^2$, $u_2 = xy$, $u_3 = u_2 + \\frac{\\pi}{2}$, $u_4 = \\sin(u_3)$, $u_5 = u_1 u_4 = f_1$, $u_6 = u_2 + 1$, $u_7 = \\ln(u_6)$, $u_8 = u_1 u_7 = f_2$',
        '',
        '| node | value | adjoint $(\\bar u^{f_1}, \\bar u^{f_2})$ |',
        '|---|---|---|',
        '| $u_8$ | 1.6219 | $(0, 1)$ |',
        '| $u_5$ | 3.5103 | $(1, 0)$ |',
        '| $u_7$ | 0.4055 | $(0, 4)$ |',
        '| $u_4$ | 0.8776 | $(4, 0)$ |',
        '| $u_6$ | 1.5 | $(0, 2.6667)$ |',
        '| $u_3$ | 2.0708 | $(-1.9177, 0)$ |',
        '| $u_2$ | 0.5 | $(-1.9177, 2.6667)$ |',
        '| $u_1$ | 4 | $(0.8776, 0.5055)$ |',
      ].join('\n');
      const { findings, cell } = await q3(source);
      const errors = problems(findings);
      assert.deepEqual(errors.map((f) => [f.code, f.cell, f.range?.start.line]), [['derivative.adjoint', cell, lineOf(source, '| $u_1$')]]);
      assert.equal(errors[0]?.message, "u\u0304_1 is wrong in its f_2 component at (x, y) = (2, 0.25): it is stated as 0.5055, where ∂f_2/∂u_1 = 0.405465 (reverse mode through the answer's own graph, each component from its output's adjoint 1).");
    });

    it('a pair nbcheck cannot read (three entries, a pair inside a product) is not judged, with the equation and why', async () => {
      const source = fixture('q3-vector', '01-row-adjoints.md')
        .replace('$\\bar u_3 = \\bar u_4 \\cos(u_3) = [-1.9177, 0]$', '$\\bar u_3 = \\bar u_4 \\cos(u_3) = [-1.9177, 0, 0]$')
        .replace('$\\bar u_7 = \\bar u_8 u_1 = [0, 4]$', '$\\bar u_7 = u_1 \\cdot [0, 1]$');
      const { findings, cell } = await q3(source);
      assert.deepEqual(show(problems(findings)), '');
      assert.deepEqual(unreadNotes(findings).map((f) => [f.severity, f.cell, f.range?.start.line, f.message]), [
        ['info', cell, lineOf(source, '$\\bar u_7 ='), 'Not judged: u\u0304_7 = u_1 \\cdot [0, 1] has a pair inside a longer expression, which nbcheck reads only where the pair stands alone, so it is not judged; it is graded by hand.'],
        ['info', cell, lineOf(source, '$\\bar u_3 ='), 'Not judged: u\u0304_3 is written with 3 entries, where nbcheck reads a pair over the two outputs, (∂f_1/∂·, ∂f_2/∂·), so it is not judged; it is graded by hand.'],
      ]);
    });

    it('reads vectors as pairs: matrices of one row or column, and the entries as written', () => {
      assert.equal(matricesAsTuples('\\bar v = \\begin{pmatrix} a \\\\ \\cos u_1 \\end{pmatrix}'), '\\bar v = (a, \\cos u_1)');
      assert.equal(matricesAsTuples('\\begin{bmatrix} 1 & 0 \\end{bmatrix}^T'), '(1, 0)^T');
      assert.equal(matricesAsTuples('\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}'), '((1, 2), (3, 4))');
      assert.deepEqual(vectorEntries(['Matrix', ['List', ['List', 2], ['List', 'u']]]), [2, 'u']);
      assert.deepEqual(vectorEntries(['Transpose', ['List', 1, 0]]), [1, 0]);
      assert.equal(vectorEntries(['Add', 1, 0]), undefined);
    });
  });
});
