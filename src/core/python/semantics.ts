/**
 * Python's semantics on plain values, shared by the interpreter and the builtins: arithmetic and
 * comparison of numbers, strings and sequences, equality and hashing, slices, format specs, and the
 * "did you mean" suggestions for names.
 */
import type { SyntaxNode } from './parser';
import { floatRepr, repr, str } from './format';
import type { PyValue } from './values';
import { checkBits, checkChars, checkItems, bitLength, powerBits } from './limits';
import { exponent, fixed, general, nonFinite } from './number-format';
import { HostValue, PyDict, PyError, PyList, PySlice, PyTuple, Unsupported, typeName } from './values';

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

/** format(value, spec): Python's format mini-language, [[fill]align][sign][#][0][width][,|_][.precision][type]. */
export function formatSpec(v: PyValue, spec: string, node: SyntaxNode): string {
  if (!spec) return str(v);
  const m = /^(?:(.)?([<>^=]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su.exec(spec);
  if (!m) throw new PyError('ValueError', 'Invalid format specifier', node);
  const [, fillGiven, align, sign, negZero, alt, zero, width, group, precision, type] = m;
  if (width) checkChars(Number(width), node);
  // JavaScript's digits go to 100 after the point; Python has no such bound.
  if (precision !== undefined && Number(precision) > 100) throw new Unsupported(`a format precision of ${precision} digits (nbcheck formats up to 100)`, node);
  let x = v;
  if (x instanceof HostValue) {
    const n = (x as { scalarValue?: () => PyValue }).scalarValue?.();
    if (n !== undefined) x = n;
  }
  const num = typeof x === 'boolean' ? (x ? 1n : 0n) : x;
  const kind = typeof num === 'bigint' ? 'int' : typeof num === 'number' ? 'float' : typeof x === 'string' ? 'str' : undefined;
  const unknown = (): PyError => new PyError('ValueError', `Unknown format code '${type}' for object of type '${typeName(v)}'`, node);
  if (!kind) {
    // A list, None, a module…: object.__format__ takes only the empty spec.
    if (x instanceof HostValue) throw new Unsupported(`formatting ${typeName(v)} values with a spec`, node);
    throw new PyError('TypeError', `unsupported format string passed to ${typeName(v)}.__format__`, node);
  }
  let body: string;
  let prefix = '';
  if (kind === 'str') {
    if (type && type !== 's') throw unknown();
    if (sign) throw new PyError('ValueError', 'Sign not allowed in string format specifier', node);
    if (align === '=') throw new PyError('ValueError', "'=' alignment not allowed in string format specifier", node);
    body = precision !== undefined ? [...(x as string)].slice(0, Number(precision)).join('') : (x as string);
  } else if (kind === 'int' && (!type || 'bcdnoxX'.includes(type))) {
    if (negZero) throw new PyError('ValueError', 'Negative zero coercion (z) not allowed in integer format specifier', node);
    if (precision !== undefined) throw new PyError('ValueError', 'Precision not allowed in integer format specifier', node);
    const n = num as bigint;
    const base = type === 'b' ? 2 : type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
    if (type === 'c') {
      if (n < 0n || n > 0x10ffffn) throw new PyError('OverflowError', '%c arg not in range(0x110000)', node);
      if (sign) throw new PyError('ValueError', "Sign not allowed with integer format specifier 'c'", node);
      body = String.fromCodePoint(Number(n));
    }
    else {
      body = (n < 0n ? -n : n).toString(base);
      if (type === 'X') body = body.toUpperCase();
      if (alt && base !== 10) prefix = `0${type}`;
    }
    if (n < 0n) prefix = `-${prefix}`;
  } else {
    if (kind === 'int' && type && !'eEfFgG%'.includes(type)) throw unknown();
    if (kind === 'float' && type && !'eEfFgGn%'.includes(type)) throw unknown();
    const f = Number(num);
    const p = precision === undefined ? 6 : Number(precision);
    const upper = type === 'E' || type === 'F' || type === 'G';
    if (!Number.isFinite(f)) body = nonFinite(f, upper) + (type === '%' ? '%' : '');
    else if (type === 'f' || type === 'F') body = fixed(f, p);
    else if (type === '%') body = `${fixed(f * 100, p)}%`;
    else if (type === 'e' || type === 'E') body = exponent(f, p);
    else if (type === 'g' || type === 'G' || type === 'n') body = general(f, p, Boolean(alt));
    else if (precision !== undefined) body = general(f, p, Boolean(alt), true);
    else body = kind === 'int' ? String(num) : floatRepr(f);
    if (upper) body = body.toUpperCase();
    // '#' keeps the point: f"{2.0:#.0f}" is "2.", f"{255:#.3g}" is "255.".
    if (alt && Number.isFinite(f) && !body.includes('.')) body = body.replace(/(?=[eE%]|$)/, '.');
    if (body.startsWith('-')) {
      prefix = '-';
      body = body.slice(1);
      // 'z' makes a negative zero after rounding a zero: f"{-0.0001:z.2f}" is "0.00".
      if (negZero && /^[0.]*(?:[eE][+-]\d+)?%?$/.test(body)) prefix = '';
    }
  }
  if (group) {
    if (kind === 'str') throw new PyError('ValueError', `Cannot specify '${group}' with 's'.`, node);
    const every = group === '_' && type && 'boxX'.includes(type) ? 4 : 3;
    body = body.replace(/^[0-9a-fA-F]+/, (d) => d.replace(new RegExp(`\\B(?=([0-9a-fA-F]{${every}})+(?![0-9a-fA-F]))`, 'g'), group));
  }
  if (kind !== 'str' && prefix[0] !== '-') prefix = (sign === '+' ? '+' : sign === ' ' ? ' ' : '') + prefix;
  const w = width ? Number(width) : 0;
  const fill = fillGiven ?? (zero && !align ? '0' : ' ');
  const al = align ?? (zero && kind !== 'str' ? '=' : kind === 'str' ? '<' : '>');
  const pad = Math.max(0, w - [...prefix, ...body].length);
  if (al === '<') return prefix + body + fill.repeat(pad);
  if (al === '^') return fill.repeat(Math.floor(pad / 2)) + prefix + body + fill.repeat(Math.ceil(pad / 2));
  if (al === '=') return prefix + fill.repeat(pad) + body;
  return fill.repeat(pad) + prefix + body;
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
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    checkChars(a.length + b.length, node);
    return a + b;
  }
  if (op === '+' && a instanceof PyList && b instanceof PyList) return new PyList(concatItems([a.items, b.items], node, 'list'));
  if (op === '+' && a instanceof PyTuple && b instanceof PyTuple) return new PyTuple(concatItems([a.items, b.items], node, 'tuple'));
  if (op === '*') {
    const [seq, n] = y !== undefined && typeof y === 'bigint' ? [a, y] : x !== undefined && typeof x === 'bigint' ? [b, x] : [undefined, undefined];
    const k = n === undefined || n < 0n ? 0 : Number(n);
    if (typeof seq === 'string') {
      checkChars(seq.length * k, node);
      return seq.repeat(k);
    }
    if (seq instanceof PyList || seq instanceof PyTuple) {
      const what = seq instanceof PyList ? 'list' : 'tuple';
      checkItems(seq.items.length * k, node, what);
      const items = seq.items.length === 0 ? [] : concatItems(Array.from({ length: k }, () => seq.items), node, what);
      return seq instanceof PyList ? new PyList(items) : new PyTuple(items);
    }
  }
  if (op === '%' && typeof a === 'string') {
    const values = b instanceof PyTuple ? [...b.items] : [b];
    let i = 0;
    const out = a.replace(/%(\([^)]*\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?(.?)/g, (whole, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, t: string) => {
      if (t === '%' && whole === '%%') return '%';
      if (key || width === '*' || precision === '*' || flags.includes('#') || !'sdifFeEgGrx'.includes(t) || !t) throw new Unsupported(`the printf-style format '${whole}'`, node);
      if (i >= values.length) throw new PyError('TypeError', 'not enough arguments for format string', node);
      const v = values[i++] as PyValue;
      if ('dif'.includes(t) && t !== 'f' && numeric(v) === undefined) throw new PyError('TypeError', `%${t} format: a real number is required, not ${typeName(v)}`, node);
      const align = flags.includes('-') ? '<' : '';
      const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
      const zero = flags.includes('0') && !align ? '0' : '';
      const shown = t === 'r' ? repr(v) : t === 's' ? str(v) : t === 'd' || t === 'i' ? (typeof numeric(v) === 'number' ? BigInt(Math.trunc(Number(numeric(v)))) : numeric(v) ?? v) : t === 'x' ? v : (numeric(v) ?? v);
      const type = t === 'r' || t === 's' ? '' : t === 'i' ? 'd' : t;
      return formatSpec(shown, `${align}${sign}${zero}${width ?? ''}${precision !== undefined ? `.${precision}` : t === 'f' || t === 'F' || t === 'e' || t === 'E' ? '.6' : ''}${type}`, node);
    });
    if (i < values.length && b instanceof PyTuple) throw new PyError('TypeError', 'not all arguments converted during string formatting', node);
    return out;
  }
  return undefined;
}

const SMALL = 2n ** 32n;

export function intOp(op: string, x: bigint, y: bigint, node: SyntaxNode, bothBool: boolean): PyValue {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*':
      if (x > SMALL || x < -SMALL || y > SMALL || y < -SMALL) checkBits(bitLength(x) + bitLength(y), node);
      return x * y;
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
      checkBits(powerBits(x, y), node);
      return x ** y;
    case '&': return bothBool ? (x & y) !== 0n : x & y;
    case '|': return bothBool ? (x | y) !== 0n : x | y;
    case '^': return bothBool ? (x ^ y) !== 0n : x ^ y;
    case '<<':
      if (y < 0n) throw new PyError('ValueError', 'negative shift count', node);
      if (x !== 0n) checkBits(bitLength(x) + Number(y), node);
      return x << y;
    case '>>':
      if (y < 0n) throw new PyError('ValueError', 'negative shift count', node);
      return x >> y;
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


/** The items of several sequences one after the other, within the size limit (no spread of a huge array). */
export function concatItems(parts: readonly (readonly PyValue[])[], node: SyntaxNode | undefined, what: string): PyValue[] {
  checkItems(parts.reduce((n, p) => n + p.length, 0), node, what);
  const out: PyValue[] = [];
  for (const p of parts) for (let i = 0; i < p.length; i++) out.push(p[i] as PyValue);
  return out;
}

/** items.push(...more) within the size limit, in a loop (a spread of a long array overflows the stack). */
export function extendItems(items: PyValue[], more: readonly PyValue[], node: SyntaxNode | undefined): void {
  checkItems(items.length + more.length, node);
  for (let i = 0; i < more.length; i++) items.push(more[i] as PyValue);
}
