/** Where a position inside a cell's source sits in the `.ipynb` file itself (1-based line and column). */
import { lineColumn, rawOffsetOf } from '../notebook/json';
import type { Notebook } from '../notebook/types';
import { LineIndex, type Position } from '../text';

export function filePosition(nb: Notebook, cell: number, pos: Position): { line: number; column: number } | undefined {
  const c = nb.cells[cell];
  if (!c) return undefined;
  let offset = new LineIndex(c.source).offset(pos);
  // Walk the pieces of a list `source` to the one holding the offset.
  for (let k = 0; k < c.sourceSpans.length; k++) {
    const span = c.sourceSpans[k];
    if (!span) return undefined;
    const length = decodedLength(span.raw);
    if (offset < length || k === c.sourceSpans.length - 1) return lineColumn(nb.text, rawOffsetOf(span, Math.min(offset, length)));
    offset -= length;
  }
  return undefined;
}

function decodedLength(raw: string): number {
  let n = 0;
  for (let k = 1; k < raw.length - 1; k++) {
    if (raw[k] === '\\') k += raw[k + 1] === 'u' ? 5 : 1;
    n++;
  }
  return n;
}
