/**
 * What the answer's own exercise code does, read statically, for the written claims that depend on it: how
 * its loss reduces over the batch (a mean or a sum), and how it holds the labels (class indices it selects with,
 * or a distribution it multiplies with). A claim about the gradient's or the learning rate's scale with the
 * batch is judged against the loss the answer itself computes, beside the course's ruling; a claim of what
 * grows with soft labels names the answer's own use of y.
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

const MEAN = /\.mean\s*\(|\btorch\.mean\s*\(|\breduction\s*=\s*['"]mean['"]|\/\s*(?:len\s*\(|\w+\.(?:shape|size)\s*(?:\[\s*0\s*\]|\(\s*(?:0\s*)?\))|B\b|N\b|n\b|batch_size\b|bs\b)|\b(?:F|nn\.functional|torch\.nn\.functional)\.(?:cross_entropy|nll_loss)\s*\((?![^)]*reduction\s*=\s*['"]sum)|\bnn\.(?:CrossEntropyLoss|NLLLoss)\s*\(\s*\)/;
const SUM = /\.sum\s*\(|\btorch\.sum\s*\(|\breduction\s*=\s*['"]sum['"]/;

/** A line of code without its `#` comment (as the check reads it: a `#` inside a string counts too). */
function withoutComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

/** The code lines of `item`'s answer, comments removed. */
function* codeLines(nb: Notebook, seg: Segmentation | undefined, item: string): Generator<{ cell: number; line: number; code: string }> {
  const answer = seg?.items.find((i) => i.item.id === item && i.status === 'answered');
  for (const span of answer?.answer ?? []) {
    const cell = nb.cells[span.cell];
    if (!cell || cell.kind !== 'code') continue;
    const lines = cell.source.split('\n');
    for (let i = 0; i < lines.length; i++) yield { cell: span.cell, line: i, code: withoutComment(lines[i] ?? '') };
  }
}

/** The reduction of the loss the answer's code for `item` computes, when its code says. */
export function lossReduction(nb: Notebook, seg: Segmentation | undefined, item: string): LossReduction | undefined {
  let sum: LossReduction | undefined;
  for (const { cell, line, code } of codeLines(nb, seg, item)) {
    if (MEAN.test(code)) return { kind: 'mean', cell, line, text: code.trim() };
    if (!sum && SUM.test(code)) sum = { kind: 'sum', cell, line, text: code.trim() };
  }
  return sum;
}

/**
 * How the answer's own code uses the labels: as class indices it selects with (the hard-label loss), or as a
 * distribution it multiplies the log-probabilities with (soft labels).
 */
export interface LabelUse {
  readonly kind: 'indices' | 'distribution';
  readonly cell: number;
  /** 0-based line of the code. */
  readonly line: number;
  readonly text: string;
  /** Bytes per entry of a distribution whose dtype the code names (float64: 8, float16: 2); else float32's 4. */
  readonly bytes: number;
}

const SELECT = /\b(?:gather|index_select|take_along_dim|nll_loss|cross_entropy)\s*\(|\[\s*(?:torch\.)?(?:arange|range)\s*\([^\]]*\)\s*,\s*\w+\s*\]/;
const LABEL = String.raw`(?:y|labels?|targets?|q|y_\w+|soft_\w+)`;
const MULTIPLY = new RegExp(String.raw`\b${LABEL}\s*\*(?!\*)|(?<!\*)\*\s*${LABEL}\b|\bmul\s*\(\s*${LABEL}\b|\.mul\s*\(\s*${LABEL}\b`);

/** Where the code of `item` uses the labels as `kind` says (the first such line). */
export function labelUse(nb: Notebook, seg: Segmentation | undefined, item: string, kind: LabelUse['kind']): LabelUse | undefined {
  let use: { cell: number; line: number; code: string } | undefined;
  let bytes = 4;
  for (const l of codeLines(nb, seg, item)) {
    if (!use && (kind === 'indices' ? SELECT : MULTIPLY).test(l.code)) use = l;
    if (/float64|\.double\s*\(|torch\.double\b/.test(l.code)) bytes = 8;
    else if (/float16|bfloat16|\.half\s*\(/.test(l.code)) bytes = 2;
  }
  return use && { kind, cell: use.cell, line: use.line, text: use.code.trim(), bytes: kind === 'indices' ? 8 : bytes };
}

/** A sentence for a message: how the answer's own code holds the labels. */
export function labelNote(u: LabelUse | undefined): string {
  if (!u) return '';
  const where = `\`${short(u.text)}\`, cell ${u.cell}, line ${u.line + 1}`;
  return u.kind === 'indices'
    ? ` Your own code selects with the labels as class indices (${where}): B int64 values.`
    : ` Your soft-label code multiplies the labels with the log-probabilities (${where}), so they are B × C there.`;
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
