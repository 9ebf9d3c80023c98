/**
 * Runs a program in the supported subset: parse, interpret, and compute the values left bound at the end.
 * Every outcome is data (a value or a located problem), never an exception.
 */
import type { TensorData } from '../engine/dtype';
import { DeviceError, EngineRuntimeError, Runtime } from '../engine/runtime';
import type { DeviceRequest } from '../engine/runtime';
import type { Budgets } from '../python/interpreter';
import { DEFAULT_BUDGETS, Interpreter } from '../python/interpreter';
import type { SyntaxNode } from '../python/parser';
import { loadPythonParser, parseModule, type SourceText } from '../python/parser';
import type { PyValue } from '../python/values';
import { BudgetExceeded, PyError, Scope, Unsupported } from '../python/values';
import { createEnvironment } from '../torch/index';
import type { TorchContext } from '../torch/tensor';
import { Tensor } from '../torch/tensor';

export interface Span {
  /** 0-based */
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

export type ProblemKind = 'syntax' | 'error' | 'unsupported' | 'budget' | 'device';

export interface Problem {
  readonly kind: ProblemKind;
  /** Python exception type for kind 'error' (TypeError, RuntimeError, ...). */
  readonly type?: string;
  readonly message: string;
  readonly span?: Span;
  /** A keyword that does not exist and the one that probably was meant (the fix is a rename at `span`). */
  readonly rename?: { readonly from: string; readonly to: string };
}

export interface RunOptions {
  readonly device?: DeviceRequest;
  readonly runtime?: Runtime;
  readonly budgets?: Partial<Budgets>;
  /** Largest tensor, in elements. */
  readonly maxElements?: number;
  /** Values bound before the program runs (the harness's inputs). */
  readonly bindings?: (env: { ctx: TorchContext; interp: Interpreter }) => Promise<ReadonlyMap<string, PyValue>> | ReadonlyMap<string, PyValue>;
  readonly stdout?: (text: string) => void;
}

export interface ProgramRun {
  readonly problem?: Problem;
  readonly globals: Scope;
  readonly interpreter: Interpreter;
  readonly ctx: TorchContext;
  readonly runtime: Runtime;
  readonly source: string;
}

export const DEFAULT_MAX_ELEMENTS = 2 ** 27;

export function spanOf(node: SyntaxNode): Span {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** Turns anything thrown by a run into a located problem. */
export function problemOf(e: unknown): Problem {
  if (e instanceof PyError) return { kind: 'error', type: e.type, message: e.message, span: e.node && spanOf(e.node), ...(e.rename ? { rename: e.rename } : {}) };
  if (e instanceof Unsupported) return { kind: 'unsupported', message: `${e.construct} is not supported`, span: e.node && spanOf(e.node) };
  if (e instanceof BudgetExceeded) return { kind: 'budget', message: e.message, span: e.node && spanOf(e.node) };
  if (e instanceof DeviceError) return { kind: 'device', message: e.message };
  if (e instanceof EngineRuntimeError) {
    const span = e.loc && { start: { line: e.loc.row, character: e.loc.column }, end: { line: e.loc.endRow, character: e.loc.endColumn } };
    return { kind: 'error', type: e.pyType, message: e.message, span };
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { kind: 'budget', message: 'stopped: the program nests too deeply' };
  throw e;
}

/** What a run tells an observer: a source starts (with its time budget), a top-level statement starts. */
export type RunEvent = { readonly kind: 'run'; readonly budgetMs: number } | { readonly kind: 'line'; readonly line: number };

let runObserver: ((e: RunEvent) => void) | undefined;

/**
 * Told as each source starts to run, with the time budget it runs under, and as each of its top-level
 * statements starts: a worker process tells its parent, which kills it when a single step (one native call)
 * outlives that budget and says at which line.
 */
export function observeRuns(observer: ((e: RunEvent) => void) | undefined): void {
  runObserver = observer;
}

/** One interpreter with its torch environment; sources (cells) run in it one after another. */
export class Session {
  private constructor(
    readonly interpreter: Interpreter,
    readonly ctx: TorchContext,
    readonly runtime: Runtime,
  ) {}

  static async create(options: RunOptions = {}): Promise<Session> {
    await loadPythonParser();
    const runtime = options.runtime ?? new Runtime({ device: options.device });
    const env = createEnvironment(runtime, { maxElements: options.maxElements ?? DEFAULT_MAX_ELEMENTS, stdout: options.stdout ?? (() => undefined) });
    const interpreter = new Interpreter(env.builtins, env.resolve, { ...DEFAULT_BUDGETS, ...options.budgets });
    env.bindInterpreter(interpreter);
    const session = new Session(interpreter, env.ctx, runtime);
    if (options.bindings) {
      for (const [k, v] of await options.bindings({ ctx: env.ctx, interp: interpreter })) interpreter.globals.vars.set(k, v);
    }
    return session;
  }

  get globals(): Scope {
    return this.interpreter.globals;
  }

  /** The sources run so far, by the number node locations carry (`SourceLoc.source`). */
  readonly sources: string[] = [];
  private readonly parsed: SourceText[] = [];

  /** Which source (as numbered in `sources`) a syntax node belongs to. */
  sourceOf(node: SyntaxNode): number {
    return this.parsed.lastIndexOf(node.source);
  }

  /** Nothing to release now that trees are plain objects; kept so callers need not know. */
  dispose(): void {
    this.parsed.length = 0;
  }

  /** Runs the imports, functions and classes of a source that parses, ignoring the rest and any failure. */
  async runDefinitions(source: string): Promise<void> {
    const { root, problems } = parseModule(source);
    if (problems.length) return;
    this.ctx.source = this.sources.push(source) - 1;
    this.parsed.push(root.source);
    await this.interpreter.runDefinitions(root);
  }

  /** Runs one source; a problem (with a span in that source) when it did not run to the end. */
  async run(source: string): Promise<Problem | undefined> {
    const observer = runObserver;
    observer?.({ kind: 'run', budgetMs: this.interpreter.timeBudget });
    this.interpreter.onTopStatement = observer && ((line) => observer({ kind: 'line', line }));
    this.ctx.source = this.sources.push(source) - 1;
    const { root, problems } = parseModule(source);
    this.parsed.push(root.source);
    try {
      const [first] = problems;
      if (first?.budget) return { kind: 'budget', message: first.message, span: { start: { line: first.start.row, character: first.start.column }, end: { line: first.end.row, character: first.end.column } } };
      if (first) {
        return { kind: 'syntax', type: first.type ?? 'SyntaxError', message: first.message, span: { start: { line: first.start.row, character: first.start.column }, end: { line: first.end.row, character: first.end.column } } };
      }
      await this.interpreter.run(root);
      return undefined;
    } catch (e) {
      return problemOf(e);
    }
  }
}

export async function runProgram(source: string, options: RunOptions = {}): Promise<ProgramRun> {
  const session = await Session.create(options);
  const problem = await session.run(source);
  session.dispose();
  return { ...(problem ? { problem } : {}), globals: session.globals, interpreter: session.interpreter, ctx: session.ctx, runtime: session.runtime, source };
}

export interface ExportedValue {
  readonly dtype: string;
  readonly shape: number[];
  readonly data: (number | boolean | string)[];
  /** Why `data` is empty: the tensor is too large to print. */
  readonly elided?: string;
}

/** Top-level names bound to tensors or Python numbers, computed (one model for all pending tensors). */
export async function exportVariables(run: ProgramRun): Promise<Record<string, ExportedValue>> {
  const out: Record<string, ExportedValue> = {};
  const tensors: [string, Tensor][] = [];
  for (const [name, v] of run.globals.vars) {
    if (name.startsWith('__')) continue;
    if (v instanceof Tensor) tensors.push([name, v]);
    else if (typeof v === 'boolean') out[name] = { dtype: 'bool', shape: [], data: [v] };
    else if (typeof v === 'bigint') out[name] = { dtype: 'int', shape: [], data: [jsonInt(v)] };
    else if (typeof v === 'number') out[name] = { dtype: 'float', shape: [], data: [jsonFloat(v)] };
  }
  const values = await run.runtime.realize(tensors.map(([, t]) => t.node));
  tensors.forEach(([name], i) => {
    out[name] = tensorJson(values[i] as TensorData);
  });
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k] as ExportedValue]));
}

function jsonInt(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** JSON has no NaN/Infinity: they are written as the strings "nan", "inf", "-inf". */
function jsonFloat(v: number): number | string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v;
}

/** exec prints the values of tensors up to this many elements; larger ones by shape and dtype. */
export const MAX_PRINTED_ELEMENTS = 1_000_000;

export function tensorJson(d: TensorData): ExportedValue {
  const data: (number | boolean | string)[] = [];
  if (d.data.length > MAX_PRINTED_ELEMENTS) {
    return { dtype: d.dtype, shape: [...d.shape], data, elided: `${d.data.length.toLocaleString('en-US')} values not printed (exec prints tensors of up to ${MAX_PRINTED_ELEMENTS.toLocaleString('en-US')} elements)` };
  }
  for (let i = 0; i < d.data.length; i++) {
    const v = d.data[i] as number | bigint;
    if (d.dtype === 'bool') data.push(v !== 0);
    else if (d.dtype === 'int64') data.push(jsonInt(v as bigint));
    else data.push(jsonFloat(v as number));
  }
  return { dtype: d.dtype, shape: [...d.shape], data };
}
