/**
 * Messages between the extension host and the exam panel: one discriminated union per direction, each
 * checked where it is received (the webview checks the host's, the host checks the webview's).
 */

export type Severity = 'error' | 'warning' | 'info';

export type Verdict = 'checked' | 'flagged' | 'not-judged';

/** An answer part's verdict: what was checked, flagged and not judged, aspect by aspect. */
export interface PanelPart {
  readonly id: string;
  readonly status: 'answered' | 'missing' | 'declined';
  /** Null for a part nobody answered that the key does not count. */
  readonly verdict: Verdict | null;
  /** The verdict in words ("checked in part" when some of it was not judged). */
  readonly label: string;
  /** "0.5–2 of 2.5 pts" (the estimate for the part), or "2.5 pts, not counted". */
  readonly points: string;
  readonly aspects: readonly { readonly what: string; readonly state: Verdict; readonly summary: string; readonly detail: readonly string[] }[];
}

export interface PanelQuestion {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  readonly status: 'answered' | 'partial' | 'missing' | 'declined';
  readonly parts: readonly PanelPart[];
  /** The cell a click shows: the first answer cell, else the prompt's (where to write the answer). */
  readonly cell: number | null;
  /** Findings about the question (and its parts), by severity. */
  readonly counts: Readonly<Record<Severity, number>>;
  /** The points the estimate gives the question ("4.5–11"), when it is counted. */
  readonly earned: string | null;
}

export interface PanelFinding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly question: string | null;
  readonly cell: number | null;
  readonly line: number;
  readonly character: number;
  /** Points it puts at risk in the grade estimate ("0.25–1.75"), or null when none. */
  readonly atRisk: string | null;
}

/** An answer's text, cut into plain text and math (the panel renders the math with KaTeX). */
export type AnswerPiece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'math'; readonly tex: string; readonly display: boolean };

export interface PanelAnswer {
  readonly question: string;
  readonly cells: readonly { readonly cell: number; readonly kind: 'markdown' | 'code'; readonly pieces: readonly AnswerPiece[] }[];
}

/** A computational graph with its annotations (drawn in the webview with the same code as the CLI's SVG). */
export interface PanelGraph {
  readonly nodes: readonly { readonly id: string; readonly label: string; readonly kind: 'input' | 'const' | 'op' | 'output'; readonly notes: Readonly<Record<string, string>>; readonly title?: string }[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  readonly annotations: readonly string[];
}

export interface PanelGraphView {
  readonly title: string;
  readonly note: string;
  readonly graph?: PanelGraph;
  readonly shown: readonly string[];
  readonly tables: readonly { readonly title: string; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] }[];
}

export type HostToPanel =
  | {
      readonly type: 'exam';
      readonly path: string;
      readonly title: string | null;
      readonly summary: string | null;
      readonly device: string | null;
      /** Where exercise code runs and why, what the GPU route has and lacks (`nbcheck doctor`'s findings). */
      readonly gpu: { readonly summary: string; readonly details: readonly string[] } | null;
      /** "Estimate 22–38 of 50 — ..." (an estimate from what was checked and found, not a grade). */
      readonly estimate: string | null;
      /** What the estimate rests on ("checked: 1.3.1 · flagged: 1.2 · not judged: 4, 5 (written answers)"). */
      readonly basis: string | null;
      /** "Student view" or "Grader view": who the findings shown are for. */
      readonly audience: string;
      readonly questions: readonly PanelQuestion[];
      readonly findings: readonly PanelFinding[];
      /** TeX macros the notebook defines, for KaTeX. */
      readonly macros: Readonly<Record<string, string>>;
    }
  | { readonly type: 'answer'; readonly answer: PanelAnswer }
  /** A graph to show (for `question`, or for a cell when null), or why there is none. */
  | { readonly type: 'graph'; readonly question: string | null; readonly view: PanelGraphView }
  | { readonly type: 'graphError'; readonly message: string }
  | { readonly type: 'clear' };

export type PanelToHost =
  | { readonly type: 'ready' }
  /** A question chosen (`reveal`: by the user, so its cell is shown) or its answer re-asked after an update. */
  | { readonly type: 'select'; readonly question: string; readonly reveal: boolean }
  | { readonly type: 'reveal'; readonly cell: number; readonly line: number; readonly character: number }
  /** Save the graph shown, with these annotations, as SVG. */
  | { readonly type: 'exportSvg'; readonly shown: readonly string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNat = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

export function isPanelToHost(v: unknown): v is PanelToHost {
  if (!isObject(v)) return false;
  switch (v['type']) {
    case 'ready':
      return true;
    case 'select':
      return typeof v['question'] === 'string' && (v['question'] as string).length < 32 && typeof v['reveal'] === 'boolean';
    case 'reveal':
      return isNat(v['cell']) && isNat(v['line']) && isNat(v['character']);
    case 'exportSvg':
      return Array.isArray(v['shown']) && (v['shown'] as unknown[]).length <= 16 && (v['shown'] as unknown[]).every((a) => typeof a === 'string' && a.length < 40);
    default:
      return false;
  }
}

export function isHostToPanel(v: unknown): v is HostToPanel {
  if (!isObject(v)) return false;
  switch (v['type']) {
    case 'exam':
      return typeof v['path'] === 'string' && Array.isArray(v['questions']) && Array.isArray(v['findings']) && isObject(v['macros']);
    case 'answer':
      return isObject(v['answer']) && typeof (v['answer'] as Record<string, unknown>)['question'] === 'string' && Array.isArray((v['answer'] as Record<string, unknown>)['cells']);
    case 'graph': {
      const view = v['view'];
      return (v['question'] === null || typeof v['question'] === 'string') && isObject(view) && typeof view['title'] === 'string' && Array.isArray(view['tables']) && Array.isArray(view['shown']) && (view['graph'] === undefined || isGraph(view['graph']));
    }
    case 'graphError':
      return typeof v['message'] === 'string';
    case 'clear':
      return true;
    default:
      return false;
  }
}

function isGraph(g: unknown): g is PanelGraph {
  return isObject(g) && Array.isArray(g['nodes']) && Array.isArray(g['edges']) && Array.isArray(g['annotations']) && (g['nodes'] as unknown[]).every((n) => isObject(n) && typeof n['id'] === 'string' && typeof n['label'] === 'string' && isObject(n['notes']));
}
