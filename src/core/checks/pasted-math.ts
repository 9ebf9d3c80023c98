/**
 * Math copied from a rendered web page (a chat assistant's answer, a blog): the copy keeps the MathML's
 * text, one symbol per line, loses the characters the font drew from private code points (U+FFFD), and
 * often repeats the formula as plain text after it. None of it renders as math.
 */
import type { Finding } from '../findings';
import { maskCode } from '../notebook/markdown';
import type { Check } from './context';
import { ownWorkRule } from './integrity';

const REPLACEMENT = '\uFFFD';
/** A line that is one math symbol: an operator, a bracket, a bar. */
const SYMBOL_LINE = /^[=+\-−–×·*/^_()[\]{}|∣‖∑∏∫√<>≤≥≈∼~,.:;!′'∂∇]$/u;
/** At most this many lines of ordinary text may separate two pieces of one pasted region. */
const GAP = 12;
/** Invisible characters MathML text carries (zero-width space, function application, ...). */
const INVISIBLE = /[\u200b-\u200d\u2060-\u2064\ufeff]/g;
const MIN_SHORT_RUN = 6;

interface Region {
  first: number;
  last: number;
  replacements: number;
  shortLines: number;
  symbolLines: number;
  repeated: number;
}

export const pastedMathCheck: Check = (ctx) => {
  const findings: Finding[] = [];
  const rule = ownWorkRule(ctx);
  for (const cell of ctx.nb.cells) {
    if (cell.kind !== 'markdown') continue;
    const found = ctx.memo('math.pasted', cell.source, () => regions(maskCode(cell.source).split('\n')));
    for (const r of found) {
      const idx = ctx.lines(cell.index);
      const range = { start: { line: r.first, character: 0 }, end: { line: r.last, character: idx.lineText(r.last).length } };
      findings.push({
        code: 'math.pasted-render',
        severity: 'warning',
        question: ctx.questionAt(cell.index, idx.offset(range.start)),
        cell: cell.index,
        range,
        message: describe(r),
        // That it also suggests text taken from elsewhere is for graders (an integrity signal).
        ...(rule ? { graderNote: `Math copied from a rendered page also suggests text taken from elsewhere, and the notebook says: "${rule}" — a signal for a reader, not proof.` } : {}),
      });
    }
  }
  return findings;
};

function describe(r: Region): string {
  const what: string[] = [];
  if (r.replacements) what.push(`${r.replacements} symbol${r.replacements === 1 ? ' was' : 's were'} lost (shown as U+FFFD "${REPLACEMENT}")`);
  if (r.shortLines) what.push(`${r.shortLines} lines hold a single symbol or a fragment each`);
  if (r.repeated) what.push('formulas are repeated as plain text');
  return (
    `Lines ${r.first + 1}–${r.last + 1} look like math copied from a rendered web page: ${what.join(', ')}. ` +
    'It will not render as math and a grader cannot read it; write the formulas in LaTeX between $…$, ' +
    'e.g. $\\mathcal{L}_{\\text{recon}} = \\lVert x - \\hat{x} \\rVert^2$.'
  );
}

function regions(lines: readonly string[]): Region[] {
  // A fragment: a symbol, a subscript, a word of a formula on its own line.
  const isShort = (l: string): boolean => {
    const t = l.replace(INVISIBLE, '').trim();
    return (t.length > 0 && t.length <= 3) || (t.length > 0 && t.length <= 16 && !/\s/.test(t)) || (t === '' && l.trim() !== '');
  };
  // Mark lines that belong to a pasted render: U+FFFD anywhere, or inside a long run of short lines.
  const marked = lines.map((l) => l.includes(REPLACEMENT));
  let runStart = -1;
  let runShort = 0;
  let runSymbols = 0;
  const closeRun = (end: number): void => {
    if (runStart >= 0 && runShort >= MIN_SHORT_RUN && runSymbols >= 2) {
      for (let k = runStart; k < end; k++) if (lines[k]!.trim() !== '') marked[k] = true;
    }
    runStart = -1;
    runShort = 0;
    runSymbols = 0;
  };
  lines.forEach((l, k) => {
    if (l.trim() === '' && runStart >= 0) return; // blank lines do not end a run (invisible-only lines are fragments)
    if (isShort(l)) {
      if (runStart < 0) runStart = k;
      runShort++;
      if (SYMBOL_LINE.test(l.trim())) runSymbols++;
    } else {
      closeRun(k);
    }
  });
  closeRun(lines.length);

  const out: Region[] = [];
  let cur: Region | undefined;
  lines.forEach((l, k) => {
    if (!marked[k]) return;
    if (!cur || k - cur.last > GAP + 1) {
      cur = { first: k, last: k, replacements: 0, shortLines: 0, symbolLines: 0, repeated: 0 };
      out.push(cur);
    }
    cur.last = k;
  });
  for (const r of out) {
    for (let k = r.first; k <= r.last; k++) {
      const t = lines[k]!.trim();
      r.replacements += [...t].filter((c) => c === REPLACEMENT).length;
      if (isShort(lines[k]!)) r.shortLines++;
      if (SYMBOL_LINE.test(t)) r.symbolLines++;
    }
    r.repeated = repeatedLines(lines, r);
  }
  return out;
}

/** Lines that occur twice in a row in or just after the region (the plain-text copy after the rendered one). */
function repeatedLines(lines: readonly string[], r: Region): number {
  let n = 0;
  for (let k = Math.max(r.first, 1); k <= r.last + GAP && k < lines.length; k++) {
    const t = lines[k]!.trim();
    if (t.length >= 8 && t === lines[k - 1]!.trim()) n++;
  }
  return n;
}
