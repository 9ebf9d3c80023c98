/**
 * More of torch's functions: elementwise tests (isnan, ...), flips and rolls, splitting into views (chunk,
 * split, unbind, narrow), stacking (hstack, vstack, tile), sorting and selecting (sort, topk, median,
 * nonzero, bincount), cumulative sums and products, scatters, einsum and torch.linalg.norm. Where a result
 * depends on the values (an order, a count), the values are computed here and the result is a gather of
 * the input (so autograd goes through it as PyTorch's does); what cannot be matched is 'not supported'.
 */
import type { DType, TensorData } from '../engine/dtype';
import { SCALAR_NAME, allocate, isFloat, numel, storageFrom } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import { broadcastShapes } from '../engine/ir';
import { cumprodOf } from '../engine/autodiff';
import type { CallSite, PyValue } from '../python/values';
import { PyError, PyList, PyNamedTuple, PyTuple, Unsupported } from '../python/values';
import type { Bound } from './args';
import { argError, boolArg, intArg, intListArg, signature, typeError } from './args';
import type { TorchContext } from './tensor';
import { Tensor, normDim, promoteOperands } from './tensor';
import type { Def, Impl } from './registry';
import { FUNCTIONS, def, dtypeArg, tensorArg } from './registry';
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

def('select', 'input, dim, index', (b, ctx) => {
  const t = tensorArg('select', b, 'input');
  if (t.rank === 0) throw new PyError('IndexError', 'select() cannot be applied to a 0-dim tensor.');
  const d = normDim(intArg('select', b, 'dim'), t.rank, 'dim');
  const size = t.shape[d] as number;
  let i = intArg('select', b, 'index');
  if (i < -size || i >= size) throw new PyError('IndexError', `select(): index ${i} out of range for tensor of size [${t.shape.join(', ')}] at dimension ${d}`);
  if (i < 0) i += size;
  const shape = t.shape.filter((_, k) => k !== d);
  const at = i;
  return t.view(selectGeometry(t.geometry, d, at), (n) => ctx.reshape(ctx.op('Slice', [n], { starts: [at], ends: [at + 1], axes: [d], steps: [1] }), shape));
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
def('tile', 'input, *dims', (b, ctx) => {
  const t = tensorArg('tile', b, 'input');
  const given = intListArg('tile', b, 'dims') ?? [];
  const reps = [...range(Math.max(0, t.rank - given.length)).map(() => 1), ...given];
  for (const r of reps) if (r < 0) throw new PyError('RuntimeError', `Trying to create tensor with negative dimension ${r}: [${reps.join(', ')}]`);
  const x = ctx.reshape(t.node, [...reps.slice(0, reps.length - t.rank).map(() => 1), ...t.shape]);
  return ctx.wrap(ctx.op('Tile', [x], { repeats: reps }));
});


// ---- sorting and selecting ------------------------------------------------------------------------------

/** A number of a realised tensor's element (NaN stays NaN). */
function numAt(d: TensorData, i: number): number {
  const v = d.data[i] as number | bigint | boolean;
  return typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** The rows of `d` along `dim`: for each, the flat positions of its elements in order. */
function rowsAlong(shape: readonly number[], dim: number): number[][] {
  const size = shape[dim] as number;
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const rows: number[][] = [];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) rows.push(range(size).map((k) => (o * size + k) * inner + i));
  return rows;
}

/** PyTorch's order of values: NaN above everything. */
const ascending = (a: number, b: number): number => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a < b ? -1 : a > b ? 1 : 0);

/**
 * For each row along `dim`, the positions (0..size-1) of its elements in sorted order (a stable sort).
 * `ties`: what to do where equal values would make PyTorch's unstable order matter.
 */
function sortedPositions(d: TensorData, dim: number, descending: boolean, onTie?: (row: number[], values: number[]) => void): number[][] {
  const shape = d.shape.length ? d.shape : [1];
  return rowsAlong(shape, dim).map((row) => {
    const values = row.map((p) => numAt(d, p));
    const order = range(row.length).sort((i, j) => (descending ? ascending(values[j] as number, values[i] as number) : ascending(values[i] as number, values[j] as number)) || i - j);
    onTie?.(order, order.map((i) => values[i] as number));
    return order;
  });
}

const hasTie = (sorted: readonly number[], upto = sorted.length): boolean => {
  for (let k = 1; k < Math.min(upto, sorted.length); k++) if (ascending(sorted[k - 1] as number, sorted[k] as number) === 0) return true;
  return false;
};

/** The positions along `dim` (one row of `k` per row of `d`) as an index tensor of `d`'s shape with `dim` of size k. */
function indexNode(ctx: TorchContext, shape: readonly number[], dim: number, rows: readonly number[][], k: number): IRNode {
  const out = [...shape];
  if (out.length) out[dim] = k;
  const flat = new Array<number>(numel(out));
  const targets = rowsAlong(out.length ? out : [1], dim);
  targets.forEach((row, r) => row.forEach((p, j) => (flat[p] = (rows[r] as number[])[j] as number)));
  return ints(ctx, out, flat);
}

function valuesIndices(fn: string, values: PyValue, indices: PyValue): PyTuple {
  return new PyNamedTuple(`torch.return_types.${fn}`, ['values', 'indices'], [values, indices]);
}

/** Sorted (or top-k) values and their indices, the values a gather of `t` (autograd scatters back). */
function selected(ctx: TorchContext, t: Tensor, dim: number, rows: readonly number[][], k: number): [Tensor, Tensor] {
  if (t.rank === 0) return [ctx.wrap(ctx.op('Identity', [t.node])), ctx.wrap(ctx.scalar(0n, 'int64'))];
  const idx = indexNode(ctx, t.shape, dim, rows, k);
  return [ctx.wrap(ctx.op('GatherElements', [t.node, idx], { axis: dim })), ctx.wrap(idx)];
}

const TIES = (fn: string): Unsupported => new Unsupported(`${fn} of equal values (the order PyTorch gives equal elements is its algorithm's own; stable=True is supported for sort)`);

async function sortImpl(fn: 'sort' | 'argsort', b: Bound, ctx: TorchContext): Promise<[Tensor, Tensor]> {
  const t = tensorArg(fn, b, 'input');
  const dim = normDim(intArg(fn, b, 'dim', -1), t.rank, 'dim');
  const descending = boolArg(fn, b, 'descending', false);
  const stable = boolArg(fn, b, 'stable', false);
  const d = await ctx.realize(t.node);
  const rows = sortedPositions(d, dim, descending, stable ? undefined : (_o, v) => {
    if (hasTie(v)) throw TIES(fn);
  });
  if (stable && fn === 'sort') ctx.meta = { ...ctx.meta, api: 'sort.stable' };
  return selected(ctx, t, dim, rows, t.rank ? (t.shape[dim] as number) : 1);
}
def('sort', 'input, dim?, descending?, *, stable?', async (b, ctx) => valuesIndices('sort', ...(await sortImpl('sort', b, ctx))));
def('argsort', 'input, dim?, descending?, *, stable?', async (b, ctx) => (await sortImpl('argsort', b, ctx))[1]);
def('topk', 'input, k, dim?, largest?, sorted?', async (b, ctx) => {
  const t = tensorArg('topk', b, 'input');
  const k = intArg('topk', b, 'k');
  const dim = normDim(intArg('topk', b, 'dim', -1), t.rank, 'dim');
  const size = t.rank ? (t.shape[dim] as number) : 1;
  if (k < 0 || k > size) throw new PyError('RuntimeError', 'selected index k out of range');
  if (!boolArg('topk', b, 'sorted', true) && k > 1) throw new Unsupported('topk(sorted=False) (the order of its result is PyTorch\'s algorithm\'s own)');
  const largest = boolArg('topk', b, 'largest', true);
  const d = await ctx.realize(t.node);
  const rows = sortedPositions(d, dim, largest, (_o, v) => {
    if (hasTie(v, k + 1)) throw TIES('topk');
  }).map((r) => r.slice(0, k));
  return valuesIndices('topk', ...selected(ctx, t, dim, rows, k));
});
def('median', 'input, dim?, keepdim?', async (b, ctx) => {
  const t = tensorArg('median', b, 'input');
  const d = await ctx.realize(t.node);
  const hasNaN = Array.from(d.data as ArrayLike<unknown>, (v) => Number.isNaN(v)).some((x) => x);
  if (hasNaN) throw new Unsupported('median of a tensor holding NaN');
  if (!b.has('dim') || b.get('dim') === null) {
    const n = numel(t.shape);
    if (n === 0) return ctx.wrap(ctx.scalar(NaN, t.dtype));
    const flat = ctx.reshape(t.node, [n]);
    const [order] = sortedPositions({ ...d, shape: [n] }, 0, false);
    const at = (order as number[])[Math.floor((n - 1) / 2)] as number;
    const value = numAt(d, at);
    if (!isFloat(t.dtype)) return ctx.wrap(ctx.reshape(gatherAxis(ctx, flat, 0, [at]), []));
    if (value === -Infinity) throw new Unsupported('median of a tensor whose median is -inf');
    // The gradient goes evenly to every element equal to the median (PyTorch's evenly_distribute_backward).
    const mask = ctx.data({ dtype: 'bool', shape: [n], data: Uint8Array.from(range(n), (i) => (numAt(d, i) === value ? 1 : 0)) });
    return ctx.wrap(ctx.op('ReduceMax', [ctx.op('Where', [mask, flat, ctx.scalar(-Infinity, t.dtype)])], { axes: [0], keepdims: false }));
  }
  const dim = normDim(intArg('median', b, 'dim'), t.rank, 'dim');
  const keep = boolArg('median', b, 'keepdim', false);
  const size = t.rank ? (t.shape[dim] as number) : 1;
  if (size === 0) throw new PyError('IndexError', `median(): Expected reduction dim ${dim} to have non-zero size.`);
  const m = Math.floor((size - 1) / 2);
  const rows = sortedPositions(d, dim, false, (_o, v) => {
    if (v.filter((x) => x === v[m]).length > 1) throw new Unsupported('median along a dim of equal values (which index PyTorch returns is its algorithm\'s own)');
  }).map((r) => [r[m] as number]);
  const [values, indices] = selected(ctx, t, dim, rows, 1);
  if (keep || t.rank === 0) return valuesIndices('median', values, indices);
  const shape = t.shape.filter((_, i) => i !== dim);
  return valuesIndices('median', ctx.wrap(ctx.reshape(values.node, shape)), ctx.wrap(ctx.reshape(indices.node, shape)));
});

/** The row-major positions of the nonzero elements, as [n, rank] coordinates. */
async function nonzeroOf(ctx: TorchContext, t: Tensor): Promise<number[][]> {
  const d = await ctx.realize(t.node);
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, c) => a * c, 1));
  const out: number[][] = [];
  for (let p = 0; p < d.data.length; p++) {
    const v = numAt(d, p);
    if (v !== 0) out.push(strides.map((s, i) => Math.floor(p / s) % (t.shape[i] as number)));
  }
  return out;
}
def('nonzero', 'input, *, as_tuple?', async (b, ctx) => {
  const t = tensorArg('nonzero', b, 'input');
  const coords = await nonzeroOf(ctx, t);
  if (boolArg('nonzero', b, 'as_tuple', false)) {
    if (t.rank === 0) return new PyTuple([ints(ctx, [coords.length], coords.map(() => 0))].map((n) => ctx.wrap(n)));
    return new PyTuple(t.shape.map((_, i) => ctx.wrap(ints(ctx, [coords.length], coords.map((c) => c[i] as number)))));
  }
  return ctx.wrap(ints(ctx, [coords.length, t.rank], coords.flat()));
});
def('argwhere', 'input', async (b, ctx) => {
  const t = tensorArg('argwhere', b, 'input');
  const coords = await nonzeroOf(ctx, t);
  return ctx.wrap(ints(ctx, [coords.length, t.rank], coords.flat()));
});

/** torch.where(condition): the indices of its nonzero elements, one tensor per dimension. */
export async function whereOne(ctx: TorchContext, c: Tensor): Promise<PyTuple> {
  const coords = await nonzeroOf(ctx, c);
  if (c.rank === 0) return new PyTuple([ctx.wrap(ints(ctx, [coords.length], coords.map(() => 0)))]);
  return new PyTuple(c.shape.map((_, i) => ctx.wrap(ints(ctx, [coords.length], coords.map((x) => x[i] as number)))));
}

def('bincount', 'input, weights?, minlength?', async (b, ctx) => {
  const t = tensorArg('bincount', b, 'input');
  const minlength = intArg('bincount', b, 'minlength', 0);
  if (t.dtype !== 'int64') throw new PyError('RuntimeError', `"bincount_cpu" not implemented for '${SCALAR_NAME[t.dtype]}'`);
  if (minlength < 0) throw new PyError('RuntimeError', 'minlength should be >= 0');
  const w = b.get('weights') ?? null;
  if (w !== null && !(w instanceof Tensor)) throw typeError('bincount', b, 'weights', 'Tensor', w);
  if (t.rank !== 1) throw new PyError('RuntimeError', 'bincount only supports 1-d non-negative integral inputs.');
  if (w && (w.rank !== 1 || w.shape[0] !== t.shape[0])) throw new PyError('RuntimeError', 'weights should be 1-d and have the same length as input');
  if (w?.requiresGrad) throw new Unsupported('bincount with weights that require grad');
  const [d, wd] = await ctx.realizeAll(w ? [t.node, w.node] : [t.node]);
  const values = Array.from(d?.data as BigInt64Array, Number);
  if (values.some((v) => v < 0)) throw new PyError('RuntimeError', 'bincount only supports 1-d non-negative integral inputs.');
  const n = Math.max(minlength, values.length ? Math.max(...values) + 1 : 0);
  if (!w) {
    const counts = new Array<number>(n).fill(0);
    for (const v of values) counts[v] = (counts[v] as number) + 1;
    return ctx.wrap(ints(ctx, [n], counts));
  }
  // float32 weights sum in float32, any other in float64 (as PyTorch's kernel).
  const dt: DType = w.dtype === 'float32' ? 'float32' : 'float64';
  const out = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
  values.forEach((v, i) => (out[v] = (out[v] as number) + numAt(wd as TensorData, i)));
  return ctx.wrap(ctx.data({ dtype: dt, shape: [n], data: out }));
});

// ---- cumulative sums and products -----------------------------------------------------------------------

for (const name of ['cumsum', 'cumprod'] as const) {
  def(name, 'input, dim, *, dtype?', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    const dim = normDim(intArg(name, b, 'dim'), t.rank, 'dim');
    const dt = dtypeArg(b) ?? (isFloat(t.dtype) ? t.dtype : 'int64');
    const x = ctx.reshape(ctx.cast(t.node, dt), t.rank ? t.shape : [1]);
    let r: IRNode;
    if (name === 'cumprod') r = cumprodOf((o, i, a) => ctx.op(o, i, a), x, dim);
    else if (dt === 'float32') r = ctx.cast(ctx.op('CumSum', [ctx.cast(x, 'float64')], { axis: dim, reverse: false }), 'float32');
    else r = ctx.op('CumSum', [x], { axis: dim, reverse: false });
    return ctx.wrap(ctx.reshape(r, t.shape));
  });
}

// ---- scatter, scatter_add, index_add --------------------------------------------------------------------

/** PyTorch's checks of a scatter's index (and src); the index's values, realised. */
async function scatterIndex(fn: string, ctx: TorchContext, t: Tensor, dim: number, idx: Tensor, src?: Tensor): Promise<TensorData> {
  if (idx.dtype !== 'int64') throw new PyError('RuntimeError', `${fn}(): Expected dtype int64 for index`);
  if (src && src.dtype !== t.dtype) throw new PyError('RuntimeError', `${fn}(): Expected self.dtype to be equal to src.dtype`);
  if (idx.rank !== t.rank && !(idx.rank <= 1 && t.rank <= 1)) throw new PyError('RuntimeError', 'Index tensor must have the same number of dimensions as self tensor');
  const selfShape = t.rank ? t.shape : [1];
  const idxShape = idx.rank ? idx.shape : [1];
  const srcShape = src ? (src.rank ? src.shape : [1]) : undefined;
  const bad = idxShape.some((s, i) => i !== dim && s > (selfShape[i] as number));
  const badSrc = srcShape && idxShape.some((s, i) => s > (srcShape[i] as number));
  if (bad || badSrc) {
    throw new PyError('RuntimeError', `Expected index [${idx.shape.join(', ')}] to be smaller than self [${t.shape.join(', ')}] apart from dimension ${dim}${srcShape ? ` and to be smaller size than src [${src?.shape.join(', ')}]` : ''}`);
  }
  const d = await ctx.realize(idx.node);
  const size = selfShape[dim] as number;
  for (let i = 0; i < d.data.length; i++) {
    const v = numAt(d, i);
    if (v < -size || v >= size) throw new PyError('RuntimeError', `index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
  return d;
}

/** `src` cut to the index's shape (ScatterElements takes updates of the index's shape). */
function cutTo(ctx: TorchContext, src: IRNode, shape: readonly number[]): IRNode {
  if (src.shape.every((s, i) => s === shape[i])) return src;
  return ctx.op('Slice', [src], { starts: shape.map(() => 0), ends: [...shape], axes: shape.map((_, i) => i), steps: shape.map(() => 1) });
}

def('scatter', 'input, dim, index, src?, *, value?, reduce?', async (b, ctx) => {
  const t = tensorArg('scatter', b, 'input');
  const dim = normDim(intArg('scatter', b, 'dim'), t.rank, 'dim');
  const idx = tensorArg('scatter', b, 'index');
  if (b.has('reduce') && b.get('reduce') !== null) throw new Unsupported('scatter(reduce=...)');
  const v = b.has('src') ? b.get('src') : b.get('value');
  const src = v instanceof Tensor ? v : undefined;
  const d = await scatterIndex('scatter', ctx, t, dim, idx, src);
  const x = t.rank ? t.node : ctx.reshape(t.node, [1]);
  const index = idx.rank ? idx.node : ctx.reshape(idx.node, [1]);
  // Two updates of one position: which one PyTorch keeps is its kernel's order.
  const shape = index.shape;
  const seen = new Set<number>();
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, c) => a * c, 1));
  const selfStrides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, c) => a * c, 1));
  for (let p = 0; p < d.data.length; p++) {
    let target = 0;
    strides.forEach((s, i) => {
      const coord = i === dim ? mod(numAt(d, p), x.shape[dim] as number) : Math.floor(p / s) % (shape[i] as number);
      target += coord * (selfStrides[i] as number);
    });
    if (seen.has(target)) throw new Unsupported('scatter with two updates of one position (which PyTorch keeps is its kernel\'s order)');
    seen.add(target);
  }
  let updates: IRNode;
  if (src) updates = cutTo(ctx, src.rank ? src.node : ctx.reshape(src.node, [1]), shape);
  else {
    const value = typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? v : undefined;
    if (value === undefined) throw typeError('scatter', b, 'value', 'Number', v ?? null);
    updates = ctx.op('Expand', [ctx.scalar(t.dtype === 'int64' && typeof value === 'number' ? Math.trunc(value) : value, t.dtype)], { shape: [...shape] });
    ctx.meta = { ...ctx.meta, api: 'scatter.value' };
  }
  if (src?.requiresGrad && src.shape.some((s, i) => s !== idx.shape[i])) throw new Unsupported('the gradient of scatter\'s src larger than its index');
  const r = ctx.op('ScatterElements', [x, index, updates], { axis: dim });
  return ctx.wrap(ctx.reshape(r, t.shape));
});
def('scatter_add', 'input, dim, index, src', async (b, ctx) => {
  const t = tensorArg('scatter_add', b, 'input');
  const dim = normDim(intArg('scatter_add', b, 'dim'), t.rank, 'dim');
  const idx = tensorArg('scatter_add', b, 'index');
  const src = tensorArg('scatter_add', b, 'src');
  await scatterIndex('scatter', ctx, t, dim, idx, src);
  if (src.requiresGrad && src.shape.some((s, i) => s !== idx.shape[i])) throw new Unsupported('the gradient of scatter_add\'s src larger than its index');
  const x = t.rank ? t.node : ctx.reshape(t.node, [1]);
  const index = idx.rank ? idx.node : ctx.reshape(idx.node, [1]);
  const updates = cutTo(ctx, src.rank ? src.node : ctx.reshape(src.node, [1]), index.shape);
  return ctx.wrap(ctx.reshape(ctx.op('ScatterElementsAdd', [x, index, updates], { axis: dim }), t.shape));
});
def('index_add', 'input, dim, index, source, *, alpha?', async (b, ctx) => {
  const t = tensorArg('index_add', b, 'input');
  const dim = normDim(intArg('index_add', b, 'dim'), t.rank, 'dim');
  const idx = tensorArg('index_add', b, 'index');
  const src = tensorArg('index_add', b, 'source');
  if (idx.rank > 1) throw new PyError('IndexError', `index_add_(): Index is supposed to be a vector, but got dim: ${idx.rank} with type: ${SCALAR_NAME[idx.dtype]} and size: [${idx.shape.join(', ')}]`);
  if (idx.dtype !== 'int64') throw new PyError('RuntimeError', `index_add_(): Expected dtype int32/int64 for index but got: ${SCALAR_NAME[idx.dtype]}`);
  if (src.dtype !== t.dtype) throw new PyError('RuntimeError', `index_add_(): self (${SCALAR_NAME[t.dtype]}) and source (${SCALAR_NAME[src.dtype]}) must have the same scalar type`);
  const n = idx.rank ? (idx.shape[0] as number) : 1;
  const srcShape = src.rank ? src.shape : [1];
  const selfShape = t.rank ? t.shape : [1];
  if (n !== srcShape[dim]) throw new PyError('RuntimeError', `index_add_(): Number of indices (${n}) should be equal to source.size(dim): (${srcShape[dim]}), for dim: ${dim}`);
  if (srcShape.length !== selfShape.length || srcShape.some((s, i) => i !== dim && s !== selfShape[i])) throw new Unsupported('index_add with a source whose other dimensions differ from self\'s');
  const d = await ctx.realize(idx.node);
  const size = selfShape[dim] as number;
  const index = range(n).map((i) => numAt(d, i));
  if (index.some((v) => v < -size || v >= size)) throw new PyError('IndexError', 'index out of range in self');
  // The index along `dim`, spread over source's shape (ScatterElements takes one index per update).
  const full = rowsAlong(srcShape, dim);
  const flat = new Array<number>(numel(srcShape));
  full.forEach((row) => row.forEach((p, k) => (flat[p] = mod(index[k] as number, size))));
  let updates = src.rank ? src.node : ctx.reshape(src.node, [1]);
  if (b.has('alpha')) {
    const alpha = b.get('alpha');
    if (typeof alpha !== 'number' && typeof alpha !== 'bigint') throw typeError('index_add', b, 'alpha', 'Number', alpha ?? null);
    updates = ctx.op('Mul', [updates, ctx.scalar(t.dtype === 'int64' ? BigInt(alpha) : Number(alpha), t.dtype)]);
  }
  const x = t.rank ? t.node : ctx.reshape(t.node, [1]);
  return ctx.wrap(ctx.reshape(ctx.op('ScatterElementsAdd', [x, ints(ctx, srcShape, flat), updates], { axis: dim }), t.shape));
});

// ---- random ---------------------------------------------------------------------------------------------

function noGenerator(fn: string, b: Bound): void {
  if (b.has('generator') && b.get('generator') !== null) throw new Unsupported(`${fn}(generator=...)`);
}

def('randperm', 'n, *, generator?, out?, dtype?, layout?, device?, pin_memory?, requires_grad?', (b, ctx) => {
  noGenerator('randperm', b);
  const n = intArg('randperm', b, 'n');
  if (n < 0) throw new PyError('RuntimeError', `n must be non-negative, got${n}`);
  const dt = dtypeArg(b) ?? 'int64';
  ctx.checkSize([n]);
  const perm = ctx.generator.permutation(n);
  return ctx.wrap(ctx.data({ dtype: dt, shape: [n], data: storageFrom(dt, dt === 'bool' ? perm.map((v) => v !== 0) : perm) }));
}, 'function');

def('bernoulli', 'input, p?, *, generator?, out?', async (b, ctx) => {
  noGenerator('bernoulli', b);
  const t = tensorArg('bernoulli', b, 'input');
  if (t.requiresGrad) throw new Unsupported('bernoulli of a tensor that requires grad');
  const p = b.get('p') ?? null;
  if (p !== null) {
    if (typeof p !== 'number' && typeof p !== 'bigint') throw new Unsupported('bernoulli with a tensor p');
    const out = allocate(t.dtype, numel(t.shape));
    for (let i = 0; i < out.length; i++) out[i] = (t.dtype === 'int64' ? BigInt(ctx.generator.bernoulli(Number(p)) ? 1 : 0) : ctx.generator.bernoulli(Number(p)) ? 1 : 0) as never;
    return ctx.wrap(ctx.data({ dtype: t.dtype, shape: [...t.shape], data: out }));
  }
  if (t.dtype !== 'float32') throw new Unsupported(`bernoulli of a ${SCALAR_NAME[t.dtype]} tensor of probabilities`);
  const d = await ctx.realize(t.node);
  const probs = Array.from(d.data as Float32Array);
  if (probs.some((v) => !(v >= 0 && v <= 1))) throw new Unsupported('bernoulli of probabilities outside [0, 1]');
  const out = new Float32Array(probs.length);
  probs.forEach((v, i) => (out[i] = ctx.generator.bernoulliFloat(v) ? 1 : 0));
  return ctx.wrap(ctx.data({ dtype: 'float32', shape: [...t.shape], data: out }));
});

def('normal', 'mean, std?, size?, *, generator?, out?, dtype?, layout?, device?, pin_memory?, requires_grad?', (b, ctx) => {
  noGenerator('normal', b);
  const mean = b.get('mean') ?? null;
  const std = b.get('std') ?? 1;
  const number = (v: PyValue): number | undefined => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined);
  if ((mean instanceof Tensor && mean.requiresGrad) || (std instanceof Tensor && std.requiresGrad)) throw new Unsupported('torch.normal of a mean or std that requires grad');
  const fill = (shape: readonly number[], dt: DType, m: number, s: number): IRNode => {
    ctx.checkSize(shape);
    const out = dt === 'float64' ? new Float64Array(numel(shape)) : new Float32Array(numel(shape));
    ctx.generator.fillNormal(out, m, s);
    return ctx.data({ dtype: dt, shape: [...shape], data: out });
  };
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    const m = number(mean);
    const s = number(std);
    if (m === undefined || s === undefined || !b.has('size')) throw new Unsupported('this form of torch.normal');
    if (s < 0) throw new PyError('RuntimeError', `normal expects std >= 0.0, but found std ${s}`);
    const dt = dtypeArg(b) ?? 'float32';
    return ctx.wrap(fill(intListArg('normal', b, 'size') ?? [], dt, m, s));
  }
  if (b.has('size') && b.get('size') !== null) throw new Unsupported('torch.normal with tensors and a size');
  const mt = mean instanceof Tensor ? mean : undefined;
  const st = std instanceof Tensor ? std : undefined;
  if ((mt && !isFloat(mt.dtype)) || (st && !isFloat(st.dtype))) throw new Unsupported('torch.normal of integer tensors');
  const dt = mt?.dtype ?? (st as Tensor).dtype;
  if (mt && !st) {
    const s = number(std);
    if (s === undefined) throw typeError('normal', b, 'std', 'float', std);
    if (s < 0) throw new PyError('RuntimeError', `normal expects std >= 0.0, but found std ${s}`);
    // normal_(0, std) on a tensor of mean's shape, then add_(mean).
    return ctx.wrap(ctx.op('Add', [fill(mt.shape, dt, 0, s), mt.node]));
  }
  const shape = mt && st ? broadcastShapes(mt.shape, st.shape) : (st as Tensor).shape;
  const m = mt ? mt.node : ctx.scalar(number(mean) ?? NaN, dt);
  if (!mt && number(mean) === undefined) throw typeError('normal', b, 'mean', 'float', mean);
  // normal_(0, 1), then mul_(std).add_(mean).
  return ctx.wrap(ctx.op('Add', [ctx.op('Mul', [fill(shape, dt, 0, 1), (st as Tensor).node]), m]));
}, 'function');

// ---- einsum ---------------------------------------------------------------------------------------------

/** `x`'s letters made distinct: a letter repeated (a diagonal, `ii`) is summed against the identity. */
function diagonalLetters(ctx: TorchContext, x: IRNode, letters: string[]): [IRNode, string[]] {
  for (let j = 1; j < letters.length; j++) {
    const i = letters.indexOf(letters[j] as string);
    if (i === j) continue;
    const n = x.shape[i] as number;
    if (x.shape[j] !== n) throw new Unsupported('einsum with a repeated index of two sizes');
    const shape = x.shape.map((d, k) => (k === i || k === j ? d : 1));
    const eye = new Uint8Array(numel(shape));
    const si = shape.slice(i + 1).reduce((a, c) => a * c, 1);
    const sj = shape.slice(j + 1).reduce((a, c) => a * c, 1);
    for (let k = 0; k < n; k++) eye[k * si + k * sj] = 1;
    const mask = ctx.data({ dtype: 'bool', shape, data: eye });
    const kept = ctx.op('Where', [mask, x, ctx.scalar(0, x.dtype)]);
    return diagonalLetters(ctx, ctx.op('ReduceSum', [kept], { axes: [j], keepdims: false }), letters.filter((_, k) => k !== j));
  }
  return [x, letters];
}

def('einsum', 'equation, *operands', (b, ctx) => {
  const eq = b.get('equation');
  if (typeof eq !== 'string') throw typeError('einsum', b, 'equation', 'str', eq ?? null);
  let ops = (b.get('operands') as PyTuple | undefined)?.items ?? [];
  if (ops.length === 1 && (ops[0] instanceof PyList || ops[0] instanceof PyTuple)) ops = (ops[0] as PyList).items;
  const ts = ops.map((o) => {
    if (!(o instanceof Tensor)) throw new Unsupported('einsum of a non-tensor operand');
    return o;
  });
  const text = eq.replace(/\s+/g, '');
  if (text.includes('.')) throw new Unsupported('einsum with an ellipsis');
  const [lhs, rhs] = text.split('->') as [string, string | undefined];
  const inputs = lhs.split(',');
  if (inputs.length !== ts.length) throw new PyError('RuntimeError', `einsum(): more operands were provided than specified in the equation`);
  if (!/^[a-zA-Z,]*$/.test(lhs) || (rhs !== undefined && !/^[a-zA-Z]*$/.test(rhs))) throw new Unsupported(`einsum equation '${eq}'`);
  const counts = new Map<string, number>();
  for (const c of lhs.replace(/,/g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
  const out = rhs ?? [...counts.keys()].filter((c) => counts.get(c) === 1).sort().join('');
  const sizes = new Map<string, number>();
  const dt = promoteOperands(...ts);
  const parts = ts.map((t, k) => {
    const letters = [...(inputs[k] as string)];
    if (letters.length !== t.rank) throw new PyError('RuntimeError', `einsum(): the number of subscripts in the equation (${letters.length}) does not match the number of dimensions (${t.rank}) for operand ${k} and no ellipsis was given`);
    return diagonalLetters(ctx, ctx.cast(t.node, dt), letters);
  });
  for (const [x, letters] of parts) {
    letters.forEach((c, i) => {
      const d = x.shape[i] as number;
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== d && prev !== 1 && d !== 1) throw new Unsupported('einsum of operands whose sizes do not match');
      if (prev === undefined || prev === 1) sizes.set(c, d);
    });
  }
  for (const c of out) if (!sizes.has(c)) throw new PyError('RuntimeError', `einsum(): output subscript ${c} does not appear in the equation for any input operand`);
  const order = [...out, ...[...sizes.keys()].filter((c) => !out.includes(c))];
  const aligned = parts.map(([x, letters]) => {
    const present = order.filter((c) => letters.includes(c));
    const perm = present.map((c) => letters.indexOf(c));
    const moved = perm.every((p, i) => p === i) ? x : ctx.op('Transpose', [x], { perm });
    return ctx.reshape(moved, order.map((c) => (letters.includes(c) ? (x.shape[letters.indexOf(c)] as number) : 1)));
  });
  let r = aligned[0] as IRNode;
  for (const a of aligned.slice(1)) r = ctx.op('Mul', [r, a]);
  const full = order.map((c) => sizes.get(c) as number);
  if (r.shape.some((d, i) => d !== full[i])) r = ctx.op('Expand', [r], { shape: full });
  const contracted = range(order.length).slice(out.length);
  if (contracted.length) r = ctx.op('ReduceSum', [r], { axes: contracted, keepdims: false });
  return ctx.wrap(r === ts[0]?.node ? ctx.op('Identity', [r]) : r);
}, 'function');

// ---- torch.linalg ---------------------------------------------------------------------------------------

const linalgNorm: Impl = (b, ctx) => {
  const t = tensorArg('linalg.norm', b, 'input');
  if (!isFloat(t.dtype)) throw new PyError('RuntimeError', `linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${SCALAR_NAME[t.dtype]}`);
  const ord = b.get('ord') ?? null;
  const dimArg = b.get('dim') ?? null;
  const keep = boolArg('linalg.norm', b, 'keepdim', false);
  if (b.has('dtype') && b.get('dtype') !== null) throw new Unsupported('linalg.norm(dtype=...)');
  let dims = dimArg === null ? undefined : (intListArg('linalg.norm', b, 'dim') ?? []).map((d) => normDim(d, t.rank, 'dim'));
  if (ord !== null && dims === undefined && t.rank !== 1 && t.rank !== 2) throw new PyError('RuntimeError', `linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${t.rank}D.`);
  if (dims) dims.forEach((d, i) => {
    if (dims?.indexOf(d) !== i) throw new PyError('RuntimeError', `dim ${d} appears multiple times in the list of dims`);
  });
  const matrix = dims ? dims.length === 2 : ord !== null && t.rank === 2;
  if (dims && dims.length > 2) throw new PyError('RuntimeError', `linalg.norm: If dim is specified, it must be of length 1 or 2. Got [${dims.join(', ')}]`);
  dims ??= t.shape.map((_, i) => i);
  const reduce = (op: string, x: IRNode): Tensor => ctx.wrap(t.rank === 0 ? ctx.op(op === 'ReduceL2' ? 'Abs' : 'Identity', [x]) : ctx.op(op, [x], { axes: dims, keepdims: keep }));
  if (matrix) {
    if (ord !== null && ord !== 'fro') throw new Unsupported(`linalg.norm of a matrix with ord=${String(ord)}`);
    return reduce('ReduceL2', t.node);
  }
  const p = typeof ord === 'bigint' ? Number(ord) : ord;
  if (p === null || p === 2) return reduce('ReduceL2', t.node);
  if (p === 1) return reduce('ReduceSum', ctx.op('Abs', [t.node]));
  if (p === Infinity) return reduce('ReduceMax', ctx.op('Abs', [t.node]));
  if (p === -Infinity) return reduce('ReduceMin', ctx.op('Abs', [t.node]));
  throw new Unsupported(`linalg.norm with ord=${String(ord)}`);
};

/** torch.linalg's functions (a module of their own, not torch.<name>). */
export const LINALG: readonly Def[] = [
  { name: 'linalg_norm', params: signature('input, ord?, dim?, keepdim?, *, out?, dtype?'), impl: linalgNorm },
];
