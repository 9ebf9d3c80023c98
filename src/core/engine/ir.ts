/**
 * The lazy tensor IR: an immutable graph of nodes, each with a static shape and dtype, built by the torch
 * surface and lowered to ONNX when a value is needed. One op table holds, per primitive, its shape/dtype
 * inference and its ONNX lowering (the autodiff issue adds derivative rows).
 */
import type { DType, TensorData } from './dtype';
import { numel } from './dtype';
import type { AttrValue } from './onnx-proto';

/** Where in the student's code a node was made (0-based row/column, as tree-sitter gives them). */
export interface SourceLoc {
  readonly row: number;
  readonly column: number;
  readonly endRow: number;
  readonly endColumn: number;
  /** Which source (cell) of the run, as numbered by the session. */
  readonly source?: number;
}

export type Attrs = Readonly<Record<string, number | readonly number[] | boolean | string | undefined>>;

export interface IRNode {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly IRNode[];
  readonly attrs: Attrs;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The torch function or method the student called ("index_select", "sum", "__mul__"). */
  readonly api?: string;
  readonly loc?: SourceLoc;
  /** The outermost module (an nn.Module object) whose forward made the node, if any. */
  readonly module?: object;
  /** Contents of a leaf ("Data") node. */
  readonly data?: TensorData;
}

let nextId = 1;

/** The id the next node will get: nodes made after this call have ids from it on. */
export function nextNodeId(): number {
  return nextId;
}

/** What the op table needs to lower one node: names of its inputs and a way to emit ONNX nodes. */
export interface Lowering {
  /** Emits an ONNX node; returns its output names. */
  emit(op: string, inputs: readonly string[], attrs?: Readonly<Record<string, AttrValue>>, outputs?: number): string[];
  /** An int64 constant (axes, shapes), shared across the graph. */
  ints(values: readonly number[], scalar?: boolean): string;
  /** A scalar constant of a dtype. */
  scalar(value: number, dtype: DType): string;
}

export interface OpDef {
  /** Output shape and dtype from the inputs (the torch surface has already checked them). */
  infer(inputs: readonly IRNode[], attrs: Attrs): { shape: number[]; dtype: DType };
  lower(l: Lowering, node: IRNode, inputs: readonly string[]): string;
}

export class ShapeError extends Error {}

/** Broadcast shapes numpy/PyTorch style; throws ShapeError with PyTorch's wording. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - rank + i;
      const v = k >= 0 ? (s[k] as number) : 1;
      if (v === 1) continue;
      if (d !== 1 && d !== v) {
        const [a, b] = shapes;
        throw new ShapeError(
          `The size of tensor a (${a?.[(a?.length ?? 0) - rank + i] ?? 1}) must match the size of tensor b (${b?.[(b?.length ?? 0) - rank + i] ?? 1}) at non-singleton dimension ${i}`,
        );
      }
      d = v;
    }
    out.push(d);
  }
  return out;
}

const same = (inputs: readonly IRNode[]): { shape: number[]; dtype: DType } => ({
  shape: [...(inputs[0] as IRNode).shape],
  dtype: (inputs[0] as IRNode).dtype,
});
const simple = (onnx: string): OpDef => ({ infer: same, lower: (l, _n, i) => l.emit(onnx, i)[0] as string });
const binary = (onnx: string, bool = false): OpDef => ({
  infer: (ins) => ({ shape: broadcastShapes(...ins.map((n) => n.shape)), dtype: bool ? 'bool' : (ins[0] as IRNode).dtype }),
  lower: (l, _n, i) => l.emit(onnx, i)[0] as string,
});
const num = (a: Attrs, k: string): number => a[k] as number;
const list = (a: Attrs, k: string): readonly number[] => a[k] as readonly number[];

function reduced(shape: readonly number[], axes: readonly number[], keep: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

const reduce = (onnx: string, axesAsInput: boolean): OpDef => ({
  infer: (ins, a) => ({ shape: reduced((ins[0] as IRNode).shape, list(a, 'axes'), !!a.keepdims), dtype: (ins[0] as IRNode).dtype }),
  lower: (l, n, i) => {
    const axes = list(n.attrs, 'axes');
    const keepdims = n.attrs.keepdims ? 1 : 0;
    if (axesAsInput) return l.emit(onnx, [i[0] as string, l.ints(axes)], { keepdims })[0] as string;
    return l.emit(onnx, i, { axes, keepdims })[0] as string;
  },
});

const arg = (onnx: string): OpDef => ({
  infer: (ins, a) => ({ shape: reduced((ins[0] as IRNode).shape, [num(a, 'axis')], !!a.keepdims), dtype: 'int64' }),
  lower: (l, n, i) => l.emit(onnx, i, { axis: num(n.attrs, 'axis'), keepdims: n.attrs.keepdims ? 1 : 0 })[0] as string,
});

/** The op table. Names are the IR's primitives; most lower to the ONNX op of the same name. */
export const OPS: Readonly<Record<string, OpDef>> = {
  Neg: simple('Neg'),
  Abs: simple('Abs'),
  Exp: simple('Exp'),
  Log: simple('Log'),
  Sqrt: simple('Sqrt'),
  Sin: simple('Sin'),
  Cos: simple('Cos'),
  Tanh: simple('Tanh'),
  Erf: simple('Erf'),
  Sigmoid: simple('Sigmoid'),
  Relu: simple('Relu'),
  Floor: simple('Floor'),
  Ceil: simple('Ceil'),
  Sign: simple('Sign'),
  Not: simple('Not'),
  Reciprocal: simple('Reciprocal'),
  Identity: simple('Identity'),
  Cast: {
    infer: (ins, a) => ({ shape: [...(ins[0] as IRNode).shape], dtype: a.to as DType }),
    lower: (l, n, i) => l.emit('Cast', i, { to: ONNX_DTYPE[n.attrs.to as DType] })[0] as string,
  },
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: binary('Div'),
  Pow: binary('Pow'),
  Max: binary('Max'),
  Min: binary('Min'),
  /** Python-style remainder for integers (sign of the divisor). */
  Mod: { ...binary('Mod'), lower: (l, _n, i) => l.emit('Mod', i, { fmod: 0 })[0] as string },
  Less: binary('Less', true),
  Greater: binary('Greater', true),
  LessOrEqual: binary('LessOrEqual', true),
  GreaterOrEqual: binary('GreaterOrEqual', true),
  Equal: binary('Equal', true),
  And: binary('And', true),
  Or: binary('Or', true),
  Xor: binary('Xor', true),
  Where: {
    infer: (ins) => ({ shape: broadcastShapes(...ins.map((n) => n.shape)), dtype: (ins[1] as IRNode).dtype }),
    lower: (l, _n, i) => l.emit('Where', i)[0] as string,
  },
  ReduceSum: reduce('ReduceSum', true),
  ReduceMean: reduce('ReduceMean', false),
  ReduceMax: reduce('ReduceMax', false),
  ReduceMin: reduce('ReduceMin', false),
  ReduceProd: reduce('ReduceProd', false),
  ReduceLogSumExp: reduce('ReduceLogSumExp', false),
  ReduceL2: reduce('ReduceL2', false),
  /** Cumulative sum along `axis` (from the end with `reverse`). */
  CumSum: {
    infer: same,
    lower: (l, n, i) => l.emit('CumSum', [i[0] as string, l.ints([num(n.attrs, 'axis')], true)], { reverse: n.attrs.reverse ? 1 : 0 })[0] as string,
  },
  ArgMax: arg('ArgMax'),
  ArgMin: arg('ArgMin'),
  Softmax: { infer: same, lower: (l, n, i) => l.emit('Softmax', i, { axis: num(n.attrs, 'axis') })[0] as string },
  LogSoftmax: { infer: same, lower: (l, n, i) => l.emit('LogSoftmax', i, { axis: num(n.attrs, 'axis') })[0] as string },
  MatMul: {
    infer: (ins) => ({ shape: matmulShape((ins[0] as IRNode).shape, (ins[1] as IRNode).shape), dtype: (ins[0] as IRNode).dtype }),
    lower: (l, _n, i) => l.emit('MatMul', i)[0] as string,
  },
  Reshape: {
    infer: (ins, a) => ({ shape: [...list(a, 'shape')], dtype: (ins[0] as IRNode).dtype }),
    // allowzero: a 0 in the shape is an empty dimension (as in PyTorch), not ONNX's "copy this dimension".
    lower: (l, n, i) => l.emit('Reshape', [i[0] as string, l.ints(list(n.attrs, 'shape'))], { allowzero: 1 })[0] as string,
  },
  Transpose: {
    infer: (ins, a) => ({ shape: list(a, 'perm').map((p) => (ins[0] as IRNode).shape[p] as number), dtype: (ins[0] as IRNode).dtype }),
    lower: (l, n, i) => l.emit('Transpose', i, { perm: list(n.attrs, 'perm') })[0] as string,
  },
  Expand: {
    infer: (ins, a) => ({ shape: [...list(a, 'shape')], dtype: (ins[0] as IRNode).dtype }),
    lower: (l, n, i) => l.emit('Expand', [i[0] as string, l.ints(list(n.attrs, 'shape'))])[0] as string,
  },
  Tile: {
    infer: (ins, a) => ({ shape: (ins[0] as IRNode).shape.map((d, k) => d * (list(a, 'repeats')[k] as number)), dtype: (ins[0] as IRNode).dtype }),
    lower: (l, n, i) => l.emit('Tile', [i[0] as string, l.ints(list(n.attrs, 'repeats'))])[0] as string,
  },
  Concat: {
    infer: (ins, a) => {
      const axis = num(a, 'axis');
      const shape = [...(ins[0] as IRNode).shape];
      shape[axis] = ins.reduce((s, n) => s + (n.shape[axis] as number), 0);
      return { shape, dtype: (ins[0] as IRNode).dtype };
    },
    lower: (l, n, i) => l.emit('Concat', i, { axis: num(n.attrs, 'axis') })[0] as string,
  },
  /** Slice with static starts/ends/steps per axis (already clamped to the shape, steps > 0). */
  Slice: {
    infer: (ins, a) => {
      const shape = [...(ins[0] as IRNode).shape];
      list(a, 'axes').forEach((ax, k) => {
        const s = list(a, 'starts')[k] as number;
        const e = list(a, 'ends')[k] as number;
        const st = list(a, 'steps')[k] as number;
        shape[ax] = Math.max(0, Math.ceil((e - s) / st));
      });
      return { shape, dtype: (ins[0] as IRNode).dtype };
    },
    lower: (l, n, i) =>
      l.emit('Slice', [i[0] as string, l.ints(list(n.attrs, 'starts')), l.ints(list(n.attrs, 'ends')), l.ints(list(n.attrs, 'axes')), l.ints(list(n.attrs, 'steps'))])[0] as string,
  },
  Gather: {
    infer: (ins, a) => {
      const [d, idx] = ins as [IRNode, IRNode];
      const axis = num(a, 'axis');
      return { shape: [...d.shape.slice(0, axis), ...idx.shape, ...d.shape.slice(axis + 1)], dtype: d.dtype };
    },
    lower: (l, n, i) => l.emit('Gather', i, { axis: num(n.attrs, 'axis') })[0] as string,
  },
  GatherElements: {
    infer: (ins) => ({ shape: [...(ins[1] as IRNode).shape], dtype: (ins[0] as IRNode).dtype }),
    lower: (l, n, i) => l.emit('GatherElements', i, { axis: num(n.attrs, 'axis') })[0] as string,
  },
  GatherND: {
    infer: (ins) => {
      const [d, idx] = ins as [IRNode, IRNode];
      const k = idx.shape[idx.shape.length - 1] as number;
      return { shape: [...idx.shape.slice(0, -1), ...d.shape.slice(k)], dtype: d.dtype };
    },
    lower: (l, _n, i) => l.emit('GatherND', i)[0] as string,
  },
  ScatterND: { infer: same, lower: (l, _n, i) => l.emit('ScatterND', i)[0] as string },
  /** ScatterND adding the updates into the data (duplicate indices add up): gradients of gathers. */
  ScatterNDAdd: { infer: same, lower: (l, _n, i) => l.emit('ScatterND', i, { reduction: 'add' })[0] as string },
  /** ScatterElements writing the updates (the surface refuses duplicate positions, whose winner ONNX leaves open). */
  ScatterElements: { infer: same, lower: (l, n, i) => l.emit('ScatterElements', i, { axis: num(n.attrs, 'axis') })[0] as string },
  ScatterElementsAdd: { infer: same, lower: (l, n, i) => l.emit('ScatterElements', i, { axis: num(n.attrs, 'axis'), reduction: 'add' })[0] as string },
  Conv: {
    infer: (ins, a) => {
      const [x, w] = ins as [IRNode, IRNode];
      const strides = list(a, 'strides');
      const pads = list(a, 'pads');
      const dil = list(a, 'dilations');
      const spatial = x.shape.slice(2).map((d, k) => {
        const kernel = (w.shape[k + 2] as number - 1) * (dil[k] as number) + 1;
        return Math.floor((d + (pads[k] as number) + (pads[k + x.shape.length - 2] as number) - kernel) / (strides[k] as number)) + 1;
      });
      return { shape: [x.shape[0] as number, w.shape[0] as number, ...spatial], dtype: x.dtype };
    },
    lower: (l, n, i) =>
      l.emit('Conv', i, { strides: list(n.attrs, 'strides'), pads: list(n.attrs, 'pads'), dilations: list(n.attrs, 'dilations'), group: num(n.attrs, 'group') })[0] as string,
  },
  /** The adjoint of Conv in its input (Conv's attributes, and output_padding for the sizes it leaves). */
  ConvTranspose: {
    infer: (ins, a) => {
      const [x, w] = ins as [IRNode, IRNode];
      const [strides, pads, dil, extra] = [list(a, 'strides'), list(a, 'pads'), list(a, 'dilations'), list(a, 'output_padding')];
      const r = x.shape.length - 2;
      const spatial = x.shape.slice(2).map((d, k) =>
        (strides[k] as number) * (d - 1) + (extra[k] as number) + ((w.shape[k + 2] as number) - 1) * (dil[k] as number) + 1 - (pads[k] as number) - (pads[k + r] as number));
      return { shape: [x.shape[0] as number, (w.shape[1] as number) * num(a, 'group'), ...spatial], dtype: x.dtype };
    },
    lower: (l, n, i) =>
      l.emit('ConvTranspose', i, {
        strides: list(n.attrs, 'strides'), pads: list(n.attrs, 'pads'), dilations: list(n.attrs, 'dilations'), group: num(n.attrs, 'group'), output_padding: list(n.attrs, 'output_padding'),
      })[0] as string,
  },
};

export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9, float64: 11 };

/** torch.matmul's result shape (the caller has checked that the inner dimensions agree). */
export function matmulShape(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 1 && b.length === 1) return [];
  if (a.length === 1) return [...b.slice(0, -2), b[b.length - 1] as number];
  if (b.length === 1) return a.slice(0, -1);
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  return [...batch, a[a.length - 2] as number, b[b.length - 1] as number];
}

/** The nodes `roots` are computed from, themselves included. */
export function ancestors(roots: readonly IRNode[]): Set<IRNode> {
  const seen = new Set<IRNode>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop() as IRNode;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...n.inputs);
  }
  return seen;
}

/** A leaf holding concrete data. */
export function dataNode(data: TensorData, loc?: SourceLoc): IRNode {
  return { id: nextId++, op: 'Data', inputs: [], attrs: {}, shape: data.shape, dtype: data.dtype, data, loc };
}

/** Applies a primitive: infers the output and records the node. */
export function apply(op: string, inputs: readonly IRNode[], attrs: Attrs = {}, meta: { api?: string; loc?: SourceLoc; module?: object } = {}): IRNode {
  const def = OPS[op];
  if (!def) throw new Error(`unknown IR op ${op}`);
  const { shape, dtype } = def.infer(inputs, attrs);
  return { id: nextId++, op, inputs, attrs, shape, dtype, api: meta.api, loc: meta.loc, ...(meta.module ? { module: meta.module } : {}) };
}

export function nodeNumel(n: IRNode): number {
  return numel(n.shape);
}
