/**
 * Indexing a tensor as PyTorch does: `x[i]`, slices, `None`, `...`, boolean masks and advanced (tensor)
 * indices, read and written (`x[idx] = v`), with PyTorch's errors. Tensor's __getitem__/__setitem__ call these.
 */
import { SCALAR_NAME, isFloat, numel, numberAt } from '../engine/dtype';
import { broadcastShapes } from '../engine/ir';
import type { PyValue } from '../python/values';
import { PyEllipsis, PyError, PyList, PyRange, PySlice, PyTuple, Unsupported, typeName } from '../python/values';
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

/** x[index] with PyTorch's rules: ints select, slices narrow, None inserts, tensors gather (advanced). */
export async function indexTensor(t: Tensor, index: PyValue): Promise<Tensor> {
  const ctx = t.ctx;
  let items = await expandMasks(ctx, indexItems(ctx, index));
  const consumed = items.filter((i) => i.kind === 'int' || i.kind === 'slice' || i.kind === 'tensor').length;
  const ell = items.findIndex((i) => i.kind === 'ellipsis');
  if (items.filter((i) => i.kind === 'ellipsis').length > 1) throw new PyError('IndexError', 'an index can only have a single ellipsis (\'...\')');
  if (consumed > t.rank) throw new PyError('IndexError', `too many indices for tensor of dimension ${t.rank}`);
  const fill: IndexItem[] = Array.from({ length: t.rank - consumed }, () => ({ kind: 'slice', slice: new PySlice(null, null, null) }));
  items = ell >= 0 ? [...items.slice(0, ell), ...fill, ...items.slice(ell + 1)] : [...items, ...fill];

  let node = t.node;
  let dim = 0; // current dimension of `node`
  const advanced: { dim: number; tensor: Tensor }[] = [];
  for (const it of items) {
    if (it.kind === 'none') {
      const shape = [...node.shape];
      shape.splice(dim, 0, 1);
      node = ctx.reshape(node, shape);
      dim++;
    } else if (it.kind === 'int') {
      const size = node.shape[dim] as number;
      if (it.value < -size || it.value >= size) {
        throw new PyError('IndexError', `index ${it.value} is out of bounds for dimension ${dim} with size ${size}`);
      }
      node = ctx.op('Gather', [node, ctx.scalar(BigInt(it.value < 0 ? it.value + size : it.value), 'int64')], { axis: dim });
    } else if (it.kind === 'slice') {
      const size = node.shape[dim] as number;
      const [start, stop, step] = sliceBounds(it.slice, size);
      if (!(start === 0 && stop === size && step === 1)) node = ctx.op('Slice', [node], { starts: [start], ends: [stop], axes: [dim], steps: [step] });
      dim++;
    } else if (it.kind === 'tensor') {
      advanced.push({ dim, tensor: it.tensor });
      dim++;
    }
  }
  if (!advanced.length) return ctx.wrap(node === t.node ? ctx.op('Identity', [node]) : node);
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

/** x[index] = value, through ScatterND over the positions the index selects (computed here). */
export async function setIndex(t: Tensor, index: PyValue, value: PyValue): Promise<void> {
  const ctx = t.ctx;
  // Positions: index a tensor of flat positions with the same index.
  const positions = ctx.wrap(ctx.data({ dtype: 'int64', shape: [...t.shape], data: BigInt64Array.from({ length: numel(t.shape) }, (_, i) => BigInt(i)) }));
  const selected = await indexTensor(positions, index);
  const flat = await ctx.realize(selected.node);
  const n = flat.data.length;
  const strides = t.shape.map((_, k) => t.shape.slice(k + 1).reduce((x, y) => x * y, 1));
  const coords = new BigInt64Array(n * t.rank);
  for (let i = 0; i < n; i++) {
    const p = Number(flat.data[i] as bigint);
    strides.forEach((s, k) => (coords[i * t.rank + k] = BigInt(Math.floor(p / s) % (t.shape[k] as number))));
  }
  const v = asOperand(ctx, value);
  if (!v) throw new PyError('TypeError', `can't assign a ${typeName(value)} to a ${SCALAR_NAME[t.dtype]}Tensor`);
  let update = operandNode(ctx, v, t.dtype);
  try {
    broadcastShapes(selected.shape, update.shape);
  } catch {
    throw new PyError('RuntimeError', `shape mismatch: value tensor of shape [${update.shape.join(', ')}] cannot be broadcast to indexing result of shape [${selected.shape.join(', ')}]`);
  }
  update = ctx.reshape(ctx.op('Expand', [update], { shape: [...selected.shape] }), [n]);
  const rank = Math.max(t.rank, 1);
  const indices = ctx.data({ dtype: 'int64', shape: [n, rank], data: t.rank ? coords : new BigInt64Array(n) });
  const base = t.rank ? t.node : ctx.reshape(t.node, [1]);
  const scattered = ctx.op('ScatterND', [base, indices, update]);
  t.node = t.rank ? scattered : ctx.reshape(scattered, []);
}
