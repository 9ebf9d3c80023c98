/**
 * Segmentation: which stretch of the notebook answers which (sub)question.
 *
 * Every prompt anchor of the pack and every "Part N" / "Question N" heading is a boundary. The answer to an
 * item is everything from the end of its prompt to the next boundary: the rest of the prompt cell, whole
 * cells, and the head of the cell holding the next boundary. It does not depend on answer markers, so
 * `#### Answer:`, `**Answer**`, `#Answer` and unmarked answers are all read the same way.
 */
import type { PackMatch } from '../assignment/match';
import type { PackItem, PackQuestion } from '../assignment/types';
import { foldPhrase, foldSource, type FoldedText } from '../text';
import { declineStatement, hasMarkdownAnswer, placeholderAssignments, studentCodeLines } from './answer-text';
import type { Notebook } from './types';

export type AnswerStatus = 'answered' | 'missing' | 'declined';

/** A stretch of one cell's source, as offsets [start, end). */
export interface Span {
  readonly cell: number;
  readonly start: number;
  readonly end: number;
}

export interface ItemSegment {
  readonly item: PackItem;
  readonly question: PackQuestion;
  /** Where the prompt's anchor phrase is; undefined when the prompt is not in the notebook. */
  readonly prompt?: Span;
  readonly answer: readonly Span[];
  readonly status: AnswerStatus;
  /** The sentence that declines the question, when status is 'declined'. */
  readonly declined?: string;
  /** Code cells of the answer that are still exactly the template. */
  readonly untouchedTemplate: readonly number[];
  /** Lines still assigning the placeholder `...` in code cells that do hold the student's code. */
  readonly placeholders: readonly { cell: number; line: number }[];
}

export interface Segmentation {
  readonly items: readonly ItemSegment[];
  /** "### Question N" headings by question id. */
  readonly headings: ReadonlyMap<string, Span>;
}

interface Boundary {
  readonly cell: number;
  readonly offset: number;
}

const before = (a: Boundary, b: Boundary): boolean => a.cell < b.cell || (a.cell === b.cell && a.offset < b.offset);

const HEADING = /^[ \t]{0,3}#{1,6}[ \t]*(?:(?:\*\*|__)[ \t]*)?(part|question)[ \t]+(\d+)\b.*$/gim;

export function segment(nb: Notebook, match: PackMatch): Segmentation {
  const folded = nb.cells.map((c) => (c.kind === 'markdown' ? foldSource(c) : undefined));
  const sources = nb.cells.map((c) => c.source);
  const boundaries: Boundary[] = [];
  const headings = new Map<string, Span>();

  nb.cells.forEach((cell, index) => {
    if (cell.kind !== 'markdown') return;
    for (const m of cell.source.matchAll(HEADING)) {
      const question = m[1]!.toLowerCase() === 'question';
      // A question's heading repeated after its own (an answer that starts "## Question 3") is inside its answer.
      if (question && headings.has(m[2]!)) continue;
      boundaries.push({ cell: index, offset: m.index });
      if (question) headings.set(m[2]!, { cell: index, start: m.index, end: m.index + m[0].length });
    }
  });

  // First occurrence of each item's prompt, and where the prompt text ends.
  const located = new Map<PackItem, { anchor: Span; promptEnd: number }>();
  for (const q of match.pack.questions) {
    for (const item of q.items) {
      const found = locate(item, folded, sources);
      if (found) {
        located.set(item, found);
        boundaries.push({ cell: found.anchor.cell, offset: found.anchor.start });
      }
    }
  }
  boundaries.sort((a, b) => a.cell - b.cell || a.offset - b.offset);

  const items: ItemSegment[] = [];
  for (const question of match.pack.questions) {
    for (const item of question.items) {
      if (item.answerable === false) continue;
      const where = located.get(item);
      if (!where) {
        items.push({ item, question, answer: [], status: 'missing', untouchedTemplate: [], placeholders: [] });
        continue;
      }
      const from = { cell: where.anchor.cell, offset: where.anchor.start };
      const next = boundaries.find((b) => before(from, b));
      const answer = answerSpans(nb, where.anchor.cell, where.promptEnd, next);
      items.push({ item, question, prompt: where.anchor, answer, ...judge(nb, item, match, answer) });
    }
  }
  return { items, headings };
}

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

function locate(
  item: PackItem,
  folded: readonly (FoldedText | undefined)[],
  source: readonly string[],
): { anchor: Span; promptEnd: number } | undefined {
  for (let cell = 0; cell < folded.length; cell++) {
    const f = folded[cell];
    if (!f) continue;
    for (const a of item.anchors) {
      const needle = foldPhrase(a);
      const at = f.text.indexOf(needle);
      if (at < 0) continue;
      // The prompt starts at the beginning of the anchor's line ("* Now, instead of using hard labels").
      const start = lineStart(source[cell]!, f.offsets[at]!);
      const anchorEnd = f.offsets[at + needle.length - 1]! + 1;
      let promptEnd = Number.POSITIVE_INFINITY;
      for (const e of item.promptEnds ?? []) {
        const endNeedle = foldPhrase(e);
        const endAt = f.text.indexOf(endNeedle, at);
        if (endAt >= 0) promptEnd = Math.min(promptEnd, f.offsets[endAt + endNeedle.length - 1]! + 1);
      }
      return { anchor: { cell, start, end: anchorEnd }, promptEnd };
    }
  }
  return undefined;
}

function answerSpans(nb: Notebook, cell: number, promptEnd: number, next: Boundary | undefined): Span[] {
  const spans: Span[] = [];
  const lastCell = next ? next.cell : nb.cells.length - 1;
  for (let c = cell; c <= lastCell; c++) {
    const len = nb.cells[c]!.source.length;
    const start = c === cell ? Math.min(promptEnd, len) : 0;
    const end = next && c === next.cell ? next.offset : len;
    if (end > start) spans.push({ cell: c, start, end });
  }
  return spans;
}

function judge(
  nb: Notebook,
  item: PackItem,
  match: PackMatch,
  answer: readonly Span[],
): Pick<ItemSegment, 'status' | 'declined' | 'untouchedTemplate' | 'placeholders'> {
  const templates = item.template
    ? match.release
      ? [item.template[match.release.id] ?? '']
      : Object.values(item.template)
    : [];
  let prose = '';
  let answered = false;
  const untouchedTemplate: number[] = [];
  const placeholders: { cell: number; line: number }[] = [];
  for (const span of answer) {
    const cell = nb.cells[span.cell]!;
    const text = cell.source.slice(span.start, span.end);
    if (cell.kind === 'code') {
      if (studentCodeLines(text, templates).length > 0) {
        answered = true;
        if (templates.length > 0) {
          for (const line of placeholderAssignments(text)) placeholders.push({ cell: span.cell, line });
        }
      } else if (templates.length > 0 && text.includes('...')) {
        untouchedTemplate.push(span.cell);
      }
    } else {
      prose += `${text}\n`;
      if (hasMarkdownAnswer(text)) answered = true;
    }
  }
  const declined = declineStatement(prose, item.id);
  if (declined && prose.trim().length < 400) {
    return { status: 'declined', declined, untouchedTemplate, placeholders };
  }
  return { status: answered ? 'answered' : 'missing', untouchedTemplate, placeholders };
}
