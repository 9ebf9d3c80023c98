/** One-line summaries of a report, for status bars and headings. */
import type { NotebookReport } from '../check';
import { answerCount } from '../assignment/status';

/** `Exam 4/6 · ≤36/50`: answers the key asks for that are there, and the points still attainable. */
export function examSummary(r: NotebookReport): string | undefined {
  if (!r.pack || !r.points) return undefined;
  const { answered, required } = answerCount(r.pack, r.questions);
  return `Exam ${answered}/${required} · ≤${r.points.attainable}/${r.points.max}`;
}
