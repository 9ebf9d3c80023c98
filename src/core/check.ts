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

export interface NotebookReport {
  readonly notebook: Notebook;
  readonly pack?: AssignmentPack;
  readonly release?: PackRelease;
  readonly points?: Points;
  readonly questions: readonly QuestionReport[];
  readonly findings: readonly Finding[];
}

/** The checks, in the order their findings are listed for one position. */
export const CHECKS: readonly Check[] = [structureCheck, savedErrorCheck, imageCheck, mathCheck, pastedMathCheck];

export function checkNotebook(nb: Notebook, packs: readonly AssignmentPack[] = BUILTIN_PACKS): NotebookReport {
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
  if (!match) return { notebook: nb, questions, findings };
  return {
    notebook: nb,
    pack: match.pack,
    ...(match.release ? { release: match.release } : {}),
    points: points(match.pack, questions),
    questions,
    findings,
  };
}
