/**
 * Math that will not render where the student reads it. Each formula is judged by both renderers a notebook
 * meets: VS Code's (markdown-it with @vscode/markdown-it-katex, its own delimiter rules and KaTeX) and
 * Jupyter's (MathJax 3 on the `$`, `$$`, `\(`, `\[` and environment delimiters). Failing in both is an error;
 * failing in one is a warning that names where it breaks and why.
 */
import { createHash } from 'node:crypto';
import katex from 'katex';
import type { Finding, FindingCode } from '../findings';
import { extractMath, type ExtractedMath, type MathSegment } from '../math/extract';
import { blankDefinitions, findDefinitions, type MacroDefinition } from '../math/macros';
import { mathjaxError } from '../math/mathjax';
import { vscodeDefinitions, vscodeFailures, type VscodeFailure, type VscodeMacros } from '../math/vscode-render';
import type { Check, CheckContext } from './context';
import { pushTo } from '../collections';

/** What to write instead of commands students expect that one renderer or both lack (\bm, \R: MathJax; \norm: both). */
const HINTS: Record<string, string> = {
  '\\norm': 'write \\lVert g \\rVert, or define \\newcommand{\\norm}[1]{\\left\\lVert #1 \\right\\rVert} in a math cell',
  '\\abs': 'write \\lvert x \\rvert, or define \\newcommand{\\abs}[1]{\\left\\lvert #1 \\right\\rvert}',
  '\\argmax': 'write \\operatorname*{arg\\,max}',
  '\\argmin': 'write \\operatorname*{arg\\,min}',
  '\\R': 'write \\mathbb{R}',
  '\\E': 'write \\mathbb{E}',
  '\\bm': 'write \\boldsymbol{x}',
  '\\DeclareMathOperator': 'KaTeX has no \\DeclareMathOperator: define the operator with \\newcommand{\\argmax}{\\operatorname*{arg\\,max}}, which both renderers read',
};

/** KaTeX's parser (`__parse`: the parse step of `render`, without building HTML or MathML). */
const parseTex: (tex: string, options: katex.KatexOptions) => unknown =
  (katex as unknown as { __parse?: (tex: string, options: katex.KatexOptions) => unknown }).__parse ??
  ((tex, options) => katex.renderToString(tex, { ...options, output: 'mathml' }));

/** A cell's math as Jupyter delimits it, with the macro definitions of each formula (memoised per cell text). */
export function cellMath(ctx: CheckContext, source: string): ExtractedMath & { readonly defs: readonly MacroDefinition[][] } {
  return ctx.memo('math.extract', source, () => {
    const found = extractMath(source);
    return { ...found, defs: found.segments.map((s) => findDefinitions(source.slice(s.texStart, s.texEnd))) };
  });
}

/**
 * What VS Code shows as an error, per cell. As there, a definition KaTeX accepted in one cell is known in
 * the others (in any order: a cell is rendered again when edited); one KaTeX refuses
 * (`\DeclareMathOperator`) is not, and its uses fail too.
 */
function vscodeVerdicts(ctx: CheckContext, located: readonly Located[]): Map<number, { failures: VscodeFailure[]; reported: Set<VscodeFailure> }> {
  const defining = [...new Set(located.filter((l) => l.defs.length).map((l) => l.cell))];
  const definitions = defining.map((c) => ctx.memo('math.vscode-defs', ctx.nb.cells[c]!.source, () => vscodeDefinitions(ctx.nb.cells[c]!.source)));
  // What every defining cell defines, the later cell's definition winning; and, per name, who defines it.
  const all: VscodeMacros = Object.assign({}, ...definitions) as VscodeMacros;
  const definers = new Map<string, number[]>();
  definitions.forEach((d, k) => {
    for (const name of Object.keys(d)) pushTo(definers, name, k);
  });
  // The defining cells' texts, in order, named by a digest: a cell's verdict is keyed by it and its own text
  // (a key holding every defining cell's text, for every cell, grew with the square of the notebook).
  const digest = createHash('sha1');
  for (const c of defining) digest.update(`${ctx.nb.cells[c]!.source.length}:`).update(ctx.nb.cells[c]!.source);
  const context = digest.digest('base64');
  const position = new Map(defining.map((c, k) => [c, k]));
  const verdicts = new Map<number, { failures: VscodeFailure[]; reported: Set<VscodeFailure> }>();
  for (const cell of ctx.nb.cells) {
    if (cell.kind !== 'markdown' || !/\$|\\begin|```\s*math/i.test(cell.source)) continue;
    const k = position.get(cell.index);
    // The other cells' definitions: all of them, except that a name this cell defines last is the one before.
    let others = all;
    if (k !== undefined) {
      others = { ...all };
      for (const name of Object.keys(definitions[k]!)) {
        const by = definers.get(name)!;
        if (by.at(-1) !== k) continue;
        const before = by.length > 1 ? definitions[by.at(-2)!]![name] : undefined;
        if (before === undefined) delete (others as Record<string, unknown>)[name];
        else (others as Record<string, unknown>)[name] = before;
      }
    }
    const macrosKey = `${context}\u0001${k ?? -1}`;
    const failures = ctx.memo('math.vscode', `${macrosKey}\u0000${cell.source}`, () => vscodeFailures(cell.source, others, macrosKey));
    verdicts.set(cell.index, { failures, reported: new Set() });
  }
  return verdicts;
}

interface Located {
  readonly cell: number;
  readonly segment: MathSegment;
  readonly defs: readonly MacroDefinition[];
}

/** The longest formula whose rendering is checked (the corpus's longest is far shorter). */
export const MAX_MATH_CHARS = 5_000;

export const mathCheck: Check = (ctx) => {
  const located: Located[] = [];
  const findings: Finding[] = [];
  for (const cell of ctx.nb.cells) {
    if (cell.kind !== 'markdown') continue;
    const { segments, unclosed, defs } = cellMath(ctx, cell.source);
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
  // The macros enter every formula's key, so they are named by a digest: keys stay as long as their formula.
  const context = createHash('sha1').update(JSON.stringify(Object.entries(macros).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))).digest('base64');

  const vscode = vscodeVerdicts(ctx, located);
  const definedIn = new Map<string, number>();
  for (const l of located) for (const d of l.defs) if (!definedIn.has(d.name)) definedIn.set(d.name, l.cell);

  for (const l of located) {
    const tex = ctx.nb.cells[l.cell]!.source.slice(l.segment.texStart, l.segment.texEnd);
    // What MathJax lays out is the formula with its macros expanded (one level counted: a macro of 1,000
    // parentheses used 30 times cost 3.7 s).
    const expanded = expandedLength(tex, macros);
    if (expanded > MAX_MATH_CHARS) {
      // MathJax's layout of a formula grows faster than its length: past the limit it is not rendered here, and
      // what VS Code's renderer says of it is not reported either, since Jupyter's side is unknown.
      const inCell = vscode.get(l.cell);
      for (const f of failuresOver(inCell?.failures ?? [], l.segment)) inCell!.reported.add(f);
      findings.push({
        code: 'math.too-long',
        severity: 'info',
        question: ctx.questionAt(l.cell, l.segment.start),
        cell: l.cell,
        range: ctx.range(l.cell, l.segment.start, Math.min(l.segment.end, l.segment.start + 2)),
        message: `This formula is ${expanded.toLocaleString('en-US')} characters long${expanded > tex.length ? ' with its macros expanded' : ''}; nbcheck checks formulas of up to ${MAX_MATH_CHARS.toLocaleString('en-US')} characters, so whether it renders was not checked.`,
      });
      continue;
    }
    // A macro body is checked where the macro is used: alone it may be incomplete (`\middle|`, `&`).
    const blanked = blankDefinitions(tex, l.defs);
    const key = `${l.segment.display ? 'D' : 'I'}${context}\u0000${blanked}`;
    const jupyter = ctx.memo('math.mathjax', key, () => mathjaxError(blanked, l.segment.display, macros));
    const inCell = vscode.get(l.cell);
    const failure = failuresOver(inCell?.failures ?? [], l.segment)[0];
    if (jupyter && failure) {
      inCell!.reported.add(failure);
      const problems = ctx.memo('math.parse', key, () => parseProblems(blanked, l.segment.display, macros));
      findings.push(problems.length ? toFinding(ctx, l, problems[0]!) : bothFail(ctx, l, failure));
    } else if (jupyter) {
      findings.push(jupyterOnlyFails(ctx, l, jupyter));
    } else if (failure && !inCell!.reported.has(failure)) {
      inCell!.reported.add(failure);
      findings.push(vscodeOnlyFails(ctx, l.cell, failure, definedIn, true));
    }
  }
  // What VS Code takes for math where Jupyter sees none, and cannot render.
  for (const [cell, { failures, reported }] of vscode) {
    for (const f of failures) if (!reported.has(f)) findings.push(vscodeOnlyFails(ctx, cell, f, definedIn, false));
  }
  return findings;
};

/** The formula's length with each use of a defined macro counted as its body (one level). */
function expandedLength(tex: string, macros: Readonly<Record<string, string>>): number {
  let n = tex.length;
  for (const m of tex.matchAll(/\\[A-Za-z]+/g)) {
    const body = macros[m[0]];
    if (body !== undefined && Object.hasOwn(macros, m[0])) n += body.length;
  }
  return n;
}

/**
 * The failures (in the order of the cell's text, none overlapping another) that overlap the segment, found by
 * binary search: a cell of many formulas, many of them failing, stays n log n.
 */
function failuresOver(failures: readonly VscodeFailure[], segment: MathSegment): VscodeFailure[] {
  let lo = 0;
  let hi = failures.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failures[mid]!.end > segment.start) hi = mid;
    else lo = mid + 1;
  }
  const over: VscodeFailure[] = [];
  for (let k = lo; k < failures.length && failures[k]!.start < segment.end; k++) if (failures[k]!.end > segment.start) over.push(failures[k]!);
  return over;
}

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

/** A finding on a formula as Jupyter delimits it: on `[start, end)` of its cell, or on the whole formula. */
function onFormula(ctx: CheckContext, l: Located, code: FindingCode, message: string, start = l.segment.start, end = l.segment.end): Finding {
  return { code, severity: code === 'math.parse-error' ? 'error' : 'warning', question: ctx.questionAt(l.cell, l.segment.start), cell: l.cell, range: ctx.range(l.cell, start, end), message };
}

const BOTH = 'This math will not render, in Jupyter nor in VS Code';

function toFinding(ctx: CheckContext, l: Located, p: Problem): Finding {
  const source = ctx.nb.cells[l.cell]!.source;
  const start = Math.min(l.segment.texStart + p.start, l.segment.texEnd);
  const end = Math.max(start + 1, Math.min(l.segment.texStart + p.end, source.length));
  return onFormula(ctx, l, 'math.parse-error', `${BOTH}: ${p.message.replace(/\.$/, '')}${hintFor(p.command)}.`, start, end);
}

/** Both renderers fail, and only VS Code's KaTeX says why: the whole formula. */
function bothFail(ctx: CheckContext, l: Located, f: VscodeFailure): Finding {
  return onFormula(ctx, l, 'math.parse-error', `${BOTH}: ${f.message.replace(/\.$/, '')}${hintFor(undefinedCommand(f.message))}.`);
}

function jupyterOnlyFails(ctx: CheckContext, l: Located, error: string): Finding {
  return onFormula(ctx, l, 'math.renders-vscode-only', `Renders in VS Code, shows as an error in Jupyter: MathJax says "${error.replace(/\.$/, '')}"${hintFor(undefinedCommand(error))}.`);
}

function vscodeOnlyFails(ctx: CheckContext, cell: number, f: VscodeFailure, definedIn: ReadonlyMap<string, number>, jupyterRenders: boolean): Finding {
  const where = jupyterRenders ? 'Renders in Jupyter, shows as an error in VS Code' : 'Shows as an error in VS Code';
  let why: string;
  if (f.cause === 'text-after-closing') {
    const startLine = ctx.range(cell, f.start, f.start).start.line;
    const following = f.after ? `the text after the closing $$ ("${f.after}")` : 'the space after the closing $$';
    const lines = ctx.nb.cells[cell]!.source.split('\n');
    const closed = f.endLine !== undefined && /\$\$/.test(lines[f.endLine] ?? '') && f.endLine > startLine;
    const runsOn = f.endLine === undefined || f.endLine <= startLine ? '' : closed ? ` and runs on to line ${f.endLine + 1} of the cell, taking the text between with it` : ' and runs on to the end of the cell';
    const fix = f.after ? `move "${f.after}" to a line of its own, or drop it` : 'delete the space after it';
    why =
      `: there a line that starts with $$ opens a display formula that only a line ending in $$ closes, ` +
      `so ${following} keeps it open, that $$ is read as TeX${runsOn} (KaTeX: ${f.message.replace(/\.$/, '')}). ` +
      `Put the closing $$ last on its line: ${fix}.`;
  } else {
    const command = undefinedCommand(f.message);
    const at = command === undefined ? undefined : definedIn.get(command);
    // A definition the notebook makes that KaTeX never reached: it stopped at an error earlier in that formula.
    const lost = at === undefined ? '' : ` (${command} is defined in cell ${at}, but KaTeX stops reading that formula at the error before it there: fix that one)`;
    why = `: KaTeX, which VS Code uses, says "${f.message.replace(/\.$/, '')}"${lost || hintFor(command)}${katexHint(f.message)}.`;
  }
  return {
    code: 'math.renders-jupyter-only',
    severity: 'warning',
    question: ctx.questionAt(cell, f.start),
    cell,
    range: ctx.range(cell, f.start, f.end),
    message: `${where}${why}`,
  };
}

/** KaTeX messages that do not say what to change. */
const KATEX_HINTS: readonly [RegExp, string][] = [
  [/^Got group of unknown type: 'internal'/, 'KaTeX cannot put a subscript or superscript on a space such as \\, (`\\alpha\\,_{t-1}`): write it right after its symbol, `\\alpha_{t-1}\\,`'],
];

function katexHint(message: string): string {
  const hint = KATEX_HINTS.find(([re]) => re.test(message))?.[1];
  return hint ? ` (${hint})` : '';
}

function undefinedCommand(message: string): string | undefined {
  return /Undefined control sequence:? (\\[A-Za-z]+)/.exec(message)?.[1];
}

function hintFor(command: string | undefined): string {
  return command && HINTS[command] ? ` (${HINTS[command]})` : '';
}
