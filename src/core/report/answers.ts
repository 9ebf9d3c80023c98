/**
 * What the exam panel shows of a notebook: each question's answer text cut into plain text and math, and
 * the TeX macros the notebook defines (so the panel's KaTeX renders as the notebook does).
 */
import { matchPack } from '../assignment/match';
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
export function answersByQuestion(nb: Notebook): Map<string, AnswerCell[]> {
  const out = new Map<string, AnswerCell[]>();
  const match = matchPack(nb);
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
