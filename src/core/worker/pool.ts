/**
 * The parent's side of the worker processes that run student code. A worker starts with a V8 heap cap and an
 * environment of its own; the parent gives each run its wall-clock budget (from the worker's beats: one per
 * source it starts, with that source's budget) plus a second, and kills the worker when it is outlived, since a
 * budget the interpreter checks between steps cannot stop one long native call. However a worker ends — heap
 * exhausted, killed, a crash in native code, an exception — the request gets a `WorkerStop` naming the reason
 * and the part and cell that were running; the next request starts a fresh worker. Nothing a student writes
 * can end the parent (the CLI, the extension host).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cudaLibraryPath } from '../engine/cuda-libs';
import type { Finding } from '../findings';
import type { RequestMessage, WorkerMessage, WorkerReply, WorkerRequest, WorkerSetup } from './protocol';

export interface WorkerStop {
  /** `device`: the device asked for cannot be used (`--device cuda` without CUDA); the message says why. */
  readonly reason: 'memory' | 'time' | 'crash' | 'device';
  /** What happened, for a finding: "the program used more than 1 GiB of memory". */
  readonly message: string;
  /** The part and cell whose code was running, where the worker had said. */
  readonly question?: string;
  readonly cell?: number;
  /** The top-level statement that was running (0-based line of the source), for a program run by `exec`. */
  readonly line?: number;
}

export type WorkerOutcome<R extends WorkerRequest> = { readonly ok: true; readonly value: WorkerReply<R> } | { readonly ok: false; readonly stop: WorkerStop };

export interface PoolOptions {
  readonly setup: WorkerSetup;
  /** Workers run at once (batch grading); default 1. */
  readonly size?: number;
  /** V8's old-space cap for a worker, in MiB; default 1024. */
  readonly heapMiB?: number;
  /** The budget before a worker's first beat (loading, the static reading of the notebook); default 60 s. */
  readonly startBudgetMs?: number;
  /** The worker script; default the bundle's `worker.js`, or the compiled `main.js` beside this file. */
  readonly script?: string;
  /** Extra environment for workers (the CUDA library path). */
  readonly env?: NodeJS.ProcessEnv;
}

/** A second past a run's own budget before the parent kills it. */
const GRACE_MS = 1000;

interface Slot {
  child?: ChildProcess;
  busy: boolean;
  stderr: string;
}

interface Job {
  readonly request: WorkerRequest;
  readonly onStdout?: (text: string) => void;
  readonly resolve: (o: WorkerOutcome<WorkerRequest>) => void;
}

export function defaultWorkerScript(): string {
  const bundled = join(__dirname, 'worker.js');
  return existsSync(bundled) ? bundled : join(__dirname, 'main.js');
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  private libraryPath: string | undefined;
  /** Workers started so far (a crash makes the next request start another). */
  started = 0;

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.size ?? 1) }, () => ({ busy: false, stderr: '' }));
  }

  get heapMiB(): number {
    return this.options.heapMiB ?? 1024;
  }

  /** Runs a request in a worker; never rejects for anything the student's code does. */
  run<R extends WorkerRequest>(request: R, onStdout?: (text: string) => void): Promise<WorkerOutcome<R>> {
    if (this.disposed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ request, ...(onStdout ? { onStdout } : {}), resolve: resolve as Job['resolve'] });
      this.pump();
    });
  }

  /** Ends every worker (they release onnxruntime first; killed if they have not exited within 2 s). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.slots.map(async (slot) => {
      const child = slot.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || !this.queue.length) continue;
      this.start(slot, this.queue.shift() as Job);
    }
  }

  private spawn(slot: Slot): ChildProcess {
    const child = fork(this.options.script ?? defaultWorkerScript(), [], {
      execArgv: [`--max-old-space-size=${this.heapMiB}`],
      // The CUDA user libraries found here go on the worker's library path, read by the loader at its start.
      // ELECTRON_RUN_AS_NODE: in VS Code desktop the extension host's executable is Electron's, which runs a
      // script as Node only when asked to (as language servers are started); plain Node ignores it.
      env: { ...process.env, ...(this.options.setup.device === 'cpu' ? {} : { LD_LIBRARY_PATH: (this.libraryPath ??= cudaLibraryPath()) }), ...this.options.env, ELECTRON_RUN_AS_NODE: '1', NBCHECK_WORKER: JSON.stringify(this.options.setup) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.started++;
    slot.stderr = '';
    // What V8 or a native library prints as it dies is read to say why; only the end is kept.
    child.stderr?.on('data', (d: Buffer) => {
      slot.stderr = (slot.stderr + d.toString('utf8')).slice(-8192);
    });
    child.on('exit', () => {
      if (slot.child === child) slot.child = undefined;
    });
    return child;
  }

  private start(slot: Slot, job: Job): void {
    slot.busy = true;
    const child = slot.child && slot.child.connected ? slot.child : (slot.child = this.spawn(slot));
    const id = this.nextId++;
    let at: { question?: string; cell?: number } = {};
    let line: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    let timedOut: number | undefined;
    let settled = false;
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = ms;
        child.kill('SIGKILL');
      }, ms);
    };
    const finish = (o: WorkerOutcome<WorkerRequest>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      slot.busy = false;
      job.resolve(o);
      this.pump();
    };
    const stop = (reason: WorkerStop['reason'], message: string): WorkerOutcome<WorkerRequest> => ({
      ok: false,
      stop: { reason, message, ...(at.question ? { question: at.question } : {}), ...(at.cell !== undefined ? { cell: at.cell } : {}), ...(line !== undefined && job.request.kind === 'exec' ? { line } : {}) },
    });
    const onMessage = (m: WorkerMessage): void => {
      if (m.id !== id) return;
      if (m.type === 'beat') arm(m.budgetMs + GRACE_MS);
      else if (m.type === 'line') line = m.line;
      else if (m.type === 'at') at = { question: m.question, ...(m.cell !== undefined ? { cell: m.cell } : {}) };
      else if (m.type === 'stdout') job.onStdout?.(m.text);
      else if (m.type === 'done') finish({ ok: true, value: m.value as WorkerReply<WorkerRequest> });
      else if (m.device) finish(stop('device', m.message));
      else finish(stop('crash', `nbcheck's code runner failed (${m.message}); this is nbcheck's failure, please report it with the notebook`));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish(this.why(slot.stderr, code, signal, timedOut, stop));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    arm(this.options.startBudgetMs ?? 60_000);
    child.send({ id, request: job.request } satisfies RequestMessage, (e) => {
      if (e) finish(stop('crash', `nbcheck could not start its code runner (${e.message})`));
    });
  }

  /** Why a worker ended while running a request, in words for a finding. */
  private why(stderr: string, code: number | null, signal: NodeJS.Signals | null, timedOut: number | undefined, stop: (r: WorkerStop['reason'], m: string) => WorkerOutcome<WorkerRequest>): WorkerOutcome<WorkerRequest> {
    if (timedOut !== undefined) return stop('time', `stopped after ${Math.round(timedOut / 1000)} s: a single step ran past the time budget (a native call the interpreter cannot interrupt)`);
    if (/heap out of memory|Reached heap limit|invalid (?:table |array )?size|Invalid (?:string|array) length|Allocation failed/i.test(stderr)) {
      return stop('memory', `stopped: the program used more than ${this.heapMiB >= 1024 ? `${this.heapMiB / 1024} GiB` : `${this.heapMiB} MiB`} of memory, nbcheck's limit for student code`);
    }
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    return stop('crash', `stopped: nbcheck's code runner crashed (${how}) while running this code; this is nbcheck's failure or onnxruntime's, not necessarily the code's`);
  }
}

/** A stopped worker as a finding at the part and cell that were running (or on the notebook). */
export function stopFinding(stop: WorkerStop): Finding {
  const message = `${stop.message[0]?.toUpperCase()}${stop.message.slice(1)}. The exercise checks of this notebook did not finish; what they would have found is not judged.`;
  return { code: 'code.budget', severity: 'warning', message, ...(stop.question ? { question: stop.question } : {}), ...(stop.cell !== undefined ? { cell: stop.cell } : {}) };
}
