/**
 * Compiler-style text: `path:cell N:line:col: severity: message [code]`, then a per-question summary. Whatever
 * comes from a notebook or its path is written terminal-safe (control characters escaped, see terminal.ts).
 */
import { ESTIMATE_NOTE, questionEarned, range } from '../assignment/verdicts';
import { earnedText, partDetail, verdictLabel } from './verdict-text';
import type { NotebookReport } from '../check';
import type { Finding, Severity } from '../findings';
import { terminalSafe as safe } from './terminal';

export interface TextOptions {
  readonly color?: boolean;
}

const COLORS: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m' };
const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';

export function toText(reports: readonly NotebookReport[], options: TextOptions = {}): string {
  return reports.map((r) => notebookText(r, options)).join('\n');
}

function paint(s: string, code: string, on: boolean | undefined): string {
  return on ? `${code}${s}${RESET}` : s;
}

/** `cell N` is the index in the notebook's `cells` list (as in JSON); line and column count from 1. */
export function findingLine(path: string, f: Finding, color?: boolean): string {
  const where = f.cell === undefined ? safe(path) : `${safe(path)}:cell ${f.cell}:${(f.range?.start.line ?? 0) + 1}:${(f.range?.start.character ?? 0) + 1}`;
  return `${where}: ${paint(f.severity, COLORS[f.severity], color)}: ${safe(f.message)} [${f.code}]`;
}

function notebookText(r: NotebookReport, o: TextOptions): string {
  const out = r.findings.map((f) => findingLine(r.notebook.path, f, o.color));
  const count = (s: Severity): number => r.findings.filter((f) => f.severity === s).length;
  const tally = `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
  out.push('');
  if (r.pack && r.points) {
    out.push(paint(safe(`${r.notebook.path}: ${r.pack.title}${r.release ? `, ${r.release.title}` : ' (release not recognised)'}`), BOLD, o.color));
    const parts = r.judgement?.parts ?? [];
    for (const q of r.questions) {
      const mine = parts.filter((p) => p.question === q.id);
      const e = questionEarned(r.judgement, q.id);
      const earned = e ? `  ${range(e.low, e.high)} pts` : '';
      out.push(`  Q${q.id.padEnd(3)}${String(q.points).padStart(3)} pts  ${q.status.padEnd(9)} ${safe(q.title)}${earned}`);
      for (const p of mine) {
        if (!p.verdict) continue;
        out.push(`       ${p.id.padEnd(6)} ${paint(verdictLabel(p).padEnd(15), VERDICT_COLORS[p.verdict], o.color)} ${earnedText(p)}: ${safe(partDetail(p))}`);
      }
    }
    out.push(`  ${r.points.attainable} of ${r.points.max} points attainable (the answered questions at full value) · ${tally}`);
    const e = r.judgement?.estimate;
    if (e) out.push(`  estimate: ${range(e.low, e.high)} of ${r.points.max} (${ESTIMATE_NOTE}) — ${safe(e.basis)}`);
    if (r.run) out.push(`  exercise code ran on the ${r.run.device === 'cuda' ? 'GPU (CUDA)' : 'CPU'}${r.run.fallback ? ' (CUDA unavailable)' : ''}`);
  } else {
    out.push(`${safe(r.notebook.path)}: no assignment pack · ${tally}`);
  }
  return `${out.join('\n')}\n`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const VERDICT_COLORS = { checked: '\u001b[32m', flagged: '\u001b[31m', 'not-judged': '\u001b[36m' } as const;
