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

/** The questions whose points the key counts: the attempted ones, and of a choice group the best `count`. */
export function countedQuestions(pack: AssignmentPack, questions: readonly QuestionReport[]): Set<string> {
  const out = new Set<string>();
  for (const rule of pack.key) {
    const attempted = questions.filter((q) => rule.questions.includes(q.id) && isAttempted(q)).sort((a, b) => b.points - a.points);
    for (const q of rule.kind === 'choose' ? attempted.slice(0, rule.count) : attempted) out.add(q.id);
  }
  return out;
}

export function points(pack: AssignmentPack, questions: readonly QuestionReport[]): Points {
  const counted = countedQuestions(pack, questions);
  const attainable = questions.filter((q) => counted.has(q.id)).reduce((a, q) => a + q.points, 0);
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
