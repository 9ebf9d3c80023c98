/** One entry point for every shell: a notebook in, a report (questions, points, findings) out. */
import { BUILTIN_PACKS, matchPack } from './assignment/match';
import { points, questionReports, type Points, type QuestionReport } from './assignment/status';
import type { AssignmentPack, PackRelease } from './assignment/types';
import type { CheckCache } from './checks/cache';
export { CheckCache } from './checks/cache';
import { CheckContext, type Check } from './checks/context';
import { imageCheck } from './checks/images';
import { mathCheck } from './checks/math';
import { integrityCheck } from './checks/integrity';
import { misconceptionCheck } from './checks/misconceptions';
import { rubricCheck } from './checks/rubric';
import { pastedMathCheck } from './checks/pasted-math';
import { savedErrorCheck } from './checks/saved-errors';
import { structureCheck } from './checks/structure';
import { compareFindings, type Finding } from './findings';
import { segment } from './notebook/segment';
import type { Notebook } from './notebook/types';
import type { DeviceName } from './engine/runtime';

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

/** The groups of static checks a user can turn off (the extension's `nbcheck.checks.*` settings). */
export const CHECK_GROUPS = {
  structure: 'Which questions are answered: missing, declined, several of a choose-one group, template left',
  outputs: 'Code cells saved with an error output',
  images: 'Image references: external links, files outside the required folder or missing',
  math: 'Math that will not render, and math pasted from a rendered web page',
  prose: 'Written answers: known misconceptions, text pasted from an AI assistant, passages pasted twice',
} as const;
export type CheckGroup = keyof typeof CHECK_GROUPS;

/** The checks, in the order their findings are listed for one position. */
export const CHECKS: readonly { readonly group: CheckGroup; readonly check: Check }[] = [
  { group: 'structure', check: structureCheck },
  { group: 'outputs', check: savedErrorCheck },
  { group: 'images', check: imageCheck },
  { group: 'math', check: mathCheck },
  { group: 'math', check: pastedMathCheck },
  { group: 'prose', check: integrityCheck },
  { group: 'prose', check: misconceptionCheck },
  { group: 'prose', check: rubricCheck },
];

export interface CheckOptions {
  /** The assignment packs tried, in order (default: the built-in ones); empty: no exam recognition. */
  readonly packs?: readonly AssignmentPack[];
  /** The check groups that run (default: all). Questions and points are reported either way. */
  readonly groups?: readonly CheckGroup[];
  /** Results kept from the previous check of the same notebook, so that only changed cells are redone. */
  readonly cache?: CheckCache;
}

export function checkNotebook(nb: Notebook, options: CheckOptions = {}): NotebookReport {
  return checkStatic(nb, options).report;
}

/** The static checks, with the pack match and segmentation the exercise runner goes on from. */
export function checkStatic(nb: Notebook, options: CheckOptions): { report: NotebookReport; match?: ReturnType<typeof matchPack>; seg?: ReturnType<typeof segment> } {
  const packs = options.packs ?? BUILTIN_PACKS;
  const groups = new Set(options.groups ?? (Object.keys(CHECK_GROUPS) as CheckGroup[]));
  const match = matchPack(nb, packs);
  const seg = match ? segment(nb, match) : undefined;
  const questions = match && seg ? questionReports(match.pack, seg) : [];
  const ctx = new CheckContext(nb, match, seg, questions, options.cache);
  const findings: Finding[] = CHECKS.filter((c) => groups.has(c.group)).flatMap((c) => c.check(ctx));
  options.cache?.sweep();
  // With exam recognition turned off (no packs), saying that no pack matched would be noise.
  if (!match && packs.length > 0) {
    const tried = packs === BUILTIN_PACKS ? 'No assignment pack matches this notebook' : `This notebook does not match ${packs.map((p) => `"${p.title}"`).join(' or ')}`;
    findings.push({
      code: 'pack.none',
      severity: 'info',
      message: `${tried}, so its answers are not mapped to questions; only the generic checks (math, images, saved errors) ran.`,
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
