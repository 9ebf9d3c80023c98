/**
 * What the extension's settings change (check groups, exam recognition) and the per-cell cache it keeps
 * between edits: the cached check must say exactly what a fresh one says, while redoing only the cells
 * that changed.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CheckCache, checkNotebook, type CheckGroup } from '../../src/core/check';
import { CORPUS, EXAMPLES, HAVE_CORPUS, SEED_EXAMPLE, codes, exampleCells, md, notebookOf, readNotebook, rng, srcOf, type RawCell } from '../helpers';

/** Edits a student makes: typing in a cell, bad or good math, a macro, a pasted render, a deleted cell. */
function edit(cells: RawCell[], r: () => number): RawCell[] {
  const out = cells.map((c) => ({ ...c, source: srcOf(c) }));
  const i = Math.floor(r() * out.length);
  const c = out[i];
  if (!c) return out;
  const src = c.source as string;
  const at = Math.floor(r() * (src.length + 1));
  const snippets = ['x', ' $\\frac{a}{b}$', ' $\\frac{a}{', '$$\\norm{g}$$', '\n$\\newcommand{\\norm}[1]{\\lVert #1 \\rVert}$\n', '\n=\n∑\n(\n)\n−\nx\n\uFFFD\n', '![f](pic.png)', '\n'];
  const op = Math.floor(r() * 3);
  if (op === 0) out[i] = { ...c, source: src.slice(0, at) + snippets[Math.floor(r() * snippets.length)]! + src.slice(at) };
  else if (op === 1) out[i] = { ...c, source: src.slice(0, at) + src.slice(Math.min(src.length, at + 1 + Math.floor(r() * 20))) };
  else out.splice(i, 1);
  return out;
}

const notebooks = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.ipynb')).map((f) => join(EXAMPLES, f)),
  ...(HAVE_CORPUS ? ['spring2023-theory', 'earlier-exams'].flatMap((d) => readdirSync(join(CORPUS, d)).map((f) => join(CORPUS, d, f))) : []),
];

describe('check options', () => {
  it('turning a check group off removes exactly its findings, and keeps questions and points', () => {
    const nb = readNotebook(SEED_EXAMPLE);
    const all = checkNotebook(nb);
    const prefixes: Record<CheckGroup, string[]> = { structure: ['structure.'], outputs: ['outputs.'], images: ['images.'], math: ['math.'], prose: ['prose.', 'integrity.'] };
    for (const group of Object.keys(prefixes) as CheckGroup[]) {
      const groups = (Object.keys(prefixes) as CheckGroup[]).filter((g) => g !== group);
      const r = checkNotebook(nb, { groups });
      // The verdicts' notes say what was not judged; with the prose checks off, that the answers were not read.
      const checks = (x: typeof r): string[] => codes(x).filter((c) => !c.startsWith('answer.'));
      const expected = checks(all).filter((c) => !prefixes[group].some((p) => c.startsWith(p)));
      assert.deepEqual(checks(r), expected, group);
      if (group === 'prose') assert.ok(r.findings.some((f) => f.code === 'answer.not-judged' && /was not read \(the prose checks are off\)/.test(f.message)));
      assert.deepEqual(r.points, all.points);
      assert.deepEqual(r.questions, all.questions);
    }
    // The seed has findings of every group but images: the test above removed something three times.
    assert.ok(['structure.', 'outputs.', 'math.'].every((p) => codes(all).some((c) => c.startsWith(p))));
  });

  it('exam recognition off: no questions, no points, and no "no pack matches" note', () => {
    const r = checkNotebook(readNotebook(SEED_EXAMPLE), { packs: [] });
    assert.equal(r.pack, undefined);
    assert.deepEqual(r.questions, []);
    assert.ok(!codes(r).includes('pack.none'));
    assert.ok(codes(r).includes('math.pasted-render'), 'the generic checks still run');
  });

  it('a chosen pack that does not fit the notebook is named in the note', () => {
    const seed = checkNotebook(readNotebook(SEED_EXAMPLE));
    assert.ok(seed.pack);
    const r = checkNotebook(notebookOf([md('# My notes\n\nNothing of that exam here.')]), { packs: [seed.pack] });
    const note = r.findings.find((f) => f.code === 'pack.none');
    assert.ok(note);
    assert.match(note.message, new RegExp(`does not match "${seed.pack.title.replace(/[()]/g, '\\$&')}"`));
  });
});

describe('the per-cell cache of the extension', () => {
  // 150 whole checks: a correctness test, not a timed one (speed lives in `npm run bench`).
  it('after every edit, a cached check says exactly what a fresh check says', function () {
    this.timeout(180_000);
    let steps = 0;
    for (const [n, path] of notebooks.entries()) {
      const r = rng(1000 + n);
      const cache = new CheckCache();
      let cells = exampleCells(path);
      for (let k = 0; k < 25; k++) {
        cells = edit(cells, r);
        const nb = notebookOf(cells, path);
        assert.deepEqual(checkNotebook(nb, { cache }).findings, checkNotebook(nb).findings, `${path} after edit ${k + 1}`);
        steps++;
      }
    }
    assert.ok(steps >= 75);
  });

  it('re-checking redoes only the edited cell', () => {
    const cells = exampleCells(SEED_EXAMPLE);
    const cache = new CheckCache();
    checkNotebook(notebookOf(cells), { cache });
    const first = cache.stats;
    assert.ok(first.misses > 20, `the first check computes every cell (${first.misses})`);

    checkNotebook(notebookOf(cells), { cache });
    assert.equal(cache.stats.misses, first.misses, 'nothing changed, nothing redone');

    // Type a formula into Question 4's answer (cell 25): its cell's extraction, pasted-math scan and new math are redone.
    const edited = cells.map((c, i) => (i === 25 ? { ...c, source: `${srcOf(c)}\nSo $\\sigma(x) = \\frac{1}{1+e^{-x}}$.` } : c));
    const before = cache.stats.misses;
    const r = checkNotebook(notebookOf(edited), { cache });
    assert.equal(cache.stats.misses - before, 4, 'extract + pasted scan of cell 25, its render as VS Code does it, and MathJax on the one new formula');
    assert.deepEqual(r.findings, checkNotebook(notebookOf(edited)).findings);
    assert.ok(cache.stats.entries <= first.entries + 3, 'what no cell uses any more is dropped');
  });

  it('a new macro re-judges the math that uses it, in every cell', () => {
    const cells = [md('Norm: $\\norm{g}$'), md('Again $\\norm{h}$')];
    const cache = new CheckCache();
    assert.equal(checkNotebook(notebookOf(cells), { cache }).findings.filter((f) => f.code === 'math.parse-error').length, 2);
    const defined = [md('$\\newcommand{\\norm}[1]{\\lVert #1 \\rVert}$'), ...cells];
    assert.deepEqual(checkNotebook(notebookOf(defined), { cache }).findings.filter((f) => f.code === 'math.parse-error'), []);
  });
});
