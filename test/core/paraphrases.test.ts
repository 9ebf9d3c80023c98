/**
 * The catalogue on sentences written apart from it: students' phrasings of each misconception (with their
 * usual spelling and grammar), and correct sentences on the same topics, none taken from the catalogue's own
 * examples (prose.test.ts). Every asserting sentence is flagged by its entry; no correct one by any entry of
 * its question. Each round was written before the catalogue was tuned to it: on first try the earlier 15
 * entries caught 24 of the first round's 46 sentences of theirs, the catalogue 24 of the second's 38, 20
 * of the third's 27, 12 of the fourth's 15 and 12 of the fifth's 15 (none of the correct sentences flagged in
 * rounds two to five).
 */
import { strict as assert } from 'node:assert';
import { spring2023Theory } from '../../src/core/assignment/packs/spring2023-theory';
import { asserts } from '../../src/core/checks/misconceptions';
import { readAsWords } from '../../src/core/checks/sentences';
import { ROOT } from '../helpers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const catalogue = spring2023Theory.misconceptions ?? [];
const plain = (s: string): string => readAsWords(s.toLowerCase().replace(/\s+/g, ' '));

/** Entry id → sentences asserting it. */
const WRONG: Record<string, string[]> = {
  'q1.1-params-overfitting-reversed': [
    'A network with more parameters is less likely to overfit since it can learn a better representation.',
    'Increasing the number of parameters helps to avoid overfitting.',
    'If the model has too few parameters it will overfit the training data.',
    'Adding weights to the network decreases overfitting.',
    'Too many parameters cause underfitting.',
  ],
  'q1.1-cnn-more-parameters': [
    'Convolutional layers have more parameters compared to fully connected layers.',
    'A CNN needs more weights than an MLP for the same image.',
    'CNNs have a larger number of parameters than fully-connected networks.',
  ],
  'q1.2-hyperplane': ['The decision boundary is a hyperplane in R^2.', 'So the classifier draws a separating hyperplane between the two classes.', 'The boundary defined by f=0 is a hyperplane.'],
  'q1.2-linear-too': [
    'The model can represent any linear decision boundary as well as quadratic ones.',
    'This model can also learn linear separations.',
    'It is able to classify linearly separable data too.',
  ],
  'q1.2-conic': ['The decision boundary is a parabola.', 'The boundary can be any conic section, such as a hyperbola or an ellipse.', 'Depending on w and b, the separator is an ellipse or a hyperbola.'],
  'q1.3-decrease-lr': [
    'If we double the batch size we need a smaller learning rate.',
    'Doubling the batch, the learning rate should be divided by 2.',
    'We should lower the learning rate because the gradients are larger.',
    'I would reduce the lr by half.',
  ],
  'q1.3-gradient-doubles': ['Doubling the batch size doubles the magnitude of the gradient.', 'With twice the samples, the gradient will be two times bigger.'],
  'q1.3-soft-one-class': [
    'Even with soft labels, only the probability of the correct class affects the gradient.',
    'The gradient is computed only for the label class, as before.',
    'Only a single class participates in the loss, so the gradient does not change.',
  ],
  'q1.3-nodes-double': ['Doubling the batch size will also double the amount of nodes in the graph.', 'The computational graph becomes twice as large, with twice the nodes.'],
  'q2-optimizer-modified': [
    'Both parts need to be modified: the optimizer and the training loop.',
    'The optimizer has to be changed to compute the dot product between the gradients.',
    'We must write a custom optimizer that decides which gradient to apply.',
    'The modification is in the optimizer.',
  ],
  'q4-rnn-parallel': ['RNNs can handle the whole sequence in parallel which makes them fast.', 'An RNN processes all time steps simultaneously.', 'Since LSTMs are parallelizable, they are quick at inference.'],
  'q4-attention-linear': ['The transformer\'s attention cost grows linearly with the sequence length.', 'Self-attention has O(n) complexity in the length of the sequence.'],
  'q4-rnn-long-range': ['RNNs are better than transformers at capturing long-range dependencies.', 'An RNN remembers long-term information better than a transformer.'],
  'q5-exact-likelihood': ['The VAE-GAN allows us to compute the exact likelihood of a sample.', 'We get an exact log-likelihood evaluation thanks to the VAE.'],
  'q5-solves-instability': ['The combined model completely overcomes the instability of GAN training.', 'Mode collapse is totally eliminated by the encoder.', 'This fully fixes the unstable training.'],
  'q5-vae-sharp': ['VAEs generate sharp and realistic images.', 'The VAE\'s samples are sharper than the GAN\'s.'],
  'q7-dropout-scale-by-p': [
    'At inference time we multiply the activations by p, the dropout probability.',
    'In test time each weight is scaled by the dropout rate p.',
    'The outputs are multiplied by p during inference to compensate.',
  ],
  'q7-inverted-scale-inference': ['With inverted dropout, at inference we multiply the outputs by 1-p.', 'Using inverted dropout the weights have to be scaled by (1-p) at test time.'],
  'q7-dropout-at-inference': ['At inference dropout is still applied to the activations.', 'During testing neurons are still randomly dropped.'],
  'q7-dropout-gradient-active': [
    'In the backward pass the gradient also flows through the dropped neurons.',
    'The dropped neurons are still updated in backpropagation.',
    'Backpropagation treats the dropped neurons as if they were active.',
  ],
  'q7-bn-inference-batch-stats': ['At test time BatchNorm computes the mean and variance over the test batch.', 'During inference the normalization uses the statistics of the current input batch.'],
  'q7-bn-stats-constant': [
    'In the backward pass the batch mean and variance are treated as constants.',
    'The batch statistics are considered fixed during backpropagation.',
    'No gradient flows through the mean and variance of the batch.',
    "The batch mean and variance don't need a gradient in backprop.",
  ],
  'q7-no-grad-switches-mode': ['Using no_grad() at inference switches off the dropout layers.', 'BatchNorm is put in inference mode by torch.no_grad().'],
  'q7-eval-disables-grad': ['model.eval() stops the computation of gradients, which saves memory.'],
  'q7-same-dropout-mask': [
    'All processes should use the same random seed so the dropout masks are identical across GPUs.',
    'The dropout mask must be shared between all the GPUs.',
    'We need to broadcast the dropout mask from the main process to the other processes.',
  ],
};

/** Question → correct sentences on the same topics. */
const RIGHT: Record<string, string[]> = {
  '1.1': [
    'A network with many parameters can memorize the training set and therefore overfit.',
    'Reducing the number of parameters lowers the risk of overfitting, at the cost of possible underfitting.',
    'With too few parameters the model underfits.',
    // "≠" read as "does not mean".
    '- few params ≠ more over-fitting, with too few parameters the problem is under-fitting',
    'More parameters do not reduce overfitting; they increase it.',
    'Large networks are more prone to overfitting when the dataset is small.',
    'Weight sharing in CNNs decreases the number of parameters and hence overfitting.',
    'A fully connected layer on a 224x224 image needs many more parameters than a convolutional layer.',
    'CNNs have fewer parameters than dense networks.',
    'Compared to an MLP, a CNN has much less weights.',
  ],
  '1.2': [
    'In the input space the boundary is an ellipse centred at the origin.',
    'Unlike the linear model, whose decision boundary is a hyperplane (a line in R^2), here the boundary is an ellipse.',
    'In the one-dimensional feature space the boundary is a hyperplane (a point), which corresponds to an ellipse in the input space.',
    'A linearly separable dataset, e.g. two classes on either side of a line, cannot be classified by this model.',
    'The simple linear model fails on data where one class is inside a circle and the other is outside, while our model can classify it.',
    'The model can learn circular boundaries that a linear model cannot.',
    'The linear model can only represent linear boundaries.',
    'Since Q is positive definite the boundary is an ellipse, not a hyperbola or a parabola.',
    'A general quadratic classifier could produce hyperbolas, but here Q is positive definite so only ellipses appear.',
  ],
  '1.3.3': [
    'All C classes now contribute to the loss, so every log-probability receives a gradient.',
    'Before, only one entry per row was picked; now y is a B×C matrix and all entries are used.',
    'With one-hot labels only the true class term remains.',
  ],
  '1.3.4': [
    'Since the loss is averaged, the gradient has the same scale; we can keep the learning rate or even increase it by a factor of 2.',
    'A common heuristic is the linear scaling rule: multiply the learning rate by 2.',
    'If the loss is summed over the batch, the gradient doubles, so we should halve the learning rate to keep the same step.',
    "There's no need to reduce the learning rate.",
    'The learning rate can be increased by √2.',
    'The graph has the same number of nodes; only the tensors are twice as large.',
    'Memory usage doubles since every node stores a tensor with twice as many rows.',
    'With a sum-reduced loss the gradient doubles.',
    'With a mean loss the gradient does not double.',
    'Memory and computation double.',
  ],
  '2': [
    'Only the training loop is modified; the optimizer is left as is.',
    'The training loop changes, while the optimizer (SGD) stays the same.',
    'There is no need to change the optimizer.',
  ],
  '4': [
    'RNNs must process the tokens one after the other, so they cannot be parallelized.',
    'Transformers can be parallelized over the sequence while RNNs are sequential.',
    'Unlike the transformer, an RNN handles one token at a time.',
    "Self-attention's cost is quadratic in the sequence length, while an RNN's is linear.",
    'An RNN\'s computation grows linearly with the length of the sequence.',
    'Transformers capture long-range dependencies better than RNNs.',
    'LSTMs capture long-term dependencies better than vanilla RNNs.',
  ],
  '5': [
    'The likelihood remains intractable; the VAE only gives a lower bound.',
    'We cannot compute the exact likelihood.',
    'Training instability is not overcome, since the adversarial game remains.',
    'The model may reduce mode collapse, but GAN training remains unstable.',
    'VAEs tend to produce blurry images, while GANs produce sharp ones.',
    "Combining it with a GAN makes the VAE's samples sharper.",
  ],
  '7': [
    'At test time the weights are multiplied by 1-p, the probability of keeping a unit.',
    'PyTorch uses inverted dropout: it scales by 1/(1-p) during training, so nothing is done at inference.',
    'Where p is the retain probability, the weights are multiplied by p at test time.',
    'With inverted dropout, the activations are divided by 1-p during training, so no scaling is needed at inference.',
    'In classic dropout (not inverted), the weights are scaled by 1-p at test time.',
    'Dropout is active only during training; at inference all neurons are used.',
    'During training dropout is applied, and at inference it is turned off.',
    'At inference all neurons are still active.',
    'No gradient flows through the dropped neurons, because their output was multiplied by zero.',
    'The dropped units receive zero gradient in that iteration.',
    'In the backward pass, the same mask is applied to the gradients.',
    "At inference we use the running averages collected in training rather than the batch's mean and variance.",
    'During training BN uses the batch statistics, and during inference the running ones.',
    'The running mean and variance receive no gradient; they are buffers.',
    'In the backward pass the gradient also flows through the batch mean and variance.',
    'Gamma and beta are learned, while the mean and variance are not parameters.',
    'Each GPU draws its own independent dropout mask.',
    'Dropout needs nothing special, as long as the seeds differ between the processes.',
  ],
};


/** A second round, written after the first round's fixes and before any tuning to it (24 of 38 caught then). */
const WRONG_2: Record<string, string[]> = {
  'q1.1-params-overfitting-reversed': ['The more weights a network has, the less it overfits.', 'Overfitting happens mainly when the network has too few parameters.', 'Networks with a small number of parameters overfit more easily.'],
  'q1.1-cnn-more-parameters': ['Since a CNN has more parameters than an FC network, it can learn more complex features.'],
  'q1.2-hyperplane': ['Hence the separating surface is a hyperplane.', 'f(x)=0 defines a hyperplane of degree two in the plane.'],
  'q1.2-linear-too': ['Any data that a linear model can separate can also be separated by this model.', 'The model is able to approximate linearly separable distributions as well as circular ones.'],
  'q1.2-conic': ['Depending on Q the decision boundary may be a parabola.'],
  'q1.3-soft-one-class': ['The gradient will still flow only through the entry of the correct class.', 'Just one class receives gradient, as before.'],
  'q1.3-decrease-lr': ['When we double the batch size the learning rate should be decreased accordingly.', 'It is recommended to use a lower learning rate for bigger batches.', 'We should divide the learning rate by two.'],
  'q1.3-gradient-doubles': ['The gradient becomes twice as big because there are twice as many samples.'],
  'q1.3-nodes-double': ['The number of nodes in the computational graph doubles as well.', 'We get 2N nodes since every sample adds its own nodes.'],
  'q2-optimizer-modified': ['I think the optimizer should be the one that is modified, because it is responsible for the update step.', 'We need to change the optimizer and not the training loop.'],
  'q4-rnn-parallel': ['RNN allows parallel computation over the sequence elements, therefore it is faster.', 'Recurrent networks compute all hidden states at the same time.'],
  'q4-attention-linear': ['The computational complexity of the transformer is linear in the sequence length.'],
  'q4-rnn-long-range': ['RNNs handle long sequences better than transformers.'],
  'q5-exact-likelihood': ['Thanks to the VAE, the combined model can evaluate the exact likelihood p(x).'],
  'q5-solves-instability': ['The VAE-GAN solves all the problems of GAN training, including instability and mode collapse.'],
  'q5-vae-sharp': ['The VAE component yields sharp images.'],
  'q7-dropout-scale-by-p': ['At inference the activations should be multiplied by the dropout probability p.', 'In evaluation we scale the neurons\' outputs by p (the probability of dropping).'],
  'q7-inverted-scale-inference': ['With inverted dropout we still have to multiply by (1-p) at inference.'],
  'q7-dropout-at-inference': ['In inference mode dropout continues to drop neurons randomly.'],
  'q7-dropout-gradient-active': ['The gradients of the dropped neurons are computed normally during backpropagation.', 'Backward pass: all neurons get gradients, including the dropped ones.'],
  'q7-bn-inference-batch-stats': ['In test mode BN still normalizes using the batch mean and batch variance.', 'At inference time, the mean and variance are computed on the test batch.'],
  'q7-bn-stats-constant': ['The mean and variance are considered constant when computing the gradients.', 'The gradient does not pass through the batch statistics.'],
  'q7-same-dropout-mask': ['To keep the model copies consistent, the dropout masks should be synchronized across the GPUs.', 'All GPUs must drop the same neurons.'],
};

const RIGHT_2: Record<string, string[]> = {
  '2': ['The optimizer does not need to be changed, only the loop.', 'Changing the optimizer is not required.'],
  '4': ['Transformers, unlike RNNs, allow parallel computation over the sequence.', 'RNNs are slower because they cannot run in parallel.'],
  '5': ['Neither VAEs nor GANs give the exact likelihood.', 'VAE outputs are usually not sharp.'],
  // "This means …" is not the batch mean.
  '7': ['This means no adjustments are made to the gradients due to dropout.', 'Inverted dropout scales by 1/(1-p) in training, so at inference nothing is multiplied.', 'In eval mode dropout does nothing.', 'The masks should be different on each GPU.', 'BatchNorm uses running statistics at inference time, not the test batch.', 'The batch mean and variance are not constants: the gradient flows through them.'],
  '1.1': ['The more weights a network has, the more it can overfit.', 'Networks with few parameters tend to underfit rather than overfit.', 'Reducing the number of weights by sharing them is the main reason CNNs overfit less.'],
  '1.2': ['A hyperplane cannot separate the inner circle from the outer ring, but this model can.', 'Linear models are limited to hyperplanes as decision boundaries.', 'A parabola cannot be produced since Q is positive definite.'],
  '1.3.3': ['Now all of the classes take part in the gradient, not just the correct one.', 'Unlike hard labels, where only one class is used, soft labels use all classes.'],
  '1.3.4': ['We should not lower the learning rate when the loss is averaged.', 'If we used sum reduction we would need to halve the learning rate.', 'The number of nodes stays N.'],
};

/** A third round, written after the second round's fixes and before any tuning to it (20 of 27 caught then). */
const WRONG_3: Record<string, string[]> = {
  'q1.1-params-overfitting-reversed': ['In general, increasing the number of weights leads to better generalization and thus less overfitting.', 'A model with fewer parameters is more likely to overfit because it cannot capture the data.'],
  'q1.1-cnn-more-parameters': ['Convolutional networks use more parameters compared with fully connected networks because every filter has many weights.'],
  'q1.2-hyperplane': ['The resulting decision boundary is a hyperplane in the input space.'],
  'q1.2-linear-too': ['Our model is also capable of learning linear decision boundaries.'],
  'q1.2-conic': ['The decision boundary is a hyperbola.'],
  'q1.3-soft-one-class': ['The loss still only considers the probability assigned to the correct class.'],
  'q1.3-decrease-lr': ['A bigger batch requires a smaller learning rate.', 'To compensate for the larger batch, reduce the learning rate.'],
  'q1.3-gradient-doubles': ['The magnitude of the gradient will double.'],
  'q1.3-nodes-double': ['The size of the computational graph doubles, since there are twice as many nodes.'],
  'q2-optimizer-modified': ['We should modify the optimizer so it can handle the two gradients.', 'The optimizer needs to be adjusted to apply the projected gradient.'],
  'q4-rnn-parallel': ['RNNs can be trained in parallel across time steps, which makes them efficient.'],
  'q4-attention-linear': ['Transformers have linear complexity with respect to sequence length.'],
  'q4-rnn-long-range': ['LSTMs are better than transformers at remembering information from the beginning of long sequences.'],
  'q5-exact-likelihood': ['Unlike GANs, the VAE-GAN provides an exact likelihood.'],
  'q5-solves-instability': ['The combined model eliminates mode collapse completely.'],
  'q5-vae-sharp': ['VAEs are known for producing sharp, high-quality samples.'],
  'q7-dropout-scale-by-p': ['At test time, weights are scaled by the dropout rate p.'],
  'q7-inverted-scale-inference': ['When using inverted dropout, at test time the activations must be scaled by 1-p.'],
  'q7-dropout-at-inference': ['Dropout is also applied during inference to prevent overfitting.'],
  'q7-dropout-gradient-active': ['Gradients still flow through the dropped neurons during backpropagation.'],
  'q7-bn-inference-batch-stats': ['During inference, batch normalization uses the mean and variance of the inference batch.'],
  'q7-bn-stats-constant': ['During backpropagation, the mean and variance are treated as fixed constants.', 'Gradients are not propagated through the batch mean and variance.'],
  'q7-same-dropout-mask': ['The same random seed should be used on all GPUs so that dropout drops the same units everywhere.'],
};

const RIGHT_3: Record<string, string[]> = {
  '2': ['Only the training loop is affected; we keep the standard SGD optimizer.', 'The optimizer itself is unchanged.'],
  '4': ['Unlike transformers, RNNs cannot be parallelized across time steps.', 'Self-attention has quadratic complexity in the sequence length.', 'Transformers handle long-range dependencies better than LSTMs.'],
  '5': ['The VAE-GAN still does not provide an exact likelihood.', 'It reduces but does not eliminate mode collapse.', 'The adversarial loss makes the VAE\'s samples sharper.'],
  '7': ['At test time, PyTorch\'s dropout layer does nothing because it uses inverted dropout.', 'Gradients do not flow through the dropped neurons.', 'In the backward pass, gradients flow through the batch mean and variance as well.', 'Different seeds should be used on each GPU so the dropout masks are independent.', 'At inference, BatchNorm uses the running mean and variance computed during training.'],
  '1.1': ['Adding parameters increases capacity and, with limited data, the risk of overfitting.', 'A small number of parameters acts as a regularizer, which reduces overfitting.', 'CNNs need much fewer parameters than fully connected networks.'],
  '1.2': ['A hyperplane in the feature space corresponds to an ellipse in the original space.', 'The boundary is an ellipse, so circularly separable data can be classified.', 'Linearly separable data is not always separable by this model.'],
  '1.3.3': ['All classes now matter, not only the correct one.', 'With hard labels only a single log-probability per sample is used.'],
  '1.3.4': ['The learning rate does not have to be decreased.', 'With a mean loss, doubling the batch does not double the gradient.', 'Memory doubles because activations are stored for twice as many samples.'],
};

/** A fourth round, in the register of pasted assistant text, written before any tuning to it (12 of 15 caught then). */
const WRONG_4: Record<string, string[]> = {
  'q7-dropout-scale-by-p': ['It\'s worth noting that, during inference, the outputs of the neurons are typically scaled by the dropout probability to account for the neurons that were dropped during training.'],
  'q7-same-dropout-mask': ['To ensure consistency across devices, it is essential to synchronize the dropout masks so that each GPU drops the same set of neurons.'],
  'q4-rnn-parallel': ['RNNs are able to process all the inputs in parallel, making them ideal for the mobile scenario.'],
  'q5-solves-instability': ['The VAE-GAN completely resolves the mode collapse problem of GANs.'],
  'q1.2-hyperplane': ['The decision boundary defined by this classifier is a hyperplane in R^2, since the model is linear in its features.'],
  'q1.2-linear-too': ['This model can separate any linearly separable dataset, as well as datasets with circular boundaries.'],
  'q1.3-decrease-lr': ['When the batch size is doubled, it is common practice to decrease the learning rate proportionally.'],
  'q1.3-soft-one-class': ['With soft labels, the gradient is still only computed with respect to the true class logit.'],
  'q7-dropout-gradient-active': ['In the backward pass, dropout has no effect, and gradients are propagated to all neurons.'],
  'q2-optimizer-modified': ['The optimizer must be modified to compute the dot product and select the task.'],
  'q7-bn-inference-batch-stats': ['BatchNorm uses batch statistics both in training and at inference.'],
  'q1.1-params-overfitting-reversed': ['Deeper and wider networks, having more parameters, are less susceptible to overfitting.'],
  'q5-exact-likelihood': ['The model allows exact likelihood estimation through the VAE encoder.'],
  'q1.3-nodes-double': ['Doubling the batch means the computational graph will contain twice the number of nodes.'],
  'q7-inverted-scale-inference': ['PyTorch implements inverted dropout, so at evaluation time we multiply the outputs by (1 - p).'],
};

const RIGHT_4: Record<string, string[]> = {
  '4': ['Transformers process all the inputs in parallel, which RNNs cannot do.'],
  '5': ['The VAE-GAN partially addresses mode collapse but does not completely resolve it.'],
  '7': ['During inference, dropout is disabled and no scaling is required because PyTorch uses inverted dropout.', 'The dropout masks should not be synchronized; each GPU should sample its own.', 'In the backward pass, gradients are propagated only to the neurons that were kept.', 'BatchNorm uses batch statistics in training and running statistics at inference.'],
  '1.2': ['In the feature space the boundary is a hyperplane; in R^2 it is an ellipse.'],
  '1.3.4': ['It is common practice to increase the learning rate proportionally when the batch size is doubled.'],
  '1.1': ['Wider networks, having more parameters, are more susceptible to overfitting.'],
};

/** A fifth round, in note form ("Inference: …", arrows), written before any tuning to it (12 of 15 caught then). */
const WRONG_5: Record<string, string[]> = {
  'q7-dropout-scale-by-p': ['Inference: weights multiplied by p.', 'At test time: output * p.'],
  'q7-same-dropout-mask': ['Dropout: use the same seed on every GPU.'],
  'q7-bn-inference-batch-stats': ['BN at test time: normalize with batch mean/var.'],
  'q7-dropout-gradient-active': ['Backward: dropped neurons also get gradients.'],
  'q1.3-decrease-lr': ['Double batch → halve the LR.'],
  'q1.3-soft-one-class': ['Soft labels: still only the target class gets gradient.'],
  'q1.3-nodes-double': ['Graph: 2x nodes.'],
  'q1.1-params-overfitting-reversed': ['More params → less overfitting.'],
  'q1.2-hyperplane': ['Boundary: a hyperplane (2nd order).'],
  'q2-optimizer-modified': ['Answer: both (optimizer + training loop).'],
  'q4-rnn-parallel': ['RNN → parallel processing of tokens → fast.'],
  'q5-solves-instability': ['Fixes mode collapse and training instability completely.'],
  'q7-inverted-scale-inference': ['Inverted dropout → at inference multiply by (1-p).'],
  'q7-dropout-at-inference': ['Test time: dropout still on.'],
};

const RIGHT_5: Record<string, string[]> = {
  '2': ['Answer: only the training loop.'],
  '4': ['RNN: sequential, not parallel.'],
  '7': ['Inference: no dropout, no scaling (inverted dropout).', 'BN at test time: running mean/var.', 'Dropout: different seed per GPU.', 'Backward: dropped neurons get zero gradient.', 'Test time: dropout off.', 'Use the same seed on every GPU for the initial weights, and a different one per GPU for dropout.'],
  '1.3.4': ['Double batch → keep or increase the LR.', 'Graph: same number of nodes.'],
  '1.3.3': ['Soft labels: all classes get gradient.'],
  '1.1': ['More params → more overfitting.'],
  '1.2': ['Boundary: ellipse, not a hyperplane.'],
};

/** Each round: sentences asserting each entry, and correct sentences by question. */
/** The soft-label entry's sentences, written apart from it by a helper that had not read the catalogue (test/fixtures/prose-soft). */
const SOFT = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'prose-soft', 'soft.json'), 'utf8')) as { wrong: string[]; right: string[] };

const ROUNDS: readonly { wrong: Record<string, string[]>; right: Record<string, string[]> }[] = [
  { wrong: WRONG, right: RIGHT },
  { wrong: { 'q1.3-soft-logits-grow': SOFT.wrong }, right: { '1.3.3': SOFT.right } },
  { wrong: WRONG_2, right: RIGHT_2 },
  { wrong: WRONG_3, right: RIGHT_3 },
  { wrong: WRONG_4, right: RIGHT_4 },
  { wrong: WRONG_5, right: RIGHT_5 },
];

const inQuestion = (items: readonly string[], q: string): boolean => items.some((i) => q === i || q.startsWith(`${i}.`));

describe('catalogue on sentences written apart from it', () => {
  it('covers every entry', () => {
    assert.deepEqual([...new Set(ROUNDS.flatMap((r) => Object.keys(r.wrong)))].sort(), catalogue.map((m) => m.id).sort());
  });
  it('flags every asserting sentence with its entry', () => {
    const missed: string[] = [];
    for (const [id, sentences] of ROUNDS.flatMap((r) => Object.entries(r.wrong))) {
      const entry = catalogue.find((m) => m.id === id);
      for (const s of sentences) if (!entry || !asserts(entry, plain(s))) missed.push(`${id}: ${s}`);
    }
    assert.deepEqual(missed, []);
  });
  it('flags no correct sentence', () => {
    const wrong: string[] = [];
    for (const [q, sentences] of ROUNDS.flatMap((r) => Object.entries(r.right))) {
      for (const s of sentences) for (const m of catalogue) if (inQuestion(m.items, q) && asserts(m, plain(s))) wrong.push(`${m.id}: ${s}`);
    }
    assert.deepEqual(wrong, []);
  });
});
