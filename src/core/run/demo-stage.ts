/**
 * The demo stage of an exercise's check: a cell that makes its own model, inputs or labels is read as
 * written (what it computes on them, its labels next to the question's), then run again with those
 * top-level assignments set aside so that the checks that follow run it on the question's inputs — or, when
 * that is not sound, not judged, saying why.
 */
import type { PackExercise } from '../assignment/types';
import { numel } from '../engine/dtype';
import { ancestors } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import type { Finding } from '../findings';
import type { Notebook } from '../notebook/types';
import type { PyValue } from '../python/values';
import type { Range } from '../text';
import { Tensor } from '../torch/tensor';
import { linesOf, type DemoPlan, type Rebinding } from './demo';
import { clip, labelsFacts, labelsFinding, ownContext, ownInputsWords, type Demo, type OwnRun } from './demo-report';
import type { BatchRun } from './harness';
import { assignmentOf, fmt, problemFinding } from './problems';
import type { Problem } from './program';

/** What running one exercise's answer needs, for the stages of checkExercise. */
export interface ExerciseContext {
  readonly nb: Notebook;
  readonly ex: PackExercise;
  readonly cells: readonly number[];
  readonly base: { readonly question: string };
  readonly first: Readonly<Record<string, number>>;
  /** The question's inputs on the first batch, in words ("x [4, 1, 2, 3], y [4], C=3"). */
  readonly inputsWords: string;
  readonly lastCell: number;
  readonly modelNames: { readonly model: string; readonly input: string };
  readonly runtime: Runtime;
  /** Runs sources on the first batch. */
  runOn(sources: readonly string[]): Promise<BatchRun>;
  /** A fix for a problem that has one: a keyword's typo, or a model used without its input. */
  fixOf(p: { cellIndex: number; problem: Problem }, sources: readonly string[], values: ReadonlyMap<string, PyValue>): { source: string; words: string } | undefined;
}

/** The information finding for provided names the cell rebinds and nbcheck cannot set aside, and why. */
export function notJudged(c: ExerciseContext, names: readonly string[], why: string, at?: { cell: number; range: Range }, sizes = ''): Finding {
  const where = at ?? assignmentOf(c.nb, c.cells, names[0] as string);
  const provided = c.ex.inputs.map((n) => `\`${n}\``).join(', ');
  return {
    ...c.base,
    code: 'code.inputs-overwritten',
    severity: 'info',
    cell: where?.cell ?? c.lastCell,
    ...(where ? { range: where.range } : {}),
    message: `Not checked against the reference: the cell assigns its own ${names.map((n) => `\`${n}\``).join(', ')}, which the question provides (${c.ex.inputs.join(', ')}), ${why}. To have it checked, compute the result from the provided ${provided}${sizes}.`,
  };
}

const asRun = (r: BatchRun, sources: readonly string[], problem?: { source: number; problem: Problem }, fixed?: string): OwnRun => ({
  globals: r.session.globals.vars,
  inputs: r.inputs,
  ...(r.result !== undefined && !r.via ? { result: r.result } : {}),
  ...(r.provided ? { provided: r.provided } : {}),
  ...(problem ? { problem } : {}),
  sources,
  firstSource: r.session.sources.length - sources.length,
  ...(fixed ? { fixed } : {}),
});

/** Why a demo's own inputs cannot be set aside, in words for the not-judged finding. */
function whyNotSetAside(c: ExerciseContext, plan: DemoPlan): { why: string; sizes: string } {
  const e = plan.entangled;
  if (e) {
    return {
      why: `and nbcheck cannot set them aside to run the rest on the question's inputs: line ${e.line + 1} (\`${clip(e.reader.split('\n')[0] as string)}\`) reads \`${e.name}\`, which line ${e.madeAt.line + 1} (\`${clip(e.madeAt.text.split('\n')[0] as string)}\`) sets for those inputs and which would not hold for the question's`,
      sizes: ` (and sizes from them, e.g. \`${c.modelNames.input}.shape[0]\`, not \`${e.name}\`)`,
    };
  }
  if (plan.mixed) return { why: `and nbcheck cannot set them aside: line ${plan.mixed.line + 1} binds them together with ${plan.mixed.names.filter((n) => !c.ex.inputs.includes(n)).map((n) => `\`${n}\``).join(', ')}`, sizes: '' };
  return { why: 'and nbcheck cannot take those lines out without breaking the cell', sizes: '' };
}

/**
 * A demo cell: its run as written (`own`) read for what it computes on its own inputs, then the cell run
 * with the rebinding set aside. `next` is that run, for the checks that follow; none when it cannot be done.
 */
export async function demoStage(c: ExerciseContext, plan: DemoPlan, written: readonly string[], own: BatchRun): Promise<{ findings: Finding[]; next?: { sources: string[]; run: BatchRun; demo: Demo } }> {
  const findings: Finding[] = [];
  const r0 = plan.rebindings[0] as Rebinding;
  const names = [...new Set(plan.rebindings.flatMap((r) => r.names))];
  const cell = c.cells[r0.source] as number;
  const lines = linesOf(plan.rebindings.filter((r) => r.source === r0.source));
  const words = `its own ${names.map((n) => `\`${n}\``).join(', ')} (${lines}${plan.rebindings.some((r) => r.source !== r0.source) ? ' and in later cells' : ''})`;
  const range = { start: { line: r0.line, character: 0 }, end: { line: r0.line, character: (r0.text.split('\n')[0] ?? '').length } };
  const ownProblem = own.problem && { source: own.problem.cellIndex, problem: own.problem.problem };
  // Its labels are read off the cell as written, past a stop that has a fix (`model()` read as `model(x)`).
  const labelsRun = async (problem?: { source: number; problem: Problem }): Promise<OwnRun> => {
    const fix = own.problem && c.fixOf(own.problem, written, own.session.globals.vars);
    if (!fix || !own.problem) return asRun(own, written, problem);
    const at = own.problem.cellIndex;
    const fixed = written.map((src, i) => (i === at ? fix.source : src));
    const r = await c.runOn(fixed);
    return asRun(r, fixed, r.problem && { source: r.problem.cellIndex, problem: r.problem.problem }, fix.words);
  };
  const ownWords = ownInputsWords(asRun(own, written), names);
  // As written, a cell that also reads provided names it does not rebind runs on nbcheck's stand-ins for
  // those beside its own: no run that exists, so nothing read off it is reported but its labels' kind.
  const hybrid = plan.alsoReads.length > 0;
  if (!plan.setAside) {
    const labels = await labelsFacts(await labelsRun(ownProblem), plan.rebindings, c.first, c.runtime, !hybrid);
    findings.push(...labels.map((l) => labelsFinding(l, c.cells, c.base)));
    const { why, sizes } = whyNotSetAside(c, plan);
    findings.push(notJudged(c, names, why, { cell, range }, sizes));
    if (own.problem && !hybrid && !labels.some((l) => l.explainsProblem)) findings.push(problemFinding(own.problem.problem, c.cells[own.problem.cellIndex] as number, c.base, ownContext(ownWords, false)));
    return { findings };
  }
  const sources = [...plan.setAside];
  const run = await c.runOn(sources);
  if (run.overwritten.length) return { findings: [notJudged(c, run.overwritten, "so nbcheck cannot run it on the question's inputs (it rebinds them where nbcheck does not set them aside: in a loop, a branch or a function)")] };
  const same = !!own.problem && !!run.problem && own.problem.cellIndex === run.problem.cellIndex && own.problem.problem.type === run.problem.problem.type && JSON.stringify(own.problem.problem.span) === JSON.stringify(run.problem.problem.span);
  const onlyOwn = same ? undefined : ownProblem;
  const labels = await labelsFacts(await labelsRun(onlyOwn), plan.rebindings, c.first, c.runtime, !hybrid);
  const seeded = written.some((src) => /\bmanual_seed\s*\(/.test(src));
  findings.push({
    ...c.base,
    code: 'code.demo',
    severity: 'info',
    cell,
    range,
    message: `This cell makes ${words} to try itself out. ${hybrid ? `It also reads the question's ${plan.alsoReads.map((n) => `\`${n}\``).join(', ')}, which nbcheck only stands in for, so what it computes as written is not reported` : `As written, on them (${ownWords}${seeded ? '' : '; one random draw, as the cell sets no seed'}), ${await asWrittenWords(asRun(own, written, ownProblem), c.ex.result, c.runtime, same)}`}. nbcheck ${hybrid ? '' : 'also '}ran it with those lines set aside, so that the rest of the cell runs on the question's inputs (${c.inputsWords}): what it reports about the answer's value comes from that run.`,
  });
  findings.push(...labels.map((l) => labelsFinding(l, c.cells, c.base)));
  if (onlyOwn && !hybrid && !labels.some((l) => l.explainsProblem)) {
    findings.push({ ...problemFinding(onlyOwn.problem, c.cells[onlyOwn.source] as number, c.base, ownContext(ownWords)), ...(onlyOwn.problem.kind === 'error' ? { code: 'code.demo-inputs' as const, severity: 'warning' as const } : {}) });
  }
  const sameMessage = own.problem?.problem.message === run.problem?.problem.message;
  return { findings, next: { sources, run, demo: { words, ...(same && !hybrid ? { same: sameMessage ? '' : (own.problem?.problem.message ?? '') } : {}) } } };
}

async function asWrittenWords(own: OwnRun, name: string, runtime: Runtime, same: boolean): Promise<string> {
  const p = own.problem?.problem;
  if (p) return `it stops at line ${(p.span?.start.line ?? 0) + 1} (${p.type ?? 'Error'}${same ? ', as it does on the question\'s inputs' : `: ${p.message.replace(/[.]$/, '')}`})`;
  const v = own.globals.get(name);
  if (typeof v === 'number') return `\`${name}\` = ${fmt(v)}`;
  if (!(v instanceof Tensor)) return 'it runs to the end';
  // Every provided name is rebound (else nothing as written is reported): a result that reads the question's
  // inputs was computed before those lines.
  const from = ancestors([v.node]);
  if ([...(own.provided?.values() ?? [])].some((n) => n && from.has(n))) return `it runs to the end, its \`${name}\` computed from the question's inputs before those lines`;
  if (numel(v.shape) !== 1) return `\`${name}\` has shape [${v.shape.join(', ')}]`;
  try {
    const [d] = await runtime.realize([v.node]);
    return `\`${name}\` = ${fmt(Number(d?.data[0]))}`;
  } catch {
    return `\`${name}\` is a ${v.dtype} scalar`;
  }
}

