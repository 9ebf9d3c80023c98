/**
 * Frames: claims read as signed relations between concepts (src/core/assignment/frames.ts), on sentences
 * written here in the shapes the reader must tell apart (direction, negation, comparison, contrast,
 * counterfactual), and the notation's errors.
 */
import { strict as assert } from 'node:assert';
import { frameAsserts, frameReads, frames, stem } from '../../src/core/assignment/frames';
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

  /** The reader's rules, each on sentences it must tell apart: [concepts, frame, asserting, not asserting]; a sentence may carry the one before it after " || ". */
  const RULES: [string, Record<string, string>, string, string[], string[]][] = [
    ['a subject pronoun is what the sentence before named', { dropunit: 'dropped neuron* | dropped unit*', getgrad: 'gradient* | updat*', asif: 'as if | like the others' }, 'dropunit getgrad asif => +',
      ['they still get their gradient as if they were active || dropout zeroes the dropped neurons in the forward pass'],
      ['they still get their gradient as if they were active', 'in the backward pass the gradient is computed as if by magic || the optimizer takes a step']],
    ['a pronoun\'s referent in the same sentence\'s earlier segment', { net: 'cnn* | mlp*:-', params: 'parameter*' }, 'net params! => +',
      ['although a cnn fits images better, it has more parameters'], ['although a cnn fits images better, it has fewer parameters']],
    ['each mention read with the nearest of the other concept; a noun phrase kept out of the verb', { gen: 'vae* | gan*:-', sharp: 'sharp* | blurr*:-' }, 'gen sharp => +',
      ['vae samples = sharp, gan samples = blurry', "the vae's reconstruction loss fixes the blurry gan samples"],
      ['vae samples = blurry, gan samples = sharp', 'the combination fixes the blurry samples of the vae', 'overcome: vae blur (disc. loss so sharper), gan lacks an encoder']],
    ['a describing relative clause says what its antecedent is', { gen: 'vae* | gan*:- | discriminator*:-', sharp: 'sharp* | blurr*:-' }, 'gen sharp => +',
      [], ['reduced blurriness : the discriminator can help, reducing the blurriness that is often a drawback in standalone vaes']],
    ['a relative clause is about what it follows, not the other side of a comparison', { rnn: 'rnn* | transformer*:-', parallel: 'parallel*' }, 'rnn parallel => +',
      ['unlike transformers, which are sequential, rnns process the tokens in parallel'], ['unlike rnns, which cannot process the tokens of a sequence in parallel, transformers do']],
    ['a reading wholly inside an if-clause closed by a comma asserts nothing', { same: 'same | identical | different:-', mask: 'mask*' }, 'same@ mask@ => +',
      ['if the gpus drew different masks the gradients would be inconsistent, so the same mask is broadcast'], ['if the gpus used different masks, the noise would be correlated']],
    ['a negation taking a noun of its own ("not a problem", "no dropout") does not negate the claim', { attn: 'attention', linear: 'linear* | quadratic*:-' }, 'attn linear => +',
      ['the cost of attention is not quadratic'], ['the quadratic cost of attention is not a problem here']],
    ['"no" before its own noun', { inverted: 'inverted', rescale: 'scal*', infer: 'inference' }, 'inverted@ rescale infer@ => +', [], ['inference : no dropout , no scaling ( inverted dropout )']],
    ['a blocker in one slot\'s clause only', { grad: 'gradient*', batch: 'batch*', cost: 'memory | comput*' }, 'batch! grad!^cost => +',
      ['the memory grows with the batch size and the gradient is doubled as well'], ['with a doubled batch the computation of the gradient doubles']],
    ['a blocker that names the subject does not block', { boundary: 'boundar*', line: 'line', linear: 'linear classifier*' }, 'boundary line ~linear => + near',
      ['the boundary is a line since it is still a linear classifier'], ['a linear classifier has a boundary that is a line']],
    ['a blocker the claim is likened to does not block', { stats: 'test batch', infer: 'inference | eval mode', train: 'training' }, 'stats infer@ ~train => +',
      ['in eval mode it normalises with the test batch, the same way as in training'], ['in training it uses the batch, at inference not the test batch']],
    ['the grammar\'s words match without typos ("through" is not "though")', { nodes: 'node* | graph', tensor: 'tensor*' }, 'nodes! ~tensor => +',
      [], ['the graph keeps its nodes; only the tensors flowing through it have twice as many rows']],
    ['a notes arrow joins a mention to its result', { instab: 'instabilit*' }, 'instab! => -', ['gan training instability so solved in the hybrid'], ['gan training instability so still there in the hybrid']],
    ['an arrow alone between two mentions does not part them', { evalm: 'model.eval()', grad: 'requires_grad | gradient*' }, 'evalm@ grad! => - near',
      ['model.eval() so requires_grad off'], ['model.eval() so dropout off, and torch.no_grad() so gradients off']],
    ['a cleft negation negates what follows', { params: 'parameter*', overfit: 'over-fit* | under-fit*:-' }, 'params! overfit! => -',
      ['with too few parameters a network over-fits more'], ['it is not the small model that over-fits more: with too few parameters a network tends to under-fit']],
    ['", which makes …" is about the event, whose direction stands', { params: 'parameter*', overfit: 'overfit*' }, 'params! overfit! => -',
      [], ['this reduces the number of parameters, which makes the network less prone to overfitting']],
    ['a short header is the topic of what follows', { dropping: 'drops* | dropped*', infer: 'test time | inference' }, 'dropping infer@ => + near',
      ['test time : dropout still drops units'], ['at test time all units are kept , and in training it drops units at random']],
    ['a pronoun after "and", "since" or a comma is the first clause\'s subject', { evalm: 'model.eval()', grad: 'gradient*' }, 'evalm@ grad! => - near',
      ['model.eval() switches the layers to inference mode, and it also stops the gradients', 'model.eval() is enough, since it turns the gradients off'],
      ['model.eval() switches the layers to inference mode, and the optimizer stops the gradients']],
    ['a demonstrative or possessive with its own noun is what the sentence before named', { attn: 'attention', linear: 'linear* | quadratic*:-', cost: 'cost*' }, 'attn linear &cost => +',
      ['its cost grows linearly with the length || attention compares every pair of tokens', 'this layer has a linear cost || attention compares every pair of tokens'],
      ['its cost grows quadratically with the length || attention compares every pair of tokens', 'this is why the cost is linear || the convolution slides over the tokens']],
    ['a pronoun after an opening phrase of time or place', { inverted: 'inverted', rescale: 'rescal*', infer: 'test time' }, 'inverted@ rescale infer@ => +',
      ['in the end it also needs its own rescaling at test time || inverted dropout rescales in training'], ['in the end nothing needs rescaling at test time || inverted dropout rescales in training']],
    ['a pronoun after something the frame reads may stand for that', { dropping: 'zeroes | drops', infer: 'inference' }, 'dropping infer@ => + near',
      ['at inference it still drops units || dropout zeroes activations'], ['at inference it is the identity || dropout zeroes activations']],
    ['two things of one kind joined by "and" are a list, not two clauses', { nograd: 'torch.no_grad()', layers: 'dropout | batchnorm', modes: 'eval mode' }, 'nograd@ modes => + near',
      ['with torch.no_grad() dropout and batchnorm go to eval mode'], ['with torch.no_grad() no graph is built and the layers go to eval mode']],
    ['an arrow after a code line\'s colon joins it to what follows', { nograd: 'torch.no_grad()', modes: 'eval mode' }, 'nograd@ modes => + near',
      ['with torch.no_grad(): so dropout goes to eval mode'], ['inference: so dropout goes to eval mode , torch.no_grad() too']],
    ['a comparative before "than" reaches what it is compared with', { rnn: 'rnn* | transformer*:-', longrange: 'long-range*' }, 'rnn! longrange => +',
      ['it keeps long-range context better than a transformer does || for scenario 3 use an rnn', 'transformers handle long-range context worse than rnns'],
      ['transformers handle long-range context better than rnns, whose gradients vanish', 'rnns handle long-range context worse than transformers']],
    ['a count before a mention that qualifies its own noun, or before "of" and a noun, is not a direction', { rnn: 'rnn* | recurrent* | transformer*:-', longrange: 'start of the sequence', dropping: 'switched off', infer: 'test time' }, 'rnn! longrange => +',
      ['the rnn is better for the start of the sequence'], ['the start of the sequence must survive many recurrent steps']],
    ['a concession ("…, but we still …") keeps the context of what it concedes', { inverted: 'inverted', rescale: 'scal*', infer: 'inference' }, 'inverted@ rescale infer@ => +',
      ['pytorch dropout is inverted but we still have to scale at inference'], ['pytorch dropout is inverted but at inference nothing is scaled', 'dropout is inverted; we scale at inference']],
    ['the longest phrase is read first, whichever concept it belongs to', { dropunit: 'these neurons', getgrad: 'gradient* | backward pass', asif: 'full gradient' }, 'dropunit getgrad asif => +',
      ['these neurons get the full gradient in the backward pass'], ['these neurons get a zero gradient in the backward pass']],
    ['a header that says what changed keeps its direction; a verb alone is said of what follows', { batch: 'batch*', nodes: 'node*', tensor: 'memory' }, 'batch! nodes!^tensor => +',
      ['batch doubled: more nodes per sample'], ['batch doubled: nodes same, memory doubled']],
    ['"no" before a noun of its own that a mention qualifies negates that noun', { gen: 'vae* | gan*:-', sharp: 'sharp* | blurr*:-' }, 'gen sharp => +',
      ['no blurry samples from the vae'], ['overcomes blurry samples, no encoder in gan']],
    ['what is compared with may carry a "with" phrase', { params: 'weight* | parameter*', overfit: 'overfit* | generaliz*:-' }, 'params! overfit! => -',
      ['an mlp with many more weights generalizes better'], ['it generalizes better than an mlp with many more weights']],
    ['a pronoun is the subject before it, not a concept named as its object', { gen: 'vae* | gan*:- | adversarial*:-', sharp: 'sharp* | blurr*:-' }, 'gen sharp => +',
      ['it gives sharp samples || the vae is trained with a reconstruction loss'], ['it does not remove the instability of adversarial training || the combination removes the blurry samples of the vae']],
    ['"it is no longer the case that …" negates the rest', { onlyone: 'only the true class' }, 'onlyone => +',
      ['only the true class matters'], ['it is no longer the case that only the true class matters']],
    ['a context the claim is made in is not part of a noun phrase', { nograd: 'torch.no_grad()', layers: 'dropout layer* | dropout' }, 'nograd@ layers! => - near',
      ['with torch.no_grad(): the dropout layers stop dropping'], ['with torch.no_grad(): the dropout layers keep dropping']],
    ['a direction after a noun phrase says what the phrase is', { net: 'cnn* | conv | mlp*:-', params: 'parameter*' }, 'net params! => +',
      ['conv parameters grow with the image'], ['conv parameters are independent of the image size', 'it removes the conv parameters']],
    ['a negation with a subject of its own is not said of the mention before it', { dropunit: 'dropped unit* | zeroed unit*', grad: 'gradient*', asif: 'as if' }, 'dropunit grad asif => +',
      ['the gradient flows through the zeroed units as if the mask was not there'], ['the gradient does not flow through the zeroed units as if they were kept']],
    ['what a comparison is with, described by a relative clause, takes its clause\'s mentions', { params: 'parameter* | weight*', overfit: 'overfit* | memori*' }, 'params! overfit! => -',
      ['it is less likely to overfit than the cnn, whose small number of parameters forces it to memorise'], ['it is more likely to overfit than the cnn, whose small number of parameters keeps it from memorising']],
    ['"keeps" on a slot that asks no direction says it goes on', { dropping: 'random zeroing | dropp*', infer: 'test time' }, 'dropping infer => +',
      ['at test time the random zeroing keeps going'], ['at test time the random zeroing stops']],
    ['headers may be chained', { inverted: 'inverted dropout', rescale: 'rescal*', infer: 'eval' }, 'inverted@ rescale infer@ => +',
      ['inverted dropout: eval: still rescale'], ['inverted dropout: eval: no rescale']],
    ['an aside in parentheses does not part a mention from its direction', { net: 'cnn* | mlp*:-', params: 'parameter*' }, 'net params! => +',
      ['cnn: number of parameters (same input) more'], ['cnn: number of parameters (same input) fewer']],
    ['"X vs Y" compares like with like; "cost vs length" is not a comparison of the two', { attn: 'attention | rnn*:-', linear: 'o ( n ) | o ( n 2 ):-' }, 'attn linear => +',
      ['attention: cost vs length o ( n )'], ['rnn: cost vs length o ( n )']],
    ['"a fixed amount" is an adjective, not a repair', { params: 'parameter*', overfit: 'overfit* | memori*' }, 'params! overfit! => -',
      ['more parameters give more capacity, so it can memorize less'], ['more parameters give more capacity, so with a fixed amount of data it can memorize noise']],
    ['a verb\'s direction does not reach across "by"', { batch: 'batch* | b', grad: 'gradient*' }, 'batch! grad! => +',
      ['with a smaller batch the gradient does not become bigger'], ['since the loss divide by b the gradient does not become bigger']],
    ['a comparative\'s direction does reach across "by"', { net: 'lstm* | attention:-', far: 'far relation*' }, 'net! far => +',
      ['the far relations are captured better by an lstm than by attention'], ['the far relations are captured worse by an lstm than by attention']],
    ['a possessive with a noun of its own after "so" is the first clause\'s subject', { gen: 'vae* | gan*:-', sharp: 'sharp* | detail* | blurr*:-' }, 'gen sharp => +',
      ['a vae keeps the details, so its outputs are sharp'], ['a vae averages over possible details, so its outputs are blurry']],
    ['a contraction\'s negation is read', { stats: 'batch mean', grad: 'gradient*' }, 'grad stats => -',
      ["the batch mean doesn't receive any gradient"], ['the batch mean receives a gradient']],
  ];
  for (const [rule, concepts, source, yes, no] of RULES) {
    it(`reader: ${rule}`, () => {
      const frame = frames(concepts)(source);
      const read = (s: string): boolean => frameAsserts(frame, ...(s.split(' || ') as [string, string?]));
      for (const s of yes) assert.ok(read(s), `should assert: ${s}`);
      for (const s of no) assert.ok(!read(s), `should not assert: ${s}`);
    });
  }

  it('a pattern\'s "…" does not run across a contrast', () => {
    const p = phrases({ few: 'few', lead: 'leads to' })('{few} parameters…{lead} over-fitting');
    assert.ok(p.test('too few parameters leads to over-fitting'));
    assert.ok(!p.test('too few parameters under-fit, whereas too many parameters is what leads to over-fitting'));
  });

  it('reads "*" as the multiplication sign, not as an empty prefix', () => {
    const l = frames({ lr: 'lr*', batch: 'batch*' })('batch! lr! => -');
    assert.ok(frameAsserts(l, 'batch twice so lr / 2'));
    assert.ok(!frameAsserts(l, 'batch twice so lr * 2'));
  });

  it('reads the opposite of a claim as a denial, and nothing as nothing', () => {
    assert.equal(frameReads(reversed, 'more parameters reduce over-fitting'), 1);
    assert.equal(frameReads(reversed, 'more parameters make over-fitting more likely'), -1);
    assert.equal(frameReads(reversed, 'more parameters do not reduce over-fitting'), -1);
    assert.equal(frameReads(reversed, 'a cnn shares its kernels'), 0);
  });

  it('says what is wrong with a frame', () => {
    assert.throws(() => f('params overfit'), /ends with "=> \+" or "=> -"/);
    assert.throws(() => f('params lr => +'), /unknown concept lr/);
    assert.throws(() => f('=> +'), /at least one concept/);
    assert.throws(() => frames({ x: 'a | ' })('x => +'), /empty phrase in concept x/);
  });
});
