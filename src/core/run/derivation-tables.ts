/**
 * Tables of a hand derivation, read as the equations they stand for: a markdown table or a LaTeX `array`
 * whose rows are nodes and whose columns (named by the header in the student's words) hold a node's
 * definition, its forward value, its tangents (for ∂/∂x, ∂/∂y, or the pass's seed) and its adjoints (for
 * f_1, f_2, or the pass's output). Each cell becomes an equation `node = cell`, `∂node/∂x = cell`,
 * `\dot{node} = cell` or `\bar{node} = cell`, placed on its row.
 */
import type { WrittenEquation } from '../math/equations';
import { extractMath } from '../math/extract';
import { markdownTables } from '../notebook/markdown';
import type { Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';

type Column =
  | { readonly kind: 'node' | 'definition' | 'value' | 'skip' | 'equation' }
  | { readonly kind: 'tangent'; readonly wrt?: 'x' | 'y' }
  | { readonly kind: 'adjoint'; readonly of?: string };

const VARIABLE = /(?:d\/d|∂\/∂|∂|\\partial\s*\/\s*\\partial\s*|\/\s*\\partial\s*|w\.?r\.?t\.?\s*|\(|\^\{?\(|seed\s*)(x|y)\b|\b(x|y)\)|\b(?:for|in)\s+(x|y)\b/i;
const OUTPUT = /\bf\s*_?\s*\{?\s*([12])\b/i;

/** A header cell's meaning, from the student's words (`tangent d/dx`, `\dot{w}^{(x)}`, `adjoint (f1)`, `def`). */
function column(header: string, first: boolean): Column {
  const h = header.replace(/\$/g, '').replace(/\\text\{([^{}]*)\}/g, '$1').trim().toLowerCase();
  // A column of the rules themselves (`\dot w_3 = 2 w_1 \dot w_1`): each cell is an equation, naming its node.
  if (/rule|how|formula|chain|equation/.test(h) && !/bar|adj|back|reverse|dot|tang|forward|\(|seed/.test(h)) return { kind: 'equation' };
  if (/^seed\b|\bseed\s*\(?\s*[xy]\b/.test(h)) {
    const v = /seed\s*\(?\s*([xy])\b/.exec(h);
    return { kind: 'tangent', ...(v ? { wrt: v[1] as 'x' | 'y' } : {}) };
  }
  // A column of pairs names both outputs (`adjoint (f_1, f_2)`) or both variables (`tangent (d/dx, d/dy)`): its cells say which.
  const both = (re: RegExp): boolean => new Set([...h.matchAll(new RegExp(re.source, 'gi'))].map((m) => (m.slice(1).find(Boolean) ?? '').toLowerCase())).size > 1;
  if (/bar|adj|back|reverse|∂f\s*_?\s*\d?\s*\/\s*∂|\\partial f/.test(h)) {
    const o = OUTPUT.exec(h);
    return { kind: 'adjoint', ...(o && !both(OUTPUT) ? { of: `f_${o[1]}` } : {}) };
  }
  if (/dot|tang|forward mode|d\/d|∂\/∂|\\partial|deriv|grad/.test(h)) {
    const v = VARIABLE.exec(h);
    const wrt = (v?.[1] ?? v?.[2] ?? v?.[3])?.toLowerCase() as 'x' | 'y' | undefined;
    return { kind: 'tangent', ...(wrt && !both(VARIABLE) ? { wrt } : {}) };
  }
  const o = /\bfor\s*\$?\s*f\s*_?\s*\{?([12])/.exec(h);
  if (o) return { kind: 'adjoint', of: `f_${o[1]}` };
  if (/val|forward|primal|result|number/.test(h)) return { kind: 'value' };
  if (/def|expr|op|formula|comput|node =|equation|function/.test(h)) return { kind: 'definition' };
  if (first || /node|var|name|step/.test(h)) return { kind: 'node' };
  return { kind: 'skip' };
}

/** A cell's equation for its column, or nothing (empty, "-", "seed", text). */
function equationOf(node: string, c: Column, cell: string): string | undefined {
  const tex = cell.replace(/\$|\*\*|__/g, '').trim();
  if (!tex || /^[-–—]+$/.test(tex) || /^\\?(text\{)?\s*(seed|n\/a|none|—)/i.test(tex)) return undefined;
  switch (c.kind) {
    case 'definition':
    case 'value':
      return `${node} = ${tex}`;
    case 'tangent':
      return `${c.wrt ? `\\frac{\\partial ${node}}{\\partial ${c.wrt}}` : `\\dot{${node}}`} = ${tex}`;
    case 'adjoint':
      return `${c.of ? `\\frac{\\partial ${c.of}}{\\partial ${node}}` : `\\bar{${node}}`} = ${tex}`;
    default:
      return undefined;
  }
}

const looksLikeName = (s: string): boolean => /^\s*[A-Za-z](?:\s*_\s*(?:\{\s*(?:-?\d{1,2}|[A-Za-z])\s*\}|\d|[A-Za-z]))?\s*$/.test(s.replace(/\$/g, ''));

interface Row {
  readonly start: number;
  readonly end: number;
  readonly cells: readonly string[];
}

/** A table's equation, with its column's header as the text before it (where the pass is named). */
export interface TableEquation extends WrittenEquation {
  readonly context: string;
}

/** A cell naming a row's node: a name, a decorated name (`\bar v_{11}`, `\dot t_4`), or a definition or rule of one. */
const namesNode = (cell: string | undefined): boolean => {
  const t = (cell ?? '').replace(/\$/g, '').trim();
  const left = t.includes('=') ? t.slice(0, t.indexOf('=')).trim() : t;
  return looksLikeName(left) || DECORATED.test(left);
};
const DECORATED = /^\\(dot|bar|overline)\s*(\{[^{}]*\}(?:\s*_\s*(?:\{[^{}]*\}|\w))?|[A-Za-z](?:\s*_\s*(?:\{[^{}]*\}|\w))?)\s*$/;
const NUMBER = /^\s*\$?\s*-?\d+(?:\.\d+)?\s*\$?\s*$/;

/**
 * A table's header, or none: an array whose first row is already a row (`t_1 = x & & \text{input}`, `t_1 & 1.5`)
 * is read from its first row, its first column the nodes (with their definitions) and a second column of numbers
 * their values.
 */
function headerOf(rows: readonly Row[]): { columns: Column[]; header: Row | undefined; body: readonly Row[] } {
  const first = rows[0] as Row;
  const definition = /^[^=]+=/.test((first.cells[0] ?? '').replace(/\$/g, '')) && namesNode(first.cells[0]);
  const valued = looksLikeName((first.cells[0] ?? '').replace(/\$/g, '')) && first.cells.length === 2 && NUMBER.test(first.cells[1] ?? '');
  if ((definition || valued) && rows.every((r) => namesNode(r.cells[0]))) {
    const columns: Column[] = first.cells.map((_, i) => (i === 0 ? { kind: 'node' } : i === 1 && rows.every((r) => NUMBER.test(r.cells[1] ?? '')) ? { kind: 'value' } : { kind: 'skip' }));
    return { columns, header: undefined, body: rows };
  }
  const columns = first.cells.map((h, i) => column(h, i === 0));
  // A first column of names (`\bar v_{11}`) is the nodes, whatever its header says ("adjoint", "tangent").
  if (!columns.some((c) => c.kind === 'node') && rows.slice(1).every((r) => namesNode(r.cells[0]))) columns[0] = { kind: 'node' };
  return { columns, header: first, body: rows.slice(1) };
}

function tableRows(rows: readonly Row[], cell: number, out: TableEquation[]): void {
  if (rows.length < 2) return;
  const { columns, header, body } = headerOf(rows);
  const nodeAt = columns.findIndex((c) => c.kind === 'node');
  const equationAt = columns.findIndex((c) => c.kind === 'equation');
  const headerText = (i: number): string => (header?.cells[i] ?? '').replace(/\$/g, ' ');
  if (nodeAt < 0 && equationAt < 0) {
    // A table of equations (a column per pass: "forward, seed x", "backward for f_1"): each cell as written.
    for (const row of body) {
      row.cells.forEach((c, i) => {
        const tex = c.replace(/\$/g, '').trim();
        if (/^[^=]+=/.test(tex)) out.push({ cell, start: row.start, end: row.end, tex, context: headerText(i) });
      });
    }
    return;
  }
  if (!columns.some((c) => c.kind !== 'node' && c.kind !== 'skip') && header) return;
  for (const row of body) {
    let node = nodeAt < 0 ? '' : (row.cells[nodeAt] ?? '').replace(/\$/g, '').trim();
    // A node cell that is a definition (`v_5 = v_1^2`) or an adjoint (`\bar v_{10}`): read it so.
    let adjointRow = false;
    if (node.includes('=')) {
      out.push({ cell, start: row.start, end: row.end, tex: node, context: headerText(nodeAt) });
      node = node.slice(0, node.indexOf('=')).trim();
    }
    // A row of an adjoint (`\bar v_{10}`) or a tangent (`\dot t_4 = 2t_1 \dot t_1`): its cells are that quantity's.
    const decorated = DECORATED.exec(node);
    let tangentRow = false;
    if (decorated) {
      adjointRow = decorated[1] !== 'dot';
      tangentRow = decorated[1] === 'dot';
      node = (decorated[2] as string).replace(/^\{([^{}]*)\}/, '$1');
    }
    const rule = equationAt < 0 ? '' : (row.cells[equationAt] ?? '').replace(/\$/g, '').trim();
    if (rule.includes('=')) {
      out.push({ cell, start: row.start, end: row.end, tex: rule, context: headerText(equationAt) });
      // The rule's left side names the row's node: `\dot w_3 = …` is about w_3.
      if (!looksLikeName(node)) node = /^\\(?:dot|bar|overline)\s*\{?\s*([A-Za-z](?:\s*_\s*(?:\{[^{}]*\}|\w))?)\s*\}?(\s*_\s*(?:\{[^{}]*\}|\w))?\s*=/.exec(rule)?.slice(1, 3).join('') ?? /^([A-Za-z](?:\s*_\s*(?:\{[^{}]*\}|\w))?)\s*=/.exec(rule)?.[1] ?? '';
    } else if (adjointRow && rule && !/^[-–—]*$|seed/i.test(rule) && looksLikeName(node)) {
      out.push({ cell, start: row.start, end: row.end, tex: `\\bar{${node}} = ${rule}`, context: headerText(equationAt) });
    }
    if (!looksLikeName(node)) continue;
    columns.forEach((c, i) => {
      if (i === nodeAt || i === equationAt) return;
      const cellText = row.cells[i] ?? '';
      // A cell that is itself an equation (`\dot e = \dot a d + a \dot d = 0.7577`) is read as written.
      if (/^\s*\$?\s*\\(?:dot|bar|overline)\b[^=]*=/.test(cellText)) {
        out.push({ cell, start: row.start, end: row.end, tex: cellText.replace(/\$/g, '').trim(), context: headerText(i) });
        return;
      }
      const tex = equationOf(node, adjointRow && c.kind === 'value' ? { kind: 'adjoint' } : tangentRow && c.kind === 'value' ? { kind: 'tangent' } : c, cellText);
      if (tex) out.push({ cell, start: row.start, end: row.end, tex, context: headerText(i) });
    });
  }
}

/** Markdown tables, read loosely (students' hand-made ones: no header needed, `|--|` rows set aside). */
function markdownTableEquations(source: string, from: number, to: number, cell: number, out: TableEquation[]): void {
  for (const table of markdownTables(source, from, to, { loose: true })) {
    const rows = table.rows.map((r) => ({ start: r.start, end: r.end, cells: r.cells.map((c) => source.slice(c.start, c.end)) }));
    if (rows.length > 1) tableRows(rows, cell, out);
  }
}

/** LaTeX `array`/`tabular` environments in the cell's math: rows by `\\`, cells by `&`. */
function arrayTables(source: string, from: number, to: number, cell: number, out: TableEquation[]): void {
  for (const m of extractMath(source).segments) {
    if (m.start < from || m.end > to) continue;
    const tex = source.slice(m.texStart, m.texEnd);
    for (const env of tex.matchAll(/\\begin\{(array|tabular)\}(?:\{[^{}]*\})?([\s\S]*?)\\end\{\1\}/g)) {
      const bodyStart = m.texStart + (env.index ?? 0) + env[0].length - (env[2] as string).length - `\\end{${env[1]}}`.length;
      const rows: Row[] = [];
      let at = bodyStart;
      for (const piece of (env[2] as string).split('\\\\')) {
        const body = piece.replace(/\\hline/g, ' ');
        if (body.trim()) {
          const lead = piece.length - piece.trimStart().length;
          rows.push({ start: at + lead, end: at + piece.trimEnd().length, cells: body.split('&') });
        }
        at += piece.length + 2;
      }
      tableRows(rows, cell, out);
    }
  }
}

/** The equations the answer's tables stand for, each placed on its row. */
export function tableEquations(nb: Notebook, spans: readonly Span[]): TableEquation[] {
  const out: TableEquation[] = [];
  for (const span of spans) {
    const c = nb.cells[span.cell];
    if (!c || c.kind !== 'markdown' || !/\||\\begin\{(array|tabular)\}/.test(c.source.slice(span.start, span.end))) continue;
    markdownTableEquations(c.source, span.start, span.end, span.cell, out);
    arrayTables(c.source, span.start, span.end, span.cell, out);
  }
  return out;
}
