/**
 * The catalogue on rounds of sentences written apart from it, read as the check reads them: each sentence is
 * the answer to its question in the seed example (inline math, code words and notes-style symbols as the
 * sentence splitter and masker give them), and the finding must be on that answer. Rounds 6, 7 and 8 were
 * written by helpers that read neither the matcher nor each other's rounds (test/fixtures/prose*); the
 * labelled corpus sentences (test/fixtures/prose/corpus-sentences.json) are real students' sentences from
 * both exams, labelled by a helper reading as a TA.
 *
 * First try, each before any change made for it: round 6 caught 39 of 79 and flagged 1 of 45 correct
 * sentences; after the matching changes made on round 6 (notes-style symbols and contractions read as words,
 * a dot inside a word no longer ending a sentence part, the claim tried in every clause the anchor matches,
 * "no_grad" not a negation, concept word groups widened), round 7 caught 29 of 50 on its first try, 0 of 35
 * correct flagged; after the changes made on round 7, round 8 caught 37 of 50 on its first try, 0 of 35
 * correct flagged; after the changes made on round 8, round 9 caught 32 of 50 on its first try, 0 of 35
 * correct flagged; after the changes made on round 9, round 10 caught 35 of 52 on its first try, 0 of 35
 * correct flagged. None reached the goal of 90% on a first try. Tuned since (general changes: μ_B and σ²_B
 * read as the statistics, "the batch is doubled" not read as raising the rate, a sum stated as a condition
 * only when the condition word is right before it, concept groups widened): 76/79, 47/50, 48/50, 50/50, 51/52. The corpus sentences: 13 of 19 before, 0 of 85
 * correct flagged. What is still missed is listed below, with why, so that a change in either direction shows.
 *
 * Rounds 11 and 12 were written (2026-12-02, by two helpers that read neither the matcher nor any round) before
 * the frames (src/core/assignment/frames.ts: claims as signed relations between concepts) existed, and read
 * only after them. First try, word groups alone: round 11 52 of 78 (67%), 1 of 40 correct flagged; round 12
 * 32 of 52 (62%), 1 of 40. With frames on all 26 entries, first try: round 11 61 of 78 (78%), 4 of 40 flagged;
 * round 12 40 of 52 (77%), 5 of 40. The false alarms were fixed by general changes to the reader, but the
 * suite's other correct sentences (prose.test, the model answers, the corpus) still drew false alarms from 17
 * entries' frames, so only 9 entries keep theirs for now: round 11 54 of 78, round 12 37 of 52, 0 flagged.
 * Still short of 90%; nothing was tuned for their misses, which are listed below.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spring2023Theory } from '../../src/core/assignment/packs/spring2023-theory';
import type { NotebookReport } from '../../src/core/check';
import { check, exampleCells, md, ROOT, type RawCell } from '../helpers';

const catalogue = spring2023Theory.misconceptions ?? [];
const base = exampleCells();
const seg = check(base).segmentation;

/** The seed example with `sentence` as the whole answer to `item`: the misconception findings on it. */
function findingsOn(item: string, sentence: string): string[] {
  const cells: RawCell[] = exampleCells();
  const s = seg?.items.find((i) => i.item.id === item);
  let at = s?.answer.find((a) => base[a.cell]?.cell_type === 'markdown')?.cell;
  if (at === undefined) {
    at = (s?.prompt?.cell ?? 0) + 1;
    cells.splice(at, 0, md(`#### Answer:\n${sentence}`));
  } else cells[at] = md(`#### Answer:\n${sentence}`);
  const r: NotebookReport = check(cells);
  return r.findings.filter((f) => f.code === 'prose.misconception' && f.cell === at).map((f) => f.rule ?? '');
}

const itemsOf = (q: string): string[] => (q === '1.3' ? ['1.3.3', '1.3.4'] : [q]);

interface Round {
  readonly wrong: Record<string, string[]>;
  readonly right: Record<string, string[]>;
}

/** Sentences still missed, per round, with why (a form the word groups do not reach). */
const MISSED: Record<string, readonly string[]> = {
  round6: [
    // one class said through "its" entry, or "the index of the true class also for probability labels"
    "q1.3-soft-one-class: When the label is a distribution we take the class with highest probability and only its log_softmax entry contributes to the gradient, exactly as with hard labels.",
    // one class said through "its" entry, or "the index of the true class also for probability labels"
    "q1.3-soft-one-class: The gradient w.r.t. the logits is nonzero only in the index of the true class also for probability labels, the other entries of y do not matter.",
    // p given as a number (p=0.2 … by 0.2)
    "q7-dropout-scale-by-p: With p=0.2 dropout, at test time we multiply the outputs by 0.2 to compensate.",
  ],
  round7: [
    // the linear classifier named in the same sentence ("more expressive than a plain linear classifier")
    "q1.2-linear-too: This model is more expressive than a plain linear classifier, it can also separate data which is linearly separable by choosing the right Q.",
    // "instead of using stored values": "stored" reads as the running statistics
    "q7-bn-inference-batch-stats: When we evaluate, BN computes the statistics on the current test samples instead of using stored values.",
    // "autograd is disabled and no graph is built": the second clause's "no" negates the claim
    "q7-eval-disables-grad: After model.eval() autograd is disabled and no graph is built in the forward pass.",
  ],
  round8: [
    // the linear classifier named in the same sentence
    "q1.2-linear-too: This model is strictly more expressive than a plain linear classifier, so if the data is linearly separable it will also find that separating line.",
    // "regularizes … no more mode collapse": the arrow joins a cause and the claim
    "q5-solves-instability: VAE part regularizes the generator -> no more mode collapse and the training always converges",
  ],
  round9: [
  ],
  round10: [
    // "it might turn out as a parabola": hedged with "might", which the catalogue leaves alone
    "q1.2-conic: The level set is a quadratic curve, so it might turn out as a parabola when one eigenvalue of Q is small.",
  ],
  round11: [
    // not read by the word groups, nor by a frame where its entry has one (not tuned for)
    "q1.1-cnn-more-parameters: Compared to the MLP on the same image, the number of learnable parameters is bigger in the CNN, it just uses them in a smarter way.",
    "q1.2-hyperplane: the separating curve is just a line like in a regular linear classifier because Q is fixed and not learned",
    "q1.2-linear-too: Any distribution that $w^Tx+b$ can classify this model is classify as well, and in addition it handle the circular ones.",
    "q1.2-linear-too: With a suitable choice of $w$ and $b$ the ellipse degenerates into a straight line, therefore linearly separable data is approximated by it too.",
    "q1.2-conic: When one eigenvalue of Q is much larger then the other, the boundary is turning into a parabola instead of a closed curve.",
    "q1.3-decrease-lr: batch x2 → lr /2, otherwise the update is too big",
    "q1.3-gradient-doubles: The memory for the activations grows linearly with the batch size and the magnitude of the gradient is doubled as well, since each sample adds its own gradient to it.",
    "q1.3-soft-one-class: Even with soft labels, the loss only uses the log-probability of the class with the highest label value, so the gradient is computed exactly as before.",
    "q1.3-soft-one-class: With probability labels we still take y.argmax(dim=1) and gather that single entry, the other classes do not contribute to the gradient.",
    "q4-rnn-parallel: RNN is processing all the tokens of the sentence in paralel, so the inference on GPU is fast.",
    "q4-rnn-parallel: The hidden states of all time steps are computed at the same time in an RNN, which makes it quicker than a transformer for the summarization start-up.",
    "q4-rnn-parallel: Since the same weights are shared across the time steps, it handles every token of the sequence simultaneously.",
    "q5-exact-likelihood: VAE-GAN: encoder → exact $p(x)$, which a GAN alone can't give.",
    "q5-solves-instability: The combined model solves the unstable training problem of GANs because the encoder provides a stable objective.",
    "q5-solves-instability: GAN instability → fixed by the VAE part, the training converges stably.",
    "q5-vae-sharp: The decoder doubles as the generator, and the main gain of the hybrid is that the VAE's reconstruction term sharpens the blurry images the GAN generator would produce alone.",
    "q7-dropout-scale-by-p: For example, with drop rate 0.2 in the original (non-inverted) dropout, the test-time outputs of this layer are multiplied by 0.2.",
    "q7-dropout-at-inference: This layer stays active in inference as well, so every forward pass at test time is switching off a different random subset of neurons.",
    "q7-dropout-gradient-active: In the backward pass the dropped neurons receive gradients like every other neuron, only the forward pass is masked.",
    "q7-bn-inference-batch-stats: In eval mode this layer normalizes each test batch by its own statistics, the same way as in training.",
    "q7-bn-stats-constant: We don't backpropagate through $\\mu_B$ and $\\sigma_B$, they are just numbers computed in the forward pass.",
    "q7-eval-disables-grad: model.eval() turns off autograd, therefore torch.no_grad() is not needed.",
    "q7-eval-disables-grad: Once the model is put in eval mode, gradients aren't computed for its parameters anymore.",
    "q7-same-dropout-mask: The same random seed must be given to all the processes so exactly the same neurons are dropped on every GPU.",
  ],
  round12: [
    // not read by the word groups, nor by a frame where its entry has one (not tuned for)
    "q1.2-linear-too: Since a straight-line boundary is just the degenerate case of this quadratic form, the classifier can separate every dataset that a linear model separates, plus the ones that need a curved boundary.",
    "q1.2-linear-too: - can also fit any data a linear model fits (line = special case of quadratic) + more",
    "q1.3-gradient-doubles: $\\|\\nabla_\\theta L\\|$ ×2 when B → 2B",
    "q1.3-soft-one-class: Even with probability-vector labels, the loss only picks up the log-probability of the most likely class in y, so the gradient still flows through a single entry of each row just like with hard labels.",
    "q4-attention-linear: attention cost ∝ seq len (2x tokens → 2x compute)",
    "q4-rnn-long-range: For summarizing long papers I would pick an RNN, because its hidden state carries information across thousands of tokens more reliably than attention does, which is exactly what that task needs.",
    "q4-rnn-long-range: rnn is better then transformer for long dependancies becuase it keeps memory in the hidden state",
    "q5-exact-likelihood: VAE part → we can calculate p(x) of each sample precisely, not just approx",
    "q5-solves-instability: VAE+GAN → no more unstable training, problem gone",
    "q5-vae-sharp: VAE samples = sharp, GAN samples = blurry",
    "q7-dropout-gradient-active: In the backward pass the mask is ignored, so the units that were zeroed in the forward pass still receive their full gradient and get updated like all the others.",
    "q7-dropout-gradient-active: dropped neurons → grad computed as if active (mask only in fwd)",
    "q7-bn-inference-batch-stats: At inference, BatchNorm computes the mean and variance of whatever test batch it receives and normalises with those, exactly as it does in training.",
    "q7-bn-stats-constant: bn backward: mean/var = const, no grad thru them",
    "q7-same-dropout-mask: When training on several GPUs, each replica has to apply the identical dropout mask, otherwise they would drop different neurons and their gradients could not be averaged.",
  ],
};

for (const [name, dir] of [['round6', 'prose'], ['round7', 'prose-round7'], ['round8', 'prose-round8'], ['round9', 'prose-round9'], ['round10', 'prose-round10'], ['round11', 'prose-round11'], ['round12', 'prose-round12']] as const) {
  const file = join(ROOT, 'test', 'fixtures', dir, `${name}.json`);
  if (!existsSync(file)) continue;
  const round = JSON.parse(readFileSync(file, 'utf8')) as Round;
  describe(`catalogue on ${name} (written apart from it), as the check reads it`, function () {
    this.timeout(120_000);
    it('flags each asserting sentence with its entry, except those listed as missed', () => {
      const missed: string[] = [];
      for (const [id, sentences] of Object.entries(round.wrong)) {
        const entry = catalogue.find((e) => e.id === id);
        assert.ok(entry, id);
        for (const s of sentences) if (!findingsOn(entry.items[0] as string, s).includes(id)) missed.push(`${id}: ${s}`);
      }
      if (MISSED[name]) assert.deepEqual(missed, MISSED[name]);
      else assert.ok(missed.length <= Object.values(round.wrong).flat().length / 10, `${missed.length} missed:\n${missed.join('\n')}`);
    });
    it('flags no correct sentence', () => {
      const flagged = Object.entries(round.right).flatMap(([q, sentences]) => sentences.flatMap((s) => itemsOf(q).flatMap((i) => findingsOn(i, s).map((id) => `${id}: ${s}`))));
      assert.deepEqual(flagged, []);
    });
  });
}
