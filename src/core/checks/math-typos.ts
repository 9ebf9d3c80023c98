/**
 * LaTeX that renders but is plainly broken: a command without its backslash (`frac{a}{b}` renders the
 * letters f r a c), the limits of a sum in braces (`\sum{i=1}^m` puts i=1 beside the sum), and a subscript
 * written as a bare digit (`x1`) where the same answer writes `x_1`. Each is a warning with the fix.
 */
import type { Finding, FindingCode } from '../findings';
import type { Check } from './context';
import { cellMath } from './math';
import { pushTo } from '../collections';
import { groupEnds } from '../math/macros';
import { replaceSpans } from '../notebook/scan';

/** Commands that take a braced argument: without the backslash, the name shows as italic letters. */
const ARGUMENT_COMMANDS = ['frac', 'dfrac', 'tfrac', 'sqrt', 'mathbb', 'mathbf', 'mathcal', 'mathrm', 'boldsymbol', 'overline', 'underline', 'tilde', 'widehat', 'hat', 'bar', 'vec'];
/** Big operators and Greek letters: without the backslash and with a sub- or superscript. */
const SCRIPTED = ['sum', 'prod', 'int', 'lim', 'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'theta', 'lambda', 'sigma', 'mu', 'omega', 'nabla', 'partial'];
const MISSING_BACKSLASH = new RegExp(`(?<![A-Za-z\\\\])(?:(${ARGUMENT_COMMANDS.join('|')})\\s*\\{|(${SCRIPTED.join('|')})\\s*[_^])`, 'g');
/** What a lower limit reads like: an index set to a value or taken from a set. */
const LIMIT_LIKE = /^[^{}]*(?:=|\\in(?![A-Za-z])|\\leq?(?![A-Za-z])|<)/;
const BRACED_LIMITS = /\\(sum|prod|int|oint|bigcup|bigcap|coprod)(?![A-Za-z])\s*\{/g;
/** A letter then digits, as its own word (not `conv1`, `\R2`, `2x1`). */
const BARE_SUBSCRIPT = /(?<![A-Za-z0-9\\_^])([A-Za-z])(\d{1,2})(?![A-Za-z0-9])/g;
/** `x_1`, `x_{12}`, `\vec{x}_1`. */
const SUBSCRIPT = /(?<![A-Za-z\\])([A-Za-z])\}?_\{?(\d{1,2})(?!\d)/g;
/** Text inside these commands is words, not math. */
const TEXT_COMMANDS = /\\(?:text|textbf|textit|textrm|mathrm|operatorname\*?|mbox|label|tag|href|url|begin|end)\s*\{/g;

interface Formula {
  readonly cell: number;
  readonly start: number;
  /** The TeX, with text commands blanked (offsets kept). */
  readonly tex: string;
  readonly question: string | undefined;
}

export const mathTypoCheck: Check = (ctx) => {
  const formulas: Formula[] = [];
  for (const cell of ctx.nb.cells) {
    if (cell.kind !== 'markdown' || !cell.source.includes('$') && !cell.source.includes('\\')) continue;
    const { segments } = cellMath(ctx, cell.source);
    for (const s of segments) {
      const tex = blankText(cell.source.slice(s.texStart, s.texEnd));
      formulas.push({ cell: cell.index, start: s.texStart, tex, question: ctx.questionAt(cell.index, s.start) });
    }
  }
  const findings: Finding[] = [];
  const push = (f: Formula, code: FindingCode, at: number, length: number, message: string): void => {
    findings.push({ code, severity: 'warning', question: f.question, cell: f.cell, range: ctx.range(f.cell, f.start + at, f.start + at + length), message });
  };
  for (const f of formulas) {
    const groupEnd = groupEnds(f.tex);
    for (const m of f.tex.matchAll(MISSING_BACKSLASH)) {
      const name = (m[1] ?? m[2])!;
      push(f, 'math.missing-backslash', m.index, name.length, `"${name}" without a backslash renders as the letters ${name.split('').join(' ')}: write \\${name}.`);
    }
    for (const m of f.tex.matchAll(BRACED_LIMITS)) {
      const open = m.index + m[0].length - 1;
      const limits = braced(f.tex, open, groupEnd);
      // `\sum{w_i x_i}` groups the summand; only a group that reads as a range (`i=1`, `k \in S`) is meant as limits.
      if (!LIMIT_LIKE.test(limits)) continue;
      const upper = /^\s*\^\s*(\{[^{}]*\}|\\?[A-Za-z0-9])/.exec(f.tex.slice(Math.max(open, groupEnd(open))))?.[1];
      const fix = `\\${m[1]}_{${limits}}${upper ? `^${upper}` : ''}`;
      push(f, 'math.braced-limits', m.index, m[0].length, `The braces after \\${m[1]} are not its limits: {${limits}} renders beside the ${m[1]} sign, not under it. Write ${fix}.`);
    }
  }
  subscriptStyle(formulas, push);
  return findings;
};

/** Bare-digit subscripts (`x1`) in an answer that elsewhere writes the same one as `x_1`. */
function subscriptStyle(formulas: readonly Formula[], push: (f: Formula, code: FindingCode, at: number, length: number, message: string) => void): void {
  const byAnswer = new Map<string, Formula[]>();
  for (const f of formulas) {
    const key = f.question ?? `cell ${f.cell}`;
    pushTo(byAnswer, key, f);
  }
  for (const group of byAnswer.values()) {
    const written = new Set<string>();
    for (const f of group) for (const m of f.tex.matchAll(SUBSCRIPT)) written.add(`${m[1]}${m[2]}`);
    if (!written.size) continue;
    for (const f of group) {
      for (const m of f.tex.matchAll(BARE_SUBSCRIPT)) {
        if (!written.has(`${m[1]}${m[2]}`)) continue;
        push(f, 'math.subscript-style', m.index, m[0].length, `${m[0]} renders as ${m[1]} next to a full-size ${m[2]}, not a subscript, where this answer writes ${m[1]}_${m[2]} elsewhere: write ${m[1]}_${m[2]}.`);
      }
    }
  }
}

/** The text of the group that opens at `at`, or `…` when it does not close. */
function braced(tex: string, at: number, groupEnd: (at: number) => number): string {
  const end = groupEnd(at);
  return end < 0 ? '…' : tex.slice(at + 1, end - 1);
}

/** The TeX with the arguments of text commands (`\text{…}`, `\operatorname{…}`) blanked, offsets kept. */
function blankText(tex: string): string {
  const groupEnd = groupEnds(tex);
  const spans: [number, number][] = [];
  for (const m of tex.matchAll(TEXT_COMMANDS)) {
    // A text command inside another's argument is blanked with it.
    if (m.index < (spans.at(-1)?.[1] ?? 0)) continue;
    const end = groupEnd(m.index + m[0].length - 1);
    spans.push([m.index, end < 0 ? tex.length : end]);
  }
  return replaceSpans(tex, spans, (s) => ' '.repeat(s.length));
}
