/**
 * Question 3 in the notations students use: intermediate variables, dotted tangents, barred adjoints, ∂u/∂x
 * and ∂f/∂u, tables (markdown and LaTeX arrays), functions without backslashes. The answers in
 * test/fixtures/q3 and test/fixtures/q3-round2 were written by helpers that had not read the checker, each
 * with a manifest naming its one mistake (or none); every number in them was verified with PyTorch.
 * A correct answer gets no error or warning; a wrong one gets one error, on the mistaken equation, and every
 * other error it gets is marked as following from it.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { bareNames, NotationTable, normaliseDerivation } from '../../src/core/math/notation';
import { LineIndex } from '../../src/core/text';
import { exampleCells, md, notebookOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

interface Entry {
  readonly file: string;
  readonly correct: boolean;
  readonly point: readonly number[];
  readonly mistake?: { readonly kind: string; readonly equation: string };
}

/** The seed example with Question 3 answered by this markdown (after its prompt, cell 21). */
async function q3(answer: string): Promise<{ findings: Finding[]; verdict: unknown; cell: number }> {
  const cells: RawCell[] = exampleCells();
  cells.splice(22, 0, md(answer));
  const report = await checkNotebookAndRun(notebookOf(cells), runtime);
  const part = report.judgement?.parts.find((p) => p.id === '3');
  return { findings: report.findings.filter((f) => f.question === '3'), verdict: part, cell: 22 };
}

const ROOT = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const rounds = ['q3', 'q3-round2'].filter((r) => existsSync(join(ROOT, r, 'manifest.json')));

/**
 * Mistakes in a form nbcheck does not read, with what it says instead (not judged, never wrong): adjoints
 * carried as pairs for both outputs at once (`\bar v_0 = (1.7552, 0.8109)`).
 */
const UNREAD: Readonly<Record<string, RegExp>> = { 'q3-round2/09-vector-adjoints.md': /no seed for this reverse pass/ };

const problems = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.severity !== 'info' && (f.code.startsWith('derivative.') || f.code === 'math.parse-error'));
const show = (fs: readonly Finding[]): string => fs.map((f) => `${f.code} L${(f.range?.start.line ?? -1) + 1}: ${f.message}`).join('\n');

describe('Question 3 in the notations students use', function () {
  this.timeout(120_000);

  for (const round of rounds) {
    const manifest = JSON.parse(readFileSync(join(ROOT, round, 'manifest.json'), 'utf8')) as Entry[];
    for (const entry of manifest) {
      const source = readFileSync(join(ROOT, round, entry.file), 'utf8');
      if (entry.correct) {
        it(`${round}/${entry.file}: correct, nothing flagged`, async () => {
          const { findings } = await q3(source);
          assert.deepEqual(show(problems(findings)), '');
        });
        continue;
      }
      const unread = UNREAD[`${round}/${entry.file}`];
      if (unread) {
        it(`${round}/${entry.file}: its ${entry.mistake?.kind} is in a form nbcheck does not read: not judged, with why, and nothing flagged wrongly`, async () => {
          const { findings } = await q3(source);
          assert.deepEqual(show(problems(findings).filter((f) => !f.consequence && f.code !== 'derivative.wrong-value')), '');
          assert.ok(findings.some((f) => f.code === 'math.unread' && unread.test(f.message)), show(findings));
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
    const aspects = (verdict as { aspects: { kind: string; state: string; summary: string }[] }).aspects;
    const d = aspects.find((a) => a.kind === 'differentiation');
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
});
