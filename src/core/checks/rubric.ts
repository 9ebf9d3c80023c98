/**
 * The rubric: the right ideas a grader looks for in each written answer (pack data). An idea counts as
 * there when a sentence of the answer mentions it, the mention is not negated, and the answer does not
 * assert a catalogue misconception that contradicts it (a halved learning rate does not "cover" keeping or
 * raising it). What is not found is an information finding for graders — a pointer, never an accusation
 * (an idea put in other words may be missed), and it costs nothing in the grade estimate.
 */
import type { Finding } from '../findings';
import type { Check } from './context';
import { assertsIn } from './misconceptions';
import { answerSentences } from './sentences';
import { shortWords } from '../text';

const NEGATED = /\b(not|no|never|without|cannot)\b|n't\b/;

export const rubricCheck: Check = (ctx) => {
  const rubric = ctx.match?.pack.rubric;
  if (!rubric?.length || !ctx.seg) return [];
  const catalogue = ctx.match?.pack.misconceptions ?? [];
  const sentences = answerSentences(ctx.nb, ctx.seg);
  const findings: Finding[] = [];
  for (const r of rubric) {
    const mine = sentences.filter((s) => s.item === r.item);
    if (!mine.length) continue;
    // The sentence as written, lower-case: code spans (`model.eval()`) and math count here.
    const texts = mine.map((s) => shortWords(s.text.toLowerCase().replace(/\s+/g, ' ')));
    const found = (any: readonly RegExp[], unless: readonly RegExp[] = []): boolean =>
      texts.some((t) =>
        !unless.some((u) => u.test(t)) &&
        any.some((p) => {
          const m = p.exec(t);
          return !!m && !NEGATED.test(t.slice(Math.max(0, m.index - 30), m.index + m[0].length));
        }),
      );
    const stated = (any: readonly RegExp[]): boolean => texts.some((t) => any.some((p) => p.test(t)));
    const contradicted = (ids: readonly string[] = []): boolean =>
      catalogue.some((e) => ids.includes(e.id) && mine.some((s) => assertsIn(e, s.plain, s.before)));
    const against = r.ideas.filter((i) => contradicted(i.contradictedBy));
    const missing = r.ideas.filter((i) => against.includes(i) || !(found(i.any, i.unless) || (i.negated !== undefined && stated(i.negated))) || (i.also !== undefined && !found(i.also)));
    if (!missing.length) continue;
    const first = mine[0] as (typeof mine)[number];
    const present = r.ideas.filter((i) => !missing.includes(i));
    const label = (i: (typeof r.ideas)[number]): string => (against.includes(i) ? `${i.label} (the answer says otherwise)` : i.label);
    findings.push({
      code: 'prose.rubric',
      rule: missing.map((i) => i.id).join(','),
      severity: 'info',
      audience: 'grader',
      question: r.item,
      cell: first.cell,
      range: ctx.range(first.cell, first.start, first.end),
      message: `${present.length ? `The answer covers ${present.map((i) => i.label).join('; ')}. ` : ''}Not found in it: ${missing.map(label).join('; ')} — ideas a grader looks for here (if the answer says it in other words, ignore this).`,
    });
  }
  return findings;
};
