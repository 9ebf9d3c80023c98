/**
 * What grows with soft labels, claimed with a number or factor (checks/factors.ts reads it, checks/soft-claims.ts
 * judges it): right claims in words, inline math and code comments draw nothing; wrong ones are a warning on
 * their line saying what the claim says and what is true, with the answer's own use of the labels. Answers
 * written here in the forms students use, on the seed example (1.3.3 in cell 14, the CE code in cell 10) and
 * the revised release's (cell 13, cell 9).
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFactors, showFactor, sizeFactor } from '../../src/core/checks/factors';
import { texAsText } from '../../src/core/checks/soft-claims';
import type { Finding } from '../../src/core/findings';
import { check, checkNotebook, code, CORPUS, EXAMPLES, exampleCells, HAVE_CORPUS, md, notebookOf, readNotebook, REVISED_EXAMPLE, ROOT, type RawCell } from '../helpers';

/** The seed example with its 1.3.3 answer replaced (and a code cell added to that answer, when given). */
function seed(answer: string, answerCode?: string, path?: string): Finding[] {
  const cells: RawCell[] = exampleCells(path);
  const at = path ? 13 : 14;
  cells[at] = md(`#### Answer:\n${answer}`);
  if (answerCode !== undefined) cells.splice(at + 1, 0, code(answerCode));
  return [...check(cells).findings];
}

const factorFindings = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.code === 'claim.wrong-factor');
/** Every finding on the 1.3.3 answer's claims: this check's and the catalogue's. */
const onClaims = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.code === 'claim.wrong-factor' || (f.code === 'prose.misconception' && f.question === '1.3.3'));

const SEED_SELECT = /Your own code selects with the labels as class indices \(`loss = -1 \* torch\.sum\(index_select\(input=y_probs, dim=1, in…`, cell 10, line 10\): B int64 values\./;

describe('soft-label claims with a factor', () => {
  it('reads sizes and the factors claims put on them', () => {
    assert.deepEqual(sizeFactor('B \u00d7 C \u00d7 4'), { k: 4, b: 1, c: 1 });
    assert.deepEqual(sizeFactor('O(BC^2)'), { k: 1, b: 1, c: 2 });
    assert.deepEqual(sizeFactor('[B, C]'), { k: 1, b: 1, c: 1 });
    assert.deepEqual(sizeFactor('C/2'), { k: 0.5, b: 0, c: 1 });
    assert.equal(sizeFactor('N'), undefined);
    const cases: [string, string[]][] = [
      ['the labels take C times more memory', ['C']],
      ['y grows from B to B·C entries', ['C']],
      ['memory grows by a factor of C', ['C']],
      [texAsText('costs $O(BC)$ instead of $O(B)$'.replace(/\$/g, '')), ['C']],
      [texAsText('B \\times C \\times 4 bytes instead of B \\times 8'), ['C/2']],
      [texAsText('\\mathcal{O}(B) \\to \\mathcal{O}(B^2 C)'), ['B·C']],
      ['y: [B] -> [B, C]', ['C']],
      ['the graph doubles', ['2']],
      ['the target tensor grows C-fold', ['C']],
      ['twice as many nodes', ['2']],
      ['y grows from N to N×C', []],
      ['the graph grows by one node, memory by the B×C label tensor', []],
      ['stored as doubles', []],
    ];
    for (const [text, want] of cases) assert.deepEqual(readFactors(text).claims.map((c) => showFactor(c.factor)), want, text);
  });

  it('right claims in words, inline math and code comments draw nothing', () => {
    const right = [
      'The labels take C times more memory.',
      'y grows from B to B·C entries.',
      'Memory grows by a factor of C.',
      'The loss computation costs $O(BC)$ instead of $O(B)$.',
      'y needs $B \\times C \\times 4$ bytes instead of $B \\times 8$.',
      'y, not the logits, grows C times.',
      'The logits are already B×C.',
      'The logits do not grow C times with soft labels; y does.',
      'Unlike the logits, which are B×C in both cases, y grows from B to B×C.',
      'y takes about $C/2$ times more memory in bytes (float32 vs int64).',
      'Memory: the labels now need $B \\cdot C$ floats instead of $B$ ints (C times more entries), and the loss computation needs $B \\cdot C$ multiplications instead of $B$ selections.',
      'The graph grows by one node, memory by the $B \\times C$ label tensor.',
      'The number of nodes grows from 5 to 7.',
      'The whole memory doubles.',
      'The logits take C times the memory of the hard labels y.',
      'The gradient now has C times more non-zero entries w.r.t. the log-probabilities.',
      'If the logits were one-hot encoded they would take C times more memory.',
      'With C = 10 classes, y takes 5 times more bytes.',
      'The loss part of the graph doubles: gather becomes a product and a sum.',
      '$$\\text{mem}(y): 8B \\to 4BC \\text{ bytes}$$',
    ];
    for (const answer of right) assert.deepEqual(factorFindings(seed(answer)).map((f) => f.message), [], answer);
    const comments = '# y: [B] int64 -> [B, C] float32, C times the entries\n# the logits are B x C in both cases\nloss = -(y * log_softmax(model(x), dim=1)).sum(dim=1).mean()\n';
    assert.deepEqual(factorFindings(seed('See the code.', comments)).map((f) => f.message), []);
  });

  it('sentences written apart from the catalogue, right and wrong, draw none of its false alarms', () => {
    const soft = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'prose-soft', 'soft.json'), 'utf8')) as { wrong: string[]; right: string[] };
    for (const answer of soft.right) assert.deepEqual(onClaims(seed(answer)).map((f) => f.message), [], answer);
    // The wrong ones are said once: by the catalogue's entry, or by this check where the entry misses the factor.
    for (const answer of soft.wrong) assert.ok(onClaims(seed(answer)).length <= 1, answer);
  });

  it('y growing C² times, in words: a warning on its line naming C times the entries, C/2 the bytes, and the answer\'s own index_select', () => {
    const fs = factorFindings(seed('Soft labels change the loss.\nThe labels take $C^2$ times more memory.'));
    assert.equal(fs.length, 1);
    const f = fs[0] as Finding;
    assert.deepEqual([f.severity, f.question, f.cell, f.range?.start.line], ['warning', '1.3.3', 14, 2]);
    assert.match(f.message, /^"The labels take \$C\^2\$ times more memory\." says y grows by a factor of C² with soft labels, but y goes from B class indices \(int64, 8 bytes each\) to a B × C distribution \(float32, 4 bytes each\): C times the entries, C\/2 times the bytes\./);
    assert.match(f.message, SEED_SELECT);
  });

  it('the loss step\'s work growing with B, in inline math: the loss step is C times the work, the rest unchanged', () => {
    const fs = factorFindings(seed('The loss computation goes from $\\mathcal{O}(B)$ to $\\mathcal{O}(B^2 C)$.'));
    assert.equal(fs.length, 1);
    assert.deepEqual([fs[0]?.cell, fs[0]?.range?.start.line], [14, 1]);
    assert.match(fs[0]?.message ?? '', /says the computation grows by a factor of B·C with soft labels, but only the loss step changes: selecting B entries becomes a B × C product and its sum over classes \(C times that step's work, O\(B\) → O\(BC\)\); the model and log_softmax are unchanged\./);
  });

  it('a code comment of the answer\'s soft-label code: the warning at the comment, naming the line that multiplies with y', () => {
    const fs = factorFindings(seed('See the code.', 'logp = log_softmax(model(x), dim=1)\nloss = -(y * logp).sum(dim=1).mean()\n# y takes C^2 times the memory of the hard labels\n'));
    assert.equal(fs.length, 1);
    const f = fs[0] as Finding;
    assert.deepEqual([f.cell, f.range?.start.line, f.range?.start.character], [15, 2, 0]);
    assert.match(f.message, /^"y takes C\^2 times the memory of the hard labels" says y grows by a factor of C²/);
    assert.match(f.message, /Your soft-label code multiplies the labels with the log-probabilities \(`loss = -\(y \* logp\)\.sum\(dim=1\)\.mean\(\)`, cell 15, line 2\), so they are B × C there\./);
  });

  it('the logits growing, where the catalogue does not read the factor: this warning; where it does, only the catalogue\'s', () => {
    const fs = onClaims(seed('The logits go from B to B×C entries.'));
    assert.deepEqual(fs.map((f) => f.code), ['claim.wrong-factor']);
    assert.match(fs[0]?.message ?? '', /says the logits grow by a factor of C with soft labels, but they are B × C with hard labels too \(log_softmax runs over all C classes either way\); what grows is y, from B to B × C entries\./);
    assert.deepEqual(onClaims(seed('The logits become C times larger.')).map((f) => [f.code, f.rule]), [['prose.misconception', 'q1.3-soft-logits-grow']]);
  });

  it('the gradient w.r.t. the logits growing, in a code comment: it is B × C either way', () => {
    for (const comment of ['# dL/dz grows by a factor of C', '# the gradient w.r.t. the logits is C times bigger']) {
      const fs = factorFindings(seed('See the code.', comment));
      assert.equal(fs.length, 1, comment);
      assert.match(fs[0]?.message ?? '', /says the gradient grows by a factor of C with soft labels, but the gradient w\.r\.t\. the logits is B × C in both cases \(softmax − one-hot\(y\) with hard labels, softmax − y with soft ones\)/);
    }
  });

  it('the graph doubling or growing C times: its nodes stay, the selection (the answer\'s own function) becomes a product and a sum', () => {
    const fs = factorFindings(seed('The whole graph doubles.'));
    assert.equal(fs.length, 1);
    assert.equal(fs[0]?.message, '"The whole graph doubles." says the graph grows by a factor of 2 with soft labels, but the graph keeps its nodes: the selection (`index_select` in your code) becomes a product with y and a sum over classes, one node more at most.');
    const revised = factorFindings(seed('With soft labels the graph has C times more nodes.', undefined, REVISED_EXAMPLE));
    assert.deepEqual([revised[0]?.cell, revised[0]?.range?.start.line], [13, 1]);
    assert.match(revised[0]?.message ?? '', /grows by a factor of C with soft labels, but the graph keeps its nodes: the selection \(`gather` in your code\)/);
  });

  it('the part is then flagged, for a wrong growth factor', () => {
    const cells: RawCell[] = exampleCells(REVISED_EXAMPLE);
    cells[13] = md('#### Answer:\nThe labels take $C^2$ times more memory.');
    const part = checkNotebook(notebookOf(cells), { notRun: { kind: 'ran' } }).judgement?.parts.find((p) => p.id === '1.3.3');
    assert.equal(part?.verdict, 'flagged');
    assert.equal(part?.aspects[0]?.summary, 'a wrong growth factor');
  });

  it('the memory growing C² times or with B; y doubling: wrong. One warning per sentence', () => {
    for (const [answer, factor] of [['The memory goes from $O(B)$ to $O(BC^2)$.', 'C²'], ['The memory grows by a factor of B.', 'B'], ['The label tensor y doubles in size.', '2'], ['y takes B times more memory and its computation is O(B^2 C) instead of O(B).', 'B']] as const) {
      const fs = factorFindings(seed(answer));
      assert.equal(fs.length, 1, answer);
      assert.match(fs[0]?.message ?? '', new RegExp(`says (?:the memory|y) grows? by a factor of ${factor} with soft labels`), answer);
    }
  });

  it('the example notebooks draw none', () => {
    for (const f of readdirSync(EXAMPLES).filter((n) => n.endsWith('.ipynb'))) {
      assert.deepEqual(factorFindings(checkNotebook(readNotebook(join(EXAMPLES, f))).findings).map((x) => x.message), [], f);
    }
  });

  (HAVE_CORPUS ? it : it.skip)('the corpus notebooks draw none', () => {
    for (const dir of ['spring2023-theory', 'earlier-exams']) {
      for (const f of readdirSync(join(CORPUS, dir)).filter((n) => n.endsWith('.ipynb'))) {
        assert.deepEqual(factorFindings(checkNotebook(readNotebook(join(CORPUS, dir, f))).findings).map((x) => x.message), [], f);
      }
    }
  });
});
