/**
 * The grade estimate against a TA's grades. Every notebook of the exam in ../shared/corpus/spring2023-theory
 * was graded by reading the answers as a TA does, apart from nbcheck (without its code or its output): points
 * per part with the reason. Q1's 15 points are split equally over its six parts; Q2 and Q3 share one slot.
 * Images in these notebooks are not available; where an answer is an image, the grade assumes what its text
 * says. nbcheck's range must contain the grade of every notebook, and of every part the key counts.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import { readNotebook } from '../../src/core/notebook/reader';
import { CORPUS, HAVE_CORPUS } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

/** A TA's grade: the total, and per part the points and a one-line reason. */
const TA: Record<string, { total: number; parts: Record<string, [number, string]> }> = {
  'Almogbs__draft__Part2_TheoreticalQuestions.ipynb': {
    total: 22.5,
    parts: {
      '1.1': [1.75, 'Links more params to higher capacity/memorisation and overfitting; CNN weight sharing (k x k kernels) and position-independent pattern detection mentioned. Says raising stride/padding adds overfitting, which is loose, and the inductive bias (locality, equivariance) that makes CNNs a sensible hypothesis class is only sketched.'],
      '1.2': [0.75, 'Sets f=0 and notes the boundary is second degree, but never says that with a PD Q the boundary x^TQx=-b/w is an origin-centred ellipse. The claim that the model can also fit linear data is wrong, and no concrete distribution is given.'],
      '1.3.1': [0.5, 'Original release (index_select). The keyword typo \'incices=\' raises a TypeError, so the cell crashes. Even with that fixed, index_select(dim=1,y) gives a [B,B] matrix and the sum runs over all B^2 entries (no diag), and it is a sum, not the batch mean. Only the log_softmax(dim=1) step is right.'],
      '1.3.2': [2.0, 'The text only says \'7 nodes\' plus an unseen image (imgs/ce_loss.png). Assuming the image shows x->model->log_softmax->index_select(y)->sum->x(-1)->loss, that count matches the student\'s own code.'],
      '1.3.3': [1.25, 'Correctly says the index selection becomes a product/dot product of y with the log-probs over all C classes, and that memory and compute grow. No sizes given (y becomes B x C, O(BC) extra, a constant number of extra nodes), no gradient form (softmax - y), and the graph is an unseen image.'],
      '1.3.4': [1.0, 'Graph size unchanged and more memory: right. \'Gradient computation pretty much the same\' skips the doubled compute. Says to decrease the LR because gradients are summed, which contradicts the course ruling (mean loss), under which the LR should be raised (linear scaling).'],
      '2': [0, 'Not answered: the draft has no answer to Q2 (nor Q3).'],
      '3': [0, 'Not answered: neither Q2 nor Q3 is attempted, so the Q2/Q3 slot gets 0.'],
      '4': [6.0, 'Transformer / RNN / Transformer, all correct. Justifications are reasonable (parallelism, streaming state, attention to the few early tokens), but case 2 never names the mobile resource limit or the O(1) state update. Reads as AI-generated.'],
      '5': [5.0, 'Pasted from an AI assistant verbatim: \'Certainly! ... in LaTeX\', with garbled unicode formulas left in. Content: a VAE-GAN with encoder, decoder=generator and discriminator; recon+KL, D and G losses; an alternating update scheme; sharper samples and a structured latent space listed as gains, instability/mode dropping/complexity as what remains. Some wording errors (D \'maximize difference ... array of ones\') and a confused benefit (\'stable training\').'],
      '6': [0, 'Not answered.'],
      '7': [4.25, 'BN train/inference and the model.train()/eval() switch are right, and BN statistics are synced across GPUs. But the BN backward misses the gradient through the batch statistics. Dropout is wrong in places: the backward is said to treat dropped neurons \'as if active\', inference scales \'by the dropout rate\', there is no 1/(1-p) inverted scaling, and for multi-GPU it asks for the same mask on every GPU, when masks should be independent (different seeds).'],
    },
  },
  'Almogbs__final__Part2_TheoreticalQuestions.ipynb': {
    total: 28.5,
    parts: {
      '1.1': [1.75, 'Links more params to higher capacity/memorisation and overfitting; CNN weight sharing (k x k kernels) and position-independent pattern detection mentioned. Says raising stride/padding adds overfitting, which is loose, and the inductive bias (locality, equivariance) that makes CNNs a sensible hypothesis class is only sketched.'],
      '1.2': [0.75, 'Sets f=0 and notes the boundary is second degree, but never says that with a PD Q the boundary x^TQx=-b/w is an origin-centred ellipse. The claim that the model can also fit linear data is wrong, and no concrete distribution is given.'],
      '1.3.1': [0.5, 'Same code as the draft, now wrapped in a function. The \'incices=\' keyword typo still raises a TypeError. index_select(dim=1) gives a [B,B] matrix, the sum runs over all entries (no diag), and it is a sum rather than the batch mean.'],
      '1.3.2': [2.0, 'The text gives \'7 nodes or 8 counting the -1 constant\' plus an unseen image (imgs/ce_loss.png). Assuming the image shows the chain x->model->log_softmax->index_select(y)->sum->x(-1)->loss, that count fits the student\'s code.'],
      '1.3.3': [1.25, 'Correctly says the index selection becomes a product/dot product of y with the log-probs over all C classes, and that memory and compute grow. No sizes given (y becomes B x C, O(BC) extra, a constant number of extra nodes), no gradient form (softmax - y), and the graph is an unseen image.'],
      '1.3.4': [1.0, 'Graph size unchanged and more memory: right. \'Gradient computation pretty much the same\' skips the doubled compute. Says to decrease the LR because gradients are summed, which contradicts the course ruling (mean loss), under which the LR should be raised (linear scaling).'],
      '2': [4.5, 'Correctly says only the training loop changes and the optimizer stays standard SGD. The code collects g1 and g2, takes the dot product and picks loss1, loss2 or loss1+loss2, but it crashes: final_loss.backward() runs a second backward through graphs already freed by loss_1/loss_2.backward(), with no retain_graph (confirmed in torch). There is also a stray optimizer.step() before that backward.'],
      '3': [0, 'Not answered; Q2 was chosen instead.'],
      '4': [6.5, 'Transformer (parallel, long-range, server compute), RNN (limited mobile compute, short window), Transformer (attention to the few early tokens, no compute limit). All correct with sound reasons. Case 3 does not spell out that an RNN forgets the early information.'],
      '5': [5.75, 'Coherent VAE-GAN: encoder, decoder as generator, discriminator. Joint loss is Recon + lambda*KL - gamma*GenLoss: the minus sign is wrong or ambiguous if the generator loss is one to minimise. The discriminator objective is given in words. Gains (sharpness, latent structure) and what remains (instability, mode collapse, tuning, compute) are well argued.'],
      '6': [0.75, 'Circular: plugs the given mu-tilde and beta-tilde into a 1-D Gaussian PDF and declares it proven. No Bayes rule, no use of q(x_t|x_{t-1}) or q(x_{t-1}|x_0), no completing the square. Only the correct target formulas earn credit.'],
      '7': [3.75, 'BN forward, running statistics for inference and synced statistics across GPUs are right. But the BN backward misses the gradient through the statistics, and gamma/beta are called hyperparameters. Dropout backward \'gradients unaffected by dropout\' is wrong, as is the inference scaling \'by the dropout rate\'; multi-GPU asks for the same mask on all GPUs (wrong). The \'how to distinguish modes in code\' item (train()/eval()) is missing.'],
    },
  },
  'HayElmaliah__Deep-Learning-CS236781-MiniProject__Part2_TheoreticalQuestions.ipynb': {
    total: 38.25,
    parts: {
      '1.1': [2.25, 'Thorough: capacity vs overfitting, FC versus CNN parameter sharing and local connectivity, hierarchy, reasons CNNs suit vision. It overclaims that pooling gives invariance to scale and orientation. Reads as AI-generated.'],
      '1.2': [1.75, 'f=0 gives a quadratic boundary, and the concentric-ellipse example (x^2+4y^2=1 vs 0.5) is a correct distribution. But it says the boundary may be a hyperbola or parabola and gives a general conic with linear terms. Both are wrong for a scalar psi with PD Q, which only yields an origin-centred ellipse. Also writes xQx^T.'],
      '1.3.1': [2.5, 'Revised release (gather). log_softmax(dim=1), gather(dim=1, labels.view(-1,1)), then the negated mean over the batch. Correct and minimal; taking (logits, labels) as arguments is fine.'],
      '1.3.2': [2.0, 'Text lists the nodes (log_softmax, gather, negation, sum, division; 8 with the logits/labels inputs and the loss) plus an unseen image. The model/x black-box node is left out, and the listed sum+division does not match the code\'s single mean().'],
      '1.3.3': [1.25, 'Says the selection is replaced by a comparison over the whole distribution (called KL divergence rather than CE, though the gradient is the same) and that compute rises. It claims memory barely changes, with no y (B x C) storage or O(BC) analysis, and the gradient discussion is vague.'],
      '1.3.4': [2.25, 'Graph unchanged and memory up: correct. Doubles the LR under the linear scaling rule and mentions sqrt scaling for Adam, which fits a mean loss. Doubled compute per step is not stated explicitly.'],
      '2': [6.0, 'Good explanation (training loop only, cosine-sign reasoning). The main cell would crash, since loss.backward() runs a second backward without retain_graph; it also loops only over epochs and passes extra targets. The runnable example fixes this with retain_graph=True and executed correctly, so the deduction is small.'],
      '3': [0, 'Not answered; Q2 was chosen instead.'],
      '4': [6.5, 'Transformer / RNN / Transformer, all correct. Well justified: parallelism and long range for the server, lightweight temporal state on mobile, attention to the few relevant tokens with no compute limit. Case 3 does not explain why an RNN would fail on early information.'],
      '5': [5.0, 'Objectives are listed correctly (recon, KL, G and D losses) and benefits and limits are discussed. But the design puts a separate generator beside the VAE decoder, which muddles the combination: the decoder should be the generator. The joint training is vague (\'gradients combined\'), and it wrongly says VAEs suffer mode collapse.'],
      '6': [3.0, 'Correct setup: Bayes rule, the Markov property, and q(x_t|x_0) and q(x_{t-1}|x_0) as Gaussians. But the mean of q(x_t|x_{t-1}) is missing x_{t-1}, the \'PDF\' expansion drops exp() and is nonsense, and the key step (completing the square to get mu-tilde and beta-tilde) is skipped as \'after some algebraic derivations\'.'],
      '7': [5.75, 'BN forward and inference, train()/eval(), and syncing BN statistics across GPUs are right, as are dropout forward/backward with rescaling and independent dropout per GPU. BN backward only mentions gamma and beta (no gradient through the statistics). Dropout inference \'outputs scaled by the dropout rate\' clashes with the inverted scaling the student applied in training.'],
    },
  },
  'noam-mosh__mini_project__Part2_TheoreticalQuestions.ipynb': {
    total: 3.75,
    parts: {
      '1.1': [2.25, 'Full answer, given without an answer marker: under- vs overfitting versus parameter count, then local receptive fields, weight sharing, hierarchy and pooling in CNNs. Overclaims rotation/scale invariance and calls weight sharing \'invariance\'. Reads as AI-generated.'],
      '1.2': [1.5, 'Correct example (an ellipse/ring around an inner class), but the boundary is only called \'quadratic\', not an origin-centred ellipse from PD Q. The algebra x^T(Q^T w)x is sloppy, and it wrongly says psi maps into a higher-dimensional space (psi is scalar). AI-like.'],
      '1.3.1': [0, 'Not answered: the template code still has \'...\'.'],
      '1.3.2': [0, 'Not answered.'],
      '1.3.3': [0, 'Not answered.'],
      '1.3.4': [0, 'Not answered.'],
      '2': [0, 'Not answered (neither Q2 nor Q3).'],
      '3': [0, 'Not answered, so the Q2/Q3 slot gets 0.'],
      '4': [0, 'Not answered.'],
      '5': [0, 'Not answered.'],
      '6': [0, 'Not answered.'],
      '7': [0, 'Not answered.'],
    },
  },
  'oreo-hippiepham1__cs236781-prj__Part2_TheoreticalQuestions.ipynb': {
    total: 26.0,
    parts: {
      '1.1': [1.5, 'Covers CNN weight sharing, hierarchy, pooling and translation invariance. Never states the general link that more parameters mean more capacity and more overfitting risk, and the ending is garbled (\'..ntity\').'],
      '1.2': [1.0, 'Names annular/ring data, which is a roughly right idea, but ignores the hint: no decision boundary (the ellipse x^TQx=-b/w) is derived. \'Rings of varied widths\' with several rings could not be split by one ellipse.'],
      '1.3.1': [1.75, 'Original release (index_select). -log_softmax(dim=1).index_select(-1,y).diag() picks the right entries (checked in torch), but it uses .sum() instead of the batch mean the course ruled (B times too large). It also builds a [B,B] intermediate.'],
      '1.3.2': [1.25, 'Text graph x->model->log_softmax->index_select->sum->loss, \'4 nodes\'. It leaves out the y input and the diag and negation ops that its own code uses.'],
      '1.3.3': [1.5, 'Right that each log-prob is multiplied by the target distribution, that soft labels take more memory than single indices, and that the graph grows with C. Wrong that gradients are needed for the target distribution q, which is a constant.'],
      '1.3.4': [2.25, 'More accurate gradient estimate, more memory for activations, no growth in the graph, LR scaled in proportion to batch size (fits a mean loss). Doubled compute is only implied.'],
      '2': [4.0, 'States that only the training loop changes, with no justification. The logic is right, but the code crashes: loss_1, loss_2 and loss_total share graphs that are freed by the first two backward() calls (no retain_graph), so the later loss_1.backward() or loss_total.backward() raises a RuntimeError (confirmed in torch).'],
      '3': [0, 'Not answered; Q2 was chosen instead.'],
      '4': [3.75, '1) Transformer, right, but the fast-inference requirement (parallelism) is not addressed. 2) RNN, right and well justified. 3) RNN is the wrong choice, argued wrongly (\'attention mechanism which RNNs may offer\', RNNs good at remembering the start).'],
      '5': [3.0, 'Proposes an AAE, which is a valid combination. But the discriminator is said to compare encoder codes with \'the data distribution\' rather than the prior. The objectives are never written down (no reconstruction loss, no adversarial losses). Saying AAE fixes blurriness is doubtful, and the \'not overcome\' item (inference speed vs transformers) is irrelevant.'],
      '6': [2.0, 'Bayes plus Markov setup and q(x_t|x_0) are stated. The forward mean is wrong ((1-beta_t)x_{t-1} instead of sqrt(alpha_t)x_{t-1}), the numerator uses mu-tilde wrongly, and p and q are mixed. No PDF is computed: it only asserts that the result is Gaussian and restates mu-tilde and beta-tilde.'],
      '7': [4.0, 'Dropout forward/backward are right, and train()/eval() is given. But BN mean/variance are called learnt parameters, gamma and beta are missing, and the backward \'updates mean, variance\'. BN inference never mentions running statistics, and dropout inference scales \'by dropout probability\'. Multi-GPU: syncing BN statistics is right, but the dropout part (\'consistent probabilities\') is vague.'],
    },
  },};

describe('the grade estimate brackets a TA\'s grade (the corpus)', function () {
  this.timeout(120_000);
  before(function () {
    if (!HAVE_CORPUS) this.skip();
  });
  for (const [file, ta] of Object.entries(TA)) {
    it(`${file}: ${ta.total} of 50`, async () => {
      const r = await checkNotebookAndRun(readNotebook(join(CORPUS, 'spring2023-theory', file)), runtime);
      const e = r.judgement?.estimate;
      assert.ok(e, 'an estimate');
      // The grade sheet adds up.
      const counted = (r.judgement?.parts ?? []).filter((p) => p.counted);
      assert.equal(Object.values(ta.parts).filter(([, reason]) => reason).length, 12);
      assert.equal(Math.round(counted.reduce((a, p) => a + (ta.parts[p.id]?.[0] ?? 0), 0) * 4) / 4, ta.total, 'the counted parts add up to the total');
      assert.ok(e.low <= ta.total && ta.total <= e.high, `${ta.total} in ${e.low}–${e.high} (${e.basis})`);
      for (const p of counted) {
        const [points, reason] = ta.parts[p.id] ?? [NaN, ''];
        assert.ok(p.earned && p.earned.low <= points && points <= p.earned.high, `part ${p.id}: the TA's ${points} (${reason}) in ${p.earned?.low}–${p.earned?.high} (${p.verdict}: ${p.aspects.map((a) => a.summary).join('; ')})`);
      }
    });
  }
});
