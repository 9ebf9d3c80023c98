/**
 * Macro definitions in notebook math: `\newcommand`, `\renewcommand`, `\providecommand`, `\def`,
 * `\DeclareMathOperator`. Where notebooks are rendered (MathJax in Jupyter and VS Code) a definition made in
 * one cell applies to all later math, and redefining an existing command is accepted; nbcheck does the same.
 */
import { replaceSpans } from '../notebook/scan';

export interface MacroDefinition {
  readonly name: string;
  /** The replacement text, in KaTeX's macro syntax (#1, #2 for arguments; KaTeX counts them). */
  readonly expansion: string;
  /** Offsets of the whole definition within the TeX that was scanned. */
  readonly start: number;
  readonly end: number;
}

/**
 * Where each brace group of the TeX ends: for a `{` at k, the offset just after its `}`, or -1 when it is not
 * closed (escaped characters, `\{`, skipped). One pass with a stack, so that asking for many groups (a run of
 * unclosed `\def\a{`) stays linear.
 */
export function groupEnds(tex: string): (at: number) => number {
  let ends: Int32Array | undefined;
  return (at) => {
    if (!ends) {
      ends = new Int32Array(tex.length).fill(-1);
      const open: number[] = [];
      for (let k = 0; k < tex.length; k++) {
        const c = tex[k];
        if (c === '\\') k++;
        else if (c === '{') open.push(k);
        else if (c === '}' && open.length) ends[open.pop()!] = k + 1;
      }
    }
    return tex[at] === '{' ? ends[at]! : -1;
  };
}

const NAME = /^\s*(?:\{\s*(\\[A-Za-z]+|\\.)\s*\}|(\\[A-Za-z]+|\\.))/;

export function findDefinitions(tex: string): MacroDefinition[] {
  const defs: MacroDefinition[] = [];
  const groupEnd = groupEnds(tex);
  const re = /\\(newcommand|renewcommand|providecommand|DeclareMathOperator|def)\b(\*?)/g;
  for (let m = re.exec(tex); m; m = re.exec(tex)) {
    const def = m[1] === 'def' ? readDef(tex, m.index, re.lastIndex, groupEnd) : readCommand(tex, m, re.lastIndex, groupEnd);
    if (def) {
      defs.push(def);
      re.lastIndex = def.end;
    }
  }
  return defs;
}

function readCommand(tex: string, m: RegExpExecArray, from: number, groupEnd: (at: number) => number): MacroDefinition | undefined {
  const name = NAME.exec(tex.slice(from));
  if (!name) return undefined;
  let k = from + name[0].length;
  const args = /^\s*\[\s*\d\s*\]/.exec(tex.slice(k));
  if (args) k += args[0].length;
  const optional = /^\s*\[[^\]]*\]/.exec(tex.slice(k)); // a default for #1: accepted, not modelled
  if (optional && m[1] !== 'DeclareMathOperator') k += optional[0].length;
  while (/\s/.test(tex[k] ?? '')) k++;
  if (tex[k] !== '{') return undefined;
  const end = groupEnd(k);
  if (end < 0) return undefined;
  const body = tex.slice(k + 1, end - 1);
  const expansion = m[1] === 'DeclareMathOperator' ? `\\operatorname${m[2]}{${body}}` : body;
  return { name: name[1] ?? name[2]!, expansion, start: m.index, end };
}

function readDef(tex: string, start: number, from: number, groupEnd: (at: number) => number): MacroDefinition | undefined {
  const m = /^\s*(\\[A-Za-z]+|\\.)(?:#\d)*\s*\{/.exec(tex.slice(from));
  if (!m) return undefined;
  const open = from + m[0].length - 1;
  const end = groupEnd(open);
  if (end < 0) return undefined;
  return { name: m[1]!, expansion: tex.slice(open + 1, end - 1), start, end };
}

/** The TeX with its definitions replaced by spaces (offsets unchanged; definitions never overlap). */
export function blankDefinitions(tex: string, defs: readonly MacroDefinition[]): string {
  return replaceSpans(tex, defs.map((d) => [d.start, d.end]), (s) => ' '.repeat(s.length));
}
