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
import { formatTensor, toPython } from './tensor-format';
import { basicView, indexTensor, setIndex } from './tensor-index';
import type { Geometry } from './storage';
import { OVERLAP_ERROR, PARTIAL_OVERLAP_ERROR, Storage, contiguousGeometry, coversInOrder, isContiguous, overlapStatus, overlaps, positions } from './storage';

export type AliasKind = 'view' | 'detach' | 'data';

/** How a view (or a `detach()`/`.data` alias) is derived from the tensor it was made from. */
export interface Alias {
  readonly parent: Tensor;
  readonly derive: (parent: IRNode) => IRNode;
  /** The call that made it: nodes derived again carry its place. */
  readonly meta: TorchContext['meta'];
  /** Grad mode when it was made. */
  readonly grad: boolean;
  /** A view (autograd records it), or an alias autograd does not see (`detach()`, `.data`). */
  readonly kind: AliasKind;
}

/**
 * What a harness watching a training loop is told (the Q2 checks): each backward pass with the gradient it
 * adds to each leaf, each optimizer step before it applies, and a backward refused because an earlier one
 * freed the graph. Hooks may not change what the program computes.
 */
export interface TrainingObserver {
  backward?(e: { readonly loc: SourceLoc | undefined; readonly added: ReadonlyMap<Tensor, IRNode> }): void;
  step?(e: { readonly loc: SourceLoc | undefined; readonly params: readonly Tensor[] }): Promise<void> | void;
  refused?(e: { readonly loc: SourceLoc | undefined; readonly freedAt: readonly SourceLoc[] }): void;
  /** An in-place write into a storage outside an optimizer's step (a manual update `p.data -= lr * g`), before it applies. */
  written?(e: { readonly loc: SourceLoc | undefined; readonly storage: Storage }): void;
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
  /**
   * The storage each tensor's node was the value of, with the storage's version and write count then: a
   * backward reading a saved value the storage has since changed fails as PyTorch's does.
   */
  readonly versions = new WeakMap<IRNode, { readonly storage: Storage; readonly version: number; readonly writes: number }>();
  /**
   * Storages written since the last run (parameters after a step, buffers, accumulators): the next run
   * computes their contents too, and those that autograd does not go through (no grad, or a leaf's)
   * become data, so later graphs start there instead of at their history.
   */
  readonly pending = new Set<Storage>();
  /** Never free saved values (a harness re-running a loop as if it passed retain_graph=True). */
  keepGraphs = false;
  /** A harness watching the program's training loop, if any. */
  observer: TrainingObserver | undefined;
  /** An optimizer's step is writing the parameters (not a manual update). */
  stepping = false;
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
    const [d] = await this.realizeAll([n]);
    return d as TensorData;
  }

  /**
   * Concrete values of the nodes, with the contents of the storages written since the last run: a loop
   * that reads a value each step (`loss.item()`) then runs one step's graph each time, not its history.
   */
  async realizeAll(nodes: readonly IRNode[]): Promise<TensorData[]> {
    const written = [...this.pending];
    this.pending.clear();
    const all = await this.runtime.realize([...nodes, ...written.map((s) => s.node)]);
    for (const s of written) {
      const n = s.node;
      if (n.inputs.length === 0 || (this.requiring.has(n) && !this.leaves.has(n))) continue;
      const data = this.runtime.known(n);
      if (data) s.replaceWithData(this, dataNode(data, n.loc));
    }
    return all.slice(0, nodes.length);
  }

  /** Records that `n` is the value of `storage` now (for the version check of saved values). */
  registerVersion(n: IRNode, storage: Storage): void {
    this.versions.set(n, { storage, version: storage.version, writes: storage.writes });
  }

  /** `n`, or an Identity of it when `n` is already the value of a tensor (each value node belongs to one storage). */
  fresh(n: IRNode): IRNode {
    return this.versions.has(n) ? this.op('Identity', [n]) : n;
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
  /** The elements this tensor is a view of (shared with its views, `.data`, `detach()`). */
  storage: Storage;
  /** Where in the storage the tensor's elements are. */
  geometry: Geometry;
  /** How a view or alias is derived from the tensor it was made from (undefined: the storage's own tensor). */
  readonly alias: Alias | undefined;
  /** A leaf that requires grad (set by requires_grad_ or nn.Parameter). */
  private leaf = false;
  /** A view's node, valid while the storage's write count is `at`. */
  private cur: IRNode;
  private at: number;

  constructor(
    node: IRNode,
    readonly ctx: TorchContext,
    alias?: Alias & { readonly geometry: Geometry },
  ) {
    super();
    this.cur = node;
    if (alias) {
      this.alias = alias;
      this.storage = alias.parent.storage;
      this.geometry = alias.geometry;
    } else {
      this.storage = new Storage(node);
      this.geometry = contiguousGeometry(node.shape);
    }
    this.at = this.storage.writes;
    if (!ctx.versions.has(node)) ctx.registerVersion(node, this.storage);
  }

  /** The IR node of the tensor's current value. */
  get node(): IRNode {
    let n: IRNode;
    if (!this.alias) n = this.storage.node;
    else {
      if (this.at !== this.storage.writes) this.refresh();
      n = this.cur;
    }
    if (this.leaf && this.ctx.leaves.get(n) !== this) {
      this.ctx.requiring.add(n);
      this.ctx.leaves.set(n, this);
    }
    return n;
  }

  /** A view whose storage was written since: its node derived again from the tensor it views. */
  private refresh(): void {
    const a = this.alias as Alias;
    const ctx = this.ctx;
    const parent = a.parent.node;
    const [meta, grad] = [ctx.meta, ctx.gradEnabled];
    ctx.meta = a.meta;
    ctx.gradEnabled = a.grad && a.kind === 'view';
    try {
      this.cur = a.kind === 'view' ? a.derive(parent) : ctx.detached(parent);
    } finally {
      ctx.meta = meta;
      ctx.gradEnabled = grad;
    }
    this.at = this.storage.writes;
    ctx.registerVersion(this.cur, this.storage);
  }

  /** Whether autograd records operations on it (its node requires grad). */
  get requiresGrad(): boolean {
    return this.ctx.requiring.has(this.node);
  }

  /** A tensor autograd did not compute: created by the user, or computed with nothing requiring grad. */
  get isLeaf(): boolean {
    return !this.requiresGrad || this.leaf;
  }

  /** `requires_grad_()`: makes a leaf require grad (or not); PyTorch's errors for what cannot. */
  setRequiresGrad(value: boolean): void {
    if (!this.isLeaf) {
      throw new PyError('RuntimeError', 'you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn\'t require differentiation use var_no_grad = var.detach().');
    }
    if (value && !isFloat(this.dtype)) throw new PyError('RuntimeError', 'only Tensors of floating point and complex dtype can require gradients');
    const n = this.node;
    this.leaf = value;
    if (value) {
      this.ctx.requiring.add(n);
      this.ctx.leaves.set(n, this);
    } else {
      this.ctx.requiring.delete(n);
      this.ctx.leaves.delete(n);
    }
  }

  /** Whether this tensor is (a view of) an alias autograd does not see: `x.data[1]` writes as `.data` does. */
  private hiddenKind(): 'data' | 'detach' | undefined {
    for (let a = this.alias; a; a = a.parent.alias) if (a.kind !== 'view') return a.kind;
    return undefined;
  }

  /** The tensor this one is a view of, through views (itself when it is not a view). */
  private viewBase(): Tensor {
    let a = this.alias;
    let base: Tensor | undefined;
    while (a?.kind === 'view') {
      base = a.parent;
      a = base.alias;
    }
    return base ?? this;
  }

  /**
   * An in-place write of `value` (a node of this tensor's shape; cast here to its dtype) into the
   * elements this tensor views, or into those of its elements at the row-major positions `at` (then
   * `value` holds one element per position). Every tensor over the storage sees the new values.
   * PyTorch's errors: a leaf (or a view of one) that requires grad, and an expanded tensor. `takeOver`:
   * the value node is a temporary's, and may become this tensor's own.
   */
  write(value: IRNode, at?: readonly number[], takeOver = false): void {
    const ctx = this.ctx;
    const kind = this.hiddenKind() ?? this.alias?.kind;
    if (ctx.gradEnabled && kind !== 'data' && kind !== 'detach') {
      if (this.leaf && this.requiresGrad) throw new PyError('RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.');
      const base = this.viewBase();
      if (base !== this && base.leaf && base.requiresGrad) throw new PyError('RuntimeError', 'a view of a leaf Variable that requires grad is being used in an in-place operation.');
    }
    if (overlaps(this.geometry)) throw new PyError('RuntimeError', OVERLAP_ERROR);
    const s = this.storage;
    if (ctx.observer?.written && !ctx.stepping) ctx.observer.written({ loc: ctx.meta.loc, storage: s });
    if (s.sharedBy) throw new Unsupported('writing into a tensor after another tensor\'s .data was set to it (PyTorch shares the storage; nbcheck copied it)');
    const old = s.node;
    if ((kind === 'data' || kind === 'detach') && ctx.requiring.has(old) && !ctx.leaves.has(old)) {
      // PyTorch's autograd does not see such a write, yet its backward reads the new values: nbcheck's graph cannot say that.
      throw new Unsupported(`writing through .${kind === 'data' ? 'data' : 'detach()'} into a tensor autograd has recorded`);
    }
    const saved = ctx.gradEnabled;
    if (kind === 'data' || kind === 'detach') ctx.gradEnabled = false;
    let next: IRNode;
    let v: IRNode;
    try {
      // `takeOver`: the value is a temporary's (x.add_(y) computes x + y first), its node may become ours.
      v = takeOver && value.dtype === this.dtype ? value : ctx.fresh(ctx.cast(value, this.dtype));
      if (!at && coversInOrder(this.geometry, s.numel)) {
        next = ctx.fresh(ctx.reshape(v, s.shape));
        // The old contents stay in autograd's graph with a zero gradient (x.grad is zeros, not None, as PyTorch's CopyBackwards gives).
        if (ctx.gradEnabled && ctx.requiring.has(old)) next = ctx.op('Where', [ctx.scalar(true, 'bool'), next, old]);
      }
      else {
        const all = positions(this.geometry);
        const where = at ? at.map((k) => all[k] as number) : Array.from(all);
        const flat = ctx.reshape(old, [s.numel]);
        const indices = ctx.data({ dtype: 'int64', shape: [where.length, 1], data: BigInt64Array.from(where, (p) => BigInt(p)) });
        next = ctx.reshape(ctx.op('ScatterND', [flat, indices, ctx.reshape(v, [where.length])]), s.shape);
      }
    } finally {
      ctx.gradEnabled = saved;
    }
    s.set(ctx, next, kind !== 'data');
    if (this.alias) {
      if (at || kind !== 'view' || next === v) this.refresh();
      else {
        this.cur = v;
        this.at = s.writes;
        ctx.registerVersion(v, s);
      }
    }
  }

  /** PyTorch's version counter: how many times the tensor's storage was modified in place. */
  get version(): number {
    return this.storage.version;
  }

  /** A view of this tensor over the same storage, its node made by `derive` from this tensor's node. */
  view(geometry: Geometry, derive: (n: IRNode) => IRNode, kind: AliasKind = 'view'): Tensor {
    const ctx = this.ctx;
    const node = kind === 'view' ? derive(this.node) : ctx.detached(this.node);
    return new Tensor(node, ctx, { parent: this, derive, meta: ctx.meta, grad: ctx.gradEnabled, kind, geometry });
  }

  /** PyTorch's refusal of an in-place op whose input partly overlaps the tensor it writes (`d[1:] += d[:-1]`). */
  checkOverlap(...inputs: readonly unknown[]): void {
    for (const x of inputs) {
      if (x instanceof Tensor && x !== this && x.storage === this.storage && overlapStatus(this.geometry, x.geometry) === 'partial') {
        throw new PyError('RuntimeError', PARTIAL_OVERLAP_ERROR);
      }
    }
  }

  /** Whether the elements are laid out row-major in the storage (PyTorch's is_contiguous()). */
  get contiguous(): boolean {
    return isContiguous(this.geometry);
  }

  get shape(): readonly number[] {
    return this.geometry.sizes;
  }
  get dtype(): DType {
    return this.storage.node.dtype;
  }
  get rank(): number {
    return this.geometry.sizes.length;
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
    // nn.Parameter is the provided subclass of PARAMETER_CLASS that students construct and test with isinstance.
    return cls === TENSOR_CLASS || (this.isParameter && cls.isSubclassOf(PARAMETER_CLASS));
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
    this.checkOverlap(o);
    const r = fn(this.ctx, this, o);
    assignInPlace(this, r);
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
    return Array.from({ length: n }, (_, i) => basicView(this, [{ kind: 'int', dim: 0, index: i }]));
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



export const TENSOR_CLASS = new PyClass('Tensor', [], new Map(), undefined, 'torch.Tensor');
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

function assignInPlace(target: Tensor, result: Tensor): void {
  if (result.dtype !== target.dtype && category(result.dtype) > category(target.dtype)) {
    throw new PyError('RuntimeError', `result type ${SCALAR_NAME[result.dtype]} can't be cast to the desired output type ${SCALAR_NAME[target.dtype]}`);
  }
  const shape = broadcastShapes(target.shape, result.shape);
  if (shape.length !== target.rank || shape.some((d, i) => d !== target.shape[i])) {
    throw new PyError('RuntimeError', `output with shape [${target.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`);
  }
  target.write(result.node, undefined, true);
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
      // Inside a list a tensor is one number (PyTorch converts it as item()).
      if (depth > 0 && d.data.length !== 1) throw new PyError('ValueError', 'only one element tensors can be converted to Python scalars');
      if (depth === shape.length && depth === 0) shape.push(...d.shape);
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
export { formatTensor, toPython } from './tensor-format';
export { checkIndexValues, indexTensor, setIndex } from './tensor-index';
