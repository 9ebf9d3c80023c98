/**
 * A grade estimate from the findings — an estimate, not a grade: per counted question, the points at risk
 * from what nbcheck found in its answer, and the total as a range. The high end is the points attainable
 * (every counted answer given full marks); the low end takes off, per answer part, a share of the part's
 * points for each mistake a grader would mark down (a wrong result, code that cannot run, each distinct
 * misconception or wrong formula, a missing part) and a tenth for each rubric idea not found, up to three
 * quarters of a part that is there and all of a missing one. Integrity signals, presentation (images, saved
 * outputs) and the other information findings take nothing off.
 */
import type { Finding, FindingCode } from '../findings';
import type { Points, QuestionReport } from './status';
import { isAttempted } from './status';
import type { AssignmentPack } from './types';

/** The share of an answer part's points each finding puts at risk. */
const RISK: Partial<Record<FindingCode, number>> = {
  'structure.part-missing': 1,
  'structure.template-left': 1,
  'code.syntax-error': 0.5,
  'code.runtime-error': 0.5,
  'code.not-scalar': 0.5,
  'code.numeric-mismatch': 0.5,
  'code.required-function-unused': 0.1,
  'training.graph-freed': 0.5,
  'training.step-before-backward': 0.25,
  'training.grad-not-zeroed': 0.5,
  'training.per-parameter': 0.5,
  'training.sign-inverted': 0.5,
  'training.wrong-branch': 0.5,
  'training.wrong-update': 0.5,
  'training.no-step': 0.5,
  'training.scaled-update': 0.1,
  'derivative.wrong': 0.25,
  'derivative.wrong-value': 0.1,
  'prose.misconception': 0.25,
  'prose.rubric': 0.1,
  'math.parse-error': 0.05,
};

export interface QuestionEstimate {
  readonly id: string;
  /** Points the findings put at risk (0 when nothing did). */
  readonly atRisk: number;
  /** The findings behind it, with what each puts at risk. */
  readonly reasons: readonly { readonly finding: Finding; readonly points: number }[];
}

export interface GradeEstimate {
  readonly low: number;
  readonly high: number;
  readonly questions: readonly QuestionEstimate[];
}

const half = (x: number): number => Math.round(x * 2) / 2;

/** The questions the key counts (as in `points`): the attempted ones, the best of each choice group. */
function counted(pack: AssignmentPack, questions: readonly QuestionReport[]): Set<string> {
  const out = new Set<string>();
  for (const rule of pack.key) {
    const attempted = questions.filter((q) => rule.questions.includes(q.id) && isAttempted(q)).sort((a, b) => b.points - a.points);
    for (const q of rule.kind === 'choose' ? attempted.slice(0, rule.count) : attempted) out.add(q.id);
  }
  return out;
}

export function estimateGrade(pack: AssignmentPack, questions: readonly QuestionReport[], points: Points, findings: readonly Finding[]): GradeEstimate {
  const keep = counted(pack, questions);
  const estimates: QuestionEstimate[] = [];
  for (const q of questions) {
    if (!keep.has(q.id)) continue;
    const spec = pack.questions.find((p) => p.id === q.id);
    const parts = (spec?.items ?? []).filter((i) => i.answerable !== false);
    const share = q.points / Math.max(1, parts.length);
    const byPart = new Map<string, number>();
    const seen = new Set<string>();
    const reasons: { finding: Finding; points: number }[] = [];
    for (const f of findings) {
      const risk = RISK[f.code];
      if (!risk || !f.question || (f.question !== q.id && !f.question.startsWith(`${q.id}.`))) continue;
      const part = parts.find((p) => f.question === p.id || f.question?.startsWith(`${p.id}.`))?.id ?? q.id;
      // One mistake is often reported several ways (at each line, on each run): each kind counts once per part
      // (per catalogue entry or formula where the finding names one), and a part that is there loses at most
      // three quarters of its points. A rubric finding counts each idea it did not find.
      const key = `${part}:${f.code}:${f.code === 'prose.rubric' ? '' : (f.rule ?? '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const count = f.code === 'prose.rubric' ? Math.max(1, (f.rule ?? '').split(',').filter(Boolean).length) : 1;
      const cap = (risk >= 1 ? 1 : 0.75) * share;
      const before = byPart.get(part) ?? 0;
      const add = Math.min(cap - before, risk * share * count);
      if (add <= 0) continue;
      byPart.set(part, before + add);
      reasons.push({ finding: f, points: add });
    }
    const atRisk = Math.min(q.points, [...byPart.values()].reduce((a, b) => a + b, 0));
    estimates.push({ id: q.id, atRisk: half(atRisk), reasons });
  }
  const risk = estimates.reduce((a, e) => a + e.atRisk, 0);
  return { low: Math.max(0, half(points.attainable - risk)), high: points.attainable, questions: estimates };
}

/** The points each finding puts at risk (findings that put none are not in it). */
export function riskOf(estimate: GradeEstimate | undefined): Map<Finding, number> {
  const out = new Map<Finding, number>();
  for (const q of estimate?.questions ?? []) for (const r of q.reasons) if (r.points > 0) out.set(r.finding, Math.round(r.points * 100) / 100);
  return out;
}

/** "2 × prose.misconception, code.runtime-error": the kinds of finding behind a question's points at risk. */
export function riskSummary(q: QuestionEstimate): string {
  const counts = new Map<string, number>();
  for (const r of q.reasons) counts.set(r.finding.code, (counts.get(r.finding.code) ?? 0) + 1);
  return [...counts].map(([code, n]) => (n > 1 ? `${n} × ${code}` : code)).join(', ');
}

/** "an estimate from the findings, not a grade", for every place that shows it. */
export const ESTIMATE_NOTE = 'an estimate from what nbcheck found, not a grade';
