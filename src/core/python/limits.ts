/**
 * The sizes one step of a program may make, checked before the allocation or the arithmetic that would pass
 * them: a budget counted between steps cannot stop one step that allocates or computes without bound
 * (`[0] * 10**9`, `s * 2**40`, `10**10**8`, `math.comb(10**6, 5*10**5)`). Each is a finding at its line.
 * Python itself has no such limits; these are nbcheck's, and their messages say so.
 */
import type { SyntaxNode } from './parser';
import { BudgetExceeded } from './values';

export const LIMITS = {
  /** Items of one list, tuple or dict. */
  items: 10_000_000,
  /** Characters of one string. */
  chars: 100_000_000,
  /** Decimal digits of one integer. */
  digits: 100_000,
} as const;

const BITS_PER_DIGIT = Math.log2(10);
const MAX_BITS = LIMITS.digits * BITS_PER_DIGIT;

/** 10^k for powers of ten from a thousand up, else the number with separators. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return 'infinitely many';
  const exp = Math.log10(n);
  if (Number.isInteger(exp) && exp >= 3) return `10^${exp}`;
  if (n >= 1e12) return `about 10^${Math.round(exp)}`;
  return Math.round(n).toLocaleString('en-US');
}

const at = (node: SyntaxNode | undefined): string => (node ? ` at line ${node.startPosition.row + 1}` : '');

/** A list, tuple or dict about to hold `n` items. */
export function checkItems(n: number, node: SyntaxNode | undefined, what = 'list'): void {
  if (n > LIMITS.items) throw new BudgetExceeded(`stopped: this ${what} would hold ${formatCount(n)} items, more than nbcheck's limit of ${formatCount(LIMITS.items)}${at(node)}`, node);
}

/** A string about to be `n` characters long. */
export function checkChars(n: number, node: SyntaxNode | undefined): void {
  if (n > LIMITS.chars) throw new BudgetExceeded(`stopped: this string would be ${formatCount(n)} characters long, more than nbcheck's limit of ${formatCount(LIMITS.chars)}${at(node)}`, node);
}

/** An integer about to have `bits` binary digits. */
export function checkBits(bits: number, node: SyntaxNode | undefined): void {
  if (bits > MAX_BITS) {
    const digits = bits / BITS_PER_DIGIT;
    throw new BudgetExceeded(`stopped: this integer would have ${formatCount(digits)} digits, more than nbcheck's limit of ${formatCount(LIMITS.digits)}${at(node)}`, node);
  }
}

/** The number of binary digits of |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const hex = (x < 0n ? -x : x).toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0] as string, 16)));
}

/** log2 |x|, for x != 0. */
function log2Abs(x: bigint): number {
  const bits = bitLength(x);
  return bits <= 1000 ? Math.log2(Math.abs(Number(x))) : bits;
}

/** log2(n!) by Stirling's series (exact enough to compare with a limit). */
export function log2Factorial(n: number): number {
  if (n < 2) return 0;
  return (n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n)) / Math.LN2;
}

/** About how many bits `x ** y` has (for y >= 0). */
export function powerBits(x: bigint, y: bigint): number {
  if (x === 0n || x === 1n || x === -1n || y === 0n) return 1;
  return Number(y) * log2Abs(x) + 1;
}

/** About how many bits math.comb(n, k) has (0 <= k <= n). */
export function combBits(n: bigint, k: bigint): number {
  const [a, b] = [Number(n), Number(k < n - k ? k : n - k)];
  if (b <= 0) return 1;
  const stirling = log2Factorial(a) - log2Factorial(b) - log2Factorial(a - b) + 1;
  return Number.isFinite(stirling) && a < 1e15 ? stirling : b * Math.log2(a) - log2Factorial(b) + 1;
}

/** lo · (lo+1) · … · hi, by halves (products of like-sized numbers are what BigInt multiplies fastest). */
export function rangeProduct(lo: bigint, hi: bigint): bigint {
  if (lo > hi) return 1n;
  if (hi - lo < 16n) {
    let r = lo;
    for (let i = lo + 1n; i <= hi; i++) r *= i;
    return r;
  }
  const mid = (lo + hi) / 2n;
  return rangeProduct(lo, mid) * rangeProduct(mid + 1n, hi);
}
