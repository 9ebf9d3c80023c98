/**
 * The worker process: runs student code for its parent (src/core/worker/pool.ts) over Node's IPC channel, one
 * request at a time. It starts with a V8 heap cap and its own library path; the parent kills it when a run
 * outlives its budget and turns how it died into a finding. Nothing here prints to the terminal.
 */
import { BUILTIN_PACKS } from '../assignment/match';
import { runNotebookExercises } from '../check-run';
import { DeviceError, Runtime } from '../engine/runtime';
import { exportVariables, observeRuns, problemOf, runProgram } from '../run/program';
import { cellGraphView, questionGraphView } from '../run/views';
import { traceCell } from '../run/cell-graph';
import type { ExecResult, ProbeResult, RequestMessage, WorkerMessage, WorkerSetup } from './protocol';

const setup = JSON.parse(process.env['NBCHECK_WORKER'] ?? '{"device":"auto"}') as WorkerSetup;
const runtime = new Runtime({ device: setup.device, ...(setup.cudaProviders ? { cudaProviders: setup.cudaProviders } : {}) });

const send = (m: WorkerMessage): void => void process.send?.(m);

const packsOf = (ids: readonly string[] | undefined): { packs?: typeof BUILTIN_PACKS } => (ids ? { packs: BUILTIN_PACKS.filter((p) => ids.includes(p.id)) } : {});

async function exec(id: number, source: string): Promise<ExecResult> {
  const run = await runProgram(source, { runtime, stdout: (text) => send({ id, type: 'stdout', text }), ...(setup.budgets ? { budgets: setup.budgets } : {}) });
  let problem = run.problem;
  let variables: ExecResult['variables'];
  if (!problem) {
    try {
      variables = await exportVariables(run);
    } catch (e) {
      problem = problemOf(e);
    }
  }
  let device = runtime.device;
  if (!device && problem?.kind !== 'device') {
    try {
      await runtime.probe();
      device = runtime.device ?? 'cpu';
    } catch {
      device = undefined;
    }
  }
  return { device: device ?? 'none', ...(runtime.fallbackReason ? { fallback: runtime.fallbackReason } : {}), ...(variables ? { variables } : {}), ...(problem ? { problem } : {}) };
}

async function probe(): Promise<ProbeResult> {
  try {
    await runtime.probe();
    return { device: runtime.device ?? 'cpu', ...(runtime.fallbackReason ? { fallback: runtime.fallbackReason } : {}) };
  } catch (e) {
    return { device: 'none', error: e instanceof Error ? e.message : String(e) };
  }
}

let queue: Promise<void> = Promise.resolve();
process.on('message', (m: RequestMessage) => {
  queue = queue.then(async () => {
    observeRuns((e) => send(e.kind === 'run' ? { id: m.id, type: 'beat', budgetMs: e.budgetMs } : { id: m.id, type: 'line', line: e.line }));
    try {
      const value = m.request.kind === 'exec'
        ? await exec(m.id, m.request.source)
        : m.request.kind === 'probe'
          ? await probe()
          : m.request.kind === 'cell-graph'
            ? await cellGraphView(m.request.notebook, m.request.cell, runtime)
            : m.request.kind === 'question-graph'
              ? ((await questionGraphView(m.request.notebook, m.request.question, runtime)) ?? null)
              : m.request.kind === 'trace-cell'
                ? await traceCell(m.request.notebook, m.request.cell, runtime)
                : await runNotebookExercises(m.request.notebook, runtime, packsOf(m.request.packs), (at) => send({ id: m.id, type: 'at', ...at }));
      send({ id: m.id, type: 'done', value });
    } catch (e) {
      send({ id: m.id, type: 'failed', message: e instanceof Error ? e.message : String(e), ...(e instanceof DeviceError ? { device: true as const } : {}) });
    }
  });
});
process.on('disconnect', () => {
  void runtime.dispose().finally(() => process.exit(0));
});
