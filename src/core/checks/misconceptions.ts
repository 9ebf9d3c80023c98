/**
 * The pack's misconception catalogue, matched at sentence level in the written answers. A sentence is
 * flagged only when it asserts the misconception: all of the patterns of one of the entry's forms match, none
 * of that form's `unless` patterns do, the clause holding the claim is not negated ("is not a hyperplane"; after
 * the claim, a contrast "… and not the loop" or a clause of its own "…, because it cannot …" does not
 * count), and the sentence is not hedged or reporting
 * someone else's view ("some say", "a common mistake is").
 */
import { frameReads } from '../assignment/frames';
import type { PackMisconception } from '../assignment/types';
import type { Finding } from '../findings';
import type { Check } from './context';
import { formulaMisconceptions } from './claims';
import { lossReduction, reductionNote } from './own-code';
import { answerSentences, quote, type Sentence } from './sentences';

const NEGATION = /\b(not|no(?![_ ]?grad\b)|never|neither|nor|without|cannot|wrong|incorrect|mistaken|misconception|myth|instead of|rather than|unnecessary|redundant|no need)\b|n't\b/;
const NEGATIONS = new RegExp(NEGATION.source, 'g');
const HEDGE = /\b(might|possibly|perhaps|some (people |students )?(say|claim|think|believe|argue)|it is (often |commonly |sometimes )?(said|believed|claimed|thought)|a common (mistake|error|misconception)|one might think)\b|(?<!\b(?:as|even) )\bif (?:the |a |an |we |it |they |this )?[\w.()]+(?: [\w.()]+)? (?:were|had)\b/;

const CLAUSE_STOPS = [',', ';', ':', '(', ')', ' - ', ' – ', ' but ', ' whereas ', ' while '];

/** The clause of `text` around [at, end): from the nearest , ; : ( ) dash "but" "whereas" "while" before to the next after. */
function clauseAround(text: string, at: number, end: number): { start: number; end: number } {
  const before = text.slice(0, at);
  const cut = Math.max(...CLAUSE_STOPS.map((c) => before.lastIndexOf(c)));
  const stops = CLAUSE_STOPS.map((c) => text.indexOf(c, end)).filter((i) => i >= 0);
  return { start: cut < 0 ? 0 : cut, end: stops.length ? Math.min(...stops) : text.length };
}

/** After the claim, a contrast ("… and not the training loop", "not only …") does not negate it. */
const CONTRAST = /\b(and|or|but) not\b|\bnot (just|only|merely)\b/g;
/** Nor does a clause of its own after it ("…, because it cannot capture the data"). */
const SUBORDINATE = /\b(because|since|as|so|which|who|that|when|where|if|therefore|thus|hence|due to)\b/;

type Form = Pick<PackMisconception, 'all' | 'unless' | 'anchor' | 'negative'>;

function assertsForm(form: Form, plain: string): boolean {
  const negative = !!form.negative;
  const matches = form.all.map((p) => p.exec(plain));
  if (matches.some((m) => !m)) return false;
  if (form.unless?.some((p) => p.test(plain))) return false;
  // The claim may be said in any clause the anchor pattern matches at: a negated clause earlier in the
  // sentence ("eval() does not change the dropout, it continues to drop units at inference") does not hide
  // an asserting one later. Each match is tried from one character after the previous one's start.
  const anchor = form.all[form.anchor ?? 0] as RegExp;
  const scan = new RegExp(anchor.source, anchor.flags.includes('g') ? anchor.flags : `${anchor.flags}g`);
  let m = matches[form.anchor ?? 0] as RegExpExecArray | null;
  for (let tries = 0; m && tries < 16; tries++) {
    if (clauseAsserts(plain, m, negative)) return true;
    scan.lastIndex = m.index + 1;
    m = scan.exec(plain);
  }
  return false;
}

/** Whether the clause holding a match asserts it: not negated (or, for a negative claim, negated once at most). */
function clauseAsserts(plain: string, m: RegExpExecArray, negative: boolean): boolean {
  const end = m.index + m[0].length;
  const clause = clauseAround(plain, m.index, end);
  const after = plain.slice(end, clause.end).split(SUBORDINATE)[0] ?? '';
  const text = plain.slice(clause.start, end) + after.replace(CONTRAST, ' ');
  if (negative) return (text.match(NEGATIONS)?.length ?? 0) <= 1;
  return !NEGATION.test(text);
}

/**
 * A claim taken back right after it is made ("one could write a custom optimizer, but it is not necessary"): what
 * comes before it is not asserted.
 */
const RETRACTION = /\b(?:but|yet|though)\s+(?:(?:it|this|that)\s+(?:is|was|would be)\s+not\s+|(?:it|this|that)\s+is\s+(?:un|not\s+))?(?:necessary|needed|required|true|the case|correct|unnecessary|redundant)\b/;

/** Whether a sentence asserts the entry's claim (in any of its forms). */
/** "Contrary to what one might expect, …", "…, contrary to popular belief": what the sentence asserts is the rest. */
const CONTRARY = /(?:^|,\s*)contrary to\b[^,;]*(?:,|;|$)/;

export function asserts(entry: PackMisconception, plain: string, before?: string): boolean {
  const contrary = CONTRARY.exec(plain);
  if (contrary) return asserts(entry, `${plain.slice(0, contrary.index)} ${plain.slice(contrary.index + contrary[0].length)}`.trim(), before);
  if (HEDGE.test(plain)) return false;
  // A negated header ("does not overcome: exact likelihood") negates what it heads.
  // Headers may be chained ("VAE-GAN: not overcome: adversarial instability").
  for (let at = 0, n = 0; n < 3; n++) {
    const header = /^([^:,;]{1,40}):\s*/.exec(plain.slice(at));
    if (!header || (header[1] as string).trim().split(/\s+/).length > 4) break;
    if (NEGATION.test(header[1] as string)) {
      plain = `${plain.slice(0, at)}${header[1]} ${plain.slice(at + header[0].length)}`;
      break;
    }
    at += header[0].length;
  }
  const retracted = RETRACTION.exec(plain);
  if (retracted) return asserts(entry, plain.slice(retracted.index + retracted[0].length), before);
  // A frame reads the claim itself; where one reads the sentence as saying the opposite (the right direction, or
  // the claim denied), a regular-expression form, which reads one wording, does not overrule it.
  let denied = false;
  for (const f of entry.frames ?? []) {
    const r = frameReads(f, plain, before);
    if (r === 1) return true;
    if (r === -1) denied = true;
  }
  return !denied && [entry, ...(entry.or ?? [])].some((form) => assertsForm(form, plain));
}

/**
 * What the patterns read of a sentence: itself, or for a run of text with no sentence end (a pasted wall of
 * words), overlapping windows of it, so that matching stays linear in the text (a real sentence is far shorter).
 */
const WINDOW = 600;
function windows(plain: string): string[] {
  if (plain.length <= WINDOW + 200) return [plain];
  const out: string[] = [];
  for (let at = 0; at < plain.length; at += WINDOW) out.push(plain.slice(at, at + WINDOW + 200));
  return out;
}

/** Whether a sentence (of any length: read in windows when long) asserts the entry's claim; `before` as for frames. */
export const assertsIn = (entry: PackMisconception, plain: string, before?: string): boolean => windows(plain).some((w, i) => asserts(entry, w, i ? undefined : before));

const inItem = (entry: PackMisconception, s: Sentence): boolean => entry.items.some((i) => s.item === i || s.item.startsWith(`${i}.`));

export const misconceptionCheck: Check = (ctx) => {
  const catalogue = ctx.match?.pack.misconceptions;
  if (!catalogue?.length || !ctx.seg) return [];
  const findings: Finding[] = [];
  // Per entry, its finding on the previous sentence (index into `findings`), if that sentence asserted it.
  let previous = new Map<string, { s: Sentence; index: number }>();
  for (const s of answerSentences(ctx.nb, ctx.seg)) {
    const current = new Map<string, { s: Sentence; index: number }>();
    // Every claim the sentence asserts.
    for (const entry of catalogue) {
      if (!inItem(entry, s) || !assertsIn(entry, s.plain, s.before)) continue;
      // The next sentence of the same paragraph making the same claim extends the finding.
      const last = previous.get(entry.id);
      if (last && last.s.cell === s.cell && last.s.paragraph === s.paragraph) {
        const before = findings[last.index] as Finding;
        findings[last.index] = { ...before, range: ctx.range(s.cell, before.range ? ctx.lines(s.cell).offset(before.range.start) : s.start, s.end) };
        current.set(entry.id, { s, index: last.index });
        continue;
      }
      const own = entry.lossIn ? reductionNote(lossReduction(ctx.nb, ctx.seg, entry.lossIn)) : '';
      findings.push({
        code: 'prose.misconception',
        severity: 'warning',
        rule: entry.id,
        question: s.item,
        cell: s.cell,
        range: ctx.range(s.cell, s.start, s.end),
        message: `${quote(s.text)}: ${entry.explanation}${own} (${entry.reference}.)`,
      });
      current.set(entry.id, { s, index: findings.length - 1 });
    }
    previous = current;
  }
  // The same claims written as formulas (a learning rate halved for a doubled batch), unless a flagged sentence holds them.
  for (const entry of catalogue) {
    if (!entry.formula) continue;
    for (const item of entry.items) {
      for (const f of formulaMisconceptions(ctx, entry, item, entry.lossIn)) {
        const inside = findings.some((g) => g.rule === entry.id && g.cell === f.cell && g.range && f.range && g.range.start.line <= f.range.start.line && g.range.end.line >= f.range.end.line);
        if (!inside) findings.push(f);
      }
    }
  }
  return findings;
};
