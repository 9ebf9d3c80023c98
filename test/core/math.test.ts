/**
 * Math checks: math judged as VS Code (markdown-it + @vscode/markdown-it-katex) and Jupyter (MathJax) render it,
 * errors at the offending token, macros notebook-wide, unclosed delimiters, LaTeX that renders but is broken.
 */
import assert from 'node:assert/strict';
import { extractMath } from '../../src/core/math/extract';
import { check, exampleCells, md, srcOf } from '../helpers';

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
  it('redefining a built-in with \\newcommand{\\vec} renders in Jupyter; VS Code\u2019s KaTeX refuses it, on the definition, with the fix', () => {
    const fs = mathFindings('$$\\newcommand{\\vec}[1]{\\boldsymbol{#1}}\\renewcommand{\\mattr}[1]{\\boldsymbol{#1}^\\top}$$', '$\\vec{x}^T \\mattr{W}$');
    assert.deepEqual(fs.map((f) => [f.code, f.severity, f.cell, f.range]), [
      ['math.renders-jupyter-only', 'warning', 0, { start: { line: 0, character: 2 }, end: { line: 0, character: 19 } }],
      ['math.renders-jupyter-only', 'warning', 1, { start: { line: 0, character: 0 }, end: { line: 0, character: 21 } }],
    ]);
    assert.equal(fs[0]!.message, 'Renders in Jupyter, shows as an error in VS Code: KaTeX, which VS Code uses, says "\\newcommand{\\vec} attempting to redefine \\vec; use \\renewcommand".');
    // KaTeX stops at the refused definition, so \\mattr, defined after it, is unknown in VS Code.
    assert.match(fs[1]!.message, /Undefined control sequence: \\mattr/);
  });
  it('\\def and \\DeclareMathOperator define commands in Jupyter; VS Code\u2019s KaTeX has no \\DeclareMathOperator (a warning with what to write)', () => {
    const fs = mathFindings('$\\def\\E{\\mathbb{E}} \\DeclareMathOperator*{\\amax}{arg\\,max}$', '$\\E[x], \\amax_x f$');
    assert.deepEqual(fs.map((f) => [f.code, f.cell]), [['math.renders-jupyter-only', 0], ['math.renders-jupyter-only', 1]]);
    assert.match(fs[0]!.message, /Undefined control sequence: \\DeclareMathOperator" \(KaTeX has no \\DeclareMathOperator: define the operator with \\newcommand/);
    // \\def is KaTeX's too: \\E is known in VS Code; \\amax is not.
    assert.match(fs[1]!.message, /Undefined control sequence: \\amax/);
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

describe('math: where it renders, VS Code (KaTeX) and Jupyter (MathJax)', () => {
  it('the seed\u2019s `$$ CE_LOSS … $$ <br>`: renders in Jupyter, an error in VS Code, whose $$ rule is named with the fix', () => {
    const cells = exampleCells();
    assert.equal(srcOf(cells[9]!).split('\n')[1], '$$ CE_LOSS(x, y) =  -1 \\cdot sum(y \\cdot log(model(x))) = -1 \\cdot sum(y \\cdot y_probs) $$ <br>');
    const fs = check(cells).findings.filter((f) => f.cell === 9 && f.code.startsWith('math.'));
    assert.deepEqual(fs.map((f) => [f.code, f.severity, f.question, f.range]), [['math.renders-jupyter-only', 'warning', '1.3.1', { start: { line: 1, character: 0 }, end: { line: 1, character: 95 } }]]);
    assert.equal(
      fs[0]!.message,
      'Renders in Jupyter, shows as an error in VS Code: there a line that starts with $$ opens a display formula that only a line ending in $$ closes, ' +
        'so the text after the closing $$ ("<br>") keeps it open, that $$ is read as TeX (KaTeX: Can\'t use function \'$\' in math mode). ' +
        'Put the closing $$ last on its line: move "<br>" to a line of its own, or drop it.',
    );
  });
  it('a space after the closing $$: VS Code runs the formula on to the next line ending in $$, taking the text between', () => {
    const [f, ...rest] = mathFindings('Intro\n$$r = s \\cdot k$$ \nWhere $s$ is the stride.\n$$r_0 = 1$$');
    assert.equal(rest.length, 0);
    assert.equal(f!.code, 'math.renders-jupyter-only');
    assert.deepEqual(f!.range, { start: { line: 1, character: 0 }, end: { line: 3, character: 11 } });
    assert.match(f!.message, /the space after the closing \$\$ keeps it open, that \$\$ is read as TeX and runs on to line 4 of the cell, taking the text between with it .* delete the space after it\.$/);
  });
  it('the same formula without the trailing text is silent in both', () => {
    assert.deepEqual(mathFindings('#### Answer:\n$$ CE(x, y) = -1 \\cdot \\sum y \\log p $$\n<br>'), []);
  });
  it('a command MathJax lacks and KaTeX has: renders in VS Code only (warning, with what to write)', () => {
    const [f, ...rest] = mathFindings('Let $\\bm{x}$ be');
    assert.equal(rest.length, 0);
    assert.equal(f!.code, 'math.renders-vscode-only');
    assert.equal(f!.severity, 'warning');
    assert.deepEqual(f!.range, { start: { line: 0, character: 4 }, end: { line: 0, character: 12 } });
    assert.equal(f!.message, 'Renders in VS Code, shows as an error in Jupyter: MathJax says "Undefined control sequence \\bm" (write \\boldsymbol{x}).');
  });
  it('\\require{cancel}: Jupyter has every package loaded; VS Code\u2019s KaTeX has no \\require', () => {
    const fs = mathFindings('$\\require{cancel}\\cancel{x}$');
    assert.deepEqual(fs.map((f) => [f.code, f.message]), [['math.renders-jupyter-only', 'Renders in Jupyter, shows as an error in VS Code: KaTeX, which VS Code uses, says "Undefined control sequence: \\require".']]);
  });
  it('failing in both is an error that says so', () => {
    const [f] = mathFindings('$x^2^3$');
    assert.equal(f!.code, 'math.parse-error');
    assert.equal(f!.severity, 'error');
    assert.equal(f!.message, 'This math will not render, in Jupyter nor in VS Code: Double superscript.');
  });
});

describe('math: LaTeX that renders but is plainly broken (warnings with the fix)', () => {
  const typos = (...cells: string[]) => mathFindings(...cells).filter((f) => ['math.missing-backslash', 'math.braced-limits', 'math.subscript-style'].includes(f.code));
  it('a command without its backslash: frac{, sum_, alpha_t', () => {
    const fs = typos('$p = frac{a}{b} + sum_{i} alpha_t$');
    assert.deepEqual(fs.map((f) => [f.code, f.severity, f.range!.start.character, f.range!.end.character]), [['math.missing-backslash', 'warning', 5, 9], ['math.missing-backslash', 'warning', 18, 21], ['math.missing-backslash', 'warning', 26, 31]]);
    assert.equal(fs[0]!.message, '"frac" without a backslash renders as the letters f r a c: write \\frac.');
  });
  it('\\sum{i=1}^m: the limits in braces, with the fix written out; \\sum{w_i x_i} (a braced summand) is fine', () => {
    const fs = typos('$$L = \\sum{i=1}^m \\ell_i + \\sum{w_i x_i}$$');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.code, 'math.braced-limits');
    assert.equal(fs[0]!.message, 'The braces after \\sum are not its limits: {i=1} renders beside the sum sign, not under it. Write \\sum_{i=1}^m.');
  });
  it('x1 where the same answer writes x_1 (also inside \\vec{}); x1 alone, conv1 and words in \\text{} are left alone', () => {
    const fs = typos('$$\\vec{x1} \\cdot \\vec{x}_2 = x_1 + x2$$');
    assert.deepEqual(fs.map((f) => [f.code, f.range!.start.character]), [['math.subscript-style', 7], ['math.subscript-style', 35]]);
    assert.equal(fs[0]!.message, 'x1 renders as x next to a full-size 1, not a subscript, where this answer writes x_1 elsewhere: write x_1.');
    assert.deepEqual(typos('$y = x1 + conv1$ and $\\text{see frac{x} and x_1 or x1}$'), []);
  });
  it('commands written with their backslash are silent', () => {
    assert.deepEqual(typos('$\\frac{a}{b} + \\sum_{i=1}^m \\alpha_t + \\widetilde{x} + \\underbar{y}$'), []);
  });
});
