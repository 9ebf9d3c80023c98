/**
 * Python's float formatting (`format(x, '.3f')`, `'e'`, `'g'`, `'%'`, and the spec with only a precision), on the
 * exact decimal value of the double and rounded half to even as CPython does. JavaScript's toFixed and
 * toExponential round a tie away from zero (`(2.5).toFixed(0)` is "3", Python's `f"{2.5:.0f}"` is "2") and
 * toFixed switches to exponent form from 1e21: they are not used for the digits.
 */

/** The exact decimal digits of |x| (finite): its integer part and its fraction (no trailing zeros). */
function exactDigits(x: number): { int: string; frac: string } {
  const a = Math.abs(x);
  if (a >= 1e21) return { int: BigInt(a).toString(), frac: '' };
  // A double below 1e21 with a fraction has at most 1074 fractional digits, but a tie (all that rounding here
  // must see exactly) can only sit within the first 100: toFixed(100) is exact that far.
  const [int, frac = ''] = a.toFixed(100).split('.') as [string, string?];
  return { int, frac: frac.replace(/0+$/, '') };
}

/** digits rounded to `keep` digits (keep <= digits.length), half to even; the carry grows the string. */
function roundAt(digits: string, keep: number): string {
  if (keep >= digits.length) return digits.padEnd(keep, '0');
  const next = digits[keep] as string;
  const rest = digits.slice(keep + 1);
  const kept = digits.slice(0, keep);
  const last = keep > 0 ? Number(digits[keep - 1]) : 0;
  const up = next > '5' || (next === '5' && (/[1-9]/.test(rest) || last % 2 === 1));
  if (!up) return kept;
  const n = (BigInt(`1${kept}`) + 1n).toString();
  // A carry out of the kept digits ("99" + 1): the leading '1' of the guard becomes a '2'.
  return n[0] === '2' ? `1${n.slice(1)}` : n.slice(1);
}

/** x with `p` digits after the point, as Python's 'f'. */
export function fixed(x: number, p: number): string {
  const { int, frac } = exactDigits(x);
  const all = roundAt(int + frac, int.length + p);
  const intLen = all.length - p;
  const intPart = all.slice(0, intLen).replace(/^0+(?=\d)/, '') || '0';
  const body = p > 0 ? `${intPart}.${all.slice(intLen)}` : intPart;
  return (x < 0 || Object.is(x, -0)) ? `-${body}` : body;
}

/** x as d.ddd (p digits after the point) and its exponent, as Python's 'e' computes them. */
function scientific(x: number, p: number): { mantissa: string; exp: number } {
  if (x === 0) return { mantissa: p > 0 ? `0.${'0'.repeat(p)}` : '0', exp: 0 };
  let digits: string;
  let exp: number;
  if (Math.abs(x) < 1e-20) {
    // No tie can occur this small (the exact expansion has hundreds of significant digits).
    const [m, e] = Math.abs(x).toExponential(p).split('e') as [string, string];
    return { mantissa: m, exp: Number(e) };
  }
  const { int, frac } = exactDigits(x);
  const all = (int + frac).replace(/^0+/, '');
  exp = int.replace(/^0+/, '').length ? int.replace(/^0+/, '').length - 1 : -(frac.length - frac.replace(/^0+/, '').length) - 1;
  digits = roundAt(all, p + 1);
  if (digits.length > p + 1) {
    digits = digits.slice(0, p + 1);
    exp++;
  }
  return { mantissa: p > 0 ? `${digits[0]}.${digits.slice(1)}` : (digits[0] as string), exp };
}

const expText = (e: number): string => `e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;

/** x in Python's 'e' form with p digits after the point. */
export function exponent(x: number, p: number): string {
  const { mantissa, exp } = scientific(x, p);
  return `${x < 0 || Object.is(x, -0) ? '-' : ''}${mantissa}${expText(exp)}`;
}

/**
 * x in Python's 'g' form with p significant digits (`alt`: '#', keep trailing zeros), or, with `none`, the form
 * a spec with only a precision gives (like 'g', with at least one digit after the point in fixed notation).
 */
export function general(x: number, p: number, alt = false, none = false): string {
  const q = p === 0 ? 1 : p;
  const { exp } = scientific(x, q - 1);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const strip = (s: string): string => (alt ? s : s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
  // CPython's rule: with only a precision, an integral value in fixed form takes a ".0", so it switches one
  // exponent earlier (f"{2.5:.1}" is "2e+00").
  if (exp >= -4 && exp < (none ? q - 1 : q)) {
    let body = strip(fixed(Math.abs(x), q - 1 - exp));
    if (none && !body.includes('.')) body += '.0';
    return sign + body;
  }
  const { mantissa } = scientific(x, q - 1);
  return `${sign}${strip(mantissa)}${expText(exp)}`;
}

/** inf, -inf, nan as Python formats them (upper-case for the upper-case types). */
export function nonFinite(x: number, upper: boolean): string {
  const s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return upper ? s.toUpperCase() : s;
}
