/** Every piece of math in markdown cells is parsed with KaTeX; what does not parse will not render. */
import katex from 'katex';
import type { Finding } from '../findings';
import { extractMath, type MathSegment } from '../math/extract';
import { blankDefinitions, findDefinitions, type MacroDefinition } from '../math/macros';
import type { Check, CheckContext } from './context';

/** Suggestions for commands students expect but neither KaTeX nor Jupyter's MathJax defines. */
const HINTS: Record<string, string> = {
  '\\norm': 'write \\lVert g \\rVert, or define \\newcommand{\\norm}[1]{\\left\\lVert #1 \\right\\rVert} in a math cell',
  '\\abs': 'write \\lvert x \\rvert, or define \\newcommand{\\abs}[1]{\\left\\lvert #1 \\right\\rvert}',
  '\\argmax': 'write \\operatorname*{arg\\,max}',
  '\\argmin': 'write \\operatorname*{arg\\,min}',
  '\\R': 'write \\mathbb{R}',
  '\\E': 'write \\mathbb{E}',
  '\\bm': 'write \\boldsymbol{x}',
};

/** KaTeX's parser (`__parse`: the parse step of `render`, without building HTML or MathML). */
const parseTex: (tex: string, options: katex.KatexOptions) => unknown =
  (katex as unknown as { __parse?: (tex: string, options: katex.KatexOptions) => unknown }).__parse ??
  ((tex, options) => katex.renderToString(tex, { ...options, output: 'mathml' }));

interface Located {
  readonly cell: number;
  readonly segment: MathSegment;
  readonly defs: readonly MacroDefinition[];
}

export const mathCheck: Check = (ctx) => {
  const located: Located[] = [];
  const findings: Finding[] = [];
  for (const cell of ctx.nb.cells) {
    if (cell.kind !== 'markdown') continue;
    const { segments, unclosed, defs } = ctx.memo('math.extract', cell.source, () => {
      const found = extractMath(cell.source);
      return { ...found, defs: found.segments.map((s) => findDefinitions(cell.source.slice(s.texStart, s.texEnd))) };
    });
    segments.forEach((segment, k) => located.push({ cell: cell.index, segment, defs: defs[k]! }));
    for (const u of unclosed) {
      findings.push({
        code: 'math.unclosed',
        severity: 'warning',
        question: ctx.questionAt(cell.index, u.offset),
        cell: cell.index,
        range: ctx.range(cell.index, u.offset, u.offset + u.delimiter.length),
        message: `${u.delimiter} opens math that is never closed with ${u.closer}: the formula will show as raw text.`,
      });
    }
  }
  // As where notebooks are rendered, definitions anywhere apply everywhere (typically a hidden first cell).
  const macros: Record<string, string> = {};
  for (const l of located) for (const d of l.defs) macros[d.name] = d.expansion;
  // KaTeX's verdict on a piece of math depends on its text, its mode and the notebook's macros.
  const context = JSON.stringify(Object.entries(macros).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  for (const l of located) {
    const tex = ctx.nb.cells[l.cell]!.source.slice(l.segment.texStart, l.segment.texEnd);
    // A macro body is checked where the macro is used: alone it may be incomplete (`\middle|`, `&`).
    const blanked = blankDefinitions(tex, l.defs);
    const problems = ctx.memo('math.parse', `${l.segment.display ? 'D' : 'I'}${context}\u0000${blanked}`, () => parseProblems(blanked, l.segment.display, macros));
    for (const p of problems) {
      findings.push(toFinding(ctx, l, p));
    }
  }
  return findings;
};

interface Problem {
  readonly message: string;
  /** Offsets within the segment's TeX. */
  readonly start: number;
  readonly end: number;
  readonly command?: string;
}

function parseProblems(tex: string, display: boolean, macros: Record<string, string>): Problem[] {
  try {
    // Parsing is what fails on bad input; building the output is skipped (it is the slow half).
    parseTex(tex, {
      displayMode: display,
      throwOnError: true,
      strict: 'ignore',
      macros: { ...macros },
      maxExpand: 1000,
      trust: false,
    });
    return [];
  } catch (e) {
    if (!(e instanceof katex.ParseError)) throw e;
    const err = e as katex.ParseError & { rawMessage?: string; position?: number; length?: number };
    const raw = err.rawMessage ?? err.message;
    const command = /^Undefined control sequence: (\\\S+)/.exec(raw)?.[1];
    if (typeof err.position === 'number') {
      return [{ message: raw, start: err.position, end: err.position + Math.max(err.length ?? 1, 1), command }];
    }
    return [{ message: raw, start: 0, end: 1, command }];
  }
}

function toFinding(ctx: CheckContext, l: Located, p: Problem): Finding {
  const source = ctx.nb.cells[l.cell]!.source;
  const start = Math.min(l.segment.texStart + p.start, l.segment.texEnd);
  const end = Math.max(start + 1, Math.min(l.segment.texStart + p.end, source.length));
  const hint = p.command && HINTS[p.command] ? ` (${HINTS[p.command]})` : '';
  return {
    code: 'math.parse-error',
    severity: 'error',
    question: ctx.questionAt(l.cell, l.segment.start),
    cell: l.cell,
    range: ctx.range(l.cell, start, end),
    message: `This math will not render: ${p.message.replace(/\.$/, '')}${hint}.`,
  };
}
