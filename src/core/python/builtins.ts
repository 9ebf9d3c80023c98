/** Python's builtins and the `math` and `random` modules, as far as the subset goes. */
import { PythonRandom } from '../engine/random';
import { str, repr } from './format';
import type { Interpreter } from './interpreter';
import { equals, hashKey, providedDunder, SuperProxy } from './interpreter';
import { checkBits, combBits, log2Factorial, rangeProduct } from './limits';
import { upstreamGap } from './upstream';
import type { CallArgs, CallSite, PyValue } from './values';
import { HostValue, PyBuiltin, PyClass, PyDict, PyError, PyIterator, PyList, PyModule, PyObject, PyRange, PySlice, PyTuple, Scope, Unsupported, prepareForDisplay, typeName } from './values';

type Fn = (a: CallArgs, site: CallSite) => PyValue | Promise<PyValue>;

function arg(a: CallArgs, i: number, name: string, fn: string): PyValue {
  const v = a.args[i] ?? a.kwargs.get(name);
  if (v === undefined) throw new PyError('TypeError', `${fn}() missing required argument '${name}' (pos ${i + 1})`);
  return v;
}

export function toNumber(v: PyValue, fn: string): number | bigint {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  throw new PyError('TypeError', `${fn}: must be real number, not ${typeName(v)}`);
}

function toFloat(v: PyValue, fn: string): number {
  return Number(toNumber(v, fn));
}

/** A class standing for a builtin type, callable as a converter and usable with isinstance. */
function typeClass(name: string, make: Fn): PyClass {
  return new PyClass(name, [], new Map<string, PyValue>([['__new__', new PyBuiltin(name, make)]]));
}

export const TYPE_TAG = new WeakMap<PyClass, (v: PyValue) => boolean>();

export function makeBuiltins(interp: () => Interpreter, stdout: (line: string) => void): Scope {
  const s = new Scope();
  const def = (name: string, f: Fn): void => {
    s.vars.set(name, new PyBuiltin(name, f));
  };
  const it = (v: PyValue, site: CallSite): Promise<PyValue[]> => interp().iterate(v, site.node);

  const intType = typeClass('int', async (a, site) => {
    const v = a.args[0] ?? 0n;
    if (typeof v === 'string') {
      const t = v.trim().replace(/_/g, '');
      if (!/^[+-]?\d+$/.test(t)) throw new PyError('ValueError', `invalid literal for int() with base 10: ${repr(v)}`);
      return BigInt(t);
    }
    if (v instanceof HostValue) {
      const r = v.convert('int', site);
      if (r) return r;
    }
    const n = toNumber(v, 'int()');
    if (typeof n === 'number') {
      if (!Number.isFinite(n)) throw new PyError(Number.isNaN(n) ? 'ValueError' : 'OverflowError', `cannot convert float ${n} to integer`);
      return BigInt(Math.trunc(n));
    }
    return n;
  });
  const floatType = typeClass('float', async (a, site) => {
    const v = a.args[0] ?? 0;
    if (typeof v === 'string') {
      const t = v.trim().toLowerCase();
      if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
      if (t === '-inf' || t === '-infinity') return -Infinity;
      if (t === 'nan') return NaN;
      const n = Number(t);
      if (t === '' || Number.isNaN(n)) throw new PyError('ValueError', `could not convert string to float: ${repr(v)}`);
      return n;
    }
    if (v instanceof HostValue) {
      const r = v.convert('float', site);
      if (r) return r;
    }
    return toFloat(v, 'float()');
  });
  const boolType = typeClass('bool', async (a, site) => interp().truthy(a.args[0] ?? false, site.node));
  const strType = typeClass('str', async (a) => {
    await prepareForDisplay(a.args[0] ?? null);
    return str(a.args[0] ?? '');
  });
  const listType = typeClass('list', async (a, site) => new PyList(a.args.length ? await it(a.args[0] as PyValue, site) : []));
  const tupleType = typeClass('tuple', async (a, site) => new PyTuple(a.args.length ? await it(a.args[0] as PyValue, site) : []));
  const dictType = typeClass('dict', async (a, site) => {
    const d = new PyDict();
    if (a.args[0] instanceof PyDict) for (const [k, v] of a.args[0].entries) d.entries.set(k, v);
    else if (a.args[0] !== undefined) {
      for (const pair of await it(a.args[0], site)) {
        const [k, v] = await it(pair, site);
        d.entries.set(hashKey(k ?? null, site.node), [k ?? null, v ?? null]);
      }
    }
    for (const [k, v] of a.kwargs) d.entries.set(hashKey(k, site.node), [k, v]);
    return d;
  });
  TYPE_TAG.set(intType, (v) => typeof v === 'bigint' || typeof v === 'boolean');
  TYPE_TAG.set(floatType, (v) => typeof v === 'number');
  TYPE_TAG.set(boolType, (v) => typeof v === 'boolean');
  TYPE_TAG.set(strType, (v) => typeof v === 'string');
  TYPE_TAG.set(listType, (v) => v instanceof PyList);
  TYPE_TAG.set(tupleType, (v) => v instanceof PyTuple);
  TYPE_TAG.set(dictType, (v) => v instanceof PyDict);
  for (const t of [intType, floatType, boolType, strType, listType, tupleType, dictType]) s.vars.set(t.name, t);

  def('repr', async (a) => {
    await prepareForDisplay(a.args[0] ?? null);
    return repr(a.args[0] ?? null);
  });
  def('print', async (a) => {
    for (const v of a.args) await prepareForDisplay(v);
    const sep = a.kwargs.has('sep') ? str(a.kwargs.get('sep') ?? ' ') : ' ';
    const end = a.kwargs.has('end') ? str(a.kwargs.get('end') ?? '\n') : '\n';
    stdout(a.args.map((v) => str(v)).join(sep) + end);
    return null;
  });
  def('len', (a, site) => {
    const v = arg(a, 0, 'obj', 'len');
    if (typeof v === 'string') return BigInt([...v].length);
    if (v instanceof PyList || v instanceof PyTuple) return BigInt(v.items.length);
    if (v instanceof PyDict) return BigInt(v.entries.size);
    if (v instanceof PyRange) return BigInt(v.length);
    if (v instanceof HostValue) {
      const n = v.length();
      if (n !== undefined) return BigInt(n);
    }
    const hook = providedDunder(v, '__len__');
    if (hook) return interp().call(hook, { args: [v], kwargs: new Map() }, site);
    const gap = upstreamGap(v, '__len__');
    if (gap) throw new Unsupported(`len() (${gap})`);
    throw new PyError('TypeError', `object of type '${typeName(v)}' has no len()`);
  });
  def('range', (a) => {
    const ints = a.args.map((v) => {
      if (typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (v instanceof HostValue) {
        const n = (v as { indexValue?: () => bigint | undefined }).indexValue?.();
        if (n !== undefined) return n;
      }
      throw new PyError('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`);
    });
    if (ints.length === 0 || ints.length > 3) throw new PyError('TypeError', `range expected at most 3 arguments, got ${ints.length}`);
    const [start, stop, step] = ints.length === 1 ? [0n, ints[0] as bigint, 1n] : [ints[0] as bigint, ints[1] as bigint, ints[2] ?? 1n];
    if (step === 0n) throw new PyError('ValueError', 'range() arg 3 must not be zero');
    return new PyRange(start, stop, step);
  });
  def('zip', async (a, site) => {
    const lists = await Promise.all(a.args.map((v) => it(v, site)));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    return new PyList(Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => l[i] as PyValue))));
  });
  def('enumerate', async (a, site) => {
    const start = (a.args[1] ?? a.kwargs.get('start') ?? 0n) as bigint;
    return new PyList((await it(arg(a, 0, 'iterable', 'enumerate'), site)).map((v, i) => new PyTuple([BigInt(i) + start, v])));
  });
  def('reversed', async (a, site) => new PyList((await it(arg(a, 0, 'sequence', 'reversed'), site)).reverse()));
  def('iter', async (a, site) => {
    const items = await it(arg(a, 0, 'iterable', 'iter'), site);
    let i = 0;
    return new PyIterator(() => (i < items.length ? { value: items[i++] as PyValue } : undefined));
  });
  def('next', (a) => {
    const v = arg(a, 0, 'iterator', 'next');
    if (!(v instanceof PyIterator)) throw new PyError('TypeError', `'${typeName(v)}' object is not an iterator`);
    const x = v.next();
    if (!x) {
      if (a.args.length > 1) return a.args[1] as PyValue;
      throw new PyError('StopIteration', '');
    }
    return x.value;
  });
  def('map', async (a, site) => {
    const fn = arg(a, 0, 'function', 'map');
    const lists = await Promise.all(a.args.slice(1).map((v) => it(v, site)));
    const n = Math.min(...lists.map((l) => l.length));
    const out: PyValue[] = [];
    for (let i = 0; i < n; i++) out.push(await interp().call(fn, { args: lists.map((l) => l[i] as PyValue), kwargs: new Map() }, site));
    return new PyList(out);
  });
  def('filter', async (a, site) => {
    const fn = arg(a, 0, 'function', 'filter');
    const out: PyValue[] = [];
    for (const v of await it(arg(a, 1, 'iterable', 'filter'), site)) {
      const keep = fn === null ? v : await interp().call(fn, { args: [v], kwargs: new Map() }, site);
      if (await interp().truthy(keep, site.node)) out.push(v);
    }
    return new PyList(out);
  });
  def('sum', async (a, site) => {
    let acc: PyValue = a.args[1] ?? a.kwargs.get('start') ?? 0n;
    for (const v of await it(arg(a, 0, 'iterable', 'sum'), site)) acc = await interp().binary('+', acc, v, site.node);
    return acc;
  });
  const extreme = (name: 'min' | 'max'): Fn => async (a, site) => {
    const items = a.args.length === 1 ? await it(a.args[0] as PyValue, site) : [...a.args];
    const key = a.kwargs.get('key');
    if (!items.length) {
      if (a.kwargs.has('default')) return a.kwargs.get('default') as PyValue;
      throw new PyError('ValueError', `${name}() arg is an empty sequence`);
    }
    let best = items[0] as PyValue;
    let bestKey = key ? await interp().call(key, { args: [best], kwargs: new Map() }, site) : best;
    for (const v of items.slice(1)) {
      const k = key ? await interp().call(key, { args: [v], kwargs: new Map() }, site) : v;
      const cmp = await interp().compare(name === 'min' ? '<' : '>', k, bestKey, site.node);
      if (await interp().truthy(cmp, site.node)) {
        best = v;
        bestKey = k;
      }
    }
    return best;
  };
  def('min', extreme('min'));
  def('max', extreme('max'));
  def('abs', (a, site) => {
    const v = arg(a, 0, 'x', 'abs');
    if (v instanceof HostValue) {
      const f = v.getAttr('abs');
      if (f) return interp().call(f, { args: [], kwargs: new Map() }, site);
    }
    const n = toNumber(v, 'abs()');
    return typeof n === 'bigint' ? (n < 0n ? -n : n) : Math.abs(n);
  });
  def('round', (a) => {
    const v = arg(a, 0, 'number', 'round');
    const nd = a.args[1] ?? a.kwargs.get('ndigits') ?? null;
    const n = toFloat(v, 'round()');
    const roundHalfEven = (x: number): number => {
      const r = Math.round(x);
      return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    };
    if (nd === null) return BigInt(roundHalfEven(n));
    if (typeof nd !== 'bigint') throw new PyError('TypeError', `'${typeName(nd)}' object cannot be interpreted as an integer`);
    if (typeof v === 'bigint') return roundDecimal(v, 1n, Number(nd), true);
    if (!Number.isFinite(n) || n === 0) return n;
    const [num, den] = exactRational(n);
    return roundDecimal(num, den, Number(nd), false);
  });
  def('pow', (a, site) => {
    const mod = a.args[2] ?? a.kwargs.get('mod') ?? null;
    if (mod === null) return interp().binary('**', arg(a, 0, 'base', 'pow'), arg(a, 1, 'exp', 'pow'), site.node);
    const [b, e, m] = [arg(a, 0, 'base', 'pow'), arg(a, 1, 'exp', 'pow'), mod].map((v) => (typeof v === 'boolean' ? (v ? 1n : 0n) : v));
    if (typeof b !== 'bigint' || typeof e !== 'bigint' || typeof m !== 'bigint') throw new PyError('TypeError', 'pow() 3rd argument not allowed unless all arguments are integers');
    if (m === 0n) throw new PyError('ValueError', 'pow() 3rd argument cannot be 0');
    if (e < 0n) throw new Unsupported('pow() with a negative exponent and a modulus');
    // Square and multiply: every number stays below the modulus.
    let [r, x, k] = [1n, ((b % m) + m) % m, e];
    for (; k > 0n; k >>= 1n, x = (x * x) % m) if (k & 1n) r = (r * x) % m;
    const out = r % m;
    return m < 0n && out !== 0n ? out + m : out;
  });
  def('divmod', async (a, site) => new PyTuple([await interp().binary('//', a.args[0] ?? 0n, a.args[1] ?? 1n, site.node), await interp().binary('%', a.args[0] ?? 0n, a.args[1] ?? 1n, site.node)]));
  def('any', async (a, site) => {
    for (const v of await it(arg(a, 0, 'iterable', 'any'), site)) if (await interp().truthy(v, site.node)) return true;
    return false;
  });
  def('all', async (a, site) => {
    for (const v of await it(arg(a, 0, 'iterable', 'all'), site)) if (!(await interp().truthy(v, site.node))) return false;
    return true;
  });
  def('sorted', async (a, site) => {
    const items = await it(arg(a, 0, 'iterable', 'sorted'), site);
    const key = a.kwargs.get('key') ?? null;
    const keys = key ? await Promise.all(items.map((v) => interp().call(key, { args: [v], kwargs: new Map() }, site))) : items;
    const idx = items.map((_, i) => i);
    const cmp = (x: PyValue, y: PyValue): number => {
      const nx = typeof x === 'boolean' ? Number(x) : x;
      const ny = typeof y === 'boolean' ? Number(y) : y;
      if ((typeof nx === 'number' || typeof nx === 'bigint') && (typeof ny === 'number' || typeof ny === 'bigint')) return Number(nx) - Number(ny);
      if (typeof nx === 'string' && typeof ny === 'string') return nx < ny ? -1 : nx > ny ? 1 : 0;
      throw new PyError('TypeError', `'<' not supported between instances of '${typeName(x)}' and '${typeName(y)}'`);
    };
    idx.sort((i, j) => cmp(keys[i] as PyValue, keys[j] as PyValue));
    if (a.kwargs.get('reverse') === true) idx.reverse();
    return new PyList(idx.map((i) => items[i] as PyValue));
  });
  def('isinstance', (a) => {
    const v = arg(a, 0, 'obj', 'isinstance');
    const c = arg(a, 1, 'class_or_tuple', 'isinstance');
    const classes = c instanceof PyTuple ? c.items : [c];
    return classes.some((k) => isInstance(v, k));
  });
  def('hasattr', (a) => interp().getAttr(arg(a, 0, 'obj', 'hasattr'), String(arg(a, 1, 'name', 'hasattr'))) !== undefined);
  def('getattr', (a) => {
    const v = interp().getAttr(arg(a, 0, 'obj', 'getattr'), String(arg(a, 1, 'name', 'getattr')));
    if (v !== undefined) return v;
    if (a.args.length > 2) return a.args[2] as PyValue;
    throw new PyError('AttributeError', `'${typeName(a.args[0] as PyValue)}' object has no attribute '${String(a.args[1])}'`);
  });
  def('setattr', (a) => {
    const o = arg(a, 0, 'obj', 'setattr');
    if (!(o instanceof PyObject)) throw new PyError('AttributeError', `cannot set attributes of '${typeName(o)}'`);
    o.attrs.set(String(arg(a, 1, 'name', 'setattr')), arg(a, 2, 'value', 'setattr'));
    return null;
  });
  def('type', (a) => {
    const v = arg(a, 0, 'object', 'type');
    if (v instanceof PyObject) return v.cls;
    return typeName(v);
  });
  // super(Cls, self): the zero-argument form is the interpreter's (it knows the enclosing class).
  def('super', (a) => {
    const [cls, self] = a.args;
    if (a.args.length !== 2 || a.kwargs.size || !(cls instanceof PyClass) || !(self instanceof PyObject)) throw new Unsupported('super() with these arguments', undefined as never);
    if (!self.cls.isSubclassOf(cls)) throw new PyError('TypeError', 'super(type, obj): obj must be an instance or subtype of type');
    return new SuperProxy(cls, self) as unknown as PyValue;
  });
  def('slice', (a) => (a.args.length === 1 ? new PySlice(null, a.args[0] ?? null, null) : new PySlice(a.args[0] ?? null, a.args[1] ?? null, a.args[2] ?? null)));
  s.vars.set('object', new PyClass('object', [], new Map()));
  return s;
}

export function isInstance(v: PyValue, cls: PyValue): boolean {
  if (!(cls instanceof PyClass)) throw new PyError('TypeError', 'isinstance() arg 2 must be a type or tuple of types');
  const tag = TYPE_TAG.get(cls);
  if (tag) return tag(v);
  if (v instanceof PyObject) return v.cls.isSubclassOf(cls);
  if (v instanceof HostValue) {
    const check = (v as { isInstanceOf?: (c: PyClass) => boolean }).isInstanceOf;
    return check ? check.call(v, cls) : false;
  }
  return false;
}

/** The `math` module. */
export function mathModule(): PyModule {
  const m = new Map<string, PyValue>();
  const f1 = (name: string, fn: (x: number) => number, domain?: (x: number) => boolean): void => {
    m.set(name, new PyBuiltin(name, (a) => {
      const x = toFloat(arg(a, 0, 'x', name), `math.${name}()`);
      if (domain && !domain(x)) throw new PyError('ValueError', 'math domain error');
      return fn(x);
    }));
  };
  m.set('pi', Math.PI);
  m.set('e', Math.E);
  m.set('tau', 2 * Math.PI);
  m.set('inf', Infinity);
  m.set('nan', NaN);
  f1('sqrt', Math.sqrt, (x) => x >= 0);
  f1('exp', Math.exp);
  f1('log2', Math.log2, (x) => x > 0);
  f1('log10', Math.log10, (x) => x > 0);
  f1('log1p', Math.log1p, (x) => x > -1);
  f1('expm1', Math.expm1);
  f1('sin', Math.sin);
  f1('cos', Math.cos);
  f1('tan', Math.tan);
  f1('tanh', Math.tanh);
  f1('sinh', Math.sinh);
  f1('cosh', Math.cosh);
  f1('asin', Math.asin, (x) => x >= -1 && x <= 1);
  f1('acos', Math.acos, (x) => x >= -1 && x <= 1);
  f1('atan', Math.atan);
  f1('fabs', Math.abs);
  f1('degrees', (x) => (x * 180) / Math.PI);
  f1('radians', (x) => (x * Math.PI) / 180);
  f1('erf', erf);
  m.set('log', new PyBuiltin('log', (a) => {
    const x = toFloat(arg(a, 0, 'x', 'log'), 'math.log()');
    if (x <= 0) throw new PyError('ValueError', 'math domain error');
    return a.args[1] === undefined ? Math.log(x) : Math.log(x) / Math.log(toFloat(a.args[1], 'math.log()'));
  }));
  const toInt = (name: string, fn: (x: number) => number): void => {
    m.set(name, new PyBuiltin(name, (a) => {
      const n = toNumber(arg(a, 0, 'x', name), `math.${name}()`);
      return typeof n === 'bigint' ? n : BigInt(fn(n));
    }));
  };
  toInt('floor', Math.floor);
  toInt('ceil', Math.ceil);
  toInt('trunc', Math.trunc);
  m.set('pow', new PyBuiltin('pow', (a) => toFloat(arg(a, 0, 'x', 'pow'), 'math.pow()') ** toFloat(arg(a, 1, 'y', 'pow'), 'math.pow()')));
  m.set('atan2', new PyBuiltin('atan2', (a) => Math.atan2(toFloat(arg(a, 0, 'y', 'atan2'), 'math.atan2()'), toFloat(arg(a, 1, 'x', 'atan2'), 'math.atan2()'))));
  m.set('hypot', new PyBuiltin('hypot', (a) => Math.hypot(...a.args.map((v) => toFloat(v, 'math.hypot()')))));
  m.set('isnan', new PyBuiltin('isnan', (a) => Number.isNaN(toFloat(arg(a, 0, 'x', 'isnan'), 'math.isnan()'))));
  m.set('isinf', new PyBuiltin('isinf', (a) => Math.abs(toFloat(arg(a, 0, 'x', 'isinf'), 'math.isinf()')) === Infinity));
  m.set('isfinite', new PyBuiltin('isfinite', (a) => Number.isFinite(toFloat(arg(a, 0, 'x', 'isfinite'), 'math.isfinite()'))));
  m.set('isclose', new PyBuiltin('isclose', (a) => {
    const x = toFloat(arg(a, 0, 'a', 'isclose'), 'math.isclose()');
    const y = toFloat(arg(a, 1, 'b', 'isclose'), 'math.isclose()');
    const rel = toFloat(a.kwargs.get('rel_tol') ?? 1e-9, 'math.isclose()');
    const abs = toFloat(a.kwargs.get('abs_tol') ?? 0, 'math.isclose()');
    return x === y || Math.abs(x - y) <= Math.max(rel * Math.max(Math.abs(x), Math.abs(y)), abs);
  }));
  const nonNegative = (v: PyValue, name: string, what: string): bigint => {
    const n = toNumber(v, `math.${name}()`);
    if (typeof n !== 'bigint') throw new PyError('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`);
    if (n < 0n) throw new PyError('ValueError', `${what} must be a non-negative integer`);
    return n;
  };
  m.set('factorial', new PyBuiltin('factorial', (a, site) => {
    const v = arg(a, 0, 'n', 'factorial');
    const n = toNumber(v, 'math.factorial()');
    if (typeof n !== 'bigint') throw new PyError('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`);
    if (n < 0n) throw new PyError('ValueError', 'factorial() not defined for negative values');
    checkBits(log2Factorial(Number(n)), site.node);
    return rangeProduct(1n, n);
  }));
  m.set('comb', new PyBuiltin('comb', (a, site) => {
    const n = nonNegative(arg(a, 0, 'n', 'comb'), 'comb', 'n');
    const k = nonNegative(arg(a, 1, 'k', 'comb'), 'comb', 'k');
    if (k > n) return 0n;
    const j = k < n - k ? k : n - k;
    checkBits(combBits(n, j), site.node);
    return rangeProduct(n - j + 1n, n) / rangeProduct(1n, j);
  }));
  m.set('perm', new PyBuiltin('perm', (a, site) => {
    const n = nonNegative(arg(a, 0, 'n', 'perm'), 'perm', 'n');
    const k = a.args.length > 1 || a.kwargs.has('k') ? nonNegative(arg(a, 1, 'k', 'perm'), 'perm', 'k') : n;
    if (k > n) return 0n;
    checkBits(combBits(n, k) + log2Factorial(Number(k)), site.node);
    return rangeProduct(n - k + 1n, n);
  }));
  m.set('prod', new PyBuiltin('prod', (a) => {
    const v = arg(a, 0, 'iterable', 'prod');
    const items = v instanceof PyList || v instanceof PyTuple ? v.items : [];
    let acc: number | bigint = 1n;
    for (const x of items) {
      const n = toNumber(x, 'math.prod()');
      acc = typeof acc === 'bigint' && typeof n === 'bigint' ? acc * n : Number(acc) * Number(n);
    }
    return acc;
  }));
  m.set('fsum', new PyBuiltin('fsum', (a) => {
    const v = arg(a, 0, 'seq', 'fsum');
    const items = v instanceof PyList || v instanceof PyTuple ? v.items : [];
    return items.reduce<number>((s, x) => s + toFloat(x, 'math.fsum()'), 0);
  }));
  return new PyModule('math', m);
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 refined by a series near 0 is not needed for display-level use; use a
  // high-precision continued form via the complementary error function.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y;
}

/** The `random` module (CPython's Mersenne Twister, so seeded programs see the same numbers). */
export function randomModule(interp: () => Interpreter): PyModule {
  const rng = new PythonRandom();
  const m = new Map<string, PyValue>();
  const int = (v: PyValue, fn: string): bigint => {
    const n = toNumber(v, fn);
    if (typeof n !== 'bigint') throw new PyError('TypeError', `'float' object cannot be interpreted as an integer`);
    return n;
  };
  const below = (n: bigint): bigint => {
    if (n > 0xffffffffn) throw new Unsupported('random ranges wider than 2^32', undefined as never);
    return BigInt(rng.randbelow(Number(n)));
  };
  m.set('seed', new PyBuiltin('seed', (a) => {
    const v = a.args[0] ?? null;
    rng.seed(v === null ? BigInt(Date.now()) : int(v, 'random.seed()'));
    return null;
  }));
  m.set('random', new PyBuiltin('random', () => rng.random()));
  m.set('uniform', new PyBuiltin('uniform', (a) => rng.uniform(toFloat(arg(a, 0, 'a', 'uniform'), 'uniform'), toFloat(arg(a, 1, 'b', 'uniform'), 'uniform'))));
  const randrange = (start: bigint, stop: bigint): bigint => {
    if (stop <= start) throw new PyError('ValueError', `empty range for randrange() (${start}, ${stop}, ${stop - start})`);
    return start + below(stop - start);
  };
  m.set('randint', new PyBuiltin('randint', (a) => randrange(int(arg(a, 0, 'a', 'randint'), 'randint'), int(arg(a, 1, 'b', 'randint'), 'randint') + 1n)));
  m.set('randrange', new PyBuiltin('randrange', (a) => (a.args.length === 1 ? randrange(0n, int(a.args[0] as PyValue, 'randrange')) : randrange(int(arg(a, 0, 'start', 'randrange'), 'randrange'), int(arg(a, 1, 'stop', 'randrange'), 'randrange')))));
  m.set('choice', new PyBuiltin('choice', async (a, site) => {
    const items = await interp().iterate(arg(a, 0, 'seq', 'choice'), site.node);
    if (!items.length) throw new PyError('IndexError', 'Cannot choose from an empty sequence');
    return items[Number(below(BigInt(items.length)))] as PyValue;
  }));
  m.set('shuffle', new PyBuiltin('shuffle', (a) => {
    const v = arg(a, 0, 'x', 'shuffle');
    if (!(v instanceof PyList)) throw new PyError('TypeError', `'${typeName(v)}' object does not support item assignment`);
    for (let i = v.items.length - 1; i > 0; i--) {
      const j = Number(below(BigInt(i + 1)));
      [v.items[i], v.items[j]] = [v.items[j] as PyValue, v.items[i] as PyValue];
    }
    return null;
  }));
  return new PyModule('random', m);
}

export { equals };

/** A finite double as an exact fraction num/den (den a power of two). */
function exactRational(x: number): [bigint, bigint] {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  return e >= 0 ? [sign * mant * (1n << BigInt(e)), 1n] : [sign * mant, 1n << BigInt(-e)];
}

/**
 * round(x, ndigits) as CPython: the exact decimal value of x rounded half to even at ndigits (so
 * round(2.675, 2) is 2.67: the double below 2.675), then the nearest double (or an int, for an int x).
 */
function roundDecimal(num: bigint, den: bigint, ndigits: number, asInt: boolean): number | bigint {
  let n = num;
  let d = den;
  if (ndigits >= 0) n *= 10n ** BigInt(ndigits);
  else d *= 10n ** BigInt(-ndigits);
  const negative = n < 0n;
  if (negative) n = -n;
  let q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  if (negative) q = -q;
  if (asInt) return ndigits >= 0 ? num : q * 10n ** BigInt(-ndigits);
  const v = Number(`${q}e${-ndigits}`);
  return v === 0 && negative ? -0 : v;
}
