/** Verdicts in words, for every report that shows them (text, HTML, the panel, the status bar). */
import { range, type AspectVerdict, type Judgement, type PartVerdict, type VerdictKind } from '../assignment/verdicts';

export const VERDICT_LABEL: Readonly<Record<VerdictKind, string>> = { checked: 'checked', flagged: 'flagged', 'not-judged': 'not judged' };

/** A part's verdict in words: "checked in part" when some of it was not judged. */
export const verdictLabel = (p: PartVerdict): string => (p.verdict ? (p.partly ? 'checked in part' : VERDICT_LABEL[p.verdict]) : 'not counted');

/**
 * One aspect: "ran on 3 batches …"; in a part of several, with what it is and, when not judged, that it is
 * not ("the drawing of the graph: not judged — an image").
 */
export function aspectText(a: AspectVerdict, withWhat: boolean): string {
  if (!withWhat) return a.summary;
  return a.state === 'not-judged' ? `${a.what}: not judged — ${a.summary}` : `${a.what}: ${a.summary}`;
}

/** What a part's verdict rests on, aspect by aspect. */
export function partDetail(p: PartVerdict): string {
  if (!p.verdict) return 'not answered (not counted)';
  const multi = p.aspects.length > 1;
  if (p.status !== 'answered') return p.aspects[0]?.summary ?? 'no answer';
  return p.aspects.map((a) => aspectText(a, multi)).join('; ');
}

/** "2–2.5 of 2.5 pts" for a counted part. */
export const earnedText = (p: PartVerdict): string => (p.earned ? `${range(p.earned.low, p.earned.high)} of ${fmtPoints(p.points)} pts` : `${fmtPoints(p.points)} pts, not counted`);

export const fmtPoints = (x: number): string => String(Math.round(x * 100) / 100);

/** "3 checked, 4 flagged, 5 not judged (1.1, 4, 5 …)": a report's verdicts in one line (the status bar). */
export function verdictTally(j: Judgement): string {
  const counted = j.parts.filter((p) => p.counted && p.verdict);
  const of = (k: VerdictKind): PartVerdict[] => counted.filter((p) => p.verdict === k);
  const notJudged = of('not-judged');
  return [
    `${of('checked').length} checked`,
    `${of('flagged').length} flagged`,
    `${notJudged.length} not judged${notJudged.length ? ` (${notJudged.map((p) => p.id).join(', ')})` : ''}`,
  ].join(', ');
}
