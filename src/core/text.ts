/** Positions inside a cell's source: 0-based line and UTF-16 character, as LSP and VS Code count them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Maps offsets in a text to line/character positions (and back) with one pass over the text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  offset(p: Position): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)]!;
    return Math.min(start + p.character, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The text of line `n` without its line break. */
  lineText(n: number): string {
    const start = this.starts[n] ?? this.text.length;
    const next = this.starts[n + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  /** The range of line `n`'s text (without the line break). */
  lineRange(n: number): Range {
    return { start: { line: n, character: 0 }, end: { line: n, character: this.lineText(n).length } };
  }
}

/** Text folded for matching prompts, with the offset in the original text of every character. */
export interface FoldedText {
  readonly text: string;
  readonly offsets: readonly number[];
}

const FOLD: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-' };

/**
 * Lower-case; typographic quotes and dashes folded; markdown emphasis, backticks and backslashes dropped;
 * every run of whitespace one space. Students re-wrap and re-emphasise prompts; this survives both.
 */
export function fold(s: string): FoldedText {
  const codes = new Uint16Array(s.length * 2);
  const offsets: number[] = [];
  let n = 0;
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code === 0x2a || code === 0x5f || code === 0x60 || code === 0x5c) continue; // * _ ` \
    const space = code < 0x80 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : /\s/.test(s[i]!);
    if (space) {
      pendingSpace = n > 0;
      continue;
    }
    if (pendingSpace) {
      codes[n++] = 0x20;
      offsets.push(i - 1);
      pendingSpace = false;
    }
    if (code < 0x80) {
      codes[n++] = code >= 0x41 && code <= 0x5a ? code + 32 : code;
      offsets.push(i);
      continue;
    }
    const ch = s[i]!;
    const lower = (FOLD[ch] ?? ch).toLowerCase();
    for (let k = 0; k < lower.length; k++) {
      codes[n++] = lower.charCodeAt(k);
      offsets.push(i);
    }
  }
  let text = '';
  for (let k = 0; k < n; k += 8192) text += String.fromCharCode(...codes.subarray(k, Math.min(n, k + 8192)));
  return { text, offsets };
}

const folds = new WeakMap<object, FoldedText>();
/** `fold` of a cell's source, computed once per cell (pack matching and segmentation both need it). */
export function foldSource(cell: { readonly source: string }): FoldedText {
  let f = folds.get(cell);
  if (!f) {
    f = fold(cell.source);
    folds.set(cell, f);
  }
  return f;
}

const phrases = new Map<string, string>();
/** The folded text of a short phrase of an assignment pack, computed once each. */
export function foldPhrase(s: string): string {
  let f = phrases.get(s);
  if (f === undefined) {
    f = fold(s).text;
    phrases.set(s, f);
  }
  return f;
}

/**
 * The text with no word longer than 64 letters (a pasted hash, a run of one key): a pattern's `\w*` and the
 * words after it could otherwise share a long word's letters in every way, quadratic in its length.
 */
export function shortWords(text: string): string {
  return text.replace(/\w{65,}/g, (w) => w.slice(0, 64));
}
