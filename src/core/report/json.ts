/** The JSON report, exactly the contract of DESIGN.md ("CLI and JSON contract"). */
import { estimateGrade, riskOf } from '../assignment/estimate';
import type { NotebookReport } from '../check';

export function toJsonObject(reports: readonly NotebookReport[]): unknown {
  return {
    notebooks: reports.map((r) => {
      const estimate = r.pack && r.points ? estimateGrade(r.pack, r.questions, r.points, r.findings) : undefined;
      const atRisk = new Map((estimate?.questions ?? []).map((q) => [q.id, q.atRisk]));
      const findingRisk = riskOf(estimate);
      return {
      path: r.notebook.path,
      pack: r.pack?.id ?? null,
      release: r.release?.id ?? null,
      points: r.points ? { max: r.points.max, attainable: r.points.attainable, ...(estimate ? { estimate: { low: estimate.low, high: estimate.high } } : {}) } : null,
      run: r.run ? { device: r.run.device, ...(r.run.fallback ? { fallback: r.run.fallback } : {}) } : null,
      questions: r.questions.map((q) => ({
        id: q.id,
        title: q.title,
        points: q.points,
        status: q.status,
        parts: q.parts.map((p) => ({ id: p.id, status: p.status })),
        ...(atRisk.has(q.id) ? { atRisk: atRisk.get(q.id) } : {}),
      })),
      findings: r.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        question: f.question ?? null,
        cell: f.cell ?? null,
        range: f.range ?? null,
        message: f.message,
        ...(findingRisk.has(f) ? { atRisk: findingRisk.get(f) } : {}),
      })),
      };
    }),
  };
}

export const toJson = (reports: readonly NotebookReport[]): string => `${JSON.stringify(toJsonObject(reports), null, 2)}\n`;
