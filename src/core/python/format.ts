/** Python's str()/repr() of numbers and containers. */
import type { PyValue } from './values';
import { HostValue, PyDict, PyList, PyObject, PyRange, PySize, PySlice, PyTuple, PyNamedTuple, PyBuiltin, PyFunction, PyModule, PyClass, PyEllipsis, PyBoundMethod } from './values';

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
    else out += ch;
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
    case 'bigint': return v.toString();
    case 'number': return floatRepr(v);
    case 'string': return nested ? stringRepr(v) : v;
  }
  if (v instanceof PySize) return `torch.Size([${v.items.map(repr).join(', ')}])`;
  if (v instanceof PyNamedTuple && v.typeLabel.startsWith('torch.return_types.')) return `${v.typeLabel}(\n${v.fields.map((f, i) => `${f}=${repr(v.items[i] as PyValue)}`).join(',\n')})`;
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${repr(v.items[0] as PyValue)},)` : `(${v.items.map(repr).join(', ')})`;
  if (v instanceof PyList) return `[${v.items.map(repr).join(', ')}]`;
  if (v instanceof PyDict) return `{${[...v.entries.values()].map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(', ')}}`;
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
