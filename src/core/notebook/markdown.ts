/** Markdown helpers that keep offsets: scanners run on masked text and report positions in the original. */
import { codeSpans, fencedBlocks, replaceSpans } from './scan';

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/**
 * The text with fenced code blocks, indented code is left alone (students indent list items), inline
 * code spans and HTML comments replaced by spaces, so nothing inside them is taken for math or links.
 */
export function maskCode(text: string): string {
  let out = text.replace(/<!--[\s\S]*?(?:-->|$)/g, blank);
  // Fenced blocks: ``` or ~~~ (3 or more) up to a closing fence of the same kind, or the end.
  out = replaceSpans(out, fencedBlocks(out), blank);
  // Inline code: a run of N backticks up to the next run of exactly N (scanned, not matched: a long run of
  // backticks with no closer made the regular expression quadratic).
  return replaceSpans(out, codeSpans(out), blank);
}

export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** A table line: its span (without the indentation) and its cells' spans (trimmed; `\|` does not part cells). */
export interface TableLine extends TextSpan {
  readonly cells: readonly TextSpan[];
}

export interface MarkdownTable extends TextSpan {
  /** The header row: the line above the separator (`|---|:--:|`). A loose table has none of its own. */
  readonly header?: TableLine;
  /** The rows under the header; in a loose table, every row but the separators. */
  readonly rows: readonly TableLine[];
}

/** A line's cells between its pipes, trimmed: `| a | b |` and `| a | b` have the cells a and b. */
function cellsOf(source: string, start: number, end: number): TextSpan[] {
  const out: TextSpan[] = [];
  let from = source.indexOf('|', start) + 1;
  if (from === 0 || from > end) return out;
  for (let i = from; i <= end; i++) {
    if (i === end || (source[i] === '|' && source[i - 1] !== '\\')) {
      let [a, b] = [from, i];
      while (a < b && /\s/.test(source[a] as string)) a++;
      while (b > a && /\s/.test(source[b - 1] as string)) b--;
      if (i === end && a === b) break;
      out.push({ start: a, end: b });
      from = i + 1;
    }
  }
  return out;
}

/**
 * The markdown tables among the lines that start in source[from, to). A table is a header row (`| a | b |`), a
 * separator row (`|---|:--:|`, three dashes or more) and the body rows under it, every row opening and closing
 * with a pipe. `loose` reads students' hand-made tables as well: any run of lines opening with a pipe, separator
 * rows (two dashes or more) wherever they are set aside, no header required. One pass over the lines.
 */
export function markdownTables(source: string, from: number, to: number, options: { readonly loose?: boolean } = {}): MarkdownTable[] {
  const lines: TableLine[] = [];
  const kinds: ('row' | 'rule' | 'text')[] = [];
  for (let at = from; at < to; ) {
    const nl = source.indexOf('\n', at);
    const end = nl < 0 || nl > to ? to : nl;
    const text = source.slice(at, end);
    const lead = text.length - text.trimStart().length;
    const t = text.trim();
    const cells = t.startsWith('|') ? cellsOf(source, at + lead, at + lead + t.length) : [];
    const rule = t.startsWith('|') && cells.length > 0 && cells.every((c) => (options.loose ? /^:?-{2,}:?$/ : /^:?-{3,}:?$/).test(source.slice(c.start, c.end)));
    const row = options.loose ? t.startsWith('|') : /^\|.*\|$/.test(t) && t.length > 1;
    kinds.push(rule && (options.loose || /\|$/.test(t)) ? 'rule' : row ? 'row' : 'text');
    lines.push({ start: at + lead, end: at + lead + t.length, cells });
    at = end + 1;
  }
  const tables: MarkdownTable[] = [];
  if (options.loose) {
    let rows: TableLine[] = [];
    let first = 0;
    let last = 0;
    lines.forEach((l, i) => {
      if (kinds[i] === 'text') {
        if (rows.length) tables.push({ start: first, end: last, rows });
        rows = [];
        return;
      }
      if (!rows.length) first = l.start;
      last = l.end;
      if (kinds[i] === 'row') rows.push(l);
    });
    if (rows.length) tables.push({ start: first, end: last, rows });
    return tables;
  }
  for (let i = 0; i + 1 < lines.length; i++) {
    if (kinds[i] !== 'row' || kinds[i + 1] !== 'rule') continue;
    const header = lines[i] as TableLine;
    const rows: TableLine[] = [];
    let j = i + 2;
    for (; j < lines.length && kinds[j] === 'row'; j++) if ((lines[j] as TableLine).cells.length) rows.push(lines[j] as TableLine);
    tables.push({ start: header.start, end: (lines[j - 1] as TableLine).end, header, rows });
    i = j - 1;
  }
  return tables;
}
