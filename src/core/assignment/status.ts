import type { AnswerStatus, ItemSegment, Segmentation } from '../notebook/segment';
import { maxPoints, type AssignmentPack, type PackQuestion } from './types';

export type QuestionStatus = 'answered' | 'partial' | 'missing' | 'declined';

export interface PartStatus {
  readonly id: string;
  readonly title: string;
  readonly status: AnswerStatus;
}

export interface QuestionReport {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  readonly status: QuestionStatus;
  /** Sub-parts; empty for a question answered as a whole. */
  readonly parts: readonly PartStatus[];
}

export interface Points {
  readonly max: number;
  /**
   * What the answers present can still earn under the key: answered or partial questions at their full
   * value (the exam does not split a question's points among its parts), each choice group counted at
   * most `count` times.
   */
  readonly attainable: number;
}

export function questionReports(pack: AssignmentPack, seg: Segmentation): QuestionReport[] {
  return pack.questions.map((q) => {
    const segs = seg.items.filter((s) => s.question === q);
    const parts = segs.length === 1 && segs[0]!.item.id === q.id ? [] : segs.map(partStatus);
    return { id: q.id, title: q.title, points: q.points, status: combine(segs), parts };
  });
}

const partStatus = (s: ItemSegment): PartStatus => ({ id: s.item.id, title: s.item.title, status: s.status });

function combine(segs: readonly ItemSegment[]): QuestionStatus {
  const answered = segs.filter((s) => s.status === 'answered').length;
  if (answered === segs.length && answered > 0) return 'answered';
  if (answered > 0) return 'partial';
  return segs.some((s) => s.status === 'declined') ? 'declined' : 'missing';
}

export const isAttempted = (q: QuestionReport): boolean => q.status === 'answered' || q.status === 'partial';

export function points(pack: AssignmentPack, questions: readonly QuestionReport[]): Points {
  const byId = new Map(questions.map((q) => [q.id, q]));
  let attainable = 0;
  for (const rule of pack.key) {
    const attempted = rule.questions
      .map((id) => byId.get(id))
      .filter((q): q is QuestionReport => q !== undefined && isAttempted(q))
      .map((q) => q.points)
      .sort((a, b) => b - a);
    attainable += (rule.kind === 'choose' ? attempted.slice(0, rule.count) : attempted).reduce((a, b) => a + b, 0);
  }
  return { max: maxPoints(pack), attainable };
}

export const questionById = (pack: AssignmentPack, id: string): PackQuestion | undefined =>
  pack.questions.find((q) => q.id === id);

/** How many answers the key asks for, and how many of those the notebook has (choice groups counted once). */
export function answerCount(pack: AssignmentPack, questions: readonly QuestionReport[]): { answered: number; required: number } {
  const byId = new Map(questions.map((q) => [q.id, q]));
  let answered = 0;
  let required = 0;
  for (const rule of pack.key) {
    const attempted = rule.questions.filter((id) => {
      const q = byId.get(id);
      return q !== undefined && isAttempted(q);
    }).length;
    if (rule.kind === 'mandatory') {
      required += rule.questions.length;
      answered += attempted;
    } else {
      required += rule.count;
      answered += Math.min(attempted, rule.count);
    }
  }
  return { answered, required };
}
