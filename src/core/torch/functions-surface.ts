/**
 * More of torch's functions: elementwise tests (isnan, ...), flips and rolls, splitting into views (chunk,
 * split, unbind, narrow), stacking (hstack, vstack, tile), sorting and selecting (sort, topk, median,
 * nonzero, bincount), cumulative sums and products, scatters, einsum and torch.linalg.norm. Where a result
 * depends on the values (an order, a count), the values are computed here and the result is a gather of
 * the input (so autograd goes through it as PyTorch's does); what cannot be matched is 'not supported'.
 */
import { isFloat, numel } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import type { CallSite, PyValue } from '../python/values';
import { PyError, PyList, PyTuple } from '../python/values';
import type { Bound } from './args';
import { argError, intArg, intListArg, typeError } from './args';
import type { TorchContext } from './tensor';
import { Tensor, normDim } from './tensor';
import type { Def } from './registry';
import { FUNCTIONS, def, tensorArg } from './registry';
import { selectGeometry, sliceGeometry } from './storage';

const ints = (ctx: TorchContext, shape: readonly number[], values: readonly number[]): IRNode =>
  ctx.data({ dtype: 'int64', shape: [...shape], data: BigInt64Array.from(values, (v) => BigInt(v)) });
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// ---- elementwise tests ----------------------------------------------------------------------------------

def('isnan', 'input', (b, ctx) => {
  const t = tensorArg('isnan', b, 'input');
  if (!isFloat(t.dtype)) return ctx.wrap(ctx.op('Expand', [ctx.scalar(false, 'bool')], { shape: [...t.shape] }));
  return ctx.wrap(ctx.op('Not', [ctx.op('Equal', [t.node, t.node])]));
});
def('isinf', 'input', (b, ctx) => {
  const t = tensorArg('isinf', b, 'input');
  if (!isFloat(t.dtype)) return ctx.wrap(ctx.op('Expand', [ctx.scalar(false, 'bool')], { shape: [...t.shape] }));
  return ctx.wrap(ctx.op('Equal', [ctx.op('Abs', [t.node]), ctx.scalar(Infinity, t.dtype)]));
});
def('isfinite', 'input', (b, ctx) => {
  const t = tensorArg('isfinite', b, 'input');
  if (!isFloat(t.dtype)) return ctx.wrap(ctx.op('Expand', [ctx.scalar(true, 'bool')], { shape: [...t.shape] }));
  // |x| < inf is false for inf and NaN.
  return ctx.wrap(ctx.op('Less', [ctx.op('Abs', [t.node]), ctx.scalar(Infinity, t.dtype)]));
});

// ---- flip, roll -----------------------------------------------------------------------------------------

/** `x` gathered along `axis` at `index` (a static list). */
function gatherAxis(ctx: TorchContext, x: IRNode, axis: number, index: readonly number[]): IRNode {
  return ctx.op('Gather', [x, ints(ctx, [index.length], index)], { axis });
}

def('flip', 'input, *dims', (b, ctx) => {
  const t = tensorArg('flip', b, 'input');
  const dims = (intListArg('flip', b, 'dims') ?? []).map((d) => normDim(d, t.rank, 'dims'));
  const seen = new Set<number>();
  for (const d of dims) {
    if (seen.has(d)) throw new PyError('RuntimeError', `dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  let x = t.node;
  for (const d of dims) if (t.rank) x = gatherAxis(ctx, x, d, range(t.shape[d] as number).reverse());
  return ctx.wrap(x === t.node ? ctx.op('Identity', [x]) : x);
});
def('fliplr', 'input', (b, ctx) => {
  const t = tensorArg('fliplr', b, 'input');
  if (t.rank < 2) throw new PyError('RuntimeError', 'Input must be >= 2-d.');
  return ctx.wrap(gatherAxis(ctx, t.node, 1, range(t.shape[1] as number).reverse()));
});
def('flipud', 'input', (b, ctx) => {
  const t = tensorArg('flipud', b, 'input');
  if (t.rank < 1) throw new PyError('RuntimeError', 'Input must be >= 1-d.');
  return ctx.wrap(gatherAxis(ctx, t.node, 0, range(t.shape[0] as number).reverse()));
});

const mod = (a: number, n: number): number => ((a % n) + n) % n;
def('roll', 'input, shifts, dims?', (b, ctx) => {
  const t = tensorArg('roll', b, 'input');
  const shifts = intListArg('roll', b, 'shifts') ?? [];
  const dims = intListArg('roll', b, 'dims') ?? [];
  if (!dims.length) {
    if (shifts.length !== 1) throw new PyError('RuntimeError', `shifts and dimensions must align. shifts: ${shifts.length}, dims:0`);
    const n = numel(t.shape);
    const flat = ctx.reshape(t.node, [n]);
    const s = shifts[0] as number;
    return ctx.wrap(ctx.reshape(n ? gatherAxis(ctx, flat, 0, range(n).map((i) => mod(i - s, n))) : flat, t.shape));
  }
  if (shifts.length !== dims.length) throw new PyError('RuntimeError', `shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  let x = t.node;
  dims.forEach((raw, k) => {
    const d = normDim(raw, t.rank, 'dims');
    const n = t.shape[d] as number;
    if (n) x = gatherAxis(ctx, x, d, range(n).map((i) => mod(i - (shifts[k] as number), n)));
  });
  return ctx.wrap(x === t.node ? ctx.op('Identity', [x]) : x);
});

// ---- views: narrow, chunk, split, unbind ----------------------------------------------------------------

/** The view of `t` along `d` from `start` (length `len`), as narrow/split/chunk make it. */
function narrowView(ctx: TorchContext, t: Tensor, d: number, start: number, len: number): Tensor {
  return t.view(sliceGeometry(t.geometry, d, start, start + len, 1), (n) => ctx.op('Slice', [n], { starts: [start], ends: [start + len], axes: [d], steps: [1] }));
}

def('narrow', 'input, dim, start, length', (b, ctx) => {
  const t = tensorArg('narrow', b, 'input');
  if (t.rank === 0) throw new PyError('RuntimeError', 'narrow() cannot be applied to a 0-dim tensor.');
  const d = normDim(intArg('narrow', b, 'dim'), t.rank, 'dim');
  const size = t.shape[d] as number;
  let start = intArg('narrow', b, 'start');
  const len = intArg('narrow', b, 'length');
  if (start < -size || start > size) throw argError(b, 'start', 'IndexError', `Dimension out of range (expected to be in range of [${-size}, ${size - 1}], but got ${start})`);
  if (start < 0) start += size;
  if (len < 0) throw new PyError('RuntimeError', 'narrow(): length must be non-negative.');
  if (start > size - len) throw new PyError('RuntimeError', `start (${start}) + length (${len}) exceeds dimension size (${size}).`);
  return narrowView(ctx, t, d, start, len);
});

function pieces(ctx: TorchContext, t: Tensor, d: number, sizes: readonly number[]): PyTuple {
  let at = 0;
  return new PyTuple(sizes.map((s) => {
    const v = narrowView(ctx, t, d, at, s);
    at += s;
    return v;
  }));
}

def('split', 'tensor, split_size_or_sections, dim?', (b, ctx) => {
  const t = tensorArg('split', b, 'tensor');
  if (t.rank === 0) throw new PyError('RuntimeError', 'split expects at least a 1-dimensional tensor');
  const d = normDim(intArg('split', b, 'dim', 0), t.rank, 'dim');
  const size = t.shape[d] as number;
  const v = b.get('split_size_or_sections');
  if (v instanceof PyList || v instanceof PyTuple) {
    const sizes = intListArg('split', b, 'split_size_or_sections') ?? [];
    const total = sizes.reduce((x, y) => x + y, 0);
    if (total !== size) {
      throw new PyError('RuntimeError', `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(', ')}]`);
    }
    return pieces(ctx, t, d, sizes);
  }
  const s = intArg('split', b, 'split_size_or_sections');
  if (s < 0) throw new PyError('RuntimeError', `split expects split_size be non-negative, but got split_size=${s}`);
  if (s === 0 && size !== 0) throw new PyError('RuntimeError', `split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
  const n = s === 0 ? 1 : Math.max(1, Math.ceil(size / s));
  return pieces(ctx, t, d, range(n).map((i) => Math.min(s, size - i * s)));
});
def('chunk', 'input, chunks, dim?', (b, ctx) => {
  const t = tensorArg('chunk', b, 'input');
  if (t.rank === 0) throw new PyError('RuntimeError', 'chunk expects at least a 1-dimensional tensor');
  const chunks = intArg('chunk', b, 'chunks');
  if (chunks <= 0) throw new PyError('RuntimeError', 'chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const d = normDim(intArg('chunk', b, 'dim', 0), t.rank, 'dim');
  const size = t.shape[d] as number;
  const s = Math.ceil(size / chunks);
  if (s === 0) return pieces(ctx, t, d, range(chunks).map(() => 0));
  const n = Math.max(1, Math.ceil(size / s));
  return pieces(ctx, t, d, range(n).map((i) => Math.min(s, size - i * s)));
});
def('unbind', 'input, dim?', (b, ctx) => {
  const t = tensorArg('unbind', b, 'input');
  if (t.rank === 0) throw new PyError('IndexError', 'Dimension specified as 0 but tensor has no dimensions');
  const d = normDim(intArg('unbind', b, 'dim', 0), t.rank, 'dim');
  const shape = t.shape.filter((_, i) => i !== d);
  return new PyTuple(range(t.shape[d] as number).map((i) =>
    t.view(selectGeometry(t.geometry, d, i), (n) => ctx.reshape(ctx.op('Slice', [n], { starts: [i], ends: [i + 1], axes: [d], steps: [1] }), shape))));
});

// ---- stacking -------------------------------------------------------------------------------------------

function tensorItems(fn: string, b: Bound, name: string): Tensor[] {
  const v = b.get(name);
  const items = v instanceof PyList || v instanceof PyTuple ? v.items : undefined;
  if (!items) throw typeError(fn, b, name, 'tuple of Tensors', v ?? null);
  return items.map((x, i) => {
    if (!(x instanceof Tensor)) throw argError(b, name, 'TypeError', `expected Tensor as element ${i} in argument 0, but got ${typeof x === 'number' ? 'float' : typeof x === 'bigint' ? 'int' : 'object'}`);
    return x;
  });
}

/** torch.cat of tensors along `dim` (its checks and errors). */
function cat(ctx: TorchContext, ts: readonly Tensor[], dim: number, site: CallSite): PyValue | Promise<PyValue> {
  const d = FUNCTIONS.get('cat') as Def;
  const values = new Map<string, PyValue>([['tensors', new PyList([...ts])], ['dim', BigInt(dim)]]);
  return d.impl({ values, from: new Map(), get: (k) => values.get(k), has: (k) => values.has(k) }, ctx, site);
}

def('hstack', 'tensors', (b, ctx, site) => {
  const ts = tensorItems('hstack', b, 'tensors').map((t) => (t.rank === 0 ? ctx.wrap(ctx.reshape(t.node, [1])) : t));
  if (!ts.length) throw new PyError('RuntimeError', 'hstack expects a non-empty TensorList');
  return cat(ctx, ts, (ts[0] as Tensor).rank === 1 ? 0 : 1, site);
}, 'function');
def('vstack row_stack', 'tensors', (b, ctx, site) => {
  const ts = tensorItems('vstack', b, 'tensors').map((t) => (t.rank < 2 ? ctx.wrap(ctx.reshape(t.node, [1, numel(t.shape)])) : t));
  if (!ts.length) throw new PyError('RuntimeError', 'vstack expects a non-empty TensorList');
  return cat(ctx, ts, 0, site);
}, 'function');
def('tile', 'input, dims', (b, ctx) => {
  const t = tensorArg('tile', b, 'input');
  const given = intListArg('tile', b, 'dims') ?? [];
  const reps = [...range(Math.max(0, t.rank - given.length)).map(() => 1), ...given];
  for (const r of reps) if (r < 0) throw new PyError('RuntimeError', `Trying to create tensor with negative dimension ${r}: [${reps.join(', ')}]`);
  const x = ctx.reshape(t.node, [...reps.slice(0, reps.length - t.rank).map(() => 1), ...t.shape]);
  return ctx.wrap(ctx.op('Tile', [x], { repeats: reps }));
});

