/**
 * Frames: claims read as signed relations between concepts (src/core/assignment/frames.ts), on sentences
 * written here in the shapes the reader must tell apart (direction, negation, comparison, contrast,
 * counterfactual), and the notation's errors.
 */
import { strict as assert } from 'node:assert';
import { frameAsserts, frames, stem } from '../../src/core/assignment/frames';
import { phrases } from '../../src/core/assignment/phrases';

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

  it('reads a subject pronoun as what the sentence before named', () => {
    const d = frames({ dropunit: 'dropped neuron* | dropped unit*', getgrad: 'gradient* | updat*', asif: 'as if | like the others' })('dropunit getgrad asif => +');
    assert.ok(frameAsserts(d, 'they still get their gradient as if they were active', 'dropout zeroes the dropped neurons in the forward pass'));
    assert.ok(!frameAsserts(d, 'they still get their gradient as if they were active'));
    assert.ok(!frameAsserts(d, 'in the backward pass the gradient is computed as if by magic', 'the optimizer takes a step'));
  });

  it('pairs each mention with the nearest one of the other concept, and keeps a noun phrase out of the verb', () => {
    const g = frames({ gen: 'vae* | gan*:-', sharp: 'sharp* | blurr*:-' })('gen sharp => +');
    assert.ok(frameAsserts(g, 'vae samples = sharp, gan samples = blurry'));
    assert.ok(!frameAsserts(g, 'vae samples = blurry, gan samples = sharp'));
    // The combination fixes the VAE's blur: the VAE's samples are blurry, something else fixes them.
    assert.ok(!frameAsserts(g, 'the combination fixes the blurry samples of the vae'));
    assert.ok(frameAsserts(g, "the vae's reconstruction loss fixes the blurry gan samples"));
  });

  it('reads a relative clause about what it follows, not about the other side of a comparison', () => {
    const r = frames({ rnn: 'rnn* | transformer*:-', parallel: 'parallel*' })('rnn parallel => +');
    assert.ok(!frameAsserts(r, 'unlike rnns, which cannot process the tokens of a sequence in parallel, transformers do'));
    assert.ok(frameAsserts(r, 'unlike transformers, which are sequential, rnns process the tokens in parallel'));
  });

  it('asserts nothing wholly inside an if-clause closed by a comma, nor through a noun the negation takes', () => {
    const m = frames({ same: 'same | identical | different:-', mask: 'mask*' })('same@ mask@ => +');
    assert.ok(!frameAsserts(m, 'if the gpus used different masks, the noise would be correlated'));
    assert.ok(frameAsserts(m, 'if the gpus drew different masks the gradients would be inconsistent, so the same mask is broadcast'));
    const a = frames({ attn: 'attention', linear: 'linear* | quadratic*:-' })('attn linear => +');
    assert.ok(!frameAsserts(a, 'the quadratic cost of attention is not a problem here'));
    assert.ok(frameAsserts(a, 'the cost of attention is not quadratic'));
  });

  it('a blocker in one slot\'s clause only (`slot^c`), and not when it is what the claim is likened to', () => {
    const g = frames({ grad: 'gradient*', batch: 'batch*', cost: 'memory | comput*', train: 'training' });
    const doubles = g('batch! grad!^cost => +');
    assert.ok(frameAsserts(doubles, 'the memory grows with the batch size and the gradient is doubled as well'));
    assert.ok(!frameAsserts(doubles, 'with a doubled batch the computation of the gradient doubles'));
    const line = frames({ boundary: 'boundar*', line: 'line', linear: 'linear classifier*' })('boundary line ~linear => + near');
    assert.ok(frameAsserts(line, 'the boundary is a line since it is still a linear classifier'));
    assert.ok(!frameAsserts(line, 'a linear classifier has a boundary that is a line'));
    const stats = frames({ stats: 'test batch', infer: 'inference | eval mode', train: 'training' })('stats infer@ ~train => +');
    assert.ok(frameAsserts(stats, 'in eval mode it normalises with the test batch, the same way as in training'));
    assert.ok(!frameAsserts(stats, 'in training it uses the batch, at inference not the test batch'));
  });

  it('finds a pronoun\'s referent in the same sentence\'s earlier segment, and reads the grammar\'s words without typos', () => {
    const c = frames({ net: 'cnn* | mlp*:-', params: 'parameter*' })('net params! => +');
    assert.ok(frameAsserts(c, 'although a cnn fits images better, it has more parameters'));
    assert.ok(!frameAsserts(c, 'although a cnn fits images better, it has fewer parameters'));
    // "through" is not the contrast "though": the sentence stays one segment.
    const n = frames({ nodes: 'node* | graph', tensor: 'tensor*' })('nodes! ~tensor => +');
    assert.ok(!frameAsserts(n, 'the graph keeps its nodes; only the tensors flowing through it have twice as many rows'));
  });

  it('reads a notes arrow (read as "so") joining a mention to its result', () => {
    const s = frames({ instab: 'instabilit*' })('instab! => -');
    assert.ok(frameAsserts(s, 'gan training instability so solved in the hybrid'));
    assert.ok(!frameAsserts(s, 'gan training instability so still there in the hybrid'));
    const e = frames({ evalm: 'model.eval()', grad: 'requires_grad | gradient*' })('evalm@ grad! => - near');
    assert.ok(frameAsserts(e, 'model.eval() so requires_grad off'));
    assert.ok(!frameAsserts(e, 'model.eval() so dropout off, and torch.no_grad() so gradients off'));
  });

  it('a verb with an object of its own, a cleft negation and an abbreviation\'s dot', () => {
    const g = frames({ gen: 'vae* | gan*:-', sharp: 'sharp* | blurr* :-' })('gen sharp => +');
    // "lacks an encoder" says nothing of the GAN's samples; "disc." does not end the segment.
    assert.ok(!frameAsserts(g, 'overcome: vae blur (disc. loss so sharper), gan lacks an encoder'));
    const p = frames({ params: 'parameter*', overfit: 'over-fit* | under-fit*:-' })('params! overfit! => -');
    assert.ok(!frameAsserts(p, 'it is not the small model that over-fits more: with too few parameters a network tends to under-fit'));
    assert.ok(frameAsserts(p, 'with too few parameters a network over-fits more'));
  });

  it('reads a short header as the topic of what follows, and a describing relative clause as what its antecedent is', () => {
    const d = frames({ dropping: 'drops* | dropped*', infer: 'test time | inference' })('dropping infer@ => + near');
    assert.ok(frameAsserts(d, 'test time : dropout still drops units'));
    assert.ok(!frameAsserts(d, 'at test time all units are kept , and in training it drops units at random'));
    const g = frames({ gen: 'vae* | gan*:- | discriminator*:-', sharp: 'sharp* | blurr*:-' })('gen sharp => +');
    assert.ok(!frameAsserts(g, 'reduced blurriness : the discriminator can help, reducing the blurriness that is often a drawback in standalone vaes'));
    const p = frames({ params: 'parameter*', overfit: 'overfit*' })('params! overfit! => -');
    // ", which makes …" is about the event (fewer parameters), whose direction stands.
    assert.ok(!frameAsserts(p, 'this reduces the number of parameters, which makes the network less prone to overfitting'));
  });

  it('"no" before a noun of its own negates that noun; a pattern\'s "…" does not run across a contrast', () => {
    const r = frames({ inverted: 'inverted', rescale: 'scal*', infer: 'inference' })('inverted@ rescale infer@ => +');
    assert.ok(!frameAsserts(r, 'inference : no dropout , no scaling ( inverted dropout )'));
    const p = phrases({ few: 'few', lead: 'leads to' })('{few} parameters…{lead} over-fitting');
    assert.ok(p.test('too few parameters leads to over-fitting'));
    assert.ok(!p.test('too few parameters under-fit, whereas too many parameters is what leads to over-fitting'));
  });

  it('reads "*" as the multiplication sign, not as an empty prefix', () => {
    const l = frames({ lr: 'lr*', batch: 'batch*' })('batch! lr! => -');
    assert.ok(frameAsserts(l, 'batch twice so lr / 2'));
    assert.ok(!frameAsserts(l, 'batch twice so lr * 2'));
  });

  it('says what is wrong with a frame', () => {
    assert.throws(() => f('params overfit'), /ends with "=> \+" or "=> -"/);
    assert.throws(() => f('params lr => +'), /unknown concept lr/);
    assert.throws(() => f('=> +'), /at least one concept/);
    assert.throws(() => frames({ x: 'a | ' })('x => +'), /empty phrase in concept x/);
  });
});
