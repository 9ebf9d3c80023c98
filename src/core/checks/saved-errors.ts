/** Code cells saved with an error output: the last run failed, and a grader sees the traceback. */
import type { ErrorOutput } from '../notebook/types';
import type { Check } from './context';

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export const savedErrorCheck: Check = (ctx) =>
  ctx.nb.cells.flatMap((cell) =>
    cell.outputs
      .filter((o): o is ErrorOutput => o.kind === 'error')
      .map((o) => {
        const idx = ctx.lines(cell.index);
        const line = failingLine(o, idx.lineCount);
        const shown = errorText(o);
        return {
          code: 'outputs.saved-error' as const,
          severity: 'warning' as const,
          question: ctx.questionAt(cell.index, 0),
          cell: cell.index,
          range: idx.lineRange(line ?? 0),
          message:
            `The saved output of this cell is an error, ${shown}` +
            `${line !== undefined ? ` (raised at line ${line + 1})` : ''}: the cell failed when it was last run. ` +
            `Fix it and run it again, or clear the output.`,
        };
      }),
  );

/** "NameError: name 'model' is not defined", from the traceback when `evalue` is hidden (Colab: "ignored"). */
function errorText(o: ErrorOutput): string {
  const last = (o.traceback[o.traceback.length - 1] ?? '').replace(ANSI, '').trim();
  if (last.startsWith(`${o.ename}:`) && (o.evalue === '' || o.evalue === 'ignored')) return last;
  return o.evalue ? `${o.ename}: ${o.evalue}` : o.ename;
}

/** The 0-based cell line of the first frame's `---->` arrow, when it fits the cell. */
function failingLine(o: ErrorOutput, lineCount: number): number | undefined {
  for (const entry of o.traceback) {
    const m = /^-*>\s*(\d+)/m.exec(entry.replace(ANSI, ''));
    if (m) {
      const n = Number(m[1]) - 1;
      return n >= 0 && n < lineCount ? n : undefined;
    }
  }
  return undefined;
}
