/**
 * Linear scanners for the markdown shapes the checks look for, where a regular expression would backtrack over
 * a long run of markup: a backtick run with no closer, `![a](![a](…`, `<<<…` or `<img src="<img …` on one
 * line each made the regex try every start against the rest of the text (seconds at 10^4 characters). Each
 * scanner here reads the text a bounded number of times.
 */

/** For each position i, the first index ≥ i holding one of `chars` (text.length when none): one pass from the end. */
export function nextOfTable(text: string, chars: string): Int32Array {
  const next = new Int32Array(text.length + 1);
  next[text.length] = text.length;
  for (let i = text.length - 1; i >= 0; i--) next[i] = chars.includes(text[i] as string) ? i : (next[i + 1] as number);
  return next;
}

/**
 * The code spans of CommonMark: a run of n backticks up to the next run of exactly n (not across a blank line);
 * a run with no closer is literal text. Spans are [start, end) with the backticks included.
 */
export function codeSpans(text: string): [number, number][] {
  // Every run of backticks, by position; for each length, the runs of that length in order.
  const runs: [number, number][] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] !== '`') {
      const j = text.indexOf('`', i);
      if (j < 0) break;
      i = j;
      continue;
    }
    let j = i;
    while (text[j] === '`') j++;
    runs.push([i, j - i]);
    i = j;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach(([, n], k) => {
    const list = byLength.get(n);
    if (list) list.push(k);
    else byLength.set(n, [k]);
  });
  const cursor = new Map<number, number>();
  const blank = nextBlankLine(text);
  const out: [number, number][] = [];
  let after = 0;
  for (let k = 0; k < runs.length; k++) {
    const [start, n] = runs[k] as [number, number];
    if (start < after) continue;
    const list = byLength.get(n) as number[];
    let c = cursor.get(n) ?? 0;
    while (c < list.length && (list[c] as number) <= k) c++;
    cursor.set(n, c);
    const closer = list[c];
    if (closer === undefined) continue;
    const [cStart] = runs[closer] as [number, number];
    // A blank line ends the paragraph, and the span with it.
    if ((blank[start] as number) < cStart) continue;
    out.push([start, cStart + n]);
    after = cStart + n;
  }
  return out;
}

/** For each position, where the next blank line (a newline, spaces, a newline) starts, or text.length. */
function nextBlankLine(text: string): Int32Array {
  const next = new Int32Array(text.length + 1);
  next[text.length] = text.length;
  let blankAt = text.length;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === '\n') {
      let j = i + 1;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (text[j] === '\n') blankAt = i;
    }
    next[i] = blankAt;
  }
  return next;
}

/**
 * HTML tags as `<[^>\n]*>` finds them (`withinLine`), or as `<name\b[^>]*>` does for a tag name: the spans
 * [start, end), left to right, each a match the regular expression would give, found in linear time.
 */
export function htmlTags(text: string, options: { readonly withinLine?: boolean; readonly name?: string } = {}): [number, number][] {
  const stop = nextOfTable(text, options.withinLine ? '>\n' : '>');
  const name = options.name?.toLowerCase();
  const out: [number, number][] = [];
  for (let i = text.indexOf('<'); i >= 0 && i < text.length; i = text.indexOf('<', i)) {
    if (name) {
      const after = text.slice(i + 1, i + 1 + name.length).toLowerCase();
      const boundary = text[i + 1 + name.length];
      if (after !== name || (boundary !== undefined && /\w/.test(boundary))) {
        i++;
        continue;
      }
    }
    const end = stop[i + 1] as number;
    if (end < text.length && text[end] === '>') {
      out.push([i, end + 1]);
      i = end + 1;
    } else i++;
  }
  return out;
}

/**
 * Markdown images `![alt](target)`: alt without `]`, target without `)` (`withinLine`: neither across a newline),
 * as `!\[[^\]]*\]\([^)]*\)` finds them, in linear time.
 */
export function markdownImages(text: string, options: { readonly withinLine?: boolean } = {}): [number, number][] {
  const altEnd = nextOfTable(text, options.withinLine ? ']\n' : ']');
  const targetEnd = nextOfTable(text, options.withinLine ? ')\n' : ')');
  const out: [number, number][] = [];
  for (let i = text.indexOf('!['); i >= 0; i = text.indexOf('![', i)) {
    const close = altEnd[i + 2] as number;
    if (text[close] === ']' && text[close + 1] === '(') {
      const end = targetEnd[close + 2] as number;
      if (text[end] === ')') {
        out.push([i, end + 1]);
        i = end + 1;
        continue;
      }
    }
    i += 1;
  }
  return out;
}

/** `text` with each span replaced (spans in order, not overlapping), built in one pass. */
export function replaceSpans(text: string, spans: readonly [number, number][], by: (s: string, index: number) => string): string {
  if (!spans.length) return text;
  const parts: string[] = [];
  let at = 0;
  spans.forEach(([s, e], i) => {
    parts.push(text.slice(at, s), by(text.slice(s, e), i));
    at = e;
  });
  parts.push(text.slice(at));
  return parts.join('');
}

/** Whether `c` ends a line as a JavaScript `$` (multiline) sees it. */
const isLineEnd = (c: string | undefined): boolean => c === undefined || c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * Fenced code blocks: a line of 3 or more backticks or tildes (after any indentation) opens one, up to the
 * first later line made of the same fence, optionally more fence characters, and spaces; or to the end of the
 * text when none closes it. An opening line needs a line after it. One pass over the lines: a line of 20,000
 * backticks with no line break after it used to cost the regular expression a scan of the rest per backtick.
 */
export function fencedBlocks(text: string): [number, number][] {
  const out: [number, number][] = [];
  let k = 0;
  while (k < text.length) {
    const nl = text.indexOf('\n', k);
    const lineEnd = nl < 0 ? text.length : nl;
    let i = k;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
    const ch = text[i];
    let j = i;
    if (ch === '`' || ch === '~') while (j < lineEnd && text[j] === ch) j++;
    if (j - i < 3 || nl < 0) {
      k = lineEnd + 1;
      continue;
    }
    const fence = text.slice(i, j);
    let end = text.length;
    for (let m = lineEnd + 1; m < text.length; ) {
      const next = text.indexOf('\n', m);
      const e = next < 0 ? text.length : next;
      let p = m;
      while (p < e && (text[p] === ' ' || text[p] === '\t')) p++;
      if (text.startsWith(fence, p)) {
        p += fence.length;
        while (p < e && (text[p] === '`' || text[p] === '~')) p++;
        while (p < e && (text[p] === ' ' || text[p] === '\t')) p++;
        if (isLineEnd(text[p])) {
          end = p;
          break;
        }
      }
      if (next < 0) break;
      m = next + 1;
    }
    out.push([k, end]);
    k = end + 1;
  }
  return out;
}
