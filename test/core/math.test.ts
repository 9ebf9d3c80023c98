/** Math checks: KaTeX parse errors at the offending token, macros notebook-wide, unclosed delimiters. */
import assert from 'node:assert/strict';
import { extractMath } from '../../src/core/math/extract';
import { check, md } from '../helpers';

const mathFindings = (...cells: string[]) => check(cells.map(md)).findings.filter((f) => f.code.startsWith('math.'));

describe('math: extraction', () => {
  const tex = (s: string): string[] => extractMath(s).segments.map((g) => s.slice(g.texStart, g.texEnd));
  it('finds $..$, $$..$$, \\(..\\), \\[..\\] and \\begin..\\end, in order', () => {
    assert.deepEqual(tex('a $x$ b $$y$$ c \\(z\\) d \\[w\\] \\begin{align}a&=b\\end{align}'), ['x', 'y', 'z', 'w', '\\begin{align}a&=b\\end{align}']);
  });
  it('skips code spans, fenced code and escaped dollars; inline math does not cross a blank line', () => {
    assert.deepEqual(tex('`$not$` and \\$5 and $x$\n```\n$no$\n```\n$a\n\nb$'), ['x']);
  });
});

describe('math: KaTeX parse errors', () => {
  it('an undefined command: error on exactly that token, with its line and character in the cell', () => {
    const [f, ...rest] = mathFindings('Intro line\nSo $$a + \\foo{b}$$ holds');
    assert.equal(rest.length, 0);
    assert.equal(f!.code, 'math.parse-error');
    assert.equal(f!.severity, 'error');
    assert.deepEqual(f!.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 13 } });
    assert.equal('So $$a + \\foo{b}$$ holds'.slice(9, 13), '\\foo');
    assert.match(f!.message, /Undefined control sequence: \\foo/);
  });
  it('a multi-line display formula: the position is on the right line', () => {
    const [f] = mathFindings('$$\n\\frac{a}{b}\n+ x^{2\n$$');
    assert.equal(f!.range!.start.line, 3);
    assert.match(f!.message, /expected '}'/i);
  });
  it('valid math of every delimiter kind is silent', () => {
    assert.deepEqual(mathFindings('$\\tilde{\\beta}_t$ and $$\\sum_{i=1}^n x_i$$ and \\(\\alpha\\) and \\[\\int_0^1 f\\] and \\begin{align}a&=b\\\\c&=d\\end{align}'), []);
  });
  it('an unclosed $$ is a warning at the delimiter; a lone $ (a price) is text', () => {
    const [f, ...rest] = mathFindings('It costs $5.\n\n$$x^2 + 1');
    assert.equal(rest.length, 0);
    assert.equal(f!.code, 'math.unclosed');
    assert.deepEqual(f!.range!.start, { line: 2, character: 0 });
  });
});

describe('math: macros defined anywhere apply to the whole notebook', () => {
  it('\\newcommand in the first cell is known in later cells', () => {
    assert.deepEqual(mathFindings('$$\\newcommand{\\mat}[1]{\\boldsymbol{#1}}$$', 'Let $\\mat{W}$ be'), []);
  });
  it('and in earlier cells too (definitions are collected first)', () => {
    assert.deepEqual(mathFindings('Let $\\mat{W}$ be', '$$\\newcommand{\\mat}[1]{\\boldsymbol{#1}}$$'), []);
  });
  it('redefining a built-in (\\newcommand{\\vec}) or \\renewcommand of an unknown command is not an error', () => {
    assert.deepEqual(mathFindings('$$\\newcommand{\\vec}[1]{\\boldsymbol{#1}}\\renewcommand{\\mattr}[1]{\\boldsymbol{#1}^\\top}$$', '$\\vec{x}^T \\mattr{W}$'), []);
  });
  it('\\def and \\DeclareMathOperator define commands too', () => {
    assert.deepEqual(mathFindings('$\\def\\R{\\mathbb{R}} \\DeclareMathOperator*{\\argmax}{arg\\,max}$', '$x \\in \\R, \\argmax_x f$'), []);
  });
  it('without the definition the same use is an error, with a hint', () => {
    const [f] = mathFindings('$\\norm{g_1}$');
    assert.match(f!.message, /\\norm/);
    assert.match(f!.message, /\\lVert/);
  });
  it('a macro whose body is broken is reported where it is used', () => {
    const fs = mathFindings('$$\\newcommand{\\bad}{\\frac{1}}$$', 'Here $\\bad$');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.cell, 1);
  });
});
