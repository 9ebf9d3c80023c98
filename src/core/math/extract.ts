/**
 * Math in notebook markdown, as Jupyter finds it: `$$..$$`, `\[..\]`, `\begin{env}..\end{env}` (display),
 * `\(..\)` and `$..$` (inline, not across a blank line). Code spans, fenced code and comments are skipped;
 * `\$` is a literal dollar.
 */
import { maskCode } from '../notebook/markdown';

export interface MathSegment {
  /** Offsets of the whole segment, delimiters included. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the TeX between the delimiters (for `\begin..\end`, the whole environment). */
  readonly texStart: number;
  readonly texEnd: number;
  readonly display: boolean;
}

export interface Unclosed {
  readonly offset: number;
  readonly delimiter: string;
  readonly closer: string;
}

export interface ExtractedMath {
  readonly segments: MathSegment[];
  readonly unclosed: Unclosed[];
}

export function extractMath(source: string): ExtractedMath {
  const text = maskCode(source);
  const segments: MathSegment[] = [];
  const unclosed: Unclosed[] = [];
  // A closer found nowhere after some offset is found nowhere after any later one: remembering that keeps a
  // long run of unclosed openers (`\[\[\[…`) linear instead of a search to the end from each of them.
  const absentFrom = new Map<string, number>();
  const closeOf = (closer: string, from: number): number => {
    if (from >= (absentFrom.get(closer) ?? Infinity)) return -1;
    const at = closer.startsWith('\\end{') ? text.indexOf(closer, from) : findUnescaped(text, closer, from);
    if (at < 0) absentFrom.set(closer, from);
    return at;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === '[' || next === '(') {
        const closer = next === '[' ? '\\]' : '\\)';
        const close = closeOf(closer, i + 2);
        if (close < 0) {
          unclosed.push({ offset: i, delimiter: `\\${next}`, closer });
          i += 2;
          continue;
        }
        segments.push({ start: i, end: close + 2, texStart: i + 2, texEnd: close, display: next === '[' });
        i = close + 2;
        continue;
      }
      const env = /^\\begin\{([A-Za-z]+\*?)\}/.exec(text.slice(i, i + 40));
      if (env) {
        const endTag = `\\end{${env[1]}}`;
        const close = closeOf(endTag, i + env[0].length);
        if (close < 0) {
          unclosed.push({ offset: i, delimiter: env[0], closer: endTag });
          i += env[0].length;
          continue;
        }
        segments.push({ start: i, end: close + endTag.length, texStart: i, texEnd: close + endTag.length, display: true });
        i = close + endTag.length;
        continue;
      }
      i += 2; // an escaped character, e.g. \$
      continue;
    }
    if (ch === '$') {
      if (text[i + 1] === '$') {
        const close = closeOf('$$', i + 2);
        if (close < 0) {
          unclosed.push({ offset: i, delimiter: '$$', closer: '$$' });
          i += 2;
          continue;
        }
        segments.push({ start: i, end: close + 2, texStart: i + 2, texEnd: close, display: true });
        i = close + 2;
        continue;
      }
      const close = findInlineClose(text, i + 1);
      if (close < 0) {
        i += 1; // a lone dollar is text (a price, a shell prompt)
        continue;
      }
      segments.push({ start: i, end: close + 1, texStart: i + 1, texEnd: close, display: false });
      i = close + 1;
      continue;
    }
    i++;
  }
  return { segments, unclosed };
}

function findUnescaped(text: string, needle: string, from: number): number {
  let at = text.indexOf(needle, from);
  while (at >= 0 && isEscaped(text, at)) at = text.indexOf(needle, at + 1);
  return at;
}

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let k = at - 1; k >= 0 && text[k] === '\\'; k--) n++;
  return n % 2 === 1;
}

/** The closing `$` of inline math: unescaped, not `$$`, and no blank line in between. */
function findInlineClose(text: string, from: number): number {
  for (let k = from; k < text.length; k++) {
    const c = text[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '\n' && /^\n[ \t]*\n/.test(text.slice(k, k + 64))) return -1;
    if (c === '$') return k === from ? -1 : k;
  }
  return -1;
}
