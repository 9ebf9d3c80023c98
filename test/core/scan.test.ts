/**
 * The linear scanners that replaced backtracking regular expressions (src/core/notebook/scan.ts): on random
 * strings over the markup that matters, each finds exactly what the regular expression it replaces finds — the
 * same spans — so the checks read the same notebooks the same way, without the quadratic cases. Code spans
 * follow CommonMark, as VS Code and Jupyter render them.
 */
import { strict as assert } from 'node:assert';
import { PythonRandom } from '../../src/core/engine/random';
import { codeSpans, fencedBlocks, htmlTags, markdownImages } from '../../src/core/notebook/scan';
import { imageRefs } from '../../src/core/checks/images';
import { maskCode } from '../../src/core/notebook/markdown';
import { withoutClosingPunctuation } from '../../src/core/math/equations';

function randomText(rng: PythonRandom, alphabet: readonly string[], length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.randbelow(alphabet.length)];
  return s;
}

const spansOf = (text: string, re: RegExp): [number, number][] => [...text.matchAll(re)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);

describe('linear scanners find what the regular expressions they replace find', () => {
  const rng = new PythonRandom(20261204n);
  const CASES = 3000;

  it('fenced code blocks: ^([ \\t]*)(`{3,}|~{3,})[^\\n]*\\n[\\s\\S]*?(?:^\\1?[ \\t]*\\2[`~]*[ \\t]*$|(?![\\s\\S])) (multiline)', () => {
    const old = /^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1?[ \t]*\2[`~]*[ \t]*$|(?![\s\S]))/gm;
    const alphabet = ['`', '```', '````', '~~~', '~', '\n', ' ', '\t', 'a', 'py', '\r\n'];
    for (let k = 0; k < CASES; k++) {
      const t = randomText(rng, alphabet, 1 + rng.randbelow(24));
      assert.deepEqual(fencedBlocks(t), spansOf(t, old), JSON.stringify(t));
    }
    assert.deepEqual(fencedBlocks('`'.repeat(20_000)), [], 'a fence with no line after it opens nothing');
  });

  it('a formula piece\'s closing punctuation: (?:\\s|\\\\[,;!:]|[,.])+$', () => {
    const alphabet = ['\\', ',', ';', '!', ':', '.', ' ', '\n', 'a', '\\,', '\\\\'];
    for (let k = 0; k < CASES; k++) {
      const t = randomText(rng, alphabet, 1 + rng.randbelow(12));
      assert.equal(withoutClosingPunctuation(t), t.replace(/(?:\s|\\[,;!:]|[,.])+$/, ''), JSON.stringify(t));
    }
  });

  it('HTML tags: <[^>\\n]*> and <img\\b[^>]*>', () => {
    const alphabet = ['<', '>', '\n', 'a', ' ', 'img', '<img ', 'src="x"', 'i'];
    for (let k = 0; k < CASES; k++) {
      const t = randomText(rng, alphabet, 1 + rng.randbelow(30));
      assert.deepEqual(htmlTags(t, { withinLine: true }), spansOf(t, /<[^>\n]*>/g), JSON.stringify(t));
      assert.deepEqual(htmlTags(t, { name: 'img' }), spansOf(t, /<img\b[^>]*>/gi), JSON.stringify(t));
    }
  });

  it('markdown images: !\\[[^\\]]*\\]\\([^)]*\\), on one line or across lines', () => {
    const alphabet = ['![', '[', ']', '(', ')', '!', 'a', '\n', ' ', '](', '![a]('];
    for (let k = 0; k < CASES; k++) {
      const t = randomText(rng, alphabet, 1 + rng.randbelow(24));
      assert.deepEqual(markdownImages(t), spansOf(t, /!\[[^\]]*\]\([^)]*\)/g), JSON.stringify(t));
      assert.deepEqual(markdownImages(t, { withinLine: true }), spansOf(t, /!\[[^\]\n]*\]\([^)\n]*\)/g), JSON.stringify(t));
    }
  });

  it('image URLs as the image check read them (alt, <url>, a title in quotes, spaces)', () => {
    const alphabet = ['![', ']', '(', ')', 'a', 'b.png', ' ', '\n', '<', '>', '"', "'", '"t"', '![a](', ']('];
    const old = (source: string): string[] => [...source.matchAll(/!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\)/g)].map((m) => m[1] as string);
    for (let k = 0; k < CASES; k++) {
      const t = randomText(rng, alphabet, 1 + rng.randbelow(20));
      // The old regex ran on text whose code was masked; these strings have no backticks.
      const ours = imageRefs(t).filter((r) => !/<img/i.test(t.slice(Math.max(0, r.start - 30), r.start))).map((r) => r.url);
      assert.deepEqual(ours, old(t), JSON.stringify(t));
    }
  });

  it('code spans: a run of n backticks up to the next run of exactly n, not across a blank line; an unmatched run is text', () => {
    assert.deepEqual(codeSpans('a `b` c'), [[2, 5]]);
    assert.deepEqual(codeSpans('``a`b``'), [[0, 7]]);
    assert.deepEqual(codeSpans('```a`'), [], 'a run of three with no closer of three is text, and so is what follows');
    assert.deepEqual(codeSpans('`a\n\nb`'), [], 'not across a blank line');
    assert.deepEqual(codeSpans('`a\nb`'), [[0, 5]], 'across a line break');
    assert.equal(maskCode('x `y` z'), 'x     z');
    // Random strings: every span opens and closes with runs of the same length, none inside another.
    const alphabet = ['`', '``', 'a', ' ', '\n'];
    for (let k = 0; k < CASES; k++) {
      const t = randomText(rng, alphabet, 1 + rng.randbelow(24));
      let after = 0;
      for (const [s, e] of codeSpans(t)) {
        assert.ok(s >= after, JSON.stringify(t));
        const open = /^`+/.exec(t.slice(s))?.[0].length ?? 0;
        const close = /`+$/.exec(t.slice(0, e))?.[0].length ?? 0;
        assert.equal(open, close, JSON.stringify(t));
        assert.ok(t[s - 1] !== '`' && t[e] !== '`', JSON.stringify(t));
        after = e;
      }
    }
  });
});
