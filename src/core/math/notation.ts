/**
 * The notations students use in a hand derivation (Question 3), rewritten into symbols compute-engine reads.
 * Intermediate variables (`u_3`, `v_{12}`, `w_3`, or a bare `a` the answer defines), their forward-mode
 * tangents (`\dot{u}_3`, `\dot u_3`, `u̇_3`, `\frac{\partial u_3}{\partial x}`) and reverse-mode adjoints
 * (`\bar{u}_3`, `\overline{u_3}`, `ū_3`, `\frac{\partial f_1}{\partial u_3}`) each become one placeholder
 * symbol (`\mathrm{Zv1}`, `\mathrm{Zt2}`, `\mathrm{Za3}`) whose meaning the table keeps; functions written
 * without their backslash (`cos(xy)`, `ln(1+u_2)`) get it back. A scanner, one pass over the text.
 */

export type RefKind = 'value' | 'tangent' | 'adjoint';

export interface Ref {
  readonly kind: RefKind;
  /** `u_3`, `a`, `x`, `f_1`: the quantity's name, subscripts written `_3`. */
  readonly name: string;
  /** A tangent's variable when written `∂u_3/∂x` (else the seed of the pass it is in). */
  readonly wrt?: string;
  /** An adjoint's output when written `∂f_1/∂u_3` (else the seed of the pass it is in). */
  readonly of?: string;
}

const KIND_LETTER: Record<RefKind, string> = { value: 'v', tangent: 't', adjoint: 'a' };
const FUNCTIONS = ['sqrt', 'sin', 'cos', 'tan', 'exp', 'ln', 'log'];

/** The placeholders of one answer: the same quantity is the same symbol in every equation. */
export class NotationTable {
  private readonly byKey = new Map<string, string>();
  private readonly refs = new Map<string, Ref>();

  constructor(
    /** Single letters the answer defines (`a = xy`): names there, products of letters elsewhere. */
    readonly bare: ReadonlySet<string> = new Set(),
  ) {}

  symbol(ref: Ref): string {
    const key = `${ref.kind}|${ref.name}|${ref.wrt ?? ''}|${ref.of ?? ''}`;
    let s = this.byKey.get(key);
    if (!s) {
      s = `Z${KIND_LETTER[ref.kind]}${this.byKey.size + 1}`;
      this.byKey.set(key, s);
      this.refs.set(s, ref);
    }
    return s;
  }

  ref(symbol: string): Ref | undefined {
    return this.refs.get(symbol);
  }
}

/** How a name is written in messages: `u_3`, `u̇_3` (a tangent), `ū_3` (an adjoint), `∂u_3/∂x`, `∂f_1/∂u_3`. */
export function refText(r: Ref): string {
  const [base, sub] = r.name.split('_') as [string, string | undefined];
  const tail = sub === undefined ? '' : `_${sub}`;
  if (r.kind === 'value') return r.name;
  if (r.kind === 'tangent') return r.wrt ? `∂${r.name}/∂${r.wrt}` : `${base}\u0307${tail}`;
  return r.of ? `∂${r.of}/∂${r.name}` : `${base}\u0304${tail}`;
}

/** `03` → `3`, `-1` → `-1`, `a` → `a`. */
const subName = (digits: string): string => (/^-?\d+$/.test(digits) ? String(Number(digits)) : digits);
const isLetter = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface Scanned {
  readonly name: string;
  readonly end: number;
}

/** A subscript `_3`, `_{12}`, `_{ 3 }` at `i` (spaces before it allowed): its digits and where it ends. */
function subscript(s: string, i: number): { digits: string; end: number } | undefined {
  let j = i;
  while (s[j] === ' ') j++;
  if (s[j] !== '_') return undefined;
  j++;
  while (s[j] === ' ') j++;
  if (isDigit(s[j])) return { digits: s[j] as string, end: j + 1 };
  // `c_a`, `c_{b}`: a one-letter subscript names a node too (constants are often written so).
  if (isLetter(s[j]) && !isLetter(s[j + 1]) && s[j - 1] !== '\\') return { digits: s[j] as string, end: j + 1 };
  if (s[j] !== '{') return undefined;
  j++;
  while (s[j] === ' ') j++;
  if (isLetter(s[j]) && !isLetter(s[j + 1])) {
    let m = j + 1;
    while (s[m] === ' ') m++;
    if (s[m] === '}') return { digits: s[j] as string, end: m + 1 };
  }
  let k = j;
  if (s[k] === '-') k++;
  const digits = k;
  while (isDigit(s[k])) k++;
  if (k === digits || k - digits > 2) return undefined;
  let m = k;
  while (s[m] === ' ') m++;
  return s[m] === '}' ? { digits: s.slice(j, k), end: m + 1 } : undefined;
}

/** A quantity's name at `i`: a letter with a numeric subscript, or one of the answer's bare letters (or x, y). */
function nameAt(s: string, i: number, bare: ReadonlySet<string>): Scanned | undefined {
  let j = i;
  while (s[j] === ' ') j++;
  const c = s[j];
  if (!isLetter(c) || s[j - 1] === '\\' || (j === i && isLetter(s[j - 1]))) return undefined;
  if (isLetter(s[j + 1])) return undefined;
  const sub = subscript(s, j + 1);
  if (sub) return { name: `${c}_${subName(sub.digits)}`, end: sub.end };
  return bare.has(c as string) || c === 'x' || c === 'y' || c === 'f' ? { name: c as string, end: j + 1 } : undefined;
}

/** `{name}` or `name` after a decoration (`\dot{u}_3`, `\dot{u_3}`, `\dot u_3`). */
function decorated(s: string, i: number, bare: ReadonlySet<string>): Scanned | undefined {
  let j = i;
  while (s[j] === ' ') j++;
  if (s[j] === '{') {
    const inner = nameAt(s, j + 1, bare) ?? (isLetter(s[j + 1]) && !isLetter(s[j + 2]) ? { name: s[j + 1] as string, end: j + 2 } : undefined);
    if (!inner) return undefined;
    let k = inner.end;
    while (s[k] === ' ') k++;
    if (s[k] !== '}') return undefined;
    // `\dot{u}_3`: the subscript outside the braces.
    const sub = inner.name.includes('_') ? undefined : subscript(s, k + 1);
    return sub ? { name: `${inner.name}_${subName(sub.digits)}`, end: sub.end } : { name: inner.name, end: k + 1 };
  }
  const n = nameAt(s, j, bare);
  return n ?? (isLetter(s[j]) && !isLetter(s[j + 1]) ? { name: s[j] as string, end: j + 1 } : undefined);
}

/** `∂NAME` or `dNAME` inside a fraction's braces or before `/`: the name. */
function partialOf(s: string, i: number, bare: ReadonlySet<string>): Scanned | undefined {
  let j = i;
  while (s[j] === ' ') j++;
  if (s.startsWith('\\partial', j)) j += 8;
  else if (s[j] === 'd' && !isLetter(s[j - 1])) j += 1;
  else return undefined;
  return decorated(s, j, bare);
}

/** `\frac{∂A}{∂B}` (or `\dfrac`, `\tfrac`) at `i`: the two names and the end. */
function fraction(s: string, i: number, bare: ReadonlySet<string>): { num: string; den: string; end: number } | undefined {
  const m = /^\\[dt]?frac\s*\{/.exec(s.slice(i, i + 8));
  if (!m) return undefined;
  const num = partialOf(s, i + m[0].length, bare);
  if (!num) return undefined;
  let j = num.end;
  while (s[j] === ' ') j++;
  if (s[j] !== '}') return undefined;
  j++;
  while (s[j] === ' ') j++;
  if (s[j] !== '{') return undefined;
  const den = partialOf(s, j + 1, bare);
  if (!den) return undefined;
  let k = den.end;
  while (s[k] === ' ') k++;
  return s[k] === '}' ? { num: num.name, den: den.name, end: k + 1 } : undefined;
}

/** `\partial A / \partial B` at `i`. */
function slashed(s: string, i: number, bare: ReadonlySet<string>): { num: string; den: string; end: number } | undefined {
  if (!s.startsWith('\\partial', i)) return undefined;
  const num = decorated(s, i + 8, bare);
  if (!num) return undefined;
  let j = num.end;
  while (s[j] === ' ') j++;
  if (s[j] !== '/') return undefined;
  j++;
  while (s[j] === ' ') j++;
  if (!s.startsWith('\\partial', j)) return undefined;
  const den = decorated(s, j + 8, bare);
  return den ? { num: num.name, den: den.name, end: den.end } : undefined;
}

/** Greek letters students name nodes with (`\kappa_1`); π is the constant, never a name. */
const GREEK: Readonly<Record<string, string>> = { alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω' };

const isVariable = (n: string): boolean => n === 'x' || n === 'y';
const isOutput = (n: string): boolean => /^f(_\d)?$/.test(n);

/**
 * Rewrites one equation: each intermediate, tangent and adjoint becomes its placeholder; `∂f_1/∂x` (a
 * final derivative) and plain `x`, `y`, `f_1` stay as written.
 */
export function normaliseDerivation(tex: string, table: NotationTable): string {
  const s = tex
    .normalize('NFD')
    .replace(/([A-Za-z])\u0307/g, '\\dot{$1}')
    .replace(/([A-Za-z])\u0304/g, '\\bar{$1}')
    .replace(/\\text\{[^{}]*\}/g, ' ');
  const bare = table.bare;
  const sym = (r: Ref): string => ` \\mathrm{${table.symbol(r)}} `;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const frac = fraction(s, i, bare) ?? slashed(s, i, bare);
    if (frac) {
      const { num, den } = frac;
      if (isOutput(num) && isVariable(den)) {
        out += s.slice(i, frac.end); // ∂f_1/∂x: a final derivative, read as written
      } else if (isVariable(den)) {
        out += sym({ kind: 'tangent', name: num, wrt: den });
      } else {
        out += sym({ kind: 'adjoint', name: den, of: num });
      }
      i = frac.end;
      continue;
    }
    const deco = /^\\(dot|bar|overline)(?![A-Za-z])/.exec(s.slice(i, i + 10));
    if (deco) {
      const n = decorated(s, i + deco[0].length, bare);
      if (n) {
        out += sym({ kind: deco[1] === 'dot' ? 'tangent' : 'adjoint', name: n.name });
        i = n.end;
        continue;
      }
    }
    // A Greek letter with a subscript (`\kappa_1 = \pi`): a node's name, kept as its letter (`κ_1`).
    const greek = /^\\([a-z]+)(?![A-Za-z])/.exec(s.slice(i, i + 12));
    const letter = greek ? GREEK[greek[1] as string] : undefined;
    const greekSub = letter ? subscript(s, i + (greek as RegExpExecArray)[0].length) : undefined;
    if (letter && greekSub) {
      out += sym({ kind: 'value', name: `${letter}_${subName(greekSub.digits)}` });
      i = greekSub.end;
      continue;
    }
    if (s[i] === '\\') {
      // A command: copied whole, so its letters are never read as names.
      let j = i + 1;
      while (isLetter(s[j])) j++;
      if (j === i + 1) j++;
      out += s.slice(i, j);
      i = j;
      continue;
    }
    if (isLetter(s[i]) && !isLetter(s[i - 1])) {
      const word = /^[A-Za-z]+/.exec(s.slice(i))?.[0] ?? '';
      if (FUNCTIONS.includes(word)) {
        out += `\\${word}`;
        i += word.length;
        continue;
      }
      const n = nameAt(s, i, bare);
      // `f_1` is an output the answer may define as a node (`f_1 = a \\cdot d`); `f_1(1, 2)` and `f` stay as written.
      const applied = n !== undefined && /^\s*\(/.test(s.slice(n.end));
      if (n && !isVariable(n.name) && n.name !== 'f' && !(isOutput(n.name) && applied) && (n.name !== 'e' || bare.has('e'))) {
        out += sym({ kind: 'value', name: n.name });
        i = n.end;
        continue;
      }
    }
    out += s[i];
    i++;
  }
  return out;
}

/** The single letters an answer defines as names (`a = x y`, `b := \sin(a)`, even `e = b + 1`), not x, y, f. */
export function bareNames(equations: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const tex of equations) {
    const m = /^\s*(?:\[\s*)?(?:\\,\s*)?([a-eg-wzA-Z])\s*(?::=|=)(?!=)/.exec(tex);
    if (m && /\S/.test(tex.slice(m[0].length))) out.add(m[1] as string);
  }
  return out;
}
