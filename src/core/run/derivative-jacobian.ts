/**
 * A final Jacobian written as a matrix (Question 3): `J = \begin{bmatrix} ∂f_1/∂x & ∂f_1/∂y \\ ∂f_2/∂x & ∂f_2/∂y
 * \end{bmatrix} = \begin{bmatrix} a & b \\ c & d \end{bmatrix}`, in any matrix environment, with or without the
 * matrix of partials, named `J`, `J_f(x, y)`, `\frac{\partial(f_1, f_2)}{\partial(x, y)}`, `Df`, or after the word
 * "Jacobian". Each entry is the derivative claim it stands for; derivatives.ts judges it as it judges
 * `\frac{\partial f_2}{\partial x} = c`. Rows are the outputs and columns the inputs unless the answer says
 * otherwise: a matrix of partials says which entry is which, `∂(f_2, f_1)/∂(x, y)` orders them, `J^T` or words
 * ("transposed", "rows are the inputs") transpose it, and labels written in the matrix (`& x & y \\ f_1 & a & b`)
 * name its rows and columns.
 */

/** A piece of the equation's text, with its offsets in the equation. */
export interface Piece {
  readonly tex: string;
  readonly start: number;
  readonly end: number;
}

/** One entry of the Jacobian: which derivative it is, where it is written, and what each matrix states for it. */
export interface JacobianEntry {
  readonly output: number;
  readonly variable: string;
  /** Where it is in the matrix as written, for messages ("row 2, column 1 of the Jacobian"). */
  readonly where: string;
  /** The entry in each matrix that states values, in order. */
  readonly sides: readonly Piece[];
}

/** What the equation says, when it is a Jacobian: its entries, or why nbcheck does not read it. */
export type JacobianRead = { readonly entries: readonly JacobianEntry[] } | { readonly why: string } | undefined;

export interface JacobianShape {
  /** The number of outputs (f_1, f_2). */
  readonly outputs: number;
  readonly variables: readonly string[];
}

/** Which derivative an entry of a matrix of partials is (`\frac{\partial f_1}{\partial x}`), if it is one. */
export type DerivativeOf = (tex: string) => { readonly output: number; readonly variable: string } | undefined;

/** A matrix environment, or an `array` (its column spec, `{cc}` or `{c|cc}`, before its body). */
const MATRIX = /\\begin\{([pbBvV]?matrix|smallmatrix|array)\}(?:\{[clr|\s]*\})?([\s\S]*?)\\end\{\1\}/;
const TRANSPOSE = /\^\s*(?:\{\s*(?:T|\\top|\\intercal|\\mathsf\{T\}|\\mathrm\{T\})\s*\}|T\b|\\top\b|\\intercal\b)/;
/** `J`, `\mathbf{J}`, `J_f`, `J_{f}(x, y)`, `\mathcal J_f(1, 2)`, `Df`, `D\mathbf{f}(x,y)`. */
const JACOBIAN_NAME = /^(?:\\(?:mathbf|mathcal|boldsymbol|mathrm|bm)\s*\{?\s*J\s*\}?|J|D\s*(?:\\mathbf\s*\{\s*f\s*\}|\\vec\s*\{?\s*f\s*\}?|f))\s*(?:_\s*(?:\{[^{}]*\}|\w))?\s*(?:\^\s*(?:\{[^{}]*\}|\S))?\s*(?:(?:\\left)?\s*\([^()]*(?:\\right)?\))?\s*(?:\^\s*(?:\{[^{}]*\}|\S))?\s*$/;
/** `\frac{\partial(f_1, f_2)}{\partial(x, y)}`, `\partial (f_1,f_2) / \partial (x,y)`, `\frac{\partial f}{\partial (x, y)}`. */
const JACOBIAN_FRACTION = /^\\[dt]?frac\s*\{\s*\\partial\s*([^{}]*|\\mathbf\s*\{\s*f\s*\})\s*\}\s*\{\s*\\partial\s*([^{}]*|\\mathbf\s*\{\s*x\s*\})\s*\}|^\\partial\s*(\([^()]*\)|f)\s*\/\s*\\partial\s*(\([^()]*\))/;

/** Splits at `=`, `\approx`, `:=` outside braces, parentheses and environments: the sides with their offsets. */
function sidesOf(tex: string): Piece[] {
  const out: Piece[] = [];
  let depth = 0;
  let from = 0;
  const push = (to: number, next: number): void => {
    const raw = tex.slice(from, to);
    // Alignment marks, a leading arrow and the colon of `:=` belong to no side.
    const lead = /^(?:\s|&|\\(?:Rightarrow|implies|therefore|to)\b)*/.exec(raw)?.[0].length ?? 0;
    const text = raw.slice(lead).replace(/(?:\s|&|:)+$/, '');
    out.push({ tex: text, start: from + lead, end: from + lead + text.length });
    from = next;
  };
  for (let i = 0; i < tex.length; i++) {
    const rest = tex.slice(i, i + 8);
    if (rest.startsWith('\\begin{')) depth++;
    else if (rest.startsWith('\\end{')) depth--;
    else if (tex[i] === '\\' && (tex[i + 1] === '{' || tex[i + 1] === '}')) i++;
    else if ('{(['.includes(tex[i] as string)) depth++;
    else if ('})]'.includes(tex[i] as string)) depth--;
    else if (depth === 0 && tex[i] === '=') push(i, i + 1);
    else if (depth === 0 && /^\\(?:approx|simeq)(?![A-Za-z])/.test(rest)) {
      const len = rest.startsWith('\\approx') ? 7 : 6;
      push(i, i + len);
      i += len - 1;
    }
  }
  push(tex.length, tex.length);
  return out.filter((p) => p.tex.length > 0);
}

/** A side that is one matrix (in `\left[ … \right]`, transposed or not): its grid of cells and whether it is transposed. */
function matrixOf(side: Piece): { cells: Piece[][]; transposed: boolean } | undefined {
  const t = side.tex;
  const m = MATRIX.exec(t);
  if (!m) return undefined;
  const before = t.slice(0, m.index).replace(/\\left\s*[([.]|\s/g, '');
  const after = t.slice(m.index + m[0].length).replace(/\\right\s*[)\].]/g, '').trim();
  if (before || (after && !new RegExp(`^${TRANSPOSE.source}$`).test(after))) return undefined;
  const body = m[2] as string;
  const bodyStart = side.start + m.index + m[0].length - body.length - `\\end{${m[1]}}`.length;
  const rows: Piece[][] = [];
  let at = 0;
  for (const row of body.split(/\\\\(?:\s*\[[^\]]*\])?/)) {
    const rowStart = body.indexOf(row, at);
    at = rowStart + row.length;
    const cells: Piece[] = [];
    let cellAt = 0;
    for (const cell of row.split('&')) {
      const s = row.indexOf(cell, cellAt);
      cellAt = s + cell.length + 1;
      const raw = cell.replace(/\\hline/g, (h) => ' '.repeat(h.length));
      const lead = raw.length - raw.trimStart().length;
      const tex = raw.trim();
      cells.push({ tex, start: bodyStart + rowStart + s + lead, end: bodyStart + rowStart + s + lead + tex.length });
    }
    if (cells.some((c) => c.tex)) rows.push(cells);
  }
  return { cells: rows, transposed: Boolean(after) };
}

/** A label of a row or column: an output (`f_1`, `\nabla f_2`) or an input (`x`, `\partial y`, `∂/∂x`), else undefined. */
function labelOf(tex: string, shape: JacobianShape): { kind: 'output' | 'variable'; index: number } | undefined {
  const t = tex
    .replace(/\\(?:text|mathrm|mathbf|mathit)\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\[dt]?frac\s*\{\s*\\partial\s*\}\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\partial|∂|\\nabla|∇|\bd\s*\/\s*d|[/{}\s$]|\\[,;!:]/g, '');
  const out = /^f_?([1-9])$/.exec(t);
  if (out && Number(out[1]) <= shape.outputs) return { kind: 'output', index: Number(out[1]) - 1 };
  const v = shape.variables.indexOf(t);
  return v >= 0 ? { kind: 'variable', index: v } : undefined;
}

/** The labels of a line of cells, when every one is a label of the same kind and they are distinct. */
function labelsOf(cells: readonly Piece[], shape: JacobianShape): { kind: 'output' | 'variable'; order: number[] } | undefined {
  const ls = cells.map((c) => labelOf(c.tex, shape));
  const first = ls[0];
  if (!first || ls.some((l) => !l || l.kind !== first.kind)) return undefined;
  const order = ls.map((l) => (l as { index: number }).index);
  return new Set(order).size === order.length ? { kind: first.kind, order } : undefined;
}

/** What the answer's words say of the layout: rows the outputs (standard) or the inputs (transposed), both, or nothing. */
export function layoutWords(words: string): 'standard' | 'transposed' | 'both' | undefined {
  const said = new Set<'standard' | 'transposed'>();
  if (/\b(?:not|n't|without|no)\s+(?:\w+\s+)?transpos/i.test(words)) said.add('standard');
  else if (/\btranspos(?:ed|e)\b/i.test(words)) said.add('transposed');
  const subjects = [...words.matchAll(/\b(rows?|columns?|cols?)\b/gi)];
  subjects.forEach((m, k) => {
    const end = Math.min(subjects[k + 1]?.index ?? words.length, ...['.', ';', '\n'].map((c) => { const i = words.indexOf(c, (m.index ?? 0) + 1); return i < 0 ? words.length : i; }));
    const clause = words.slice((m.index ?? 0) + m[0].length, end);
    const outputs = /\boutputs?\b|\bfunctions?\b|\bf\s*_?\s*\{?\s*(?:[12i])\b|\\nabla|∇|gradient/i.test(clause);
    const inputs = /\binputs?\b|\bvariables?\b|\bx\s*(?:,|and)\s*\$?\s*y\b|\bw\.?r\.?t\.?\s*\$?\s*(?:x|y)\b|\bwith respect to\b/i.test(clause);
    if (outputs === inputs) return;
    const rows = /^rows?$/i.test(m[1] as string);
    said.add(rows === outputs ? 'standard' : 'transposed');
  });
  return said.size > 1 ? 'both' : [...said][0];
}

/** The order of the outputs and inputs `∂(f_1, f_2)/∂(x, y)` names, when it names them. */
function fractionOrder(lhs: string, shape: JacobianShape): { outputs?: number[]; variables?: number[] } | undefined {
  const m = JACOBIAN_FRACTION.exec(lhs);
  if (!m) return undefined;
  const list = (s: string | undefined, kind: 'output' | 'variable'): number[] | undefined => {
    const items = (s ?? '').replace(/^\s*\(|\)\s*$/g, '').split(',').map((x) => labelOf(x, shape));
    if (items.length < 2 || items.some((l) => !l || l.kind !== kind)) return undefined;
    return items.map((l) => (l as { index: number }).index);
  };
  const outputs = list(m[1] ?? m[3], 'output');
  const variables = list(m[2] ?? m[4], 'variable');
  return { ...(outputs ? { outputs } : {}), ...(variables ? { variables } : {}) };
}

const swap = <T>(grid: readonly (readonly T[])[]): T[][] => (grid[0] ?? []).map((_, c) => grid.map((row) => row[c] as T));

type Cell = { readonly output: number; readonly variable: number };

/**
 * Reads an equation as a Jacobian: undefined when it is none (no matrix of at least two rows and two columns
 * named or shown as one), `why` when it is one nbcheck cannot read entry by entry.
 */
export function readJacobian(written: string, words: string, shape: JacobianShape, derivative: DerivativeOf): JacobianRead {
  if (!MATRIX.test(written)) return undefined;
  // Environments around it (`aligned`) and evaluation bars (`\Big|_{(1, 2)}`) say nothing of the entries: blanked, so offsets hold.
  const blank = (m: string): string => ' '.repeat(m.length);
  const tex = written
    .replace(/\\(?:begin|end)\{(?![pbBvV]?matrix\}|smallmatrix\}|array\})[A-Za-z]+\*?\}/g, blank)
    .replace(/(?:\\[Bb]igg?[lr]?|\\right\.?|\\left\.?)?\s*\|\s*_\s*\{(?:[^{}]|\{[^{}]*\})*\}/g, blank);
  const sides = sidesOf(tex);
  const matrices = sides.map(matrixOf);
  const big = matrices.some((m) => m && m.cells.length > 1 && (m.cells[0]?.length ?? 0) > 1);
  if (!big || sides.length < 2) return undefined;
  const lhs = matrices[0] ? undefined : (sides[0] as Piece).tex;
  const isName = (t: string): boolean => JACOBIAN_NAME.test(t) || JACOBIAN_FRACTION.test(t);
  const symbolic = matrices.findIndex((m) => m !== undefined && m.cells.flat().every((c) => derivative(c.tex)));
  const named = lhs !== undefined && isName(lhs);
  // `M = [...]` after the word "Jacobian" is the Jacobian too; any other name with no matrix of partials is not.
  if (lhs !== undefined && !named && symbolic < 0 && !(/\bjacobian\b/i.test(words) && /^[A-Za-z](?:_\{?\w+\}?)?$/.test(lhs))) return undefined;
  const other = sides.find((s, i) => !matrices[i] && i > 0 && !isName(s.tex));
  if (other) return { why: `the Jacobian is written with ${other.tex} beside its matrices, which nbcheck does not read` };
  const inside = matrices.flatMap((m) => m?.cells.flat() ?? []).find((c) => /=/.test(c.tex));
  if (inside) return { why: `the Jacobian has an equation inside an entry (${inside.tex}), which nbcheck does not read` };
  const n = shape.outputs;
  const vars = shape.variables.length;
  const outputNames = [...Array(n).keys()].map((i) => `f_${i + 1}`).join(', ');
  const wordsSay = layoutWords(words);
  if (wordsSay === 'both') return { why: 'the answer\'s words give two layouts for the Jacobian (rows the outputs, and rows the inputs), so nbcheck cannot tell which entry is which' };
  const lhsT = lhs !== undefined && TRANSPOSE.test(lhs);
  const order = lhs !== undefined ? fractionOrder(lhs, shape) : undefined;
  /** The grid of a rows × cols matrix laid out standard or transposed, rows and columns in the given orders. */
  const gridOf = (rows: number, cols: number, transposed: boolean, rowOrder?: readonly number[], colOrder?: readonly number[]): Cell[][] | undefined => {
    const r = rowOrder ?? [...Array(transposed ? vars : n).keys()];
    const c = colOrder ?? [...Array(transposed ? n : vars).keys()];
    if (r.length !== rows || c.length !== cols) return undefined;
    return r.map((ri) => c.map((ci) => (transposed ? { output: ci, variable: ri } : { output: ri, variable: ci })));
  };

  // The layout the matrix of partials shows, when there is one: which derivative each position holds.
  let shown: { grid: Cell[][]; said: string } | undefined;
  if (symbolic >= 0) {
    const m = matrices[symbolic] as { cells: Piece[][]; transposed: boolean };
    const grid = m.cells.map((row) => row.map((c) => { const d = derivative(c.tex) as { output: number; variable: string }; return { output: d.output, variable: shape.variables.indexOf(d.variable) }; }));
    const layout = m.transposed ? swap(grid) : grid;
    const keys = new Set(layout.flat().map((c) => `${c.output}|${c.variable}`));
    if (keys.size !== n * vars || layout.flat().length !== n * vars || layout.flat().some((c) => c.variable < 0 || c.output >= n)) return { why: `the Jacobian's matrix of partials does not name each of the ${n * vars} derivatives once, so nbcheck cannot tell which entry is which` };
    const standard = layout.every((row, i) => row.every((c, j) => c.output === i && c.variable === j));
    shown = { grid: layout, said: standard ? '' : ', as the matrix of partials beside it lays it out' };
  }

  const entries = new Map<string, Cell & { where: string; sides: Piece[] }>();
  for (const [k, m] of matrices.entries()) {
    if (!m || k === symbolic) continue;
    const width = m.cells[0]?.length ?? 0;
    if (m.cells.some((row) => row.length !== width)) return { why: 'the Jacobian has rows of different lengths, so nbcheck cannot tell which entry is which' };
    // Labels written in the matrix: a first row of inputs (or outputs) over a first column of the other kind.
    const corner = m.cells[0]?.[0]?.tex === '';
    const top = labelsOf((m.cells[0] as Piece[]).slice(corner ? 1 : 0), shape);
    const left = labelsOf(m.cells.slice(top ? 1 : 0).map((row) => row[0] as Piece), shape);
    if (top && left && top.kind === left.kind) return { why: `the Jacobian's labels name ${top.kind === 'output' ? 'outputs' : 'inputs'} for both its rows and its columns` };
    if (corner && !top) return { why: 'the Jacobian has an empty first entry, so nbcheck cannot tell which entry is which' };
    const cells = m.cells.slice(top ? 1 : 0).map((row) => row.slice(left || corner ? 1 : 0));
    const rows = cells.length;
    const cols = cells[0]?.length ?? 0;
    let grid: Cell[][] | undefined;
    let said: string;
    if (top || left) {
      grid = gridOf(rows, cols, top ? top.kind === 'output' : left?.kind === 'variable', left?.order, top?.order);
      said = `, as the labels of its ${left ? 'rows' : 'columns'} say`;
    } else if (shown) {
      grid = m.transposed ? swap(shown.grid) : shown.grid;
      said = shown.said;
    } else {
      const transposed = (lhsT || wordsSay === 'transposed') !== m.transposed;
      grid = gridOf(rows, cols, transposed, transposed ? order?.variables : order?.outputs, transposed ? order?.outputs : order?.variables);
      const reordered = [order?.outputs, order?.variables].some((o) => o?.some((k, i) => k !== i));
      said = transposed ? `, read with rows ${shape.variables.join(', ')} and columns ${outputNames} as the answer ${lhsT || m.transposed ? 'writes it transposed' : 'says'}` : reordered ? `, in the order ${lhs ?? ''} names` : '';
    }
    if (!grid || grid.length !== rows || grid.some((row) => row.length !== cols)) {
      return { why: `the Jacobian is written as a ${rows}×${cols} matrix, where f has ${n} outputs and ${vars} inputs (nbcheck reads its rows as ${outputNames} and its columns as ${shape.variables.join(', ')}, or the other way round where the answer says so)` };
    }
    grid.forEach((row, i) => row.forEach((c, j) => {
      const piece = cells[i]?.[j] as Piece;
      if (!piece.tex) return;
      const key = `${c.output}|${c.variable}`;
      const e = entries.get(key) ?? { ...c, where: `row ${i + 1}, column ${j + 1} of the Jacobian${said}`, sides: [] };
      e.sides.push(piece);
      entries.set(key, e);
    }));
  }
  return { entries: [...entries.values()].sort((a, b) => a.output - b.output || a.variable - b.variable).map((e) => ({ output: e.output, variable: shape.variables[e.variable] as string, where: e.where, sides: e.sides })) };
}
