/**
 * Static checks plus the exercise code run (kept apart from check.ts so that a shell can check notebooks
 * without loading the interpreter and the tensor engine).
 */
import { checkStatic, judgeReport, mergeRun, type CheckOptions, type NotebookReport, type RunInfo } from './check';
import type { Verified } from './assignment/verdicts';
import type { PackMatch } from './assignment/match';
import type { Finding } from './findings';
import type { Segmentation } from './notebook/segment';
import type { Notebook } from './notebook/types';
import type { Runtime } from './engine/runtime';
import { exerciseKey, runExercises, type RunProgress } from './run/harness';

/**
 * The static checks plus the pack's exercises run on `runtime` (onnxruntime, CUDA or CPU). The report's
 * `run` names the device when anything ran.
 */
export async function checkNotebookAndRun(nb: Notebook, runtime: Runtime, options: CheckOptions = {}): Promise<NotebookReport> {
  const { report, match, seg } = checkStatic(nb, options);
  if (!match || !seg) return judgeReport(report);
  return mergeRun(report, await exercisesOf(nb, match, seg, runtime));
}

/**
 * Only the exercise findings (for a shell that has the static report already), and where the code ran;
 * nothing when no pack matches.
 */
export async function runNotebookExercises(nb: Notebook, runtime: Runtime, options: Pick<CheckOptions, 'packs'> = {}, progress?: RunProgress): Promise<ExerciseResults> {
  const { match, seg } = checkStatic(nb, { ...(options.packs ? { packs: options.packs } : {}), groups: [] });
  return match && seg ? exercisesOf(nb, match, seg, runtime, progress) : { findings: [], verified: [] };
}

/** What running a notebook's exercises gives: findings, what was verified, and where the code ran. */
export interface ExerciseResults {
  readonly findings: Finding[];
  readonly verified: Verified[];
  readonly run?: RunInfo;
}

async function exercisesOf(nb: Notebook, match: PackMatch, seg: Segmentation, runtime: Runtime, progress?: RunProgress): Promise<ExerciseResults> {
  const runsBefore = runtime.runs;
  const { findings, verified } = await runExercises(nb, match, seg, runtime, progress);
  // The device is reported when something was computed (an answer may fail before any value is needed).
  if (runtime.runs === runsBefore || !runtime.device) return { findings, verified };
  return { findings, verified, run: { device: runtime.device, ...(runtime.fallbackReason ? { fallback: runtime.fallbackReason } : {}) } };
}

/**
 * What the exercise run of this notebook depends on (answer cells, earlier code cells, pack and release),
 * or undefined when nothing would run. Equal keys: the last run's findings still hold.
 */
export function exerciseRunKey(nb: Notebook, options: Pick<CheckOptions, 'packs'> = {}): string | undefined {
  const { match, seg } = checkStatic(nb, { ...(options.packs ? { packs: options.packs } : {}), groups: [] });
  return match && seg ? exerciseKey(nb, match, seg) : undefined;
}
