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
  | { readonly kind: 'exec'; readonly source: string };

/** What `exec` of a program gives: its variables, or where it stopped; the device that ran it. */
export interface ExecResult {
  readonly device: string;
  readonly fallback?: string;
  readonly variables?: Record<string, ExportedValue>;
  readonly problem?: Problem;
}

export type WorkerReply<R extends WorkerRequest> = R extends { kind: 'exercises' } ? ExerciseResults : ExecResult;

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
  | { readonly id: number; readonly type: 'done'; readonly value: ExerciseResults | ExecResult }
  | { readonly id: number; readonly type: 'failed'; readonly message: string; readonly device?: true };
