/**
 * The messages between a shell (the CLI, the extension host) and the worker process that runs student code.
 * Everything here is plain data (structured-clone serialisable); the worker holds the interpreter, the tensor
 * engine and onnxruntime, the parent holds none of them.
 */
import type { ExerciseResults } from '../check-run';
import type { DeviceRequest } from '../engine/runtime';
import type { Notebook } from '../notebook/types';
import type { Budgets } from '../python/interpreter';
import type { ExportedValue, Problem } from '../run/program';
import type { ViewResult } from '../run/views';
import type { TracedCell } from '../run/cell-graph';

/** How a worker starts: where code runs, and its own library path (CUDA). */
export interface WorkerSetup {
  readonly device: DeviceRequest;
  readonly cudaProviders?: string;
  /** The interpreter's budgets for `exec` (the exercise harness has its own). */
  readonly budgets?: Partial<Budgets>;
}

export type WorkerRequest =
  /** `packs`: the ids of the built-in packs to try (all of them when absent). */
  | { readonly kind: 'exercises'; readonly notebook: Notebook; readonly packs?: readonly string[] }
  | { readonly kind: 'exec'; readonly source: string }
  /** Which device a run would use, found with a one-node model (`nbcheck doctor`). */
  | { readonly kind: 'probe' }
  /** The panel's graph of a cell (traced from its code) or of a question's function. */
  | { readonly kind: 'cell-graph'; readonly notebook: Notebook; readonly cell: number }
  | { readonly kind: 'question-graph'; readonly notebook: Notebook; readonly question: string }
  /** A code cell's traced graph, as `nbcheck graph --notebook` prints it. */
  | { readonly kind: 'trace-cell'; readonly notebook: Notebook; readonly cell: number };

/** What `exec` of a program gives: its variables, or where it stopped; the device that ran it. */
export interface ExecResult {
  readonly device: string;
  readonly fallback?: string;
  readonly variables?: Record<string, ExportedValue>;
  readonly problem?: Problem;
}

/** What the probe found: the device, and why a GPU was not used. */
export interface ProbeResult {
  readonly device: string;
  readonly fallback?: string;
  readonly error?: string;
}

export type WorkerReply<R extends WorkerRequest> = R extends { kind: 'exercises' }
  ? ExerciseResults
  : R extends { kind: 'probe' }
    ? ProbeResult
    : R extends { kind: 'cell-graph' | 'question-graph' }
      ? ViewResult | null
      : R extends { kind: 'trace-cell' }
        ? TracedCell
        : ExecResult;

/** Parent → worker. */
export interface RequestMessage {
  readonly id: number;
  readonly request: WorkerRequest;
}

/** Worker → parent. */
export type WorkerMessage =
  | { readonly id: number; readonly type: 'beat'; readonly budgetMs: number }
  | { readonly id: number; readonly type: 'line'; readonly line: number }
  | { readonly id: number; readonly type: 'at'; readonly question: string; readonly cell: number | undefined }
  | { readonly id: number; readonly type: 'stdout'; readonly text: string }
  | { readonly id: number; readonly type: 'done'; readonly value: ExerciseResults | ExecResult | ProbeResult | ViewResult | TracedCell | null }
  | { readonly id: number; readonly type: 'failed'; readonly message: string; readonly device?: true };
