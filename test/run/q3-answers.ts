/**
 * Question 3 answered as a student would: the seed example with the answer's markdown after its prompt
 * (cell 21), checked and run; the fixtures of hand derivations and what tests read from the findings.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNotebookAndRun } from '../../src/core/check-run';
import { Runtime } from '../../src/core/engine/runtime';
import type { Finding } from '../../src/core/findings';
import { exampleCells, md, notebookOf, type RawCell } from '../helpers';

const runtime = new Runtime({ device: 'cpu' });
after(() => runtime.dispose());

/** A fixture's manifest entry: correct, or its one mistake (an exact substring of the file, once). */
export interface Entry {
  readonly file: string;
  readonly correct: boolean;
  readonly point: readonly number[];
  readonly mistake?: { readonly kind: string; readonly equation: string };
}

/** The verdict of part 3, as the tests read it. */
export interface Q3Verdict {
  readonly verdict?: string;
  readonly aspects: readonly { readonly kind: string; readonly state: string; readonly summary: string; readonly says: readonly string[] }[];
}

/** The seed example with Question 3 answered by this markdown (cell 22, after its prompt). */
export async function q3(answer: string): Promise<{ findings: Finding[]; verdict: Q3Verdict; cell: number }> {
  const cells: RawCell[] = exampleCells();
  cells.splice(22, 0, md(answer));
  const report = await checkNotebookAndRun(notebookOf(cells), runtime);
  const part = report.judgement?.parts.find((p) => p.id === '3');
  return { findings: report.findings.filter((f) => f.question === '3'), verdict: part as unknown as Q3Verdict, cell: 22 };
}

export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
export const fixture = (round: string, file: string): string => readFileSync(join(FIXTURES, round, file), 'utf8');

/** The findings that put points at risk: a derivation's errors and warnings, and math that does not parse. */
export const problems = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.severity !== 'info' && (f.code.startsWith('derivative.') || f.code === 'math.parse-error'));
/** The notes of what the derivation check could not read. */
export const unreadNotes = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.code === 'math.unread' && f.rule === 'differentiation');
/** The 0-based line of the cell where `text` starts. */
export const lineOf = (source: string, text: string): number => {
  const at = source.indexOf(text);
  assert.ok(at >= 0, `the answer has ${text}`);
  return source.slice(0, at).split('\n').length - 1;
};
export const show = (fs: readonly Finding[]): string => fs.map((f) => `${f.code} L${(f.range?.start.line ?? -1) + 1}: ${f.message}`).join('\n');
/** The differentiation aspect of the verdict. */
export const derivationAspect = (v: Q3Verdict): Q3Verdict['aspects'][number] | undefined => v.aspects.find((a) => a.kind === 'differentiation');
