import type { StringSpan } from './json';

export type CellKind = 'markdown' | 'code' | 'raw';

export interface ErrorOutput {
  readonly kind: 'error';
  readonly ename: string;
  readonly evalue: string;
  readonly traceback: readonly string[];
}

export interface OtherOutput {
  readonly kind: 'stream' | 'display_data' | 'execute_result' | 'other';
}

export type Output = ErrorOutput | OtherOutput;

export interface Cell {
  /** Index in the notebook's `cells` array. */
  readonly index: number;
  readonly kind: CellKind;
  /** The cell's source joined into one string, exactly as the notebook stores it. */
  readonly source: string;
  readonly outputs: readonly Output[];
  /** Names of the cell's attachments (`attachment:NAME` references resolve to these). */
  readonly attachments: readonly string[];
  /** Where each piece of the source sits in the file (one per element of a list `source`). */
  readonly sourceSpans: readonly StringSpan[];
}

export interface Notebook {
  /** The path the notebook was read from, as the user gave it. */
  readonly path: string;
  readonly nbformat: number;
  readonly nbformatMinor: number;
  readonly cells: readonly Cell[];
  /** The file's text, for mapping cell positions back into the file. */
  readonly text: string;
}
