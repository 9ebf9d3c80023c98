/**
 * The JSON report: the contract of DESIGN.md ("CLI and JSON contract"), with each part's verdict and the
 * grade estimate. It carries every finding, whatever the audience, each marked with who it is for.
 */
import { questionEarned, riskOf, type PartVerdict } from '../assignment/verdicts';
import type { NotebookReport } from '../check';

const partJson = (p: PartVerdict): unknown => ({
  id: p.id,
  status: p.status,
  verdict: p.verdict ?? null,
  ...(p.partly ? { partly: true } : {}),
  counted: p.counted,
  points: Math.round(p.points * 100) / 100,
  earned: p.earned ?? null,
  aspects: p.aspects.map((a) => ({ kind: a.kind, what: a.what, weight: a.weight, state: a.state, summary: a.summary, detail: a.says })),
});

export function toJsonObject(reports: readonly NotebookReport[]): unknown {
  return {
    notebooks: reports.map((r) => {
      const j = r.judgement;
      const findingRisk = riskOf(j);
      return {
        path: r.notebook.path,
        pack: r.pack?.id ?? null,
        release: r.release?.id ?? null,
        points: r.points ? { max: r.points.max, attainable: r.points.attainable, ...(j ? { estimate: { low: j.estimate.low, high: j.estimate.high, basis: j.estimate.basis } } : {}) } : null,
        run: r.run ? { device: r.run.device, ...(r.run.fallback ? { fallback: r.run.fallback } : {}) } : null,
        questions: r.questions.map((q) => {
          const parts = (j?.parts ?? []).filter((p) => p.question === q.id);
          const earned = questionEarned(j, q.id) ?? null;
          return {
            id: q.id,
            title: q.title,
            points: q.points,
            status: q.status,
            parts: parts.length ? parts.map(partJson) : q.parts.map((p) => ({ id: p.id, status: p.status })),
            earned,
          };
        }),
        findings: r.findings.map((f) => {
          const risk = findingRisk.get(f);
          return {
            code: f.code,
            severity: f.severity,
            question: f.question ?? null,
            cell: f.cell ?? null,
            range: f.range ?? null,
            message: f.message,
            audience: f.audience ?? 'all',
            ...(f.graderNote ? { graderNote: f.graderNote } : {}),
            ...(f.follows ? { follows: f.follows } : {}),
            ...(risk ? { atRisk: { low: risk[0], high: risk[1] } } : {}),
          };
        }),
      };
    }),
  };
}

export const toJson = (reports: readonly NotebookReport[]): string => `${JSON.stringify(toJsonObject(reports), null, 2)}\n`;
