/**
 * Math as VS Code shows it in a notebook's markdown cell: its built-in `markdown-math` extension renders
 * cells with markdown-it and `@vscode/markdown-it-katex` (`globalGroup`, bare `\begin..\end` blocks and
 * fenced `math` blocks on), with the KaTeX VS Code bundles with it (0.16.21 in VS Code 1.139, pinned by an
 * npm override). The packages are the real ones, loaded on first use; a formula KaTeX cannot render comes
 * out as an element of class `katex-error`, which is what the student sees (the error text in red). This
 * module finds those elements and where in the cell their math was written.
 */

import { boundedMemo } from './memo';

interface Token {
  readonly type: string;
  readonly content: string;
  readonly info: string;
  readonly markup: string;
  readonly map: [number, number] | null;
  readonly children: Token[] | null;
}

type Rule = (tokens: Token[], idx: number, options: unknown, env: unknown, self: unknown) => string;

interface MarkdownIt {
  parse(src: string, env: object): Token[];
  use(plugin: unknown, options: unknown): MarkdownIt;
  readonly options: unknown;
  readonly renderer: { readonly rules: Record<string, Rule | undefined> };
}

/** Why VS Code fails on a formula. */
export type VscodeCause =
  /**
   * `$$` opens a line and the formula's `$$` closes it with something after it, text or only spaces
   * (`$$ x $$ <br>`, `$$x$$ `): VS Code's block rule does not end the formula there.
   */
  | 'text-after-closing'
  /** KaTeX fails on the TeX itself. */
  | 'katex';

export interface VscodeFailure {
  /** Offsets in the cell source of the math as VS Code delimited it (delimiters included, best effort). */
  readonly start: number;
  readonly end: number;
  /** The TeX VS Code handed to KaTeX. */
  readonly tex: string;
  /** KaTeX's message, without its `ParseError: KaTeX parse error:` prefix. */
  readonly message: string;
  readonly cause: VscodeCause;
  /** For `text-after-closing`: what follows the closing `$$` on its line (empty: only spaces). */
  readonly after?: string;
  /** For `text-after-closing`: the 0-based line of the cell where VS Code ends the formula instead (or the last). */
  readonly endLine?: number;
}

let instance: { md: MarkdownIt; macros: Record<string, unknown> } | undefined;

function renderer(): { md: MarkdownIt; macros: Record<string, unknown> } {
  if (!instance) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const MarkdownItCtor = require('markdown-it') as new (options: object) => MarkdownIt;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const katexPlugin = (require('@vscode/markdown-it-katex') as { default: unknown }).default;
    // As VS Code's notebook markdown renderer (markdown-language-features/notebook) and markdown-math's
    // notebook/katex.ts set them up; the macros object is shared by all renders, as there.
    const macros: Record<string, unknown> = {};
    const md = new MarkdownItCtor({ html: true, linkify: true });
    // `strict: 'ignore'` only silences KaTeX's console warnings (its default, 'warn', never fails a render).
    // `output: 'mathml'`: whether a formula fails is decided by KaTeX's parser, before either output is built;
    // only the MathML is built here, since KaTeX's HTML builder is quadratic in a long run of letters (a
    // 60,000-letter formula took 8.5 s in its tryCombineChars).
    md.use(katexPlugin, { globalGroup: true, enableBareBlocks: true, enableFencedBlocks: true, macros, strict: 'ignore', output: 'mathml' });
    instance = { md, macros };
  }
  return instance;
}

const MATH_TOKENS = new Set(['math_block', 'math_inline', 'math_inline_bare_block']);

/** Definitions KaTeX keeps (with `globalGroup`) after rendering a cell: VS Code shares them with later cells. */
export type VscodeMacros = Readonly<Record<string, unknown>>;

/** The macros KaTeX defines while VS Code renders this cell (`\newcommand`, `\def`; not `\DeclareMathOperator`). */
export function vscodeDefinitions(source: string): VscodeMacros {
  const { macros } = renderer();
  renderMath(source, {}, () => undefined);
  return { ...macros };
}

/**
 * The formulas of one markdown cell that VS Code shows as a KaTeX error. `macros` are what other cells of
 * the notebook define (VS Code keeps a definition once the cell that makes it has been rendered);
 * `macrosKey`, text that identifies them, lets the verdict be reused by every cell with the same text.
 */
export function vscodeFailures(source: string, macros: VscodeMacros, macrosKey?: string): VscodeFailure[] {
  return macrosKey === undefined ? failuresOf(source, macros) : failureMemo(`${macrosKey}\u0000${source}`, () => failuresOf(source, macros));
}

const failureMemo = boundedMemo<VscodeFailure[]>(5_000);

function failuresOf(source: string, macros: VscodeMacros): VscodeFailure[] {
  const failures: VscodeFailure[] = [];
  renderMath(source, macros, (token, block, html, cursor, lineOffset) => {
    if (!/class="[^"]*katex-error/.test(html)) return;
    const span = locate(source, token, block, lineOffset, cursor);
    const message = katexMessage(html);
    failures.push({ ...narrow(source, span, message), tex: token.content, message, ...causeOf(source, token, span.start) });
  });
  // In the order of the text (the math check looks them up by offset).
  return failures.sort((a, b) => a.start - b.start);
}

type Rendered = (token: Token, block: [number, number] | null, html: string, cursor: { at: number }, lineOffset: (line: number) => number) => void;

/** Renders each formula of the cell as VS Code does, in order, starting from `macros`. */
function renderMath(source: string, macros: VscodeMacros, rendered: Rendered): void {
  const { md, macros: shared } = renderer();
  for (const key of Object.keys(shared)) delete shared[key];
  Object.assign(shared, macros);
  const lineStarts = [0];
  for (let k = 0; k < source.length; k++) if (source[k] === '\n') lineStarts.push(k + 1);
  const lineOffset = (line: number): number => (line < lineStarts.length ? lineStarts[line]! : source.length);
  const render = (tokens: Token[], idx: number, block: [number, number] | null, cursor: { at: number }): void => {
    const token = tokens[idx]!;
    const rule = md.renderer.rules[token.type];
    if (!rule) return;
    // KaTeX warns on the console about characters it has no metrics for (pasted MathML text); it still renders.
    const warn = console.warn;
    console.warn = () => undefined;
    let html: string;
    try {
      html = rule(tokens, idx, md.options, {}, md.renderer);
    } finally {
      console.warn = warn;
    }
    rendered(token, block, html, cursor, lineOffset);
  };
  const tokens = md.parse(source, {});
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (MATH_TOKENS.has(t.type) || (t.type === 'fence' && t.info.trim().toLowerCase() === 'math')) render(tokens, i, t.map, { at: lineOffset(t.map?.[0] ?? 0) });
    else if (t.type === 'inline' && t.children) {
      const cursor = { at: lineOffset(t.map?.[0] ?? 0) };
      t.children.forEach((c, k) => {
        if (MATH_TOKENS.has(c.type)) render(t.children!, k, t.map, cursor);
      });
    }
  }
}

/** Where a math token's text is in the cell: a block's lines, or the delimited text within its paragraph. */
function locate(source: string, token: Token, block: [number, number] | null, lineOffset: (line: number) => number, cursor: { at: number }): { start: number; end: number } {
  const first = block ? lineOffset(block[0]) : 0;
  const blockStart = first + (source.slice(first).length - source.slice(first).trimStart().length);
  const blockEnd = Math.max(blockStart + 1, trimEnd(source, block ? lineOffset(block[1]) : source.length));
  if (token.map) return { start: blockStart, end: blockEnd };
  const bare = token.type === 'math_inline_bare_block';
  for (const needle of bare ? [token.content] : [`${token.markup}${token.content}${token.markup}`, token.content]) {
    const at = needle.trim() ? source.indexOf(needle, cursor.at) : -1;
    if (at >= 0 && at < blockEnd) {
      cursor.at = at + needle.length;
      return { start: at, end: at + needle.length };
    }
  }
  return { start: blockStart, end: blockEnd };
}

/** The offset just after the last non-blank character before `at`. */
function trimEnd(source: string, at: number): number {
  let k = Math.min(at, source.length);
  while (k > 0 && /\s/.test(source[k - 1]!)) k--;
  return k;
}

function causeOf(source: string, token: Token, start: number): { cause: VscodeCause; after?: string; endLine?: number } {
  if (token.type !== 'math_block' || token.markup !== '$$' || !token.map || !token.content.includes('$$')) return { cause: 'katex' };
  const lineEnd = source.indexOf('\n', start);
  const first = source.slice(start, lineEnd < 0 ? source.length : lineEnd);
  // VS Code's block rule: `$$` at the start of a line opens a display formula; the same line closes it
  // only when its last two characters are `$$`. Otherwise the formula runs on to the next line that ends
  // with `$$` (or holds one), and what lies between, `$$` included, is taken as TeX.
  const m = /^\$\$(?:(?!\$\$).)*\$\$(.*)$/.exec(first);
  if (!m || m[1]!.includes('$$') || m[1]!.length === 0) return { cause: 'katex' };
  // A formula that no later line closes runs to the end of the cell.
  const lastLine = source.split('\n').length - 1;
  return { cause: 'text-after-closing', after: m[1]!.trim(), endLine: Math.min(token.map[1] - 1, lastLine) };
}

/** A span narrowed to the definition KaTeX refuses (`\newcommand{\vec} attempting to redefine \vec`). */
function narrow(source: string, span: { start: number; end: number }, message: string): { start: number; end: number } {
  const def = /^(\\(?:re)?newcommand)\{(\\[A-Za-z]+)\}/.exec(message);
  if (!def) return span;
  const re = new RegExp(`${def[1]!.replace(/\\/g, '\\\\')}\\s*\\{?\\s*${def[2]!.replace(/\\/g, '\\\\')}(?![A-Za-z])\\s*\\}?`);
  const m = re.exec(source.slice(span.start, span.end));
  return m ? { start: span.start + m.index, end: span.start + m.index + m[0].length } : span;
}

function katexMessage(html: string): string {
  const text = /class="[^"]*katex-error[^"]*"[^>]*>([\s\S]*?)<\/(?:span|p)>/.exec(html)?.[1] ?? '';
  const plain = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&amp;/g, '&');
  // The range of the finding shows where; KaTeX's excerpt (`at position 87: …x $̲$`) is left out.
  return plain.replace(/^ParseError: KaTeX parse error: /, '').replace(/ at position \d+:[\s\S]*$/, '').replace(/\s+/g, ' ').trim();
}
