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

const DROPPED = new Set(['*', '_', '`', '\\']);
const FOLD: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-' };

/**
 * Lower-case; typographic quotes and dashes folded; markdown emphasis, backticks and backslashes dropped;
 * every run of whitespace one space. Students re-wrap and re-emphasise prompts; this survives both.
 */
export function fold(s: string): FoldedText {
  let text = '';
  const offsets: number[] = [];
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (DROPPED.has(ch)) continue;
    if (/\s/.test(ch)) {
      pendingSpace = text.length > 0;
      continue;
    }
    if (pendingSpace) {
      text += ' ';
      offsets.push(i - 1);
      pendingSpace = false;
    }
    const lower = (FOLD[ch] ?? ch).toLowerCase();
    text += lower;
    for (let k = 0; k < lower.length; k++) offsets.push(i);
  }
  return { text, offsets };
}

export const foldText = (s: string): string => fold(s).text;
