import type { Range } from './text';

export type Severity = 'error' | 'warning' | 'info';

/**
 * Every finding code nbcheck emits, with a one-line description (used for SARIF rules and docs).
 * Codes are stable: quick fixes and graders' scripts read them back.
 */
export const FINDING_CODES = {
  'pack.none': 'No assignment pack matches the notebook; only the generic checks ran.',
  'structure.question-missing': 'A mandatory question has no answer.',
  'structure.question-declined': 'A mandatory question is declined in the answer.',
  'structure.choice-none': 'None of the questions of a choose-one group is answered.',
  'structure.choice-several': 'More than one question of a choose-one group is answered; only one is graded.',
  'structure.part-missing': 'A sub-part of an answered question has no answer.',
  'structure.template-left': 'A code answer still holds the template placeholder `...`.',
  'outputs.saved-error': 'A code cell was saved with an error output.',
  'images.external-link': 'An image is referenced by an external link, which the notebook forbids.',
  'images.outside-folder': 'An image is outside the folder the notebook asks for.',
  'images.missing-file': 'A referenced image file is not next to the notebook.',
  'images.missing-attachment': 'An `attachment:` image names no attachment of the cell.',
  'math.parse-error': 'Math that will not render, neither in Jupyter (MathJax) nor in VS Code (KaTeX).',
  'math.renders-jupyter-only': 'Math that renders in Jupyter but shows as an error in VS Code (its delimiter rules or KaTeX), with why and the fix.',
  'math.renders-vscode-only': 'Math that renders in VS Code but shows as an error in Jupyter (MathJax).',
  'math.missing-backslash': 'LaTeX that renders but is plainly broken: a command written without its backslash (`frac{a}{b}`, `sum_i`, `alpha_t`).',
  'math.braced-limits': 'LaTeX that renders but is plainly broken: the limits of a sum or product in braces (`\\sum{i=1}^m`) instead of a subscript.',
  'math.subscript-style': 'A subscript written as a bare digit (`x1`) where the same answer writes it `x_1`.',
  'math.unclosed': 'A math delimiter is opened and never closed.',
  'check.failed': 'One of nbcheck\'s static checks failed on this notebook: what it looks for was not checked (the other checks still report).',
  'cell.too-long': 'A cell longer than nbcheck reads (200,000 characters): what follows the limit was not checked.',
  'math.too-long': 'A formula longer than nbcheck checks (5,000 characters): whether it renders was not checked.',
  'math.pasted-render': 'Math copied from a rendered web page instead of written in LaTeX.',
  'integrity.assistant-text': 'An answer reads like text pasted from an AI assistant (its openers, offers, closings), where the notebook asks for your own answers.',
  'integrity.duplicate-passage': 'The same passage appears twice among the answers.',
  'prose.misconception': 'A sentence of a written answer asserts a known misconception (from the exam pack\'s catalogue, with its explanation).',
  'prose.rubric': 'Ideas the exam\'s rubric looks for that were not found in a written answer (information).',
  'code.syntax-error': 'An exercise cell has a syntax error and cannot run.',
  'code.runtime-error': 'An exercise cell raises an error when run on the question\'s inputs.',
  'code.unsupported': 'An exercise cell uses Python or torch that nbcheck does not run, so it is not checked automatically.',
  'code.budget': 'An exercise cell was stopped by a step, size or time budget.',
  'code.not-scalar': 'The result of an exercise is not the single number (scalar) the question asks for.',
  'code.numeric-mismatch': 'The result of an exercise differs from the reference on the question\'s inputs.',
  'code.required-function-unused': 'The answer does not use a function the question asks for.',
  'code.extra-operations': 'The answer uses more operations than needed, where the question asks for as few as possible.',
  'code.inputs-overwritten': 'The answer assigns to an input the question provides, and nbcheck cannot set that aside to run it on the question\'s inputs (information: not judged).',
  'code.demo': 'An exercise cell makes its own inputs to try itself out (a demo): what it computes as written, and that its findings come from a second run with those assignments set aside, on the question\'s inputs.',
  'code.demo-inputs': 'The inputs a demo cell makes for itself are not of the question\'s kind (labels of another shape or dtype) or do not fit its own code, so the cell as written fails or computes something else.',
  'training.graph-freed': 'A backward pass goes through a graph an earlier backward already freed (PyTorch\'s "backward through the graph a second time" error).',
  'training.step-before-backward': 'An optimizer step runs before the backward pass it should apply: every gradient is zero at the step.',
  'training.grad-not-zeroed': 'A step applies gradients accumulated over several backward passes because `.grad` was not zeroed between them.',
  'training.per-parameter': 'The gradient-conflict test is made per parameter instead of over all parameters\' gradients concatenated.',
  'training.sign-inverted': 'The gradient-conflict test is inverted: both tasks are applied when g1·g2 < 0 and one when it is not.',
  'training.wrong-branch': 'A step applies a combination of the task gradients other than the one the rule picks for it.',
  'training.scaled-update': 'A step applies the right combination of the task gradients times a factor (e.g. the mean of the losses instead of their sum).',
  'training.wrong-update': 'A step applies a gradient that is none of g1, g2 or g1 + g2.',
  'training.no-step': 'The training loop computes losses but never applies an update.',
  'derivation.restated': 'An answer asked to derive a result states the formulas without any step of the derivation.',
  'claim.inconsistent-count': 'An answer states two different node counts for its graph (in its text, its math or a code comment).',
  'claim.wrong-factor': 'A written claim of how much something grows when the labels become soft (y, the logits, their gradient, the memory, the loss step\'s work, the graph) gives a factor that is wrong.',
  'graph.node-count': 'The node count of the computational graph traced from the answer\'s own code, next to the count the answer states.',
  'derivative.wrong': 'A formula the answer states (a derivative by hand, DDPM\'s β̃ or μ̃) is not equivalent to the right one (compared at sample points that respect the constraints).',
  'derivative.wrong-value': 'A derivative\'s value at the point the answer states differs from the true value.',
  'derivative.node': 'A node an answer defines in its computational graph (`u_3 = \\sin(u_2)`) is none of the function\'s steps, so the graph does not compute the function.',
  'derivative.node-value': 'A forward value an answer states for one of its intermediate variables differs from what its definition gives at the point.',
  'derivative.tangent': 'A forward-mode tangent (`\\dot{u}_3`, `∂u_3/∂x`) an answer states differs from the tangent of that node through the answer\'s own graph.',
  'derivative.adjoint': 'A reverse-mode adjoint (`\\bar{u}_3`, `∂f_1/∂u_3`) an answer states differs from the adjoint of that node through the answer\'s own graph.',
  'training.not-run': 'The training loop could not be run by the harness (it reads names it does not define, or updates parameters without an optimizer), so it is not checked automatically.',
  'answer.image-only': 'An answer (or the part of it a check reads) is given only as an image, which nbcheck cannot read: it is graded by hand.',
  'answer.not-judged': 'What nbcheck could not judge in an answer part, and why (a written answer nothing in the pack decides, code that was not run, a harness that could not bind the answer).',
  'math.unread': 'Math an answer states that a formula or derivative check could not read or evaluate (which equation, and why): it is not judged, neither right nor wrong.',
} as const;

export type FindingCode = keyof typeof FINDING_CODES;

/**
 * Who a finding is for: everyone (absent), or only graders (`grader`: the rubric's ideas, which would give the
 * answer key away during an exam, and integrity signals), unless a pack or setting shows them to students.
 */
export type Audience = 'student' | 'grader';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  /** The most specific question id the finding concerns ("1.3.1", "6"), when it concerns one. */
  readonly question?: string;
  /** Index in the notebook's `cells`; absent for findings about the notebook as a whole. */
  readonly cell?: number;
  /** Range within the cell's source (0-based lines and characters). */
  readonly range?: Range;
  /**
   * What the finding is about, where one code covers several things: the catalogue entry of a misconception,
   * the quantity a wrong formula defines, the rubric ideas not found (comma-separated). Not in the JSON.
   */
  readonly rule?: string;
  /** Only graders see it (unless a pack or setting opts students in); JSON carries it marked. */
  readonly audience?: 'grader';
  /** A sentence for graders only, appended to the message in the grader audience (e.g. the notebook's own rule). */
  readonly graderNote?: string;
  /**
   * The finding follows from another one reported at the same place (the code it follows): it is listed after
   * it. When `consequence` is set too, it is that finding's consequence and puts no points at risk of its own.
   */
  readonly follows?: FindingCode;
  readonly consequence?: boolean;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Document order: notebook-level first, then by cell, line, character. */
export function compareFindings(a: Finding, b: Finding): number {
  const ca = a.cell ?? -1;
  const cb = b.cell ?? -1;
  if (ca !== cb) return ca - cb;
  const la = a.range?.start.line ?? -1;
  const lb = b.range?.start.line ?? -1;
  if (la !== lb) return la - lb;
  // On one line, a cause before what follows from it (the TypeError before "with `incices=` corrected …").
  const fa = a.follows ? 1 : 0;
  const fb = b.follows ? 1 : 0;
  if (fa !== fb) return fa - fb;
  const xa = a.range?.start.character ?? -1;
  const xb = b.range?.start.character ?? -1;
  if (xa !== xb) return xa - xb;
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}
