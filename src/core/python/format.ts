/** Python's str()/repr() of numbers and containers. */
import type { PyValue } from './values';
import { HostValue, PyError, PyDict, PyList, PyObject, PyRange, PySize, PySlice, PyTuple, PyNamedTuple, PyBuiltin, PyFunction, PyModule, PyClass, PyEllipsis, PyBoundMethod } from './values';

/** float.__repr__: the shortest digits that round-trip, exponent form when exp < -4 or exp >= 16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return negative ? `-${out}` : out;
}

export function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else {
      // What Python's str.isprintable() rejects is escaped: the C0 and C1 controls, DEL, the soft hyphen,
      // the line and paragraph separators.
      const c = ch.codePointAt(0) as number;
      if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) out += `\\x${c.toString(16).padStart(2, '0')}`;
      else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
      else out += ch;
    }
  }
  return `${quote}${out}${quote}`;
}

export function repr(v: PyValue): string {
  if (typeof v === 'string') return stringRepr(v);
  return str(v, true);
}

export function str(v: PyValue, nested = false): string {
  if (v === null) return 'None';
  switch (typeof v) {
    case 'boolean': return v ? 'True' : 'False';
    case 'bigint': return intStr(v);
    case 'number': return floatRepr(v);
    case 'string': return nested ? stringRepr(v) : v;
  }
  if (v instanceof PySize) return `torch.Size([${v.items.map(repr).join(', ')}])`;
  if (v instanceof PyNamedTuple && v.typeLabel.startsWith('torch.return_types.')) return `${v.typeLabel}(\n${v.fields.map((f, i) => `${f}=${repr(v.items[i] as PyValue)}`).join(',\n')})`;
  if (v instanceof PyTuple || v instanceof PyList || v instanceof PyDict) return containerRepr(v);
  if (v instanceof PyRange) return v.step === 1n ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (v instanceof PySlice) return `slice(${repr(v.start)}, ${repr(v.stop)}, ${repr(v.step)})`;
  if (v instanceof PyEllipsis) return 'Ellipsis';
  if (v instanceof PyBuiltin) return `<built-in function ${v.name}>`;
  if (v instanceof PyFunction) return `<function ${v.name}>`;
  if (v instanceof PyBoundMethod) return `<bound method ${v.fn.name}>`;
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyClass) return `<class '${v.name}'>`;
  if (v instanceof PyObject) return `<${v.cls.name} object>`;
  if (v instanceof HostValue) return v.repr();
  return '<iterator>';
}

/** The containers whose repr is being written, innermost last: a container met again is written `[...]`. */
const open: (PyList | PyTuple | PyDict)[] = [];

/** Python raises RecursionError past this depth of nested containers (its recursion limit is 1000). */
const MAX_REPR_DEPTH = 990;

function containerRepr(v: PyList | PyTuple | PyDict): string {
  if (open.includes(v)) return v instanceof PyDict ? '{...}' : v instanceof PyList ? '[...]' : '(...)';
  if (open.length >= MAX_REPR_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded while getting the repr of an object');
  open.push(v);
  try {
    if (v instanceof PyTuple) return v.items.length === 1 ? `(${repr(v.items[0] as PyValue)},)` : `(${v.items.map(repr).join(', ')})`;
    if (v instanceof PyList) return `[${v.items.map(repr).join(', ')}]`;
    return `{${[...v.entries.values()].map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(', ')}}`;
  } finally {
    open.pop();
  }
}

/** Python 3.11's limit on converting an int to decimal text (sys.get_int_max_str_digits()). */
const INT_MAX_STR_DIGITS = 4300;
const TEN_4300 = 10n ** 4300n;

/** str(int): Python 3.11 refuses more than 4300 digits (a ValueError), as the Python the course uses does. */
export function intStr(v: bigint): string {
  if ((v < 0n ? -v : v) >= TEN_4300) {
    throw new PyError('ValueError', `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`);
  }
  return v.toString();
}
