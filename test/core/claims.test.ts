/**
 * Claims with numbers or relations, judged against what the answer itself does (checks/claims.ts,
 * checks/own-code.ts): the learning rate for a doubled batch written as a formula, in words, with the
 * answer's own loss reduction named; the gradient's scale likewise; every node count an answer states,
 * compared with the others. Answers written here in the forms students use, on the seed example.
 */
import { strict as assert } from 'node:assert';
import { learningRateFactor } from '../../src/core/checks/claims';
import type { Finding } from '../../src/core/findings';
import { check, code, exampleCells, md, type RawCell } from '../helpers';

/** The seed example with its 1.3.4 answer (cell 16), and optionally its CE code (cell 10) and 1.3.2 answer (cell 12), replaced. */
function seed(parts: { lr?: string; ce?: string; count?: string }): Finding[] {
  const cells: RawCell[] = exampleCells();
  if (parts.lr !== undefined) cells[16] = md(`#### Answer:\n${parts.lr}`);
  if (parts.ce !== undefined) cells[10] = code(parts.ce);
  if (parts.count !== undefined) cells[12] = md(`#### Answer:\n${parts.count}`);
  return [...check(cells).findings];
}

const lrFindings = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.code === 'prose.misconception' && (f.rule === 'q1.3-decrease-lr' || f.rule === 'q1.3-gradient-doubles'));

const MEAN_CE = 'import torch\nlogits = model(x)\nlogp = torch.log_softmax(logits, dim=1)\nloss = -logp.gather(1, y.view(-1, 1)).mean()\n';
const SUM_CE = 'import torch\nlogits = model(x)\nlogp = torch.log_softmax(logits, dim=1)\nloss = -torch.sum(logp.gather(1, y.view(-1, 1)))\n';

describe('claims with numbers or relations', () => {
  it('reads the factor a learning-rate formula puts on the rate when the batch doubles', () => {
    const cases: [string, number | undefined][] = [
      ['\\eta_{new} = \\eta \\cdot \\frac{B}{2B}', 0.5],
      ['\\eta_{new} = \\eta \\cdot \\frac{B_{old}}{B_{new}}', 0.5],
      ["\\eta' = \\frac{\\eta}{2}", 0.5],
      ['\\eta_2 = \\eta_1 \\cdot \\frac{B_1}{B_2}', 0.5],
      ['\\eta \\propto \\frac{1}{B}', 0.5],
      ['lr_{new} = lr \\cdot \\sqrt{2}', Math.SQRT2],
      ['\\eta_{2B} = 2\\eta_B', 2],
      ['\\tilde{\\eta} = \\eta', 1],
      ['\\eta \\propto B', 2],
      ['y = 2x', undefined],
      ['B_{new} = 2B', undefined],
    ];
    for (const [tex, want] of cases) {
      const got = learningRateFactor(tex);
      if (want === undefined) assert.equal(got, undefined, tex);
      else assert.ok(got !== undefined && Math.abs(got - want) < 1e-9, `${tex}: ${got}`);
    }
  });

  it('a formula halving the learning rate for a doubled mean-reduced batch is the catalogued misconception, at the formula, naming the answer\'s own mean', () => {
    const fs = lrFindings(seed({ lr: 'The computational graph stays the same. For the optimizer: $$\\eta_{new} = \\eta \\cdot \\frac{B}{2B}$$', ce: MEAN_CE }));
    assert.equal(fs.length, 1, fs.map((f) => f.message).join('\n'));
    const f = fs[0] as Finding;
    assert.equal(f.rule, 'q1.3-decrease-lr');
    assert.equal(f.cell, 16);
    assert.match(f.message, /^\$\\eta_\{new\} = \\eta \\cdot \\frac\{B\}\{2B\}\$ makes the new learning rate ½ of the old one for a doubled batch: With the loss averaged over the batch/);
    assert.match(f.message, /Your own loss averages over the batch \(`loss = -logp\.gather\(1, y\.view\(-1, 1\)\)\.mean\(\)`, cell 10, line 4\), so this holds for it too\./);
  });

  it('with the answer\'s own loss a sum, the message says so: consistent for a sum, not the course\'s mean', () => {
    const fs = lrFindings(seed({ lr: "Since the loss grows with the batch, $\\eta' = \\eta / 2$.", ce: SUM_CE }));
    assert.equal(fs.length, 1, fs.map((f) => f.message).join('\n'));
    assert.match(fs[0]?.message ?? '', /Your own loss sums over the batch \(`loss = -torch\.sum\(logp\.gather\(1, y\.view\(-1, 1\)\)\)`, cell 10, line 4\), for which this is consistent; but the course's loss is the mean over the batch\./);
  });

  it('keeping or increasing the rate, as a formula or in words, is not flagged', () => {
    for (const lr of ['$$\\eta_{new} = \\eta$$ since the gradient of a mean has the same scale.', 'By the linear scaling rule, $\\eta_{2B} = 2\\eta_B$.', 'We can use $lr_{new} = \\sqrt{2} \\cdot lr$.', 'Keep the learning rate as it is, or even increase it.']) {
      assert.deepEqual(lrFindings(seed({ lr, ce: MEAN_CE })).map((f) => f.message), [], lr);
    }
  });

  it('the same claim in words gets the own-code sentence too, once per sentence', () => {
    const fs = lrFindings(seed({ lr: 'We should halve the learning rate, $\\eta_{new} = \\eta/2$, because the gradients are bigger.', ce: MEAN_CE }));
    assert.equal(fs.length, 1, fs.map((f) => f.message).join('\n'));
    assert.match(fs[0]?.message ?? '', /^"We should halve the learning rate/);
    assert.match(fs[0]?.message ?? '', /Your own loss averages over the batch/);
  });

  it('a gradient that "doubles" in an answer whose loss is a mean: the misconception, naming the mean', () => {
    const fs = lrFindings(seed({ lr: 'With twice the samples the gradient will be two times bigger.', ce: MEAN_CE }));
    assert.deepEqual(fs.map((f) => f.rule), ['q1.3-gradient-doubles']);
    assert.match(fs[0]?.message ?? '', /Your own loss averages over the batch/);
  });

  it('a gradient formula that doubles with the batch, in an answer whose loss is a mean: the misconception at the formula; one that keeps its scale is not', () => {
    const fs = lrFindings(seed({ lr: 'The gradient grows: $$\\nabla L_{2B} = 2\\nabla L_B$$', ce: MEAN_CE }));
    assert.deepEqual(fs.map((f) => f.rule), ['q1.3-gradient-doubles']);
    assert.match(fs[0]?.message ?? '', /^\$\\nabla L_\{2B\} = 2\\nabla L_B\$ makes the gradient 2 times the old one for a doubled batch: .*Your own loss averages over the batch/);
    assert.deepEqual(lrFindings(seed({ lr: "With the mean, $g' = g$: the gradient keeps its scale.", ce: MEAN_CE })), []);
  });

  it('two different node counts in one answer (a code comment and the text) are a warning naming both', () => {
    const fs = seed({ ce: `${MEAN_CE}# the graph: x, y, model, log_softmax, gather, mean, neg -> 5 nodes\n`, count: 'There will be 7 nodes:' }).filter((f) => f.code === 'claim.inconsistent-count');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]?.severity, 'warning');
    assert.equal(fs[0]?.cell, 12);
    assert.equal(fs[0]?.message, 'This answer states two node counts for its graph: 5 (a code comment, cell 10 line 5) and 7 (text, here). Give one count, with what it counts.');
  });

  it('one count said twice, in words and digits, or counts of another part\'s graph: no warning', () => {
    assert.deepEqual(seed({ ce: `${MEAN_CE}# 7 nodes in total\n`, count: 'There will be seven nodes, and the number of nodes is 7.' }).filter((f) => f.code === 'claim.inconsistent-count'), []);
    // 1.3.3's graph (soft labels) is another graph: its count is not compared with 1.3.2's.
    const cells: RawCell[] = exampleCells();
    cells[14] = md('#### Answer:\nWith soft labels the graph has 8 nodes.');
    assert.deepEqual(check(cells).findings.filter((f) => f.code === 'claim.inconsistent-count'), []);
  });
});
