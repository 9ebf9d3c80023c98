/**
 * Claims with numbers or relations, read from math and code comments as well as words, and judged against
 * what the answer itself does:
 * - the learning rate (and the gradient) for a doubled batch written as a formula (`\eta_{new} = \eta \cdot \frac{B}{2B}`,
 *   `\eta' = \eta/2`, `\eta \propto \frac{1}{B}`): the factor it gives is read by evaluating the formula with
 *   the old batch 1 and the new one 2; a factor below 1 is the catalogue's "decrease the learning rate" claim;
 * - every node count the answer states for its graph (digits or words, in text or in a code comment): two
 *   different counts in one answer are a warning, naming both.
 */
import type { PackMisconception } from '../assignment/types';
import type { Finding } from '../findings';
import { freeSymbols, head, operands, parseLatex, valueAt, type MathJson } from '../math/compute-engine';
import { answerEquations } from '../math/equations';
import type { Check, CheckContext } from './context';
import { lossReduction, reductionNote } from './own-code';

const LR = /(\\(?:tilde|hat|bar|widetilde|overline)\s*(?:\{\s*)?)?(\\eta|\\alpha|\\text\s*\{\s*lr\s*\}|\\mathrm\s*\{\s*lr\s*\}|(?<![A-Za-z\\])lr(?![A-Za-z])|(?<![A-Za-z\\])LR(?![A-Za-z]))\s*(?:(\})\s*)?((?:_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\w)|\^\s*(?:\{[^{}]*\}|\*|\\prime)|'|\*)*)/g;
const BATCH = /(?<![A-Za-z\\])(B|N|b|m|BS|\|B\|)(?![A-Za-z])\s*((?:_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\w)|'|\*)*)/g;
/** A subscript, prime or decoration that marks the new (doubled-batch) quantity. */
const NEW = /new|2|'|\*|prime|tilde|hat|widetilde|big|large|doubl|after|next/i;

/** A gradient written as math: `\nabla L`, `\nabla_\theta \mathcal{L}_{2B}`, `g_{new}`, `g'` (with what marks it new). */
const GRAD = /(\\(?:tilde|hat|bar)\s*(?:\{\s*)?)?(\\nabla(?:\s*_\s*(?:\{[^{}]*\}|\\?\w+))?(?:\s*(?:\\mathcal\s*\{\s*L\s*\}|L|J|\\ell))?|(?<![A-Za-z\\])g(?![A-Za-z]))\s*(?:(\})\s*)?((?:_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\w)|\^\s*(?:\{[^{}]*\}|\*|\\prime)|'|\*|\(\s*2\s*B\s*\)|\(\s*B\s*\))*)/g;

/** The formula's factor on the learning rate when the batch doubles, or undefined when it is not such a formula. */
export function learningRateFactor(tex: string): number | undefined {
  return scaleFactor(tex, LR);
}

/** The formula's factor on the gradient when the batch doubles (`\nabla L_{2B} = 2 \nabla L_B` → 2). */
export function gradientFactor(tex: string): number | undefined {
  return scaleFactor(tex, GRAD);
}

function scaleFactor(tex: string, quantity: RegExp): number | undefined {
  let lrNew = false;
  let lrOld = false;
  let batch = false;
  const marked = (decoration: string | undefined, tail: string): boolean => NEW.test(`${decoration ?? ''}${tail.replace(/\\text|\\mathrm/g, '')}`);
  let t = tex.replace(new RegExp(quantity.source, 'g'), (_m, deco: string | undefined, _name: string, close: string | undefined, tail: string) => {
    const isNew = marked(deco, tail);
    if (isNew) lrNew = true;
    else lrOld = true;
    // A closing brace is the decoration's (`\tilde{\eta}`), else the formula's own (`\frac{\eta}{2}`).
    return ` \\mathrm{${isNew ? 'Lnew' : 'Lold'}} ${close && !deco ? `}${tail}` : ''}`;
  });
  t = t.replace(BATCH, (_m, _name: string, tail: string) => {
    batch = true;
    return ` \\mathrm{${NEW.test(tail) ? 'Bnew' : 'Bold'}} `;
  });
  if (!lrNew && !lrOld) return undefined;
  const prop = /\\propto|∝/.exec(t);
  let parsed: MathJson;
  try {
    if (prop) {
      // `\eta \propto \frac{1}{B}`: the factor is the right side at the new batch over the old.
      if (!batch) return undefined;
      const rhs = parseLatex(t.slice(prop.index + prop[0].length));
      const at = (b: number): number => valueAt(rhs, { Bold: b, Bnew: b });
      const f = at(2) / at(1);
      return Number.isFinite(f) ? f : undefined;
    }
    parsed = parseLatex(t);
  } catch {
    return undefined;
  }
  if (head(parsed) !== 'Equal' || operands(parsed).length !== 2) return undefined;
  const [lhs, rhs] = operands(parsed) as [MathJson, MathJson];
  // `\eta_{new} = …` (or `\eta = \eta / 2`, the same symbol on both sides): the new rate in terms of the old.
  const newOnLeft = lhs === 'Lnew' || (lhs === 'Lold' && freeSymbols(rhs).includes('Lold'));
  if (!newOnLeft || freeSymbols(rhs).includes('Lnew') || !freeSymbols(rhs).includes('Lold')) return undefined;
  if (freeSymbols(rhs).some((s) => !['Lold', 'Bold', 'Bnew'].includes(s))) return undefined;
  const f = valueAt(rhs, { Lold: 1, Bold: 1, Bnew: 2 });
  return Number.isFinite(f) ? f : undefined;
}

/** Learning-rate formulas that decrease the rate for a doubled batch, as findings of the catalogue's entry. */
/** A summed loss stated as the condition of what follows ("if the loss is summed", "summed loss:"). */
const SUM_CONDITION = /\b(if|when|whenever|with|for|assuming|in case|provided|suppose)\b(\s+[\w']+){0,3}\s+(sum\w*|agg?r[ae]gat\w*|accumulat\w*|add(ed|ing)? up)\b|\b(sum\w*|agg?r[ae]gat\w*)(?: loss| reduction)?\s*:/i;

export function formulaMisconceptions(ctx: CheckContext, entry: PackMisconception, item: string, lossIn: string | undefined): Finding[] {
  const gradient = entry.formula === 'gradient';
  const seg = ctx.seg?.items.find((i) => i.item.id === item && i.status === 'answered');
  if (!seg) return [];
  const out: Finding[] = [];
  const reduction = lossIn ? lossReduction(ctx.nb, ctx.seg, lossIn) : undefined;
  for (const eq of answerEquations(ctx.nb, seg.answer)) {
    const f = gradient ? gradientFactor(eq.tex) : learningRateFactor(eq.tex);
    if (f === undefined || !(gradient ? f > 1.001 : f < 0.999)) continue;
    // Said for a summed loss ("summed loss: … η' = η/2"; "with a sum reduction, …"), the formula is right.
    const source = ctx.nb.cells[eq.cell]?.source ?? '';
    if (SUM_CONDITION.test(source.slice(source.lastIndexOf('\n', eq.start - 1) + 1, eq.start))) continue;
    const factor = Math.abs(f - 0.5) < 1e-9 ? '½' : Math.abs(f - Math.SQRT1_2) < 1e-9 ? '1/√2' : `${Number(f.toPrecision(3))}`;
    out.push({
      code: 'prose.misconception',
      severity: 'warning',
      rule: entry.id,
      question: item,
      cell: eq.cell,
      range: ctx.range(eq.cell, eq.start, eq.end),
      message: `$${eq.tex.length > 60 ? `${eq.tex.slice(0, 59)}…` : eq.tex}$ makes the ${gradient ? 'gradient' : 'new learning rate'} ${gradient ? `${factor} times` : `${factor} of`} the old one for a doubled batch: ${entry.explanation}${reductionNote(reduction)} (${entry.reference}.)`,
    });
  }
  return out;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15 };
const COUNT = /\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)\s+(?:main\s+|computational\s+|graph\s+|total\s+)?nodes\b|\bnodes?\s*(?:(?:count|total|in total|number)\s*)?(?:is|=|:|are)\s*(\d{1,3})\b|\bnumber of nodes\s*(?:(?:is|=|:|would be|will be)\s*)?(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/gi;

interface StatedCount {
  readonly count: number;
  readonly cell: number;
  readonly start: number;
  readonly end: number;
  readonly where: 'text' | 'a code comment';
}

/** Every node count stated in the answers of `items`: in markdown, and in the comments of code cells. */
export function statedCounts(ctx: CheckContext, items: readonly string[]): StatedCount[] {
  const out: StatedCount[] = [];
  for (const id of items) {
    const seg = ctx.seg?.items.find((i) => i.item.id === id && i.status === 'answered');
    for (const span of seg?.answer ?? []) {
      const cell = ctx.nb.cells[span.cell];
      if (!cell) continue;
      const text = cell.source.slice(span.start, span.end);
      if (cell.kind === 'code') {
        // Only comments: `# 5 nodes: x, y, model, log_softmax, index_select`.
        for (const c of text.matchAll(/#[^\n]*/g)) for (const m of c[0].matchAll(COUNT)) out.push(countOf(m, span.start + (c.index ?? 0), span.cell, 'a code comment'));
      } else if (cell.kind === 'markdown') {
        for (const m of text.matchAll(COUNT)) out.push(countOf(m, span.start, span.cell, 'text'));
      }
    }
  }
  return out.filter((c) => Number.isFinite(c.count));
}

function countOf(m: RegExpMatchArray, base: number, cell: number, where: StatedCount['where']): StatedCount {
  const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
  const count = /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word] ?? NaN);
  const start = base + (m.index ?? 0);
  return { count, cell, start, end: start + m[0].length, where };
}

/** Two different node counts in one answer: a warning at the second, naming the first. */
export const claimsCheck: Check = (ctx) => {
  const pack = ctx.match?.pack;
  const findings: Finding[] = [];
  for (const group of pack?.nodeCounts ?? []) {
    const counts = statedCounts(ctx, group.items);
    const first = counts[0];
    const other = counts.find((c) => first && c.count !== first.count);
    if (!first || !other) continue;
    const line = (c: StatedCount): number => ctx.lines(c.cell).position(c.start).line + 1;
    findings.push({
      code: 'claim.inconsistent-count',
      severity: 'warning',
      question: group.item,
      cell: other.cell,
      range: ctx.range(other.cell, other.start, other.end),
      message: `This answer states two node counts for its graph: ${first.count} (${first.where}, cell ${first.cell} line ${line(first)}) and ${other.count} (${other.where}, here). Give one count, with what it counts.`,
    });
  }
  return findings;
};
