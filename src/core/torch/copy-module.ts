/**
 * Python's `copy` module over the values nbcheck has: deepcopy gives tensors (leaves, as PyTorch allows)
 * their own storages, modules and containers copied through, each object once (the memo); copy.copy is
 * one level deep. What nbcheck cannot copy as Python would (optimizers, iterators, tensors by copy.copy)
 * is 'not supported'.
 */
import type { PyValue } from '../python/values';
import {
  HostValue, PyBoundMethod, PyBuiltin, PyClass, PyDict, PyError, PyFunction, PyList, PyModule, PyNamedTuple, PyObject, PySize, PyTuple, Unsupported,
} from '../python/values';
import { Tensor } from './tensor';

/** Values Python copies as themselves (immutable, or functions, classes and modules). */
function atomic(v: PyValue): boolean {
  return v === null || typeof v !== 'object' || v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyClass || v instanceof PyModule || v instanceof PyBoundMethod;
}

function copiedHost(host: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(host)) out[k] = v instanceof Set ? new Set(v) : v;
  return out;
}

function checkCopyable(o: PyObject): void {
  if (o.cls.upstreamNames().some((n) => n.startsWith('torch.optim'))) throw new Unsupported('copying an optimizer');
}

export function deepcopy(v: PyValue, memo = new Map<unknown, PyValue>()): PyValue {
  if (atomic(v)) return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  if (v instanceof Tensor) {
    if (!v.isLeaf) throw new PyError('RuntimeError', 'Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment');
    for (const [k, other] of memo) {
      if (k instanceof Tensor && k !== v && k.storage === v.storage) throw new Unsupported('deepcopy of two tensors sharing a storage (PyTorch keeps them sharing)');
      void other;
    }
    const c = new Tensor(v.ctx.detached(v.node), v.ctx);
    memo.set(v, c);
    c.isParameter = v.isParameter;
    if (v.requiresGrad) c.setRequiresGrad(true);
    // Tensor.__deepcopy__ copies .grad; Parameter.__deepcopy__ does not.
    if (v.grad && !v.isParameter) c.grad = deepcopy(v.grad, memo) as Tensor;
    return c;
  }
  if (v instanceof PyList) {
    const out = new PyList([]);
    memo.set(v, out);
    out.items = v.items.map((x) => deepcopy(x, memo));
    return out;
  }
  if (v instanceof PyTuple) {
    if (v instanceof PyNamedTuple || v instanceof PySize) {
      if (v instanceof PySize) return v;
      throw new Unsupported('deepcopy of a named tuple');
    }
    const out = new PyTuple(v.items.map((x) => deepcopy(x, memo)));
    memo.set(v, out);
    return out;
  }
  if (v instanceof PyDict) {
    const out = new PyDict();
    memo.set(v, out);
    for (const [h, [k, x]] of v.entries) out.entries.set(h, [deepcopy(k, memo), deepcopy(x, memo)]);
    return out;
  }
  if (v instanceof PyObject) {
    checkCopyable(v);
    const out = new PyObject(v.cls);
    memo.set(v, out);
    Object.assign(out.host, copiedHost(v.host));
    for (const [k, x] of v.attrs) out.attrs.set(k, deepcopy(x, memo));
    return out;
  }
  if (v instanceof HostValue && (v.typeName() === 'torch.dtype' || v.typeName() === 'torch.device')) return v;
  throw new Unsupported(`copy.deepcopy of a ${v instanceof HostValue ? v.typeName() : 'value of this kind'}`);
}

export function shallowCopy(v: PyValue): PyValue {
  if (atomic(v)) return v;
  if (v instanceof PyList) return new PyList([...v.items]);
  if (v instanceof PyTuple) return v;
  if (v instanceof PyDict) {
    const out = new PyDict();
    for (const [h, e] of v.entries) out.entries.set(h, [e[0], e[1]]);
    return out;
  }
  if (v instanceof PyObject) {
    checkCopyable(v);
    const out = new PyObject(v.cls);
    Object.assign(out.host, copiedHost(v.host));
    for (const [k, x] of v.attrs) out.attrs.set(k, x);
    return out;
  }
  if (v instanceof HostValue && (v.typeName() === 'torch.dtype' || v.typeName() === 'torch.device')) return v;
  throw new Unsupported(`copy.copy of a ${v instanceof HostValue ? v.typeName() : 'value of this kind'}`);
}

export function copyModule(): PyModule {
  return new PyModule('copy', new Map<string, PyValue>([
    ['deepcopy', new PyBuiltin('deepcopy', (a) => {
      if (a.args.length !== 1 || a.kwargs.size) throw new Unsupported('copy.deepcopy with a memo');
      return deepcopy(a.args[0] as PyValue);
    })],
    ['copy', new PyBuiltin('copy', (a) => {
      if (a.args.length !== 1 || a.kwargs.size) throw new PyError('TypeError', `copy() takes 1 positional argument but ${a.args.length} were given`);
      return shallowCopy(a.args[0] as PyValue);
    })],
  ]));
}
