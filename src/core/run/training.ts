/**
 * Runs a training-loop answer (Question 2: resolving gradient conflicts between two tasks) on the pack's
 * model, loader and task losses, and watches it: which task losses it computes, each backward pass, and what
 * each optimizer step applies, read at the step and compared with the rule (g1 or g2 when g1·g2 < 0, else
 * g1 + g2). Findings carry the step, the dot product and what was applied; PyTorch's own errors (a second
 * backward through a freed graph) are reported at their line with where the graph was freed.
 */
import type { PackTrainingLoop } from '../assignment/types';
import type { IRNode, SourceLoc } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import type { Finding } from '../findings';
import type { Verified } from '../assignment/verdicts';
import type { Notebook } from '../notebook/types';
import type { SyntaxNode } from '../python/parser';
import type { CallArgs, PyValue } from '../python/values';
import { HostValue, PyBuiltin, PyFunction, PyTuple, typeName } from '../python/values';
import type { Range } from '../text';
import { fmtNumber } from '../report/graph-draw';
import { leafGradients, leavesOf } from '../torch/autograd';
import { Tensor } from '../torch/tensor';
import type { ProblemContext } from './problems';
import type { Problem } from './program';
import { Session, problemOf } from './program';
import { classifyDirection, classifyStep, conflictSign, dots, type Combination, type PerParameter, type StepVerdict } from './step-verdict';

const LOOP_BUDGETS = { maxSteps: 400_000, maxMillis: 8_000, maxWhileIterations: 10_000 };
const LOOP_MAX_ELEMENTS = 1 << 20;

/** Thrown by the harness inside the program; never caught by the program's own `try`. */
class HarnessStop extends Error {}
class HarnessShape extends Error {}

/** A batch of the pack's loader: unpacks as (inputs, targets), indexes as batch['inputs'] or batch[0]. */
class Batch extends HostValue {
  constructor(
    readonly inputs: Tensor,
    readonly targets: Tensor,
  ) {
    super();
  }

  typeName(): string {
    return 'Batch';
  }

  override getItem(index: PyValue): PyValue | undefined {
    if (index === 0n || index === -2n || (typeof index === 'string' && /^(inputs?|x|X|data|features|images?)$/.test(index))) return this.inputs;
    if (index === 1n || index === -1n || (typeof index === 'string' && /^(targets?|y|Y|labels?)$/.test(index))) return this.targets;
    return undefined;
  }

  override iterate(): PyValue[] {
    return [this.inputs, this.targets];
  }

  override length(): number {
    return 2;
  }

  override getAttr(name: string): PyValue | undefined {
    if (name === 'to' || name === 'cuda' || name === 'cpu') return new PyBuiltin(name, () => this);
    if (name === 'inputs' || name === 'targets') return this[name];
    return undefined;
  }

  override repr(): string {
    return `Batch(inputs=[${this.inputs.shape.join(', ')}], targets=[${this.targets.shape.join(', ')}])`;
  }
}

interface StepEvent {
  readonly loc: SourceLoc | undefined;
  /** A manual update of the parameters (`p.data -= lr * g`, or under no_grad), not an optimizer's step. */
  readonly manual?: boolean;
  readonly index: number;
  /** Which batch of the loader the task losses were computed on (0-based), when known. */
  readonly batch: number | undefined;
  readonly verdict: StepVerdict | undefined;
  readonly dot: number;
  readonly perParameterDot: readonly number[];
  readonly sign: -1 | 0 | 1;
  readonly shapes: readonly (readonly number[])[];
  /** The backward passes the verdict's `accumulated.from` indexes. */
  readonly backwards: readonly (SourceLoc | undefined)[];
}

interface LoopRun {
  readonly steps: StepEvent[];
  /** Backward passes and steps in program order (to name the backward a premature step comes before). */
  readonly timeline: { readonly kind: 'backward' | 'step'; readonly loc: SourceLoc | undefined }[];
  readonly problems: { readonly cell: number; readonly problem: Problem; readonly freedAt?: readonly SourceLoc[]; readonly notRun?: string }[];
  lossCalls: number;
  backwardCount: number;
  /** Parameters of the losses' graphs modified in place without an optimizer step being seen. */
  updatedWithoutStep: boolean;
  refused: boolean;
  /** Maps `SourceLoc.source` to the answer's cell. */
  cellOf(loc: SourceLoc | undefined): number | undefined;
  /** The text at `loc` (one line). */
  textAt(loc: SourceLoc | undefined): string;
}

const rangeOf = (loc: SourceLoc): Range => ({ start: { line: loc.row, character: loc.column }, end: { line: loc.endRow, character: loc.endColumn } });
const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(3));
const COMBINATION_TEXT: Record<Combination, string> = { g1: "task 1's gradient g1", g2: "task 2's gradient g2", sum: 'g1 + g2', zero: 'a zero gradient' };

function substitute(template: string, seed: number): string {
  return template.replace(/\{seed\}/g, String(seed));
}

/** One run of the answer on one seed, watched. */
async function observe(loop: PackTrainingLoop, seed: number, sources: readonly string[], cells: readonly number[], setup: readonly string[], runtime: Runtime, keepGraphs: boolean, sessions: Session[]): Promise<LoopRun> {
  const session = await Session.create({ runtime, budgets: LOOP_BUDGETS, maxElements: LOOP_MAX_ELEMENTS });
  sessions.push(session);
  const ctx = session.ctx;
  const batches: Batch[] = [];
  session.globals.vars.set('__nbcheck_make_batch__', new PyBuiltin('__nbcheck_make_batch__', (a: CallArgs) => {
    const b = new Batch(a.args[0] as Tensor, a.args[1] as Tensor);
    batches.push(b);
    return b;
  }));
  let lastBatch: number | undefined;
  session.globals.vars.set('__nbcheck_batch__', new PyBuiltin('__nbcheck_batch__', (a: CallArgs) => {
    const [inputs, given] = a.args;
    if (inputs instanceof Batch) {
      lastBatch = batches.indexOf(inputs);
      return new PyTuple([inputs.inputs, inputs.targets]);
    }
    if (inputs instanceof Tensor) {
      const k = batches.findIndex((b) => b.inputs === inputs || b.inputs.node === inputs.node);
      if (k >= 0) lastBatch = k;
      if (given instanceof Tensor) return new PyTuple([inputs, given]);
      if (k >= 0) return new PyTuple([inputs, (batches[k] as Batch).targets]);
    }
    throw new HarnessShape(`the task losses were called with ${inputs instanceof Tensor ? 'a tensor that is not one of the loader\'s inputs' : `a ${typeName(inputs ?? null)}`} as inputs (the loader's batches unpack as (inputs, targets))`);
  }));
  for (const src of setup) await session.runDefinitions(src);
  const preludeProblem = await session.run(substitute(loop.prelude, seed));
  if (preludeProblem) throw new Error(`the pack's prelude for ${loop.item} failed: ${preludeProblem.message}`);
  const provided = new Map(session.globals.vars);
  const offset = session.sources.length;

  const timeline: LoopRun['timeline'] = [];
  const steps: StepEvent[] = [];
  const latest = new Map<1 | 2, Tensor>();
  let lossBatch: number | undefined;
  let sinceStep: { loc: SourceLoc | undefined; added: ReadonlyMap<Tensor, IRNode> }[] = [];
  let previous: PerParameter | undefined;
  const versions = new Map<Tensor, number>();
  const run: LoopRun = {
    steps,
    timeline,
    problems: [],
    lossCalls: 0,
    backwardCount: 0,
    updatedWithoutStep: false,
    refused: false,
    cellOf: (loc) => {
      if (loc?.source === undefined) return undefined;
      return cells[loc.source - offset];
    },
    textAt: (loc) => {
      if (!loc || loc.source === undefined || loc.row !== loc.endRow) return '';
      return (session.sources[loc.source]?.split('\n')[loc.row] ?? '').slice(loc.column, loc.endColumn);
    },
  };
  // Manual updates: the parameters' values before the first write of an update, until the next loss or
  // backward pass closes it; judged after the run by what they changed (old − new, over the learning rate).
  interface Manual {
    readonly at: number;
    readonly loc: SourceLoc | undefined;
    readonly params: readonly Tensor[];
    readonly old: Map<Tensor, IRNode>;
    readonly l1: Tensor | undefined;
    readonly l2: Tensor | undefined;
    readonly batch: number | undefined;
    readonly backwards: typeof sinceStep;
    applied?: (IRNode | undefined)[];
    lr?: number;
  }
  let manual: Manual | undefined;
  const manuals: Manual[] = [];
  const lrNames = loop.parameterNames['lr'] ?? ['lr'];
  const closeManual = (): void => {
    const m = manual;
    if (!m) return;
    manual = undefined;
    m.applied = m.params.map((p) => {
      const before = m.old.get(p);
      return before ? ctx.op('Sub', [before, p.node]) : undefined;
    });
  };
  const lossNames = new Map(loop.lossFunctions.map((n, i) => [n, (i + 1) as 1 | 2]));
  session.interpreter.onReturn = (fn: PyFunction, result: PyValue) => {
    const task = lossNames.get(fn.name);
    if (!task || !(result instanceof Tensor)) return;
    closeManual();
    run.lossCalls++;
    latest.set(task, result);
    lossBatch = lastBatch;
    for (const t of leavesOf(ctx, result)) if (!versions.has(t)) versions.set(t, t.version);
  };
  let refusedAt: readonly SourceLoc[] | undefined;
  ctx.keepGraphs = keepGraphs;
  ctx.observer = {
    backward: (e) => {
      closeManual();
      run.backwardCount++;
      timeline.push({ kind: 'backward', loc: e.loc });
      sinceStep.push(e);
    },
    refused: (e) => {
      run.refused = true;
      refusedAt = e.freedAt;
    },
    written: (e) => {
      const l1 = latest.get(1);
      const l2 = latest.get(2);
      const params = [...new Set([...(l1 ? leavesOf(ctx, l1) : []), ...(l2 ? leavesOf(ctx, l2) : [])])];
      const p = params.find((q) => q.storage === e.storage);
      if (!p) return;
      if (!manual) {
        if (steps.length >= loop.maxSteps) throw new HarnessStop();
        timeline.push({ kind: 'step', loc: e.loc });
        manual = { at: steps.length, loc: e.loc, params, old: new Map(), l1, l2, batch: lossBatch, backwards: sinceStep };
        sinceStep = [];
        manuals.push(manual);
        steps.push({ loc: e.loc, manual: true, index: steps.length + 1, batch: lossBatch, verdict: undefined, dot: NaN, perParameterDot: [], sign: 0, shapes: [], backwards: [] });
      }
      if (!manual.old.has(p)) manual.old.set(p, p.node);
      // The learning rate the update reads: a name of the line, as it is where the line runs.
      if (manual.lr === undefined) {
        const text = run.textAt(e.loc);
        const name = lrNames.find((n) => new RegExp(`\\b${n}\\b`).test(text));
        const v = name ? session.interpreter.scope?.lookup(name) : undefined;
        if ((typeof v === 'number' || typeof v === 'bigint') && Number(v) > 0) manual.lr = Number(v);
      }
    },
    step: async (e) => {
      closeManual();
      if (steps.length >= loop.maxSteps) throw new HarnessStop();
      timeline.push({ kind: 'step', loc: e.loc });
      const l1 = latest.get(1);
      const l2 = latest.get(2);
      const backwards = sinceStep;
      sinceStep = [];
      for (const p of e.params) versions.set(p, p.version + 1);
      if (!l1 || !l2) {
        steps.push({ loc: e.loc, index: steps.length + 1, batch: lossBatch, verdict: undefined, dot: NaN, perParameterDot: [], sign: 0, shapes: [], backwards: [] });
        return;
      }
      const params = e.params;
      const g1 = leafGradients(ctx, l1, params);
      const g2 = leafGradients(ctx, l2, params);
      const pending: IRNode[] = [];
      const slot = (n: IRNode | undefined): number => (n ? pending.push(n) - 1 : -1);
      const observedAt = params.map((p) => slot(p.grad?.node));
      const g1At = g1.map(slot);
      const g2At = g2.map(slot);
      const partsAt = backwards.map((b) => params.map((p) => slot(b.added.get(p))));
      const values = await ctx.runtime.realize(pending);
      const read = (at: readonly number[]): Float64Array[] => at.map((k, p) => (k < 0 ? new Float64Array((params[p] as Tensor).shape.reduce((a, b) => a * b, 1)) : Float64Array.from(values[k]?.data as ArrayLike<number>)));
      const reading = { observed: read(observedAt), g1: read(g1At), g2: read(g2At), contributions: partsAt.map(read), ...(previous ? { previous } : {}) };
      const verdict = classifyStep(reading);
      const d = dots(reading.g1, reading.g2);
      const flat = (v: PerParameter): Float64Array => Float64Array.from(v.flatMap((a) => Array.from(a)));
      steps.push({
        loc: e.loc,
        index: steps.length + 1,
        batch: lossBatch,
        verdict,
        dot: d.total,
        perParameterDot: d.perParameter,
        sign: conflictSign(flat(reading.g1), flat(reading.g2)),
        shapes: params.map((p) => p.shape),
        backwards: backwards.map((b) => b.loc),
      });
      previous = reading.observed;
    },
  };

  const notDefined = (p: Problem): string | undefined => {
    if (p.kind !== 'error' || p.type !== 'NameError') return undefined;
    return /name '([^']+)' is not defined/.exec(p.message)?.[1];
  };
  const before = new Set(session.globals.vars.keys());
  let stopped = false;
  /** Runs a piece of the answer; false when it stopped on a problem (recorded). */
  const attempt = async (cellIndex: number, go: () => Promise<{ problem: Problem; cellIndex: number } | undefined>): Promise<boolean> => {
    try {
      const stop = await go();
      if (!stop) return true;
      const { problem } = stop;
      const missing = notDefined(problem);
      run.problems.push({
        cell: cells[stop.cellIndex] as number,
        problem,
        ...(run.refused && refusedAt ? { freedAt: refusedAt } : {}),
        ...(missing && !provided.has(missing) ? { notRun: `it reads \`${missing}\`, which neither the question nor nbcheck's harness defines` } : {}),
      });
      return false;
    } catch (e) {
      if (e instanceof HarnessStop) {
        stopped = true;
        return true;
      }
      if (e instanceof HarnessShape) {
        run.problems.push({ cell: cells[cellIndex] as number, problem: { kind: 'unsupported', message: e.message }, notRun: e.message });
        return false;
      }
      throw e;
    }
  };
  for (let i = 0; i < sources.length && !stopped; i++) {
    const ok = await attempt(i, async () => {
      const problem = await session.run(sources[i] as string);
      return problem ? { problem, cellIndex: i } : undefined;
    });
    if (!ok && (run.refused || run.problems[run.problems.length - 1]?.notRun)) break;
  }

  // Nothing ran the loop: call the function the answer defines, binding its parameters by name.
  if (!stopped && !run.lossCalls && !run.problems.length) {
    const defined = [...session.globals.vars.entries()].filter(([k, v]) => !before.has(k) && v instanceof PyFunction && !lossNames.has(k)) as [string, PyFunction][];
    const fn = defined[defined.length - 1]?.[1];
    if (fn) {
      const args: PyValue[] = [];
      let unmapped: string | undefined;
      for (const p of fn.params.filter((q) => q.kind === 'positional')) {
        const name = Object.entries(loop.parameterNames).find(([, names]) => names.includes(p.name))?.[0];
        if (name && provided.has(name)) args.push(provided.get(name) as PyValue);
        else if ('default' in p) break;
        else {
          unmapped = p.name;
          break;
        }
      }
      const clamp = (i: number): number => Math.max(0, Math.min(i, sources.length - 1));
      const defIndex = clamp(session.sourceOf(fn.node) - offset);
      if (unmapped) {
        run.problems.push({ cell: cells[defIndex] as number, problem: { kind: 'unsupported', message: `parameter ${unmapped}` }, notRun: `nbcheck cannot tell what the parameter \`${unmapped}\` of \`${fn.name}\` stands for` });
      } else {
        await attempt(defIndex, async () => {
          try {
            await session.interpreter.call(fn, { args, kwargs: new Map() }, session.interpreter.site(fn.node, []));
            return undefined;
          } catch (e) {
            if (e instanceof HarnessStop || e instanceof HarnessShape) throw e;
            const node = (e as { node?: SyntaxNode }).node;
            return { problem: problemOf(e), cellIndex: node ? clamp(session.sourceOf(node) - offset) : defIndex };
          }
        });
      }
    }
  }
  closeManual();
  await judgeManual(ctx, manuals, steps);
  if (!steps.length) run.updatedWithoutStep = [...versions].some(([t, v]) => t.version > v);
  return run;
}

/** The verdicts of the manual updates, from what each changed (read now: the IR keeps the values it had). */
async function judgeManual(ctx: Session['ctx'], manuals: readonly { at: number; loc: SourceLoc | undefined; params: readonly Tensor[]; l1: Tensor | undefined; l2: Tensor | undefined; batch: number | undefined; backwards: readonly { loc: SourceLoc | undefined; added: ReadonlyMap<Tensor, IRNode> }[]; applied?: (IRNode | undefined)[]; lr?: number }[], steps: StepEvent[]): Promise<void> {
  for (const m of manuals) {
    if (!m.l1 || !m.l2 || !m.applied) continue;
    const g1 = leafGradients(ctx, m.l1, m.params);
    const g2 = leafGradients(ctx, m.l2, m.params);
    const pending: IRNode[] = [];
    const slot = (n: IRNode | undefined): number => (n ? pending.push(n) - 1 : -1);
    const appliedAt = m.applied.map(slot);
    const g1At = g1.map(slot);
    const g2At = g2.map(slot);
    const partsAt = m.backwards.map((b) => m.params.map((p) => slot(b.added.get(p))));
    const values = await ctx.runtime.realize(pending);
    const lr = m.lr;
    const read = (at: readonly number[], scale = 1): Float64Array[] => at.map((k, p) => (k < 0 ? new Float64Array((m.params[p] as Tensor).shape.reduce((a, b) => a * b, 1)) : Float64Array.from(values[k]?.data as ArrayLike<number>, (x) => Number(x) / scale)));
    const reading = { observed: read(appliedAt, lr ?? 1), g1: read(g1At), g2: read(g2At), contributions: partsAt.map((a) => read(a)) };
    const verdict = lr !== undefined ? classifyStep(reading) : classifyDirection(reading);
    const d = dots(reading.g1, reading.g2);
    const flat = (v: PerParameter): Float64Array => Float64Array.from(v.flatMap((a) => Array.from(a)));
    steps[m.at] = {
      loc: m.loc,
      manual: true,
      index: m.at + 1,
      batch: m.batch,
      verdict,
      dot: d.total,
      perParameterDot: d.perParameter,
      sign: conflictSign(flat(reading.g1), flat(reading.g2)),
      shapes: m.params.map((p) => p.shape),
      backwards: m.backwards.map((b) => b.loc),
    };
  }
}


export interface TrainingTarget {
  readonly loop: PackTrainingLoop;
  readonly cells: readonly number[];
  readonly setup: readonly string[];
}

/** Runs a training-loop answer on every seed of the pack and reports what it does wrong. */
export async function checkTrainingLoop(nb: Notebook, target: TrainingTarget, runtime: Runtime, toFinding: (problem: Problem, cell: number, context: ProblemContext) => Finding, verify?: (v: Verified) => void): Promise<Finding[]> {
  const { loop, cells, setup } = target;
  const sources = cells.map((c) => nb.cells[c]?.source ?? '');
  const sessions: Session[] = [];
  const findings = new Map<string, Finding>();
  const counts = new Map<string, number>();
  const base = { question: loop.item };
  const add = (f: Finding, key = `${f.code}@${f.cell}:${f.range?.start.line ?? ''}`): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (!findings.has(key)) findings.set(key, f);
  };
  const context = { sentence: `The cell stops here when nbcheck runs the loop (${loop.describe})`, running: `running the loop on nbcheck's model (${loop.describe})` };
  let steps = 0;
  let conflicting = 0;
  let allRight = true;
  try {
    for (const [k, seed] of loop.seeds.entries()) {
      const run = await observe(loop, seed, sources, cells, setup, runtime, false, sessions);
      report(run, '', add, base, toFinding, context);
      steps += run.steps.length;
      conflicting += run.steps.filter((st) => st.sign < 0).length;
      allRight &&= !run.problems.length && run.steps.length > 0 && run.steps.every((st) => st.verdict?.kind === 'ok');
      if (run.problems.some((p) => p.notRun)) break;
      if (run.refused && k === 0) {
        // What the rest of the loop does once the graph is kept, as retain_graph=True would.
        const kept = await observe(loop, seed, sources, cells, setup, runtime, true, sessions);
        report(kept, 'With the graph kept (as retain_graph=True would): ', add, base, toFinding, context);
      }
    }
  } finally {
    for (const s of sessions) s.dispose();
  }
  if (verify && allRight && !findings.size) {
    verify({ question: loop.item, aspect: 'training', what: `ran the loop on ${loop.seeds.length} seeds: each of its ${steps} optimizer steps applied the rule's gradient (${conflicting} with g1·g2 < 0)`, cells: [...cells] });
  }
  return [...findings.values()];
}

type Add = (f: Finding, key?: string) => void;

function report(run: LoopRun, prefix: string, add: Add, base: { question: string }, toFinding: (problem: Problem, cell: number, context: ProblemContext) => Finding, context: ProblemContext): void {
  const at = (loc: SourceLoc | undefined): { cell: number; range: Range } | undefined => {
    const cell = run.cellOf(loc);
    return cell === undefined || !loc ? undefined : { cell, range: rangeOf(loc) };
  };
  const line = (loc: SourceLoc | undefined): string => {
    const text = run.textAt(loc);
    const where = loc ? `line ${loc.row + 1}` : 'an earlier line';
    return text ? `\`${text}\` at ${where}` : where;
  };

  for (const { cell, problem, freedAt, notRun } of run.problems) {
    if (notRun) {
      add({ ...base, code: 'training.not-run', severity: 'info', cell, message: `Question 2's loop is not checked automatically: ${notRun}. nbcheck gives the loop ${PROVIDES}.` });
      continue;
    }
    if (problem.type === 'RuntimeError' && /^Trying to backward through the graph a second time/.test(problem.message)) {
      const range = problem.span ? { range: { start: problem.span.start, end: problem.span.end } } : {};
      const freed = freedAt?.length ? `${[...freedAt].sort((a, b) => a.row - b.row).map(line).join(' and ')} already freed this graph's saved values` : 'an earlier backward pass already freed this graph\'s saved values';
      add({
        ...base,
        code: 'training.graph-freed',
        severity: 'error',
        cell,
        ...range,
        message: `${prefix}RuntimeError: Trying to backward through the graph a second time: ${freed} (PyTorch frees them unless retain_graph=True). Keep the graph there with retain_graph=True, or take the task gradients with torch.autograd.grad(..., retain_graph=True).`,
      });
      continue;
    }
    let f = toFinding(problem, cell, context);
    const lastStep = [...run.timeline].reverse().find((e) => e.kind === 'step');
    if (problem.type === 'RuntimeError' && /^one of the variables needed for gradient computation has been modified by an inplace operation/.test(problem.message) && lastStep) {
      // A step before the backward pass (reported as such) is what modified them: this error follows from it.
      const fromStep = run.steps.some((st) => st.verdict?.kind === 'zero');
      f = { ...f, message: `${f.message} ${line(lastStep.loc)[0]?.toUpperCase()}${line(lastStep.loc).slice(1)} changed the parameters in place after the graph was computed.`, ...(fromStep ? { follows: 'training.step-before-backward' as const, consequence: true } : {}) };
    }
    add(prefix ? { ...f, message: `${prefix}${f.message}` } : f);
  }

  const applies = run.steps.some((s) => s.verdict?.kind === 'ok' && s.verdict.applied !== 'zero');
  const stepAt = (s: StepEvent): string => `step ${s.index}${s.batch !== undefined ? ` (batch ${s.batch + 1} of the loader)` : ''}`;
  const ruleText = (s: StepEvent): string =>
    s.sign < 0 ? `g1·g2 = ${fmt(s.dot)} < 0, so one task's gradient (g1 or g2) should be applied` : s.sign > 0 ? `g1·g2 = ${fmt(s.dot)} ≥ 0, so g1 + g2 should be applied` : `g1·g2 = ${fmt(s.dot)}`;
  const wrongBranch: StepEvent[] = [];
  for (const s of run.steps) {
    const v = s.verdict;
    const where = at(s.loc);
    if (!v || !where) continue;
    switch (v.kind) {
      case 'ok':
        break;
      case 'zero': {
        const k = run.timeline.findIndex((e) => e.kind === 'step' && e.loc === s.loc);
        const next = run.timeline.slice(k + 1).find((e) => e.kind === 'backward');
        // The backward after the step may be the one that then failed (before it was recorded).
        const failed = run.problems[run.problems.length - 1];
        const failedLoc = failed?.problem.span && failed.cell === run.cellOf(s.loc) ? { row: failed.problem.span.start.line, column: failed.problem.span.start.character, endRow: failed.problem.span.end.line, endColumn: failed.problem.span.end.character, source: s.loc?.source } : undefined;
        const after = next?.loc ?? (failedLoc && /backward\(|autograd\.grad\(/.test(run.textAt(failedLoc)) ? failedLoc : undefined);
        const nextText = after ? ` The backward pass comes after it: ${line(after)}.` : '';
        if (s.manual) {
          add({ ...base, code: 'training.step-before-backward', severity: applies ? 'warning' : 'error', ...where, message: `${prefix}This update of the parameters applies nothing at ${stepAt(s)}: every gradient it reads is zero here (no backward pass since they were zeroed).${nextText}` });
          break;
        }
        add({
          ...base,
          code: 'training.step-before-backward',
          severity: applies ? 'warning' : 'error',
          ...where,
          message: `${prefix}\`optimizer.step()\` runs before the backward pass: at ${stepAt(s)} every gradient is zero here, so this step applies nothing${applies ? '' : ' (and no step of the loop applies a gradient)'}.${nextText} A step also modifies the parameters in place, so a later backward through a graph computed before it fails.`,
        });
        break;
      }
      case 'accumulated': {
        const lines = v.from.map((i) => line(s.backwards[i]));
        const prev = v.withPrevious ? ' on top of the gradient the previous step applied' : '';
        add({
          ...base,
          code: 'training.grad-not-zeroed',
          severity: 'error',
          ...where,
          message: `${prefix}The gradients are not zeroed between backward passes: at ${stepAt(s)} this step applies the sum of ${lines.join(' and ')}${prev}, because \`.grad\` accumulates. Here ${ruleText(s)}. Call \`optimizer.zero_grad()\` before the backward pass whose gradient the step should apply.`,
        });
        break;
      }
      case 'per-parameter': {
        const expected = s.sign < 0 ? 'the same task\'s gradient' : 'g1 + g2';
        const odd = v.applied.map((c, p) => ({ c, p })).filter(({ c }) => (s.sign < 0 ? c !== v.applied[0] : c !== 'sum'));
        const first = odd[0];
        const detail = first
          ? ` Parameter ${first.p + 1} (shape [${(s.shapes[first.p] ?? []).join(', ')}]) got ${COMBINATION_TEXT[first.c]}${v.ownRule ? ` — its own dot product is ${fmt(s.perParameterDot[first.p] ?? NaN)}` : ''}.`
          : '';
        add({
          ...base,
          code: 'training.per-parameter',
          severity: 'error',
          ...where,
          message: `${prefix}The choice is made per parameter instead of once for the whole model: at ${stepAt(s)} ${ruleText(s)} to every parameter (${expected}), where g1 and g2 are the concatenations of all parameters' gradients.${detail}`,
        });
        break;
      }
      case 'wrong-branch':
        wrongBranch.push(s);
        break;
      case 'scaled':
        add({
          ...base,
          code: 'training.scaled-update',
          severity: 'warning',
          ...where,
          message: `${prefix}At ${stepAt(s)} this step applies ${fmtNumber(v.factor)} × (${COMBINATION_TEXT[v.applied]}): the direction the rule picks (${ruleText(s)}), scaled. The question applies the gradient of L1 + L2 itself; a factor changes the learning rate for these steps only.`,
        });
        break;
      case 'other':
        add({
          ...base,
          code: 'training.wrong-update',
          severity: 'error',
          ...where,
          message: `${prefix}At ${stepAt(s)} this step applies a gradient that is none of g1, g2 or g1 + g2 (it differs from the right one by ${fmt(100 * v.difference)}% of its largest entry): ${ruleText(s)}.`,
        });
        break;
    }
  }
  if (wrongBranch.length) {
    const inverted = (s: StepEvent): boolean => s.verdict?.kind === 'wrong-branch' && (s.sign < 0 ? s.verdict.applied === 'sum' : s.sign > 0 && s.verdict.applied !== 'sum');
    const conflicting = wrongBranch.find((s) => s.sign < 0);
    const agreeing = wrongBranch.find((s) => s.sign > 0);
    const okSigned = run.steps.some((s) => s.verdict?.kind === 'ok' && s.sign !== 0);
    const applied = (s: StepEvent): string => COMBINATION_TEXT[(s.verdict as { applied: Combination }).applied];
    if (conflicting && agreeing && !okSigned && wrongBranch.every(inverted)) {
      const where = at(conflicting.loc) as { cell: number; range: Range };
      add({
        ...base,
        code: 'training.sign-inverted',
        severity: 'error',
        ...where,
        message: `${prefix}The test of g1·g2 is inverted: at ${stepAt(conflicting)} g1·g2 = ${fmt(conflicting.dot)} < 0 and the step applies g1 + g2; at ${stepAt(agreeing)} g1·g2 = ${fmt(agreeing.dot)} ≥ 0 and it applies only ${applied(agreeing)}. The rule applies one task's gradient when g1·g2 < 0 and both otherwise.`,
      });
    } else {
      for (const s of wrongBranch) {
        const where = at(s.loc) as { cell: number; range: Range };
        add({ ...base, code: 'training.wrong-branch', severity: 'error', ...where, message: `${prefix}At ${stepAt(s)} ${ruleText(s)}, but this step applies ${applied(s)}.` });
      }
    }
  }
  if (!run.steps.length && run.lossCalls && !run.problems.length) {
    const cell = run.cellOf(run.timeline[0]?.loc);
    if (run.updatedWithoutStep) {
      add({ ...base, code: 'training.not-run', severity: 'info', ...(cell !== undefined ? { cell } : {}), message: 'The loop updates the parameters without `optimizer.step()`; nbcheck reads what an optimizer step applies, so these updates are not checked automatically.' });
    } else {
      add({ ...base, code: 'training.no-step', severity: 'error', ...(cell !== undefined ? { cell } : {}), message: `The loop computes the task losses${run.backwardCount ? ' and their gradients' : ''} but never calls \`optimizer.step()\` (nor changes the parameters): no update is applied.` });
    }
  }
}

const PROVIDES = '`Model`, `model`, `optimizer`, `lr`, `num_epochs`, `data_loader` (also `dataloader`, `loader`, `train_loader`), `batch`, `inputs`, `targets` and `forward_and_compute_loss_1/2(model, inputs)`';

