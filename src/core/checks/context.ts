import { dirname } from 'node:path';
import type { PackMatch } from '../assignment/match';
import type { QuestionReport } from '../assignment/status';
import type { Finding } from '../findings';
import type { Segmentation, Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { LineIndex, type Range } from '../text';
import type { CheckCache } from './cache';

/** What every check receives: the notebook, the matched pack (if any), and position helpers. */
export class CheckContext {
  private readonly indexes = new Map<number, LineIndex>();

  constructor(
    readonly nb: Notebook,
    readonly match: PackMatch | undefined,
    readonly seg: Segmentation | undefined,
    readonly questions: readonly QuestionReport[],
    private readonly cache?: CheckCache,
  ) {}

  /** `compute()`, or its result from the last check when `key` (a cell's text, usually) is unchanged. */
  memo<T>(kind: string, key: string, compute: () => T): T {
    return this.cache ? this.cache.memo(kind, key, compute) : compute();
  }

  get notebookDir(): string {
    return dirname(this.nb.path);
  }

  lines(cell: number): LineIndex {
    let idx = this.indexes.get(cell);
    if (!idx) {
      idx = new LineIndex(this.nb.cells[cell]!.source);
      this.indexes.set(cell, idx);
    }
    return idx;
  }

  range(cell: number, start: number, end: number): Range {
    return this.lines(cell).range(start, end);
  }

  /** The first line of a span, as a range (for findings that point at a prompt or heading). */
  firstLineOf(span: Span): Range {
    const idx = this.lines(span.cell);
    const start = idx.position(span.start);
    const lineEnd = idx.lineText(start.line).length;
    const end = idx.position(Math.min(span.end, idx.offset({ line: start.line, character: lineEnd })));
    return { start, end };
  }

  /** The id of the item whose prompt or answer holds this offset of this cell. */
  questionAt(cell: number, offset: number): string | undefined {
    const inside = (s: Span): boolean => s.cell === cell && offset >= s.start && offset < s.end;
    for (const item of this.seg?.items ?? []) {
      if (item.answer.some(inside)) return item.item.id;
    }
    for (const item of this.seg?.items ?? []) {
      if (item.prompt && item.prompt.cell === cell) return item.item.id;
    }
    return undefined;
  }
}

export type Check = (ctx: CheckContext) => Finding[];
