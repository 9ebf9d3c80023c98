/** SARIF 2.1.0: one run, one rule per finding code, locations in the `.ipynb` file and by cell. */
import { isAbsolute } from 'node:path';
import type { NotebookReport } from '../check';
import { FINDING_CODES, type Finding, type FindingCode, type Severity } from '../findings';
import { filePosition } from './file-position';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarifObject(reports: readonly NotebookReport[], version: string): unknown {
  const ruleIds = Object.keys(FINDING_CODES) as FindingCode[];
  const artifacts = reports.map((r) => ({ location: { uri: uriOf(r.notebook.path) } }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nbcheck',
            version,
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: FINDING_CODES[id] } })),
          },
        },
        artifacts,
        results: reports.flatMap((r, artifactIndex) => r.findings.map((f) => result(r, f, artifactIndex, ruleIds))),
      },
    ],
  };
}

function result(r: NotebookReport, f: Finding, artifactIndex: number, ruleIds: readonly FindingCode[]): unknown {
  const physical: Record<string, unknown> = { artifactLocation: { uri: uriOf(r.notebook.path), index: artifactIndex } };
  if (f.cell !== undefined && f.range) {
    const start = filePosition(r.notebook, f.cell, f.range.start);
    const end = filePosition(r.notebook, f.cell, f.range.end);
    if (start && end) {
      physical['region'] = { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
    }
  }
  const location: Record<string, unknown> = { physicalLocation: physical };
  if (f.cell !== undefined) location['logicalLocations'] = [{ name: `cell ${f.cell}`, kind: 'element' }];
  return {
    ruleId: f.code,
    ruleIndex: ruleIds.indexOf(f.code),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location],
    properties: {
      ...(f.question !== undefined ? { question: f.question } : {}),
      ...(f.cell !== undefined ? { cell: f.cell } : {}),
      ...(f.range ? { cellRange: f.range } : {}),
      // Findings from running the code say where it ran.
      ...(f.code.startsWith('code.') && r.run ? { device: r.run.device, ...(r.run.fallback ? { deviceFallback: r.run.fallback } : {}) } : {}),
    },
  };
}

/** A relative URI reference for a file path (forward slashes, reserved characters escaped). */
function uriOf(path: string): string {
  const encoded = path.split(/[\\/]/).map(encodeURIComponent).join('/');
  return isAbsolute(path) ? `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` : encoded;
}

export const toSarif = (reports: readonly NotebookReport[], version: string): string =>
  `${JSON.stringify(toSarifObject(reports, version), null, 2)}\n`;
