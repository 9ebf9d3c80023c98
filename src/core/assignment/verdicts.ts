/**
 * Verdicts: for every answer part, what nbcheck checked and found to hold, what it flagged, and what it
 * could not judge and why — and, from those, a grade estimate that brackets the grade.
 *
 * A part is made of aspects (pack data: the code, the node count, the drawing, the derivation, the written
 * answer), each with its share of the part's points and judged by one kind of check. An aspect is
 *   - checked: a check verified it (the code's value on every batch, a formula by equivalence): a grader may
 *     still take a little off (CHECKED_SLACK of it);
 *   - flagged: findings put points at risk: each distinct one takes between its RISK bounds, and what no
 *     finding covers of a written answer is still unjudged;
 *   - not judged: nothing decided it (an image, code outside the subset, prose no catalogue entry matches),
 *     with the reason as an information finding at its place: a grader may take off any of it (all of it for
 *     images and code, PROSE_UNJUDGED of a written answer).
 * The estimate is the points attainable less, per counted part, the most and the least those aspects can
 * lose: a range that widens where nbcheck could not judge and narrows where it checked or found mistakes.
 * The shares were calibrated on the real notebooks of ../shared/corpus against TA-style grades
 * (test/run/ta-grades.test.ts): every grade falls inside its range.
 */
import type { Finding, FindingCode } from '../findings';
import type { Notebook } from '../notebook/types';
import type { ItemSegment, Segmentation } from '../notebook/segment';
import { imageRefs } from '../checks/images';
import { markdownContent, withoutImages } from '../notebook/answer-text';
import { LineIndex } from '../text';
import type { Points, QuestionReport } from './status';
import { countedQuestions } from './status';
import type { AspectKind, AssignmentPack, PackAspect, PackItem } from './types';
import { pushTo } from '../collections';

export type VerdictKind = 'checked' | 'flagged' | 'not-judged';

/** Something a check verified about an answer part, and holds ("ran on 3 batches, equals the CE loss"). */
export interface Verified {
  readonly question: string;
  readonly aspect: AspectKind;
  readonly what: string;
  /** The cells it was verified on (a shell drops it when one of them is edited). */
  readonly cells: readonly number[];
}

/** Whether the exercise code ran for this report, and if not, why. */
export type RunState = { readonly kind: 'ran' } | { readonly kind: 'off'; readonly reason: string } | { readonly kind: 'pending' };

export interface AspectVerdict {
  readonly kind: AspectKind;
  readonly what: string;
  readonly weight: number;
  readonly state: VerdictKind;
  /** In a few words: what was verified, the findings' kinds, or why it was not judged ("an image"). */
  readonly summary: string;
  /** Checked: what was verified; flagged: the findings' kinds; not judged: why (the notes' messages). */
  readonly says: readonly string[];
  /** The findings behind a flagged aspect, each with the points it puts at risk (low, high). */
  readonly findings: readonly { readonly finding: Finding; readonly points: readonly [number, number] }[];
  /** Points this aspect may lose: [least, most]. */
  readonly loss: readonly [number, number];
  /** A written answer read by the prose checks (not an image): pooled with the others in the notebook's estimate. */
  readonly pooled: boolean;
  /** Why it is not judged, in one word, for the estimate's basis. */
  readonly why?: NotJudgedWhy;
  /** Checked or flagged, but not all of it was read (a derivative beside those checked, tangents with no graph). */
  readonly partial?: boolean;
}

/** Why an aspect is not judged: an image, a written answer nothing decided, code or math not run or not read. */
export type NotJudgedWhy = 'image' | 'written' | 'not-run' | 'code' | 'math' | 'count' | 'nothing';

const WHY_TEXT: Readonly<Record<NotJudgedWhy, string>> = { image: 'images', written: 'written answers', 'not-run': 'not run', code: 'code nbcheck does not run', math: 'math not read', count: 'a node count by another convention', nothing: 'nothing to check' };

export interface PartVerdict {
  readonly id: string;
  readonly title: string;
  readonly question: string;
  /** The part's share of its question's points. */
  readonly points: number;
  /**
   * Whether the key counts it: a mandatory question's parts always; of a choice group, the question graded
   * (the answered one, or the first when none is). The other question of a choice group is not counted.
   */
  readonly counted: boolean;
  /** Whether its question's points are among the points attainable (answered or partly answered, and counted). */
  readonly scored: boolean;
  readonly status: ItemSegment['status'];
  /** Undefined for a part that is not answered and not counted (the other question of a choice group). */
  readonly verdict?: VerdictKind;
  readonly aspects: readonly AspectVerdict[];
  /** Points it may earn: [low, high] (counted parts only). */
  readonly earned?: { readonly low: number; readonly high: number };
  /** A checked part with an aspect not judged: "checked in part". */
  readonly partly?: boolean;
}

export interface GradeEstimate {
  readonly low: number;
  readonly high: number;
  /** What the range rests on, in a few words per verdict ("not judged: 4, 5 (written answers), 3 (an image)"). */
  readonly basis: string;
}

export interface Judgement {
  readonly parts: readonly PartVerdict[];
  readonly estimate: GradeEstimate;
  /** The information findings that say what could not be judged, where no check said so itself. */
  readonly notes: readonly Finding[];
}

/** The share of a checked aspect a grader may still take off (presentation, an explanation left short). */
export const CHECKED_SLACK = 0.1;
/** The share of an aspect checked in part (some of it not read) a grader may take off. */
const PARTLY_CHECKED = 0.5;
/** The share of a written answer a grader may take off when nothing nbcheck knows applied to it. */
export const PROSE_UNJUDGED = 0.7;
/**
 * Over a whole notebook, the share of its written answers' points (beyond what the findings surely cost) that
 * graders take off at most: written answers rarely all lose their most at once. Calibrated on the corpus.
 */
export const PROSE_POOL = 0.55;

/** The share of an aspect each finding puts at risk: [least, most]. A missing part loses all of it. */
const RISK: Partial<Record<FindingCode, readonly [number, number]>> = {
  'structure.template-left': [1, 1],
  'code.syntax-error': [0.3, 1],
  'code.runtime-error': [0.15, 1],
  'code.not-scalar': [0.2, 1],
  'code.numeric-mismatch': [0.25, 0.8],
  'code.required-function-unused': [0, 0.25],
  'code.demo-inputs': [0, 0.25],
  'training.graph-freed': [0.3, 1],
  'training.step-before-backward': [0.05, 0.5],
  'training.grad-not-zeroed': [0.2, 1],
  'training.per-parameter': [0.2, 1],
  'training.sign-inverted': [0.2, 1],
  'training.wrong-branch': [0.2, 1],
  'training.wrong-update': [0.2, 1],
  'training.no-step': [0.3, 1],
  'training.scaled-update': [0, 0.25],
  'derivative.wrong': [0.15, 0.6],
  'derivative.wrong-value': [0.05, 0.3],
  'derivative.node': [0.15, 0.6],
  'claim.inconsistent-count': [0, 0.5],
  'claim.wrong-factor': [0.1, 0.4],
  'derivative.node-value': [0.03, 0.15],
  'derivative.tangent': [0.05, 0.25],
  'derivative.adjoint': [0.05, 0.25],
  'derivation.restated': [0.3, 1],
  'prose.misconception': [0.12, 0.5],
  'math.parse-error': [0, 0.1],
  'math.unclosed': [0, 0.1],
};

/** Information findings that say an aspect could not be judged (the checks' own notes). */
const NOT_JUDGED: ReadonlySet<FindingCode> = new Set<FindingCode>(['code.unsupported', 'code.budget', 'code.inputs-overwritten', 'training.not-run', 'math.unread', 'answer.image-only', 'answer.not-judged']);

const DEFAULT_ASPECTS: readonly PackAspect[] = [{ kind: 'prose', weight: 1, what: 'the written answer' }];

export const aspectsOf = (item: PackItem): readonly PackAspect[] => item.aspects ?? DEFAULT_ASPECTS;

/** The aspect a finding is about, among the part's; undefined for findings that judge nothing (images, integrity). */
function aspectOf(f: Finding, kinds: readonly AspectKind[]): AspectKind | undefined {
  const pick = (...prefer: AspectKind[]): AspectKind | undefined => prefer.find((k) => kinds.includes(k));
  if ((f.code === 'answer.image-only' || f.code === 'answer.not-judged' || f.code === 'math.unread') && f.rule && kinds.includes(f.rule as AspectKind)) return f.rule as AspectKind;
  if (f.code.startsWith('code.') || f.code === 'structure.template-left') return pick('exercise', 'training');
  if (f.code.startsWith('training.')) return pick('training');
  if (f.code === 'graph.node-count' || f.code === 'claim.inconsistent-count') return pick('count');
  if (f.code === 'derivation.restated') return pick('prose');
  if (f.code.startsWith('derivative.') || f.code === 'math.unread') return pick('differentiation', 'formula');
  if (f.code === 'prose.misconception' || f.code === 'claim.wrong-factor' || f.code.startsWith('math.') || f.code === 'answer.image-only' || f.code === 'answer.not-judged') return pick('prose', 'differentiation', 'formula');
  return undefined;
}

const belongs = (f: Finding, id: string): boolean => f.question === id || !!f.question?.startsWith(`${id}.`);
const quarter = (x: number): number => Math.round(x * 4) / 4;
export const partLabel = (id: string): string => (id.includes('.') ? `part ${id}` : `Question ${id}`);

export interface JudgeInput {
  readonly nb: Notebook;
  readonly pack: AssignmentPack;
  readonly seg: Segmentation;
  readonly questions: readonly QuestionReport[];
  readonly points: Points;
  readonly findings: readonly Finding[];
  readonly verified: readonly Verified[];
  readonly run: RunState;
  /** Whether the prose checks ran (the catalogue was looked for). */
  readonly proseChecked: boolean;
}

/** The questions the key grades: the mandatory ones, and per choice group the attempted best or else the first. */
function gradedQuestions(pack: AssignmentPack, questions: readonly QuestionReport[]): Set<string> {
  const out = new Set<string>();
  const attempted = countedQuestions(pack, questions);
  for (const rule of pack.key) {
    if (rule.kind === 'mandatory') rule.questions.forEach((id) => out.add(id));
    else {
      const chosen = rule.questions.filter((id) => attempted.has(id));
      (chosen.length ? chosen : rule.questions.slice(0, rule.count)).forEach((id) => out.add(id));
    }
  }
  return out;
}

export function judge(input: JudgeInput): Judgement {
  const { pack, seg, questions } = input;
  const scored = countedQuestions(pack, questions);
  const graded = gradedQuestions(pack, questions);
  const notes: Finding[] = [];
  const parts: PartVerdict[] = [];
  for (const s of seg.items) {
    const q = questions.find((x) => x.id === s.question.id);
    if (!q) continue;
    const answerable = s.question.items.filter((i) => i.answerable !== false).length;
    const points = q.points / Math.max(1, answerable);
    parts.push(judgePart(input, s, points, graded.has(q.id), scored.has(q.id), notes));
  }
  return { parts, estimate: estimateOf(input.points, parts), notes };
}

function judgePart(input: JudgeInput, s: ItemSegment, points: number, counted: boolean, scored: boolean, notes: Finding[]): PartVerdict {
  const base = { id: s.item.id, title: s.item.title, question: s.question.id, points, counted, scored, status: s.status };
  if (s.status !== 'answered') {
    if (!counted) return { ...base, aspects: [] };
    const group = input.pack.key.find((k) => k.kind === 'choose' && k.questions.includes(s.question.id));
    const others = group ? group.questions.filter((q) => q !== s.question.id) : [];
    const said = s.status === 'declined' ? `declined ("${s.declined ?? ''}")` : others.length ? `no answer, nor to Question ${others.join(' or ')}: one of them is required` : 'no answer';
    const aspects = aspectsOf(s.item).map((a): AspectVerdict => ({ kind: a.kind, what: a.what, weight: a.weight, state: 'flagged', summary: said, says: [said], findings: [], loss: [a.weight * points, a.weight * points], pooled: false }));
    return { ...base, verdict: 'flagged', aspects, earned: { low: 0, high: 0 } };
  }
  const mine = input.findings.filter((f) => belongs(f, s.item.id));
  const kinds = aspectsOf(s.item).map((a) => a.kind);
  const image = imageOnly(input.nb, s);
  const aspects = aspectsOf(s.item).map((a) => judgeAspect(input, s, a, kinds, mine, image, points, notes));
  const verdict: VerdictKind = aspects.some((a) => a.state === 'flagged') ? 'flagged' : aspects.some((a) => a.state === 'checked') ? 'checked' : 'not-judged';
  const partly = verdict === 'checked' && aspects.some((a) => a.state === 'not-judged' || a.partial);
  const lost = aspects.reduce((acc, a) => [acc[0] + a.loss[0], acc[1] + a.loss[1]] as const, [0, 0] as readonly [number, number]);
  const earned = counted ? { low: quarter(Math.max(0, points - lost[1])), high: quarter(Math.max(0, points - lost[0])) } : undefined;
  return { ...base, verdict, aspects, ...(earned ? { earned } : {}), ...(partly ? { partly } : {}) };
}

function judgeAspect(input: JudgeInput, s: ItemSegment, a: PackAspect, kinds: readonly AspectKind[], mine: readonly Finding[], image: ImageAnswer | undefined, points: number, notes: Finding[]): AspectVerdict {
  const share = a.weight * points;
  const pooled = a.kind === 'prose' && a.unjudged === undefined && !image;
  const head = { kind: a.kind, what: a.what, weight: a.weight, pooled };
  const here = mine.filter((f) => aspectOf(f, kinds) === a.kind);
  const unjudgedShare = a.unjudged ?? (a.kind === 'prose' ? PROSE_UNJUDGED : 1);

  // Flagged: each distinct mistake (by code and what it is about) once; consequences of a counted one not at all.
  const flagged: { finding: Finding; points: readonly [number, number] }[] = [];
  const seen = new Set<string>();
  let lo = 0;
  let hi = 0;
  for (const f of here) {
    const risk = RISK[f.code];
    if (!risk || f.consequence || f.severity === 'info') continue;
    const key = `${f.code}:${f.rule ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // What this one adds, least to most (the most is never below the least, and the aspect loses at most all).
    const least = Math.min(1 - lo, risk[0]);
    const add: [number, number] = [least, Math.max(least, Math.min(1 - hi, risk[1]))];
    lo += add[0];
    hi = Math.min(1, hi + add[1]);
    flagged.push({ finding: f, points: [quarter(add[0] * share), quarter(add[1] * share)] });
  }
  if (flagged.length) {
    // What no finding covers of a written answer is still unjudged.
    const most = Math.min(1, Math.max(hi, a.kind === 'prose' || a.kind === 'differentiation' ? unjudgedShare : 0));
    const counts = new Map<string, number>();
    for (const f of flagged) counts.set(f.finding.code, (counts.get(f.finding.code) ?? 0) + 1);
    const kinds = [...counts].map(([c, n]) => findingWords(c as FindingCode, n));
    // What of it the checks could not judge is said beside the mistakes (a derivation's tangents with no graph to follow).
    const rest = here.filter((f) => NOT_JUDGED.has(f.code));
    const unjudged = rest.length ? [`not judged: ${[...new Set(rest.map((f) => noteReason(f).words))].join('; ')}`] : [];
    return { ...head, state: 'flagged', summary: [kinds.join(', '), ...unjudged].join('; '), says: [...flagged.map((f) => f.finding.message), ...rest.map((f) => f.message)], findings: flagged, loss: [lo * share, most * share], ...(rest.length ? { partial: true } : {}) };
  }

  const verified = input.verified.filter((v) => v.question === s.item.id && v.aspect === a.kind);
  const judgedNotes = here.filter((f) => NOT_JUDGED.has(f.code) || (f.code === 'graph.node-count' && !verified.length));
  if (verified.length) {
    // Checked, and maybe not all of it (a derivative nbcheck could not read beside those it checked).
    const rest = judgedNotes.filter((f) => f.code !== 'graph.node-count');
    const says = [...verified.map((v) => v.what), ...rest.map((f) => f.message)];
    const summary = [...verified.map((v) => v.what), ...(rest.length ? [`not judged: ${[...new Set(rest.map((f) => noteReason(f).words))].join('; ')}`] : [])].join('; ');
    return { ...head, state: 'checked', summary, says, findings: [], loss: [0, (rest.length ? PARTLY_CHECKED : CHECKED_SLACK) * share], ...(rest.length ? { partial: true } : {}) };
  }
  const notJudged = (why: NotJudgedWhy, summary: string, says: string[], most = unjudgedShare, pool = pooled): AspectVerdict => ({ ...head, pooled: pool, why, state: 'not-judged', summary, says, findings: [], loss: [0, Math.min(1, most) * share] });
  const note = (code: 'answer.image-only' | 'answer.not-judged', message: string, at: { cell: number; start: number; end: number } | undefined): void => {
    const cell = at ?? firstAnswerLine(input.nb, s);
    notes.push({ code, severity: 'info', rule: a.kind, question: s.item.id, message, ...(cell ? { cell: cell.cell, range: new LineIndex(input.nb.cells[cell.cell]?.source ?? '').range(cell.start, cell.end) } : {}) });
  };
  const label = partLabel(s.item.id);
  const code = a.kind === 'exercise' || a.kind === 'training';
  const needsRun = a.kind !== 'prose';
  if (needsRun && input.run.kind !== 'ran') {
    const why = input.run.kind === 'pending' ? 'the exercise code has not run yet' : input.run.reason;
    const message = `Not judged: nbcheck checks ${a.what} of ${label} only when it runs the exercises (${why}).`;
    note('answer.not-judged', message, undefined);
    return notJudged('not-run', `not run (${why})`, [message], 1);
  }
  if (!code && image) {
    // One note per part, naming what of it the image holds.
    // The aspects that come to this point: not code, not verified nor flagged, not waiting for a run.
    const inImage = aspectsOf(s.item).filter((x) => x.kind !== 'exercise' && x.kind !== 'training' && (x.kind === 'prose' || input.run.kind === 'ran') && !input.verified.some((v) => v.question === s.item.id && v.aspect === x.kind) && !mine.some((f) => aspectOf(f, kinds) === x.kind && RISK[f.code]));
    const message = `Not read: ${kinds.length > 1 ? `${inImage.map((x) => x.what).join(' and ')} of ${label}` : `${label}'s answer`} — an image (${image.url}); nbcheck cannot read images, so it is graded by hand.`;
    if (!notes.some((f) => f.code === 'answer.image-only' && f.question === s.item.id)) note('answer.image-only', message, image.at);
    return notJudged('image', `an image (${image.url})`, [message], 1);
  }
  // The checks' own notes (code outside the subset, math not read, a count by another convention).
  if (judgedNotes.length) {
    const summary = [...new Set(judgedNotes.map((f) => noteReason(f).words))].join('; ');
    return notJudged(noteReason(judgedNotes[0] as Finding).why, summary, judgedNotes.map((f) => f.message), judgedNotes.some((f) => f.code !== 'graph.node-count' && f.code !== 'answer.not-judged') ? 1 : unjudgedShare);
  }

  if (a.kind === 'prose') {
    const entries = (input.pack.misconceptions ?? []).filter((m) => m.items.some((i) => s.item.id === i || s.item.id.startsWith(`${i}.`))).length;
    const message = !input.proseChecked
      ? `Not judged: ${a.what} of ${label} was not read (the prose checks are off); it is graded by hand.`
      : entries
        ? `Not judged by nbcheck: ${a.what} of ${label} was read for the ${entries} misconception${entries === 1 ? '' : 's'} the exam's catalogue lists for it and none was found; whether it is right is for the grader.`
        : `Not judged by nbcheck: nothing in the exam pack checks ${a.what} of ${label}; it is graded by hand.`;
    note('answer.not-judged', message, undefined);
    return notJudged('written', !input.proseChecked ? 'not read (prose checks off)' : entries ? `no catalogued misconception found (${entries} looked for)` : 'nothing in the pack checks it', [message]);
  }
  const message = `Not judged: nbcheck found nothing it could check in ${a.what} of ${label}; it is graded by hand.`;
  note('answer.not-judged', message, undefined);
  return notJudged('nothing', 'nothing nbcheck could check', [message], 1);
}

/** Findings of one kind in words, for summaries ("2 misconceptions", "a runtime error"). */
const WORDS: Partial<Record<FindingCode, readonly [string, string]>> = {
  'prose.misconception': ['a misconception', 'misconceptions'],
  'code.syntax-error': ['a syntax error', 'syntax errors'],
  'code.runtime-error': ['a runtime error', 'runtime errors'],
  'code.not-scalar': ['a result that is not a scalar', 'results that are not scalars'],
  'code.numeric-mismatch': ['a wrong value', 'wrong values'],
  'code.required-function-unused': ['a required function unused', 'required functions unused'],
  'code.demo-inputs': ["a demo's own inputs not of the question's kind", "a demo's own inputs not of the question's kind"],
  'structure.template-left': ['the template left', 'templates left'],
  'training.graph-freed': ['a backward through a freed graph', 'backwards through freed graphs'],
  'training.step-before-backward': ['a step before its backward', 'steps before their backward'],
  'training.grad-not-zeroed': ['gradients not zeroed', 'gradients not zeroed'],
  'training.per-parameter': ['the choice made per parameter', 'choices made per parameter'],
  'training.sign-inverted': ['the sign test inverted', 'sign tests inverted'],
  'training.wrong-branch': ['a step applying the wrong branch', 'steps applying the wrong branch'],
  'training.wrong-update': ['a wrong update', 'wrong updates'],
  'training.no-step': ['no optimizer step', 'no optimizer step'],
  'training.scaled-update': ['a scaled update', 'scaled updates'],
  'derivative.wrong': ['a wrong formula', 'wrong formulas'],
  'derivative.wrong-value': ['a wrong value', 'wrong values'],
  'derivative.node': ['a node that is not a step of f', 'nodes that are not steps of f'],
  'claim.inconsistent-count': ['two different node counts', 'different node counts'],
  'claim.wrong-factor': ['a wrong growth factor', 'wrong growth factors'],
  'derivative.node-value': ['a wrong forward value', 'wrong forward values'],
  'derivative.tangent': ['a wrong tangent', 'wrong tangents'],
  'derivative.adjoint': ['a wrong adjoint', 'wrong adjoints'],
  'derivation.restated': ['no derivation', 'no derivation'],
  'math.parse-error': ['math that will not render', 'math that will not render'],
  'math.unclosed': ['an unclosed math delimiter', 'unclosed math delimiters'],
  'math.renders-jupyter-only': ['math that shows as an error in VS Code', 'math that shows as an error in VS Code'],
  'math.renders-vscode-only': ['math that shows as an error in Jupyter', 'math that shows as an error in Jupyter'],
  'math.missing-backslash': ['a LaTeX command without its backslash', 'LaTeX commands without their backslash'],
  'math.braced-limits': ['a sum\'s limits in braces', 'sums\' limits in braces'],
  'math.subscript-style': ['a subscript written as a bare digit', 'subscripts written as bare digits'],
};

function findingWords(code: FindingCode, n: number): string {
  const w = WORDS[code];
  if (!w) return n > 1 ? `${n} × ${code}` : code;
  return n > 1 && w[0] !== w[1] ? `${n} ${w[1]}` : w[0];
}

/** A check's note: why it leaves an aspect not judged, in one word and in a few. */
function noteReason(f: Finding): { why: NotJudgedWhy; words: string } {
  switch (f.code) {
    case 'code.unsupported':
      return { why: 'code', words: 'code outside what nbcheck runs' };
    case 'code.budget':
      return { why: 'code', words: 'stopped by a budget' };
    case 'code.inputs-overwritten':
      return { why: 'code', words: 'runs on inputs of its own' };
    case 'training.not-run':
      return { why: 'code', words: 'the loop could not be run' };
    case 'math.unread':
      return { why: 'math', words: 'math nbcheck could not read' };
    case 'graph.node-count': {
      const [stated, traced] = (f.rule ?? '').split('/');
      return { why: 'count', words: stated && traced ? `it says ${stated} nodes, the graph traced from its code has ${traced} (nbcheck's convention)` : 'a node count by another convention' };
    }
    default:
      return { why: 'written', words: 'not judged' };
  }
}

/** The first line of the part's answer with text in it (a markdown cell first), for notes. */
function firstAnswerLine(nb: Notebook, s: ItemSegment): { cell: number; start: number; end: number } | undefined {
  const spans = [...s.answer].sort((x, y) => Number(nb.cells[x.cell]?.kind !== 'markdown') - Number(nb.cells[y.cell]?.kind !== 'markdown') || x.cell - y.cell);
  for (const span of spans) {
    const text = nb.cells[span.cell]?.source ?? '';
    const m = /\S[^\n]*/.exec(text.slice(span.start, span.end));
    if (m) return { cell: span.cell, start: span.start + m.index, end: span.start + m.index + m[0].length };
  }
  return undefined;
}

interface ImageAnswer {
  readonly url: string;
  readonly at: { cell: number; start: number; end: number };
}

/** Words of text besides the images up to which an answer counts as an image ("There will be 7 nodes: <img>"). */
const IMAGE_ANSWER_WORDS = 25;

/** The answer's markdown is only images, or images with a few words: its first image. */
export function imageOnly(nb: Notebook, s: ItemSegment): ImageAnswer | undefined {
  let first: ImageAnswer | undefined;
  let words = 0;
  for (const span of s.answer) {
    const cell = nb.cells[span.cell];
    if (!cell || cell.kind !== 'markdown') continue;
    const text = cell.source.slice(span.start, span.end);
    const refs = imageRefs(text);
    if (refs.length && !first) {
      const r = refs[0]!;
      first = { url: r.url, at: { cell: span.cell, start: span.start + r.start, end: span.start + r.end } };
    }
    const rest = markdownContent(withoutImages(text, true));
    words += rest.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  }
  return first && words <= IMAGE_ANSWER_WORDS ? first : undefined;
}

function estimateOf(points: Points, parts: readonly PartVerdict[]): GradeEstimate {
  // Least and most lost; written answers' "most" is pooled over the notebook (PROSE_POOL).
  let lo = 0;
  let hiFixed = 0;
  let poolHi = 0;
  let poolLo = 0;
  let poolRoom = 0;
  const groups: Record<VerdictKind, string[]> = { checked: [], flagged: [], 'not-judged': [] };
  const why = new Map<string, string[]>();
  for (const p of parts) {
    // A question not attempted is not in the points attainable already.
    if (!p.scored || !p.earned) continue;
    for (const a of p.aspects) {
      lo += a.loss[0];
      if (a.pooled) {
        poolHi += a.loss[1];
        poolLo += a.loss[0];
        poolRoom += a.weight * p.points - a.loss[0];
      } else hiFixed += a.loss[1];
    }
    if (!p.verdict) continue;
    groups[p.verdict].push(p.id);
    if (p.verdict === 'not-judged') {
      // The reason of its heaviest aspect not judged.
      const main = [...p.aspects].filter((a) => a.state === 'not-judged').sort((x, y) => y.weight - x.weight)[0];
      const reason = WHY_TEXT[main?.why ?? 'nothing'];
      pushTo(why, reason, p.id);
    }
  }
  const hi = hiFixed + Math.min(poolHi, poolLo + PROSE_POOL * poolRoom);
  const low = Math.max(0, Math.floor((points.attainable - hi) * 2) / 2);
  const high = Math.max(low, Math.ceil((points.attainable - lo) * 2) / 2);
  const basis = [
    groups.checked.length ? `checked: ${groups.checked.join(', ')}` : '',
    groups.flagged.length ? `flagged: ${groups.flagged.join(', ')}` : '',
    why.size ? `not judged: ${[...why].map(([r, ids]) => `${ids.join(', ')} (${r})`).join('; ')}` : '',
  ].filter(Boolean).join(' · ');
  return { low, high, basis };
}

/** "an estimate from the findings, not a grade", for every place that shows it. */
export const ESTIMATE_NOTE = 'an estimate from what nbcheck checked and found, not a grade';

/** The points each finding puts at risk, [least, most] (findings that put none are not in it). */
export function riskOf(j: Judgement | undefined): Map<Finding, readonly [number, number]> {
  const out = new Map<Finding, readonly [number, number]>();
  for (const p of j?.parts ?? []) for (const a of p.aspects) for (const f of a.findings) if (p.scored && f.points[1] > 0) out.set(f.finding, f.points);
  return out;
}

/** The points the estimate gives a question: its counted parts' together (undefined when none is counted). */
export function questionEarned(j: Judgement | undefined, question: string): { low: number; high: number } | undefined {
  const counted = (j?.parts ?? []).filter((p) => p.question === question && p.earned);
  if (!counted.length) return undefined;
  const total = (end: 'low' | 'high'): number => quarter(counted.reduce((a, p) => a + (p.earned?.[end] ?? 0), 0));
  return { low: total('low'), high: total('high') };
}

/** "12.5–20": a range of points, or one number when both ends agree. */
export const range = (low: number, high: number): string => (low === high ? String(high) : `${low}–${high}`);
