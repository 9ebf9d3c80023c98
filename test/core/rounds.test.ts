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
};

for (const [name, dir] of [['round6', 'prose'], ['round7', 'prose-round7'], ['round8', 'prose-round8'], ['round9', 'prose-round9'], ['round10', 'prose-round10']] as const) {
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
