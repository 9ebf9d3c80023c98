/**
 * Findings for a run's problems (a syntax error, PyTorch's error, code outside the subset, a budget), with
 * the sentence that says when it happens, and where an exercise's result is assigned.
 */
import type { Finding } from '../findings';
import type { Notebook } from '../notebook/types';
import type { Range } from '../text';
import type { Demo } from './demo-report';
import type { Problem, Span } from './program';

const toRange = (s: Span | undefined): Range | undefined => (s ? { start: s.start, end: s.end } : undefined);

/** When a problem happens, for messages: a sentence ("The cell stops here when ...") and a phrase for budgets. */
export interface ProblemContext {
  readonly sentence: string;
  readonly running: string;
}

export const stopsOn = (inputs: string, demo?: Demo): ProblemContext => {
  if (!demo) return { sentence: `The cell stops here when run on the question's inputs (${inputs})`, running: `running on the question's inputs (${inputs})` };
  const too = demo.same === undefined ? '' : `, and as written, on its own inputs, too${demo.same ? ` (${demo.same.replace(/[.]$/, '')})` : ''}`;
  return { sentence: `The cell stops here when run on the question's inputs (${inputs}) with ${demo.words} set aside${too}`, running: `running on the question's inputs (${inputs}) with ${demo.words} set aside` };
};

/** What the cell as written gives on its own inputs: its result's value or shape, or where it stops. */
/** A run's problem as a finding. */
export function problemFinding(problem: Problem, cell: number, base: { question: string }, { sentence: context, running }: ProblemContext, hint?: string): Finding {
  const sentence = (m: string): string => (/[.?!]$/.test(m) ? m : `${m}.`);
  const range = toRange(problem.span);
  const at = range ? { range } : {};
  switch (problem.kind) {
    case 'syntax':
      return { ...base, code: 'code.syntax-error', severity: 'error', cell, ...at, message: `SyntaxError: ${problem.message}; the cell cannot run.` };
    case 'unsupported':
      return { ...base, code: 'code.unsupported', severity: 'info', cell, ...at, message: `Not checked automatically: ${problem.message} by nbcheck's runner.` };
    case 'budget':
      return { ...base, code: 'code.budget', severity: 'warning', cell, ...at, message: `${problem.message[0]?.toUpperCase()}${problem.message.slice(1)}, ${running}.` };
    case 'device':
      return { ...base, code: 'code.unsupported', severity: 'info', cell, message: `Not checked automatically: ${problem.message}` };
    case 'error':
      return { ...base, code: 'code.runtime-error', severity: 'error', cell, ...at, message: `${problem.type ?? 'Error'}: ${sentence(problem.message)} ${context}.${hint ? ` ${hint}` : ''}` };
  }
}

export function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(5) : String(x);
}

export function lineOfResult(source: string, name: string): Range | undefined {
  const lines = source.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = new RegExp(`^(\\s*)${name}\\s*=[^=]`).exec(lines[i] ?? '');
    if (m) return { start: { line: i, character: (m[1] ?? '').length }, end: { line: i, character: (lines[i] ?? '').length } };
  }
  return undefined;
}

export function assignmentOf(nb: Notebook, cells: readonly number[], name: string): { cell: number; range: Range } | undefined {
  for (const cell of cells) {
    const range = lineOfResult(nb.cells[cell]?.source ?? '', name);
    if (range) return { cell, range };
  }
  return undefined;
}

