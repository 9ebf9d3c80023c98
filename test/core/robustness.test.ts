/**
 * Notebooks of this exam nbcheck has not seen: cells deleted, reordered, split and truncated at random
 * (seeded) from the examples and the corpus. Nothing may throw, statuses must stay well-formed, every
 * finding must point inside its cell.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CELL_CHARS } from '../../src/core/check';
import { CORPUS, EXAMPLES, HAVE_CORPUS, check, md, rng, srcOf, type RawCell } from '../helpers';

function mutate(cells: RawCell[], r: () => number): RawCell[] {
  const out = cells.map((c) => ({ ...c, source: srcOf(c) }));
  for (let k = 0; k < 6; k++) {
    const i = Math.floor(r() * out.length);
    const c = out[i];
    if (!c) continue;
    const src = c.source as string;
    const op = Math.floor(r() * 4);
    if (op === 0) out.splice(i, 1);
    else if (op === 1) out.splice(Math.floor(r() * out.length), 0, ...out.splice(i, 1));
    else if (op === 2) out[i] = { ...c, source: src.slice(0, Math.floor(r() * src.length)) };
    else {
      const at = Math.floor(r() * src.length);
      out.splice(i, 1, { ...c, source: src.slice(0, at) }, { ...c, source: src.slice(at) });
    }
  }
  return out;
}

const sources = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.ipynb')).map((f) => join(EXAMPLES, f)),
  ...(HAVE_CORPUS ? readdirSync(join(CORPUS, 'spring2023-theory')).map((f) => join(CORPUS, 'spring2023-theory', f)) : []),
];

describe('robustness: mutated exam notebooks', () => {
  for (const path of sources) {
    it(`${path.split('/').pop()}: 40 random mutations, no crash, findings inside their cells`, () => {
      const cells = (JSON.parse(readFileSync(path, 'utf8')) as { cells: RawCell[] }).cells;
      const r = rng(path.length * 7919);
      for (let n = 0; n < 40; n++) {
        const mutated = mutate(cells, r);
        const report = check(mutated);
        for (const q of report.questions) assert.ok(['answered', 'partial', 'missing', 'declined'].includes(q.status));
        if (report.points) assert.ok(report.points.attainable <= report.points.max);
        for (const f of report.findings) {
          if (f.cell === undefined) continue;
          const lines = (mutated[f.cell]!.source as string).split('\n');
          assert.ok(f.range!.start.line < lines.length && f.range!.end.line < lines.length, `${f.code} outside cell ${f.cell}`);
          assert.ok(f.range!.end.character <= lines[f.range!.end.line]!.length + 1, `${f.code} past the end of its line`);
        }
      }
    });
  }
});

describe('robustness: a cell longer than nbcheck reads', () => {
  it('is checked up to 200,000 characters, and an information finding says where checking stopped', () => {
    const filler = 'The words of a very long pasted log line. '.repeat(6_000); // 252,000 characters
    const before = '$\\frac{1}{2$ is broken.\n';
    const cells = [md('# Notes'), md(`${before}${filler}\n$\\sqrt{x$ is broken too.`)];
    const report = check(cells);
    const inCell = report.findings.filter((f) => f.cell === 1);
    const cut = inCell.find((f) => f.code === 'cell.too-long');
    assert.ok(cut, `no cell.too-long among ${inCell.map((f) => f.code).join(', ')}`);
    assert.equal(cut.severity, 'info');
    assert.match(cut.message, /252,0\d\d characters long.*first 200,000/);
    // The finding sits where checking stopped: line 1 (0-based), at the limit's column.
    assert.deepEqual(cut.range!.start, { line: 1, character: MAX_CELL_CHARS - before.length });
    // The formula before the limit is checked; the one after it is not (and nothing claims it was).
    const math = inCell.filter((f) => f.code.startsWith('math.'));
    assert.equal(math.length, 1, math.map((f) => `${f.code} ${JSON.stringify(f.range)}`).join('; '));
    assert.equal(math[0]!.range!.start.line, 0);
  });

  it('a cell at the limit is read whole, with no finding about its length', () => {
    const text = 'a'.repeat(MAX_CELL_CHARS - 20) + ' $\\frac{1}{2$';
    assert.equal(text.length, MAX_CELL_CHARS - 7);
    const report = check([md(text)]);
    assert.ok(!report.findings.some((f) => f.code === 'cell.too-long'));
    assert.ok(report.findings.some((f) => f.code.startsWith('math.') && f.cell === 0), 'the formula at the end was checked');
  });
});

describe('robustness: a formula past the limit once its macros are expanded', () => {
  it('is not rendered, and an information finding says why; the same uses of a short macro are checked', () => {
    const define = (body: string): string => `$\\newcommand{\\parens}{${body}}$`;
    const uses = '$\\parens + \\parens \\frac{1}{2$';
    const long = check([md(define('('.repeat(3_000) + ')'.repeat(3_000))), md(uses)]).findings.filter((f) => f.cell === 1);
    const cut = long.find((f) => f.code === 'math.too-long');
    assert.ok(cut, long.map((f) => f.code).join(', '));
    assert.match(cut.message, /12,0\d\d characters long with its macros expanded/);
    assert.ok(!long.some((f) => f.code === 'math.parse-error'), 'not rendered, so not said to fail');
    const short = check([md(define('(x)')), md(uses)]).findings.filter((f) => f.cell === 1);
    assert.ok(short.some((f) => f.code.startsWith('math.') && f.code !== 'math.too-long'), short.map((f) => f.code).join(', '));
  });
});
