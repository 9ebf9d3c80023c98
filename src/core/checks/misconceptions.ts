/**
 * The pack's misconception catalogue, matched at sentence level in the written answers. A sentence is
 * flagged only when it asserts the misconception: all of the entry's patterns match, none of its `unless`
 * patterns do, and the clause holding the claim is not negated ("is not a hyperplane") and the sentence is
 * not hedged or reporting someone else's view ("some say", "a common mistake is").
 */
import type { PackMisconception } from '../assignment/types';
import type { Finding } from '../findings';
import type { Check } from './context';
import { answerSentences, quote, type Sentence } from './sentences';

const NEGATION = /\b(not|no|never|neither|nor|without|cannot|wrong|incorrect|mistaken|misconception|myth|instead of|rather than|unnecessary|redundant|no need)\b|n't\b/;
const HEDGE = /\b(might|possibly|perhaps|some (people |students )?(say|claim|think|believe|argue)|it is (often |commonly |sometimes )?(said|believed|claimed|thought)|a common (mistake|error|misconception)|one might think|contrary to)\b/;

/** The clause of `text` around offset `at`: between the nearest , ; : ( ) or dash before and after. */
function clauseAround(text: string, at: number, end: number): string {
  const before = text.slice(0, at);
  const cut = Math.max(...[',', ';', ':', '(', ')', ' - ', ' – ', ' but ', ' whereas ', ' while '].map((c) => before.lastIndexOf(c)));
  const after = text.slice(end);
  const stops = [',', ';', ':', '(', ')', ' - ', ' – ', ' but ', ' whereas ', ' while '].map((c) => after.indexOf(c)).filter((i) => i >= 0);
  return text.slice(cut < 0 ? 0 : cut, end + (stops.length ? Math.min(...stops) : after.length));
}

/** Whether a sentence asserts the entry's claim. */
export function asserts(entry: PackMisconception, plain: string): boolean {
  const matches = entry.all.map((p) => p.exec(plain));
  if (matches.some((m) => !m)) return false;
  if (entry.unless?.some((p) => p.test(plain))) return false;
  if (HEDGE.test(plain)) return false;
  const m = matches[entry.anchor ?? 0] as RegExpExecArray;
  const clause = clauseAround(plain, m.index, m.index + m[0].length);
  if (entry.negative) return (clause.match(new RegExp(NEGATION.source, 'g'))?.length ?? 0) <= 1;
  return !NEGATION.test(clause);
}

const inItem = (entry: PackMisconception, s: Sentence): boolean => entry.items.some((i) => s.item === i || s.item.startsWith(`${i}.`));

export const misconceptionCheck: Check = (ctx) => {
  const catalogue = ctx.match?.pack.misconceptions;
  if (!catalogue?.length || !ctx.seg) return [];
  const findings: Finding[] = [];
  let last: { entry: PackMisconception; s: Sentence; finding: Finding } | undefined;
  for (const s of answerSentences(ctx.nb, ctx.seg)) {
    const entry = catalogue.find((e) => inItem(e, s) && asserts(e, s.plain));
    if (!entry) continue;
    // The next sentence of the same paragraph making the same claim extends the finding.
    if (last && last.entry === entry && last.s.cell === s.cell && last.s.paragraph === s.paragraph) {
      const finding = { ...last.finding, range: ctx.range(s.cell, (last.finding.range ? ctx.lines(s.cell).offset(last.finding.range.start) : s.start), s.end) };
      findings[findings.length - 1] = finding;
      last = { entry, s, finding };
      continue;
    }
    const finding: Finding = {
      code: 'prose.misconception',
      severity: 'warning',
      question: s.item,
      cell: s.cell,
      range: ctx.range(s.cell, s.start, s.end),
      message: `${quote(s.text)}: ${entry.explanation} (${entry.reference}.)`,
    };
    findings.push(finding);
    last = { entry, s, finding };
  }
  return findings;
};
