/**
 * Written answers: the pack's misconception catalogue at sentence level (each entry with sentences that
 * assert it and sentences that negate, hedge or state the right idea), integrity signals, and the seed's
 * sentences flagged where they are — with nothing correct flagged, in answers written here or in the corpus.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spring2023Theory } from '../../src/core/assignment/packs/spring2023-theory';
import { asserts } from '../../src/core/checks/misconceptions';
import { mathAsText, proseMask, readAsWords, splitSentences, statedRates, withRates } from '../../src/core/checks/sentences';
import type { Finding } from '../../src/core/findings';
import { CORPUS, HAVE_CORPUS, REVISED_EXAMPLE, SEED_EXAMPLE, check, checkNotebook, exampleCells, md, misconceptionsOn, readNotebook, srcOf, type RawCell } from '../helpers';

const entry = (id: string): (typeof spring2023Theory.misconceptions & object)[number] => {
  const e = spring2023Theory.misconceptions?.find((m) => m.id === id);
  assert.ok(e, id);
  return e;
};
const plain = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ');

/** Per entry: sentences that assert it, and sentences about the same thing that must not be flagged. */
const EXAMPLES: Record<string, { asserts: string[]; not: string[] }> = {
  'q1.1-params-overfitting-reversed': {
    asserts: ['Adding more parameters reduces over-fitting because the model is more flexible.', 'Fewer parameters lead to over-fitting.'],
    not: ['More parameters increase the risk of over-fitting.', 'Few parameters do not mean more over-fitting: with too few parameters the model under-fits.', 'More parameters do not reduce over-fitting.', 'Reducing the number of parameters reduces over-fitting.', 'Fewer parameters lead to less over-fitting.'],
  },
  'q1.1-cnn-more-parameters': {
    asserts: ['CNNs have more parameters than fully connected networks, which is why they generalise.', 'A convolutional layer uses more weights than a dense layer.'],
    not: ['A CNN has far fewer parameters than a fully connected network.', 'A CNN does not have more parameters than a fully connected network.', 'Fully connected layers have more parameters than convolutional ones.'],
  },
  'q5-exact-likelihood': {
    asserts: ['The combined model gives an exact likelihood of the data.', 'VAE-GAN computes a tractable likelihood.'],
    not: ['It still has no exact likelihood.', 'Unlike flows, neither model gives an exact likelihood.', 'The VAE optimises a lower bound, not the exact likelihood.'],
  },
  'q5-solves-instability': {
    asserts: ['The VAE-GAN completely solves the training instability of GANs.', 'The combination fully eliminates mode collapse.'],
    not: ['It may ease mode collapse but does not fully remove training instability.', 'Training instability is not completely solved.', 'The encoder helps against mode collapse.'],
  },
  'q1.2-hyperplane': {
    asserts: ['Which is equation from 2nd degree, meaning the decision boundary is an hyperplane of 2nd degree.', 'The classifier separates the data with a hyperplane in the input space.'],
    not: ['The decision boundary is not a hyperplane but an ellipse centred at the origin.', 'Unlike a linear model, whose boundary is a line, ...', 'The boundary is the ellipse x^TQx = -b/w.'],
  },
  'q1.2-linear-too': {
    asserts: ['Thus, the distribution of the data which the model is able to approximate are linear too.', 'The model can also separate linearly separable data.'],
    not: ['The simple linear model fails to approximate concentric circles, which this model can represent.', 'The model cannot represent a linear boundary.', 'A linear classifier cannot separate a disc from the ring around it, and this model can.'],
  },
  'q1.3-decrease-lr': {
    asserts: ['When the batch doubles we should decrease the learning rate.', 'The learning rate should be halved to keep training stable.'],
    not: ['We should not decrease the learning rate; with a mean loss it can be increased.', 'With a summed loss the gradient doubles, so halve the learning rate.', 'Keep the learning rate, or increase it by the linear scaling rule.'],
  },
  'q1.3-soft-one-class': {
    asserts: ['With soft labels the gradient still only depends on the true class.', 'Only the correct class contributes to the loss and its gradient.'],
    not: ['With hard labels only the true class contributes; with soft labels all C classes do.', 'It is not only the correct class that contributes to the loss.', 'Every class contributes to the gradient, since y is a B x C distribution.'],
  },
  'q1.3-soft-logits-grow': {
    asserts: ['With soft labels the logits grow, since each sample now needs C values.', 'The log_softmax output becomes larger when the labels are distributions.', 'Now the log-probabilities take C times more memory.'],
    not: ['The labels grow from B to B x C, while the logits are the same size as before.', 'The logits are already B x C, so only y grows.', 'The logits do not grow with soft labels; y does.', 'With soft labels y becomes a B x C matrix, C times the memory of the hard labels.', 'The logits take C times more memory than the hard labels.', 'The log-probabilities are multiplied by y, so each of the B×C entries gets a gradient instead of only B entries.'],
  },
  'q1.3-nodes-double': {
    asserts: ['Doubling the batch doubles the number of nodes in the graph.', 'The number of nodes grows with the batch.'],
    not: ['The number of nodes does not change; the tensors double in size.', 'Memory and computation double while the graph stays the same.'],
  },
  'q2-optimizer-modified': {
    asserts: ['Both the optimizer and the training loop should be modified.', 'We need to modify the optimizer so that it picks one task.'],
    not: ['Only the training loop needs to change; the optimizer stays plain SGD.', 'The optimizer is not modified.', 'We only need to modify the training loop'],
  },
  'q7-bn-inference-batch-stats': {
    asserts: ['At inference, BatchNorm normalises with the mean and variance of the current batch.', 'During testing the layer uses the batch statistics.'],
    not: ['At inference BatchNorm uses the running mean and variance instead of the batch statistics.', 'In the inference phase, BatchNorm uses the previously calculated moving averages of mean and variance.', 'There is no need for computing batch statistics during inference.'],
  },
  'q4-rnn-parallel': {
    asserts: ['RNNs process all the tokens in parallel, so they are fast at inference.', 'An LSTM can be parallelized over the sequence.'],
    not: ['RNNs cannot process tokens in parallel.', 'Transformers process tokens in parallel, unlike RNNs.', 'Unlike RNNs, the transformer is parallel over positions.'],
  },
  'q7-dropout-scale-by-p': {
    asserts: ['This scaling is usually done by multiplying the weights by the dropout rate.', 'At test time the outputs are scaled by p.'],
    not: ['At inference the weights are multiplied by the keep probability 1 - p.', 'With inverted dropout the activations are scaled by 1/(1 - p) during training, so nothing is scaled at inference.', 'Outputs are not scaled by the dropout rate at inference.'],
  },
  'q7-dropout-gradient-active': {
    asserts: ['During backpropagation, gradients are computed as if the dropped-out neurons were still active.', 'The dropped out neurons still receive gradient updates.'],
    not: ['Dropped units get zero gradient, since the backward pass applies the same mask.', 'Gradients are not computed as if the dropped neurons were active.'],
  },
  'q1.2-conic': {
    asserts: ['The boundary is a hyperbola when w is negative.', 'This gives a conic section boundary: an ellipse, hyperbola, or parabola depending on w and Q.'],
    not: ['Q is positive definite, so the boundary cannot be a hyperbola or a parabola: it is an ellipse.', 'With an indefinite Q the boundary could be a hyperbola.'],
  },
  'q1.3-gradient-doubles': {
    asserts: ['When the batch doubles, the gradient doubles too.', 'A batch twice as large gives twice the gradient.'],
    not: ['With a summed loss the gradient doubles.', 'The time to compute the gradient doubles.', 'The gradient does not double, since the loss is a mean.'],
  },
  'q4-attention-linear': {
    asserts: ['Attention scales linearly with the number of tokens.', 'A transformer has linear time in the sequence length.'],
    not: ['Attention is quadratic in the sequence length.', 'Attention does not scale linearly with the sequence length.', 'An RNN scales linearly with the sequence length, attention quadratically.'],
  },
  'q4-rnn-long-range': {
    asserts: ['An LSTM handles long-term dependencies better than a transformer.', 'RNNs are more effective for long-range context compared to transformers.'],
    not: ['Transformers are better at long-range dependencies than RNNs.', 'An LSTM is not better than a transformer at long-range dependencies.'],
  },
  'q5-vae-sharp': {
    asserts: ['A VAE produces sharp images.', 'VAEs give crisp samples, unlike GANs.'],
    not: ['VAE samples are blurry.', 'The VAE-GAN produces sharp images thanks to the adversarial loss.', 'A VAE does not produce sharp images.'],
  },
  'q7-inverted-scale-inference': {
    asserts: ['With inverted dropout we scale the activations by 1-p at inference.', 'In inverted dropout, the outputs are multiplied by the keep probability at test time.'],
    not: ['With inverted dropout the scaling by 1/(1-p) happens during training, so inference uses the layer as is.', 'Inverted dropout needs no scaling at inference.'],
  },
  'q7-dropout-at-inference': {
    asserts: ['At test time dropout remains active.', 'During inference the units are still randomly dropped.'],
    not: ['At test time dropout is not applied.', 'Dropout is only applied during training; at test time it is off.', 'With MC dropout, units are still randomly dropped at inference to estimate uncertainty.'],
  },
  'q7-bn-stats-constant': {
    asserts: ['In backprop the batch mean and variance are treated as constants.', 'We do not backpropagate through the batch mean and variance.', 'The statistics are fixed during the backward pass.', 'No gradient flows through the batch statistics.', "The batch mean doesn't receive any gradient in the backward pass."],
    not: ['The batch mean and variance are not treated as constants in the backward pass.', 'The running statistics are treated as constants at inference.', 'It is not true that no gradient flows through the batch statistics.', 'The running mean receives no gradient.', 'The gradient flows through the batch mean and variance.'],
  },
  'q7-no-grad-switches-mode': {
    asserts: ['At test time we wrap the forward pass in `torch.no_grad()`, which turns off dropout.', 'Dropout and BatchNorm are disabled inside a with torch.no_grad() block.'],
    not: ['`torch.no_grad()` does not turn off dropout; `model.eval()` does.', 'We call `model.eval()` to switch off dropout and use `torch.no_grad()` so that no graph is built.'],
  },
  'q7-eval-disables-grad': {
    asserts: ['Calling `model.eval()` disables gradient computation.', 'In eval mode no gradients are computed.'],
    not: ['`model.eval()` does not disable gradients; `torch.no_grad()` does.', '`model.eval()` switches dropout off, and `torch.no_grad()` stops gradient tracking.'],
  },
  'q7-same-dropout-mask': {
    asserts: ['When using dropout in multi-GPU training, ensure that the same dropout mask is applied on all GPUs to maintain consistency.', 'The dropout masks should be synchronized between the processes.'],
    not: ['Each GPU should sample its own dropout mask: the masks must not be the same on all GPUs.', 'Use different seeds on each process so the masks are independent.'],
  },
};

describe('misconception catalogue', () => {
  it('every entry has examples here', () => {
    assert.deepEqual(Object.keys(EXAMPLES).sort(), (spring2023Theory.misconceptions ?? []).map((m) => m.id).sort());
  });
  for (const [id, ex] of Object.entries(EXAMPLES)) {
    it(`${id}: flagged where asserted, not where negated, hedged or stated rightly`, () => {
      assert.ok(ex.not.some((t) => /\b(not|no|never|cannot)\b|n't\b/i.test(t)), 'a negated example');
      for (const s of ex.asserts) assert.equal(asserts(entry(id), plain(s)), true, `should flag: ${s}`);
      for (const s of ex.not) assert.equal(asserts(entry(id), plain(s)), false, `should not flag: ${s}`);
      assert.equal(asserts(entry(id), plain(`Some people say that ${ex.asserts[0]?.[0]?.toLowerCase()}${ex.asserts[0]?.slice(1)}`)), false, 'hedged');
    });
  }
});

describe('a claim read by a frame is not overruled by a wording', () => {
  it('a sentence a frame reads as the right relation is not flagged for a form that matches its words', () => {
    const e = entry('q1.3-decrease-lr');
    const s = plain('With a smaller batch we lower the learning rate accordingly.');
    // The form alone ("lower … learning rate") would flag it; the frame reads a smaller batch with a lower rate.
    assert.equal(asserts({ ...e, frames: [] }, s), true);
    assert.equal(asserts(e, s), false);
    assert.equal(asserts(e, plain('When the batch is doubled we lower the learning rate.')), true);
  });

  it('"contrary to what one might expect" is not a hedge: the rest of the sentence is asserted', () => {
    const e = entry('q4-rnn-long-range');
    assert.equal(asserts(e, plain('Contrary to what one might expect, RNNs capture long-range dependencies better than transformers.')), true);
    assert.equal(asserts(e, plain('Contrary to a common belief, transformers capture long-range dependencies better than RNNs.')), false);
  });
});

/** The misconception findings on `text` as the answer to `item` in the seed, each as [rule, its first line]. */
function onAnswer(item: string, text: string): [string, string][] {
  const { findings, lines } = misconceptionsOn(item, text);
  return findings.map((f) => [f.rule ?? '', (lines[f.range?.start.line ?? 0] ?? '').trim()]);
}

describe('notes and tables, read as a TA reads them', () => {
  it('a list item is read under the header line above it, and the finding is on the item', () => {
    assert.deepEqual(onAnswer('4', 'RNN:\n- tokens processed in parallel → fast\n- hidden state carries the memory'), [['q4-rnn-parallel', '- tokens processed in parallel → fast']]);
    assert.deepEqual(onAnswer('4', 'RNN:\n- tokens processed one after the other\n- hidden state carries the memory'), []);
    // A short line of its own, with no colon, heads the list too.
    assert.deepEqual(onAnswer('7', 'Dropout at inference\n- units still dropped at random\n- output differs between runs'), [['q7-dropout-at-inference', '- units still dropped at random']]);
    assert.deepEqual(onAnswer('7', 'Dropout at inference\n- no units dropped\n- output the same between runs'), []);
    // A negated header negates what it heads; chained headers too.
    assert.deepEqual(onAnswer('5', 'VAE-GAN\n- not overcome: adversarial instability, no exact likelihood (only ELBO)'), []);
    assert.deepEqual(onAnswer('5', 'Overcomes:\n- VAE blur → sharper via the discriminator\nDoes not overcome:\n- exact likelihood (only the ELBO)'), []);
    assert.deepEqual(onAnswer('5', 'Gains of the hybrid:\n- exact likelihood (the VAE part)'), [['q5-exact-likelihood', '- exact likelihood (the VAE part)']]);
  });

  it('a markdown table is read cell by cell, under its row and column headers, and never run together', () => {
    const wrong = '| | VAE | GAN |\n|---|---|---|\n| samples | sharp | blurry |\n| encoder | ✔ | ✘ |';
    assert.deepEqual(onAnswer('5', wrong), [['q5-vae-sharp', '| samples | sharp | blurry |']]);
    assert.deepEqual(onAnswer('5', '| | VAE | GAN |\n|---|---|---|\n| samples | blurry | sharp |\n| encoder | ✔ | ✘ |'), []);
    assert.deepEqual(onAnswer('1.1', '| | MLP | CNN |\n|---|---|---|\n| #params (same input) | fewer | more |'), [['q1.1-cnn-more-parameters', '| #params (same input) | fewer | more |']]);
    assert.deepEqual(onAnswer('1.1', '| | MLP | CNN |\n|---|---|---|\n| #params (same input) | more | fewer |'), []);
    // Two columns of one row are two statements: "random mask" is model.train()'s, not model.eval()'s.
    assert.deepEqual(onAnswer('7', '| | `model.train()` | `model.eval()` |\n|---|---|---|\n| Dropout | random mask, ×$1/(1-p)$ | identity |\n| BatchNorm | batch stats | running stats |'), []);
    // ✘ reads as "no".
    assert.deepEqual(onAnswer('4', '| | RNN | Transformer |\n|---|---|---|\n| parallel over tokens | ✘ (sequential) | ✔ |\n| cost vs length $n$ | $O(n)$ | $O(n^2)$ |'), []);
  });
});

describe('claims taken back', () => {
  it('a claim retracted right after it is made is not asserted', () => {
    const e = entry('q2-optimizer-modified');
    assert.equal(asserts(e, plain('We have to write a custom optimizer for the two tasks.')), true);
    assert.equal(asserts(e, plain('One could write a custom optimizer, but it is not necessary.')), false);
    assert.equal(asserts(e, plain('A custom optimizer would work, but it is not needed.')), false);
  });
});

describe('sentences', () => {
  it('read notes and typed shorthand as the words they stand for', () => {
    const read: [string, string][] = [
      ['no need to backprop thru mu and sigma, theyre constants', 'no need to backprop through mean and std , they are constants'],
      ['if the loss were summed', 'if the loss were summed'],
      ['it doesnt grow, its a line', 'it does not grow, it is a line'],
      ['few params ≠ more over-fitting', 'few params does not mean more over-fitting'],
      ['this means the mean is used', 'this implies the mean is used'],
      ['b → 2b', 'batch doubles'],
      ['batch 32 → 64, lr 0.1 → 0.05', 'batch doubled, lr halved'],
      ['from 64 to 128 samples the graph', 'from 64 to 128 samples the graph'],
      ['lr 0.1 → 0.03', 'lr 0.1 so 0.03'],
      ['only 1 class per row', 'only one class per row'],
      ['∂l/∂h_i flows to every unit', 'gradient flows to every unit'],
      ['h → p·h', 'h so p × h'],
      ['more params then a cnn', 'more params than a cnn'],
      ['if we double the batch then the graph grows', 'if we double the batch then the graph grows'],
    ];
    assert.deepEqual(read.map(([notes]) => readAsWords(notes)), read.map(([, words]) => words));
  });

  it('read short math and code words as text: norms, arrows, partials, identifiers with underscores', () => {
    assert.equal(mathAsText('\\|\\nabla_w L\\|', 40), '‖∇ w L‖');
    assert.equal(mathAsText('B \\to 2B', 40), 'B → 2B');
    assert.equal(mathAsText('\\partial\\mu_B/\\partial x = 0', 40), '∂μ B/∂ x = 0');
    // An underscore inside a word is not emphasis; one around words is.
    assert.equal(proseMask('with torch.no_grad() and _this_ and **that**', true), 'with torch.no_grad() and  this  and   that  ');
  });

  it('read a stated dropout rate as p and its complement as 1-p, in every sentence of the answer', () => {
    const rates = statedRates('we use a drop rate of 0.25 in training.');
    assert.deepEqual(rates, { p: '0.25', keep: '0.75' });
    assert.equal(withRates('at test time we multiply by 0.25, not by 0.75 or 25%.', rates), 'at test time we multiply by p, not by 1-p or p.');
    assert.deepEqual(statedRates('nn.Dropout(p=0.5)'), {}, '0.5 is its own complement');
    assert.deepEqual(statedRates('keep probability 0.8'), { p: '0.2', keep: '0.8' });
  });

  it('cut at sentence ends, list items, <br> line ends and blank lines, never inside math', () => {
    const src = 'First one. Second one, e.g. with an abbreviation.\n- an item $a. B$ with math.\nSo: $$x$$ <br>\nWhich follows\nas a lazy continuation.\n\nNew paragraph';
    const cut = splitSentences(src).map((s) => src.slice(s.start, s.end));
    assert.deepEqual(cut, ['First one.', 'Second one, e.g. with an abbreviation.', 'an item $a. B$ with math.', 'So: $$x$$ <br>', 'Which follows\nas a lazy continuation.', 'New paragraph']);
  });
});

const prose = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.code.startsWith('prose.') || f.code.startsWith('integrity.'));
const at = (cells: RawCell[], f: Finding): string => {
  const lines = srcOf(cells[f.cell as number] as RawCell).split('\n');
  const r = f.range;
  if (!r) return '';
  return r.start.line === r.end.line ? (lines[r.start.line] ?? '').slice(r.start.character, r.end.character) : `${(lines[r.start.line] ?? '').slice(r.start.character)}…`;
};

describe('written answers in the seed', () => {
  it('flags the dropout-scaling, same-mask and gradient sentences, Q1.2\'s hyperplane and "linear too", and the "Certainly!" paragraph, each at its sentence', () => {
    const cells = exampleCells();
    const all = prose(checkNotebook(readNotebook(SEED_EXAMPLE)).findings);
    const found = all.filter((f) => f.code !== 'prose.rubric');
    const list = found.map((f) => [f.code, f.question, at(cells, f)]);
    // The rubric: Q1.2's answer names neither the ellipse nor an example distribution (information).
    const rubric = all.filter((f) => f.code === 'prose.rubric');
    // Q1.3.3 says every class counts ("the entire probabilities") but not that y is B × C; Q1.3.4 decreases the
    // learning rate, which is not "keep or increase" (it used to be reported as covered for naming it).
    assert.deepEqual(rubric.map((f) => [f.question, f.severity, f.cell, f.audience]), [['1.2', 'info', 7, 'grader'], ['1.3.3', 'info', 14, 'grader'], ['1.3.4', 'info', 16, 'grader']]);
    // Q1.2's "hyperplane" contradicts the ellipse: never "covered".
    assert.match(rubric[0]?.message ?? '', /^Not found in it: the boundary is an ellipse \(a level set of xᵀQx\) \(the answer says otherwise\); an example distribution: one class inside an ellipse or circle, the other around it — ideas a grader looks for here/);
    assert.match(rubric[2]?.message ?? '', /^The answer covers the graph keeps its nodes \(only the tensors grow\)\. Not found in it: the learning rate: keep it or increase it with a mean loss \(linear or √2 scaling\) \(the answer says otherwise\)/);
    assert.deepEqual(list, [
      ['prose.misconception', '1.2', 'Which is equation from 2nd degree, meaninig the decision boundry is an hyperplane of 2nd degree.'],
      ['prose.misconception', '1.2', 'Thus, the distribution of the data which the model is able to approximate are linear (included in the space of 2nd degrees field) too,…'],
      // "must be decreased … since we aggragate the gradients": the course rules the loss averaged over the
      // batch, so the summed gradient is this answer's assumption, not a condition it states.
      ['prose.misconception', '1.3.4', 'Finally, the learning rate must be decreased in order to maintain roughly the same sizes of steps as before, since we aggragate the gradients of the batches (which we increased the size of them).'],
      ['integrity.assistant-text', '5', 'Certainly!'],
      ['integrity.assistant-text', '7', "Let's break down how Batch Normalization (BatchNorm) and Dropout work during the training phase, how they behave differently during inference, and what considerations are necessary for multi-GPU training."],
      ['prose.misconception', '7', 'During backpropagation, gradients are computed as if the dropped-out neurons were still active.'],
      ['prose.misconception', '7', 'This scaling is usually done by multiplying the weights by the dropout rate.'],
      ['prose.misconception', '7', 'When using dropout in multi-GPU training, ensure that the same dropout mask is applied on all GPUs to maintain consistency.…'],
    ]);
    const certainly = found.find((f) => f.code === 'integrity.assistant-text' && f.question === '5') as Finding;
    assert.equal(certainly.severity, 'warning');
    assert.match(certainly.message, /The notebook says: "You should answer the questions on your own"\./);
    assert.match(certainly.message, /a signal for a reader, not proof/);
  });

  it('answers written correctly draw no prose or integrity finding (the revised sample)', () => {
    assert.deepEqual(prose(checkNotebook(readNotebook(REVISED_EXAMPLE)).findings).map((f) => f.message), []);
  });

  it('the rubric: an idea counts when a sentence mentions it, not when it is negated', () => {
    const cells = exampleCells(REVISED_EXAMPLE);
    const r = (text: string): string[] => {
      cells[5] = md(`**Answer:** ${text}`);
      return prose(check(cells).findings).filter((f) => f.code === 'prose.rubric').map((f) => f.message);
    };
    const all = 'More parameters give more capacity, so the model over-fits. A CNN shares its weights over all positions, with small local receptive fields, and finds a pattern regardless of its position.';
    assert.deepEqual(r(all), []);
    assert.match(r(all.replace('A CNN shares its weights', 'A CNN does not share weights'))[0] ?? '', /Not found in it: weight sharing/);
  });

  it('a passage pasted twice is flagged at the copy, with where the first is', () => {
    const cells = exampleCells();
    const passage = 'Batch normalization normalises each feature with the statistics of the current batch during training and with running averages at inference.';
    cells[35] = md(`#### Answer:\n${passage} It also learns a scale and a shift.\n\nTo conclude. ${passage}`);
    const f = prose(check(cells).findings).filter((x) => x.code === 'integrity.duplicate-passage');
    assert.equal(f.length, 1);
    assert.equal(f[0]?.cell, 35);
    assert.equal(f[0]?.range?.start.line, 3);
    assert.match(f[0]?.message ?? '', /^This sentence also appears earlier, at cell 35 line 2: "Batch normalization/);
  });
});

describe('misconceptions in a notebook', () => {
  it('a sentence asserting two claims gets a finding for each; the next sentence repeating one extends it', () => {
    const cells = exampleCells();
    cells[35] = md('####Answer\nAt inference the weights are multiplied by the dropout rate, and BatchNorm uses the statistics of the test batch. The weights are scaled by the dropout rate at test time, as said.\n\nThe rest is fine.');
    const found = prose(check(cells).findings).filter((f) => f.code === 'prose.misconception' && f.cell === 35);
    assert.deepEqual(found.map((f) => [f.rule, at(cells, f)]), [
      ['q7-dropout-scale-by-p', 'At inference the weights are multiplied by the dropout rate, and BatchNorm uses the statistics of the test batch. The weights are scaled by the dropout rate at test time, as said.'],
      ['q7-bn-inference-batch-stats', 'At inference the weights are multiplied by the dropout rate, and BatchNorm uses the statistics of the test batch.'],
    ]);
  });
});

describe('integrity signals on sentences written here', () => {
  const flagged = (text: string): boolean => {
    const cells = exampleCells();
    cells[25] = md(`####Answer\n${text}`);
    return check(cells).findings.some((f) => f.code === 'integrity.assistant-text' && f.cell === 25);
  };
  it("an assistant's openers, offers, self-references and closings are flagged", () => {
    for (const s of [
      "Sure! Here's how I would choose for each scenario.",
      'As an AI developed by OpenAI, I cannot browse the web, but here is my view.',
      'Great question! Transformers are faster here.',
      'I hope this explanation helps you decide.',
      'Feel free to ask if you have more questions about RNNs.',
      'Here is a step-by-step explanation of each choice.',
      "Let's dive into each scenario.",
      'Certainly. Below is an analysis of the three scenarios.',
      'I hope this clarifies the trade-offs!',
    ])
      assert.equal(flagged(s), true, s);
  });
  it("a student's own English is not: 'Here is my approach', 'Sure, …', 'Of course …', a closing summary alone", () => {
    for (const s of [
      'Here is my approach: a transformer for 1, an RNN for 2.',
      'Here is the reasoning for each case.',
      'Sure, an RNN could also work, but a transformer is faster.',
      'In summary, a transformer for 1 and 3, an RNN for 2.',
      'Let me explain: the RNN keeps a small state.',
      'Of course the phone has little memory, so an RNN fits.',
    ])
      assert.equal(flagged(s), false, s);
  });
});

describe('written answers in the corpus (each finding read and defended)', function () {
  before(function () {
    if (!HAVE_CORPUS) this.skip();
  });
  // [code, question, cell, 1-based line] of every prose and integrity finding.
  const EXPECTED: Record<string, [string, string, number, number][]> = {
    // The seed notebook: see the seed test above.
    'Almogbs__draft__Part2_TheoreticalQuestions.ipynb': [
      ['prose.rubric', '1.2', 7, 2],
      ['prose.misconception', '1.2', 7, 4],
      ['prose.misconception', '1.2', 7, 5],
      ['prose.rubric', '1.3.3', 14, 2],
      ['prose.rubric', '1.3.4', 16, 2],
      ['prose.misconception', '1.3.4', 16, 2],
      ['integrity.assistant-text', '5', 29, 43],
      ['integrity.assistant-text', '7', 35, 3],
      ['prose.misconception', '7', 35, 30],
      ['prose.misconception', '7', 35, 34],
      ['prose.misconception', '7', 35, 47],
    ],
    // The same student's final version, rewritten: the same Q1.2 claims; dropout "multiplying the weights by
    // the dropout rate"; "gradients are computed as if they remained active even if ther were dropped out"
    // (the pronoun form, found since the anchor is tried in every clause); "all GPUs ... the same dropout
    // mask" with "a shared random seed" after it. Rubric:
    // Q1.2 names no ellipse and no example; Q1.3.4 decreases the learning rate; Q7 no longer mentions
    // model.train()/eval().
    'Almogbs__final__Part2_TheoreticalQuestions.ipynb': [
      ['prose.rubric', '1.2', 7, 2],
      ['prose.misconception', '1.2', 7, 4],
      ['prose.misconception', '1.2', 7, 5],
      ['prose.rubric', '1.3.3', 14, 2],
      ['prose.rubric', '1.3.4', 16, 2],
      ['prose.misconception', '1.3.4', 16, 2],
      ['prose.rubric', '7', 39, 1],
      ['prose.misconception', '7', 39, 17],
      ['prose.misconception', '7', 39, 19],
      ['prose.misconception', '7', 39, 21],
    ],
    // "All neurons are active, but their outputs are scaled by the dropout rate used during training"; Q1.2's
    // boundary "could be an ellipse, hyperbola, or parabola" (Q is positive definite: only ellipses). Rubric:
    // Q1.2 has the concentric-ellipse example but not the ellipse boundary (it says a hyperbola or parabola
    // too); Q1.3.3 has "the entire distribution" but not y's B × C.
    'HayElmaliah__Deep-Learning-CS236781-MiniProject__Part2_TheoreticalQuestions.ipynb': [
      ['prose.rubric', '1.2', 7, 4],
      ['prose.misconception', '1.2', 7, 10],
      // "In contrast, our model … can approximate data distributions that are separable by a conic section." (a
      // general conic: with Q positive definite only ellipses centred at the origin; read by the frames, 2026-12-03)
      ['prose.misconception', '1.2', 7, 14],
      // "… separable by a conic section, which includes quadratic forms like ellipses, hyperbolas, and parabolas."
      ['prose.misconception', '1.2', 7, 22],
      ['prose.rubric', '1.3.3', 13, 4],
      ['prose.misconception', '7', 45, 29],
    ],
    'noam-mosh__mini_project__Part2_TheoreticalQuestions.ipynb': [],
    // "To take training-time dropout into account, outputs are scaled by dropout probability." Rubric: Q1.1
    // without locality, Q7 without running averages ("learnt parameters (mean and variance)"); Q1.2's
    // "circular rings" of an "annular" distribution are its example.
    'oreo-hippiepham1__cs236781-prj__Part2_TheoreticalQuestions.ipynb': [['prose.rubric', '1.1', 5, 1], ['prose.rubric', '7', 39, 1], ['prose.misconception', '7', 39, 12]],
  };
  for (const file of HAVE_CORPUS ? readdirSync(join(CORPUS, 'spring2023-theory')) : []) {
    it(file, () => {
      const r = checkNotebook(readNotebook(join(CORPUS, 'spring2023-theory', file)));
      assert.deepEqual(prose(r.findings).map((f) => [f.code, f.question, f.cell, (f.range?.start.line ?? -1) + 1]), EXPECTED[file]);
    });
  }
});
