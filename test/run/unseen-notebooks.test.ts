/**
 * Notebooks the checks were not written against: a third student's answers (original release, Question 2
 * chosen, answer markers of its own), written here after the catalogue, correct throughout — and the same
 * notebook with a planted mistake of every kind the checker knows. Every planted mistake is found at its place
 * with its code; the correct notebook draws no warning or error. Everything runs for real (onnxruntime,
 * compute-engine, the Python subset).
 */
import { strict as assert } from 'node:assert';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { code, exampleCells, md, notebookOf, srcOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

/** Cell indices of the answers in the notebook built below. */
const CELL = { q11: 5, q12: 7, q13md: 9, q13code: 10, q132: 12, q133: 14, q134: 16, q2md: 20, q2code: 21, q4: 27, q5: 31, q6: 34, q7: 38 } as const;

const ANSWERS: Record<keyof typeof CELL, string> = {
  q11: [
    '**Answer:**',
    'The number of parameters measures the capacity of the hypothesis class. With a fixed training set, a network with many parameters can memorise the noise of the samples it sees, so its training error keeps falling while its test error rises: it over-fits. Too few parameters under-fit instead.',
    '',
    'A convolutional layer slides one small kernel over the whole image, so its weights are shared across positions and each output depends only on a local patch (its receptive field). Compared with a fully connected layer on the same image it has far fewer weights, and the prior it encodes — locality and translation equivariance, a cat is a cat wherever it appears — is true of natural images. That makes CNNs a small hypothesis class that still contains good classifiers for vision.',
  ].join('\n'),
  q12: [
    '**Answer:**',
    'Since $\\psi(x) = x^TQx$ is a scalar, $f(x) = w\\,x^TQx + b$ and the boundary is the set $x^TQx = -b/w$. For positive definite $Q$ this is an ellipse centred at the origin whose axes follow the eigenvectors of $Q$ (empty if $-b/w \\le 0$).',
    '',
    'So the model can separate data where one class lies inside an ellipse around the origin and the other outside it — for example two concentric rings of points. A linear classifier draws a straight line and cannot separate the inner disc from the ring around it. The converse also holds: data split by a line that does not pass around the origin is beyond this model.',
  ].join('\n'),
  q13md: '**Answer:** The loss is the mean over the batch of $-\\log p(y_i|x_i)$; the code below picks each row\'s own label from the flattened log-probabilities.',
  q13code: [
    'from torch.nn.functional import log_softmax',
    'from torch import index_select',
    'import torch',
    '',
    '# Input:  model, x, y.',
    '# Output: the loss on the current batch.',
    'logits = model(x)',
    'logp = log_softmax(logits, dim=1).view(-1)',
    'loss = -index_select(logp, 0, y + logits.shape[1] * torch.arange(logits.shape[0])).mean()',
    '',
  ].join('\n'),
  q132: '**Answer:** Inputs $x$ and $y$, then model, log_softmax, view, arange, the index arithmetic, index_select, mean and the negation: the model counts as one node, so the graph stays small and does not depend on $B$ or $C$.',
  q133: [
    '**Answer:**',
    'With a target distribution $q_i$ per sample the loss becomes $-\\frac{1}{B}\\sum_i\\sum_c q_{ic}\\log p_{ic}$. Every class with non-zero target probability now contributes, so the gradient with respect to the logits is $\\frac{1}{B}(p_i - q_i)$ in all $C$ coordinates instead of touching one picked entry.',
    'The labels are a $B \\times C$ float tensor instead of $B$ integers, the product and the sum over classes add two nodes, and both memory and computation grow by a factor of about $C$ in the loss part of the graph.',
  ].join('\n'),
  q134: [
    '**Answer:**',
    'The graph keeps the same nodes; each tensor in it is twice as long along the batch axis, so activation memory and the work per step double.',
    'Because the loss is averaged over the batch, the gradient has the same expected size and half the variance. I would therefore keep the learning rate or raise it, e.g. by the linear scaling rule ($\\eta \\to 2\\eta$) or by $\\sqrt{2}$ for a more cautious step.',
  ].join('\n'),
  q2md: '**Answer:** Only the training loop needs to change. The loop computes both gradients, compares them, and backpropagates the chosen loss; the SGD optimizer is used as it is.',
  q2code: [
    'import random',
    'import torch',
    '',
    'for epoch in range(num_epochs):',
    '    for inputs, targets in data_loader:',
    '        loss_1 = forward_and_compute_loss_1(model, inputs)',
    '        loss_2 = forward_and_compute_loss_2(model, inputs)',
    '        params = list(model.parameters())',
    '        g1 = torch.autograd.grad(loss_1, params, retain_graph=True)',
    '        g2 = torch.autograd.grad(loss_2, params, retain_graph=True)',
    '        dot = sum((a * b).sum() for a, b in zip(g1, g2))',
    '        optimizer.zero_grad()',
    '        if dot < 0:',
    '            total = loss_1 if random.random() < 0.5 else loss_2',
    '        else:',
    '            total = loss_1 + loss_2',
    '        total.backward()',
    '        optimizer.step()',
    '',
  ].join('\n'),
  q4: [
    '**Answer:**',
    '1. A transformer. The server sees the whole paper at once, and self-attention processes all positions in parallel, so inference on a GPU is fast; summarising a long paper also needs dependencies between distant sentences, which attention links directly.',
    '2. An RNN. The phone receives a small vector every second and only has to update its hidden state once per step; memory and compute per step are constant, whereas a transformer would re-attend over the whole minute each second.',
    '3. An RNN is enough here: the important tokens are at the beginning of a fixed-length sequence, so a recurrent model reading it in reverse (or a bidirectional one) reaches them within a few steps. A transformer would also work, since compute is not limited, but nothing requires it.',
  ].join('\n'),
  q5: [
    '**Answer:**',
    'A VAE-GAN has three parts: an encoder $q_\\phi(z|x)$, a decoder that doubles as the generator $p_\\theta(x|z)$, and a discriminator $D$. The encoder minimises the KL divergence to the prior plus a reconstruction error measured on features of $D$; the decoder minimises that reconstruction error and fools $D$ (the adversarial loss); $D$ is trained on real images against reconstructions and samples from the prior.',
    '',
    'The combination removes the blurry samples of the VAE, since the discriminator punishes them, and gives the GAN an encoder, which also eases mode collapse. It does not remove the instability of adversarial training, and there is still no exact likelihood: the VAE part only bounds it.',
  ].join('\n'),
  q6: [
    '**Answer:**',
    'By Bayes, $q(x_{t-1}|x_t,x_0) = \\frac{q(x_t|x_{t-1})\\,q(x_{t-1}|x_0)}{q(x_t|x_0)}$, and every factor is Gaussian, so the log-density is a quadratic in $x_{t-1}$:',
    '$$-\\frac{1}{2}\\left(\\frac{(x_t-\\sqrt{\\alpha_t}x_{t-1})^2}{\\beta_t} + \\frac{(x_{t-1}-\\sqrt{\\overline{\\alpha}_{t-1}}x_0)^2}{1-\\overline{\\alpha}_{t-1}}\\right) + \\text{const}$$',
    'Collecting the $x_{t-1}^2$ terms gives the precision $\\frac{\\alpha_t}{\\beta_t} + \\frac{1}{1-\\overline{\\alpha}_{t-1}}$, hence',
    '$$\\tilde{\\beta}_t = \\frac{(1-\\overline{\\alpha}_{t-1})\\beta_t}{1-\\overline{\\alpha}_t}$$',
    'and the linear terms give',
    '$$\\tilde{\\mu}(x_t,x_0) = \\frac{\\sqrt{\\alpha_t}(1-\\overline{\\alpha}_{t-1})}{1-\\overline{\\alpha}_t}x_t + \\frac{\\sqrt{\\overline{\\alpha}_{t-1}}\\beta_t}{1-\\overline{\\alpha}_t}x_0$$',
  ].join('\n'),
  q7: [
    '**Answer:**',
    '*Training.* BatchNorm normalises each channel with the mean and variance of the current mini-batch, then applies the learned scale and shift; the backward pass goes through the batch statistics too, so each sample\'s gradient depends on the others. It also updates running averages of the mean and variance. Dropout zeroes each unit with probability $p$ and divides the kept ones by $1-p$ (inverted dropout); in the backward pass the same mask is applied, so dropped units get no gradient.',
    '',
    '*Inference.* BatchNorm normalises with the running averages instead of batch statistics, and dropout is the identity: no unit is dropped and nothing is rescaled. In PyTorch `model.train()` and `model.eval()` switch between the two modes; at test time the forward pass is also wrapped in `torch.no_grad()`, which only stops the graph from being recorded.',
    '',
    '*Several GPUs.* Each process sees only its slice of the batch, so BatchNorm must synchronise its statistics across the processes (SyncBatchNorm all-reduces the sums and squared sums) for the normalisation to use the whole batch. Dropout needs no communication: each process should draw its own independent masks, e.g. from a different seed per rank.',
  ].join('\n'),
};

/** Another student's correct answers, in note form (arrows, fragments, `\[…\]` display math). */
const NOTES: Record<keyof typeof CELL, string> = {
  q11: [
    '**Answer:**',
    '- More params → more capacity → higher over-fitting risk (with the data fixed); too few → under-fitting.',
    '- CNN: weight sharing (one kernel over every position), locality (small receptive field), translation equivariance.',
    '- Far fewer params than an FC layer on the same image → less over-fitting, and a prior that fits natural images.',
  ].join('\n'),
  q12: [
    '**Answer:**',
    '- Boundary: $\\{x : x^TQx = -b/w\\}$ → an ellipse centred at 0 (Q positive definite).',
    '- Example: class A inside a circle, class B on a ring around it (concentric circles) → the linear model fails, this one works.',
    '- But a general line is not representable by this model.',
  ].join('\n'),
  q13md: '**Answer:** mean over the batch of $-\\log p(y_i|x_i)$, code below.',
  q13code: ANSWERS.q13code,
  q132: '**Answer:** x, y, model (one node), log_softmax, view, the index arithmetic, index_select, mean, neg.',
  q133: [
    '**Answer:**',
    '- y: $B \\times C$ floats instead of B integers.',
    '- Loss: $-\\frac{1}{B}\\sum_i\\sum_c y_{ic}\\log p_{ic}$ → all C classes get gradient ($p - y$ per row).',
    '- Memory and compute of the loss part: about ×C.',
  ].join('\n'),
  q134: [
    '**Answer:**',
    '- Same graph (same nodes); tensors 2× along the batch → memory and compute 2×.',
    '- Mean loss → gradient keeps its scale, half the variance → keep the LR or increase it (×2 linear, ×√2).',
    '- (With a summed loss the gradient doubles → halve the LR.)',
  ].join('\n'),
  q2md: '**Answer:** only the training loop; the SGD optimizer as is.',
  q2code: [
    'import torch, random',
    'for epoch in range(num_epochs):',
    '    for batch in data_loader:',
    '        optimizer.zero_grad()',
    '        l1 = forward_and_compute_loss_1(model, batch)',
    '        l1.backward(retain_graph=True)',
    '        g1 = [p.grad.clone() for p in model.parameters()]',
    '        optimizer.zero_grad()',
    '        l2 = forward_and_compute_loss_2(model, batch)',
    '        l2.backward(retain_graph=True)',
    '        g2 = [p.grad.clone() for p in model.parameters()]',
    '        optimizer.zero_grad()',
    '        if sum((a * b).sum() for a, b in zip(g1, g2)) < 0:',
    '            random.choice([l1, l2]).backward()',
    '        else:',
    '            (l1 + l2).backward()',
    '        optimizer.step()',
    '',
  ].join('\n'),
  q4: [
    '**Answer:**',
    '1. Transformer → parallel over the tokens at inference; long-range context.',
    '2. RNN → constant memory and compute per step; streaming.',
    '3. RNN (bidirectional) is enough; a transformer would also do.',
  ].join('\n'),
  q5: [
    '**Answer:**',
    '- Parts: encoder $q(z|x)$, decoder = generator $p(x|z)$, discriminator $D$.',
    "- Losses: KL + reconstruction (in D's feature space) for the encoder; reconstruction + adversarial for the decoder; the GAN loss for D.",
    '- Overcomes: blurry VAE samples; the GAN gets an encoder, less mode collapse.',
    '- Not overcome: adversarial training instability; no exact likelihood (only the ELBO).',
  ].join('\n'),
  q6: [
    '**Answer:**',
    'Bayes: $q(x_{t-1}|x_t,x_0) \\propto q(x_t|x_{t-1})\\,q(x_{t-1}|x_0)$; both Gaussian in $x_{t-1}$; complete the square:',
    '\\[\\tilde\\beta_t = \\frac{1-\\bar\\alpha_{t-1}}{1-\\bar\\alpha_t}\\beta_t\\]',
    '\\[\\tilde\\mu(x_t,x_0) = \\frac{\\sqrt{\\bar\\alpha_{t-1}}\\beta_t}{1-\\bar\\alpha_t}x_0 + \\frac{\\sqrt{\\alpha_t}(1-\\bar\\alpha_{t-1})}{1-\\bar\\alpha_t}x_t\\]',
  ].join('\n'),
  q7: [
    '**Answer:**',
    'Train: BN uses the batch mean/var, and the backward pass goes through them; running averages are updated. Dropout zeroes units w.p. $p$ and scales the kept ones by $1/(1-p)$; the mask is reused in backward (dropped → zero gradient).',
    'Inference: BN uses the running mean/var; dropout off (identity). `model.train()` / `model.eval()` switch.',
    'Multi-GPU: SyncBatchNorm (all-reduce of the sums and squared sums); dropout → independent masks per GPU (different seeds).',
  ].join('\n'),
};

/** The seed example's prompts (original release) with these answers, and Question 3 left out by the key. */
function notebook(answers: Record<keyof typeof CELL, string>): RawCell[] {
  const seed = exampleCells();
  const prompts = (from: number, to: number): RawCell[] => seed.slice(from, to);
  const cells: RawCell[] = [
    ...prompts(0, 5),
    md(answers.q11),
    seed[6] as RawCell,
    md(answers.q12),
    seed[8] as RawCell,
    md(answers.q13md),
    code(answers.q13code),
    seed[11] as RawCell,
    md(answers.q132),
    seed[13] as RawCell,
    md(answers.q133),
    seed[15] as RawCell,
    md(answers.q134),
    ...prompts(17, 20),
    md(answers.q2md),
    code(answers.q2code),
    ...prompts(20, 25),
    md(answers.q4),
    ...prompts(26, 29),
    md(answers.q5),
    ...prompts(30, 32),
    md(answers.q6),
    ...prompts(32, 35),
    md(answers.q7),
  ];
  return cells;
}

describe('notebooks the checks were not written against', function () {
  this.timeout(120_000);

  it('the layout: each answer where CELL says', () => {
    const cells = notebook(ANSWERS);
    for (const [k, i] of Object.entries(CELL)) assert.equal(srcOf(cells[i] as RawCell), ANSWERS[k as keyof typeof CELL], k);
  });

  it('correct answers throughout: no warning or error, every question answered, the exercise and the loop run', async () => {
    const r = await checkNotebookAndRun(notebookOf(notebook(ANSWERS)), runtime);
    const flagged = r.findings.filter((f) => f.severity !== 'info');
    assert.deepEqual(flagged.map((f) => `${f.code} Q${f.question} cell ${f.cell}: ${f.message}`), []);
    assert.equal(r.run?.device, 'cpu');
    assert.ok(!r.findings.some((f) => f.code === 'training.not-run' || f.code.startsWith('exercise.not')), r.findings.map((f) => f.code).join(', '));
    assert.equal(r.points?.attainable, 50);
    // Nothing flagged: the estimate reaches the points attainable, and no counted part is flagged.
    assert.equal(r.judgement?.estimate.high, 50);
    assert.deepEqual(r.judgement?.parts.filter((p) => p.counted && p.verdict === 'flagged').map((p) => p.id), []);
  });

  it('another student\'s correct answers in note form: no warning or error', async () => {
    const r = await checkNotebookAndRun(notebookOf(notebook(NOTES)), runtime);
    assert.deepEqual(r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} Q${f.question} cell ${f.cell}: ${f.message}`), []);
    assert.ok(!r.findings.some((f) => f.code === 'training.not-run'), 'the loop ran');
  });

  it('a planted mistake of every kind: each found at its place with its code', async () => {
    const answers = { ...ANSWERS };
    const plant = (k: keyof typeof CELL, from: string, to: string): void => {
      assert.ok(answers[k].includes(from), `${k}: ${from}`);
      answers[k] = answers[k].replace(from, to);
    };
    // Misconceptions, in words of this notebook's own.
    plant('q11', 'Too few parameters under-fit instead.', 'Adding parameters gives the network more ways to generalise, so a bigger network is less prone to over-fitting.');
    plant('q12', 'For positive definite $Q$ this is an ellipse', 'For positive definite $Q$ the boundary is a conic, an ellipse or a hyperbola depending on the sign of $b$, and in general an ellipse');
    plant('q12', 'The converse also holds: data split by a line that does not pass around the origin is beyond this model.', 'In addition, because a quadratic boundary generalises a line, this model can learn linearly separable data as well.');
    plant('q133', 'Every class with non-zero target probability now contributes, so the gradient with respect to the logits is $\\frac{1}{B}(p_i - q_i)$ in all $C$ coordinates instead of touching one picked entry.', 'As with hard labels, only the target class enters the gradient, so the backward pass is unchanged.');
    plant('q134', 'The graph keeps the same nodes;', 'The graph grows with the batch: twice as many nodes;');
    plant('q134', 'I would therefore keep the learning rate or raise it, e.g. by the linear scaling rule ($\\eta \\to 2\\eta$) or by $\\sqrt{2}$ for a more cautious step.', 'I would therefore cut the learning rate in half to keep the updates stable.');
    plant('q2md', 'Only the training loop needs to change.', 'Both the optimizer and the loop have to change: the optimizer must pick which gradient to apply.');
    plant('q4', 'memory and compute per step are constant', 'RNNs also run over all the time steps in parallel, which keeps the latency low; memory and compute per step are constant');
    plant('q4', 'which attention links directly.', "which attention links directly, and attention's cost grows only linearly with the length of the paper.");
    plant('q5', 'and there is still no exact likelihood: the VAE part only bounds it.', 'but the VAE part gives the model an exact likelihood for every image.');
    plant('q7', 'BatchNorm normalises with the running averages instead of batch statistics, and dropout is the identity: no unit is dropped and nothing is rescaled.', 'At test time BatchNorm normalises with the mean and variance of the test batch. Dropout keeps every unit but multiplies its output by $p$ to match the training scale.');
    plant('q7', 'in the backward pass the same mask is applied, so dropped units get no gradient.', 'in the backward pass the dropped units still receive their full gradient.');
    plant('q7', 'the backward pass goes through the batch statistics too, so each sample\'s gradient depends on the others.', 'in the backward pass the batch mean and variance are treated as constants.');
    plant('q7', 'In PyTorch `model.train()` and `model.eval()` switch between the two modes; at test time', 'In PyTorch, wrapping the evaluation in `torch.no_grad()` turns off dropout and puts BatchNorm in inference mode; at test time');
    plant('q7', 'Dropout needs no communication: each process should draw its own independent masks, e.g. from a different seed per rank.', 'For dropout, the processes should share one seed so that every GPU applies an identical mask.');
    // Integrity: assistant text, a passage pasted twice, math pasted from a rendered page.
    plant('q5', '**Answer:**\n', "**Answer:**\nHere's a suggested approach to combining the two models.\n\n");
    plant('q4', 'but nothing requires it.', 'but nothing requires it.\n\nI hope this helps!');
    plant('q5', 'and gives the GAN an encoder', 'and gives the GAN an encoder');
    answers.q5 += '\n\nThe encoder minimises the KL divergence to the prior plus a reconstruction error measured on features of $D$; the decoder minimises that reconstruction error and fools $D$ (the adversarial loss); $D$ is trained on real images against reconstructions and samples from the prior.';
    plant('q6', 'and the linear terms give', ['and the linear terms give', 'μ', '~', '(', 'x', 't', '\u200b', ',', 'x', '0', '\u200b', ')', '=', '\uFFFD', '\uFFFD', 'μ~(xt​,x0​)=', 'the formula above.'].join('\n'));
    // Derivation: β̃ with its ratio inverted, μ̃ with √ᾱ_{t−1} lost.
    plant('q6', '\\tilde{\\beta}_t = \\frac{(1-\\overline{\\alpha}_{t-1})\\beta_t}{1-\\overline{\\alpha}_t}', '\\tilde{\\beta}_t = \\frac{(1-\\overline{\\alpha}_t)\\beta_t}{1-\\overline{\\alpha}_{t-1}}');
    plant('q6', '\\frac{\\sqrt{\\overline{\\alpha}_{t-1}}\\beta_t}{1-\\overline{\\alpha}_t}x_0', '\\frac{\\overline{\\alpha}_{t-1}\\beta_t}{1-\\overline{\\alpha}_t}x_0');
    // Code: a sum where the mean is expected; the loop never zeroes the gradients it accumulates.
    plant('q13code', '.mean()', '.sum()');
    plant('q2code', '        optimizer.zero_grad()\n', '');
    // A part left unanswered.
    answers.q132 = '**Answer:**';

    const cells = notebook(answers);
    const r = await checkNotebookAndRun(notebookOf(cells), runtime);
    const textAt = (f: Finding): string => {
      const src = srcOf(cells[f.cell as number] as RawCell).split('\n');
      const rg = f.range;
      if (!rg) return '';
      return rg.start.line === rg.end.line ? (src[rg.start.line] ?? '').slice(rg.start.character, rg.end.character) : src.slice(rg.start.line, rg.end.line + 1).join('\n');
    };
    // [code, cell, words of the text the finding's range covers (or of its message, for whole-cell findings)]
    const PLANTED: [string, number, string][] = [
      ['prose.misconception', CELL.q11, 'a bigger network is less prone to over-fitting'],
      ['prose.misconception', CELL.q12, 'an ellipse or a hyperbola'],
      ['prose.misconception', CELL.q12, 'this model can learn linearly separable data'],
      ['structure.part-missing', CELL.q132 - 1, '1.3.2'],
      ['prose.misconception', CELL.q133, 'only the target class enters the gradient'],
      ['prose.misconception', CELL.q134, 'twice as many nodes'],
      ['prose.misconception', CELL.q134, 'cut the learning rate in half'],
      ['code.numeric-mismatch', CELL.q13code, 'sum'],
      ['prose.misconception', CELL.q2md, 'Both the optimizer and the loop have to change'],
      ['training.grad-not-zeroed', CELL.q2code, 'backward'],
      ['prose.misconception', CELL.q4, 'RNNs also run over all the time steps in parallel'],
      ['prose.misconception', CELL.q4, "attention's cost grows only linearly"],
      ['integrity.assistant-text', CELL.q4, 'I hope this helps!'],
      ['integrity.assistant-text', CELL.q5, "Here's a suggested approach"],
      ['prose.misconception', CELL.q5, 'an exact likelihood for every image'],
      ['integrity.duplicate-passage', CELL.q5, 'The encoder minimises the KL divergence'],
      ['math.pasted-render', CELL.q6, 'μ'],
      ['derivative.wrong', CELL.q6, '\\tilde{\\beta}_t'],
      ['derivative.wrong', CELL.q6, '\\tilde{\\mu}(x_t,x_0)'],
      ['prose.misconception', CELL.q7, 'the batch mean and variance are treated as constants'],
      ['prose.misconception', CELL.q7, 'the dropped units still receive their full gradient'],
      ['prose.misconception', CELL.q7, 'the mean and variance of the test batch'],
      ['prose.misconception', CELL.q7, 'multiplies its output by $p$'],
      ['prose.misconception', CELL.q7, 'every GPU applies an identical mask'],
      ['prose.misconception', CELL.q7, 'wrapping the evaluation in `torch.no_grad()` turns off dropout'],
    ];
    const flagged = r.findings.filter((f) => f.severity !== 'info');
    const unmatched = [...flagged];
    const missed: string[] = [];
    for (const [codeName, cell, words] of PLANTED) {
      const i = unmatched.findIndex((f) => f.code === codeName && f.cell === cell && (textAt(f).includes(words) || f.message.includes(words)));
      if (i < 0) missed.push(`${codeName} cell ${cell}: ${words}`);
      else unmatched.splice(i, 1);
    }
    assert.deepEqual(missed, [], r.findings.map((f) => `${f.code} cell ${f.cell}: ${textAt(f).slice(0, 60)} | ${f.message.slice(0, 120)}`).join('\n'));
    // Nothing else is flagged: every warning or error is one of the plants (a plant may draw a second finding
    // only where it is the same mistake seen again, e.g. the loop's later steps).
    assert.deepEqual(unmatched.filter((f) => !PLANTED.some(([c, cell]) => c === f.code && cell === f.cell)).map((f) => `${f.code} cell ${f.cell}: ${f.message}`), []);
  });
});
