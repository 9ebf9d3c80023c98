/** One entry point for every shell: a notebook in, a report (questions, points, findings) out. */
import { BUILTIN_PACKS, matchPack } from './assignment/match';
import { points, questionReports, type Points, type QuestionReport } from './assignment/status';
import type { AssignmentPack, PackRelease } from './assignment/types';
import { CheckContext, type Check } from './checks/context';
import { imageCheck } from './checks/images';
import { mathCheck } from './checks/math';
import { pastedMathCheck } from './checks/pasted-math';
import { savedErrorCheck } from './checks/saved-errors';
import { structureCheck } from './checks/structure';
import { compareFindings, type Finding } from './findings';
import { segment } from './notebook/segment';
import type { Notebook } from './notebook/types';
import type { DeviceName, Runtime } from './engine/runtime';
import { runExercises } from './run/harness';

/** Where a notebook's exercise code ran. */
export interface RunInfo {
  readonly device: DeviceName;
  /** Why the GPU was not used, when it was tried and failed. */
  readonly fallback?: string;
}

export interface NotebookReport {
  readonly notebook: Notebook;
  /** Present when exercise code ran. */
  readonly run?: RunInfo;
  readonly pack?: AssignmentPack;
  readonly release?: PackRelease;
  readonly points?: Points;
  readonly questions: readonly QuestionReport[];
  readonly findings: readonly Finding[];
}

/** The checks, in the order their findings are listed for one position. */
export const CHECKS: readonly Check[] = [structureCheck, savedErrorCheck, imageCheck, mathCheck, pastedMathCheck];

export function checkNotebook(nb: Notebook, packs: readonly AssignmentPack[] = BUILTIN_PACKS): NotebookReport {
  return checkStatic(nb, packs).report;
}

/**
 * The static checks plus the pack's exercises run on `runtime` (onnxruntime, CUDA or CPU). The report's
 * `run` names the device when anything ran.
 */
export async function checkNotebookAndRun(nb: Notebook, runtime: Runtime, packs: readonly AssignmentPack[] = BUILTIN_PACKS): Promise<NotebookReport> {
  const { report, match, seg } = checkStatic(nb, packs);
  if (!match || !seg) return report;
  const runsBefore = runtime.runs;
  const { findings } = await runExercises(nb, match, seg, runtime);
  const all = [...report.findings, ...findings].sort(compareFindings);
  // The device is reported when something was computed (an answer may fail before any value is needed).
  if (runtime.runs === runsBefore || !runtime.device) return { ...report, findings: all };
  const run: RunInfo = { device: runtime.device, ...(runtime.fallbackReason ? { fallback: runtime.fallbackReason } : {}) };
  return { ...report, findings: all, run };
}

function checkStatic(nb: Notebook, packs: readonly AssignmentPack[]): { report: NotebookReport; match?: ReturnType<typeof matchPack>; seg?: ReturnType<typeof segment> } {
  const match = matchPack(nb, packs);
  const seg = match ? segment(nb, match) : undefined;
  const questions = match && seg ? questionReports(match.pack, seg) : [];
  const ctx = new CheckContext(nb, match, seg, questions);
  const findings: Finding[] = CHECKS.flatMap((check) => check(ctx));
  if (!match) {
    findings.push({
      code: 'pack.none',
      severity: 'info',
      message: 'No assignment pack matches this notebook, so its answers are not mapped to questions; only the generic checks (math, images, saved errors) ran.',
    });
  }
  findings.sort(compareFindings);
  if (!match) return { report: { notebook: nb, questions, findings } };
  const report: NotebookReport = {
    notebook: nb,
    pack: match.pack,
    ...(match.release ? { release: match.release } : {}),
    points: points(match.pack, questions),
    questions,
    findings,
  };
  return { report, match, seg };
}
