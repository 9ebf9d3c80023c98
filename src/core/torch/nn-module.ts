/**
 * The module tree as PyTorch's nn.Module keeps it: a module's own parameters and buffers, then its
 * registered children (attributes that are modules; a plain Python list of modules is not registered, as
 * in PyTorch), and what is built on it: named_parameters, named_modules, state_dict / load_state_dict,
 * and the containers Sequential, ModuleList and ModuleDict (indexing, len, iteration).
 */
import type { Interpreter } from '../python/interpreter';
import type { CallArgs, CallSite, PyValue } from '../python/values';
import { PyBuiltin, PyClass, PyDict, PyError, PyList, PyNamedTuple, PyObject, PySlice, PyTuple, Unsupported, typeName } from '../python/values';
import { Tensor, type TorchContext } from './tensor';

let MODULE_CLASS: PyClass | undefined;
export function setModuleClass(cls: PyClass): void {
  MODULE_CLASS = cls;
}
export function isModule(v: PyValue | undefined): v is PyObject {
  return v instanceof PyObject && !!MODULE_CLASS && v.cls.isSubclassOf(MODULE_CLASS);
}

/** Names of a module's buffers (running statistics, register_buffer), in registration order. */
export function buffersOf(o: PyObject): Set<string> {
  let s = o.host.buffers as Set<string> | undefined;
  if (!s) o.host.buffers = s = new Set();
  return s;
}

/** Names of buffers left out of state_dict (register_buffer(persistent=False)). */
function transientOf(o: PyObject): Set<string> {
  let s = o.host.transient as Set<string> | undefined;
  if (!s) o.host.transient = s = new Set();
  return s;
}

export function registerBuffer(o: PyObject, name: string, t: PyValue, persistent = true): void {
  o.attrs.set(name, t);
  buffersOf(o).add(name);
  if (!persistent) transientOf(o).add(name);
}

function ownParameters(o: PyObject): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  for (const [k, v] of o.attrs) if (v instanceof Tensor && v.isParameter) out.push([k, v]);
  return out;
}

function ownBuffers(o: PyObject): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  for (const k of buffersOf(o)) {
    const v = o.attrs.get(k);
    if (v instanceof Tensor) out.push([k, v]);
  }
  return out;
}

/** The registered children, with their names (a module held twice under two names appears twice). */
export function namedChildren(o: PyObject): [string, PyObject][] {
  const out: [string, PyObject][] = [];
  for (const [k, v] of o.attrs) if (isModule(v)) out.push([k, v]);
  return out;
}

/** named_modules(): the module, then its children depth first, each module once. */
export function namedModules(o: PyObject, prefix = ''): [string, PyObject][] {
  const out: [string, PyObject][] = [];
  const seen = new Set<PyObject>();
  const visit = (m: PyObject, p: string): void => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push([p, m]);
    for (const [k, c] of namedChildren(m)) visit(c, p ? `${p}.${k}` : k);
  };
  visit(o, prefix);
  return out;
}

/** named_parameters(): each module's own parameters, module by module, each parameter once. */
export function namedParameters(o: PyObject, recurse = true): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  const seen = new Set<Tensor>();
  for (const [p, m] of recurse ? namedModules(o) : [['', o] as [string, PyObject]]) {
    for (const [k, t] of ownParameters(m)) {
      if (seen.has(t)) continue;
      seen.add(t);
      out.push([p ? `${p}.${k}` : k, t]);
    }
  }
  return out;
}

export function parametersOf(o: PyObject): Tensor[] {
  return namedParameters(o).map(([, t]) => t);
}

/** state_dict's entries: parameters and persistent buffers of the module, then of each child (recursively, not deduplicated, as PyTorch). */
function stateEntries(o: PyObject, prefix = ''): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  for (const [k, t] of ownParameters(o)) out.push([prefix + k, t]);
  const transient = transientOf(o);
  for (const [k, t] of ownBuffers(o)) if (!transient.has(k)) out.push([prefix + k, t]);
  for (const [k, c] of namedChildren(o)) out.push(...stateEntries(c, `${prefix}${k}.`));
  return out;
}

const key = (k: string): string => `s${k}`;
const size = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

/** state_dict(): detached tensors sharing the parameters' storages. */
export function stateDict(o: PyObject, detach: (t: Tensor) => Tensor): PyDict {
  const d = new PyDict();
  for (const [k, t] of stateEntries(o)) d.entries.set(key(k), [k, detach(t)]);
  return d;
}

/** load_state_dict(state_dict, strict=True): values copied into the existing tensors in place, under no_grad. */
export function loadStateDict(ctx: TorchContext, o: PyObject, sd: PyValue, strict: boolean): PyValue {
  if (!(sd instanceof PyDict)) throw new PyError('TypeError', `Expected state_dict to be dict-like, got ${typeName(sd)}.`);
  const expected = stateEntries(o);
  const given = new Map<string, PyValue>();
  for (const [k, v] of sd.entries.values()) {
    if (typeof k !== 'string') throw new Unsupported('a state_dict whose keys are not strings');
    given.set(k, v);
  }
  const errors: string[] = [];
  const missing: string[] = [];
  const copies: [Tensor, Tensor][] = [];
  for (const [k, t] of expected) {
    const v = given.get(k);
    if (v === undefined) {
      missing.push(k);
      continue;
    }
    if (!(v instanceof Tensor)) throw new Unsupported(`load_state_dict with a value that is not a tensor ('${k}')`);
    if (v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
      errors.push(`size mismatch for ${k}: copying a param with shape ${size(v.shape)} from checkpoint, the shape in current model is ${size(t.shape)}.`);
      continue;
    }
    copies.push([t, v]);
  }
  const names = new Set(expected.map(([k]) => k));
  const unexpected = [...given.keys()].filter((k) => !names.has(k));
  if (strict) {
    const quoted = (ks: string[]): string => ks.map((k) => `"${k}"`).join(', ');
    if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${quoted(unexpected)}. `);
    if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${quoted(missing)}. `);
  }
  if (errors.length) throw new PyError('RuntimeError', `Error(s) in loading state_dict for ${o.cls.name}:\n\t${errors.join('\n\t')}`);
  const saved = ctx.gradEnabled;
  ctx.gradEnabled = false;
  try {
    for (const [t, v] of copies) t.write(v.node);
  } finally {
    ctx.gradEnabled = saved;
  }
  return new PyNamedTuple('_IncompatibleKeys', ['missing_keys', 'unexpected_keys'], [new PyList(missing), new PyList(unexpected)]);
}

/** Sequential, ModuleList and ModuleDict over nn.Module. */
export function createContainers(Module: PyClass, interp: () => Interpreter): { Sequential: PyClass; ModuleList: PyClass; ModuleDict: PyClass } {
  const call = (fn: PyValue, args: PyValue[], site: CallSite): Promise<PyValue> => interp().call(fn, { args, kwargs: new Map() }, site);
  const checkModule = (m: PyValue, what: string): PyObject => {
    if (!isModule(m)) throw new PyError('TypeError', `${m instanceof PyObject ? m.cls.name : typeName(m)} is not a Module subclass`);
    void what;
    return m;
  };
  const values = (self: PyObject): PyObject[] => namedChildren(self).map(([, m]) => m);
  const byIndex = (self: PyObject, idx: PyValue): PyObject => {
    const items = values(self);
    if (typeof idx !== 'bigint' && typeof idx !== 'boolean') {
      if (idx instanceof Tensor) throw new Unsupported('indexing a module container with a tensor');
      throw new PyError('TypeError', `'${typeName(idx)}' object cannot be interpreted as an integer`);
    }
    const i = Number(idx);
    if (i < -items.length || i >= items.length) throw new PyError('IndexError', `index ${i} is out of range`);
    return items[(i + items.length) % items.length] as PyObject;
  };
  const sliced = (self: PyObject, s: PySlice): [string, PyObject][] => {
    const entries = namedChildren(self);
    const n = entries.length;
    const int = (v: PyValue, d: number): number => {
      if (v === null) return d;
      if (typeof v !== 'bigint') throw new Unsupported('a slice of a module container with bounds that are not ints');
      return Number(v);
    };
    const step = int(s.step, 1);
    if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    const start = s.start === null ? (step > 0 ? 0 : n - 1) : clamp(int(s.start, 0), step > 0 ? 0 : -1, step > 0 ? n : n - 1);
    const stop = s.stop === null ? (step > 0 ? n : -1) : clamp(int(s.stop, 0), step > 0 ? 0 : -1, step > 0 ? n : n - 1);
    const out: [string, PyObject][] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(entries[i] as [string, PyObject]);
    return out;
  };
  const method = (name: string, f: (self: PyObject, args: PyValue[], site: CallSite, a: CallArgs) => PyValue | Promise<PyValue>): [string, PyBuiltin] =>
    [name, new PyBuiltin(name, (a, site) => {
      const [self, ...rest] = a.args as [PyObject, ...PyValue[]];
      return f(self, rest, site, a);
    })];
  const len: [string, PyBuiltin] = method('__len__', (self) => BigInt(namedChildren(self).length));

  const Sequential: PyClass = new PyClass('Sequential', [Module], new Map<string, PyValue>([
    method('__init__', (self, mods) => {
      if (mods.length === 1 && mods[0] instanceof PyDict) throw new Unsupported('Sequential(OrderedDict(...))');
      mods.forEach((m, i) => self.attrs.set(String(i), checkModule(m, 'Sequential')));
      return null;
    }),
    method('forward', async (self, args, site, a) => {
      // PyTorch's `def forward(self, input)`: called with nothing (`model()`), its TypeError.
      const x = args.length ? args[0] : a.kwargs.get('input');
      if (x === undefined) throw new PyError('TypeError', "Sequential.forward() missing 1 required positional argument: 'input'");
      let v = x;
      for (const m of values(self)) v = await call(m, [v], site);
      return v;
    }),
    len,
    method('__iter__', (self) => new PyList(values(self))),
    method('__getitem__', (self, [idx]) => {
      if (!(idx instanceof PySlice)) return byIndex(self, idx ?? null);
      const out = new PyObject(Sequential);
      out.attrs.set('training', self.attrs.get('training') ?? true);
      for (const [k, m] of sliced(self, idx)) out.attrs.set(k, m);
      return out;
    }),
    method('append', (self, [m]) => (self.attrs.set(String(namedChildren(self).length), checkModule(m ?? null, 'append')), self)),
  ]), undefined, 'torch.nn.Sequential');

  const append = (self: PyObject, m: PyValue): void => {
    self.attrs.set(String(namedChildren(self).length), checkModule(m, 'ModuleList'));
  };
  const ModuleList: PyClass = new PyClass('ModuleList', [Module], new Map<string, PyValue>([
    method('__init__', async (self, [mods], site) => {
      if (mods !== undefined && mods !== null) for (const m of await interp().iterate(mods, site.node)) append(self, m);
      return null;
    }),
    method('append', (self, [m]) => (append(self, m ?? null), self)),
    method('extend', async (self, [mods], site) => {
      for (const m of await interp().iterate(mods ?? null, site.node)) append(self, m);
      return self;
    }),
    len,
    method('__iter__', (self) => new PyList(values(self))),
    method('__getitem__', (self, [idx]) => {
      if (!(idx instanceof PySlice)) return byIndex(self, idx ?? null);
      const out = new PyObject(ModuleList);
      out.attrs.set('training', self.attrs.get('training') ?? true);
      for (const [, m] of sliced(self, idx)) append(out, m);
      return out;
    }),
    method('forward', () => {
      throw new PyError('NotImplementedError', 'Module [ModuleList] is missing the required "forward" function');
    }),
  ]), undefined, 'torch.nn.ModuleList');

  const dictKey = (k: PyValue | undefined): string => {
    if (typeof k !== 'string') throw new Unsupported('a ModuleDict key that is not a string');
    return k;
  };
  const ModuleDict: PyClass = new PyClass('ModuleDict', [Module], new Map<string, PyValue>([
    method('__init__', async (self, [mods], site) => {
      if (mods === undefined || mods === null) return null;
      if (mods instanceof PyDict) {
        for (const [k, m] of mods.entries.values()) self.attrs.set(dictKey(k), checkModule(m, 'ModuleDict'));
        return null;
      }
      for (const pair of await interp().iterate(mods, site.node)) {
        const kv = pair instanceof PyTuple || pair instanceof PyList ? pair.items : [];
        if (kv.length !== 2) throw new Unsupported('ModuleDict from an iterable of items that are not (key, module) pairs');
        self.attrs.set(dictKey(kv[0]), checkModule(kv[1] as PyValue, 'ModuleDict'));
      }
      return null;
    }),
    len,
    method('__iter__', (self) => new PyList(namedChildren(self).map(([k]) => k))),
    method('keys', (self) => new PyList(namedChildren(self).map(([k]) => k))),
    method('values', (self) => new PyList(values(self))),
    method('items', (self) => new PyList(namedChildren(self).map(([k, m]) => new PyTuple([k, m])))),
    method('__getitem__', (self, [k]) => {
      const name = dictKey(k);
      const m = self.attrs.get(name);
      if (!isModule(m)) throw new PyError('KeyError', `'${name}'`);
      return m;
    }),
    method('forward', () => {
      throw new PyError('NotImplementedError', 'Module [ModuleDict] is missing the required "forward" function');
    }),
  ]), undefined, 'torch.nn.ModuleDict');
  return { Sequential, ModuleList, ModuleDict };
}
