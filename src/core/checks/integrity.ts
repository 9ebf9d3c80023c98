/**
 * Integrity signals in written answers, as warnings that name their evidence and claim no certainty: text
 * typical of pasted assistant output ("Certainly!", "Here's a suggested method", "As an AI language model",
 * a closing "In summary," together with such signals), and the same passage pasted twice. Math pasted from
 * a rendered page is the math check's. The notebook's own rule ("answer the questions on your own") is
 * quoted when it has one.
 */
import type { Finding } from '../findings';
import { FIRST_QUESTION } from './images';
import type { Check, CheckContext } from './context';
import { answerSentences, quote, type Sentence } from './sentences';
import { pushTo } from '../collections';

interface Signal {
  readonly what: string;
  readonly pattern: RegExp;
  /** Counts only beside a strong signal in the same answer. */
  readonly weak?: boolean;
}

const SIGNALS: readonly Signal[] = [
  // "Sure, an RNN could also work" is a student's English: "sure," alone is not an opener.
  { what: 'an assistant\'s opener', pattern: /^(certainly|sure|absolutely|of course|great question)\s*!|^(certainly|absolutely|great question)\s*[,.]\s*(here|below|let|i\b)|^(certainly|absolutely)\s*[.!]?$/ },
  { what: 'an assistant speaking of itself', pattern: /\bas an ai\b|\bi am an ai\b|\bai language model\b/ },
  { what: 'an assistant offering a version', pattern: /^(here(?:'s| is)|below is|below, i)\b(?! (my|our)\b)[^.]{0,40}\b(suggested|possible|structured|step-by-step|detailed|general|revised|simplified|breakdown|overview|approach|explanation|analysis|comparison|outline)\b/ },
  { what: 'an assistant\'s closing', pattern: /\bi hope (this|that)( \w+)? (helps|clarifies|is helpful|makes (it|things) clear)\b|\bfeel free to (ask|reach)\b|\blet me know if you\b/ },
  { what: 'an assistant\'s walk-through opener', pattern: /^let's (break down|dive into|explore|walk through|take a (closer )?look)\b/ },
  { what: 'a closing summary paragraph', pattern: /^(in summary|in conclusion|to summarize|overall)\s*,/, weak: true },
];

/** The preamble's rule about answering alone, quoted, if the notebook has one. */
export function ownWorkRule(ctx: CheckContext): string | undefined {
  for (const c of ctx.nb.cells) {
    if (c.kind !== 'markdown') continue;
    const m = FIRST_QUESTION.exec(c.source);
    const text = m ? c.source.slice(0, m.index) : c.source;
    const rule = sentenceAround(text, /\banswer the questions on your own\b/i);
    if (rule) return rule.trim();
    if (m) break;
  }
  return undefined;
}

function assistantText(ctx: CheckContext, sentences: readonly Sentence[], rule: string | undefined): Finding[] {
  const findings: Finding[] = [];
  const byItem = new Map<string, Sentence[]>();
  for (const s of sentences) pushTo(byItem, s.item, s);
  for (const [item, list] of byItem) {
    const hits = list.flatMap((s) => SIGNALS.filter((g) => g.pattern.test(s.plain)).map((g) => ({ s, g })));
    const strong = hits.filter((h) => !h.g.weak);
    const first = strong[0];
    if (!first) continue;
    const evidence = hits.slice(0, 4).map((h) => `${quote(h.s.text, 60)} (${h.g.what}, cell ${h.s.cell} line ${ctx.range(h.s.cell, h.s.start, h.s.end).start.line + 1})`);
    findings.push({
      code: 'integrity.assistant-text',
      severity: 'warning',
      audience: 'grader',
      question: item,
      cell: first.s.cell,
      range: ctx.range(first.s.cell, first.s.start, first.s.end),
      message: `This answer reads like text pasted from an AI assistant: ${evidence.join('; ')}.${rule ? ` The notebook says: "${rule}".` : ''} This is a signal for a reader, not proof; rewrite the answer in your own words.`,
    });
  }
  return findings;
}

/** Sentences of 12 words or more that appear twice among the answers: the later copy, with where the first is. */
function duplicates(ctx: CheckContext, sentences: readonly Sentence[]): Finding[] {
  const first = new Map<string, Sentence>();
  const copies: { s: Sentence; of: Sentence }[] = [];
  for (const s of sentences) {
    const key = s.plain.replace(/[^a-z0-9 ]/g, '').replace(/\s+/g, ' ').trim();
    if (key.split(' ').length < 12) continue;
    const seen = first.get(key);
    if (seen && (seen.cell !== s.cell || seen.paragraph !== s.paragraph)) copies.push({ s, of: seen });
    else if (!seen) first.set(key, s);
  }
  // Consecutive copies of consecutive sentences are one pasted passage.
  const findings: Finding[] = [];
  for (let i = 0; i < copies.length; ) {
    let j = i;
    while (j + 1 < copies.length && (copies[j + 1] as { s: Sentence }).s.cell === (copies[i] as { s: Sentence }).s.cell && (copies[j + 1] as { s: Sentence }).s.paragraph === (copies[j] as { s: Sentence }).s.paragraph) j++;
    const a = copies[i] as { s: Sentence; of: Sentence };
    const b = copies[j] as { s: Sentence; of: Sentence };
    const where = ctx.range(a.of.cell, a.of.start, a.of.end).start.line + 1;
    const n = j - i + 1;
    findings.push({
      code: 'integrity.duplicate-passage',
      severity: 'warning',
      audience: 'grader',
      question: a.s.item,
      cell: a.s.cell,
      range: ctx.range(a.s.cell, a.s.start, b.s.end),
      message: `${n === 1 ? 'This sentence' : `These ${n} sentences`} also appear${n === 1 ? 's' : ''} earlier${a.of.item !== a.s.item ? ` (in the answer to Q${a.of.item})` : ''}, at cell ${a.of.cell} line ${where}: ${quote(a.s.text, 60)}. A passage pasted twice is a signal for a reader, not proof; keep one copy.`,
    });
    i = j + 1;
  }
  return findings;
}

export const integrityCheck: Check = (ctx) => {
  if (!ctx.seg) return [];
  const sentences = answerSentences(ctx.nb, ctx.seg);
  return [...assistantText(ctx, sentences, ownWorkRule(ctx)), ...duplicates(ctx, sentences)];
};

/**
 * The stretch of `text` around the first match of `phrase` up to a '.', '*' or newline on each side (what
 * `[^.\n*]*phrase[^.\n*]*` matches, found without trying every start: a long word made that quadratic).
 */
function sentenceAround(text: string, phrase: RegExp): string | undefined {
  const m = phrase.exec(text);
  if (!m) return undefined;
  let a = m.index;
  while (a > 0 && !'.\n*'.includes(text[a - 1] as string)) a--;
  let b = m.index + m[0].length;
  while (b < text.length && !'.\n*'.includes(text[b] as string)) b++;
  return text.slice(a, b);
}
