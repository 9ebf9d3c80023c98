/**
 * Storage and views, as PyTorch has them. A Storage holds a tensor's elements (as the IR node of its current
 * contents, in row-major order); a Tensor is a view over one, with an offset, sizes and strides (its
 * Geometry). Basic indexing, `view`, `t`, `permute`, `expand`, `diagonal`, `.data`, `detach()` … make new
 * tensors over the same storage; an in-place write through any of them makes a new version of the storage's
 * contents (the values outside the written positions kept, by a scatter), from which the other views are
 * derived again when they are next read.
 *
 * The geometry functions follow ATen: `viewGeometry` is TensorUtils' computeStride (whether a shape can be
 * viewed without copying), `isContiguous` is TensorImpl's check.
 */
import type { IRNode } from '../engine/ir';

export interface Geometry {
  readonly offset: number;
  readonly sizes: readonly number[];
  readonly strides: readonly number[];
}

let storages = 0;

/** A tensor's elements: the IR node of the current contents, and PyTorch's version counter. */
export class Storage {
  /** In-place writes PyTorch's version counter sees (every one but those through `.data`). */
  version = 0;
  /** Every write, `.data` ones included: views are derived again when it moves. */
  writes = 0;
  readonly numel: number;
  /** Numbers the storages of a run (data_ptr()). */
  readonly id = ++storages;
  /** A tensor whose `.data` was set to this storage's tensor (PyTorch would share it; nbcheck copied). */
  sharedBy: object | undefined;
  constructor(
    public node: IRNode,
  ) {
    this.numel = node.shape.reduce((a, b) => a * b, 1);
  }
  /** The shape the contents node has (the shape of the tensor the storage was made for). */
  get shape(): readonly number[] {
    return this.node.shape;
  }

  /** New contents from a write (`visible`: one PyTorch's version counter counts, i.e. not through `.data`). */
  set(ctx: StorageContext, next: IRNode, visible: boolean): void {
    this.node = next;
    this.writes++;
    if (visible) this.version++;
    ctx.registerVersion(next, this);
    ctx.pending.add(this);
  }

  /** The same contents as a data node (once computed): later graphs start here, not at their history. */
  replaceWithData(ctx: StorageContext, data: IRNode): void {
    const old = this.node;
    this.node = data;
    ctx.registerVersion(data, this);
    if (ctx.requiring.has(old)) ctx.requiring.add(data);
    const leaf = ctx.leaves.get(old);
    if (leaf) ctx.leaves.set(data, leaf);
  }
}

/** What a storage needs of the torch context (kept structural: the context imports this module). */
export interface StorageContext {
  registerVersion(n: IRNode, storage: Storage): void;
  readonly pending: Set<Storage>;
  readonly requiring: WeakSet<IRNode>;
  readonly leaves: WeakMap<IRNode, object>;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= Math.max(shape[i] as number, 1);
  }
  return out;
}

export function contiguousGeometry(shape: readonly number[]): Geometry {
  return { offset: 0, sizes: [...shape], strides: contiguousStrides(shape) };
}

/** PyTorch's is_contiguous(): strides are row-major, ignoring dimensions of size 1 (and empty tensors). */
export function isContiguous(g: Geometry): boolean {
  if (g.sizes.some((d) => d === 0)) return true;
  let expected = 1;
  for (let i = g.sizes.length - 1; i >= 0; i--) {
    const d = g.sizes[i] as number;
    if (d === 1) continue;
    if (g.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/** Whether the geometry is the whole storage in order (a write replaces the contents outright). */
export function coversInOrder(g: Geometry, storageNumel: number): boolean {
  return g.offset === 0 && g.sizes.reduce((a, b) => a * b, 1) === storageNumel && isContiguous(g);
}

/** The storage position of each element, in row-major order over the sizes. */
export function positions(g: Geometry): Float64Array {
  const n = g.sizes.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  const rank = g.sizes.length;
  const idx = new Array<number>(rank).fill(0);
  let p = g.offset;
  for (let k = 0; k < n; k++) {
    out[k] = p;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      p += g.strides[d] as number;
      if ((idx[d] as number) < (g.sizes[d] as number)) break;
      p -= (g.strides[d] as number) * (g.sizes[d] as number);
      idx[d] = 0;
    }
  }
  return out;
}

/** More than one element at a storage position (an expanded tensor): PyTorch refuses writes into it. */
export function overlaps(g: Geometry): boolean {
  if (g.sizes.some((d, i) => d > 1 && g.strides[i] === 0)) return true;
  // Dimensions by stride: each stride past the extent of the smaller ones never revisits a position.
  const dims = g.sizes.map((d, i) => [d, Math.abs(g.strides[i] as number)] as const).filter(([d]) => d > 1).sort((a, b) => a[1] - b[1]);
  let extent = 1;
  let separate = true;
  for (const [d, st] of dims) {
    if (st < extent) separate = false;
    extent += (d - 1) * st;
  }
  if (separate) return false;
  const p = positions(g);
  return new Set(p).size !== p.length;
}

export function selectGeometry(g: Geometry, dim: number, index: number): Geometry {
  return {
    offset: g.offset + index * (g.strides[dim] as number),
    sizes: g.sizes.filter((_, i) => i !== dim),
    strides: g.strides.filter((_, i) => i !== dim),
  };
}

export function sliceGeometry(g: Geometry, dim: number, start: number, stop: number, step: number): Geometry {
  const sizes = [...g.sizes];
  const strides = [...g.strides];
  sizes[dim] = Math.max(0, Math.ceil((stop - start) / step));
  strides[dim] = (g.strides[dim] as number) * step;
  return { offset: g.offset + (sizes[dim] ? start * (g.strides[dim] as number) : 0), sizes, strides };
}

export function permuteGeometry(g: Geometry, perm: readonly number[]): Geometry {
  return { offset: g.offset, sizes: perm.map((p) => g.sizes[p] as number), strides: perm.map((p) => g.strides[p] as number) };
}

export function unsqueezeGeometry(g: Geometry, dim: number): Geometry {
  const sizes = [...g.sizes];
  const strides = [...g.strides];
  const stride = dim >= g.sizes.length ? 1 : (g.sizes[dim] as number) * (g.strides[dim] as number);
  sizes.splice(dim, 0, 1);
  strides.splice(dim, 0, stride);
  return { offset: g.offset, sizes, strides };
}

/** `expand`: new leading dimensions and size-1 dimensions grown to `shape` get stride 0. */
export function expandGeometry(g: Geometry, shape: readonly number[]): Geometry {
  const lead = shape.length - g.sizes.length;
  const strides = shape.map((d, i) => {
    if (i < lead) return 0;
    const k = i - lead;
    return g.sizes[k] === d ? (g.strides[k] as number) : 0;
  });
  return { offset: g.offset, sizes: [...shape], strides };
}

export function diagonalGeometry(g: Geometry, offset: number, d1: number, d2: number): Geometry {
  const rows = g.sizes[d1] as number;
  const cols = g.sizes[d2] as number;
  const n = Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
  const s1 = g.strides[d1] as number;
  const s2 = g.strides[d2] as number;
  const start = n === 0 ? g.offset : g.offset + (offset >= 0 ? offset * s2 : -offset * s1);
  const keep = g.sizes.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  return { offset: start, sizes: [...keep.map((i) => g.sizes[i] as number), n], strides: [...keep.map((i) => g.strides[i] as number), s1 + s2] };
}

/**
 * The strides that view `g` as `shape` without copying (ATen's computeStride), or undefined when the
 * elements are not laid out so (a `view` then fails as PyTorch's does; a `reshape` copies).
 */
export function viewGeometry(g: Geometry, shape: readonly number[]): Geometry | undefined {
  const old = g.sizes;
  const oldStride = g.strides;
  if (old.length === 0) return { offset: g.offset, sizes: [...shape], strides: shape.map(() => 1) };
  const numel = old.reduce((a, b) => a * b, 1);
  if (numel === 0) return old.length === shape.length && old.every((d, i) => d === shape[i]) ? g : { offset: g.offset, sizes: [...shape], strides: contiguousStrides(shape) };
  const out = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStride[oldStride.length - 1] as number;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = old.length - 1; d >= 0; d--) {
    tensorNumel *= old[d] as number;
    if (d === 0 || (old[d - 1] !== 1 && oldStride[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD] as number;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return undefined;
      if (d > 0) {
        chunkBase = oldStride[d - 1] as number;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return undefined;
  return { offset: g.offset, sizes: [...shape], strides: out };
}

/** PyTorch's is_non_overlapping_and_dense(): the elements fill a block of the storage, in some order of the dims. */
export function isDense(g: Geometry): boolean {
  const dims = g.sizes.map((d, i) => [d, g.strides[i] as number] as const).filter(([d]) => d !== 1).sort((a, b) => a[1] - b[1]);
  let expected = 1;
  for (const [d, st] of dims) {
    if (st !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * ATen's get_overlap_status for two tensors over the same storage: 'partial' when their element blocks
 * overlap without being the same elements in the same layout (PyTorch then refuses an in-place op reading
 * one and writing the other); 'full' when they are the same; 'no' otherwise, and when either is not dense
 * (PyTorch does not decide those: "too hard", allowed).
 */
export function overlapStatus(a: Geometry, b: Geometry): 'no' | 'full' | 'partial' {
  const numel = (g: Geometry): number => g.sizes.reduce((x, y) => x * y, 1);
  if (numel(a) === 0 || numel(b) === 0) return 'no';
  if (!isDense(a) || !isDense(b)) return 'no';
  const [a0, a1] = [a.offset, a.offset + numel(a)];
  const [b0, b1] = [b.offset, b.offset + numel(b)];
  if (a0 === b0 && a1 === b1) return a.strides.length === b.strides.length && a.strides.every((x, i) => x === b.strides[i] || a.sizes[i] === 1) ? 'full' : 'partial';
  return a0 < b1 && b0 < a1 ? 'partial' : 'no';
}

export const PARTIAL_OVERLAP_ERROR =
  'unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.';

export const VIEW_SIZE_ERROR =
  "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.";
export const OVERLAP_ERROR =
  'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.';
