/**
 * Runs a pack exercise's answer: binds the question's inputs, runs the answer cells, and compares the
 * result with the reference on several batches. Findings carry evidence (the batch, expected vs got) and
 * hints read off the computation's trace (a [B, B] intermediate, a sum where the mean is meant, softmax
 * over the batch dimension).
 */
import type { PackMatch } from '../assignment/match';
import type { PackExercise } from '../assignment/types';
import { isFloat, numel } from '../engine/dtype';
import { ancestors, type IRNode } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import type { Finding } from '../findings';
import type { Verified } from '../assignment/verdicts';
import type { Segmentation } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { str } from '../python/format';
import type { PyValue } from '../python/values';
import type { SyntaxNode } from '../python/parser';
import { PyEllipsis, PyFunction, PyObject } from '../python/values';
import { LineIndex, type Range } from '../text';
import { Tensor } from '../torch/tensor';
import type { Problem } from './program';
import { Session, problemOf } from './program';
import { checkTrainingLoop, type TrainingTarget } from './training';
import { checkDifferentiation, type DifferentiationTarget } from './derivatives';
import { checkFormulas } from './formulas';
import { planDemo } from './demo';
import { modelFix, modelHint, type Demo } from './demo-report';
import { demoStage, notJudged, type ExerciseContext } from './demo-stage';
import { fmt, lineOfResult, problemFinding, stopsOn } from './problems';

/** Budgets for student code in the harness: generous for an answer, small enough to never hang a check. */
const HARNESS_BUDGETS = { maxSteps: 200_000, maxMillis: 5_000, maxWhileIterations: 10_000 };
const HARNESS_MAX_ELEMENTS = 1 << 22;

export interface BatchRun {
  readonly batch: Readonly<Record<string, number>>;
  readonly session: Session;
  /** Index into `cells` of the cell that stopped, with the problem. */
  readonly problem?: { readonly cellIndex: number; readonly problem: Problem };
  readonly result?: PyValue;
  /** Where the result was computed (a call of the answer's function, or the cell's own code). */
  readonly via?: string;
  readonly overwritten: readonly string[];
  readonly unmappedParameter?: string;
  /** The inputs' nodes as the prelude bound them. */
  readonly provided?: ReadonlyMap<string, IRNode | undefined>;
  /** The inputs as the prelude bound them. */
  readonly inputs: ReadonlyMap<string, PyValue>;
}

export interface ExerciseReport {
  readonly findings: Finding[];
  /** What the runs verified and holds (an answer's value on every batch, a formula by equivalence). */
  readonly verified: Verified[];
  /** Whether anything ran (the device is then the runtime's). */
  readonly ran: boolean;
}

function substitute(template: string, values: Readonly<Record<string, number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}


/** Renames `from=` to `to=` at the keyword argument where the problem is. */
function applyRename(source: string, problem: Problem): string | undefined {
  if (!problem.rename || !problem.span) return undefined;
  const lines = source.split('\n');
  const line = lines[problem.span.start.line];
  if (line === undefined) return undefined;
  const at = problem.span.start.character;
  if (!line.startsWith(problem.rename.from, at)) return undefined;
  lines[problem.span.start.line] = line.slice(0, at) + problem.rename.to + line.slice(at + problem.rename.from.length);
  return lines.join('\n');
}

/** An exercise the notebook answers, with what running it reads: its cells, the release, earlier code. */
interface ExerciseTarget {
  readonly ex: PackExercise;
  readonly release: string;
  /** The answer's code cells, less those still holding the untouched template. */
  readonly worked: readonly number[];
  /** The code cells before the answer (their imports and definitions are there, as in the kernel). */
  readonly setup: readonly string[];
}

/** The code cells answering an item, less those still holding the untouched template. */
function workedCells(nb: Notebook, seg: Segmentation, itemId: string): number[] {
  const item = seg.items.find((i) => i.item.id === itemId);
  if (!item || item.status !== 'answered') return [];
  const cells = [...new Set(item.answer.map((s) => s.cell))].filter((c) => nb.cells[c]?.kind === 'code');
  return cells.filter((c) => !item.untouchedTemplate.includes(c));
}

const codeBefore = (nb: Notebook, cell: number): string[] => nb.cells.filter((c) => c.kind === 'code' && c.index < cell).map((c) => c.source);

function trainingTargets(nb: Notebook, match: PackMatch, seg: Segmentation): TrainingTarget[] {
  return (match.pack.trainingLoops ?? []).flatMap((loop) => {
    const cells = workedCells(nb, seg, loop.item);
    return cells.length ? [{ loop, cells, setup: codeBefore(nb, cells[0] as number) }] : [];
  });
}

function differentiationTargets(match: PackMatch, seg: Segmentation): DifferentiationTarget[] {
  return (match.pack.differentiation ?? []).flatMap((pack) => {
    const item = seg.items.find((i) => i.item.id === pack.item);
    return item && item.status === 'answered' ? [{ pack, prompt: item.prompt, answer: item.answer }] : [];
  });
}

function exerciseTargets(nb: Notebook, match: PackMatch, seg: Segmentation): ExerciseTarget[] {
  const targets: ExerciseTarget[] = [];
  for (const ex of match.pack.exercises ?? []) {
    const worked = workedCells(nb, seg, ex.item);
    if (!worked.length) continue;
    const release = match.release?.id ?? Object.keys(ex.prelude)[0];
    if (!release || !ex.prelude[release] || !ex.reference[release]) continue;
    const setup = codeBefore(nb, worked[0] as number);
    targets.push({ ex, release, worked, setup });
  }
  return targets;
}

/**
 * The Python that binds what an exercise cell reads (its prelude, on the first batch), when `cell` answers
 * one of the pack's exercises; undefined otherwise.
 */
export function exercisePrelude(nb: Notebook, match: PackMatch, seg: Segmentation, cell: number): string | undefined {
  const ex = exerciseTargets(nb, match, seg).find((t) => t.worked.includes(cell));
  if (ex) return substitute(ex.ex.prelude[ex.release] as string, ex.ex.batches[0] ?? {});
  return undefined;
}

/**
 * Everything running the exercises reads, as one string: equal keys give equal findings (up to where the
 * cells now sit), so a shell may keep the last run's findings instead of running again.
 */
export function exerciseKey(nb: Notebook, match: PackMatch, seg: Segmentation): string {
  return JSON.stringify([
    match.pack.id,
    exerciseTargets(nb, match, seg).map((t) => [t.ex.item, t.release, t.worked.map((c) => nb.cells[c]?.source), t.setup]),
    trainingTargets(nb, match, seg).map((t) => [t.loop.item, t.cells.map((c) => nb.cells[c]?.source), t.setup]),
    differentiationTargets(match, seg).map((t) => [t.pack.item, [t.prompt, ...t.answer].map((s) => s && (nb.cells[s.cell]?.source ?? '').slice(s.start, s.end))]),
    (match.pack.posteriorFormulas ?? []).map(({ item }) => seg.items.find((i) => i.item.id === item)?.answer.map((s) => (nb.cells[s.cell]?.source ?? '').slice(s.start, s.end))),
  ]);
}

/** Which part's code is about to run, and in which cell (for a shell that must say where a run stopped). */
export type RunProgress = (at: { readonly question: string; readonly cell: number | undefined }) => void;

export async function runExercises(nb: Notebook, match: PackMatch, seg: Segmentation, runtime: Runtime, progress: RunProgress = () => undefined): Promise<ExerciseReport> {
  const findings: Finding[] = [];
  const verified: Verified[] = [];
  const verify = (v: Verified): void => void verified.push(v);
  let ran = false;
  for (const { ex, release, worked, setup } of exerciseTargets(nb, match, seg)) {
    ran = true;
    progress({ question: ex.item, cell: worked[0] });
    const sessions: Session[] = [];
    try {
      let count: TracedCount | undefined;
      findings.push(...(await checkExercise(nb, ex, release, worked, runtime, sessions, setup, verify, (t) => (count = t))));
      const claim = ex.countIn && count ? nodeCountClaim(nb, seg, ex.countIn) : undefined;
      if (claim && count) {
        const f = nodeCountFinding(ex.countIn as string, claim, count);
        findings.push(f);
        if (claim.count === countOf(count)) verify({ question: ex.countIn as string, aspect: 'count', what: `the node count it states (${claim.count}) matches the graph traced from its code (inputs, the model as one node, one node per operation)`, cells: [claim.cell, ...worked] });
      }
    } finally {
      for (const s of sessions) s.dispose();
    }
  }
  for (const { item } of match.pack.posteriorFormulas ?? []) {
    const answered = seg.items.find((i) => i.item.id === item && i.status === 'answered');
    if (answered) findings.push(...checkFormulas(nb, { item, answer: answered.answer }, verify));
  }
  for (const target of differentiationTargets(match, seg)) {
    ran = true;
    progress({ question: target.pack.item, cell: target.answer[0]?.cell });
    findings.push(...(await checkDifferentiation(nb, target, runtime, verify)).findings);
  }
  for (const target of trainingTargets(nb, match, seg)) {
    ran = true;
    progress({ question: target.loop.item, cell: target.cells[0] });
    findings.push(...(await checkTrainingLoop(nb, target, runtime, (problem, cell, context) => problemFinding(problem, cell, { question: target.loop.item }, context), verify)));
  }
  return { findings, verified, ran };
}

async function runBatch(ex: PackExercise, release: string, batch: Readonly<Record<string, number>>, sources: readonly string[], runtime: Runtime, sessions: Session[], setup: readonly string[]): Promise<BatchRun> {
  const session = await Session.create({ runtime, budgets: HARNESS_BUDGETS, maxElements: HARNESS_MAX_ELEMENTS });
  sessions.push(session);
  for (const src of setup) await session.runDefinitions(src);
  const preludeProblem = await session.run(substitute(ex.prelude[release] as string, batch));
  if (preludeProblem) throw new Error(`the pack's prelude for ${ex.item} failed: ${preludeProblem.message}`);
  const provided = new Map(ex.inputs.map((n) => [n, session.globals.vars.get(n) as PyValue]));
  const providedNodes = new Map(ex.inputs.map((n) => [n, (provided.get(n) as Tensor | undefined)?.node]));
  const before = new Set(session.globals.vars.keys());
  session.ctx.used.clear();
  for (let i = 0; i < sources.length; i++) {
    const problem = await session.run(sources[i] as string);
    if (problem) return { batch, session, problem: { cellIndex: i, problem }, overwritten: [], inputs: provided };
  }
  // An input rebound to something computed from it (`y = y.view(-1, 1)`) is still the grader's input; one
  // replaced by a value of the student's own (`y = torch.tensor([...])`), or a replaced model, is not.
  const overwritten = ex.inputs.filter((n) => {
    const now = session.globals.vars.get(n);
    const was = providedNodes.get(n);
    if (now === provided.get(n) && (!(now instanceof Tensor) || now.node === was)) return false;
    return !(now instanceof Tensor && was && dependsOn(now.node, was));
  });
  let result = session.globals.vars.get(ex.result);
  let via: string | undefined;
  let unmappedParameter: string | undefined;
  if (result === undefined || result instanceof PyEllipsis) {
    // No top-level result: call the function the answer defines, binding its parameters by name.
    const defined = [...session.globals.vars.entries()].filter(([k, v]) => !before.has(k) && v instanceof PyFunction) as [string, PyFunction][];
    const fn = defined[defined.length - 1]?.[1];
    if (fn) {
      const args: PyValue[] = [];
      for (const p of fn.params.filter((q) => q.kind === 'positional')) {
        const input = Object.entries(ex.parameterNames).find(([, names]) => names.includes(p.name))?.[0];
        if (input === 'logits') {
          const site = session.interpreter.site(fn.node, []);
          args.push(await session.interpreter.call(provided.get('model') ?? null, { args: [provided.get('x') ?? null], kwargs: new Map() }, site));
        } else if (input && provided.has(input)) args.push(provided.get(input) as PyValue);
        else if (p.default !== undefined || 'default' in p) break;
        else {
          unmappedParameter = `${fn.name}(${p.name})`;
          break;
        }
      }
      if (!unmappedParameter) {
        try {
          result = await session.interpreter.call(fn, { args, kwargs: new Map() }, session.interpreter.site(fn.node, []));
          via = `${fn.name}(${fn.params.slice(0, args.length).map((p) => p.name).join(', ')})`;
        } catch (e) {
          const problem = problemOf(e);
          const offset = session.sources.length - sources.length;
          const node = (e as { node?: SyntaxNode }).node;
          const at = session.sourceOf(node ?? fn.node) - offset;
          return { batch, session, problem: { cellIndex: Math.max(0, Math.min(at, sources.length - 1)), problem }, overwritten, inputs: provided };
        }
      }
    }
  }
  return { batch, session, ...(result !== undefined ? { result } : {}), ...(via ? { via } : {}), overwritten, ...(unmappedParameter ? { unmappedParameter } : {}), provided: providedNodes, inputs: provided };
}

/** The reference's result for a batch, not yet computed (it is computed with the answer's, as one model). */
async function reference(ex: PackExercise, release: string, batch: Readonly<Record<string, number>>, runtime: Runtime, sessions: Session[]): Promise<Tensor> {
  const session = await Session.create({ runtime });
  sessions.push(session);
  for (const src of [substitute(ex.prelude[release] as string, batch), ex.reference[release] as string]) {
    const p = await session.run(src);
    if (p) throw new Error(`the pack's reference for ${ex.item} failed: ${p.message}`);
  }
  const t = session.globals.vars.get(ex.result);
  if (!(t instanceof Tensor)) throw new Error(`the pack's reference for ${ex.item} binds no tensor ${ex.result}`);
  return t;
}

/** The answer's graph as traced on the first batch: its inputs, the model (one node) and its operations. */
interface TracedCount {
  readonly inputs: readonly string[];
  readonly operations: readonly string[];
  /** The rename the count was traced with (`incices=` read as `index=`), if any. */
  readonly fixed?: string;
}

async function checkExercise(nb: Notebook, ex: PackExercise, release: string, cells: readonly number[], runtime: Runtime, sessions: Session[], setup: readonly string[], verify: (v: Verified) => void, traced?: (t: TracedCount) => void): Promise<Finding[]> {
  const findings: Finding[] = [];
  const base = { question: ex.item };
  let sources = cells.map((c) => nb.cells[c]?.source ?? '');
  const batches = ex.batches;
  const first = batches[0] as Readonly<Record<string, number>>;
  const shapes = (b: Readonly<Record<string, number>>): string => substitute(ex.describeInputs[release] ?? '', b);

  let run = await runBatch(ex, release, first, sources, runtime, sessions, setup);
  const lastCell = cells[cells.length - 1] as number;
  const modelNames = { model: ex.inputs.find((n) => run.inputs.get(n) instanceof PyObject) ?? 'model', input: ex.inputs.find((n) => { const v = run.inputs.get(n); return v instanceof Tensor && isFloat(v.dtype); }) ?? 'x' };
  const c: ExerciseContext = {
    nb, ex, cells, base, first, lastCell, modelNames, runtime,
    inputsWords: shapes(first),
    runOn: (srcs) => runBatch(ex, release, first, srcs, runtime, sessions, setup),
    fixOf: (p, srcs, values) => {
      const renaming = applyRename(srcs[p.cellIndex] as string, p.problem);
      return renaming ? { source: renaming, words: `\`${p.problem.rename?.from}=\` corrected to \`${p.problem.rename?.to}=\`` } : modelFix(p.problem, srcs[p.cellIndex] as string, values, modelNames);
    },
  };

  // A demo (the cell makes its own model, inputs or labels): what it computes as written, then the rest of
  // the cell run on the question's inputs with those assignments set aside, when that is sound.
  const plan = run.problem || run.overwritten.length ? planDemo(sources, ex.inputs) : undefined;
  let demo: Demo | undefined;
  if (plan) {
    const stage = await demoStage(c, plan, sources, run);
    findings.push(...stage.findings);
    if (!stage.next) return findings;
    ({ sources, run, demo } = stage.next);
  }

  let renamed = '';
  const hintFor = (p: { cellIndex: number; problem: Problem }): string | undefined => modelHint(p.problem, sources, p.cellIndex, run.session.globals.vars, modelNames);
  if (run.problem) {
    const { cellIndex, problem } = run.problem;
    findings.push(problemFinding(problem, cells[cellIndex] as number, base, stopsOn(shapes(first), demo), hintFor(run.problem)));
    // Look past a typo in a keyword, or a model used without its input: is the answer right once that is fixed?
    const fix = c.fixOf(run.problem, sources, run.session.globals.vars);
    if (!fix) return findings;
    sources = sources.map((s, i) => (i === cellIndex ? fix.source : s));
    run = await runBatch(ex, release, first, sources, runtime, sessions, setup);
    if (run.problem) return findings;
    renamed = fix.words;
  }
  const prefix = renamed ? `With ${demo ? `${demo.words} set aside and ` : ''}${renamed}, the cell runs, but ` : demo ? `With ${demo.words} set aside, ` : '';
  const follows = renamed ? { follows: 'code.runtime-error' as const } : {};
  const cellOf = (loc: { source?: number } | undefined): number | undefined => {
    if (loc?.source === undefined) return undefined;
    const i = loc.source - (run.session.sources.length - sources.length);
    return i >= 0 && i < cells.length ? cells[i] : undefined;
  };
  const resultAt = (t: Tensor | undefined): { cell: number; range?: Range } => {
    const loc = t?.node.loc;
    const cell = cellOf(loc);
    if (cell === undefined || !loc) return { cell: lastCell, range: lineOfResult(nb.cells[lastCell]?.source ?? '', ex.result) };
    return { cell, range: { start: { line: loc.row, character: loc.column }, end: { line: loc.endRow, character: loc.endColumn } } };
  };

  if (run.overwritten.length) {
    findings.push(notJudged(c, run.overwritten, "so nbcheck cannot run it on the question's inputs"));
    return findings;
  }
  if (run.unmappedParameter) {
    findings.push({ ...base, code: 'code.unsupported', severity: 'info', cell: lastCell, message: `Not checked automatically: the answer defines ${run.unmappedParameter} and nbcheck cannot tell which of the inputs (${ex.inputs.join(', ')}) that parameter is.` });
    return findings;
  }
  const result = run.result;
  if (result === undefined || result instanceof PyEllipsis) return findings;
  const what = run.via ?? ex.result;
  if (!(result instanceof Tensor) && typeof result !== 'number') {
    findings.push({ ...base, ...follows, code: 'code.not-scalar', severity: 'error', cell: lastCell, message: `${prefix}${what} is a ${typeof result === 'bigint' ? 'int' : str(result).slice(0, 40)}, not a tensor holding ${ex.expected}.` });
    return findings;
  }
  const where = resultAt(result instanceof Tensor ? result : undefined);
  if (result instanceof Tensor && traced) {
    const inputs = ex.inputs.filter((n) => n !== 'model' && run.provided?.get(n) && dependsOn(result.node, run.provided.get(n) as IRNode));
    traced({ inputs, operations: studentOperations(result.node).map((o) => o.api), ...(renamed ? { fixed: renamed } : {}) });
  }
  if (result instanceof Tensor && numel(result.shape) !== 1) {
    const hints = traceHints(result.node, first, run.session.sources, ex.required[release] ?? []);
    findings.push({
      ...base,
      code: 'code.not-scalar',
      severity: 'error',
      ...follows,
      ...where,
      message: `${prefix}${what} has shape [${result.shape.join(', ')}] on the question's inputs (${shapes(first)}); ${ex.expected} is a single number (a scalar).${hints.length ? ` ${hints.join(' ')}` : ''}`,
    });
    return findings;
  }

  // Values on every batch, against the reference: all of them computed as one model.
  const runs: BatchRun[] = [run];
  for (const b of batches.slice(1)) {
    const r = await runBatch(ex, release, b, sources, runtime, sessions, setup);
    if (r.problem) {
      findings.push(problemFinding(r.problem.problem, cells[r.problem.cellIndex] as number, base, { sentence: `This happens on the question's inputs with ${shapes(b)}${demo ? `, with ${demo.words} set aside` : ''}`, running: `running on the question's inputs (${shapes(b)})${demo ? ` with ${demo.words} set aside` : ''}` }, hintFor(r.problem)));
      return findings;
    }
    runs.push(r);
  }
  const refs: Tensor[] = [];
  for (const b of batches) refs.push(await reference(ex, release, b, runtime, sessions));
  const results = runs.map((r) => r.result ?? null);
  const pending = [...results, ...refs].filter((v): v is Tensor => v instanceof Tensor);
  const computed = new Map((await runtime.realize(pending.map((t) => t.node))).map((d, i) => [pending[i] as Tensor, Number(d.data[0])]));
  const valueOf = (v: PyValue): number => (typeof v === 'number' ? v : v instanceof Tensor ? (computed.get(v) ?? NaN) : NaN);
  const got = results.map(valueOf);
  const want = refs.map(valueOf);
  const refOps = refs.map((t) => studentOperations(t.node).length);
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= ex.tolerance.atol + ex.tolerance.rtol * Math.abs(b);
  const wrong = got.some((g, i) => !close(g, want[i] as number));
  if (wrong) {
    const hints = [...ratioHints(got, want, batches, ex.expected), ...traceHints((result as Tensor).node, first, run.session.sources, ex.required[release] ?? [])];
    const shown = (ex.showValues ?? []).flatMap((n) => {
      const d = (run.session.globals.vars.get(n) as Tensor | undefined)?.known?.();
      return d ? [`${n} = [${Array.from(d.data as ArrayLike<unknown>, (v) => String(v)).join(', ')}]`] : [];
    });
    const labels = shown.length ? ` (${shown.join(', ')})` : '';
    findings.push({
      ...base,
      code: 'code.numeric-mismatch',
      severity: 'error',
      ...follows,
      ...where,
      message:
        `${prefix}${what} is wrong: on the question's inputs with ${shapes(first)}${labels} it is ${fmt(got[0] as number)}, where ${ex.expected} is ${fmt(want[0] as number)}` +
        ` (${got.filter((g, i) => !close(g, want[i] as number)).length} of ${batches.length} batches differ).${hints.length ? ` ${hints.join(' ')}` : ''}`,
    });
  } else if (renamed) {
    findings.push({ ...base, code: 'code.numeric-mismatch', severity: 'info', follows: 'code.runtime-error', ...where, message: `${prefix}the value is then right on all ${batches.length} batches.` });
  } else {
    verify({ question: ex.item, aspect: 'exercise', what: `${demo ? `with ${demo.words} set aside, ` : ''}ran on ${batches.length} batches of the question's inputs (${shapes(first)}, …): equals ${ex.expected} on each`, cells: [...cells] });
  }

  // What the question asks besides the value.
  const used = run.session.ctx.used;
  const required = ex.required[release] ?? [];
  const missing = required.filter((f) => !used.has(f));
  if (missing.length) {
    findings.push({
      ...base,
      code: 'code.required-function-unused',
      severity: 'warning',
      ...where,
      message: `The question asks to use ${required.map((f) => `\`${f}\``).join(' and ')}; this answer does not call ${missing.map((f) => `\`${f}\``).join(' or ')}.`,
    });
  }
  if (!wrong && result instanceof Tensor) {
    const ops = studentOperations(result.node);
    const refCount = refOps[0] as number;
    if (ops.length > refCount) {
      findings.push({
        ...base,
        code: 'code.extra-operations',
        severity: 'info',
        ...where,
        message: `This answer takes ${ops.length} operations after the model (${ops.map((o) => o.api).join(', ')}); it can be done in ${refCount}, and the question asks for as few as possible.`,
      });
    }
  }
  return findings;
}

/** Nodes of the computation after the model (the student's operations), one per call site. */
export function studentOperations(result: IRNode): { api: string; node: IRNode }[] {
  const all = ancestors([result]);
  const fromModel = new Set<IRNode>();
  for (const n of [...all].sort((a, b) => a.id - b.id)) {
    if (n.module || n.inputs.some((i) => fromModel.has(i))) fromModel.add(n);
  }
  const sites = new Map<string, { api: string; node: IRNode }>();
  for (const n of [...fromModel].sort((a, b) => a.id - b.id)) {
    if (!n.api || n.module || n.op === 'Data') continue;
    const key = `${n.api}@${n.loc?.source}:${n.loc?.row}:${n.loc?.column}`;
    if (!sites.has(key)) sites.set(key, { api: n.api, node: n });
  }
  return [...sites.values()];
}

function dependsOn(node: IRNode, input: IRNode): boolean {
  return ancestors([node]).has(input);
}


/** Hints for a loss over a batch of B samples and C classes, from got/expected in every batch. */
function ratioHints(got: readonly number[], want: readonly number[], batches: readonly Readonly<Record<string, number>>[], expected: string): string[] {
  if (!batches.every((b) => b.B !== undefined && b.C !== undefined)) return [];
  const all = (f: (ratio: number, b: Readonly<Record<string, number>>) => boolean): boolean =>
    got.every((g, i) => want[i] !== 0 && f(g / (want[i] as number), batches[i] as Readonly<Record<string, number>>));
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-3 * Math.abs(b);
  const Bs = batches.map((b) => b.B).join(', ');
  if (all((r, b) => near(r, b.B as number))) return [`It is B times the loss in every batch (B = ${Bs}): it sums over the batch, where ${expected} is the mean.`];
  if (all((r, b) => near(r, -(b.B as number)))) return [`It is −B times the loss in every batch (B = ${Bs}): it sums over the batch instead of taking the mean, and the sign is flipped.`];
  if (all((r) => near(r, -1))) return ['It is the loss with the wrong sign: the cross-entropy is the mean of −log p, not of log p.'];
  if (all((r, b) => near(r, 1 / (b.C as number)))) return ['It is the loss divided by C in every batch: the mean is taken over all B·C entries instead of over the B samples.'];
  return [];
}

/** Hints read off the computation of a loss over a batch of B samples and C classes. */
/**
 * How to pick one log-probability per row with the function the question asks for (a hint never suggests
 * another one): index_select on the flattened log-probabilities or the matrix's diagonal, or gather.
 */
function pickHint(required: readonly string[]): string {
  if (required.includes('index_select')) return 'Take its diagonal (`.diagonal()`), or pick one entry per row with index_select on the flattened log-probabilities: `index_select(logp.view(-1), 0, y + C * torch.arange(B))`.';
  if (required.includes('gather')) return 'Pick one entry per row with gather: `gather(logp, 1, y)` with y of shape [B, 1].';
  return 'Pick one entry per row, e.g. `logp[range(B), y]`.';
}

function traceHints(result: IRNode, batch: Readonly<Record<string, number>>, sources: readonly string[], required: readonly string[]): string[] {
  const B = batch.B;
  const C = batch.C;
  if (B === undefined || C === undefined) return [];
  const nodes = studentOperations(result).map((o) => o.node);
  // A call site may make several nodes (index_select of a [B, C] input: the Gather); look at all of them.
  for (const n of [...ancestors([result])].sort((a, b) => a.id - b.id)) if (!n.module && n.api && !nodes.includes(n)) nodes.push(n);
  const hints: string[] = [];
  const text = (n: IRNode): string => {
    const source = n.loc?.source === undefined ? undefined : sources[n.loc.source];
    if (source === undefined || !n.loc || n.loc.row !== n.loc.endRow) return n.api ?? n.op;
    return (source.split('\n')[n.loc.row] ?? '').slice(n.loc.column, n.loc.endColumn);
  };
  const square = nodes.find((n) => n.shape.length === 2 && n.shape[0] === B && n.shape[1] === B && n.op !== 'Data');
  // Taking the diagonal afterwards recovers each sample's own label: then the matrix is only wasteful.
  const diagonalTaken = square && nodes.some((n) => n.id > square.id && (n.api === 'diag' || n.api === 'diagonal') && ancestors([n]).has(square));
  if (square && !diagonalTaken) {
    const how = square.api === 'index_select'
      ? `index_select along dim 1 with the B labels takes, for every sample, the log-probabilities of all B labels in y`
      : `it pairs every sample with every label in y`;
    hints.push(`\`${text(square)}\` makes a [B, B] matrix ([${B}, ${B}] here): ${how}; only its diagonal pairs each sample with its own label. ${pickHint(required)}`);
    // Fixing the selection alone would still leave a sum where the loss is a mean: say both.
    const apis = new Set(studentOperations(result).map((o) => o.api));
    if (apis.has('sum') && !apis.has('mean') && !apis.has('/') && !apis.has('div')) hints.push('It also sums over the batch where the loss is the mean over its B samples: after picking one entry per row, take the mean (or divide by B).');
  }
  const overBatch = nodes.find((n) => (n.op === 'LogSoftmax' || n.op === 'Softmax') && n.attrs.axis === 0 && n.shape.length === 2 && n.shape[0] === B && n.shape[1] === C);
  if (overBatch) hints.push(`\`${text(overBatch)}\` normalises over dim 0, the batch; the classes are dim 1.`);
  return hints;
}

const OPERATOR_NAMES: Readonly<Record<string, string>> = { '*': 'mul', '+': 'add', '-': 'sub', '/': 'div', '@': 'matmul', '**': 'pow', 'unary -': 'neg', '[]': 'indexing' };
/** An operation's name for people: `mul` for `*`, `neg` for unary minus. */
export const operationName = (api: string): string => OPERATOR_NAMES[api] ?? api;

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };

/** The node count an answer states ("There will be 7 nodes"), with where it says so. */
function nodeCountClaim(nb: Notebook, seg: Segmentation, item: string): { count: number; cell: number; range: Range } | undefined {
  const answer = seg.items.find((i) => i.item.id === item);
  if (!answer || answer.status !== 'answered') return undefined;
  for (const span of answer.answer) {
    const source = nb.cells[span.cell]?.source ?? '';
    const m = /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:main\s+)?nodes\b/i.exec(source.slice(span.start, span.end));
    if (!m) continue;
    const count = /^\d+$/.test(m[1] as string) ? Number(m[1]) : (NUMBER_WORDS[(m[1] as string).toLowerCase()] as number);
    const start = span.start + m.index;
    return { count, cell: span.cell, range: new LineIndex(source).range(start, start + m[0].length) };
  }
  return undefined;
}

const countOf = (t: TracedCount): number => t.inputs.length + 1 + t.operations.length;

function nodeCountFinding(item: string, claim: { count: number; cell: number; range: Range }, t: TracedCount): Finding {
  const total = countOf(t);
  const from = t.fixed ? `the answer's code (with ${t.fixed})` : "the answer's code";
  const convention = `${t.inputs.map((n) => `\`${n}\``).join(' and ')} as inputs, the model as one black-box node, and one node per operation after it (${t.operations.map(operationName).join(', ')}); constants are not counted`;
  const verdict = claim.count === total ? `This matches the answer's ${claim.count}.` : `The answer says ${claim.count}; another convention (counting constants, or only the operations) gives another number.`;
  return { question: item, code: 'graph.node-count', severity: 'info', rule: `${claim.count}/${total}`, cell: claim.cell, range: claim.range, message: `The graph traced from ${from} has ${total} nodes — counting ${convention}. ${verdict}` };
}
