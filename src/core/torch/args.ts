/**
 * Argument binding for torch functions with PyTorch's own error wording: unknown keywords (with a
 * did-you-mean), missing arguments, wrong types, each pointing at the argument at fault.
 */
import { closest } from '../python/interpreter';
import type { CallArgs, PyValue } from '../python/values';
import { HostValue, PyError, PyList, PyTuple, Unsupported, typeName } from '../python/values';
import { PYTORCH_KEYWORDS } from './pytorch-names';

export interface ParamSpec {
  readonly name: string;
  /** Has a default (the binder leaves it undefined when not given). */
  readonly optional: boolean;
  /** Keyword-only (after `*` in PyTorch's signature). */
  readonly kwOnly: boolean;
  /** Takes the remaining positional arguments (`*size`). */
  readonly varargs: boolean;
}

/** Parses "input, dim, index, *, out?" style signatures: `?` optional, `*name` varargs, bare `*` kw-only. */
export function signature(spec: string): ParamSpec[] {
  const out: ParamSpec[] = [];
  let kwOnly = false;
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === '*') {
      kwOnly = true;
      continue;
    }
    const varargs = raw.startsWith('*');
    const name = raw.replace(/^\*/, '').replace(/\?$/, '');
    out.push({ name, optional: raw.endsWith('?') || varargs, kwOnly, varargs });
    if (varargs) kwOnly = true;
  }
  return out;
}

export interface Bound {
  readonly values: ReadonlyMap<string, PyValue>;
  /** Which argument supplied each parameter (positional index or keyword name), for error placement. */
  readonly from: ReadonlyMap<string, number | string>;
  get(name: string): PyValue | undefined;
  has(name: string): boolean;
}

/**
 * How argument errors read. PyTorch's C++-bound functions (`torch.sum`, `Tensor.index_select`) answer any
 * mismatch with "received an invalid combination of arguments - got (...), but expected one of:"; the
 * ones written in Python (`F.cross_entropy`, `nn.Linear`) raise Python's own TypeErrors.
 */
export type BindStyle = 'native' | 'python';

export interface BindOptions {
  readonly style?: BindStyle;
  /** The first positional argument is the receiver of a method (not listed in "got (...)"). */
  readonly method?: boolean;
}

/** PyTorch's name for a value's type in "got (...)". */
function argType(v: PyValue): string {
  if (v instanceof HostValue) return v.typeName() === 'Parameter' ? 'Parameter' : v.typeName();
  return typeName(v);
}

/** "got (Tensor, dims=int)" as PyTorch's arg parser writes it: keywords last, in reverse order. */
function gotList(a: CallArgs, method: boolean): string {
  const args = (method ? a.args.slice(1) : a.args).map(argType);
  const kws = [...a.kwargs].reverse().map(([k, v]) => `${k}=${argType(v)}`);
  if (!args.length && kws.length) return `(${kws.map((k) => `${k}, `).join('')})`;
  return `(${[...args, ...kws].join(', ')})`;
}

export function bind(fn: string, params: readonly ParamSpec[], a: CallArgs, options: BindOptions = {}): Bound {
  const style = options.style ?? 'native';
  const shown = options.method ? params.slice(1) : params;
  const expected = `(${shown.map((p) => (p.varargs ? `*${p.name}` : p.name)).join(', ')})`;
  const invalid = (detail: string, arg?: number | string): PyError =>
    new PyError('TypeError', `${fn}() received an invalid combination of arguments - got ${gotList(a, !!options.method)}, but expected one of: * ${expected}${detail}`, undefined, arg);
  const values = new Map<string, PyValue>();
  const from = new Map<string, number | string>();
  let i = 0;
  for (const p of params) {
    if (p.varargs) {
      if (i < a.args.length) {
        values.set(p.name, new PyTuple(a.args.slice(i)));
        from.set(p.name, i);
        i = a.args.length;
      }
      continue;
    }
    if (p.kwOnly) continue;
    if (i < a.args.length) {
      values.set(p.name, a.args[i] as PyValue);
      from.set(p.name, i);
      i++;
    }
  }
  if (i < a.args.length) {
    const max = params.filter((p) => !p.kwOnly).length - (options.method ? 1 : 0);
    const given = a.args.length - (options.method ? 1 : 0);
    if (style === 'native') throw invalid(` — it takes ${max} positional argument${max === 1 ? '' : 's'}, ${given} were given`, i);
    throw new PyError('TypeError', `${fn}() takes ${max} positional argument${max === 1 ? '' : 's'} but ${given} were given`, undefined, i);
  }
  for (const [k, v] of a.kwargs) {
    const p = params.find((q) => q.name === k);
    if (!p && pytorchAccepts(fn, k)) throw new Unsupported(`${fn.replace(/\.__init__$/, '')}(${k}=…)`);
    if (!p) {
      const best = closest(k, params.map((q) => q.name));
      const e =
        style === 'native'
          ? invalid(` — '${k}' is not one of its keywords${best ? `; did you mean '${best}'?` : ''}`, k)
          : new PyError('TypeError', `${fn}() got an unexpected keyword argument '${k}'${best ? `. Did you mean '${best}'?` : ''}`, undefined, k);
      if (best) e.rename = { from: k, to: best };
      throw e;
    }
    if (values.has(k)) {
      if (style === 'native') throw invalid(` — '${k}' is given twice`, k);
      throw new PyError('TypeError', `${fn}() got multiple values for argument '${k}'`, undefined, k);
    }
    values.set(k, v);
    from.set(k, k);
  }
  const missing = params.filter((p) => !p.optional && !values.has(p.name));
  if (missing.length) {
    if (style === 'native') throw invalid(` — ${missing.map((p) => `'${p.name}'`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
    const names = missing.map((p) => `'${p.name}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    throw new PyError('TypeError', `${fn}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
  }
  return { values, from, get: (n) => values.get(n), has: (n) => values.has(n) && values.get(n) !== null };
}

/**
 * Whether PyTorch's own callable of that name takes the keyword `k` (then nbcheck's lack of it is a gap of
 * nbcheck's, said as "not supported", not the student's TypeError). The name may be a torch function, a
 * Tensor method, an F function, a layer's or optimizer's constructor.
 */
function pytorchAccepts(fn: string, k: string): boolean {
  const base = fn.replace(/\.(__init__|forward)$/, '');
  const owners = ['torch', 'torch.Tensor', 'torch.nn.functional', 'torch.nn', 'torch.optim', 'torch.nn.init', 'torch.linalg'];
  return owners.some((o) => PYTORCH_KEYWORDS[`${o}.${base}`]?.includes(k));
}

/** A PyError pointing at the argument that supplied `param`. */
export function argError(b: Bound, param: string, type: 'TypeError' | 'ValueError' | 'IndexError' | 'RuntimeError', message: string): PyError {
  return new PyError(type, message, undefined, b.from.get(param));
}

function position(b: Bound, param: string, params?: readonly ParamSpec[]): string {
  const at = params ? params.findIndex((p) => p.name === param) : -1;
  return at >= 0 ? ` (position ${at + 1})` : '';
}

export function typeError(fn: string, b: Bound, param: string, expected: string, got: PyValue): PyError {
  return argError(b, param, 'TypeError', `${fn}(): argument '${param}'${position(b, param)} must be ${expected}, not ${pyTypeForMessage(got)}`);
}

export function pyTypeForMessage(v: PyValue): string {
  return v instanceof HostValue ? v.typeName() : typeName(v);
}

/** An int argument (Python int or bool, or a 0-d integer tensor with a known value). */
export function intArg(fn: string, b: Bound, name: string, dflt?: number): number {
  const v = b.get(name);
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    throw argError(b, name, 'TypeError', `${fn}(): argument '${name}' must be int, not None`);
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const idx = (v as { indexValue?: () => bigint | undefined }).indexValue?.();
  if (idx !== undefined) return Number(idx);
  throw typeError(fn, b, name, 'int', v);
}

export function floatArg(fn: string, b: Bound, name: string, dflt?: number): number {
  const v = b.get(name);
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    throw argError(b, name, 'TypeError', `${fn}(): argument '${name}' must be float, not None`);
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = (v as { scalarValue?: () => PyValue | undefined }).scalarValue?.();
  if (typeof s === 'number' || typeof s === 'bigint') return Number(s);
  throw typeError(fn, b, name, 'float', v);
}

export function boolArg(fn: string, b: Bound, name: string, dflt: boolean): boolean {
  const v = b.get(name);
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  throw typeError(fn, b, name, 'bool', v);
}

/** A list of ints: `(2, 3)`, `[2, 3]`, or varargs ints. */
export function intListArg(fn: string, b: Bound, name: string): number[] | undefined {
  const v = b.get(name);
  if (v === undefined || v === null) return undefined;
  const items = v instanceof PyTuple || v instanceof PyList ? v.items : [v];
  const flat = items.length === 1 && (items[0] instanceof PyTuple || items[0] instanceof PyList) ? (items[0] as PyTuple).items : items;
  return flat.map((x) => {
    if (typeof x === 'bigint') return Number(x);
    if (typeof x === 'boolean') return x ? 1 : 0;
    const idx = (x as { indexValue?: () => bigint | undefined }).indexValue?.();
    if (idx !== undefined) return Number(idx);
    throw argError(b, name, 'TypeError', `${fn}(): argument '${name}' must be tuple of ints, but found element of type ${pyTypeForMessage(x)} at pos ${items.indexOf(x) + 1}`);
  });
}
