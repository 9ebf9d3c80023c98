/**
 * What grows when the labels become soft (a distribution per sample, [B, C], instead of B class indices),
 * claimed with a number or factor in the text, the math or the code comments of an answer, judged against
 * the facts:
 * - y goes from B int64 indices to B × C floats: C times the entries (C/2 the bytes in float32); any factor
 *   C·k is accepted, a power of C other than 1 or a factor with B is not;
 * - the logits, log_softmax's output and the gradient w.r.t. the logits are B × C either way: any growth is wrong;
 * - the loss step goes from selecting B entries to a B × C product and its sum: C times that step's work;
 *   memory or work growing with B, or with C², is wrong;
 * - the graph's node count does not grow with the label kind beyond the op that replaces the selection:
 *   a factor on it (it "doubles", "C times more nodes") is wrong.
 * Only a claim whose clause names one thing, asserts growth (not negated, hedged, nor compared with
 * something other than the hard-label case) and is not about a doubled batch is judged; anything else says
 * nothing. A sentence the catalogue's "the logits grow" entry already flags is left to it.
 */
/* eslint-disable regexp/no-super-linear-backtracking, regexp/no-super-linear-move -- the patterns of this file read the clauses of readFactors' text, which is single-spaced (its first step), and u.read only through patterns without such quantifiers: no run of whitespace for a quantifier to scan again from each position, nor for two quantifiers to share. */
import type { PackMisconception } from '../assignment/types';
import type { Finding } from '../findings';
import { extractMath } from '../math/extract';
import { htmlTags, replaceSpans } from '../notebook/scan';
import type { Check, CheckContext } from './context';
import { readFactors, showFactor, type Factor, type FactorClaim } from './factors';
import { assertsIn } from './misconceptions';
import { labelNote, labelUse, type LabelUse } from './own-code';
import { answerSentences, quote } from './sentences';

type Kind = 'labels' | 'logits' | 'gradient' | 'graph' | 'memory' | 'compute';

const LABELS = String.raw`(?:y|q|y_[a-z]+|labels?|targets?|ground[- ]truth)`;
const LOGITS = String.raw`(?:logits?|z|log[_ -]?softmax(?:\s*\(\s*\w*\s*\))?(?:'s)?(?:\s+(?:outputs?|results?|tensor|matrix))?|log[_ -]?probs?|log\s+p|log[- ]?probabilit(?:y|ies)|softmax(?:\s*\(\s*\w*\s*\))?(?:\s+outputs?)?|model'?s?\s+outputs?|outputs?\s+of\s+the\s+(?:model|network)|network'?s?\s+outputs?|predictions?|predicted\s+(?:probabilities|distributions?))`;
const GRAD = String.raw`(?:gradients?|grads?|derivatives?|jacobians?|∇)`;
/** dL/dz, ∂L/∂logits (and the same as a fraction, `(∂L)/(∂z)`). */
const DLDZ = String.raw`\(?\s*[d∂]\s*(?:l|ℓ|loss)\s*\)?\s*/\s*\(?\s*[d∂]\s*(?:z|logits?)\s*\)?`;
const WRT = String.raw`(?:w\.?\s?r\.?\s?t\.?|wrt|with\s+respect\s+to|of|for|on|_)`;

const HAS_LABELS = new RegExp(`(?<![\\w'])${LABELS}(?![\\w'])`);
const HAS_LOGITS = new RegExp(`(?<![\\w'])${LOGITS}(?![\\w])`);
const HAS_GRAD = new RegExp(`(?<![\\w])${GRAD}(?![\\w])`);
/** The gradient w.r.t. the logits (or the parameters): B × C (their shape) with either label kind. */
const GRAD_OF = new RegExp(String.raw`${DLDZ}|(?<![\w])${GRAD}\s*(?:of\s+the\s+loss\s+)?${WRT}\s*(?:the\s+)?(?:${LOGITS}|param\w*|weights?|θ|theta)(?![\w])|(?<![\w])${LOGITS}'?\s+${GRAD}(?![\w])`, 'g');
const HAS_GRAPH = /\b(?:graph|nodes?)\b/;

const MEMORY = /\b(?:memory|storage|space|bytes?|ram|footprint|stor(?:e|es|ed|ing)|floats?|ints?|int64|float32|tensors?|edges?|data|activations?)\b/;
/** A part of the graph ("the loss part of the graph doubles": one op becomes two), not the whole. */
const GRAPH_PART = /\b(?:part|portion|step|op|operation|layer|selection|gather|index_select|branch|end|tail|head|last)\b/;
const COMPUTE = /\b(?:comput(?:e|es|ed|ing|ation|ations)\b(?!\s+graph)|complexity|operations?|ops|flops|multiplications?|additions?|work|costs?|costly|expensive|time|runtime|calculations?|processing|slower)\b/;
/** What a gradient's "more" may count that does grow (its non-zero entries w.r.t. the log-probabilities, the terms). */
const GREY = /\b(?:non-?zero|entries|terms|elements|components|contribut\w*|classes|sparse|dense|paths?|values|memory|storage|space|bytes)\b/;

const NEGATION = /\b(?:not|no|never|nor|neither|without|cannot|unchanged|same|remains?|remained|stays?|stayed|keeps?|kept|already|constant)\b|n't\b/;
const DECREASE = /\b(?:smaller|less|fewer|decreas\w*|shrinks?|shrunk|reduc\w*|lower|saves?|saving|divided)\b/;
/** "y, not the logits, grows": the negated subject is set aside, with its negation. */
const NEGATED_SUBJECT = new RegExp(String.raw`\b(?:not|rather\s+than|instead\s+of|unlike|as\s+opposed\s+to)\s+(?:just\s+)?(?:the\s+)?(?:${LABELS}|${LOGITS}|graph|${GRAD})(?:'s)?(?![\w])`, 'g');
/** The label kind named as the case, not as the thing that grows ("with soft labels", "since the labels are distributions"). */
const CONTEXT: readonly RegExp[] = [
  /\b(?:soft|hard|probabilistic|probability|distributional|smooth(?:ed)?|one-?hot|integer|class|index|discrete)[- ]?(?:labels?|targets?)\b/g,
  /\b(?:with|using|for|under|given|than|unlike|compared\s+(?:to|with)|as\s+(?:with|for)|in\s+the\s+case\s+of|when\s+using)\s+(?:the\s+)?(?:labels?|targets?)\b/g,
  /\b(?:the\s+)?(?:labels?|targets?|y)\s+(?:are|is|being|become|becomes|represents?)\s+(?:now\s+)?(?:soft|probabilit\w*|(?:a\s+)?(?:probability\s+)?distributions?)\b/g,
];
/** A comparison the factor is relative to: only the hard-label case (or, for y, the hard labels) is the one judged. */
const COMPARE = /\b(?:than|compared\s+(?:to|with)|relative\s+to|vs\.?|versus)\s+|\bas\s+(?:much|many|large|big|long)\s+as\s+|§\d+§\s*(?:times|×)\s+the\s+\w+\s+(?:of|needed\s+for|used\s+by|taken\s+by)\s+/g;
const HARD_CASE = /^(?:before|previously|earlier|(?:in|with|for|using|under|when\s+using)\s+(?:the\s+)?(?:hard|one-?hot)|(?:the\s+)?(?:hard|one-?hot)[- ](?:label\s+)?(?:case|setting|scenario))\b/;
const HARD_LABELS = /^(?:the\s+)?(?:(?:hard|integer|index|one-?hot|int64|class)\s+)?(?:labels?|targets?|ones|indices|y|index)\b/;

const BOUND = /;|\s[—–-]\s|,\s*(?:and|but|while|whereas|so|since|because|as|which|although|though)\b|\b(?:but|while|whereas|although|though|however|because|since|so|hence|therefore|thus)\b|(?<![a-z]\.[a-z]|\bvs|\betc|\bapprox)\.\s/g;
const HEDGE = /\b(?:if|whether|might|may|maybe|perhaps|possibly|could|suppose|supposing|assum\w*|misconception|mistake|mistaken|wrong(?:ly)?|incorrect\w*|myth|false|naive\w*|imagine|hypothetical\w*)\b|\bsome\s+(?:say|think|claim|believe)\b/;
const BATCH = /\bdoubl\w*\s+(?:the\s+)?(?:batch|b\b)|\b(?:batch(?:\s+size)?|b)\s+(?:is\s+|gets\s+|was\s+)?doubl|\b2\s*b\b|\btwice\s+the\s+batch|\bbatch\s+size\b/;
const CONCRETE_C = /\bc\s*=\s*\d|\b\d+\s+classes\b/;

/** The clause of `text` holding [start, end): between the nearest clause bounds around it. */
function clauseOf(text: string, start: number, end: number): string {
  let from = 0;
  let to = text.length;
  for (const m of text.matchAll(BOUND)) {
    const at = m.index ?? 0;
    if (at + m[0].length <= start) from = at + m[0].length;
    else if (at >= end) {
      to = at;
      break;
    }
  }
  return text.slice(from, to);
}

interface Subject {
  readonly kind: 'labels' | 'logits' | 'gradient' | 'graph' | undefined;
  /** For a gradient: w.r.t. the logits or parameters (dense either way), or not said. */
  readonly dense?: boolean;
  /** The clause with the label kind's mentions as context removed. */
  readonly rest: string;
}

/** The one thing a clause says grows, or 'ambiguous' when it names several. */
function subjectOf(clause: string): Subject | 'ambiguous' {
  let c = clause;
  for (const re of CONTEXT) c = c.replace(re, ' ');
  const dense = new RegExp(GRAD_OF.source).test(c);
  if (dense) c = c.replace(GRAD_OF, ' ⟨gradient⟩ ');
  const kinds = [dense || HAS_GRAD.test(c) ? 'gradient' : '', HAS_LABELS.test(c) ? 'labels' : '', HAS_LOGITS.test(c) ? 'logits' : '', HAS_GRAPH.test(c) ? 'graph' : ''].filter(Boolean);
  if (kinds.length > 1) return 'ambiguous';
  return { kind: kinds[0] as Subject['kind'], dense, rest: c };
}

/** Whether each comparison in the clause is with the hard-label case (for y or the memory: the hard labels too). */
function comparedWithHard(clause: string, labelsToo: boolean): boolean {
  for (const m of clause.matchAll(COMPARE)) {
    const after = clause.slice((m.index ?? 0) + m[0].length);
    if (!HARD_CASE.test(after) && !(labelsToo && HARD_LABELS.test(after))) return false;
  }
  return true;
}

/** What the claim is about, when it can be judged: the subject and the aspect (memory, work) together. */
function kindOf(s: Subject, f: Factor): Kind | undefined {
  const memory = MEMORY.test(s.rest);
  const compute = COMPUTE.test(s.rest);
  switch (s.kind) {
    case undefined:
      return memory ? 'memory' : compute ? 'compute' : undefined;
    case 'labels':
      return compute && !memory ? 'compute' : 'labels';
    case 'logits':
      return compute && !memory ? undefined : 'logits';
    case 'graph':
      return memory ? 'memory' : compute ? 'compute' : GRAPH_PART.test(s.rest) ? undefined : 'graph';
    case 'gradient':
      if (compute) return 'compute';
      if (GREY.test(s.rest)) return undefined;
      return s.dense || ((f.b > 0 || f.c > 0) && /\b(?:bigger|larger|greater|grow\w*|increas\w*)\b/.test(s.rest)) ? 'gradient' : undefined;
  }
}

/** Whether a factor on `kind` is wrong with soft labels. */
function wrongFor(kind: Kind, f: Factor, concreteC: boolean): boolean {
  const pure = f.b === 0 && f.c === 0;
  // A plain number for y is wrong only as "doubles" (a larger one is likely C's value in an example).
  if (kind === 'labels') return pure ? f.k === 2 && !concreteC : f.b !== 0 || f.c !== 1;
  if (kind === 'memory' || kind === 'compute') return f.b !== 0 || f.c >= 2;
  return true;
}

/** The claim's kind and factor when the claim is wrong; undefined when it is right or cannot be judged. */
export function judgeClaim(claim: FactorClaim, text: string, concreteC: boolean): Kind | undefined {
  const f = claim.factor;
  const pure = f.b === 0 && f.c === 0;
  if (f.b < 0 || f.c < 0 || (pure && (claim.how === 'ratio' || f.k <= 1))) return undefined;
  const clause = clauseOf(text, claim.start, claim.end).replace(NEGATED_SUBJECT, ' ');
  if (NEGATION.test(clause) || DECREASE.test(clause)) return undefined;
  const subject = subjectOf(clause);
  if (subject === 'ambiguous') return undefined;
  const kind = kindOf(subject, f);
  if (!kind || !comparedWithHard(clause, kind === 'labels' || kind === 'memory' || kind === 'compute')) return undefined;
  return wrongFor(kind, f, concreteC) ? kind : undefined;
}

/** A written unit of the answer: a sentence of its text (math read as text) or a comment of its code. */
interface Unit {
  readonly cell: number;
  readonly start: number;
  readonly end: number;
  /** As written, for quoting. */
  readonly text: string;
  /** What the claims are read from. */
  readonly read: string;
  /** The sentence as the catalogue reads it (markdown only). */
  readonly plain?: string;
}

/** TeX as the words of a claim: `B \times C` → "B × C", `\mathcal{O}(BC)` → "O(BC)", `\to` → "→". */
export function texAsText(tex: string): string {
  let t = tex.replace(/\\(?:left|right|big|Big|bigg|Bigg|bigl|bigr)\b|\\[,;:! ]|\\q?quad\b/g, ' ');
  t = t.replace(/\\(?:mathcal|mathrm|text|textbf|textit|mathit|operatorname|mathbf|bm|boldsymbol|mathsf|mathtt)\s*\{([^{}]*)\}/g, '$1');
  for (let i = 0; i < 3; i++) t = t.replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '($1)/($2)');
  t = t.replace(/\\(?:times|cdot|ast)\b/g, ' × ').replace(/\\(?:to|rightarrow|longrightarrow|Rightarrow|mapsto|implies)\b/g, ' → ');
  t = t.replace(/\\Theta\b/g, 'Θ').replace(/\\nabla\b/g, ' ∇ ').replace(/\\partial\b/g, '∂').replace(/\\(?:approx|sim)\b/g, ' ≈ ').replace(/\\in\b/g, ' ∈ ').replace(/\\log\b/g, 'log ');
  t = t.replace(/\^\{([^{}]*)\}/g, '^$1').replace(/_\{([^{}]*)\}/g, '_$1').replace(/[{}]/g, '');
  // A product written by juxtaposition in math ("B^2 C"): its factors joined.
  return t.replace(/(?<![A-Za-z\\])([BC0-9](?:\^\d)?)\s+(?=[BC](?![A-Za-z]))/g, '$1·');
}

/** A markdown sentence as claims read it: its math as text, markup out. */
function readMarkdown(source: string, start: number, end: number): string {
  let out = '';
  let at = start;
  for (const m of extractMath(source).segments) {
    if (m.start < start || m.end > end) continue;
    out += source.slice(at, m.start) + ` ${texAsText(source.slice(m.texStart, m.texEnd))} `;
    at = m.end;
  }
  out += source.slice(at, end);
  return replaceSpans(out, htmlTags(out, { withinLine: true }), () => ' ').replace(/`/g, '').replace(/\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The sentences and code comments of `item`'s answer. */
function unitsOf(ctx: CheckContext, item: string): Unit[] {
  const out: Unit[] = [];
  for (const s of ctx.seg ? answerSentences(ctx.nb, ctx.seg) : []) {
    if (s.item === item) out.push({ cell: s.cell, start: s.start, end: s.end, text: s.text, read: readMarkdown(ctx.nb.cells[s.cell]?.source ?? '', s.start, s.end), plain: s.plain });
  }
  const seg = ctx.seg?.items.find((i) => i.item.id === item && i.status === 'answered');
  for (const span of seg?.answer ?? []) {
    const cell = ctx.nb.cells[span.cell];
    if (cell?.kind !== 'code') continue;
    for (const c of cell.source.slice(span.start, span.end).matchAll(/#+\s*([^\n]*)/g)) {
      const start = span.start + (c.index ?? 0);
      out.push({ cell: span.cell, start, end: start + c[0].length, text: c[1] ?? '', read: c[1] ?? '' });
    }
  }
  return out;
}

const NAME: Readonly<Record<Kind, string>> = { labels: 'y grows', logits: 'the logits grow', gradient: 'the gradient grows', graph: 'the graph grows', memory: 'the memory grows', compute: 'the computation grows' };

/** What is true, for a claim about `kind` (with the answer's own selection and dtype where its code shows them). */
function truth(kind: Kind, hard: LabelUse | undefined, soft: LabelUse | undefined): string {
  const bytes = soft?.bytes ?? 4;
  const dtype = bytes === 8 ? 'float64' : bytes === 2 ? 'float16' : 'float32';
  const op = /\b(gather|index_select|take_along_dim|nll_loss|cross_entropy)\b/.exec(hard?.text ?? '')?.[1];
  switch (kind) {
    case 'labels':
      return `y goes from B class indices (int64, 8 bytes each) to a B × C distribution (${dtype}, ${bytes} bytes each): C times the entries, ${showFactor({ k: bytes / 8, b: 0, c: 1 })} times the bytes`;
    case 'logits':
      return 'they are B × C with hard labels too (log_softmax runs over all C classes either way); what grows is y, from B to B × C entries';
    case 'gradient':
      return 'the gradient w.r.t. the logits is B × C in both cases (softmax − one-hot(y) with hard labels, softmax − y with soft ones); what grows is y, from B to B × C entries';
    case 'graph':
      return `the graph keeps its nodes: the selection${op ? ` (\`${op}\` in your code)` : ''} becomes a product with y and a sum over classes, one node more at most`;
    case 'memory':
      return 'only y grows, from B int64 indices to B × C floats (C times the entries, C/2 the bytes in float32); the logits and log-probabilities are B × C in both cases';
    case 'compute':
      return 'only the loss step changes: selecting B entries becomes a B × C product and its sum over classes (C times that step\'s work, O(B) → O(BC)); the model and log_softmax are unchanged';
  }
}

/** Wrong soft-label growth claims in the answers the pack names, one warning per sentence or comment. */
export const softLabelCheck: Check = (ctx) => {
  const pack = ctx.match?.pack;
  const findings: Finding[] = [];
  for (const where of pack?.softLabelClaims ?? []) {
    const units = unitsOf(ctx, where.item);
    const concreteC = units.some((u) => CONCRETE_C.test(u.read.toLowerCase()));
    const hard = labelUse(ctx.nb, ctx.seg, where.codeIn, 'indices');
    const soft = labelUse(ctx.nb, ctx.seg, where.item, 'distribution');
    const logitsEntry: PackMisconception | undefined = pack?.misconceptions?.find((m) => m.id === where.logitsEntry);
    for (const u of units) {
      if (HEDGE.test(u.read.toLowerCase()) || BATCH.test(u.read.toLowerCase())) continue;
      const read = readFactors(u.read);
      let wrong: { kind: Kind; factor: Factor } | undefined;
      for (const claim of read.claims) {
        const kind = judgeClaim(claim, read.text, concreteC);
        if (kind) {
          wrong = { kind, factor: claim.factor };
          break;
        }
      }
      if (!wrong) continue;
      // The catalogue's entry says it first where it reads the same sentence as "the logits grow".
      if ((wrong.kind === 'logits' || wrong.kind === 'gradient') && logitsEntry && u.plain !== undefined && assertsIn(logitsEntry, u.plain)) continue;
      const notes = wrong.kind === 'graph' ? '' : `${labelNote(hard)}${labelNote(soft)}`;
      findings.push({
        code: 'claim.wrong-factor',
        severity: 'warning',
        question: where.item,
        cell: u.cell,
        range: ctx.range(u.cell, u.start, u.end),
        message: `${quote(u.text)} says ${NAME[wrong.kind]} by a factor of ${showFactor(wrong.factor)} with soft labels, but ${truth(wrong.kind, hard, soft)}.${notes}`,
      });
    }
  }
  return findings;
};
