import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkNotebook, type NotebookReport } from '../src/core/check';
import { parseNotebook, readNotebook } from '../src/core/notebook/reader';
import type { Notebook } from '../src/core/notebook/types';

export const ROOT = resolve(__dirname, '..', '..');
export const EXAMPLES = join(ROOT, 'examples');
export const SEED_EXAMPLE = join(EXAMPLES, 'seed-final-project-theory.ipynb');
export const REVISED_EXAMPLE = join(EXAMPLES, 'sample-answers-revised.ipynb');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
export const HAVE_CORPUS = existsSync(CORPUS);
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface RawCell {
  cell_type: 'markdown' | 'code' | 'raw';
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  attachments?: Record<string, unknown>;
}

export const md = (source: string): RawCell => ({ cell_type: 'markdown', source, metadata: {} });
export const code = (source: string, outputs: unknown[] = []): RawCell => ({ cell_type: 'code', source, metadata: {}, outputs });

export function notebookOf(cells: RawCell[], path = join(EXAMPLES, 'test.ipynb')): Notebook {
  return parseNotebook(JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }), path);
}

export const check = (cells: RawCell[], path?: string): NotebookReport => checkNotebook(notebookOf(cells, path));

/** The raw cells of an example notebook, to edit in a test. */
export function exampleCells(path = SEED_EXAMPLE): RawCell[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { cells: RawCell[] }).cells;
}

export const srcOf = (c: RawCell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);

let seedSegmentation: NotebookReport['segmentation'] | undefined;
/**
 * The seed example with `text` as the whole answer to `item` (in place of its markdown answer, or after its prompt):
 * the check's misconception findings on that answer, with the answer's lines.
 */
export function misconceptionsOn(item: string, text: string): { findings: NotebookReport['findings']; lines: string[] } {
  const base = exampleCells();
  seedSegmentation ??= check(base).segmentation;
  const cells: RawCell[] = exampleCells();
  const s = seedSegmentation?.items.find((i) => i.item.id === item);
  let at = s?.answer.find((a) => base[a.cell]?.cell_type === 'markdown')?.cell;
  if (at === undefined) {
    at = (s?.prompt?.cell ?? 0) + 1;
    cells.splice(at, 0, md(`#### Answer:\n${text}`));
  } else cells[at] = md(`#### Answer:\n${text}`);
  const cell = at;
  return { findings: check(cells).findings.filter((f) => f.code === 'prose.misconception' && f.cell === cell), lines: srcOf(cells[cell] as RawCell).split('\n') };
}

export const statusTable = (r: NotebookReport): Record<string, string> =>
  Object.fromEntries(r.questions.flatMap((q) => [[q.id, q.status], ...q.parts.map((p) => [p.id, p.status])]));

export const codes = (r: NotebookReport): string[] => r.findings.map((f) => f.code);

/** A seeded generator (an LCG): the same "random" edits on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export { readNotebook, checkNotebook };
