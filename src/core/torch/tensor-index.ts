/**
 * Indexing a tensor as PyTorch does: `x[i]`, slices, `None`, `...`, boolean masks and advanced (tensor)
 * indices, read and written (`x[idx] = v`), with PyTorch's errors. Tensor's __getitem__/__setitem__ call these.
 */
import { SCALAR_NAME, isFloat, numel, numberAt } from '../engine/dtype';
import { broadcastShapes } from '../engine/ir';
import type { PyValue } from '../python/values';
import { PyEllipsis, PyError, PyList, PyRange, PySlice, PyTuple, Unsupported, typeName } from '../python/values';
import type { IRNode } from '../engine/ir';
import type { Geometry } from './storage';
import { selectGeometry, sliceGeometry, unsqueezeGeometry } from './storage';
import { Tensor, asOperand, operandNode, tensorFromNested } from './tensor';
import type { TorchContext } from './tensor';

type IndexItem =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; slice: PySlice }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; tensor: Tensor };

function indexItems(ctx: TorchContext, index: PyValue): IndexItem[] {
  const raw = index instanceof PyTuple ? index.items : [index];
  return raw.map((v): IndexItem => {
    if (v === null) return { kind: 'none' };
    if (v instanceof PyEllipsis) return { kind: 'ellipsis' };
    if (v instanceof PySlice) return { kind: 'slice', slice: v };
    if (typeof v === 'bigint') return { kind: 'int', value: Number(v) };
    if (typeof v === 'boolean') return { kind: 'tensor', tensor: ctx.wrap(ctx.scalar(v, 'bool')) };
    if (v instanceof Tensor) {
      if (isFloat(v.dtype)) throw new PyError('IndexError', 'tensors used as indices must be long, byte or bool tensors');
      return { kind: 'tensor', tensor: v };
    }
    if (v instanceof PyRange) {
      return { kind: 'tensor', tensor: ctx.wrap(ctx.data({ dtype: 'int64', shape: [v.length], data: BigInt64Array.from({ length: v.length }, (_, i) => v.at(i)) })) };
    }
    if (v instanceof PyList || v instanceof PyTuple) {
      const t = tensorFromNested(ctx, v, undefined);
      if (isFloat(t.dtype)) throw new PyError('IndexError', 'tensors used as indices must be long, byte or bool tensors');
      return { kind: 'tensor', tensor: t };
    }
    throw new PyError('IndexError', `only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${typeName(v)})`);
  });
}

function sliceBounds(s: PySlice, size: number): [number, number, number] {
  const get = (v: PyValue): number | undefined => {
    if (v === null) return undefined;
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Tensor) {
      const i = v.indexValue();
      if (i !== undefined) return Number(i);
    }
    throw new PyError('TypeError', 'slice indices must be integers or None or have an __index__ method');
  };
  const step = get(s.step) ?? 1;
  if (step <= 0) throw new PyError('ValueError', 'step must be greater than zero');
  const norm = (v: number | undefined, d: number): number => {
    if (v === undefined) return d;
    const x = v < 0 ? v + size : v;
    return Math.min(Math.max(x, 0), size);
  };
  const start = norm(get(s.start), 0);
  const stop = Math.max(norm(get(s.stop), size), start);
  return [start, stop, step];
}

/** Bool masks become the integer indices of their true elements (realising the mask). */
async function expandMasks(ctx: TorchContext, items: IndexItem[]): Promise<IndexItem[]> {
  const out: IndexItem[] = [];
  for (const it of items) {
    if (it.kind === 'tensor' && it.tensor.dtype === 'bool') {
      const d = await ctx.realize(it.tensor.node);
      const rank = d.shape.length;
      if (rank === 0) throw new Unsupported('indexing with a 0-d bool');
      const coords: number[][] = Array.from({ length: rank }, () => []);
      const strides = d.shape.map((_, k) => d.shape.slice(k + 1).reduce((x, y) => x * y, 1));
      for (let i = 0; i < d.data.length; i++) {
        if (!d.data[i]) continue;
        strides.forEach((s, k) => (coords[k] as number[]).push(Math.floor(i / s) % (d.shape[k] as number)));
      }
      for (const c of coords) out.push({ kind: 'tensor', tensor: ctx.wrap(ctx.data({ dtype: 'int64', shape: [c.length], data: BigInt64Array.from(c, (x) => BigInt(x)) })) });
    } else {
      out.push(it);
    }
  }
  return out;
}

/** One step of basic indexing, on the dimensions as they are when it applies. */
type BasicStep = { kind: 'none'; dim: number } | { kind: 'int'; dim: number; index: number } | { kind: 'slice'; dim: number; start: number; stop: number; step: number };

/** The node of a basic index applied to `node` (what a view re-derives from its base). */
function applyBasic(ctx: TorchContext, node: IRNode, steps: readonly BasicStep[]): IRNode {
  let n = node;
  for (const s of steps) {
    if (s.kind === 'none') {
      const shape = [...n.shape];
      shape.splice(s.dim, 0, 1);
      n = ctx.reshape(n, shape);
    } else if (s.kind === 'int') {
      n = ctx.op('Gather', [n, ctx.scalar(BigInt(s.index), 'int64')], { axis: s.dim });
    } else if (!(s.start === 0 && s.stop === n.shape[s.dim] && s.step === 1)) {
      n = ctx.op('Slice', [n], { starts: [s.start], ends: [s.stop], axes: [s.dim], steps: [s.step] });
    }
  }
  return n === node ? ctx.op('Identity', [n]) : n;
}

function basicGeometry(g: Geometry, steps: readonly BasicStep[]): Geometry {
  let out = g;
  for (const s of steps) {
    if (s.kind === 'none') out = unsqueezeGeometry(out, s.dim);
    else if (s.kind === 'int') out = selectGeometry(out, s.dim, s.index);
    else out = sliceGeometry(out, s.dim, s.start, s.stop, s.step);
  }
  return out;
}

/** A view of `t` by basic steps (ints, slices, None): it shares t's storage. */
export function basicView(t: Tensor, steps: readonly BasicStep[]): Tensor {
  const ctx = t.ctx;
  return t.view(basicGeometry(t.geometry, steps), (n) => applyBasic(ctx, n, steps));
}

/** 0-d integer tensors index as the integer they hold (PyTorch makes a view, as for an int). */
async function intTensors(ctx: TorchContext, items: IndexItem[]): Promise<IndexItem[]> {
  const out: IndexItem[] = [];
  for (const it of items) {
    if (it.kind === 'tensor' && it.tensor.rank === 0 && it.tensor.dtype === 'int64') {
      const d = await ctx.realize(it.tensor.node);
      out.push({ kind: 'int', value: numberAt(d, 0) });
    } else if (it.kind === 'slice') {
      // Bounds given as 0-d tensors (`x[:, :lengths[i]]`) are their values, computed here.
      const bound = async (v: PyValue): Promise<PyValue> => {
        if (!(v instanceof Tensor) || v.rank !== 0 || v.dtype !== 'int64') return v;
        return BigInt(numberAt(await ctx.realize(v.node), 0));
      };
      const { start, stop, step } = it.slice;
      out.push({ kind: 'slice', slice: new PySlice(await bound(start), await bound(stop), await bound(step)) });
    } else out.push(it);
  }
  return out;
}

/** x[index] with PyTorch's rules: ints select, slices narrow, None inserts (a view); tensors gather (a copy). */
export async function indexTensor(t: Tensor, index: PyValue): Promise<Tensor> {
  const ctx = t.ctx;
  let items = await expandMasks(ctx, await intTensors(ctx, indexItems(ctx, index)));
  const consumed = items.filter((i) => i.kind === 'int' || i.kind === 'slice' || i.kind === 'tensor').length;
  const ell = items.findIndex((i) => i.kind === 'ellipsis');
  if (items.filter((i) => i.kind === 'ellipsis').length > 1) throw new PyError('IndexError', 'an index can only have a single ellipsis (\'...\')');
  if (consumed > t.rank) throw new PyError('IndexError', `too many indices for tensor of dimension ${t.rank}`);
  const fill: IndexItem[] = Array.from({ length: t.rank - consumed }, () => ({ kind: 'slice', slice: new PySlice(null, null, null) }));
  items = ell >= 0 ? [...items.slice(0, ell), ...fill, ...items.slice(ell + 1)] : [...items, ...fill];

  const steps: BasicStep[] = [];
  const shape = [...t.shape];
  let dim = 0; // current dimension of the view
  const advanced: { dim: number; tensor: Tensor }[] = [];
  for (const it of items) {
    if (it.kind === 'none') {
      steps.push({ kind: 'none', dim });
      shape.splice(dim, 0, 1);
      dim++;
    } else if (it.kind === 'int') {
      const size = shape[dim] as number;
      if (it.value < -size || it.value >= size) {
        throw new PyError('IndexError', `index ${it.value} is out of bounds for dimension ${dim} with size ${size}`);
      }
      steps.push({ kind: 'int', dim, index: it.value < 0 ? it.value + size : it.value });
      shape.splice(dim, 1);
    } else if (it.kind === 'slice') {
      const size = shape[dim] as number;
      const [start, stop, step] = sliceBounds(it.slice, size);
      steps.push({ kind: 'slice', dim, start, stop, step });
      shape[dim] = Math.max(0, Math.ceil((stop - start) / step));
      dim++;
    } else if (it.kind === 'tensor') {
      advanced.push({ dim, tensor: it.tensor });
      dim++;
    }
  }
  const viewed = basicView(t, steps);
  if (!advanced.length) return viewed;
  const node = viewed.node;
  for (const a of advanced) checkIndexValues(a.tensor, node.shape[a.dim] as number, a.dim);
  if (advanced.length === 1) {
    const a = advanced[0] as { dim: number; tensor: Tensor };
    return ctx.wrap(ctx.op('Gather', [node, a.tensor.node], { axis: a.dim }));
  }
  // Several index tensors: broadcast them, move their dims to the front, GatherND.
  let bshape: number[];
  try {
    bshape = broadcastShapes(...advanced.map((a) => a.tensor.shape));
  } catch {
    throw new PyError('IndexError', `shape mismatch: indexing tensors could not be broadcast together with shapes ${advanced.map((a) => `[${a.tensor.shape.join(', ')}]`).join(', ')}`);
  }
  const advDims = advanced.map((a) => a.dim);
  const rest = node.shape.map((_, i) => i).filter((i) => !advDims.includes(i));
  const perm = [...advDims, ...rest];
  const moved = perm.every((p, i) => p === i) ? node : ctx.op('Transpose', [node], { perm });
  const idx = advanced.map((a) => ctx.reshape(ctx.op('Expand', [a.tensor.node], { shape: bshape }), [...bshape, 1]));
  const stacked = ctx.op('Concat', idx, { axis: bshape.length });
  let out = ctx.op('GatherND', [moved, stacked]);
  const adjacent = advDims.every((d, i) => i === 0 || d === (advDims[i - 1] as number) + 1);
  const first = advDims[0] as number;
  if (adjacent && first > 0) {
    // Result dims go where the indexed dims were: [rest before, broadcast dims, rest after].
    const k = bshape.length;
    const before = Array.from({ length: first }, (_, i) => k + i);
    const mid = Array.from({ length: k }, (_, i) => i);
    const after = Array.from({ length: out.shape.length - k - first }, (_, i) => k + first + i);
    out = ctx.op('Transpose', [out], { perm: [...before, ...mid, ...after] });
  }
  return ctx.wrap(out);
}

/** Out-of-range indices, checked when the index values are known. */
export function checkIndexValues(index: Tensor, size: number, dim: number, message?: (v: number) => string, type: 'IndexError' | 'RuntimeError' = 'IndexError'): void {
  const d = index.known();
  if (!d) return;
  for (let i = 0; i < d.data.length; i++) {
    const v = numberAt(d, i);
    if (v < -size || v >= size) throw new PyError(type, message ? message(v) : `index ${v} is out of bounds for dimension ${dim} with size ${size}`);
  }
}

/** Whether an index is basic (ints, slices, None, ...): the indexed elements are then a view. */
function isBasic(index: PyValue): boolean {
  const raw = index instanceof PyTuple ? index.items : [index];
  return raw.every((v) => v === null || v instanceof PyEllipsis || v instanceof PySlice || typeof v === 'bigint' || (v instanceof Tensor && v.rank === 0 && v.dtype === 'int64'));
}

/**
 * x[index] = value. A basic index writes through the view it makes (as PyTorch's copy_ into it); an
 * advanced one (tensors, masks, lists) writes the positions it selects (index_put_), computed here.
 */
export async function setIndex(t: Tensor, index: PyValue, value: PyValue): Promise<void> {
  const ctx = t.ctx;
  const v = asOperand(ctx, value);
  if (!v) throw new PyError('TypeError', `can't assign a ${typeName(value)} to a ${SCALAR_NAME[t.dtype]}Tensor`);
  const fit = (shape: readonly number[]): IRNode => {
    const update = operandNode(ctx, v, t.dtype);
    try {
      const b = broadcastShapes(shape, update.shape);
      if (b.length !== shape.length || b.some((d, i) => d !== shape[i])) throw new Error('grows');
    } catch {
      throw new PyError('RuntimeError', `shape mismatch: value tensor of shape [${update.shape.join(', ')}] cannot be broadcast to indexing result of shape [${shape.join(', ')}]`);
    }
    return ctx.op('Expand', [update], { shape: [...shape] });
  };
  if (isBasic(index)) {
    // As PyTorch's copy_ into the view: the value's leading 1s dropped, then expanded to the view's shape.
    const view = await indexTensor(t, index);
    view.checkOverlap(value);
    let update = operandNode(ctx, v, t.dtype);
    let shape = [...update.shape];
    while (shape.length > view.rank && shape[0] === 1) shape = shape.slice(1);
    if (shape.length !== update.shape.length) update = ctx.reshape(update, shape);
    const target = view.shape;
    const off = target.length - shape.length;
    if (off < 0) throw new PyError('RuntimeError', `expand(torch.${SCALAR_NAME[t.dtype]}Tensor{[${shape.join(', ')}]}, size=[${target.join(', ')}]): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${shape.length})`);
    shape.forEach((d, i) => {
      const want = target[i + off] as number;
      if (d !== 1 && d !== want) throw new PyError('RuntimeError', `The expanded size of the tensor (${want}) must match the existing size (${d}) at non-singleton dimension ${i + off}.  Target sizes: [${target.join(', ')}].  Tensor sizes: [${shape.join(', ')}]`);
    });
    view.write(ctx.op('Expand', [update], { shape: [...target] }));
    return;
  }
  const { selected, at } = await positions(t, index);
  t.write(ctx.reshape(fit(selected.shape), [at.length]), at);
}

/** The row-major positions in `t` an index selects: a tensor of t's positions indexed the same way. */
async function positions(t: Tensor, index: PyValue): Promise<{ selected: Tensor; at: number[] }> {
  const ctx = t.ctx;
  const iota = ctx.wrap(ctx.data({ dtype: 'int64', shape: [...t.shape], data: BigInt64Array.from({ length: numel(t.shape) }, (_, i) => BigInt(i)) }));
  const selected = await indexTensor(iota, index);
  const flat = await ctx.realize(selected.node);
  return { selected, at: Array.from({ length: flat.data.length }, (_, i) => Number(flat.data[i] as bigint)) };
}

/**
 * t.index_put_(indices, values, accumulate): t[indices] = values, or with `accumulate` the values added
 * at their positions (repeated positions add up, unlike t[indices] += values).
 */
export async function indexPut(t: Tensor, indices: PyTuple, values: Tensor, accumulate: boolean): Promise<void> {
  if (!accumulate) return setIndex(t, indices, values);
  const ctx = t.ctx;
  const { selected, at } = await positions(t, indices);
  let shape = [...values.shape];
  while (shape.length > selected.rank && shape[0] === 1) shape = shape.slice(1);
  let update = ctx.cast(values.node, t.dtype);
  if (shape.length !== values.rank) update = ctx.reshape(update, shape);
  try {
    const b = broadcastShapes(selected.shape, shape);
    if (b.length !== selected.rank || b.some((d, i) => d !== selected.shape[i])) throw new Error('grows');
  } catch {
    throw new PyError('RuntimeError', `shape mismatch: value tensor of shape [${values.shape.join(', ')}] cannot be broadcast to indexing result of shape [${selected.shape.join(', ')}]`);
  }
  const flatUpdate = ctx.reshape(ctx.op('Expand', [update], { shape: [...selected.shape] }), [at.length]);
  const where = ctx.data({ dtype: 'int64', shape: [at.length], data: BigInt64Array.from(at, (v) => BigInt(v)) });
  const sum = ctx.op('ScatterElementsAdd', [ctx.reshape(t.node, [numel(t.shape)]), where, flatUpdate], { axis: 0 });
  t.write(ctx.reshape(sum, [...t.shape]));
}
