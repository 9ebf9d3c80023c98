import type { Frame } from './frames';
/**
 * Assignment packs are data: the questions of one exam, how to recognise their prompts in a notebook,
 * what counts as an answer, points, and the key (which questions must be answered).
 */

export interface PackRelease {
  readonly id: string;
  readonly title: string;
  /** Phrases found only in this release's prompts or template code. */
  readonly markers: readonly string[];
}

export interface PackItem {
  /** Most specific id: "1.1", "1.3.2", "6". */
  readonly id: string;
  readonly title: string;
  /** Phrases that mark where the item's prompt starts (any one suffices). */
  readonly anchors: readonly string[];
  /** Phrases that end the prompt; text after them in the same cell is the student's. */
  readonly promptEnds?: readonly string[];
  /** False for prompt text that only introduces parts (e.g. the stem of 1.3). */
  readonly answerable?: boolean;
  /** Template code handed out for the answer, per release id; its lines are not the student's work. */
  readonly template?: Readonly<Record<string, string>>;
  /**
   * What a grader marks in the answer, as aspects with their share of the part's points (summing to 1), each
   * judged by one kind of check; default: one written answer. Verdicts and the grade estimate are built
   * from them (verdicts.ts).
   */
  readonly aspects?: readonly PackAspect[];
}

/** The kinds of check that judge an aspect of an answer. */
export type AspectKind = 'exercise' | 'count' | 'training' | 'differentiation' | 'formula' | 'prose';

export interface PackAspect {
  readonly kind: AspectKind;
  /** Its share of the part's points. */
  readonly weight: number;
  /** What it is, for verdicts ("the code", "the drawing of the graph", "the derivation"). */
  readonly what: string;
  /**
   * The share of the aspect a grader may take off when nbcheck cannot judge it (default: all of it for code,
   * formulas and images; PROSE_UNJUDGED for a written answer that nothing flagged).
   */
  readonly unjudged?: number;
}

export interface PackQuestion {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  /** Prompt pieces in notebook order. A question without parts has a single item with its own id. */
  readonly items: readonly PackItem[];
}

export type KeyRule =
  | { readonly kind: 'mandatory'; readonly questions: readonly string[] }
  | { readonly kind: 'choose'; readonly count: number; readonly questions: readonly string[] };

/**
 * An exercise whose answer is run: the harness binds the inputs (the prelude), runs the answer cells,
 * and compares the result with the reference on several batches.
 */
export interface PackExercise {
  /** The item whose answer cells are run. */
  readonly item: string;
  /** Names the prelude binds for the answer (the question's inputs). */
  readonly inputs: readonly string[];
  /** The variable holding the answer's result. */
  readonly result: string;
  /** Per release: Python that binds the inputs; `{B}`, `{C}`, `{seed}`, ... come from each batch. */
  readonly prelude: Readonly<Record<string, string>>;
  /** Per release: Python that computes `result` from the inputs the way the question intends. */
  readonly reference: Readonly<Record<string, string>>;
  /** Per release: the torch functions the question asks the answer to use. */
  readonly required: Readonly<Record<string, readonly string[]>>;
  /** Per release: the inputs of a batch, for messages (`{B}`, ... substituted). */
  readonly describeInputs: Readonly<Record<string, string>>;
  /** What the result should be, for messages ("the cross-entropy loss"). */
  readonly expected: string;
  /** Inputs whose values are shown as evidence when the result is wrong (small ones, like labels). */
  readonly showValues?: readonly string[];
  /** The batches the answer is run on (the first is shown as evidence). */
  readonly batches: readonly Readonly<Record<string, number>>[];
  readonly tolerance: { readonly rtol: number; readonly atol: number };
  /** When the answer defines a function instead: which input each parameter name stands for. */
  readonly parameterNames: Readonly<Record<string, readonly string[]>>;
  /** The item that asks how many nodes the answer's computational graph has (its count is compared with the traced one). */
  readonly countIn?: string;
}

/**
 * A training loop whose answer is run and watched step by step (Question 2): the prelude binds a model,
 * an optimizer, a loader and the task losses; the harness reads what each optimizer step applies.
 */
export interface PackTrainingLoop {
  /** The item whose answer cells are run. */
  readonly item: string;
  /** Python that binds what the answer may use; `{seed}` comes from each run. */
  readonly prelude: string;
  /** One run per seed (each starts from a fresh model and loader). */
  readonly seeds: readonly number[];
  /** The task-loss functions, task 1 then task 2 (also recognised when the answer defines its own). */
  readonly lossFunctions: readonly [string, string];
  /** When the answer defines a function instead: which prelude name each parameter name stands for. */
  readonly parameterNames: Readonly<Record<string, readonly string[]>>;
  /** Steps watched per run; a loop that goes on (its own data, many epochs) is stopped after them. */
  readonly maxSteps: number;
  /** What the prelude gives the answer, for messages. */
  readonly describe: string;
}

/**
 * Derivatives computed by hand (Question 3): the function is the prompt's display formula `f(x,y) = ...`;
 * the answer's stated derivatives are checked against the engine's forward and reverse mode.
 */
export interface PackDifferentiation {
  readonly item: string;
  /** Where the derivatives are computed when the answer states no point. */
  readonly defaultPoint: Readonly<Record<string, number>>;
  /** Points where a derivative written as an expression is compared with the true one (inside the domain). */
  readonly samplePoints: readonly Readonly<Record<string, number>>[];
}

/**
 * A known misconception, found at the sentence that asserts it: every pattern of `all` matches the sentence
 * (lower-case, math and code blanked), none of `unless` does, and the clause around the `anchor` pattern's
 * match is neither negated nor hedged. Conservative by design: a finding only where a sentence asserts it.
 */
export interface PackMisconception {
  readonly id: string;
  /** The items whose answers it is looked for in (a question id covers its parts). */
  readonly items: readonly string[];
  readonly all: readonly RegExp[];
  readonly unless?: readonly RegExp[];
  /** Which pattern of `all` carries the claim (its clause is checked for negation and hedging); default 0. */
  readonly anchor?: number;
  /** Other forms of the same claim, each with its own patterns (the entry asserts when any form does). */
  readonly or?: readonly { readonly all: readonly RegExp[]; readonly unless?: readonly RegExp[]; readonly anchor?: number; readonly negative?: boolean }[];
  /** The claim is itself a negative one ("no gradient flows through the mean"): its clause may hold that one negation. */
  readonly negative?: boolean;
  /** The claim as relations between concepts (../assignment/frames.ts): asserted when any frame is, as well as when a form is. */
  readonly frames?: readonly Frame[];
  /** What is wrong, and what is right, said to the student. */
  readonly explanation: string;
  readonly reference: string;
  /**
   * The exercise whose loss the claim is about (a gradient's or learning rate's scale with the batch): the
   * finding says how the answer's own loss reduces over the batch (checks/own-code.ts).
   */
  readonly lossIn?: string;
  /** The claim written as a formula is read too: the factor a formula puts on the learning rate (`learning-rate`) or on the gradient (`gradient`) when the batch doubles (checks/claims.ts). */
  readonly formula?: 'learning-rate' | 'gradient';
}

/** The right ideas a grader looks for in an answer; each is found when a sentence mentions it (not negated). */
export interface PackRubric {
  readonly item: string;
  /** An idea is there when some sentence matches one of `any` and, if given, some sentence one of `also`. */
  readonly ideas: readonly {
    readonly id: string;
    readonly label: string;
    readonly any: readonly RegExp[];
    readonly also?: readonly RegExp[];
    /** Statements of the idea that are negative in form ("no growth in the graph"): found without the negation test. */
    readonly negated?: readonly RegExp[];
    /** A sentence matching one of these does not state the idea ("decrease the learning rate to keep the same step"). */
    readonly unless?: readonly RegExp[];
    /** Catalogue entries (ids) that contradict the idea: when the answer asserts one, the idea is not covered. */
    readonly contradictedBy?: readonly string[];
  }[];
}

export interface AssignmentPack {
  readonly id: string;
  readonly title: string;
  /** The pack matches a notebook in which at least `minAnchors` question anchors are found. */
  readonly minAnchors: number;
  readonly releases: readonly PackRelease[];
  readonly questions: readonly PackQuestion[];
  readonly key: readonly KeyRule[];
  readonly exercises?: readonly PackExercise[];
  readonly trainingLoops?: readonly PackTrainingLoop[];
  readonly differentiation?: readonly PackDifferentiation[];
  readonly misconceptions?: readonly PackMisconception[];
  /** Where an answer states its graph's node count (the answers of `items`, text and code comments): all its counts must agree; findings go to `item`. */
  readonly nodeCounts?: readonly { readonly item: string; readonly items: readonly string[] }[];
  /**
   * Where an answer says how much what grows when the labels become soft (a distribution per sample instead
   * of class indices): the answers of `item` (text, math, code comments), with the hard-label loss of
   * `codeIn` named in the messages; `logitsEntry`, the catalogue's entry for "the logits grow", which says it
   * instead where it flags the same sentence (checks/soft-claims.ts).
   */
  readonly softLabelClaims?: readonly { readonly item: string; readonly codeIn: string; readonly logitsEntry?: string }[];
  readonly rubric?: readonly PackRubric[];
  /** Items whose answers state DDPM's posterior β̃_t and μ̃(x_t, x_0) (checked by equivalence, run/formulas.ts). */
  readonly posteriorFormulas?: readonly { readonly item: string }[];
  /** What students also see besides what every audience sees (default: neither; graders see both). */
  readonly studentsSee?: readonly StudentOptIn[];
}

/** Finding groups shown only to graders unless a pack or setting opts students in. */
export type StudentOptIn = 'rubric' | 'integrity';

/** The maximum grade the key allows: mandatory questions plus the best `count` of each choice group. */
export function maxPoints(pack: AssignmentPack): number {
  const points = new Map(pack.questions.map((q) => [q.id, q.points]));
  let total = 0;
  for (const rule of pack.key) {
    const pts = rule.questions.map((id) => points.get(id) ?? 0);
    if (rule.kind === 'mandatory') total += pts.reduce((a, b) => a + b, 0);
    else total += pts.sort((a, b) => b - a).slice(0, rule.count).reduce((a, b) => a + b, 0);
  }
  return total;
}
