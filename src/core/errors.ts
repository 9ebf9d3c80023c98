/**
 * An input nbcheck cannot read (missing file, invalid JSON, not a notebook, unsupported nbformat).
 * `toString()` is the one line the CLI prints: the file, where, and what is wrong.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    /** 1-based position in the file, when the problem has one. */
    readonly where?: { line: number; column: number },
  ) {
    super(problem);
    this.name = 'InputError';
  }

  override toString(): string {
    const at = this.where ? `:${this.where.line}:${this.where.column}` : '';
    return `${this.file}${at}: ${this.problem}`;
  }
}
