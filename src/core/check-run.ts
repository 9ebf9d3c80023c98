/**
 * Static checks plus the exercise code run (kept apart from check.ts so that a shell can check notebooks
 * without loading the interpreter and the tensor engine).
 */
import { checkStatic, type CheckOptions, type NotebookReport, type RunInfo } from './check';
import { compareFindings } from './findings';
import type { Notebook } from './notebook/types';
import type { Runtime } from './engine/runtime';
import { exerciseKey, runExercises } from './run/harness';

/**
 * The static checks plus the pack's exercises run on `runtime` (onnxruntime, CUDA or CPU). The report's
 * `run` names the device when anything ran.
 */
export async function checkNotebookAndRun(nb: Notebook, runtime: Runtime, options: CheckOptions = {}): Promise<NotebookReport> {
  const { report, match, seg } = checkStatic(nb, options);
  if (!match || !seg) return report;
  const runsBefore = runtime.runs;
  const { findings } = await runExercises(nb, match, seg, runtime);
  const all = [...report.findings, ...findings].sort(compareFindings);
  // The device is reported when something was computed (an answer may fail before any value is needed).
  if (runtime.runs === runsBefore || !runtime.device) return { ...report, findings: all };
  const run: RunInfo = { device: runtime.device, ...(runtime.fallbackReason ? { fallback: runtime.fallbackReason } : {}) };
  return { ...report, findings: all, run };
}


/**
 * What the exercise run of this notebook depends on (answer cells, earlier code cells, pack and release),
 * or undefined when nothing would run. Equal keys: the last run's findings still hold.
 */
export function exerciseRunKey(nb: Notebook, options: Pick<CheckOptions, 'packs'> = {}): string | undefined {
  const { match, seg } = checkStatic(nb, { ...(options.packs ? { packs: options.packs } : {}), groups: [] });
  return match && seg ? exerciseKey(nb, match, seg) : undefined;
}
