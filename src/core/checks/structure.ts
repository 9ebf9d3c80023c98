/** The key of the exam: mandatory questions answered, exactly the required number of a choice group. */
import { isAttempted, type QuestionReport } from '../assignment/status';
import type { KeyRule } from '../assignment/types';
import type { Finding } from '../findings';
import type { ItemSegment, Span } from '../notebook/segment';
import type { Check, CheckContext } from './context';

export const structureCheck: Check = (ctx) => {
  if (!ctx.match || !ctx.seg) return [];
  const findings: Finding[] = [];
  for (const rule of ctx.match.pack.key) {
    const qs = rule.questions
      .map((id) => ctx.questions.find((q) => q.id === id))
      .filter((q): q is QuestionReport => q !== undefined);
    if (rule.kind === 'mandatory') for (const q of qs) findings.push(...mandatory(ctx, q));
    else findings.push(...choice(ctx, rule, qs));
    for (const q of qs) if (q.status === 'partial') findings.push(...missingParts(ctx, q));
  }
  findings.push(...placeholders(ctx));
  return findings;
};

const label = (q: QuestionReport): string => `Question ${q.id} (${q.title}, ${q.points} points)`;

function at(ctx: CheckContext, span: Span | undefined): Pick<Finding, 'cell' | 'range'> {
  return span ? { cell: span.cell, range: ctx.firstLineOf(span) } : {};
}

/** The question's heading, else its first prompt. */
function questionSpan(ctx: CheckContext, q: QuestionReport): Span | undefined {
  return ctx.seg!.headings.get(q.id) ?? segmentsOf(ctx, q).find((s) => s.prompt)?.prompt;
}

const segmentsOf = (ctx: CheckContext, q: QuestionReport): ItemSegment[] =>
  ctx.seg!.items.filter((s) => s.question.id === q.id);

function mandatory(ctx: CheckContext, q: QuestionReport): Finding[] {
  const where = at(ctx, questionSpan(ctx, q));
  const notFound = where.cell === undefined ? ' (its prompt is not in the notebook)' : '';
  if (q.status === 'missing') {
    return [
      {
        code: 'structure.question-missing',
        severity: 'error',
        question: q.id,
        ...where,
        message: `${label(q)} is mandatory and has no answer${notFound}${templateNote(ctx, q)}.`,
      },
    ];
  }
  if (q.status === 'declined') {
    const said = segmentsOf(ctx, q).find((s) => s.declined)?.declined ?? '';
    return [
      {
        code: 'structure.question-declined',
        severity: 'error',
        question: q.id,
        ...where,
        message: `${label(q)} is mandatory, but the answer declines it ("${said}").`,
      },
    ];
  }
  return [];
}

function choice(ctx: CheckContext, rule: Extract<KeyRule, { kind: 'choose' }>, qs: QuestionReport[]): Finding[] {
  const names = qs.map((q) => q.id).join(', ').replace(/, ([^,]*)$/, ' and $1');
  const attempted = qs.filter(isAttempted);
  if (attempted.length === 0) {
    const first = qs[0];
    if (!first) return [];
    return [
      {
        code: 'structure.choice-none',
        severity: 'error',
        question: first.id,
        ...at(ctx, questionSpan(ctx, first)),
        message: `Answer ${rule.count === 1 ? 'one' : rule.count} of Questions ${names}: none of them has an answer (${first.points} points).`,
      },
    ];
  }
  if (attempted.length > rule.count) {
    const extra = attempted[attempted.length - 1]!;
    return [
      {
        code: 'structure.choice-several',
        severity: 'warning',
        question: extra.id,
        ...at(ctx, questionSpan(ctx, extra)),
        message:
          `Questions ${attempted.map((q) => q.id).join(', ').replace(/, ([^,]*)$/, ' and $1')} are ${attempted.length === 2 ? 'both' : 'all'} answered, but the key asks for ` +
          `${rule.count === 1 ? 'one' : rule.count} of Questions ${names}: only ${rule.count === 1 ? 'one is' : `${rule.count} are`} graded. ` +
          `Say which one to grade, or remove the other.`,
      },
    ];
  }
  return [];
}

function missingParts(ctx: CheckContext, q: QuestionReport): Finding[] {
  return segmentsOf(ctx, q)
    .filter((s) => s.status !== 'answered')
    .map((s) => ({
      code: 'structure.part-missing' as const,
      severity: 'warning' as const,
      question: s.item.id,
      ...at(ctx, s.prompt),
      message: `Part ${s.item.id} (${s.item.title}) of Question ${q.id} has no answer${
        s.untouchedTemplate.length ? ': its template code cell is unchanged' : ''
      }${s.status === 'declined' ? ` (declined: "${s.declined}")` : ''}.`,
    }));
}

function templateNote(ctx: CheckContext, q: QuestionReport): string {
  return segmentsOf(ctx, q).some((s) => s.untouchedTemplate.length) ? '; its template code cell is unchanged' : '';
}

function placeholders(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const s of ctx.seg!.items) {
    for (const p of s.placeholders) {
      const idx = ctx.lines(p.cell);
      const text = idx.lineText(p.line);
      const name = /^\s*([\w.]+)/.exec(text)?.[1] ?? 'the variable';
      out.push({
        code: 'structure.template-left',
        severity: 'warning',
        question: s.item.id,
        cell: p.cell,
        range: idx.lineRange(p.line),
        message: `\`${text.trim()}\` is the template's placeholder: it sets ${name} to Ellipsis, not to your result.`,
      });
    }
  }
  return out;
}
