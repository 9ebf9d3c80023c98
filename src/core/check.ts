/** One entry point for every shell: a notebook in, a report (questions, points, findings) out. */
import { BUILTIN_PACKS, matchPack } from './assignment/match';
import { points, questionReports, type Points, type QuestionReport } from './assignment/status';
import type { AssignmentPack, PackRelease, StudentOptIn } from './assignment/types';
import { judge, type Judgement, type RunState, type Verified } from './assignment/verdicts';
import type { CheckCache } from './checks/cache';
export { CheckCache } from './checks/cache';
import { CheckContext, type Check } from './checks/context';
import { imageCheck } from './checks/images';
import { mathCheck } from './checks/math';
import { mathTypoCheck } from './checks/math-typos';
import { integrityCheck } from './checks/integrity';
import { claimsCheck } from './checks/claims';
import { softLabelCheck } from './checks/soft-claims';
import { misconceptionCheck } from './checks/misconceptions';
import { rubricCheck } from './checks/rubric';
import { pastedMathCheck } from './checks/pasted-math';
import { savedErrorCheck } from './checks/saved-errors';
import { structureCheck } from './checks/structure';
import { mergeRepeats } from './checks/merge';
import { compareFindings, type Finding } from './findings';
import { segment, type Segmentation } from './notebook/segment';
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
  /** Every finding, for every audience (see `forAudience`), with the verdicts' notes once judged. */
  readonly findings: readonly Finding[];
  /** Which stretch of the notebook answers which part (when a pack matched). */
  readonly segmentation?: Segmentation;
  /** What the exercise runs verified and holds. */
  readonly verified: readonly Verified[];
  /** Whether the exercise code ran, and if not why. */
  readonly runState: RunState;
  /** The check groups that ran. */
  readonly groups: readonly CheckGroup[];
  /** Per answer part: checked, flagged or not judged, and the grade estimate (see `judgeReport`). */
  readonly judgement?: Judgement;
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
  { group: 'math', check: mathTypoCheck },
  { group: 'math', check: pastedMathCheck },
  { group: 'prose', check: integrityCheck },
  { group: 'prose', check: misconceptionCheck },
  { group: 'prose', check: rubricCheck },
  { group: 'prose', check: claimsCheck },
  { group: 'prose', check: softLabelCheck },
];

/**
 * One check's findings; where the check itself fails on this notebook (a renderer's stack overflow on 2,800
 * nested braces, say), an information finding that says what was not checked, and the others still report.
 */
const CHECK_NAMES: Record<CheckGroup, string> = { structure: 'structure', outputs: 'saved-output', images: 'image', math: 'math', prose: 'written-answer' };

function guarded(c: (typeof CHECKS)[number], ctx: CheckContext): Finding[] {
  try {
    return c.check(ctx);
  } catch (e) {
    const why = e instanceof RangeError && /call stack/i.test(e.message) ? 'it nests deeper than the check can follow' : `${e instanceof Error ? e.name : 'an error'}: ${(e instanceof Error ? e.message : String(e)).slice(0, 160)}`;
    return [{ code: 'check.failed', severity: 'info', message: `nbcheck's ${CHECK_NAMES[c.group]} check could not read this notebook (${why}); what it looks for was not checked. Please report it with the notebook.` }];
  }
}

export interface CheckOptions {
  /** The assignment packs tried, in order (default: the built-in ones); empty: no exam recognition. */
  readonly packs?: readonly AssignmentPack[];
  /** The check groups that run (default: all). Questions and points are reported either way. */
  readonly groups?: readonly CheckGroup[];
  /** Results kept from the previous check of the same notebook, so that only changed cells are redone. */
  readonly cache?: CheckCache;
  /** Why the exercise code does not run (for the verdicts of the parts it would judge); default: not run. */
  readonly notRun?: RunState;
}

/** The static checks, judged: what the code would judge is "not judged" (`options.notRun` says why). */
export function checkNotebook(nb: Notebook, options: CheckOptions = {}): NotebookReport {
  return judgeReport(checkStatic(nb, options).report);
}

/** Codes of the verdicts' own notes (replaced each time a report is judged). */
const isNote = (f: Finding): boolean => f.code === 'answer.image-only' || f.code === 'answer.not-judged';

/**
 * The report with its verdicts: per answer part what was checked, flagged and not judged, the grade
 * estimate, and an information finding wherever something could not be judged and no check said so.
 */
export function judgeReport(r: NotebookReport): NotebookReport {
  const findings = r.findings.filter((f) => !isNote(f));
  if (!r.pack || !r.points || !r.segmentation) return { ...r, findings };
  const judgement = judge({ nb: r.notebook, pack: r.pack, seg: r.segmentation, questions: r.questions, points: r.points, findings, verified: r.verified, run: r.runState, proseChecked: r.groups.includes('prose') });
  return { ...r, findings: [...findings, ...judgement.notes].sort(compareFindings), judgement };
}

export type Audience = 'student' | 'grader';

/** Who reads a report: students see no rubric ideas nor integrity signals unless the pack or a setting opts them in. */
export interface AudienceOptions {
  readonly audience: Audience;
  /** What students see besides (added to the pack's own `studentsSee`). */
  readonly studentsSee?: readonly StudentOptIn[];
}

/** Whether a finding is shown to `a` (graders see everything). */
export function shownTo(f: Finding, pack: AssignmentPack | undefined, a: AudienceOptions): boolean {
  if (a.audience === 'grader' || f.audience !== 'grader') return true;
  const optIn = new Set([...(pack?.studentsSee ?? []), ...(a.studentsSee ?? [])]);
  return f.code === 'prose.rubric' ? optIn.has('rubric') : optIn.has('integrity');
}

/** The report as one audience reads it: the findings it sees, with graders' notes appended for graders. */
export function forAudience(r: NotebookReport, a: AudienceOptions): NotebookReport {
  const findings = r.findings.filter((f) => shownTo(f, r.pack, a)).map((f) => (a.audience === 'grader' && f.graderNote ? { ...f, message: `${f.message} ${f.graderNote}` } : f));
  return { ...r, findings };
}

/** The static checks, with the pack match and segmentation the exercise runner goes on from. */
/** What running a notebook's exercises adds to its static report. */
export interface RunResults {
  readonly findings: readonly Finding[];
  readonly verified: readonly Verified[];
  readonly run?: RunInfo;
}

/** The static report with an exercise run's results (from this process or a worker) added, judged. */
export function mergeRun(report: NotebookReport, results: RunResults): NotebookReport {
  return judgeReport({ ...report, findings: [...report.findings, ...results.findings].sort(compareFindings), verified: results.verified, runState: { kind: 'ran' }, ...(results.run ? { run: results.run } : {}) });
}

/**
 * The most of one cell's text the static checks read: 200,000 characters, some 60 printed pages (the longest
 * cell of the course's corpus has 5,148). Past it a cell is a pasted log, a data dump or an attack, and what
 * follows the limit is not checked; an information finding says so at the place.
 */
export const MAX_CELL_CHARS = 200_000;

/** The notebook as the static checks read it: each cell up to the limit (offsets, and so ranges, unchanged). */
function withinLimit(nb: Notebook): { read: Notebook; cut: readonly { readonly cell: number; readonly length: number; readonly at: number }[] } {
  const cut: { cell: number; length: number; at: number }[] = [];
  const cells = nb.cells.map((c) => {
    if (c.source.length <= MAX_CELL_CHARS) return c;
    // Not between the two halves of a surrogate pair.
    const at = /[\uDC00-\uDFFF]/.test(c.source[MAX_CELL_CHARS]!) ? MAX_CELL_CHARS - 1 : MAX_CELL_CHARS;
    cut.push({ cell: c.index, length: c.source.length, at });
    return { ...c, source: c.source.slice(0, at) };
  });
  return { read: cut.length ? { ...nb, cells } : nb, cut };
}

export function checkStatic(nb: Notebook, options: CheckOptions): { report: NotebookReport; match?: ReturnType<typeof matchPack>; seg?: ReturnType<typeof segment> } {
  const packs = options.packs ?? BUILTIN_PACKS;
  const groups = new Set(options.groups ?? (Object.keys(CHECK_GROUPS) as CheckGroup[]));
  const { read, cut } = withinLimit(nb);
  const match = matchPack(read, packs);
  const seg = match ? segment(read, match) : undefined;
  const questions = match && seg ? questionReports(match.pack, seg) : [];
  const ctx = new CheckContext(read, match, seg, questions, options.cache);
  const findings: Finding[] = mergeRepeats(CHECKS.filter((c) => groups.has(c.group)).flatMap((c) => guarded(c, ctx)));
  for (const c of cut) {
    findings.push({
      code: 'cell.too-long',
      severity: 'info',
      question: ctx.questionAt(c.cell, 0),
      cell: c.cell,
      range: ctx.range(c.cell, c.at, c.at),
      message: `This cell is ${c.length.toLocaleString('en-US')} characters long; nbcheck's checks read its first ${MAX_CELL_CHARS.toLocaleString('en-US')} (up to here), so nothing after this point was checked.`,
    });
  }
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
  const common = { verified: [], runState: options.notRun ?? { kind: 'off', reason: 'only the static checks ran' }, groups: [...groups] } as const;
  if (!match) return { report: { notebook: nb, questions, findings, ...common } };
  const report: NotebookReport = {
    notebook: nb,
    pack: match.pack,
    ...(match.release ? { release: match.release } : {}),
    points: points(match.pack, questions),
    questions,
    findings,
    ...(seg ? { segmentation: seg } : {}),
    ...common,
  };
  return { report, match, seg };
}
