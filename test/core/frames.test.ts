/**
 * Frames: claims read as signed relations between concepts (src/core/assignment/frames.ts), on sentences
 * written here in the shapes the reader must tell apart (direction, negation, comparison, contrast,
 * counterfactual), and the notation's errors.
 */
import { strict as assert } from 'node:assert';
import { frameAsserts, frames, stem } from '../../src/core/assignment/frames';

const f = frames({
  params: 'parameter* | weight*',
  overfit: 'overfit* | over-fit* | generaliz*:-',
  net: 'cnn* | mlp*:-',
  sum: 'summed | sum',
});
const reversed = f('params! overfit! => -');
const cnnMore = f('net params! => +');

describe('frames: claims as signed relations', () => {
  it('reads one stem for the forms of a word', () => {
    assert.equal(stem('increases'), stem('increasing'));
    assert.equal(stem('increased'), stem('increase'));
    assert.notEqual(stem('class'), stem('clas'));
  });

  const asserting = [
    'more parameters reduce over-fitting',
    'adding weights makes the model overfit less',
    'the fewer weights, the more it overfits',
    'with fewer parameters the network overfits more easily',
    'more parameters increases generalization',
    'more paramters help to prevent overfiting',
  ];
  for (const s of asserting) it(`asserts the reversed relation: "${s}"`, () => assert.ok(frameAsserts(reversed, s)));

  const not = [
    'more parameters increase over-fitting',
    'fewer parameters reduce over-fitting',
    'more parameters do not reduce over-fitting',
    'it is not true that more parameters reduce over-fitting',
    'if the model had more parameters it would overfit less',
    'more parameters give capacity, but weight sharing reduces overfitting',
    'the parameters are shared; overfitting is reduced',
  ];
  for (const s of not) it(`does not assert it: "${s}"`, () => assert.ok(!frameAsserts(reversed, s)));

  it('reads both sides of a comparison the same way', () => {
    assert.ok(frameAsserts(cnnMore, 'a cnn has more weights than an mlp'));
    assert.ok(frameAsserts(cnnMore, 'an mlp has fewer weights than a cnn'));
    assert.ok(!frameAsserts(cnnMore, 'a cnn has fewer weights than an mlp'));
    assert.ok(!frameAsserts(cnnMore, 'an mlp has more weights than a cnn'));
  });

  it('is set aside by its condition, and needs what it requires', () => {
    const g = frames({ grad: 'gradient*', sum: 'sum | summed', batch: 'batch*' });
    assert.ok(frameAsserts(g('grad! ~sum => +'), 'the gradient doubles'));
    assert.ok(!frameAsserts(g('grad! ~sum => +'), 'with a summed loss the gradient doubles'));
    assert.ok(!frameAsserts(g('grad! &batch => +'), 'the gradient doubles'));
    assert.ok(frameAsserts(g('grad! &batch => +'), 'with twice the batch the gradient doubles'));
  });

  it('says what is wrong with a frame', () => {
    assert.throws(() => f('params overfit'), /ends with "=> \+" or "=> -"/);
    assert.throws(() => f('params lr => +'), /unknown concept lr/);
    assert.throws(() => f('=> +'), /at least one concept/);
    assert.throws(() => frames({ x: 'a | ' })('x => +'), /empty phrase in concept x/);
  });
});
