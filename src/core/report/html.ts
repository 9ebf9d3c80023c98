/**
 * A self-contained HTML report (for a TA's records or an e-mail): the questions with their status and
 * points, then every finding with its place. Everything from the notebook is escaped; no script runs.
 */
import type { NotebookReport } from '../check';
import type { Finding } from '../findings';
import { ESTIMATE_NOTE, range, riskOf } from '../assignment/verdicts';
import { examSummary } from './summary';
import { earnedText, partDetail, verdictLabel } from './verdict-text';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

function where(f: Finding): string {
  if (f.cell === undefined) return 'notebook';
  const at = f.range ? `:${f.range.start.line + 1}:${f.range.start.character + 1}` : '';
  return `cell ${f.cell}${at}`;
}

function notebookHtml(r: NotebookReport): string {
  const summary = examSummary(r);
  const j = r.judgement;
  const rows = r.questions
    .map((q) => {
      const parts = (j?.parts ?? []).filter((p) => p.question === q.id && p.verdict);
      const verdicts = parts
        .map((p) => `<tr class="part ${p.verdict}"><td>${escapeHtml(p.id)}</td><td class="verdict">${escapeHtml(verdictLabel(p))}</td><td>${escapeHtml(earnedText(p))}</td><td>${escapeHtml(partDetail(p))}</td></tr>`)
        .join('\n');
      return `<tr class="${escapeHtml(q.status)}"><th>Q${escapeHtml(q.id)}</th><th colspan="2">${escapeHtml(q.title)} (${q.points} pts)</th><th>${escapeHtml(q.status)}</th></tr>\n${verdicts}`;
    })
    .join('\n');
  const findingRisk = riskOf(j);
  const findings = r.findings
    .map((f) => {
      const risk = findingRisk.get(f);
      return `<tr class="${f.severity}"><td>${escapeHtml(where(f))}</td><td>${f.severity}</td><td>${escapeHtml(f.question ?? '')}</td><td>${escapeHtml(f.message)}${risk ? ` <em>(${range(risk[0], risk[1])} pts at risk)</em>` : ''}</td><td><code>${escapeHtml(f.code)}</code></td></tr>`;
    })
    .join('\n');
  const run = r.run ? `<p>Exercise code ran on the ${r.run.device === 'cuda' ? 'GPU (CUDA)' : 'CPU'}${r.run.fallback ? ` (CUDA unavailable: ${escapeHtml(r.run.fallback)})` : ''}.</p>` : '';
  return `<section>
<h2>${escapeHtml(r.notebook.path)}</h2>
${r.pack ? `<p>${escapeHtml(r.pack.title)}${r.release ? ` — ${escapeHtml(r.release.title)}` : ''}${summary ? ` · <strong>${escapeHtml(summary)}</strong>` : ''}</p>` : '<p>No assignment pack matches this notebook.</p>'}
${j && r.points ? `<p class="estimate">Estimate: ${range(j.estimate.low, j.estimate.high)} of ${r.points.max} (${ESTIMATE_NOTE}). It rests on: ${escapeHtml(j.estimate.basis)}.</p>` : ''}
${run}
${rows ? `<table class="verdicts"><thead><tr><th>Part</th><th>Verdict</th><th>Points</th><th>What was checked, found, and not judged</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : ''}
<table><thead><tr><th>Where</th><th>Severity</th><th>Question</th><th>Finding</th><th>Code</th></tr></thead><tbody>
${findings}
</tbody></table>
</section>`;
}

export function toHtml(reports: readonly NotebookReport[], version: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>nbcheck report</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1f2328; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
tr.error td:nth-child(2), tr.missing td:nth-child(4) { color: #cf222e; font-weight: 600; }
tr.warning td:nth-child(2), tr.partial td:nth-child(4) { color: #9a6700; }
code { font-size: 12px; }
tr.part.flagged td.verdict { color: #cf222e; font-weight: 600; }
tr.part.checked td.verdict { color: #1a7f37; font-weight: 600; }
tr.part.not-judged td.verdict { color: #0969da; }
</style></head>
<body>
<h1>nbcheck report</h1>
${reports.map(notebookHtml).join('\n')}
<p><small>nbcheck ${escapeHtml(version)}</small></p>
</body></html>
`;
}
