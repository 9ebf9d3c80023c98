/** Code cells saved with an error output: the last run failed, and a grader sees the traceback. */
import type { ErrorOutput } from '../notebook/types';
import type { Check, CheckContext } from './context';

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export const savedErrorCheck: Check = (ctx) =>
  ctx.nb.cells.flatMap((cell) =>
    cell.outputs
      .filter((o): o is ErrorOutput => o.kind === 'error')
      .map((o) => {
        const idx = ctx.lines(cell.index);
        const line = failingLine(o, idx.lineCount);
        const shown = errorText(o);
        const question = ctx.questionAt(cell.index, 0);
        const at = line !== undefined ? ` (raised at line ${line + 1})` : '';
        // A name the question provides (the exercise's `model`, `x`, `y`) undefined: the notebook never had the
        // grader's inputs, so running the cell had to fail; that is no mistake of the answer.
        const provided = providedName(ctx, question, o);
        return {
          code: 'outputs.saved-error' as const,
          severity: provided ? ('info' as const) : ('warning' as const),
          question,
          cell: cell.index,
          range: idx.lineRange(line ?? 0),
          message: provided
            ? `The saved output of this cell is an error, ${shown}${at}: \`${provided}\` is one of the inputs the question provides, which the notebook does not define, so running the cell alone fails whatever the answer. It is not counted against the answer; clear the output if you like.`
            : `The saved output of this cell is an error, ${shown}${at}: the cell failed when it was last run. Fix it and run it again, or clear the output.`,
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

/** The undefined name of a NameError, when it is an input the question's exercise provides. */
function providedName(ctx: CheckContext, question: string | undefined, o: ErrorOutput): string | undefined {
  if (o.ename !== 'NameError' || !question) return undefined;
  const name = /name '(\w+)' is not defined/.exec(errorText(o))?.[1];
  const ex = ctx.match?.pack.exercises?.find((e) => e.item === question);
  return name && ex?.inputs.includes(name) ? name : undefined;
}
