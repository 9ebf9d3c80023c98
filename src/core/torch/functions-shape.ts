/** torch's shape functions and indexing (registered with `def`, see registry.ts). */
import { numel } from '../engine/dtype';
import { PyError, PyList, PyTuple, Unsupported } from '../python/values';
import type { Bound } from './args';
import { argError, intArg, intListArg, typeError } from './args';
import type { TorchContext } from './tensor';
import { Tensor, checkIndexValues, normDim, promoteOperands } from './tensor';
import { DTypeValue, def, tensorArg } from './registry';
import type { IRNode } from '../engine/ir';
import { VIEW_SIZE_ERROR, diagonalGeometry, expandGeometry, permuteGeometry, unsqueezeGeometry, viewGeometry } from './storage';

// ---- shapes ---------------------------------------------------------------------------------------------

function inferShape(fn: string, shape: number[], total: number): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new PyError('RuntimeError', 'only one dimension can be inferred');
  for (const d of shape) if (d < -1) throw new PyError('RuntimeError', `invalid shape dimension ${d}`);
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = shape.map((d) => (d === -1 ? (known === 0 ? -1 : total / known) : d));
  if ((unknown && (known === 0 || total % known !== 0)) || (!unknown && known !== total)) {
    throw new PyError('RuntimeError', `shape '[${shape.join(', ')}]' is invalid for input of size ${total}`);
  }
  void fn;
  return out;
}

/**
 * `view`: a view of the same storage when its elements are laid out for the shape (else PyTorch's error);
 * `reshape`: that view when there is one, else a copy.
 */
export function reshaped(ctx: TorchContext, t: Tensor, shape: readonly number[], how: 'view' | 'reshape'): Tensor {
  const g = viewGeometry(t.geometry, shape);
  if (!g) {
    if (how === 'view') throw new PyError('RuntimeError', VIEW_SIZE_ERROR);
    return ctx.wrap(ctx.op('Reshape', [t.node], { shape: [...shape] }));
  }
  return t.view(g, (n) => ctx.op('Reshape', [n], { shape: [...shape] }));
}

def('reshape', 'input, *shape', (b, ctx) => {
  const t = tensorArg('reshape', b, 'input');
  return reshaped(ctx, t, inferShape('reshape', intListArg('reshape', b, 'shape') ?? [], numel(t.shape)), 'reshape');
});
def('view', 'input, *shape', (b, ctx) => {
  const t = tensorArg('view', b, 'input');
  const v = b.get('shape');
  if (v instanceof PyTuple && v.items.length === 1 && v.items[0] instanceof DTypeValue) throw new Unsupported('view(dtype)');
  return reshaped(ctx, t, inferShape('view', intListArg('view', b, 'shape') ?? [], numel(t.shape)), 'view');
}, 'method');
for (const name of ['view_as', 'reshape_as'] as const) {
  def(name, 'input, other', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    const o = tensorArg(name, b, 'other');
    return reshaped(ctx, t, inferShape(name, [...o.shape], numel(t.shape)), name === 'view_as' ? 'view' : 'reshape');
  }, 'method');
}
def('flatten', 'input, start_dim?, end_dim?', (b, ctx) => {
  const t = tensorArg('flatten', b, 'input');
  if (t.rank === 0) return reshaped(ctx, t, [1], 'reshape');
  const s = normDim(intArg('flatten', b, 'start_dim', 0), t.rank, 'start_dim');
  const e = normDim(intArg('flatten', b, 'end_dim', -1), t.rank, 'end_dim');
  if (s > e) throw new PyError('RuntimeError', 'flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return t;
  const shape = [...t.shape.slice(0, s), t.shape.slice(s, e + 1).reduce((x, y) => x * y, 1), ...t.shape.slice(e + 1)];
  return reshaped(ctx, t, shape, 'reshape');
});
def('unsqueeze', 'input, dim', (b, ctx) => {
  const t = tensorArg('unsqueeze', b, 'input');
  const d = intArg('unsqueeze', b, 'dim');
  const r = t.rank + 1;
  if (d < -r || d >= r) throw argError(b, 'dim', 'IndexError', `Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${d})`);
  const dim = d < 0 ? d + r : d;
  const shape = [...t.shape];
  shape.splice(dim, 0, 1);
  return t.view(unsqueezeGeometry(t.geometry, dim), (n) => ctx.op('Reshape', [n], { shape }));
});
def('squeeze', 'input, dim?', (b, ctx) => {
  const t = tensorArg('squeeze', b, 'input');
  let keep: number[];
  if (b.has('dim')) {
    const d = normDim(intArg('squeeze', b, 'dim'), t.rank, 'dim');
    keep = t.shape.map((_, i) => i).filter((i) => !(i === d && t.shape[i] === 1));
  } else keep = t.shape.map((_, i) => i).filter((i) => t.shape[i] !== 1);
  const shape = keep.map((i) => t.shape[i] as number);
  const g = t.geometry;
  return t.view({ offset: g.offset, sizes: shape, strides: keep.map((i) => g.strides[i] as number) }, (n) => ctx.op('Reshape', [n], { shape }));
});
def('transpose swapaxes swapdims', 'input, dim0, dim1', (b, ctx) => {
  const t = tensorArg('transpose', b, 'input');
  if (t.rank === 0) return permuted(ctx, t, []);
  const a = normDim(intArg('transpose', b, 'dim0'), t.rank, 'dim0');
  const c = normDim(intArg('transpose', b, 'dim1'), t.rank, 'dim1');
  const perm = t.shape.map((_, i) => i);
  [perm[a], perm[c]] = [c, a];
  return permuted(ctx, t, perm);
});
def('permute', 'input, *dims', (b, ctx) => {
  const t = tensorArg('permute', b, 'input');
  const dims = intListArg('permute', b, 'dims') ?? [];
  if (dims.length !== t.rank) throw argError(b, 'dims', 'RuntimeError', `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t.rank} is not equal to len(dims) = ${dims.length}`);
  const perm = dims.map((d) => normDim(d, t.rank, 'dims'));
  if (new Set(perm).size !== perm.length) throw new PyError('RuntimeError', 'permute(): duplicate dims are not allowed.');
  return permuted(ctx, t, perm);
});

/** A view with the dimensions in the order `perm` (an identity view for 0-d and 1-d tensors' `t()`). */
export function permuted(ctx: TorchContext, t: Tensor, perm: readonly number[]): Tensor {
  const identity = perm.every((p, i) => p === i);
  return t.view(permuteGeometry(t.geometry, perm), (n) => (identity ? ctx.op('Identity', [n]) : ctx.op('Transpose', [n], { perm: [...perm] })));
}
def('t', 'input', (b, ctx) => {
  const t = tensorArg('t', b, 'input');
  if (t.rank > 2) throw new PyError('RuntimeError', `t() expects a tensor with <= 2 dimensions, but self is ${t.rank}D`);
  return permuted(ctx, t, t.rank < 2 ? t.shape.map((_, i) => i) : [1, 0]);
});
function expandTo(ctx: TorchContext, t: Tensor, sizes: number[]): Tensor {
  if (sizes.length < t.rank) {
    throw new PyError('RuntimeError', `expand(torch.FloatTensor{[${t.shape.join(', ')}]}, size=[${sizes.join(', ')}]): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${t.rank})`);
  }
  const off = sizes.length - t.rank;
  const shape = sizes.map((s, i) => {
    const cur = i >= off ? (t.shape[i - off] as number) : 1;
    if (s === -1) {
      if (i < off) throw new PyError('RuntimeError', `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      return cur;
    }
    if (cur !== 1 && cur !== s) {
      throw new PyError('RuntimeError', `The expanded size of the tensor (${s}) must match the existing size (${cur}) at non-singleton dimension ${i}.  Target sizes: [${sizes.join(', ')}].  Tensor sizes: [${t.shape.join(', ')}]`);
    }
    return s;
  });
  return t.view(expandGeometry(t.geometry, shape), (n) => ctx.op('Expand', [n], { shape }));
}
def('expand', 'input, *size', (b, ctx) => expandTo(ctx, tensorArg('expand', b, 'input'), intListArg('expand', b, 'size') ?? []), 'method');
def('expand_as', 'input, other', (b, ctx) => expandTo(ctx, tensorArg('expand_as', b, 'input'), [...tensorArg('expand_as', b, 'other').shape]), 'method');
def('repeat', 'input, *repeats', (b, ctx) => {
  const t = tensorArg('repeat', b, 'input');
  const reps = intListArg('repeat', b, 'repeats') ?? [];
  if (reps.length < t.rank) throw new PyError('RuntimeError', 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const x = ctx.reshape(t.node, [...reps.slice(0, reps.length - t.rank).map(() => 1), ...t.shape]);
  return ctx.wrap(ctx.op('Tile', [x], { repeats: reps }));
}, 'method');

function tensorList(fn: string, b: Bound, name: string): Tensor[] {
  const v = b.get(name);
  const items = v instanceof PyList || v instanceof PyTuple ? v.items : undefined;
  if (!items) throw typeError(fn, b, name, 'tuple of Tensors', v ?? null);
  return items.map((x, i) => {
    if (!(x instanceof Tensor)) throw argError(b, name, 'TypeError', `expected Tensor as element ${i} in argument 0, but got ${x === null ? 'NoneType' : typeof x === 'bigint' ? 'int' : typeof x === 'number' ? 'float' : 'object'}`);
    return x;
  });
}

def('cat concat concatenate', 'tensors, dim?', (b, ctx) => {
  const ts = tensorList('cat', b, 'tensors');
  if (!ts.length) throw new PyError('RuntimeError', 'torch.cat(): expected a non-empty list of Tensors');
  const parts = ts.filter((t) => !(t.rank === 1 && t.shape[0] === 0));
  const ref = parts[0] ?? (ts[0] as Tensor);
  if (ref.rank === 0) throw new PyError('RuntimeError', 'zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = normDim(intArg('cat', b, 'dim', 0), ref.rank, 'dim');
  const dt = promoteOperands(...(parts.length ? parts : ts));
  parts.forEach((t, k) => {
    if (t.rank !== ref.rank) throw new PyError('RuntimeError', `Tensors must have same number of dimensions: got ${ref.rank} and ${t.rank}`);
    t.shape.forEach((s, i) => {
      if (i !== d && s !== ref.shape[i]) throw new PyError('RuntimeError', `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[i]} but got size ${s} for tensor number ${k} in the list.`);
    });
  });
  if (parts.length <= 1) return ctx.wrap(ctx.op('Identity', [ctx.cast(ref.node, dt)]));
  return ctx.wrap(ctx.op('Concat', parts.map((t) => ctx.cast(t.node, dt)), { axis: d }));
}, 'function');
def('stack', 'tensors, dim?', (b, ctx) => {
  const ts = tensorList('stack', b, 'tensors');
  if (!ts.length) throw new PyError('RuntimeError', 'stack expects a non-empty TensorList');
  const ref = ts[0] as Tensor;
  ts.forEach((t, k) => {
    if (t.rank !== ref.rank || t.shape.some((s, i) => s !== ref.shape[i])) {
      throw new PyError('RuntimeError', `stack expects each tensor to be equal size, but got [${ref.shape.join(', ')}] at entry 0 and [${t.shape.join(', ')}] at entry ${k}`);
    }
  });
  const r = ref.rank + 1;
  const raw = intArg('stack', b, 'dim', 0);
  if (raw < -r || raw >= r) throw argError(b, 'dim', 'IndexError', `Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${raw})`);
  const d = raw < 0 ? raw + r : raw;
  const dt = promoteOperands(...ts);
  const shape = [...ref.shape];
  shape.splice(d, 0, 1);
  const parts = ts.map((t) => ctx.reshape(ctx.cast(t.node, dt), shape));
  return ctx.wrap(parts.length === 1 ? ctx.op('Identity', parts) : ctx.op('Concat', parts, { axis: d }));
}, 'function');
def('diag', 'input, diagonal?', (b, ctx) => {
  const t = tensorArg('diag', b, 'input');
  const k = intArg('diag', b, 'diagonal', 0);
  if (t.rank === 1) {
    const n = (t.shape[0] as number) + Math.abs(k);
    const eye = new Uint8Array(n * n);
    for (let i = 0; i < (t.shape[0] as number); i++) eye[(k >= 0 ? i : i - k) * n + (k >= 0 ? i + k : i)] = 1;
    const mask = ctx.data({ dtype: 'bool', shape: [n, n], data: eye });
    // M[i, j] = v[j - k] (k >= 0) or v[j] (k < 0) where j - i == k, else 0.
    const last = (t.shape[0] as number) - 1;
    const idx = Array.from({ length: n }, (_, j) => Math.min(Math.max(k >= 0 ? j - k : j, 0), last));
    const w = ctx.op('Gather', [t.node, ctx.data({ dtype: 'int64', shape: [n], data: BigInt64Array.from(idx, BigInt) })], { axis: 0 });
    return ctx.wrap(ctx.op('Where', [mask, ctx.reshape(w, [1, n]), ctx.scalar(0, t.dtype)]));
  }
  if (t.rank === 2) return ctx.wrap(diagonalOf(ctx, t.node, k, 0, 1));
  throw new PyError('RuntimeError', 'matrix or a vector expected');
});
function diagonalOf(ctx: TorchContext, t: IRNode, offset: number, d1: number, d2: number): IRNode {
  const rows = t.shape[d1] as number;
  const cols = t.shape[d2] as number;
  const n = Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
  const rest = t.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const moved = ctx.op('Transpose', [t], { perm: [...rest, d1, d2] });
  const lead = rest.map((i) => t.shape[i] as number);
  const flat = ctx.reshape(moved, [...lead, rows * cols]);
  const idx = Array.from({ length: n }, (_, i) => (offset >= 0 ? i * cols + i + offset : (i - offset) * cols + i));
  return ctx.op('Gather', [flat, ctx.data({ dtype: 'int64', shape: [n], data: BigInt64Array.from(idx, BigInt) })], { axis: lead.length });
}
def('diagonal', 'input, offset?, dim1?, dim2?', (b, ctx) => {
  const t = tensorArg('diagonal', b, 'input');
  if (t.rank < 2) throw new PyError('RuntimeError', `diagonal dimensions requested must be distinct`);
  const d1 = normDim(intArg('diagonal', b, 'dim1', 0), t.rank, 'dim1');
  const d2 = normDim(intArg('diagonal', b, 'dim2', 1), t.rank, 'dim2');
  if (d1 === d2) throw new PyError('RuntimeError', `diagonal dimensions cannot be identical ${d1}, ${d2}`);
  const offset = intArg('diagonal', b, 'offset', 0);
  return t.view(diagonalGeometry(t.geometry, offset, d1, d2), (n) => diagonalOf(ctx, n, offset, d1, d2));
});

// ---- indexing -------------------------------------------------------------------------------------------

def('index_select', 'input, dim, index', (b, ctx) => {
  const t = tensorArg('index_select', b, 'input');
  const d = normDim(intArg('index_select', b, 'dim'), t.rank, 'dim');
  const idx = tensorArg('index_select', b, 'index');
  if (idx.rank > 1) throw argError(b, 'index', 'IndexError', 'index_select(): Index is supposed to be a vector');
  if (idx.dtype !== 'int64') throw argError(b, 'index', 'RuntimeError', 'index_select(): Expected dtype int32 or int64 for index');
  const size = t.rank ? (t.shape[d] as number) : 1;
  checkIndexValues(idx, size, d, () => 'index out of range in self');
  const index = idx.rank === 0 ? ctx.reshape(idx.node, [1]) : idx.node;
  const x = t.rank ? t.node : ctx.reshape(t.node, [1]);
  const r = ctx.op('Gather', [x, index], { axis: d });
  return ctx.wrap(t.rank ? r : ctx.reshape(r, []));
});
def('gather', 'input, dim, index, *, sparse_grad?', (b, ctx) => {
  const t = tensorArg('gather', b, 'input');
  const d = normDim(intArg('gather', b, 'dim'), t.rank, 'dim');
  const idx = tensorArg('gather', b, 'index');
  if (idx.dtype !== 'int64') throw argError(b, 'index', 'RuntimeError', 'gather(): Expected dtype int64 for index');
  if (idx.rank !== t.rank && !(idx.rank <= 1 && t.rank <= 1)) throw argError(b, 'index', 'RuntimeError', 'Index tensor must have the same number of dimensions as input tensor');
  idx.shape.forEach((s, i) => {
    if (i !== d && s > (t.shape[i] as number)) {
      throw argError(b, 'index', 'RuntimeError', `Size does not match at dimension ${i} expected index [${idx.shape.join(', ')}] to be smaller than self [${t.shape.join(', ')}] apart from dimension ${d}`);
    }
  });
  checkIndexValues(idx, t.shape[d] as number, d, (v) => `index ${v} is out of bounds for dimension ${d} with size ${t.shape[d]}`, 'RuntimeError');
  // GatherElements needs index dims equal to the data's off the gather axis: narrow the data first.
  const starts = t.shape.map(() => 0);
  const ends = t.shape.map((s, i) => (i === d ? s : (idx.shape[i] as number)));
  const narrowed = ends.some((e, i) => e !== t.shape[i]) ? ctx.op('Slice', [t.node], { starts, ends, axes: t.shape.map((_, i) => i), steps: t.shape.map(() => 1) }) : t.node;
  return ctx.wrap(ctx.op('GatherElements', [narrowed, idx.node], { axis: d }));
});
def('take_along_dim', 'input, indices, dim', (b, ctx) => {
  const t = tensorArg('take_along_dim', b, 'input');
  const idx = tensorArg('take_along_dim', b, 'indices');
  const d = normDim(intArg('take_along_dim', b, 'dim'), t.rank, 'dim');
  return ctx.wrap(ctx.op('GatherElements', [t.node, idx.node], { axis: d }));
});
