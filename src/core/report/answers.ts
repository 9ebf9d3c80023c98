/**
 * What the exam panel shows of a notebook: each question's answer text cut into plain text and math, and
 * the TeX macros the notebook defines (so the panel's KaTeX renders as the notebook does).
 */
import { BUILTIN_PACKS, matchPack } from '../assignment/match';
import type { AssignmentPack } from '../assignment/types';
import { extractMath } from '../math/extract';
import { findDefinitions } from '../math/macros';
import { segment } from '../notebook/segment';
import type { Notebook } from '../notebook/types';

export type AnswerPiece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'math'; readonly tex: string; readonly display: boolean };

export interface AnswerCell {
  readonly cell: number;
  readonly kind: 'markdown' | 'code';
  readonly pieces: readonly AnswerPiece[];
}

/** Text with its math segments separated (code cells stay text). */
export function pieces(text: string, kind: 'markdown' | 'code'): AnswerPiece[] {
  if (kind === 'code') return [{ kind: 'text', text }];
  const out: AnswerPiece[] = [];
  let at = 0;
  for (const s of extractMath(text).segments) {
    if (s.start > at) out.push({ kind: 'text', text: text.slice(at, s.start) });
    out.push({ kind: 'math', tex: text.slice(s.texStart, s.texEnd), display: s.display });
    at = s.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** The answer of each question (by question id: "1", "6"), in notebook order; parts are merged. */
export function answersByQuestion(nb: Notebook, packs: readonly AssignmentPack[] = BUILTIN_PACKS): Map<string, AnswerCell[]> {
  const out = new Map<string, AnswerCell[]>();
  const match = matchPack(nb, packs);
  if (!match) return out;
  for (const item of segment(nb, match).items) {
    const list = out.get(item.question.id) ?? [];
    for (const span of item.answer) {
      const cell = nb.cells[span.cell];
      if (!cell || cell.kind === 'raw') continue;
      const text = cell.source.slice(span.start, span.end).trim();
      if (text) list.push({ cell: span.cell, kind: cell.kind, pieces: pieces(text, cell.kind) });
    }
    out.set(item.question.id, list);
  }
  return out;
}

/**
 * The cell to show for each question (by id): its first answer cell, else its heading's ("### Question 6",
 * where a missing answer is reported), else its prompt's.
 */
export function questionCells(nb: Notebook, packs: readonly AssignmentPack[] = BUILTIN_PACKS): Map<string, number> {
  const out = new Map<string, number>();
  const match = matchPack(nb, packs);
  if (!match) return out;
  const seg = segment(nb, match);
  const answered = new Set<string>();
  for (const item of seg.items) {
    const id = item.question.id;
    const answer = item.answer.find((s) => nb.cells[s.cell]?.source.slice(s.start, s.end).trim())?.cell;
    if (answer !== undefined && !answered.has(id)) {
      out.set(id, answer);
      answered.add(id);
    } else if (!out.has(id)) {
      const at = seg.headings.get(id)?.cell ?? item.prompt?.cell;
      if (at !== undefined) out.set(id, at);
    }
  }
  return out;
}

/** `\newcommand`-style definitions anywhere in the notebook's math, as KaTeX macros. */
export function notebookMacros(nb: Notebook): Record<string, string> {
  const macros: Record<string, string> = {};
  for (const cell of nb.cells) {
    if (cell.kind !== 'markdown') continue;
    for (const s of extractMath(cell.source).segments) {
      for (const d of findDefinitions(cell.source.slice(s.texStart, s.texEnd))) macros[d.name] = d.expansion;
    }
  }
  return macros;
}
