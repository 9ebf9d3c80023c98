/**
 * The equations an answer writes: its markdown math, one piece per line of an aligned block or between
 * `\quad` and semicolons, each with its place in the cell; and `a = b = c` read back as [a, b, c].
 */
import type { Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { head, operands, type MathJson } from './compute-engine';
import { extractMath } from './extract';

export interface WrittenEquation {
  readonly cell: number;
  /** Offsets in the cell's source of the piece, surrounding spaces left out. */
  readonly start: number;
  readonly end: number;
  readonly tex: string;
}

/**
 * Every equation piece of the math inside the answer's markdown spans. With `keepMatrices`, a `\\` inside a
 * matrix environment (`\begin{pmatrix} a \\ b \end{pmatrix}`, a column vector) ends no piece.
 */
/**
 * A formula piece without the punctuation closing it: spaces, `,` `.` and the spacing commands `\,` `\;` `\!`
 * `\:` at its end. Scanned from the end (a trailing-run regular expression is quadratic on a long run that
 * is not at the end).
 */
export function withoutClosingPunctuation(tex: string): string {
  let end = tex.length;
  for (;;) {
    const c = tex[end - 1];
    if (c === undefined) break;
    if (/[,;!:]/.test(c) && tex[end - 2] === '\\') end -= 2;
    else if (c === ',' || c === '.' || /\s/.test(c)) end -= 1;
    else break;
  }
  return tex.slice(0, end);
}

export function answerEquations(nb: Notebook, spans: readonly Span[], options: { keepMatrices?: boolean } = {}): WrittenEquation[] {
  const out: WrittenEquation[] = [];
  for (const span of spans) {
    const cell = nb.cells[span.cell];
    if (!cell || cell.kind !== 'markdown') continue;
    for (const m of extractMath(cell.source).segments) {
      if (m.start < span.start || m.end > span.end) continue;
      const tex = cell.source.slice(m.texStart, m.texEnd);
      let from = 0;
      const push = (to: number): void => {
        // Punctuation closing a piece ("… ≈ 0.4783,\\qquad …", "… = 4.") is the sentence's, not the formula's.
        const piece = withoutClosingPunctuation(tex.slice(from, to));
        const start = m.texStart + from + (piece.length - piece.trimStart().length);
        out.push({ cell: span.cell, start, end: m.texStart + from + piece.trimEnd().length, tex: piece.trim() });
      };
      const matrices = options.keepMatrices ? [...tex.matchAll(/\\begin\{([pbBvV]?matrix)\}[\s\S]*?\\end\{\1\}/g)].map((x) => [x.index, x.index + x[0].length] as const) : [];
      for (const cut of tex.matchAll(/\\\\|\\q?quad\b|(?<!\\);/g)) {
        if (matrices.some(([a, b]) => (cut.index ?? 0) > a && (cut.index ?? 0) < b)) continue;
        push(cut.index ?? 0);
        from = (cut.index ?? 0) + cut[0].length;
      }
      push(tex.length);
    }
  }
  return out;
}

/** `a = b = c` (parsed as nested relations of the given kinds) as [a, b, c]. */
export function equalityChain(e: MathJson, relations: readonly string[]): MathJson[] {
  const h = head(e);
  return h !== undefined && relations.includes(h) ? operands(e).flatMap((o) => equalityChain(o, relations)) : [e];
}
