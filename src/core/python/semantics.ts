/**
 * Python's semantics on plain values, shared by the interpreter and the builtins: arithmetic and
 * comparison of numbers, strings and sequences, equality and hashing, slices, format specs, and the
 * "did you mean" suggestions for names.
 */
import type { SyntaxNode } from './parser';
import { floatRepr, repr, str } from './format';
import type { PyValue } from './values';
import { BudgetExceeded, HostValue, PyDict, PyError, PyList, PySlice, PyTuple, Unsupported, typeName } from './values';

/** " Did you mean 'x'?" for the closest candidate within a small edit distance, else "". */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const best = closest(name, candidates);
  return best ? `. Did you mean '${best}'?` : '';
}

/** A name and the forms a student may have meant it in (plurals: `index` → `indices`, `dim` → `dims`). */
export function variants(c: string): string[] {
  const out = [c, `${c}s`, `${c}es`];
  if (c.endsWith('ex')) out.push(`${c.slice(0, -2)}ices`);
  if (c.endsWith('ix')) out.push(`${c.slice(0, -2)}ices`);
  if (c.endsWith('y')) out.push(`${c.slice(0, -1)}ies`);
  return out;
}

export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const n = name.toLowerCase();
  for (const c of new Set(candidates)) {
    if (c.startsWith('__') || c === name) continue;
    const d = Math.min(...variants(c.toLowerCase()).map((v) => editDistance(n, v)));
    const limit = Math.max(1, Math.floor(Math.max(name.length, c.length) / 3));
    if (d <= limit && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] as number;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] as number;
      dp[j] = Math.min((dp[j] as number) + 1, (dp[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) dp[j] = Math.min(dp[j] as number, prev);
      prev = tmp;
    }
  }
  return dp[b.length] as number;
}

/** format(value, spec) for the specs students use: [[fill]align][sign][width][,][.precision][type]. */
export function formatSpec(v: PyValue, spec: string, node: SyntaxNode): string {
  if (!spec) return str(v);
  const m = /^(?:(.)?([<>^=]))?([+\- ])?(0)?(\d+)?(,)?(?:\.(\d+))?([bdefgEFGnosx%])?$/.exec(spec);
  if (!m) throw new PyError('ValueError', `Invalid format specifier '${spec}'`, node);
  const [, fill = ' ', align, sign, zero, width, comma, precision, type] = m;
  let x = v;
  if (x instanceof HostValue) {
    const n = (x as { scalarValue?: () => PyValue }).scalarValue?.();
    if (n !== undefined) x = n;
  }
  let body: string;
  const num = typeof x === 'boolean' ? (x ? 1n : 0n) : x;
  if (type && 'eEfFgG%'.includes(type) && (typeof num === 'number' || typeof num === 'bigint')) {
    const f = Number(num);
    const p = precision === undefined ? 6 : Number(precision);
    if (type === 'f' || type === 'F') body = f.toFixed(p);
    else if (type === '%') body = `${(f * 100).toFixed(p)}%`;
    else if (type === 'e' || type === 'E') {
      const [mant, exp] = f.toExponential(p).split('e') as [string, string];
      body = `${mant}e${exp[0]}${exp.slice(1).padStart(2, '0')}`;
      if (type === 'E') body = body.toUpperCase();
    } else {
      body = String(Number(f.toPrecision(p || 1)));
    }
  } else if (type === 'd' && typeof num === 'bigint') {
    body = num.toString();
  } else if (precision !== undefined && typeof num === 'number') {
    body = String(Number(num.toPrecision(Number(precision) || 1)));
  } else if (precision !== undefined && typeof x === 'string') {
    body = x.slice(0, Number(precision));
  } else if (type && type !== 's' && typeof num !== 'number' && typeof num !== 'bigint') {
    throw new PyError('ValueError', `Unknown format code '${type}' for object of type '${typeName(v)}'`, node);
  } else {
    body = typeof x === 'number' ? floatRepr(x) : str(x);
  }
  if (comma) body = body.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  if (sign === '+' && !body.startsWith('-')) body = `+${body}`;
  if (sign === ' ' && !body.startsWith('-')) body = ` ${body}`;
  const w = width ? Number(width) : 0;
  if (body.length < w) {
    const pad = w - body.length;
    const isNum = typeof num === 'number' || typeof num === 'bigint';
    const al = align ?? (zero ? '=' : isNum ? '>' : '<');
    const f = zero && !align ? '0' : fill;
    if (al === '<') body = body + f.repeat(pad);
    else if (al === '^') body = f.repeat(Math.floor(pad / 2)) + body + f.repeat(Math.ceil(pad / 2));
    else if (al === '=' && /^[+\- ]/.test(body)) body = body[0] + f.repeat(pad) + body.slice(1);
    else body = f.repeat(pad) + body;
  }
  return body;
}

export function hashKey(v: PyValue, node: SyntaxNode): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'boolean': return `n${v ? 1 : 0}`;
    case 'bigint': return `n${v}`;
    case 'number': return Number.isInteger(v) ? `n${v}` : `f${v}`;
    case 'string': return `s${v}`;
  }
  if (v instanceof PyTuple) return `t(${v.items.map((x) => hashKey(x, node)).join(',')})`;
  if (v instanceof PyList || v instanceof PyDict) throw new PyError('TypeError', `unhashable type: '${typeName(v)}'`, node);
  throw new Unsupported(`${typeName(v)} values as dictionary keys`, node);
}

export function toIndex(v: PyValue, what: string, node: SyntaxNode): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof HostValue) {
    const n = (v as { indexValue?: () => bigint | undefined }).indexValue?.();
    if (n !== undefined) return Number(n);
  }
  throw new PyError('TypeError', `${what} indices must be integers or slices, not ${typeName(v)}`, node);
}

export function normIndex(v: PyValue, length: number, what: string, node: SyntaxNode): number {
  const i = toIndex(v, what, node);
  const j = i < 0 ? i + length : i;
  if (j < 0 || j >= length) throw new PyError('IndexError', `${what} index out of range`, node);
  return j;
}

/** slice.indices(length) */
export function sliceIndices(s: PySlice, length: number, node: SyntaxNode): [number, number, number] {
  const get = (v: PyValue): number | undefined => (v === null ? undefined : toIndex(v, 'slice', node));
  const step = get(s.step) ?? 1;
  if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero', node);
  const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === undefined) return dflt;
    const x = v < 0 ? v + length : v;
    return Math.min(Math.max(x, lo), hi);
  };
  if (step > 0) return [clamp(get(s.start), 0, 0, length), clamp(get(s.stop), length, 0, length), step];
  return [clamp(get(s.start), length - 1, -1, length - 1), clamp(get(s.stop), -1, -1, length - 1), step];
}

export function identical(a: PyValue, b: PyValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return typeof a === typeof b && a === b;
  return a === b;
}

export function equals(a: PyValue, b: PyValue): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return typeof na === 'bigint' && typeof nb === 'bigint' ? na === nb : Number(na) === Number(nb);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    return a.items.length === b.items.length && a.items.every((x, i) => equals(x, b.items[i] as PyValue));
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, [, v]] of a.entries) {
      const o = b.entries.get(k);
      if (!o || !equals(v, o[1])) return false;
    }
    return true;
  }
  return a === b;
}

export function numeric(v: PyValue): bigint | number | undefined {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  return undefined;
}

export function order(a: PyValue, b: PyValue): number | undefined {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) {
    if (typeof na === 'bigint' && typeof nb === 'bigint') return na < nb ? -1 : na > nb ? 1 : 0;
    const x = Number(na);
    const y = Number(nb);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    for (let i = 0; i < Math.min(a.items.length, b.items.length); i++) {
      if (!equals(a.items[i] as PyValue, b.items[i] as PyValue)) return order(a.items[i] as PyValue, b.items[i] as PyValue);
    }
    return a.items.length - b.items.length;
  }
  return undefined;
}

/** Python arithmetic on numbers, strings, lists and tuples; undefined when the types do not apply. */
export function arithmetic(op: string, a: PyValue, b: PyValue, node: SyntaxNode): PyValue | undefined {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    if (typeof x === 'bigint' && typeof y === 'bigint') return intOp(op, x, y, node, typeof a === 'boolean' && typeof b === 'boolean');
    return floatOp(op, Number(x), Number(y), node);
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && a instanceof PyList && b instanceof PyList) return new PyList([...a.items, ...b.items]);
  if (op === '+' && a instanceof PyTuple && b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
  if (op === '*') {
    const [seq, n] = y !== undefined && typeof y === 'bigint' ? [a, y] : x !== undefined && typeof x === 'bigint' ? [b, x] : [undefined, undefined];
    if (n !== undefined && n > 10_000_000n) throw new BudgetExceeded('stopped: a sequence repeated more than 10^7 times', node);
    const k = Math.max(0, Number(n ?? 0n));
    if (typeof seq === 'string') return seq.repeat(k);
    if (seq instanceof PyList) return new PyList(Array.from({ length: k }, () => seq.items).flat());
    if (seq instanceof PyTuple) return new PyTuple(Array.from({ length: k }, () => seq.items).flat());
  }
  if (op === '%' && typeof a === 'string') {
    const values = b instanceof PyTuple ? [...b.items] : [b];
    let i = 0;
    return a.replace(/%(\.\d+)?([sdfr%])/g, (_m, p: string | undefined, t: string) => {
      if (t === '%') return '%';
      const v = values[i++] ?? null;
      if (t === 'f') return Number(numeric(v) ?? NaN).toFixed(p ? Number(p.slice(1)) : 6);
      if (t === 'd') return String(typeof numeric(v) === 'number' ? Math.trunc(Number(numeric(v))) : numeric(v));
      return t === 'r' ? repr(v) : str(v);
    });
  }
  return undefined;
}

export function intOp(op: string, x: bigint, y: bigint, node: SyntaxNode, bothBool: boolean): PyValue {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/':
      if (y === 0n) throw new PyError('ZeroDivisionError', 'division by zero', node);
      return Number(x) / Number(y);
    case '//':
      if (y === 0n) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero', node);
      return floorDiv(x, y);
    case '%':
      if (y === 0n) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero', node);
      return x - floorDiv(x, y) * y;
    case '**':
      if (y < 0n) return Number(x) ** Number(y);
      if (y > 10000n) throw new BudgetExceeded('stopped: an integer power too large to compute', node);
      return x ** y;
    case '&': return bothBool ? (x & y) !== 0n : x & y;
    case '|': return bothBool ? (x | y) !== 0n : x | y;
    case '^': return bothBool ? (x ^ y) !== 0n : x ^ y;
    case '<<': return x << y;
    case '>>': return x >> y;
    case '@': throw new PyError('TypeError', "unsupported operand type(s) for @: 'int' and 'int'", node);
  }
  throw new Unsupported(`the '${op}' operator`, node);
}

export function floorDiv(x: bigint, y: bigint): bigint {
  const q = x / y;
  return (x % y !== 0n) && ((x < 0n) !== (y < 0n)) ? q - 1n : q;
}

export function floatOp(op: string, x: number, y: number, node: SyntaxNode): PyValue {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/':
      if (y === 0) throw new PyError('ZeroDivisionError', 'float division by zero', node);
      return x / y;
    case '//':
      if (y === 0) throw new PyError('ZeroDivisionError', 'float floor division by zero', node);
      return Math.floor(x / y);
    case '%': {
      if (y === 0) throw new PyError('ZeroDivisionError', 'float modulo', node);
      const r = x % y;
      return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
    }
    case '**':
      if (x === 0 && y < 0) throw new PyError('ZeroDivisionError', '0.0 cannot be raised to a negative power', node);
      return x ** y;
  }
  throw new PyError('TypeError', `unsupported operand type(s) for ${op}: 'float' and 'float'`, node);
}

