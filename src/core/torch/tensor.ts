/**
 * The Tensor value of the interpreter: a handle on an IR node (lazy), with PyTorch 1.13's semantics for
 * the operations of the supported surface. Values are computed by the Runtime only when Python needs
 * them (`if`, `.item()`, `print`, the end of a run).
 */
import type { DType, TensorData } from '../engine/dtype';
import { SCALAR_NAME, TORCH_NAME, allocate, category, isFloat, numel, numberAt, resultType, storageFrom } from '../engine/dtype';
import type { IRNode, SourceLoc } from '../engine/ir';
import { ShapeError, apply, broadcastShapes, dataNode } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import type { TorchGenerator } from '../engine/random';
import { floatRepr } from '../python/format';
import { gradFnName } from './grad-fn';
import type { CallSite, PyValue } from '../python/values';
import { BudgetExceeded, HostValue, PyBuiltin, PyClass, PyError, PyList, PyTuple, Unsupported, typeName } from '../python/values';

/**
 * What a harness watching a training loop is told (the Q2 checks): each backward pass with the gradient it
 * adds to each leaf, each optimizer step before it applies, and a backward refused because an earlier one
 * freed the graph. Hooks may not change what the program computes.
 */
export interface TrainingObserver {
  backward?(e: { readonly loc: SourceLoc | undefined; readonly added: ReadonlyMap<Tensor, IRNode> }): void;
  step?(e: { readonly loc: SourceLoc | undefined; readonly params: readonly Tensor[] }): Promise<void> | void;
  refused?(e: { readonly loc: SourceLoc | undefined; readonly freedAt: readonly SourceLoc[] }): void;
}

export interface TorchOptions {
  /** Largest number of elements one tensor may have. */
  readonly maxElements: number;
}

/** State shared by the torch bindings of one run. */
export class TorchContext {
  /** The call being bound, for node locations and API names. */
  meta: { api?: string; loc?: SourceLoc; node?: CallSite['node'] } = {};
  gradEnabled = true;
  /** Nodes that require grad: a leaf's, or one computed from such a node while grad was enabled. */
  readonly requiring = new WeakSet<IRNode>();
  /** The leaf tensors that require grad, by their node (where backward() accumulates `.grad`). */
  readonly leaves = new WeakMap<IRNode, Tensor>();
  /** Nodes whose saved values a backward without retain_graph freed, with where that backward was called. */
  readonly freed = new WeakMap<IRNode, SourceLoc | undefined>();
  /** A tensor's version (in-place modifications so far) at each node it was rebound to. */
  readonly versions = new WeakMap<IRNode, number>();
  /** Never free saved values (a harness re-running a loop as if it passed retain_graph=True). */
  keepGraphs = false;
  /** A harness watching the program's training loop, if any. */
  observer: TrainingObserver | undefined;
  /** Forward AD: whether a dual level is open, and its dual tensors (primal node → tangent). */
  readonly dual = { open: false, tangents: new Map<IRNode, IRNode>() };
  /** The source being run (numbered by the session), recorded in node locations. */
  source = 0;
  /** Every torch function, method, layer or operator the program used, by name. */
  readonly used = new Set<string>();
  /** The modules whose forward is running, outermost first. */
  readonly modules: object[] = [];

  /** Starts a binding call: later nodes carry this API name and the call's place. */
  enter(api: string, site: CallSite): void {
    this.meta = { api, node: site.node, loc: this.locOf(site) };
    this.used.add(api);
  }

  /** Where a call is, in the source being run. */
  locOf(site: CallSite): SourceLoc {
    const n = site.node;
    return { row: n.startPosition.row, column: n.startPosition.column, endRow: n.endPosition.row, endColumn: n.endPosition.column, source: this.source };
  }
  constructor(
    readonly runtime: Runtime,
    readonly generator: TorchGenerator,
    readonly options: TorchOptions,
  ) {}

  /** Applies a primitive at the current call, enforcing the element budget. */
  op(op: string, inputs: readonly IRNode[], attrs: Record<string, unknown> = {}): IRNode {
    let n: IRNode;
    try {
      n = apply(op, inputs, attrs as never, { api: this.meta.api, loc: this.meta.loc, module: this.modules[0] });
    } catch (e) {
      if (e instanceof ShapeError) throw new PyError('RuntimeError', e.message);
      throw e;
    }
    this.checkSize(n.shape);
    if (this.gradEnabled && isFloat(n.dtype) && inputs.some((i) => this.requiring.has(i))) this.requiring.add(n);
    return n;
  }

  /** The same values as a new node that does not require grad (`detach()`, `.data`). */
  detached(n: IRNode): IRNode {
    return apply('Identity', [n], {}, { api: this.meta.api, loc: this.meta.loc });
  }

  checkSize(shape: readonly number[]): void {
    const n = numel(shape);
    if (n > this.options.maxElements) {
      const line = this.meta.loc ? ` at line ${this.meta.loc.row + 1}` : '';
      throw new BudgetExceeded(
        `stopped: a tensor of shape [${shape.join(', ')}] (${n.toLocaleString('en-US')} elements) exceeds the limit of ${this.options.maxElements.toLocaleString('en-US')}${line}`,
        this.meta.node,
      );
    }
  }

  data(data: TensorData): IRNode {
    this.checkSize(data.shape);
    return dataNode(data, this.meta.loc);
  }

  scalar(value: number | bigint | boolean, dtype: DType): IRNode {
    return dataNode({ dtype, shape: [], data: storageFrom(dtype, [value]) }, this.meta.loc);
  }

  cast(n: IRNode, dtype: DType): IRNode {
    return n.dtype === dtype ? n : this.op('Cast', [n], { to: dtype });
  }

  reshape(n: IRNode, shape: readonly number[]): IRNode {
    if (shape.length === n.shape.length && shape.every((d, i) => d === n.shape[i])) return n;
    return this.op('Reshape', [n], { shape: [...shape] });
  }

  wrap(n: IRNode): Tensor {
    return new Tensor(n, this);
  }

  async realize(n: IRNode): Promise<TensorData> {
    const [d] = await this.runtime.realize([n]);
    return d as TensorData;
  }
}

/** `Dimension out of range (expected to be in range of [-2, 1], but got 2)` */
export function normDim(dim: number, rank: number, argName?: string): number {
  const r = Math.max(rank, 1);
  if (dim < -r || dim >= r) {
    throw new PyError('IndexError', `Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`, undefined, argName);
  }
  return dim < 0 ? dim + r : dim;
}

export class Tensor extends HostValue {
  isParameter = false;
  grad: Tensor | null = null;

  /** Whether autograd records operations on it (its node requires grad). */
  get requiresGrad(): boolean {
    return this.ctx.requiring.has(this.node);
  }

  /** A tensor autograd did not compute: created by the user, or computed with nothing requiring grad. */
  get isLeaf(): boolean {
    return !this.requiresGrad || this.ctx.leaves.get(this.node) === this;
  }

  /** `requires_grad_()`: makes a leaf require grad (or not); PyTorch's errors for what cannot. */
  setRequiresGrad(value: boolean): void {
    if (!this.isLeaf) {
      throw new PyError('RuntimeError', 'you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn\'t require differentiation use var_no_grad = var.detach().');
    }
    if (value && !isFloat(this.dtype)) throw new PyError('RuntimeError', 'only Tensors of floating point and complex dtype can require gradients');
    if (value) {
      this.ctx.requiring.add(this.node);
      this.ctx.leaves.set(this.node, this);
    } else {
      this.ctx.requiring.delete(this.node);
      this.ctx.leaves.delete(this.node);
    }
  }

  /** Rebinds the tensor to a new value (in-place ops); a leaf stays the leaf it was. */
  rebind(n: IRNode): void {
    const leaf = this.ctx.leaves.get(this.node) === this;
    const version = this.version + 1;
    this.node = n;
    this.ctx.versions.set(n, version);
    if (leaf) {
      this.ctx.requiring.add(n);
      this.ctx.leaves.set(n, this);
    }
  }

  /** PyTorch's version counter: how many times the tensor was modified in place. */
  get version(): number {
    return this.ctx.versions.get(this.node) ?? 0;
  }

  constructor(
    public node: IRNode,
    readonly ctx: TorchContext,
  ) {
    super();
  }

  get shape(): readonly number[] {
    return this.node.shape;
  }
  get dtype(): DType {
    return this.node.dtype;
  }
  get rank(): number {
    return this.node.shape.length;
  }

  override typeName(): string {
    return this.isParameter ? 'Parameter' : 'Tensor';
  }

  /** Known contents without running anything (leaves and realised nodes). */
  known(): TensorData | undefined {
    return this.ctx.runtime.known(this.node);
  }

  /** The Python number of a known one-element tensor (for format specs and argument parsing). */
  scalarValue(): PyValue | undefined {
    const d = this.known();
    if (!d || numel(d.shape) !== 1) return undefined;
    return toPython(d, 0);
  }

  indexValue(): bigint | undefined {
    if (this.dtype !== 'int64' || this.rank !== 0) return undefined;
    const v = this.scalarValue();
    return typeof v === 'bigint' ? v : undefined;
  }

  override length(): number | undefined {
    if (this.rank === 0) throw new PyError('TypeError', 'len() of a 0-d tensor');
    return this.shape[0];
  }

  override getAttr(name: string): PyValue | undefined {
    return tensorAttribute(this, name);
  }

  attributeNames(): string[] {
    return tensorAttributeNames();
  }

  isInstanceOf(cls: PyClass): boolean {
    return cls === TENSOR_CLASS || (this.isParameter && cls === PARAMETER_CLASS);
  }

  override binary(op: string, other: PyValue, reflected: boolean, site: CallSite): PyValue | undefined {
    const fn = BINARY_OPS[op];
    if (!fn) return undefined;
    const o = asOperand(this.ctx, other);
    if (!o) return undefined;
    this.ctx.enter(op, site);
    return reflected ? fn(this.ctx, o, this) : fn(this.ctx, this, o);
  }

  override inplace(op: string, other: PyValue, site: CallSite): boolean {
    const fn = BINARY_OPS[op];
    const o = fn && asOperand(this.ctx, other);
    if (!fn || !o) return false;
    this.ctx.enter(`${op}=`, site);
    const r = fn(this.ctx, this, o);
    assignInPlace(this, r, op);
    return true;
  }

  override unary(op: string, site: CallSite): PyValue | undefined {
    if (site) this.ctx.enter(`unary ${op}`, site);
    if (op === '-') {
      if (this.dtype === 'bool') throw new PyError('RuntimeError', 'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
      return this.ctx.wrap(this.ctx.op('Neg', [this.node]));
    }
    if (op === '+') return this;
    if (op === '~') {
      if (this.dtype !== 'bool') throw new Unsupported('~ on integer tensors');
      return this.ctx.wrap(this.ctx.op('Not', [this.node]));
    }
    return undefined;
  }

  override async getItem(index: PyValue, site: CallSite): Promise<PyValue> {
    this.ctx.enter('[]', site);
    return indexTensor(this, index);
  }

  override async setItem(index: PyValue, value: PyValue, site: CallSite): Promise<boolean> {
    this.ctx.enter('[]=', site);
    await setIndex(this, index, value);
    return true;
  }

  override iterate(site: CallSite): PyValue[] {
    this.ctx.enter('for', site);
    if (this.rank === 0) throw new PyError('TypeError', 'iteration over a 0-d tensor');
    const n = this.shape[0] as number;
    return Array.from({ length: n }, (_, i) => this.ctx.wrap(this.ctx.op('Gather', [this.node, this.ctx.scalar(BigInt(i), 'int64')], { axis: 0 })));
  }

  override async convert(to: 'bool' | 'float' | 'int'): Promise<PyValue> {
    const n = numel(this.shape);
    if (n !== 1) {
      if (to === 'bool') throw new PyError('RuntimeError', `Boolean value of Tensor with ${n === 0 ? 'no values' : 'more than one value'} is ambiguous`);
      throw new PyError(n === 0 ? 'RuntimeError' : 'ValueError', n === 0 ? 'a Tensor with 0 elements cannot be converted to Scalar' : 'only one element tensors can be converted to Python scalars');
    }
    const d = await this.ctx.realize(this.node);
    const v = toPython(d, 0);
    if (to === 'bool') return typeof v === 'boolean' ? v : typeof v === 'bigint' ? v !== 0n : v !== 0;
    if (to === 'float') return Number(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new PyError('ValueError', `cannot convert float ${floatRepr(v)} to integer`);
      return BigInt(Math.trunc(v));
    }
    return typeof v === 'boolean' ? (v ? 1n : 0n) : v;
  }

  override async prepare(): Promise<void> {
    await this.ctx.realize(this.node);
  }

  override repr(): string {
    const d = this.known();
    if (!d) return `tensor(<not computed>, shape=[${this.shape.join(', ')}])`;
    if (!this.requiresGrad) return formatTensor(d);
    if (this.isLeaf) return formatTensor(d, 'requires_grad=True');
    const name = gradFnName(this.node);
    return formatTensor(d, name ? `grad_fn=<${name}>` : undefined);
  }
}

/** A tensor's value as a Python scalar. */
export function toPython(d: TensorData, i: number): PyValue {
  const v = d.data[i] as number | bigint;
  if (d.dtype === 'bool') return v !== 0;
  if (d.dtype === 'int64') return v as bigint;
  return Number(v);
}


export const TENSOR_CLASS = new PyClass('Tensor', [], new Map());
export const PARAMETER_CLASS = new PyClass('Parameter', [TENSOR_CLASS], new Map());

// ---- operands and elementwise ops ----------------------------------------------------------------------

export type Operand = Tensor | { readonly scalar: number | bigint | boolean };

export function asOperand(_ctx: TorchContext, v: PyValue): Operand | undefined {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return { scalar: v };
  return undefined;
}

function operandInfo(o: Operand): Parameters<typeof resultType>[0][number] {
  if (o instanceof Tensor) return { kind: 'tensor', dtype: o.dtype, rank: o.rank };
  return { kind: 'scalar', dtype: typeof o.scalar === 'number' ? 'float32' : typeof o.scalar === 'bigint' ? 'int64' : 'bool' };
}

export function promoteOperands(...os: Operand[]): DType {
  return resultType(os.map(operandInfo));
}

export function operandNode(ctx: TorchContext, o: Operand, dtype: DType): IRNode {
  if (o instanceof Tensor) return ctx.cast(o.node, dtype);
  if (dtype === 'int64' && typeof o.scalar === 'number') return ctx.scalar(Math.trunc(o.scalar), dtype);
  return ctx.scalar(o.scalar, dtype);
}

function elementwise(ctx: TorchContext, op: string, a: Operand, b: Operand, dtype?: DType): Tensor {
  const t = dtype ?? promoteOperands(a, b);
  return ctx.wrap(ctx.op(op, [operandNode(ctx, a, t), operandNode(ctx, b, t)]));
}

function compareOp(onnx: string, negate = false) {
  return (ctx: TorchContext, a: Operand, b: Operand): Tensor => {
    let t = promoteOperands(a, b);
    // ONNX's Less/Greater have no bool kernels: compare bools as integers.
    if (t === 'bool' && onnx !== 'Equal') t = 'int64';
    const r = ctx.op(onnx, [operandNode(ctx, a, t), operandNode(ctx, b, t)]);
    return ctx.wrap(negate ? ctx.op('Not', [r]) : r);
  };
}

export function trueDivide(ctx: TorchContext, a: Operand, b: Operand): Tensor {
  let t = promoteOperands(a, b);
  if (!isFloat(t)) t = 'float32';
  return elementwise(ctx, 'Div', a, b, t);
}

export function floorDivide(ctx: TorchContext, a: Operand, b: Operand): Tensor {
  const t = promoteOperands(a, b);
  if (isFloat(t)) return ctx.wrap(ctx.op('Floor', [elementwise(ctx, 'Div', a, b, t).node]));
  if (t === 'bool') throw new PyError('RuntimeError', '"div_floor_cpu" not implemented for \'Bool\'');
  checkIntDivisor(b);
  const x = operandNode(ctx, a, t);
  const y = operandNode(ctx, b, t);
  const rem = ctx.op('Mod', [x, y]);
  return ctx.wrap(ctx.op('Div', [ctx.op('Sub', [x, rem]), y]));
}

export function remainder(ctx: TorchContext, a: Operand, b: Operand): Tensor {
  const t = promoteOperands(a, b);
  if (isFloat(t)) {
    const x = operandNode(ctx, a, t);
    const y = operandNode(ctx, b, t);
    const q = ctx.op('Floor', [ctx.op('Div', [x, y])]);
    return ctx.wrap(ctx.op('Sub', [x, ctx.op('Mul', [q, y])]));
  }
  checkIntDivisor(b);
  return elementwise(ctx, 'Mod', a, b, t);
}

/** Integer division by zero would crash onnxruntime; PyTorch raises. Divisors must be known to be safe. */
function checkIntDivisor(b: Operand): void {
  const values = b instanceof Tensor ? b.known() : { dtype: 'int64' as DType, shape: [], data: storageFrom('int64', [b.scalar]) };
  if (!values) throw new Unsupported('integer division by a computed tensor');
  for (let i = 0; i < values.data.length; i++) {
    if (numberAt(values, i) === 0) throw new PyError('RuntimeError', 'ZeroDivisionError');
  }
}

export function power(ctx: TorchContext, a: Operand, b: Operand): Tensor {
  const t = promoteOperands(a, b);
  if (!isFloat(t)) {
    const exps = b instanceof Tensor ? b.known() : { dtype: 'int64' as DType, shape: [], data: storageFrom('int64', [b.scalar]) };
    if (!exps) throw new Unsupported('integer powers with a computed exponent');
    for (let i = 0; i < exps.data.length; i++) {
      if (numberAt(exps, i) < 0) throw new PyError('RuntimeError', 'Integers to negative integer powers are not allowed.');
    }
  }
  if (t === 'bool') return elementwise(ctx, 'Pow', a, b, 'int64');
  return elementwise(ctx, 'Pow', a, b, t);
}

export function logical(onnx: 'And' | 'Or' | 'Xor') {
  return (ctx: TorchContext, a: Operand, b: Operand): Tensor => {
    const t = promoteOperands(a, b);
    if (t !== 'bool') throw new Unsupported(`bitwise ${onnx.toLowerCase()} on ${SCALAR_NAME[t]} tensors`);
    return elementwise(ctx, onnx, a, b, 'bool');
  };
}

export const BINARY_OPS: Record<string, (ctx: TorchContext, a: Operand, b: Operand) => Tensor> = {
  '+': (ctx, a, b) => {
    if (promoteOperands(a, b) === 'bool') return ctx.wrap(ctx.op('Or', [operandNode(ctx, a, 'bool'), operandNode(ctx, b, 'bool')]));
    return elementwise(ctx, 'Add', a, b);
  },
  '-': (ctx, a, b) => {
    const isBool = (o: Operand): boolean => (o instanceof Tensor ? o.dtype === 'bool' : typeof o.scalar === 'boolean');
    if (isBool(a) && isBool(b)) throw new PyError('RuntimeError', 'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
    if (isBool(a) || isBool(b)) throw new PyError('RuntimeError', 'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
    return elementwise(ctx, 'Sub', a, b);
  },
  '*': (ctx, a, b) => {
    if (promoteOperands(a, b) === 'bool') return ctx.wrap(ctx.op('And', [operandNode(ctx, a, 'bool'), operandNode(ctx, b, 'bool')]));
    return elementwise(ctx, 'Mul', a, b);
  },
  '/': trueDivide,
  '//': floorDivide,
  '%': remainder,
  '**': power,
  '@': (ctx, a, b) => {
    if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new PyError('TypeError', "unsupported operand type(s) for @: a Tensor and a number");
    return matmul(ctx, a, b, 'matmul');
  },
  '==': compareOp('Equal'),
  '!=': compareOp('Equal', true),
  '<': compareOp('Less'),
  '<=': compareOp('LessOrEqual'),
  '>': compareOp('Greater'),
  '>=': compareOp('GreaterOrEqual'),
  '&': logical('And'),
  '|': logical('Or'),
  '^': logical('Xor'),
};

function assignInPlace(target: Tensor, result: Tensor, op: string): void {
  if (result.dtype !== target.dtype && category(result.dtype) > category(target.dtype)) {
    throw new PyError('RuntimeError', `result type ${SCALAR_NAME[result.dtype]} can't be cast to the desired output type ${SCALAR_NAME[target.dtype]}`);
  }
  const shape = broadcastShapes(target.shape, result.shape);
  if (shape.length !== target.rank || shape.some((d, i) => d !== target.shape[i])) {
    throw new PyError('RuntimeError', `output with shape [${target.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`);
  }
  if (target.requiresGrad && target.isLeaf && target.ctx.gradEnabled) {
    // Under torch.no_grad(), updating a parameter in place is allowed (what optimizers do).
    throw new PyError('RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.');
  }
  void op;
  target.rebind(target.ctx.cast(result.node, target.dtype));
}

// ---- matmul ---------------------------------------------------------------------------------------------

export function matmul(ctx: TorchContext, a: Tensor, b: Tensor, fn: 'matmul' | 'mm' | 'bmm' | 'dot' | 'mv'): Tensor {
  if (a.dtype !== b.dtype) {
    throw new PyError('RuntimeError', `expected scalar type ${SCALAR_NAME[a.dtype]} but found ${SCALAR_NAME[b.dtype]}`);
  }
  if (a.dtype === 'bool') throw new PyError('RuntimeError', `"addmm_impl_cpu_" not implemented for 'Bool'`);
  const sa = a.shape;
  const sb = b.shape;
  if (fn === 'mm' && (sa.length !== 2 || sb.length !== 2)) throw new PyError('RuntimeError', `${sa.length !== 2 ? 'self' : 'mat2'} must be a matrix`);
  if (fn === 'bmm' && (sa.length !== 3 || sb.length !== 3)) throw new PyError('RuntimeError', `batch${sa.length !== 3 ? 1 : 2} must be a 3D tensor`);
  if (fn === 'dot' && (sa.length !== 1 || sb.length !== 1)) throw new PyError('RuntimeError', `1D tensors expected, but got ${sa.length}D and ${sb.length}D tensors`);
  if (fn === 'mv' && (sa.length !== 2 || sb.length !== 1)) throw new PyError('RuntimeError', `vector + matrix @ vector expected, got ${sa.length}, ${sb.length}`);
  if (sa.length === 0 || sb.length === 0) throw new PyError('RuntimeError', `both arguments to matmul need to be at least 1D, but they are ${sa.length}D and ${sb.length}D`);
  const k1 = sa[sa.length - 1] as number;
  const k2 = sb.length === 1 ? (sb[0] as number) : (sb[sb.length - 2] as number);
  if (k1 !== k2) {
    if (sa.length === 1 && sb.length === 1) {
      throw new PyError('RuntimeError', `inconsistent tensor size, expected tensor [${k1}] and src [${k2}] to have the same number of elements, but got ${k1} and ${k2} elements respectively`);
    }
    if (fn === 'bmm' || (sa.length === 3 && sb.length === 3)) {
      throw new PyError('RuntimeError', `Expected size for first two dimensions of batch2 tensor to be: [${sa[0]}, ${k1}] but got: [${sb[0]}, ${k2}].`);
    }
    const m = (s: readonly number[]): string => (s.length === 1 ? `1x${s[0]}` : `${s.slice(0, -1).reduce((x, y) => x * y, 1)}x${s[s.length - 1]}`);
    throw new PyError('RuntimeError', `mat1 and mat2 shapes cannot be multiplied (${m(sa)} and ${sb.length === 1 ? `${sb[0]}x1` : `${sb[sb.length - 2]}x${sb[sb.length - 1]}`})`);
  }
  if (fn === 'bmm' && sa[0] !== sb[0]) throw new PyError('RuntimeError', `Expected size for first two dimensions of batch2 tensor to be: [${sa[0]}, ${k1}] but got: [${sb[0]}, ${k2}].`);
  return ctx.wrap(ctx.op('MatMul', [a.node, b.node]));
}

// ---- indexing -------------------------------------------------------------------------------------------

import { PyEllipsis, PyRange, PySlice } from '../python/values';

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

// ---- creation -------------------------------------------------------------------------------------------

/** torch.tensor(data): nested lists/tuples of numbers or tensors; dtype inferred like PyTorch. */
export function tensorFromNested(ctx: TorchContext, v: PyValue, dtype: DType | undefined): Tensor {
  const shape: number[] = [];
  const flat: (number | bigint | boolean)[] = [];
  let kind: DType = 'bool';
  let sawValue = false;
  const visit = (x: PyValue, depth: number): void => {
    if (x instanceof PyList || x instanceof PyTuple) {
      if (depth === shape.length) {
        if (sawValue && depth > 0) throw new PyError('ValueError', `expected sequence of length ${shape[depth - 1]} at dim ${depth - 1} (got ${x.items.length})`);
        shape.push(x.items.length);
      } else if (shape[depth] !== x.items.length) {
        throw new PyError('ValueError', `expected sequence of length ${shape[depth]} at dim ${depth} (got ${x.items.length})`);
      }
      for (const y of x.items) visit(y, depth + 1);
      return;
    }
    if (x instanceof Tensor) {
      const d = x.known();
      if (!d) throw new Unsupported('torch.tensor() of computed tensors (use torch.stack)');
      if (depth === shape.length) shape.push(...d.shape);
      for (let i = 0; i < d.data.length; i++) flat.push(toPython(d, i) as number | bigint | boolean);
      kind = kindOf(kind, d.dtype);
      sawValue = true;
      return;
    }
    if (depth < shape.length) throw new PyError('ValueError', `expected sequence of length ${shape[depth]} at dim ${depth} (got a ${typeName(x)})`);
    sawValue = true;
    if (typeof x === 'boolean') flat.push(x);
    else if (typeof x === 'bigint') {
      flat.push(x);
      kind = kindOf(kind, 'int64');
    } else if (typeof x === 'number') {
      flat.push(x);
      kind = kindOf(kind, 'float32');
    } else throw new PyError('TypeError', `new(): invalid data type '${typeName(x)}'`);
  };
  visit(v, 0);
  const dt = dtype ?? (flat.length === 0 ? 'float32' : kind);
  const values = flat.map((x) => (dt === 'int64' && typeof x === 'number' ? Math.trunc(x) : x));
  return ctx.wrap(ctx.data({ dtype: dt, shape, data: storageFrom(dt, values) }));
}

function kindOf(acc: DType, d: DType): DType {
  if (acc === 'float64' || d === 'float64') return acc === 'float64' || d === 'float64' ? (isFloat(acc) || isFloat(d) ? 'float64' : d) : d;
  return category(d) > category(acc) ? d : acc;
}

export function filled(ctx: TorchContext, shape: readonly number[], value: number | bigint | boolean, dtype: DType): Tensor {
  ctx.checkSize(shape);
  const s = ctx.scalar(dtype === 'int64' && typeof value === 'number' ? Math.trunc(value) : value, dtype);
  return ctx.wrap(shape.length ? ctx.op('Expand', [s], { shape: [...shape] }) : ctx.op('Identity', [s]));
}

export function fromValues(ctx: TorchContext, shape: readonly number[], dtype: DType, fill: (out: ReturnType<typeof allocate>) => void): Tensor {
  ctx.checkSize(shape);
  const data = allocate(dtype, numel(shape));
  fill(data);
  return ctx.wrap(ctx.data({ dtype, shape: [...shape], data }));
}

// ---- printing -------------------------------------------------------------------------------------------

/** PyTorch-like repr: `tensor([[ 0.1000, -2.0000]])`, `tensor(3)`, `tensor([True, False])`. */
/** PyTorch's repr of a tensor; `autograd` is its `requires_grad=True` or `grad_fn=<...>` part, if any. */
export function formatTensor(d: TensorData, autograd?: string): string {
  const n = d.data.length;
  const values = Array.from({ length: n }, (_, i) => toPython(d, i));
  let fmt: (v: PyValue) => string;
  if (d.dtype === 'bool') fmt = (v) => (v ? 'True' : 'False');
  else if (d.dtype === 'int64') fmt = (v) => String(v);
  else {
    const nums = values.map(Number).filter(Number.isFinite);
    const ints = nums.every((x) => Number.isInteger(x));
    const maxAbs = Math.max(0, ...nums.map(Math.abs));
    const minAbs = Math.min(...nums.filter((x) => x !== 0).map(Math.abs));
    const sci = nums.length > 0 && (maxAbs >= 1e8 || (Number.isFinite(minAbs) && (minAbs < 1e-4 || maxAbs / minAbs > 1000)) ) && !ints;
    fmt = (v) => {
      const x = Number(v);
      if (Number.isNaN(x)) return 'nan';
      if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
      if (ints && maxAbs < 1e8) return `${x.toFixed(0)}.`;
      if (sci) {
        const [m, e] = x.toExponential(4).split('e') as [string, string];
        return `${m}e${e[0]}${e.slice(1).padStart(2, '0')}`;
      }
      return x.toFixed(4);
    };
  }
  const texts = values.map(fmt);
  const width = Math.max(0, ...texts.map((s) => s.length));
  const pad = (s: string): string => s.padStart(width);
  const shape = d.shape;
  // As torch/_tensor_str.py: 80 columns; a row of a vector holds as many elements as fit after its indent
  // ("tensor(" and one column per nesting level).
  const LINE = 80;
  const render = (offset: number, depth: number): string => {
    const indent = 7 + depth;
    const size = shape[depth] as number;
    if (depth === shape.length - 1) {
      const perLine = Math.max(1, Math.floor((LINE - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < size; i += perLine) {
        lines.push(texts.slice(offset + i, offset + Math.min(size, i + perLine)).map(pad).join(', '));
      }
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    const inner = Array.from({ length: size }, (_, i) => render(offset + i * stride, depth + 1));
    return `[${inner.join(`,${'\n'.repeat(shape.length - depth - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  const suffixes: string[] = [];
  let body: string;
  if (n === 0) {
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
    if (d.dtype !== 'float32') suffixes.push(`dtype=torch.${d.dtype}`);
    body = '[]';
  } else {
    if (d.dtype === 'float64') suffixes.push('dtype=torch.float64');
    body = shape.length === 0 ? (texts[0] ?? '') : render(0, 0);
  }
  if (autograd) suffixes.push(autograd);
  // Suffixes go on the last line while it stays within 80 columns, else on a line of their own.
  let out = `tensor(${body}`;
  let last = out.length - out.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (last + suffix.length + 2 > LINE) {
      out += `,\n${' '.repeat(7)}${suffix}`;
      last = 7 + suffix.length;
    } else {
      out += `, ${suffix}`;
      last += suffix.length + 2;
    }
  }
  return `${out})`;
}

// Attributes are filled in by functions.ts (which needs the whole op surface); kept as hooks here.
let attributeHook: (t: Tensor, name: string) => PyValue | undefined = () => undefined;
let attributeNamesHook: () => string[] = () => [];
export function setTensorAttributes(get: typeof attributeHook, names: typeof attributeNamesHook): void {
  attributeHook = get;
  attributeNamesHook = names;
}
function tensorAttribute(t: Tensor, name: string): PyValue | undefined {
  return attributeHook(t, name);
}
function tensorAttributeNames(): string[] {
  return attributeNamesHook();
}

export { PyBuiltin, TORCH_NAME };
