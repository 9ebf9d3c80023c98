/**
 * Correct answers draw no warning or error, with everything on (static checks, the exercise run, the
 * catalogue, integrity signals, derivatives and formulas): the revised sample (written here) with its two
 * planted mistakes fixed, and with correct sentences that come close to the catalogue's misconceptions.
 */
import { strict as assert } from 'node:assert';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import { REVISED_EXAMPLE, exampleCells, md, notebookOf, srcOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

const swap = (s: string, from: string, to: string): string => {
  assert.ok(s.includes(from), from);
  return s.split(from).join(to);
};

describe('model answers', function () {
  this.timeout(60_000);

  it('no warning or error on correct answers, including sentences close to the misconceptions', async () => {
    const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
    const edit = (i: number, f: (s: string) => string): void => {
      cells[i] = md(f(srcOf(cells[i] as RawCell)));
    };
    // The sample's planted mistakes, fixed: the unclosed brace in Q3, the external image in Q5.
    edit(22, (s) => swap(s, '\\frac{x^3}{1+xy$', '\\frac{x^3}{1+xy}$'));
    edit(30, (s) => swap(s, '![architecture](https://example.org/vaegan.png)', ''));
    // Correct statements on the catalogue's topics.
    edit(7, (s) => `${s}\nThe boundary is not a hyperplane, and the model cannot represent a linear boundary, which a simple linear model can.`);
    edit(13, (s) => `${s}\nWith hard labels only the true class contributes to the gradient; with soft labels all C classes do.`);
    edit(15, (s) => `${s}\nThe number of nodes does not change. With a summed loss the gradient would double, so one would halve the learning rate.`);
    edit(26, (s) => `${s}\n\nUnlike RNNs, which cannot process the tokens of a sequence in parallel, transformers do.`);
    edit(37, (s) => `${s}\nClassic dropout instead multiplies the weights by the keep probability $1-p$ at inference. Dropped units get no gradient. Each process samples its own dropout mask: the masks are not the same on all GPUs. At inference BatchNorm uses the running statistics, not those of the batch.`);
    edit(22, (s) => `${s}\n\nAt the point $(x, y) = (1, 2)$: $f_1 = -0.416$, $\\frac{\\partial f_1}{\\partial x} = 2\\cos 2 - 2\\sin 2$, $\\frac{\\partial f_2}{\\partial y} = \\frac{1}{3}$.`);
    const r = await checkNotebookAndRun(notebookOf(cells), runtime);
    const flagged = r.findings.filter((f) => f.severity !== 'info');
    assert.deepEqual(flagged.map((f) => `${f.code} Q${f.question} cell ${f.cell}: ${f.message}`), []);
    assert.equal(r.run?.device, 'cpu', 'the exercise code ran');
    assert.ok(r.points && r.points.attainable === 50);
  });
});
