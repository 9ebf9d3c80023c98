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
 *
 * 2026-12-03: frames on all 26 entries again (the 17 withdrawn ones rewritten), and the reader changed in general
 * ways, each run against every negative set (the rounds' right sentences, prose.test, the model answers, the
 * corpus and unseen notebooks): subject pronouns read from the sentence before, each mention paired with the
 * nearest of the other concept, relative clauses and noun phrases kept apart from comparisons and verbs,
 * if-clauses, blockers in one slot's clause, likenings ("exactly as in training") and negated blockers not
 * blocking, stated dropout rates read as p, contractions without apostrophes, and a bug fixed (a lone `*` in a
 * lexicon matched every word). Round 13 (written by a helper before these changes, kept sealed): 49 of 78 with
 * the shipped matching of 2026-12-02 (3 of 40 correct flagged); 58 of 78 (74%) with the new one on its first try,
 * 2 of 40 flagged; tuned on since: 66 of 78, 0 flagged. Round 14 (written after round 13 was opened, sealed until
 * then): 52 of 78 with the matching of 2026-12-02 (5 of 40 flagged); first try 63 of 78 (81%), 4 of 40 correct
 * flagged — those four false alarms fixed by general changes (a relative clause after a head noun, "hard-label"
 * as one word, "drop rate" not a dropping, a sum named as a label, "summed loss: …"), nothing tuned for its
 * misses: 62 of 78, 0 flagged. Then, before round 15 was opened: referents in the sentence's earlier segments,
 * "these can …" as a subject, "its a …" read as "it is", "this means" not the batch mean, the grammar's words
 * matched without typos ("through" is not "though"), and a second frame for the batch statistics ("no gradient
 * through μ_B"). Round 15 (written apart, sealed until then, in the corpus students' register): 51 of 78 with the
 * matching of 2026-12-02 (2 of 40 flagged); first try 62 of 78 (79%), 2 of 40 correct flagged — fixed by general
 * changes ("≠" read as "does not mean", "the hard-label case" as the hard-label condition); nothing tuned for its
 * misses. Then "it is still a linear classifier" no longer a blocker of its own claim, and a notes arrow (read as
 * "so") joining a mention to its result ("instability → solved", "model.eval() → requires_grad off"). Round 16 (written apart, sealed until then): 58 of 78 with
 * the matching of 2026-12-02 (4 of 40 flagged); first try 60 of 78 (77%), 4 of 40 correct flagged, all four by the
 * older regular-expression forms — fixed generally (an abbreviation's dot, "disc.", no longer ends a segment; a
 * verb with an object of its own, "GAN lacks an encoder", says nothing of the mention before it; "it is not the
 * small model that …" negates what follows; "non inverted"/"classic" dropout as the non-inverted case; "its own
 * dropout mask" as independent masks); its misses not tuned for. Then "thru", "theyre", "mu"/"sigma" read as words:
 * round 16 61 of 78. Then a short header ("test time: …", "overcome: …") read as the topic of what
 * follows, and a describing relative clause ("the blurriness that is a drawback of VAEs") as what its antecedent
 * is; "no" before a noun of its own ("inference: no dropout") negates that noun. Round 17 (written apart,
 * sealed until then): first try 73 of 78 (94%) with 2 of 40 correct flagged — but the matching of 2026-12-02 caught
 * 71 of 78 on it (4 flagged): an easier round, not evidence that the goal is met. Its two false alarms came from
 * the regular-expression forms and were fixed generally (a form's "…" no longer runs across a contrast such as
 * "whereas"; "summed loss:" as a label for the gradient too): 73 of 78, 0 flagged. Now: round 13 68 of 78,
 * round 14 68, round 15 65, round 16 65, round 17 73, 0 flagged in each. First tries plateau
 * near 80% (74%, 81%, 79%): the goal (90% on a first try, none flagged) is still not met.
 *
 * 2026-12-03 (second session): the reader changed in general ways, on the misses that repeat across rounds 13-17
 * (norms and arrows in math, "‖∇L‖ ×2", a pronoun after "and"/"since", noun lists joined by "and", comparatives before
 * "than", a concession "…, but we still …", the longest phrase first, numbers standing for a doubling, ∂L/∂x as a
 * gradient, identifiers keeping their underscores). Round 18 (written apart, sealed; its brief asked for the subject in
 * the sentence before): 57 of 78 with the matching this session started from (1 of 40 correct flagged); first try 59 of 78 (76%),
 * 1 of 40 flagged — then demonstratives and possessives with a noun ("This layer …", "Its cost …", "Such a net …") read
 * as what the sentence before named, the pronoun's referent the subject of the latest segment, "it is no longer the case
 * that": 64 of 78, 0 flagged. Round 19 (written apart, sealed until then): 70 of 78 (2 flagged) with the matching this session started from; first
 * try 73 of 78 (94%) with 3 of 40 correct flagged — the recall of the goal, not its "none flagged" — fixed
 * generally ("no encoder in the GAN": "no" negates its own noun; a pronoun whose referent is itself a pronoun's).
 * Round 20 (written apart, sealed until then): 64 of 78 (5 flagged) with the matching this session started from; first try 69 of
 * 78 (88%), 5 of 40 flagged — the same five the session-start matching flagged, all fixed generally (a claim taken back,
 * "…, but it is not necessary"; "nodes same"; "in that one dimensional feature space"; "partly"; a header that says
 * what changed, "batch doubled:", keeps its direction; what is compared with may carry a "with" phrase). As shipped:
 * rounds 13-20 74, 76, 68, 68, 77, 64, 73, 69 of 78, 0 correct flagged in any round. Still short of the goal: 90% on
 * a first try with none flagged.
 *
 * 2026-12-03 (third session): where a frame reads a sentence as saying the opposite of an entry's claim (the right
 * direction, or the claim denied), the entry's regular-expression forms no longer overrule it — the older forms were
 * where most first-try false alarms came from. And, in general ways: list items read under the header line above
 * them ("RNN:\n- tokens processed in parallel"), headers chained ("inverted dropout: eval: still rescale"), a negated
 * header negating what it heads ("Does not overcome:\n- exact likelihood"); markdown tables read cell by cell as
 * "<column>: <row> <cell>, compared with <other columns>" (✔/✘ as yes/no), never run together; a context mention
 * never inside a noun phrase ("with torch.no_grad(): the dropout layers stop"), and a direction after a noun phrase
 * the pair's ("conv #params independent of H, W"); a negation with a subject of its own ("as if the mask was not
 * there") not said of the mention before it; a relative clause describing what is compared with ("than the CNN,
 * whose few parameters …"); "keeps going" on a slot that asks no direction; asides in parentheses stepped over; "X vs
 * Y" a comparison only of like with like; "contrary to what one might expect, …" asserting the rest; contractions
 * read by the frames; ⊂/⊆ as "included in"; "a batch of 2B" as doubled; "step()" as the optimizer's; the per-step
 * cost of attention ("each step attends to the window → cost ∝ window") not the sequence's. Round 21 (written apart,
 * sealed until then, its brief asking for pronouns, reversals and notes): 61 of 78 (1 of 40 correct flagged) with the
 * matching this session started from; first try 63 of 78 (81%), 1 of 40 flagged (a per-step cost), fixed generally.
 * Round 22 (written apart, sealed until then; good-student register, question-and-answer form, markdown tables): 53
 * of 78 (3 flagged) with the matching this session started from; first try 58 of 78 (74%), 3 of 40 correct flagged —
 * two tables run together and a negated header — fixed by reading tables and headers. Round 23 (written apart,
 * sealed until then; run-on sentences with several claims, worked numbers, notes under header lines without a
 * colon): 59 of 78 (4 of 40 flagged) with the matching this session started from; first try 59 of 78 (76%), 4 of 40
 * correct flagged — then a short line of its own heading the list under it, "a fixed amount" not a repair, a
 * verb's direction not across "by" ("divide by B"), a possessive after "so" the first clause's subject, a decrease
 * only a partial cure: 66 of 78, 0 flagged. As shipped: rounds 13-23 74, 76, 68, 68, 77, 69, 77, 69, 68, 60, 66 of
 * 78, 0 correct flagged in any round. First tries this session: 81%, 74%, 76% — still short of the goal (90% with
 * none flagged). The denial rule did not lower the first-try false alarms (1, 3 and 4, as many as the matching this
 * session started from had): they came from the frames' own readings, from tables and from headers.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spring2023Theory } from '../../src/core/assignment/packs/spring2023-theory';
import { misconceptionsOn, ROOT } from '../helpers';

const catalogue = spring2023Theory.misconceptions ?? [];
/** The seed example with `sentence` as the whole answer to `item`: the misconception findings on it. */
const findingsOn = (item: string, sentence: string): string[] => misconceptionsOn(item, sentence).findings.map((f) => f.rule ?? '');

const itemsOf = (q: string): string[] => (q === '1.3' ? ['1.3.3', '1.3.4'] : [q]);

interface Round {
  readonly wrong: Record<string, string[]>;
  readonly right: Record<string, string[]>;
}

/** Sentences still missed, per round, with why (a form the word groups do not reach). */
const MISSED: Record<string, readonly string[]> = {
  round6: [
    // one class said through "its" entry, or "the index of the true class also for probability labels"
    "q1.3-soft-one-class: The gradient w.r.t. the logits is nonzero only in the index of the true class also for probability labels, the other entries of y do not matter.",
  ],
  round7: [
    // the linear classifier named in the same sentence
    "q1.2-linear-too: This model is more expressive than a plain linear classifier, it can also separate data which is linearly separable by choosing the right Q.",
  ],
  round8: [
  ],
  round9: [
  ],
  round10: [
    // hedged with "might", which the catalogue leaves alone
    "q1.2-conic: The level set is a quadratic curve, so it might turn out as a parabola when one eigenvalue of Q is small.",
  ],
  round11: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.2-linear-too: Any distribution that $w^Tx+b$ can classify this model is classify as well, and in addition it handle the circular ones.",
    "q4-rnn-parallel: Since the same weights are shared across the time steps, it handles every token of the sequence simultaneously.",
    "q5-vae-sharp: The decoder doubles as the generator, and the main gain of the hybrid is that the VAE's reconstruction term sharpens the blurry images the GAN generator would produce alone.",
    "q7-dropout-at-inference: This layer stays active in inference as well, so every forward pass at test time is switching off a different random subset of neurons.",
    "q7-eval-disables-grad: Once the model is put in eval mode, gradients aren't computed for its parameters anymore.",
  ],
  round12: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.2-linear-too: Since a straight-line boundary is just the degenerate case of this quadratic form, the classifier can separate every dataset that a linear model separates, plus the ones that need a curved boundary.",
    "q4-rnn-long-range: For summarizing long papers I would pick an RNN, because its hidden state carries information across thousands of tokens more reliably than attention does, which is exactly what that task needs.",
    "q5-exact-likelihood: VAE part → we can calculate p(x) of each sample precisely, not just approx",
  ],
  round13: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.3-nodes-double: With a batch of 32 the loss part of the graph has 5 nodes, and with 64 samples it has 10, since each sample brings its own log_softmax and gather nodes.",
    "q1.3-soft-one-class: Even with soft labels the cross-entropy is driven by the most probable class: the target distribution is effectively reduced to its argmax, so only that class's log-probability enters the loss and the gradient is the same as with hard labels.",
    "q4-rnn-long-range: Compared to attention, the recurrent hidden state is the stronger tool for long-range dependencies, since information from the first token is carried through every step up to the last one.",
    "q7-inverted-scale-inference: Inverted dropout rescales the kept units by 1/(1-p) while training. At test time it also needs its own rescaling step, otherwise the activations are too large.",
  ],
  round14: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.2-linear-too: This model is strictly more expressive than the plain linear classifier: any data set that a line can separate it separates as well, and on top of that it handles ring-shaped data.",
    "q7-dropout-scale-by-p: inference: $h \\to p \\cdot h$, where p = drop rate",
  ],
  round15: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.2-hyperplane: - boundary: $f(x)=0$ → a straight line in the $(x_1, x_2)$ plane, Q just rotates it",
    "q1.2-hyperplane: The model is called a linear classifier with hand crafted features. Its decision boundary is therefore a line in x, like for every linear model, so it can't separate a ring from the center.",
    "q1.3-soft-logits-grow: The labels are now a B×C matrix. Therefore also the model output has to grow to the same size, which means the logits and the log_softmax take more memory than in the hard labels case.",
    "q2-optimizer-modified: The regular SGD update $w \\leftarrow w - \\eta g$ doesn't know anything about two tasks. It should be replaced by a custom update rule inside the optimizer, so changing only the loop won't be enough.",
    "q4-rnn-parallel: The RNN cell is small and the same for every time step. This lets it handle all the tokens at the same time, so it is parallel just like the transformer but cheaper.",
    "q4-attention-linear: Going from a 5k to a 10k tokens paper. It only doubles the attention cost, which means long inputs are not a problem for the transformer.",
    "q7-inverted-scale-inference: In training the kept units are divided by $1-p = 0.6$. These activations have to be multiplied by 0.6 again in the inference so the next layer sees the same scale.",
    "q7-dropout-at-inference: We call model.eval() before evaluating on the test set. Dropout still turns off a random subset of the units in each forward pass, which means two predictions for the same image can be different.",
    "q7-bn-inference-batch-stats: At test time we feed batches of 256 images. BatchNorm then computes the mean and variance over these 256 samples and normalizes with them, so the running averages are not used.",
    "q7-bn-stats-constant: The mean and variance are computed from the batch in the forward pass. They are not functions of the weights, so in backprop we don't need to differentiate through them.",
  ],
  round16: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.1-cnn-more-parameters: #params (same 32×32×3 input): CNN > MLP → many kernels × channels per layer",
    "q1.2-linear-too: This model is strictly stronger than the plain linear one, because it can still reproduce any linear boundary and on top of that draws curved ones.",
    "q1.3-nodes-double: The computational graph grows with the batch, since every extra image brings its own copy of the model's nodes, so going from 32 to 64 samples means roughly 2N nodes instead of N.",
    "q1.3-nodes-double: nodes: N → 2N (sub-graph per sample) ⇒ memory ↑, backward time ↑",
    "q1.3-soft-logits-grow: soft labels ⇒ log_softmax output B×1 → B×C ⇒ graph memory ↑",
    "q4-rnn-long-range: I would choose an RNN for scenario 3, because its hidden state carries information from the start of the sequence to the end more reliably than attention does.",
    "q5-vae-sharp: sharpness: VAE ↑, GAN ↓ (blurry) ⇒ VAE decoder responsible for crisp samples",
    "q7-dropout-scale-by-p: inference: $a \\to p \\cdot a$, p = drop rate (p = 0.2 ⇒ ×0.2)",
    "q7-dropout-at-inference: Dropout stays active when the model is evaluated and keeps zeroing random units on each forward pass, which is why repeated predictions on the same input differ.",
    "q7-dropout-gradient-active: backward: ∂L/∂a flows to every unit incl. dropped ones (mask ignored)",
  ],
  round17: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.2-hyperplane: its still a linear classifier so the decision boundry is a line in x, it just cuts the plane into 2 halfs",
  ],
  round18: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.1-params-overfitting-reversed: Consider a network with very few parameters, like an MLP with one tiny hidden layer. Such a net over-fits more easily than a big one, because it has to bend its few weights to fit every single training example.",
    "q1.2-hyperplane: Let's look at the set of points where $f_{w,b}(x)=0$. It is a straight line in the $x_1,x_2$ plane, because f is a linear classifier.",
    "q1.2-hyperplane: - boundary: $f(x)=0$ → $w\\,x^TQx = -b$\n- ⇒ straight line in $\\mathbb{R}^2$ (hyperplane in x)",
    "q1.3-nodes-double: Consider the graph that autograd builds for one training step. With batch 64 instead of 32 it has double the number of nodes, and the memory grows accordingly.",
    "q7-inverted-scale-inference: PyTorch's `nn.Dropout` is inverted dropout, it scales by $1/(1-p)$ during training. At inference we still have to multiply its outputs by $1-p$, otherwise the activations would be too large.",
    "q7-dropout-gradient-active: In the backward pass of dropout the gradients are computed as if all the neurons were active, also the ones that were dropped, because the mask is only used in the forward pass and the backward ignores it.",
    "q7-no-grad-switches-mode: At test time we run the forward pass inside `with torch.no_grad():`. This switches dropout and BatchNorm to their evaluation behaviour, so nothing else is needed.",
    "q7-eval-disables-grad: In code we switch the model with `model.eval()`. On top of changing the layers' behaviour, it stops autograd from computing gradients.",
    "q7-eval-disables-grad: `model.eval()` ⇒ no grads computed (no need for `torch.no_grad()`)",
  ],
  round19: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q4-attention-linear: attention is linear in the seq len so long docs arent a problem for it",
  ],
  round20: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.1-cnn-more-parameters: Compare a CNN and an MLP that both get the same 32×32×3 image as input. The CNN has more parameters, because every filter of every channel in every layer adds its own weights.",
    "q1.2-hyperplane: The decision boundry is where $w x^TQx + b = 0$, and since the model is still a linear classifier in w, the boundary in the input plane is a straight line, only rotated by the matrix Q, so it seperates $\\mathbb{R}^2$ into two half planes.",
    "q1.2-linear-too: - linearly separable data → also separable by $f_{w,b}$ (linear ⊂ quadratic)\n- + ellipse-shaped data",
    "q1.3-gradient-doubles: If the batch size is doubled then the gradient is accumulated over twice as many samples, so its magnitude is also growing by a factor of 2, this is the main effect on the gradient computation and it is the reason the updates become bigger.",
    "q4-attention-linear: Consider a self-attention layer applied to a sequence of n tokens. Its cost grows linearly with n, $O(n)$, just like an RNN.",
    "q7-inverted-scale-inference: `nn.Dropout` (inverted): train ×1/(1−p); after `model.eval()` → still scale acts ×(1−p) at test",
    "q7-no-grad-switches-mode: In the evaluation loop we wrap the forward pass in `torch.no_grad()`. This switches dropout and BatchNorm to their evaluation behaviour.",
    "q7-eval-disables-grad: Calling `model.eval()` before the test loop is important because it changes dropout and batchnorm to inference mode and also it disables the gradient computation, so no computational graph is build and memory is saved.",
    "q7-same-dropout-mask: Each GPU holds its own copy of the model, including the dropout layers. They must all share the same dropout mask, e.g. by using an identical seed, for the training to be correct.",
  ],
  round21: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.2-hyperplane: Setting $f(x)=0$ gives the boundary; since $f$ is called a linear classifier, it is simply a straight line in the $x$ plane, only tilted by $Q$.",
    "q1.2-linear-too: - $\\mathcal{H}_{lin} \\subseteq \\mathcal{H}_{\\psi}$\n- linearly separable data → also separable with $\\psi(x)=x^TQx$\n- + circles / ellipses on top",
    "q1.3-decrease-lr: With a batch of $2B$ the step size must be scaled the opposite way of the batch, i.e. it gets halved.",
    "q5-solves-instability: Adding the VAE loss fixes the GAN's best-known weakness — with it in place, adversarial training no longer diverges or oscillates.",
    "q7-dropout-scale-by-p: In the original, non-rescaled dropout the correction happens at test time: each activation is multiplied by the very same number we drop with.",
    "q7-dropout-scale-by-p: Dropout, classic version:\n- train: drop w.p. $p$, no scaling\n- test: $a \\cdot p$ (p = 0.2 → ×0.2)",
    "q7-inverted-scale-inference: Even though the $1/(1-p)$ factor is already applied while training, it has to be compensated once more at test time by multiplying with $1-p$.",
    "q7-bn-inference-batch-stats: At test time it keeps doing what it did in training: the statistics are taken from whatever batch is being evaluated right now.",
    "q7-no-grad-switches-mode: Once inside `with torch.no_grad():`, that context already makes dropout and BN behave as at test time, so no other call is needed.",
    "q7-eval-disables-grad: After `model.eval()` there is no point in wrapping the code with `torch.no_grad()` — that call already stops autograd from tracking anything.",
  ],
  round22: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.2-hyperplane: Because the model is still called a linear classifier, the boundary which it produce is a hyperplane in x, so in 2D it is just a line, only rotated by Q.",
    "q1.2-linear-too: If the data can be separated by a line, then also this model can separate it, because with the right w it reduce to the linear case, and on top of that it can make circles, so it is more general than the simple linear model.",
    "q1.3-gradient-doubles: - $B\\to2B$ ⇒ $\\|\\nabla_w L\\|$ ×2\n- variance of the estimate ↓",
    "q1.3-nodes-double: Since every sample of the batch goes through the model and through the loss, doubling the batch size means the computational graph now contains about $2N$ nodes instead of $N$, and the memory for the stored intermediate activations grows accordingly.",
    "q1.3-nodes-double: | | $B$ | $2B$ |\n|---|---|---|\n| nodes | $N+3$ | $2(N+3)$ |\n| memory | $M$ | ~$2M$ |",
    "q1.3-soft-one-class: With soft targets the loss is still $-\\log p_{k}$ evaluated at the class $k$ that carries the largest target probability, so only that single log-probability enters the loss and receives a label-dependent gradient; the rest of the probability mass in $y$ merely decides which index is gathered.",
    "q1.3-soft-logits-grow: Because the labels become B×C, also the outputs of the network must be bigger than before to match them, so the memory of the forward pass is growing by factor of C.",
    "q1.3-soft-logits-grow: - y: $B\\times1$ → $B\\times C$\n- logits / `log_softmax` out: ↑ → $B\\times C$\n- memory ↑ ×C",
    "q4-attention-linear: For the summarization task the Transformer is the better choice, because self-attention is only $O(n\\cdot d)$ in the number of tokens $n$, the same order as a single pass of an RNN, so even long academic papers are cheap to process, and unlike the RNN all positions are handled in parallel.",
    "q4-attention-linear: If the paper become two times longer, the attention computation also become only two times more expensive, so the transformer have no problem with long inputs.",
    "q5-solves-instability: Drawbacks overcome:\n- GAN instability → gone (recon loss stabilizes) ✔\n- no encoder in GAN → $q(z|x)$",
    "q7-dropout-scale-by-p: In standard (non-inverted) dropout each unit is kept with probability $1-p$ during training, and at test time all units are active and their outputs are multiplied by the dropout rate $p$, so that the expected activation matches the one the next layer saw during training.",
    "q7-dropout-scale-by-p: Dropout @ inference:\n- no mask\n- $\\tilde h = p \\cdot h$",
    "q7-inverted-scale-inference: Inverted dropout (`nn.Dropout`):\n- train: mask + ×$1/(1-p)$\n- eval: ×$(1-p)$ still required",
    "q7-dropout-gradient-active: In the backward pass dropout does not alter the gradient flow: the mask only affects the forward activations, and the neurons that were zeroed still receive the full upstream gradient, so their incoming weights are updated as usual in every iteration.",
    "q7-dropout-gradient-active: The neurons that was zeroed in the forward are still receiving their normal gradient in the backprop, because the mask is only for the forward pass.",
    "q7-dropout-gradient-active: Dropout backward:\n- mask → forward only\n- $\\partial L/\\partial h_i$ for dropped $i$: same as if kept",
    "q7-eval-disables-grad: After model.eval() there is no gradients computed anymore, so we don't need to write also torch.no_grad() in the validation loop.",
  ],
  round23: [
    // not read by the word groups nor by a frame (none tuned for on its first try; see the header for the figures)
    "q1.1-params-overfitting-reversed: A network with more paramters is less prone for overfitting because it have enough capacity to learn the real rule instead of memorize, and CNN is applying the same kernel on all image locations which fit well to images.",
    "q1.1-params-overfitting-reversed: For example a MLP with $10^6$ weights trained on 5000 images has room to capture the general structure, while a tiny net with only 200 weights must squeeze the data into few numbers and ends up fitting the noise. So cutting the number of parameters raises the risk of over-fitting, and adding parameters lowers it.",
    "q1.2-hyperplane: Here $\\psi(x)$ is one number, so $f = w\\psi + b$; e.g. with $w=2$, $b=-1$ the boundary is $\\psi = 0.5$, a single threshold. Therefore in the input space the set $f=0$ is flat too, a hyperplane, i.e. a line in $\\mathbb{R}^2$.",
    "q1.2-linear-too: Expressiveness\n- $\\mathcal{H}_{\\text{linear}} \\subset \\mathcal{H}_{x^TQx}$\n- quadratic feature ⇒ includes every line\n- ⇒ separates all linearly separable data + ellipses",
    "q1.3-gradient-doubles: If we double the batch the forward and backward take about twice more compute, and the gradient itself become two times bigger since it have contributions from twice the samples.",
    "q1.3-nodes-double: With double batch we need twice GPU memory for storing the activations, and also the computational graph has twice more nodes since every sample add its own nodes to the graph.",
    "q1.3-soft-one-class: Say C = 3 and a label is (0.7, 0.2, 0.1): the loss is taken at the class with 0.7, so $\\ell = -\\log p_1$ and the classes with 0.2 and 0.1 add nothing to the gradient. So the gradient computation is the same as for hard labels.",
    "q1.3-soft-one-class: Soft labels\n- $y\\in\\mathbb{R}^{B\\times C}$, rows sum to 1\n- loss uses only $\\arg\\max_c y_c$ → one term per sample\n- ⇒ grad same as hard labels, other classes = 0 contribution",
    "q1.3-soft-logits-grow: Soft labels, memory\n- logits: $B$ → $B\\times C$\n- `log_softmax` output also ×C\n- ⇒ more memory in forward",
    "q7-dropout-scale-by-p: Dropout at inference (standard)\n- keep all units\n- $a \\leftarrow p\\cdot a$, $p$ = drop prob\n- e.g. p = 0.1 → $a\\times0.1$",
    "q7-dropout-at-inference: Dropout is regularization that prevent co-adaptation of the neurons, and it keep working also in test time after `model.eval()` where every forward pass drops random neurons like in training.",
    "q7-dropout-gradient-active: Dropout backward\n- $\\partial y/\\partial x = 1/(1-p)$ for all units\n- dropped ones included\n- ⇒ gradient flows to every neuron",
  ],
};

for (const [name, dir] of [['round6', 'prose'], ['round7', 'prose-round7'], ['round8', 'prose-round8'], ['round9', 'prose-round9'], ['round10', 'prose-round10'], ['round11', 'prose-round11'], ['round12', 'prose-round12'], ['round13', 'prose-round13'], ['round14', 'prose-round14'], ['round15', 'prose-round15'], ['round16', 'prose-round16'], ['round17', 'prose-round17'], ['round18', 'prose-round18'], ['round19', 'prose-round19'], ['round20', 'prose-round20'], ['round21', 'prose-round21'], ['round22', 'prose-round22'], ['round23', 'prose-round23']] as const) {
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
