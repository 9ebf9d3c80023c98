/**
 * Reverse-mode differentiation of the IR. Each differentiable op has a vector–Jacobian product rule that
 * builds the cotangents of its inputs as new IR nodes from the cotangent of its output; `gradients` runs
 * the rules from the outputs back to the requested nodes. The result is an ordinary IR graph, lowered to
 * ONNX and run like a forward graph. An op with no rule on the path is an error naming it.
 *
 * Conventions follow PyTorch: the gradient of a broadcast operand is summed back to its shape; where an
 * op picks among tied inputs (elementwise max/min, and amax/amin), the gradient is shared evenly.
 */
import type { DType } from './dtype';
import { isFloat } from './dtype';
import { convJvp, convTransposeJvp, convTransposeVjp, convVjp } from './conv-grad';
import { apply, dataNode, type IRNode } from './ir';

/** An op on the path from an output to a differentiated node has no derivative rule. */
export class MissingDerivative extends Error {
  constructor(readonly op: string) {
    super(`the derivative of ${op} is not implemented in nbcheck`);
  }
}

/** Cotangents of a node's inputs (undefined: no gradient flows to that input). */
type Vjp = (node: IRNode, g: IRNode) => readonly (IRNode | undefined)[];

const scalar = (value: number, dtype: DType): IRNode => dataNode({ dtype, shape: [], data: dtype === 'float64' ? new Float64Array([value]) : new Float32Array([value]) });
const inp = (n: IRNode, k: number): IRNode => n.inputs[k] as IRNode;
const op = (name: string, ...inputs: IRNode[]): IRNode => apply(name, inputs);
const withAttrs = (name: string, inputs: IRNode[], attrs: Record<string, number | readonly number[] | boolean | string> = {}): IRNode => apply(name, inputs, attrs);
const zerosLike = (shape: readonly number[], dtype: DType): IRNode => withAttrs('Expand', [scalar(0, dtype)], { shape: [...shape] });
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Sums `g` over the axes along which `shape` was broadcast to g's shape, and reshapes it to `shape`. */
export function unbroadcast(g: IRNode, shape: readonly number[]): IRNode {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.shape.length - shape.length;
  const axes = range(g.shape.length).filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  const summed = axes.length ? withAttrs('ReduceSum', [g], { axes, keepdims: true }) : g;
  return withAttrs('Reshape', [summed], { shape: [...shape] });
}

/** `g` (reduced over `axes`, keepdims or not) brought back to the input's shape. */
function unreduce(g: IRNode, input: readonly number[], axes: readonly number[], keepdims: boolean): IRNode {
  const kept = keepdims ? g : withAttrs('Reshape', [g], { shape: input.map((d, i) => (axes.includes(i) ? 1 : d)) });
  return withAttrs('Expand', [kept], { shape: [...input] });
}

const binaryGrads = (n: IRNode, ga: IRNode | undefined, gb: IRNode | undefined): (IRNode | undefined)[] => [
  ga && unbroadcast(ga, inp(n, 0).shape),
  gb && unbroadcast(gb, inp(n, 1).shape),
];

/** Where `x` holds its reduced extreme `y` (1, else 0), and how many positions share it (dims kept). */
function ties(x: IRNode, y: IRNode, axes: readonly number[], keepdims: boolean): { mask: IRNode; count: IRNode } {
  const mask = withAttrs('Cast', [op('Equal', x, unreduce(y, x.shape, axes, keepdims))], { to: x.dtype });
  return { mask, count: withAttrs('ReduceSum', [mask], { axes: [...axes], keepdims: true }) };
}

/** The cotangent shared evenly among the positions that hold the extreme value `y`. */
function evenly(x: IRNode, y: IRNode, g: IRNode, axes: readonly number[], keepdims: boolean): IRNode {
  const { mask, count } = ties(x, y, axes, keepdims);
  return op('Mul', op('Div', mask, count), unreduce(g, x.shape, axes, keepdims));
}

/** Moves `axis` of a node to the front (a Transpose), or back again with `back`. */
function axisToFront(n: IRNode, axis: number, back = false): IRNode {
  if (axis === 0) return n;
  const rank = n.shape.length;
  const perm = back ? [...range(axis + 1).slice(1), 0, ...range(rank).slice(axis + 1)] : [axis, ...range(rank).filter((i) => i !== axis)];
  return withAttrs('Transpose', [n], { perm });
}

/** How a node is made: the torch context's `op` (autograd records it) or the gradient's own. */
export type MakeNode = (op: string, inputs: IRNode[], attrs?: Record<string, number | readonly number[] | boolean | string>) => IRNode;

/**
 * The running product of `x` along `axis` as PyTorch's cumprod computes it on the CPU: a float32 input is
 * multiplied in float64, each partial product rounded to float32 (a chain of multiplications, so its
 * gradient is the product of the others even where x holds zeros).
 */
export function cumprodOf(make: MakeNode, x: IRNode, axis: number): IRNode {
  const n = x.shape[axis] as number;
  if (n <= 1) return make('Identity', [x]);
  const wide = x.dtype === 'float32' ? make('Cast', [x], { to: 'float64' }) : x;
  const parts: IRNode[] = [];
  for (let k = 0; k < n; k++) {
    const s = make('Slice', [wide], { starts: [k], ends: [k + 1], axes: [axis], steps: [1] });
    parts.push(k === 0 ? s : make('Mul', [parts[k - 1] as IRNode, s]));
  }
  const all = make('Concat', parts, { axis });
  return wide === x ? all : make('Cast', [all], { to: x.dtype });
}

/** `x` reversed along `axis`. */
function flipped(make: MakeNode, x: IRNode, axis: number): IRNode {
  const n = x.shape[axis] as number;
  const index = dataNode({ dtype: 'int64', shape: [n], data: BigInt64Array.from(range(n).reverse(), (v) => BigInt(v)) });
  return make('Gather', [x, index], { axis });
}

/**
 * PyTorch's prod backward: grad * result / input where the input holds no zero, else the product of the
 * other elements (prod_safe_zeros_backward: exclusive running products from both ends).
 */
function prodVjp(n: IRNode, g: IRNode): IRNode {
  const x0 = inp(n, 0);
  const axes = n.attrs.axes as number[];
  const keep = !!n.attrs.keepdims;
  const full = axes.length === x0.shape.length && axes.length !== 1;
  const x = full ? withAttrs('Reshape', [x0], { shape: [x0.shape.reduce((a, b) => a * b, 1)] }) : x0;
  const axis = full ? 0 : (axes[0] as number);
  const gx = full ? withAttrs('Expand', [withAttrs('Reshape', [g], { shape: [1] })], { shape: [...x.shape] }) : unreduce(g, x.shape, axes, keep);
  const result = full ? withAttrs('Expand', [withAttrs('Reshape', [n], { shape: [1] })], { shape: [...x.shape] }) : unreduce(n, x.shape, axes, keep);
  const normal = op('Mul', gx, op('Div', result, x));
  const size = x.shape[axis] as number;
  let safe: IRNode;
  if (size <= 1) safe = gx;
  else {
    const onesShape = x.shape.map((d, i) => (i === axis ? 1 : d));
    const ones = withAttrs('Expand', [scalar(1, x.dtype)], { shape: onesShape });
    const head = withAttrs('Slice', [x], { starts: [0], ends: [size - 1], axes: [axis], steps: [1] });
    const tail = withAttrs('Slice', [x], { starts: [1], ends: [size], axes: [axis], steps: [1] });
    const before = cumprodOf(withAttrs, withAttrs('Concat', [ones, head], { axis }), axis);
    const after = flipped(withAttrs, cumprodOf(withAttrs, withAttrs('Concat', [ones, flipped(withAttrs, tail, axis)], { axis }), axis), axis);
    safe = op('Mul', gx, op('Mul', before, after));
  }
  const zeros = withAttrs('ReduceMax', [withAttrs('Cast', [op('Equal', x, scalar(0, x.dtype))], { to: x.dtype })], { axes: range(x.shape.length), keepdims: false });
  const grad = op('Where', op('Greater', zeros, scalar(0, x.dtype)), safe, normal);
  return full ? withAttrs('Reshape', [grad], { shape: [...x0.shape] }) : grad;
}

/** d erf(x) / dx = 2 / sqrt(pi) * exp(-x^2), at the input of an Erf node. */
function erfSlope(n: IRNode): IRNode {
  const x = inp(n, 0);
  return op('Mul', scalar(2 / Math.sqrt(Math.PI), n.dtype), op('Exp', op('Neg', op('Mul', x, x))));
}

const RULES: Readonly<Record<string, Vjp>> = {
  Identity: (_n, g) => [g],
  Neg: (_n, g) => [op('Neg', g)],
  Exp: (n, g) => [op('Mul', g, n)],
  Log: (n, g) => [op('Div', g, inp(n, 0))],
  Sqrt: (n, g) => [op('Div', g, op('Mul', scalar(2, n.dtype), n))],
  Sin: (n, g) => [op('Mul', g, op('Cos', inp(n, 0)))],
  Cos: (n, g) => [op('Neg', op('Mul', g, op('Sin', inp(n, 0))))],
  Tanh: (n, g) => [op('Mul', g, op('Sub', scalar(1, n.dtype), op('Mul', n, n)))],
  Erf: (n, g) => [op('Mul', g, erfSlope(n))],
  Sigmoid: (n, g) => [op('Mul', g, op('Mul', n, op('Sub', scalar(1, n.dtype), n)))],
  Relu: (n, g) => [op('Where', op('Greater', inp(n, 0), scalar(0, n.dtype)), g, scalar(0, n.dtype))],
  Abs: (n, g) => [op('Mul', g, op('Sign', inp(n, 0)))],
  Reciprocal: (n, g) => [op('Neg', op('Mul', g, op('Mul', n, n)))],
  Floor: (n, g) => [zerosLike(n.shape, g.dtype)],
  Ceil: (n, g) => [zerosLike(n.shape, g.dtype)],
  Sign: (n, g) => [zerosLike(n.shape, g.dtype)],
  Cast: (n, g) => {
    const from = inp(n, 0).dtype;
    return [isFloat(from) ? withAttrs('Cast', [g], { to: from }) : undefined];
  },
  Add: (n, g) => binaryGrads(n, g, g),
  Sub: (n, g) => binaryGrads(n, g, op('Neg', g)),
  Mul: (n, g) => binaryGrads(n, op('Mul', g, inp(n, 1)), op('Mul', g, inp(n, 0))),
  Div: (n, g) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    return binaryGrads(n, op('Div', g, b), op('Neg', op('Div', op('Mul', g, a), op('Mul', b, b))));
  },
  Pow: (n, g) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    const one = scalar(1, n.dtype);
    const da = op('Mul', g, op('Mul', b, op('Pow', a, op('Sub', b, one))));
    // d/db a^b = a^b ln a, taken as 0 where a = 0 (PyTorch's convention for 0^b).
    const db = isFloat(b.dtype) ? op('Mul', g, op('Where', op('Equal', a, scalar(0, n.dtype)), scalar(0, n.dtype), op('Mul', n, op('Log', a)))) : undefined;
    return binaryGrads(n, da, db);
  },
  Max: (n, g) => tiedPair(n, g, 'Greater'),
  Min: (n, g) => tiedPair(n, g, 'Less'),
  Where: (n, g) => {
    const cond = inp(n, 0);
    const zero = scalar(0, g.dtype);
    return [undefined, unbroadcast(op('Where', cond, g, zero), inp(n, 1).shape), unbroadcast(op('Where', cond, zero, g), inp(n, 2).shape)];
  },
  ReduceSum: (n, g) => [unreduce(g, inp(n, 0).shape, n.attrs.axes as number[], !!n.attrs.keepdims)],
  ReduceMean: (n, g) => {
    const x = inp(n, 0);
    const axes = n.attrs.axes as number[];
    const count = axes.reduce((c, a) => c * (x.shape[a] as number), 1);
    return [op('Div', unreduce(g, x.shape, axes, !!n.attrs.keepdims), scalar(count, g.dtype))];
  },
  ReduceProd: (n, g) => [prodVjp(n, g)],
  CumSum: (n, g) => [withAttrs('CumSum', [g], { axis: n.attrs.axis as number, reverse: !n.attrs.reverse })],
  ReduceMax: (n, g) => [evenly(inp(n, 0), n, g, n.attrs.axes as number[], !!n.attrs.keepdims)],
  ReduceMin: (n, g) => [evenly(inp(n, 0), n, g, n.attrs.axes as number[], !!n.attrs.keepdims)],
  ReduceLogSumExp: (n, g) => {
    const x = inp(n, 0);
    const axes = n.attrs.axes as number[];
    const keep = !!n.attrs.keepdims;
    return [op('Mul', unreduce(g, x.shape, axes, keep), op('Exp', op('Sub', x, unreduce(n, x.shape, axes, keep))))];
  },
  ReduceL2: (n, g) => {
    // x / ‖x‖ (0 where the norm is 0, as PyTorch's norm backward).
    const x = inp(n, 0);
    const axes = n.attrs.axes as number[];
    const keep = !!n.attrs.keepdims;
    const norm = unreduce(n, x.shape, axes, keep);
    const zero = scalar(0, g.dtype);
    return [op('Mul', unreduce(g, x.shape, axes, keep), op('Where', op('Equal', norm, zero), zero, op('Div', x, norm)))];
  },
  Softmax: (n, g) => {
    const axis = n.attrs.axis as number;
    const dot = withAttrs('ReduceSum', [op('Mul', g, n)], { axes: [axis], keepdims: true });
    return [op('Mul', n, op('Sub', g, dot))];
  },
  LogSoftmax: (n, g) => {
    const axis = n.attrs.axis as number;
    const total = withAttrs('ReduceSum', [g], { axes: [axis], keepdims: true });
    return [op('Sub', g, op('Mul', op('Exp', n), total))];
  },
  MatMul: (n, g) => matmulVjp(n, g),
  Reshape: (n, g) => [withAttrs('Reshape', [g], { shape: [...inp(n, 0).shape] })],
  Transpose: (n, g) => {
    const perm = n.attrs.perm as number[];
    const inverse = range(perm.length).map((i) => perm.indexOf(i));
    return [withAttrs('Transpose', [g], { perm: inverse })];
  },
  Expand: (n, g) => [unbroadcast(g, inp(n, 0).shape)],
  Tile: (n, g) => {
    // [r0*d0, r1*d1, ...] viewed as [r0, d0, r1, d1, ...]: sum over the r's.
    const x = inp(n, 0);
    const reps = n.attrs.repeats as number[];
    const split = x.shape.flatMap((d, i) => [reps[i] as number, d]);
    const summed = withAttrs('ReduceSum', [withAttrs('Reshape', [g], { shape: split })], { axes: range(x.shape.length).map((i) => 2 * i), keepdims: false });
    return [withAttrs('Reshape', [summed], { shape: [...x.shape] })];
  },
  Concat: (n, g) => {
    const axis = n.attrs.axis as number;
    let at = 0;
    return n.inputs.map((x) => {
      const size = x.shape[axis] as number;
      const part = withAttrs('Slice', [g], { starts: [at], ends: [at + size], axes: [axis], steps: [1] });
      at += size;
      return part;
    });
  },
  Slice: (n, g) => {
    // The slice's positions, computed here (the slice is static), receive g; the rest is zero.
    const x = inp(n, 0);
    const index = sliceIndices(x.shape, n.attrs.starts as number[], n.attrs.ends as number[], n.attrs.axes as number[], n.attrs.steps as number[]);
    const indices = dataNode({ dtype: 'int64', shape: [...n.shape, x.shape.length], data: BigInt64Array.from(index, (v) => BigInt(v)) });
    return [op('ScatterNDAdd', zerosLike(x.shape, g.dtype), indices, g)];
  },
  Gather: (n, g) => {
    // Moved to the front, the gathered axis is ScatterND's: updates [idx..., rest] into [D, rest].
    const [x, idx] = [inp(n, 0), inp(n, 1)];
    const axis = n.attrs.axis as number;
    const front = axisToFront(zerosLike(x.shape, g.dtype), axis);
    const k = idx.shape.length;
    const gFront = axis === 0 ? g : withAttrs('Transpose', [g], { perm: [...range(k).map((i) => axis + i), ...range(axis), ...range(g.shape.length).slice(axis + k)] });
    const positions = withAttrs('Reshape', [idx], { shape: [...idx.shape, 1] });
    return [axisToFront(op('ScatterNDAdd', front, positions, gFront), axis, true), undefined];
  },
  GatherElements: (n, g) => [withAttrs('ScatterElementsAdd', [zerosLike(inp(n, 0).shape, g.dtype), inp(n, 1), g], { axis: n.attrs.axis as number }), undefined],
  GatherND: (n, g) => [op('ScatterNDAdd', zerosLike(inp(n, 0).shape, g.dtype), inp(n, 1), g), undefined],
  ScatterND: (n, g) => {
    const [indices, updates] = [inp(n, 1), inp(n, 2)];
    return [op('ScatterND', g, indices, zerosLike(updates.shape, g.dtype)), undefined, op('GatherND', g, indices)];
  },
  ScatterElements: (n, g) => {
    const [idx, src] = [inp(n, 1), inp(n, 2)];
    const axis = n.attrs.axis as number;
    return [withAttrs('ScatterElements', [g, idx, zerosLike(src.shape, g.dtype)], { axis }), undefined, withAttrs('GatherElements', [g, idx], { axis })];
  },
  // Gradients' own ops, differentiated again for create_graph=True.
  ScatterNDAdd: (n, g) => [g, undefined, op('GatherND', g, inp(n, 1))],
  ScatterElementsAdd: (n, g) => [g, undefined, withAttrs('GatherElements', [g, inp(n, 1)], { axis: n.attrs.axis as number })],
  Conv: convVjp,
  ConvTranspose: convTransposeVjp,
};

function tiedPair(n: IRNode, g: IRNode, wins: 'Greater' | 'Less'): (IRNode | undefined)[] {
  const [a, b] = [inp(n, 0), inp(n, 1)];
  const half = op('Mul', g, scalar(0.5, g.dtype));
  const zero = scalar(0, g.dtype);
  const tie = op('Equal', a, b);
  const ga = op('Where', op(wins, a, b), g, op('Where', tie, half, zero));
  const gb = op('Where', op(wins, b, a), g, op('Where', tie, half, zero));
  return binaryGrads(n, ga, gb);
}

function matmulVjp(n: IRNode, g: IRNode): (IRNode | undefined)[] {
  const [a, b] = [inp(n, 0), inp(n, 1)];
  // 1-D operands are matrices of one row (a) or one column (b), as in torch.matmul.
  const a2 = a.shape.length === 1 ? withAttrs('Reshape', [a], { shape: [1, a.shape[0] as number] }) : a;
  const b2 = b.shape.length === 1 ? withAttrs('Reshape', [b], { shape: [b.shape[0] as number, 1] }) : b;
  const out = [...n.shape];
  if (a.shape.length === 1) out.splice(out.length - (b.shape.length === 1 ? 0 : 1), 0, 1);
  if (b.shape.length === 1) out.push(1);
  const g2 = withAttrs('Reshape', [g], { shape: out });
  const t = (x: IRNode): IRNode => withAttrs('Transpose', [x], { perm: [...range(x.shape.length - 2), x.shape.length - 1, x.shape.length - 2] });
  const ga = unbroadcast(op('MatMul', g2, t(b2)), a2.shape);
  const gb = unbroadcast(op('MatMul', t(a2), g2), b2.shape);
  return [withAttrs('Reshape', [ga], { shape: [...a.shape] }), withAttrs('Reshape', [gb], { shape: [...b.shape] })];
}

/** The full index (one row per element of the slice, row-major) of every position a static slice takes. */
function sliceIndices(shape: readonly number[], starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[]): number[] {
  const per = shape.map((d, i) => {
    const k = axes.indexOf(i);
    if (k < 0) return range(d);
    const out: number[] = [];
    for (let v = starts[k] as number; v < (ends[k] as number); v += steps[k] as number) out.push(v);
    return out;
  });
  const rows: number[] = [];
  const walk = (axis: number, prefix: number[]): void => {
    if (axis === shape.length) {
      rows.push(...prefix);
      return;
    }
    for (const v of per[axis] as number[]) walk(axis + 1, [...prefix, v]);
  };
  walk(0, []);
  return rows;
}

/**
 * Ops whose backward needs values saved by the forward pass (PyTorch frees them after a backward without
 * retain_graph, and a second backward through them fails).
 */
export const SAVES_VALUES: ReadonlySet<string> = new Set([
  'Exp', 'Log', 'Sqrt', 'Sin', 'Cos', 'Tanh', 'Erf', 'Sigmoid', 'Relu', 'Abs', 'Reciprocal', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Where',
  'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceLogSumExp', 'ReduceL2', 'Softmax', 'LogSoftmax', 'MatMul', 'Gather', 'GatherElements', 'GatherND', 'ScatterND',
  'Conv', 'ConvTranspose',
]);

/**
 * Whether the backward of `n` reads the value input `k` had when `n` ran (PyTorch saves that input), given
 * which inputs require grad: modifying it in place afterwards makes the backward fail as PyTorch's does.
 */
export function savesInput(n: IRNode, k: number, requires: (x: IRNode) => boolean): boolean {
  switch (n.op) {
    case 'Log': case 'Sin': case 'Cos': case 'Abs': case 'Pow': case 'Max': case 'Min': case 'ReduceMax': case 'ReduceMin': case 'ReduceProd': case 'ReduceLogSumExp':
      return true;
    case 'Conv': case 'ConvTranspose':
      return k < 2; // the input and the weight, whichever requires grad (not the bias)
    case 'Mul': case 'MatMul':
      return n.inputs.some((x, i) => i !== k && requires(x));
    case 'Div':
      return k === 1 || requires(n.inputs[1] as IRNode);
    default:
      return false;
  }
}

/** The ops with a derivative rule (ops with integer or boolean results need none). */
export const RULE_OPS: readonly string[] = Object.keys(RULES);

/** IR ops only gradients use (the torch surface never makes them; ScatterElementsAdd it makes for scatter_add). */
export const GRADIENT_ONLY_OPS: readonly string[] = ['ScatterNDAdd', 'ConvTranspose'];

/**
 * The gradients of `outputs` (weighted by `seeds`, one per output, of the output's shape) with respect to
 * each of `wrt`, as IR nodes; undefined for a node no output depends on. Only paths through floating-point
 * nodes carry gradient (and only into the inputs of nodes `through` accepts: autograd's, those that
 * require grad); an op on such a path with no rule throws MissingDerivative.
 */
export function gradients(outputs: readonly IRNode[], seeds: readonly IRNode[], wrt: readonly IRNode[], through: (n: IRNode) => boolean = () => true): (IRNode | undefined)[] {
  const targets = new Set(wrt.map((n) => n.id));
  // The nodes on a path from an output to a target, in an order where a node comes after its inputs.
  const reaches = new Map<number, boolean>();
  const order: IRNode[] = [];
  const visit = (n: IRNode): boolean => {
    const known = reaches.get(n.id);
    if (known !== undefined) return known;
    reaches.set(n.id, false);
    let r = targets.has(n.id);
    if (isFloat(n.dtype) && through(n)) for (const i of n.inputs) if (visit(i)) r = true;
    reaches.set(n.id, r);
    if (r) order.push(n);
    return r;
  };
  outputs.forEach(visit);

  const cotangent = new Map<number, IRNode>();
  const add = (n: IRNode, g: IRNode): void => {
    const prev = cotangent.get(n.id);
    cotangent.set(n.id, prev ? op('Add', prev, g) : g);
  };
  outputs.forEach((o, k) => {
    if (reaches.get(o.id)) add(o, seeds[k] as IRNode);
  });
  for (let k = order.length - 1; k >= 0; k--) {
    const n = order[k] as IRNode;
    const g = cotangent.get(n.id);
    if (!g || targets.has(n.id) && !n.inputs.some((i) => reaches.get(i.id))) continue;
    const rule = RULES[n.op];
    if (!rule) throw new MissingDerivative(n.op);
    const grads = rule(n, g);
    n.inputs.forEach((i, j) => {
      const gi = grads[j];
      if (gi && reaches.get(i.id)) add(i, gi);
    });
  }
  return wrt.map((n) => cotangent.get(n.id));
}

// ---- forward mode -----------------------------------------------------------------------------------------

/** The tangent of a node's output from its inputs' tangents (undefined: an input with no tangent). */
type Jvp = (node: IRNode, t: readonly (IRNode | undefined)[]) => IRNode;

/** A tangent of `node`'s shape: `t` broadcast to it, or zeros where there is none. */
function fit(t: IRNode | undefined, shape: readonly number[], dtype: DType): IRNode {
  if (!t) return zerosLike(shape, dtype);
  return t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : withAttrs('Expand', [t], { shape: [...shape] });
}

/** The tangent of input k, or zeros of its shape. */
const tan = (n: IRNode, t: readonly (IRNode | undefined)[], k: number): IRNode => t[k] ?? zerosLike(inp(n, k).shape, n.dtype);
/** The same op applied to the tangent of input 0 (linear ops), other inputs unchanged. */
const same: Jvp = (n, t) => apply(n.op, [tan(n, t, 0), ...n.inputs.slice(1)], n.attrs);
/** Elementwise: the tangent of input 0 times a factor. */
const scaled = (factor: (n: IRNode) => IRNode): Jvp => (n, t) => op('Mul', tan(n, t, 0), factor(n));

const JVP_RULES: Readonly<Record<string, Jvp>> = {
  Identity: same,
  Neg: same,
  Exp: scaled((n) => n),
  Log: (n, t) => op('Div', tan(n, t, 0), inp(n, 0)),
  Sqrt: (n, t) => op('Div', tan(n, t, 0), op('Mul', scalar(2, n.dtype), n)),
  Sin: scaled((n) => op('Cos', inp(n, 0))),
  Cos: scaled((n) => op('Neg', op('Sin', inp(n, 0)))),
  Tanh: scaled((n) => op('Sub', scalar(1, n.dtype), op('Mul', n, n))),
  Erf: scaled(erfSlope),
  Sigmoid: scaled((n) => op('Mul', n, op('Sub', scalar(1, n.dtype), n))),
  Relu: (n, t) => op('Where', op('Greater', inp(n, 0), scalar(0, n.dtype)), tan(n, t, 0), scalar(0, n.dtype)),
  Abs: scaled((n) => op('Sign', inp(n, 0))),
  Reciprocal: scaled((n) => op('Neg', op('Mul', n, n))),
  Floor: (n) => zerosLike(n.shape, n.dtype),
  Ceil: (n) => zerosLike(n.shape, n.dtype),
  Sign: (n) => zerosLike(n.shape, n.dtype),
  Cast: (n, t) => withAttrs('Cast', [tan(n, t, 0)], { to: n.dtype }),
  Add: (n, t) => fit(op('Add', tan(n, t, 0), tan(n, t, 1)), n.shape, n.dtype),
  Sub: (n, t) => fit(op('Sub', tan(n, t, 0), tan(n, t, 1)), n.shape, n.dtype),
  Mul: (n, t) => fit(op('Add', op('Mul', tan(n, t, 0), inp(n, 1)), op('Mul', inp(n, 0), tan(n, t, 1))), n.shape, n.dtype),
  Div: (n, t) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    return fit(op('Sub', op('Div', tan(n, t, 0), b), op('Div', op('Mul', a, tan(n, t, 1)), op('Mul', b, b))), n.shape, n.dtype);
  },
  Pow: (n, t) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    const da = op('Mul', tan(n, t, 0), op('Mul', b, op('Pow', a, op('Sub', b, scalar(1, n.dtype)))));
    if (!t[1]) return fit(da, n.shape, n.dtype);
    const db = op('Mul', t[1], op('Where', op('Equal', a, scalar(0, n.dtype)), scalar(0, n.dtype), op('Mul', n, op('Log', a))));
    return fit(op('Add', da, db), n.shape, n.dtype);
  },
  Max: (n, t) => tiedTangent(n, t, 'Greater'),
  Min: (n, t) => tiedTangent(n, t, 'Less'),
  Where: (n, t) => fit(op('Where', inp(n, 0), tan(n, t, 1), tan(n, t, 2)), n.shape, n.dtype),
  ReduceSum: same,
  ReduceMean: same,
  CumSum: same,
  ReduceProd: (n, t) => {
    // The tangent weighted by the product of the other elements (the backward rule's seed of ones).
    const axes = n.attrs.axes as number[];
    const w = prodVjp(n, withAttrs('Expand', [scalar(1, n.dtype)], { shape: [...n.shape] }));
    return withAttrs('ReduceSum', [op('Mul', w, tan(n, t, 0))], { axes, keepdims: !!n.attrs.keepdims });
  },
  ReduceMax: (n, t) => evenlyTangent(n, t),
  ReduceMin: (n, t) => evenlyTangent(n, t),
  ReduceLogSumExp: (n, t) => {
    const x = inp(n, 0);
    const axes = n.attrs.axes as number[];
    const w = op('Exp', op('Sub', x, unreduce(n, x.shape, axes, !!n.attrs.keepdims)));
    return withAttrs('ReduceSum', [op('Mul', w, tan(n, t, 0))], { axes, keepdims: !!n.attrs.keepdims });
  },
  ReduceL2: (n, t) => {
    const x = inp(n, 0);
    const axes = n.attrs.axes as number[];
    const keep = !!n.attrs.keepdims;
    const kept = withAttrs('ReduceSum', [op('Mul', x, tan(n, t, 0))], { axes, keepdims: keep });
    const zero = scalar(0, n.dtype);
    return op('Where', op('Equal', n, zero), zero, op('Div', kept, n));
  },
  Softmax: (n, t) => {
    const dot = withAttrs('ReduceSum', [op('Mul', n, tan(n, t, 0))], { axes: [n.attrs.axis as number], keepdims: true });
    return op('Mul', n, op('Sub', tan(n, t, 0), dot));
  },
  LogSoftmax: (n, t) => {
    const dot = withAttrs('ReduceSum', [op('Mul', op('Exp', n), tan(n, t, 0))], { axes: [n.attrs.axis as number], keepdims: true });
    return op('Sub', tan(n, t, 0), dot);
  },
  MatMul: (n, t) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    const parts = [t[0] && op('MatMul', t[0], b), t[1] && op('MatMul', a, t[1])].filter((x): x is IRNode => !!x);
    return fit(parts.length === 2 ? op('Add', parts[0] as IRNode, parts[1] as IRNode) : parts[0], n.shape, n.dtype);
  },
  Reshape: same,
  Transpose: same,
  Expand: same,
  Tile: same,
  Concat: (n, t) => apply('Concat', n.inputs.map((_, k) => tan(n, t, k)), n.attrs),
  Slice: same,
  Gather: same,
  GatherElements: same,
  GatherND: same,
  ScatterND: (n, t) => op('ScatterND', tan(n, t, 0), inp(n, 1), tan(n, t, 2)),
  ScatterNDAdd: (n, t) => op('ScatterNDAdd', tan(n, t, 0), inp(n, 1), tan(n, t, 2)),
  ScatterElements: (n, t) => withAttrs('ScatterElements', [tan(n, t, 0), inp(n, 1), tan(n, t, 2)], { axis: n.attrs.axis as number }),
  ScatterElementsAdd: (n, t) => withAttrs('ScatterElementsAdd', [tan(n, t, 0), inp(n, 1), tan(n, t, 2)], { axis: n.attrs.axis as number }),
  Conv: convJvp,
  ConvTranspose: convTransposeJvp,
};

function tiedTangent(n: IRNode, t: readonly (IRNode | undefined)[], wins: 'Greater' | 'Less'): IRNode {
  const [a, b] = [inp(n, 0), inp(n, 1)];
  const [ta, tb] = [fit(t[0], n.shape, n.dtype), fit(t[1], n.shape, n.dtype)];
  const half = op('Mul', op('Add', ta, tb), scalar(0.5, n.dtype));
  return op('Where', op(wins, a, b), ta, op('Where', op('Equal', a, b), half, tb));
}

/** The mean of the tangent over the positions that hold the extreme value (as `evenly`, forward). */
function evenlyTangent(n: IRNode, t: readonly (IRNode | undefined)[]): IRNode {
  const x = inp(n, 0);
  const axes = n.attrs.axes as number[];
  const keep = !!n.attrs.keepdims;
  const { mask, count } = ties(x, n, axes, keep);
  const total = withAttrs('ReduceSum', [op('Mul', mask, tan(n, t, 0))], { axes, keepdims: true });
  return unkeep(op('Div', total, count), axes, keep);
}

/** A reduction computed with dims kept, reshaped to what the node (kept or not) has. */
function unkeep(n: IRNode, axes: readonly number[], keepdims: boolean): IRNode {
  return keepdims ? n : withAttrs('Reshape', [n], { shape: n.shape.filter((_, i) => !axes.includes(i)) });
}

/** The ops with a forward-mode rule. */
export const JVP_OPS: readonly string[] = Object.keys(JVP_RULES);

/**
 * Forward mode: the tangents of `outputs` when the nodes `wrt` move along `tangents` (one per node, of its
 * shape), as IR nodes; undefined for an output that does not depend on them.
 */
export function tangents(outputs: readonly IRNode[], wrt: readonly IRNode[], directions: readonly IRNode[]): (IRNode | undefined)[] {
  const known = new Map<number, IRNode>(wrt.map((n, k) => [n.id, directions[k] as IRNode]));
  const done = new Set<number>();
  const visit = (n: IRNode): IRNode | undefined => {
    if (known.has(n.id) || done.has(n.id)) return known.get(n.id);
    done.add(n.id);
    if (!isFloat(n.dtype)) return undefined;
    const inputs = n.inputs.map(visit);
    if (inputs.every((t) => !t)) return undefined;
    const rule = JVP_RULES[n.op];
    if (!rule) throw new MissingDerivative(n.op);
    const t = rule(n, inputs);
    known.set(n.id, t);
    return t;
  };
  return outputs.map(visit);
}
