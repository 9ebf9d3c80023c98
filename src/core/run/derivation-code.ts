/**
 * A graph written as code (Question 3): a fenced block in the answer's markdown whose every line is a plain
 * assignment (`u1 = x * y`, `q6 = sin(q5)      (sin)`, `q7 = q3 * q6   -> f1`, several on a line apart by
 * spaces) is read as the definitions it states, each turned into the LaTeX equation a student would write
 * (`u_1 = x \cdot y`) and placed on its line, so derivation.ts reads it as it reads math. A block with any
 * other line (a drawing, real Python, a name nbcheck does not read) is not read at all, and says why; the
 * names it mentions let a note say where a node nbcheck cannot evaluate is defined. Constants such a block
 * uses and does not define are read from a line of text that names them so ("const nodes: k1 = 1, k2 = π/2").
 */
import type { Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import type { TableEquation } from './derivation-tables';

export interface CodeBlock {
  readonly cell: number;
  /** The equations the block stands for; empty when it is not read. */
  readonly equations: readonly TableEquation[];
  /** The names it mentions and those it assigns, as the math writes them (`q3` is `q_3`). */
  readonly names: ReadonlySet<string>;
  readonly assigned: ReadonlySet<string>;
  /** Why it is not read: its first line (0-based, in the cell) and the line that is not an assignment. */
  readonly unread?: { readonly line: number; readonly why: string };
}

class Unreadable extends Error {}

const FUNCTIONS: Readonly<Record<string, string>> = { sin: '\\sin', cos: '\\cos', tan: '\\tan', exp: '\\exp', ln: '\\ln', log: '\\ln', sqrt: '\\sqrt' };
const NAME = /^([A-Za-z])(?:_?\{?(\d{1,2})\}?)?$/;

/** A node's name in code as the math writes it: `q3` → `q_3`, `u_{12}` → `u_{12}`, `a` → `a`; undefined for any other word. */
export function mathName(word: string): string | undefined {
  const m = NAME.exec(word);
  if (!m) return undefined;
  const digits = m[2];
  return digits === undefined ? (m[1] as string) : `${m[1]}_${digits.length > 1 ? `{${Number(digits)}}` : digits}`;
}

/** The name as derivation's notation keys it (`q_{10}` → `q_10`). */
const keyName = (tex: string): string => tex.replace(/[{}]/g, '');

/** Python-style arithmetic (`+ - * / ** ^`, parentheses, sin/cos/exp/ln/log/sqrt, pi) as LaTeX; throws Unreadable otherwise. */
export function codeToTex(code: string): string {
  const tokens = code.match(/\d+(?:\.\d+)?|\.\d+|(?:math|np|numpy|torch)\.[A-Za-z_]\w*|[A-Za-z_]\w*|\*\*|[-+*/^()·×π]|\S/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (t?: string): string => {
    const got = tokens[i];
    if (got === undefined || (t !== undefined && got !== t)) throw new Unreadable(t ? `\`${t}\` expected` : 'an expression ends early');
    i++;
    return got;
  };
  const atom = (): { tex: string; compound: boolean } => {
    const t = take();
    if (/^\d|^\./.test(t)) return { tex: t, compound: false };
    if (t === '(') {
      const inner = expr();
      take(')');
      return { tex: `\\left(${inner}\\right)`, compound: false };
    }
    const word = t.replace(/^(?:math|np|numpy|torch)\./, '');
    if (word === 'pi' || t === 'π') return { tex: '\\pi', compound: false };
    const fn = FUNCTIONS[word];
    if (fn) {
      take('(');
      const inner = expr();
      take(')');
      return { tex: fn === '\\sqrt' ? `\\sqrt{${inner}}` : `${fn}\\left(${inner}\\right)`, compound: true };
    }
    const name = word === t ? mathName(t) : undefined;
    if (!name) throw new Unreadable(`\`${t}\` is not a name nbcheck reads`);
    return { tex: name, compound: false };
  };
  const power = (): string => {
    const base = atom();
    if (peek() !== '**' && peek() !== '^') return base.tex;
    take();
    const exp = unary();
    return `${base.compound ? `\\left(${base.tex}\\right)` : base.tex}^{${exp}}`;
  };
  const unary = (): string => {
    if (peek() === '-') {
      take();
      return `-${unary()}`;
    }
    if (peek() === '+') take();
    return power();
  };
  const term = (): string => {
    let out = unary();
    while (peek() === '*' || peek() === '/' || peek() === '·' || peek() === '×') {
      const op = take();
      const right = unary();
      out = op === '/' ? `\\frac{${out}}{${right}}` : `${out} \\cdot ${right}`;
    }
    return out;
  };
  function expr(): string {
    let out = term();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      out = `${out} ${op} ${term()}`;
    }
    return out;
  }
  const out = expr();
  if (i < tokens.length) throw new Unreadable(`\`${tokens[i]}\` where the expression should end`);
  return out;
}

/** An output label at the end of a line: `-> f1`, `→ f_2`, `=> f1`. */
const LABEL = /\s*(?:->|→|=>|⇒)\s*(f)_?\{?([12])\}?\s*$/;
/** A note after an assignment: `(sq)`, `(mult)`, words in parentheses that are no expression. */
const NOTE = /\s+\(\s*[A-Za-z]{2,}(?:\s+[A-Za-z]+)*\s*\)\s*$/;

/** One line's assignments, each as `{ tex, start, end }` in the line; throws Unreadable when it is not only assignments. */
function assignments(line: string): { tex: string; name: string; start: number; end: number }[] {
  const code = line.replace(/\s*(?:#|\/\/).*$/, '');
  if (!code.trim()) return [];
  // Where each assignment starts: the line's start, or after two spaces, `;` or `,`.
  const starts = [...code.matchAll(/(?:^|\s{2,}|;\s*|,\s+)\s*([A-Za-z][A-Za-z_0-9{}]*)\s*=(?!=)/g)];
  if (!starts.length || code.slice(0, starts[0]?.index ?? 0).trim()) throw new Unreadable('no assignment');
  return starts.map((m, k) => {
    const at = (m.index ?? 0) + m[0].indexOf(m[1] as string);
    const to = k + 1 < starts.length ? (starts[k + 1]?.index ?? code.length) : code.length;
    let body = code.slice(at, to).replace(/[\s;,]+$/, '');
    const label = LABEL.exec(body);
    if (label) body = body.slice(0, label.index);
    body = body.replace(NOTE, '');
    const end = at + body.length;
    const [lhs, ...rest] = body.split(/(?<![<>!=])=(?!=)/);
    const name = mathName((lhs as string).trim());
    if (!name) throw new Unreadable(`\`${(lhs as string).trim()}\` is not a name nbcheck reads`);
    const sides = rest.map((r) => {
      const t = r.trim();
      const out = /^f_?\{?([12])\}?$/.exec(t);
      return out ? `f_${out[1]}` : codeToTex(t);
    });
    if (!sides.length || rest.some((r) => !r.trim())) throw new Unreadable('an assignment with an empty side');
    if (label) sides.push(`f_${label[2]}`);
    return { tex: `${name} = ${sides.join(' = ')}`, name, start: at, end };
  });
}

/** The fenced blocks of a markdown text: each body's lines with their offsets, and the fence's offset. */
function fences(source: string, from: number, to: number): { at: number; lines: { text: string; start: number }[] }[] {
  const out: { at: number; lines: { text: string; start: number }[] }[] = [];
  let open: { fence: string; at: number; lines: { text: string; start: number }[] } | undefined;
  let offset = 0;
  for (const text of source.split('\n')) {
    const start = offset;
    offset += text.length + 1;
    if (start < from || start >= to) continue;
    const fence = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (open && fence && fence[0] === open.fence[0] && fence.length >= open.fence.length && !text.trim().slice(fence.length).trim()) {
      out.push({ at: open.at, lines: open.lines });
      open = undefined;
    } else if (open) open.lines.push({ text, start });
    else if (fence) open = { fence, at: start, lines: [] };
  }
  return out;
}

/** The code blocks of the answer's markdown, read as definitions where every line is a plain assignment. */
export function codeBlocks(nb: Notebook, spans: readonly Span[]): CodeBlock[] {
  const out: CodeBlock[] = [];
  for (const span of spans) {
    const cell = nb.cells[span.cell];
    if (!cell || cell.kind !== 'markdown') continue;
    const source = cell.source;
    for (const block of fences(source, span.start, span.end)) {
      const names = new Set([...block.lines.map((l) => l.text).join('\n').matchAll(/(?<![A-Za-z\d_])([A-Za-z](?:_?\{?\d{1,2}\}?)?)(?![A-Za-z\d_])/g)].map((m) => keyName(mathName(m[1] as string) ?? '')).filter((n) => n && !['x', 'y', 'f'].includes(n)));
      const assigned = new Set<string>();
      const equations: TableEquation[] = [];
      let why: string | undefined;
      for (const l of block.lines) {
        for (const m of l.text.matchAll(/(?:^|\s)([A-Za-z]_?\{?\d{0,2}\}?)\s*=(?!=)/g)) {
          const n = mathName(m[1] as string);
          if (n) assigned.add(keyName(n));
        }
        if (why) continue;
        try {
          for (const a of assignments(l.text)) equations.push({ cell: span.cell, start: l.start + a.start, end: l.start + a.end, tex: a.tex, context: '' });
        } catch (e) {
          if (!(e instanceof Unreadable)) throw e;
          // The line as written (cut short), and the name in it nbcheck does not read, if that is why.
          const text = l.text.trim().length > 40 ? `${l.text.trim().slice(0, 40)}…` : l.text.trim();
          why = `\`${text}\` is not one${/is not a name/.test(e.message) ? `: ${e.message}` : ''}`;
        }
      }
      const line = source.slice(0, block.at).split('\n').length - 1;
      if (why || !equations.length) out.push({ cell: span.cell, equations: [], names, assigned, unread: { line, why: why ?? 'it has no assignment' } });
      else out.push({ cell: span.cell, equations: [...equations, ...constants(source, span, equations, assigned)], names, assigned });
    }
  }
  return out;
}

/** Constants a read block uses and does not define, from a line of the answer's text that calls them constants. */
function constants(source: string, span: Span, equations: readonly TableEquation[], assigned: ReadonlySet<string>): TableEquation[] {
  const used = new Set(equations.flatMap((e) => [...e.tex.slice(e.tex.indexOf('=') + 1).matchAll(/([A-Za-z])_(\{\d+\}|\d)/g)].map((m) => `${m[1]}_${(m[2] as string).replace(/[{}]/g, '')}`)));
  const out: TableEquation[] = [];
  let offset = 0;
  for (const line of source.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    if (start < span.start || start >= span.end || !/\bconst(?:ant)?s?\b/i.test(line) || line.includes('$')) continue;
    for (const m of line.matchAll(/(?<![\w\\])([A-Za-z]_?\{?\d{1,2}\}?)\s*=\s*([^,;=\n]+)/g)) {
      const name = mathName(m[1] as string);
      if (!name || assigned.has(keyName(name)) || !used.has(keyName(name))) continue;
      let tex: string;
      try {
        tex = codeToTex((m[2] as string).trim().replace(/\\pi/g, 'π'));
      } catch (e) {
        if (e instanceof Unreadable) continue;
        throw e;
      }
      if (/[A-Za-z]_/.test(tex)) continue;
      const at = start + (m.index ?? 0);
      out.push({ cell: span.cell, start: at, end: at + m[0].trimEnd().length, tex: `${name} = ${tex}`, context: '' });
    }
  }
  return out;
}
