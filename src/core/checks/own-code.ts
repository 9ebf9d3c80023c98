/**
 * What the answer's own exercise code does, read statically, for the written claims that depend on it: how
 * its loss reduces over the batch (a mean or a sum). A claim about the gradient's or the learning rate's
 * scale with the batch is judged against the loss the answer itself computes, beside the course's ruling.
 */
import type { Segmentation } from '../notebook/segment';
import type { Notebook } from '../notebook/types';

export interface LossReduction {
  readonly kind: 'mean' | 'sum';
  readonly cell: number;
  /** 0-based line of the code that reduces. */
  readonly line: number;
  /** That line, trimmed (for messages). */
  readonly text: string;
}

const MEAN = /\.mean\s*\(|\btorch\.mean\s*\(|\breduction\s*=\s*['"]mean['"]|\/\s*(?:len\s*\(|\w+\.(?:shape|size)\s*(?:\[\s*0\s*\]|\(\s*0?\s*\))|B\b|N\b|n\b|batch_size\b|bs\b)|\b(?:F|nn\.functional|torch\.nn\.functional)\.(?:cross_entropy|nll_loss)\s*\((?![^)]*reduction\s*=\s*['"]sum)|\bnn\.(?:CrossEntropyLoss|NLLLoss)\s*\(\s*\)/;
const SUM = /\.sum\s*\(|\btorch\.sum\s*\(|\breduction\s*=\s*['"]sum['"]/;

/** The reduction of the loss the answer's code for `item` computes, when its code says. */
export function lossReduction(nb: Notebook, seg: Segmentation | undefined, item: string): LossReduction | undefined {
  const answer = seg?.items.find((i) => i.item.id === item && i.status === 'answered');
  if (!answer) return undefined;
  let sum: LossReduction | undefined;
  for (const span of answer.answer) {
    const cell = nb.cells[span.cell];
    if (!cell || cell.kind !== 'code') continue;
    const lines = cell.source.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const code = (lines[i] ?? '').replace(/#.*$/, '');
      if (MEAN.test(code)) return { kind: 'mean', cell: span.cell, line: i, text: code.trim() };
      if (!sum && SUM.test(code)) sum = { kind: 'sum', cell: span.cell, line: i, text: code.trim() };
    }
  }
  return sum;
}

/** A sentence for a message: what the answer's own loss does with the batch, and what follows for the claim. */
export function reductionNote(r: LossReduction | undefined): string {
  if (!r) return '';
  const where = `cell ${r.cell}, line ${r.line + 1}`;
  return r.kind === 'mean'
    ? ` Your own loss averages over the batch (\`${short(r.text)}\`, ${where}), so this holds for it too.`
    : ` Your own loss sums over the batch (\`${short(r.text)}\`, ${where}), for which this is consistent; but the course's loss is the mean over the batch.`;
}

const short = (s: string): string => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
