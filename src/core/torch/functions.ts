/**
 * The torch surface: functions of `torch` (and their Tensor-method forms), defined once each with
 * PyTorch's signature, argument checks and error messages, on top of the IR.
 */
import type { DType } from '../engine/dtype';
import { SCALAR_NAME, TORCH_NAME, isFloat, numel, storageFrom } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import { broadcastShapes } from '../engine/ir';
import type { CallArgs, CallSite, PyValue } from '../python/values';
import { HostValue, PyBuiltin, PyError, PyList, PyNamedTuple, PySize, PyTuple, Unsupported } from '../python/values';
import type { Bound, ParamSpec } from './args';
import { backwardMethod } from './autograd';
import { argError, bind, boolArg, floatArg, intArg, intListArg, signature, typeError } from './args';
import type { Operand, TorchContext } from './tensor';
import {
  BINARY_OPS,
  Tensor,
  asOperand,
  checkIndexValues,
  filled,
  floorDivide,
  formatTensor,
  fromValues,
  matmul,
  normDim,
  operandNode,
  power,
  promoteOperands,
  remainder,
  setTensorAttributes,
  tensorFromNested,
  toPython,
  trueDivide,
} from './tensor';

type Impl = (b: Bound, ctx: TorchContext, site: CallSite) => PyValue | Promise<PyValue>;

interface Def {
  readonly name: string;
  readonly params: readonly ParamSpec[];
  readonly impl: Impl;
}

/** Functions reachable as torch.<name>. */
export const FUNCTIONS = new Map<string, Def>();
/** Methods reachable as tensor.<name>(...) (self binds the first parameter). */
export const METHODS = new Map<string, Def>();

function def(names: string, sig: string, impl: Impl, where: 'both' | 'function' | 'method' = 'both'): void {
  const params = signature(sig);
  for (const name of names.split(' ')) {
    const d = { name, params, impl };
    if (where !== 'method') FUNCTIONS.set(name, d);
    if (where !== 'function') METHODS.set(name, d);
  }
}

/** Calls a definition with PyTorch-style binding; the torch context records the API name and place. */
export function invoke(ctx: TorchContext, d: Def, a: CallArgs, site: CallSite, method = false): PyValue | Promise<PyValue> {
  const b = bind(d.name, d.params, a, { method });
  ctx.enter(d.name, site);
  return d.impl(b, ctx, site);
}

export function builtinFor(ctx: TorchContext, d: Def, self?: Tensor): PyBuiltin {
  return new PyBuiltin(d.name, (a, site) => invoke(ctx, d, self ? { args: [self, ...a.args], kwargs: a.kwargs } : a, site, !!self));
}

// ---- argument helpers -----------------------------------------------------------------------------------

function tensorArg(fn: string, b: Bound, name: string): Tensor {
  const v = b.get(name);
  if (v instanceof Tensor) return v;
  throw typeError(fn, b, name, 'Tensor', v ?? null);
}

function operandArg(fn: string, ctx: TorchContext, b: Bound, name: string): Operand {
  const v = b.get(name) ?? null;
  const o = asOperand(ctx, v);
  if (!o) throw typeError(fn, b, name, 'Tensor or Number', v);
  return o;
}

function dtypeArg(b: Bound, name = 'dtype'): DType | undefined {
  const v = b.get(name);
  if (v === undefined || v === null) return undefined;
  if (v instanceof DTypeValue) return v.dtype;
  throw argError(b, name, 'TypeError', `argument '${name}' must be torch.dtype, not ${v instanceof HostValue ? v.typeName() : typeof v}`);
}

function optDim(fn: string, b: Bound, name: string, rank: number): number[] | undefined {
  const v = b.get(name);
  if (v === undefined || v === null) return undefined;
  const dims = intListArg(fn, b, name) ?? [];
  const out = dims.map((d) => normDim(d, rank, b.from.get(name) as string | undefined));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw argError(b, name, 'RuntimeError', `dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return out;
}

function sizeArg(fn: string, b: Bound, name: string): number[] {
  const dims = intListArg(fn, b, name) ?? [];
  for (const d of dims) if (d < 0) throw argError(b, name, 'RuntimeError', `Trying to create tensor with negative dimension ${d}: [${dims.join(', ')}]`);
  return dims;
}

function floatOnly(ctx: TorchContext, t: Tensor): IRNode {
  return isFloat(t.dtype) ? t.node : ctx.cast(t.node, 'float32');
}

export class DTypeValue extends HostValue {
  constructor(readonly dtype: DType) {
    super();
  }
  override typeName(): string {
    return 'torch.dtype';
  }
  override repr(): string {
    return TORCH_NAME[this.dtype];
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'is_floating_point') return isFloat(this.dtype);
    return undefined;
  }
  override binary(op: string, other: PyValue): PyValue | undefined {
    if (op === '==') return other instanceof DTypeValue && other.dtype === this.dtype;
    if (op === '!=') return !(other instanceof DTypeValue && other.dtype === this.dtype);
    return undefined;
  }
}

export class DeviceValue extends HostValue {
  constructor(readonly type: string) {
    super();
  }
  override typeName(): string {
    return 'torch.device';
  }
  override repr(): string {
    return `device(type='${this.type}')`;
  }
  override getAttr(name: string): PyValue | undefined {
    return name === 'type' ? this.type : undefined;
  }
  override binary(op: string, other: PyValue): PyValue | undefined {
    const same = (other instanceof DeviceValue && other.type === this.type) || other === this.type;
    if (op === '==') return same;
    if (op === '!=') return !same;
    return undefined;
  }
}

// ---- elementwise ----------------------------------------------------------------------------------------

const unaryFloat: [string, string][] = [
  ['exp', 'Exp'],
  ['log', 'Log'],
  ['sqrt', 'Sqrt'],
  ['sin', 'Sin'],
  ['cos', 'Cos'],
  ['tanh', 'Tanh'],
  ['sigmoid', 'Sigmoid'],
];
for (const [name, op] of unaryFloat) def(name, 'input', (b, ctx) => ctx.wrap(ctx.op(op, [floatOnly(ctx, tensorArg(name, b, 'input'))])));
def('rsqrt', 'input', (b, ctx) => ctx.wrap(ctx.op('Reciprocal', [ctx.op('Sqrt', [floatOnly(ctx, tensorArg('rsqrt', b, 'input'))])])));
def('reciprocal', 'input', (b, ctx) => ctx.wrap(ctx.op('Reciprocal', [floatOnly(ctx, tensorArg('reciprocal', b, 'input'))])));
def('log1p', 'input', (b, ctx) => {
  const x = floatOnly(ctx, tensorArg('log1p', b, 'input'));
  return ctx.wrap(ctx.op('Log', [ctx.op('Add', [x, ctx.scalar(1, x.dtype)])]));
});
def('log2', 'input', (b, ctx) => {
  const x = floatOnly(ctx, tensorArg('log2', b, 'input'));
  return ctx.wrap(ctx.op('Div', [ctx.op('Log', [x]), ctx.scalar(Math.LN2, x.dtype)]));
});
def('abs', 'input', (b, ctx) => {
  const t = tensorArg('abs', b, 'input');
  if (t.dtype === 'bool') throw new PyError('RuntimeError', 'abs() is not supported for bool tensors');
  return ctx.wrap(ctx.op('Abs', [t.node]));
});
def('neg negative', 'input', (b) => tensorArg('neg', b, 'input').unary('-', undefined as never) as Tensor);
def('relu', 'input', (b, ctx) => {
  const t = tensorArg('relu', b, 'input');
  if (t.dtype === 'bool') throw new PyError('RuntimeError', '"clamp_min_cpu" not implemented for \'Bool\'');
  // onnxruntime's Relu has float kernels only.
  return ctx.wrap(isFloat(t.dtype) ? ctx.op('Relu', [t.node]) : ctx.op('Max', [t.node, ctx.scalar(0n, t.dtype)]));
});
def('floor', 'input', (b, ctx) => {
  const t = tensorArg('floor', b, 'input');
  return isFloat(t.dtype) ? ctx.wrap(ctx.op('Floor', [t.node])) : ctx.wrap(ctx.op('Identity', [t.node]));
});
def('ceil', 'input', (b, ctx) => {
  const t = tensorArg('ceil', b, 'input');
  return isFloat(t.dtype) ? ctx.wrap(ctx.op('Ceil', [t.node])) : ctx.wrap(ctx.op('Identity', [t.node]));
});
def('sign', 'input', (b, ctx) => ctx.wrap(ctx.op('Sign', [tensorArg('sign', b, 'input').node])));
def('square', 'input', (b, ctx) => {
  const t = tensorArg('square', b, 'input');
  return BINARY_OPS['*']?.(ctx, t, t) as Tensor;
});
def('logical_not', 'input', (b, ctx) => ctx.wrap(ctx.op('Not', [ctx.cast(tensorArg('logical_not', b, 'input').node, 'bool')])));
for (const [name, op] of [['logical_and', 'And'], ['logical_or', 'Or'], ['logical_xor', 'Xor']] as const) {
  def(name, 'input, other', (b, ctx) => ctx.wrap(ctx.op(op, [ctx.cast(tensorArg(name, b, 'input').node, 'bool'), ctx.cast(tensorArg(name, b, 'other').node, 'bool')])));
}

def('add', 'input, other, *, alpha?', (b, ctx) => {
  const x = operandArg('add', ctx, b, 'input');
  let y = operandArg('add', ctx, b, 'other');
  if (b.has('alpha')) y = BINARY_OPS['*']?.(ctx, y, { scalar: b.get('alpha') as number }) as Tensor;
  return BINARY_OPS['+']?.(ctx, x, y) as Tensor;
});
def('sub subtract', 'input, other, *, alpha?', (b, ctx) => {
  const x = operandArg('sub', ctx, b, 'input');
  let y = operandArg('sub', ctx, b, 'other');
  if (b.has('alpha')) y = BINARY_OPS['*']?.(ctx, y, { scalar: b.get('alpha') as number }) as Tensor;
  return BINARY_OPS['-']?.(ctx, x, y) as Tensor;
});
def('mul multiply', 'input, other', (b, ctx) => BINARY_OPS['*']?.(ctx, operandArg('mul', ctx, b, 'input'), operandArg('mul', ctx, b, 'other')) as Tensor);
def('div divide true_divide', 'input, other, *, rounding_mode?', (b, ctx) => {
  const x = operandArg('div', ctx, b, 'input');
  const y = operandArg('div', ctx, b, 'other');
  const mode = b.get('rounding_mode') ?? null;
  if (mode === null) return trueDivide(ctx, x, y);
  if (mode === 'floor') return floorDivide(ctx, x, y);
  if (mode === 'trunc') {
    const q = trueDivide(ctx, x, y);
    const t = promoteOperands(x, y);
    const tr = ctx.op('Mul', [ctx.op('Sign', [q.node]), ctx.op('Floor', [ctx.op('Abs', [q.node])])]);
    return ctx.wrap(ctx.cast(tr, isFloat(t) ? t : t));
  }
  throw argError(b, 'rounding_mode', 'RuntimeError', `div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
});
def('floor_divide', 'input, other', (b, ctx) => floorDivide(ctx, operandArg('floor_divide', ctx, b, 'input'), operandArg('floor_divide', ctx, b, 'other')));
def('remainder', 'input, other', (b, ctx) => remainder(ctx, operandArg('remainder', ctx, b, 'input'), operandArg('remainder', ctx, b, 'other')));
def('pow', 'input, exponent', (b, ctx) => power(ctx, operandArg('pow', ctx, b, 'input'), operandArg('pow', ctx, b, 'exponent')));
for (const [name, op] of [['eq', '=='], ['ne', '!='], ['lt', '<'], ['le', '<='], ['gt', '>'], ['ge', '>='], ['greater', '>'], ['less', '<']] as const) {
  def(name, 'input, other', (b, ctx) => BINARY_OPS[op]?.(ctx, tensorArg(name, b, 'input'), operandArg(name, ctx, b, 'other')) as Tensor);
}
for (const [name, op] of [['maximum', 'Max'], ['minimum', 'Min']] as const) {
  def(name, 'input, other', (b, ctx) => {
    const x = tensorArg(name, b, 'input');
    const y = tensorArg(name, b, 'other');
    const t = promoteOperands(x, y);
    return ctx.wrap(ctx.op(op, [ctx.cast(x.node, t), ctx.cast(y.node, t)]));
  });
}
def('where', 'condition, input?, other?', (b, ctx) => {
  const c = tensorArg('where', b, 'condition');
  if (!b.has('input')) throw new Unsupported('torch.where(condition) with one argument');
  if (c.dtype !== 'bool') throw argError(b, 'condition', 'RuntimeError', `where expected condition to be a boolean tensor, but got a tensor with dtype ${SCALAR_NAME[c.dtype]}`);
  const x = operandArg('where', ctx, b, 'input');
  const y = operandArg('where', ctx, b, 'other');
  const t = promoteOperands(x, y);
  return ctx.wrap(ctx.op('Where', [c.node, operandNode(ctx, x, t), operandNode(ctx, y, t)]));
});
def('clamp clip', 'input, min?, max?', (b, ctx) => {
  const t = tensorArg('clamp', b, 'input');
  if (!b.has('min') && !b.has('max')) throw new PyError('RuntimeError', "torch.clamp: At least one of 'min' or 'max' must not be None");
  const bound = (name: string): Operand | undefined => (b.has(name) ? operandArg('clamp', ctx, b, name) : undefined);
  const lo = bound('min');
  const hi = bound('max');
  const dt = promoteOperands(t, ...(lo ? [lo] : []), ...(hi ? [hi] : []));
  let x = ctx.cast(t.node, dt);
  if (lo) x = ctx.op('Max', [x, operandNode(ctx, lo, dt)]);
  if (hi) x = ctx.op('Min', [x, operandNode(ctx, hi, dt)]);
  return ctx.wrap(x);
});
def('masked_fill', 'input, mask, value', (b, ctx) => {
  const t = tensorArg('masked_fill', b, 'input');
  const mask = tensorArg('masked_fill', b, 'mask');
  if (isFloat(mask.dtype)) throw argError(b, 'mask', 'RuntimeError', `masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype === 'float64' ? 'double' : 'float'}`);
  const v = operandArg('masked_fill', ctx, b, 'value');
  if (v instanceof Tensor && v.rank !== 0) throw argError(b, 'value', 'RuntimeError', `masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${v.rank} dimension(s).`);
  const shape = broadcastShapes(t.shape, mask.shape);
  if (shape.length !== t.rank || shape.some((d, i) => d !== t.shape[i])) {
    throw new PyError('RuntimeError', `The size of tensor a (${t.shape[t.rank - 1]}) must match the size of tensor b (${mask.shape[mask.rank - 1]}) at non-singleton dimension ${t.rank - 1}`);
  }
  return ctx.wrap(ctx.op('Where', [ctx.cast(mask.node, 'bool'), operandNode(ctx, v, t.dtype), t.node]));
});

// ---- reductions -----------------------------------------------------------------------------------------

function reduceTo(ctx: TorchContext, x: IRNode, op: string, dims: number[] | undefined, keepdim: boolean): IRNode {
  const axes = dims ?? x.shape.map((_, i) => i);
  if (x.shape.length === 0) return ctx.op('Identity', [x]);
  return ctx.op(op, [x], { axes, keepdims: keepdim });
}

def('sum', 'input, dim?, keepdim?, *, dtype?', (b, ctx) => {
  const t = tensorArg('sum', b, 'input');
  const dt = dtypeArg(b) ?? (isFloat(t.dtype) ? t.dtype : 'int64');
  return ctx.wrap(reduceTo(ctx, ctx.cast(t.node, dt), 'ReduceSum', optDim('sum', b, 'dim', t.rank), boolArg('sum', b, 'keepdim', false)));
});
def('mean', 'input, dim?, keepdim?, *, dtype?', (b, ctx) => {
  const t = tensorArg('mean', b, 'input');
  const dt = dtypeArg(b) ?? t.dtype;
  if (!isFloat(dt)) {
    throw new PyError('RuntimeError', `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${SCALAR_NAME[t.dtype]}`);
  }
  return ctx.wrap(reduceTo(ctx, ctx.cast(t.node, dt), 'ReduceMean', optDim('mean', b, 'dim', t.rank), boolArg('mean', b, 'keepdim', false)));
});
def('prod', 'input, dim?, keepdim?, *, dtype?', (b, ctx) => {
  const t = tensorArg('prod', b, 'input');
  const dt = dtypeArg(b) ?? (isFloat(t.dtype) ? t.dtype : 'int64');
  const dim = b.has('dim') ? [normDim(intArg('prod', b, 'dim'), t.rank, 'dim')] : undefined;
  return ctx.wrap(reduceTo(ctx, ctx.cast(t.node, dt), 'ReduceProd', dim, boolArg('prod', b, 'keepdim', false)));
});
def('logsumexp', 'input, dim, keepdim?', (b, ctx) => {
  const t = tensorArg('logsumexp', b, 'input');
  return ctx.wrap(reduceTo(ctx, floatOnly(ctx, t), 'ReduceLogSumExp', optDim('logsumexp', b, 'dim', t.rank), boolArg('logsumexp', b, 'keepdim', false)));
});
def('norm', 'input, p?, dim?, keepdim?, *, dtype?', (b, ctx) => {
  const t = tensorArg('norm', b, 'input');
  if (!isFloat(t.dtype)) throw new PyError('RuntimeError', `linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${SCALAR_NAME[t.dtype]}`);
  const p = b.get('p') ?? 'fro';
  const dims = optDim('norm', b, 'dim', t.rank);
  const keep = boolArg('norm', b, 'keepdim', false);
  if (p === 'fro' || p === 2n || p === 2) return ctx.wrap(reduceTo(ctx, t.node, 'ReduceL2', dims, keep));
  if (p === 1n || p === 1) return ctx.wrap(reduceTo(ctx, ctx.op('Abs', [t.node]), 'ReduceSum', dims, keep));
  if (p === Infinity) return ctx.wrap(reduceTo(ctx, ctx.op('Abs', [t.node]), 'ReduceMax', dims, keep));
  throw new Unsupported(`norm with p=${String(p)}`);
});
for (const name of ['var', 'std'] as const) {
  def(name, 'input, dim?, unbiased?, keepdim?, *, correction?', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    if (!isFloat(t.dtype)) throw new PyError('RuntimeError', `std and var only support floating point and complex dtypes`);
    const dims = optDim(name, b, 'dim', t.rank) ?? t.shape.map((_, i) => i);
    const keep = boolArg(name, b, 'keepdim', false);
    const n = dims.reduce((acc, d) => acc * (t.shape[d] as number), 1);
    const correction = b.has('correction') ? intArg(name, b, 'correction') : boolArg(name, b, 'unbiased', true) ? 1 : 0;
    const mean = reduceTo(ctx, t.node, 'ReduceMean', dims, true);
    const d = ctx.op('Sub', [t.node, mean]);
    const ss = reduceTo(ctx, ctx.op('Mul', [d, d]), 'ReduceSum', dims, keep);
    let v = ctx.op('Div', [ss, ctx.scalar(Math.max(n - correction, 0), t.dtype)]);
    if (name === 'std') v = ctx.op('Sqrt', [v]);
    return ctx.wrap(v);
  });
}
for (const name of ['all', 'any'] as const) {
  def(name, 'input, dim?, keepdim?', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    const x = ctx.cast(ctx.cast(t.node, 'bool'), 'int64');
    const dim = b.has('dim') ? [normDim(intArg(name, b, 'dim'), t.rank, 'dim')] : undefined;
    return ctx.wrap(ctx.cast(reduceTo(ctx, x, name === 'all' ? 'ReduceMin' : 'ReduceMax', dim, boolArg(name, b, 'keepdim', false)), 'bool'));
  });
}

function valuesIndices(values: Tensor, indices: Tensor): PyTuple {
  return new PyNamedTuple('torch.return_types', ['values', 'indices'], [values, indices]);
}

for (const [name, reduce, arg, elementwise] of [['max', 'ReduceMax', 'ArgMax', 'Max'], ['min', 'ReduceMin', 'ArgMin', 'Min']] as const) {
  def(name, 'input, dim?, keepdim?', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    const dimArg = b.get('dim');
    if (dimArg instanceof Tensor) {
      const t2 = promoteOperands(t, dimArg);
      return ctx.wrap(ctx.op(elementwise, [ctx.cast(t.node, t2), ctx.cast(dimArg.node, t2)]));
    }
    const keep = boolArg(name, b, 'keepdim', false);
    const x = t.dtype === 'bool' ? ctx.cast(t.node, 'int64') : t.node;
    if (!b.has('dim')) {
      if (numel(t.shape) === 0) throw new PyError('RuntimeError', `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
      return ctx.wrap(ctx.cast(reduceTo(ctx, x, reduce, undefined, false), t.dtype));
    }
    const d = normDim(intArg(name, b, 'dim'), t.rank, 'dim');
    if (t.rank === 0) return valuesIndices(ctx.wrap(ctx.op('Identity', [t.node])), ctx.wrap(ctx.scalar(0n, 'int64')));
    const values = ctx.cast(ctx.op(reduce, [x], { axes: [d], keepdims: keep }), t.dtype);
    const indices = ctx.op(arg, [x], { axis: d, keepdims: keep ? 1 : 0 });
    return valuesIndices(ctx.wrap(values), ctx.wrap(indices));
  });
}
for (const [name, arg] of [['argmax', 'ArgMax'], ['argmin', 'ArgMin']] as const) {
  def(name, 'input, dim?, keepdim?', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    const x = t.dtype === 'bool' ? ctx.cast(t.node, 'int64') : t.node;
    const keep = boolArg(name, b, 'keepdim', false);
    if (!b.has('dim')) {
      const flat = ctx.reshape(x, [numel(t.shape)]);
      const r = ctx.op(arg, [flat], { axis: 0, keepdims: 0 });
      return ctx.wrap(keep ? ctx.reshape(r, t.shape.map(() => 1)) : r);
    }
    if (t.rank === 0) return ctx.wrap(ctx.scalar(0n, 'int64'));
    const d = normDim(intArg(name, b, 'dim'), t.rank, 'dim');
    return ctx.wrap(ctx.op(arg, [x], { axis: d, keepdims: keep ? 1 : 0 }));
  });
}

function softmaxLike(name: 'softmax' | 'log_softmax', op: 'Softmax' | 'LogSoftmax'): Impl {
  return (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    let dim: number;
    if (!b.has('dim')) {
      // PyTorch's implicit choice (deprecated; it warns).
      dim = t.rank === 0 || t.rank === 1 || t.rank === 3 ? 0 : 1;
    } else {
      dim = normDim(intArg(name, b, 'dim'), t.rank, 'dim');
    }
    const dt = dtypeArg(b) ?? t.dtype;
    if (!isFloat(dt)) throw new PyError('RuntimeError', `"${name === 'softmax' ? 'softmax' : 'log_softmax'}_lastdim_kernel_impl" not implemented for '${SCALAR_NAME[dt]}'`);
    const x = ctx.cast(t.node, dt);
    if (t.rank === 0) return ctx.wrap(op === 'Softmax' ? ctx.op('Div', [x, x]) : ctx.op('Sub', [x, x]));
    return ctx.wrap(ctx.op(op, [x], { axis: dim }));
  };
}
def('softmax', 'input, dim?, dtype?', softmaxLike('softmax', 'Softmax'));
def('log_softmax', 'input, dim?, dtype?', softmaxLike('log_softmax', 'LogSoftmax'));

// ---- linear algebra -------------------------------------------------------------------------------------

def('matmul', 'input, other', (b, ctx) => matmul(ctx, tensorArg('matmul', b, 'input'), tensorArg('matmul', b, 'other'), 'matmul'));
def('mm', 'input, mat2', (b, ctx) => matmul(ctx, tensorArg('mm', b, 'input'), tensorArg('mm', b, 'mat2'), 'mm'));
def('bmm', 'input, mat2', (b, ctx) => matmul(ctx, tensorArg('bmm', b, 'input'), tensorArg('bmm', b, 'mat2'), 'bmm'));
def('dot inner', 'input, tensor', (b, ctx) => matmul(ctx, tensorArg('dot', b, 'input'), tensorArg('dot', b, 'tensor'), 'dot'));
def('mv', 'input, vec', (b, ctx) => matmul(ctx, tensorArg('mv', b, 'input'), tensorArg('mv', b, 'vec'), 'mv'));
def('outer', 'input, vec2', (b, ctx) => {
  const x = tensorArg('outer', b, 'input');
  const y = tensorArg('outer', b, 'vec2');
  return BINARY_OPS['*']?.(ctx, ctx.wrap(ctx.reshape(x.node, [numel(x.shape), 1])), y) as Tensor;
});

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

def('reshape', 'input, *shape', (b, ctx) => {
  const t = tensorArg('reshape', b, 'input');
  return ctx.wrap(ctx.op('Reshape', [t.node], { shape: inferShape('reshape', intListArg('reshape', b, 'shape') ?? [], numel(t.shape)) }));
});
def('view', 'input, *shape', (b, ctx) => {
  const t = tensorArg('view', b, 'input');
  const v = b.get('shape');
  if (v instanceof PyTuple && v.items.length === 1 && v.items[0] instanceof DTypeValue) throw new Unsupported('view(dtype)');
  return ctx.wrap(ctx.op('Reshape', [t.node], { shape: inferShape('view', intListArg('view', b, 'shape') ?? [], numel(t.shape)) }));
}, 'method');
for (const name of ['view_as', 'reshape_as'] as const) {
  def(name, 'input, other', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    const o = tensorArg(name, b, 'other');
    return ctx.wrap(ctx.op('Reshape', [t.node], { shape: inferShape(name, [...o.shape], numel(t.shape)) }));
  }, 'method');
}
def('flatten', 'input, start_dim?, end_dim?', (b, ctx) => {
  const t = tensorArg('flatten', b, 'input');
  if (t.rank === 0) return ctx.wrap(ctx.reshape(t.node, [1]));
  const s = normDim(intArg('flatten', b, 'start_dim', 0), t.rank, 'start_dim');
  const e = normDim(intArg('flatten', b, 'end_dim', -1), t.rank, 'end_dim');
  if (s > e) throw new PyError('RuntimeError', 'flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...t.shape.slice(0, s), t.shape.slice(s, e + 1).reduce((x, y) => x * y, 1), ...t.shape.slice(e + 1)];
  return ctx.wrap(ctx.op('Reshape', [t.node], { shape }));
});
def('unsqueeze', 'input, dim', (b, ctx) => {
  const t = tensorArg('unsqueeze', b, 'input');
  const d = intArg('unsqueeze', b, 'dim');
  const r = t.rank + 1;
  if (d < -r || d >= r) throw argError(b, 'dim', 'IndexError', `Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${d})`);
  const shape = [...t.shape];
  shape.splice(d < 0 ? d + r : d, 0, 1);
  return ctx.wrap(ctx.op('Reshape', [t.node], { shape }));
});
def('squeeze', 'input, dim?', (b, ctx) => {
  const t = tensorArg('squeeze', b, 'input');
  let shape: number[];
  if (b.has('dim')) {
    const d = normDim(intArg('squeeze', b, 'dim'), t.rank, 'dim');
    shape = t.rank && t.shape[d] === 1 ? t.shape.filter((_, i) => i !== d) : [...t.shape];
  } else shape = t.shape.filter((x) => x !== 1);
  return ctx.wrap(ctx.op('Reshape', [t.node], { shape }));
});
def('transpose swapaxes swapdims', 'input, dim0, dim1', (b, ctx) => {
  const t = tensorArg('transpose', b, 'input');
  if (t.rank === 0) return ctx.wrap(ctx.op('Identity', [t.node]));
  const a = normDim(intArg('transpose', b, 'dim0'), t.rank, 'dim0');
  const c = normDim(intArg('transpose', b, 'dim1'), t.rank, 'dim1');
  const perm = t.shape.map((_, i) => i);
  [perm[a], perm[c]] = [c, a];
  return ctx.wrap(ctx.op('Transpose', [t.node], { perm }));
});
def('permute', 'input, *dims', (b, ctx) => {
  const t = tensorArg('permute', b, 'input');
  const dims = intListArg('permute', b, 'dims') ?? [];
  if (dims.length !== t.rank) throw argError(b, 'dims', 'RuntimeError', `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t.rank} is not equal to len(dims) = ${dims.length}`);
  const perm = dims.map((d) => normDim(d, t.rank, 'dims'));
  if (new Set(perm).size !== perm.length) throw new PyError('RuntimeError', 'permute(): duplicate dims are not allowed.');
  return ctx.wrap(ctx.op('Transpose', [t.node], { perm }));
});
def('t', 'input', (b, ctx) => {
  const t = tensorArg('t', b, 'input');
  if (t.rank > 2) throw new PyError('RuntimeError', `t() expects a tensor with <= 2 dimensions, but self is ${t.rank}D`);
  return ctx.wrap(t.rank < 2 ? ctx.op('Identity', [t.node]) : ctx.op('Transpose', [t.node], { perm: [1, 0] }));
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
  return ctx.wrap(ctx.op('Expand', [t.node], { shape }));
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
  const dt = promoteOperands(...parts);
  parts.forEach((t, k) => {
    if (t.rank !== ref.rank) throw new PyError('RuntimeError', `Tensors must have same number of dimensions: got ${ref.rank} and ${t.rank}`);
    t.shape.forEach((s, i) => {
      if (i !== d && s !== ref.shape[i]) throw new PyError('RuntimeError', `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[i]} but got size ${s} for tensor number ${k} in the list.`);
    });
  });
  if (parts.length === 1) return ctx.wrap(ctx.op('Identity', [ctx.cast(ref.node, dt)]));
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
  if (t.rank === 2) return diagonalOf(ctx, t, k, 0, 1);
  throw new PyError('RuntimeError', 'matrix or a vector expected');
});
function diagonalOf(ctx: TorchContext, t: Tensor, offset: number, d1: number, d2: number): Tensor {
  const rows = t.shape[d1] as number;
  const cols = t.shape[d2] as number;
  const n = Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
  const rest = t.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const moved = ctx.op('Transpose', [t.node], { perm: [...rest, d1, d2] });
  const lead = rest.map((i) => t.shape[i] as number);
  const flat = ctx.reshape(moved, [...lead, rows * cols]);
  const idx = Array.from({ length: n }, (_, i) => (offset >= 0 ? i * cols + i + offset : (i - offset) * cols + i));
  return ctx.wrap(ctx.op('Gather', [flat, ctx.data({ dtype: 'int64', shape: [n], data: BigInt64Array.from(idx, BigInt) })], { axis: lead.length }));
}
def('diagonal', 'input, offset?, dim1?, dim2?', (b, ctx) => {
  const t = tensorArg('diagonal', b, 'input');
  if (t.rank < 2) throw new PyError('RuntimeError', `diagonal dimensions requested must be distinct`);
  const d1 = normDim(intArg('diagonal', b, 'dim1', 0), t.rank, 'dim1');
  const d2 = normDim(intArg('diagonal', b, 'dim2', 1), t.rank, 'dim2');
  if (d1 === d2) throw new PyError('RuntimeError', `diagonal dimensions cannot be identical ${d1}, ${d2}`);
  return diagonalOf(ctx, t, intArg('diagonal', b, 'offset', 0), d1, d2);
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

// ---- creation -------------------------------------------------------------------------------------------

const CREATION_KW = '*, dtype?, device?, requires_grad?, layout?, pin_memory?, out?';

function finish(t: Tensor, b: Bound): Tensor {
  if (boolArg('', b, 'requires_grad', false)) {
    if (!isFloat(t.dtype)) throw argError(b, 'requires_grad', 'RuntimeError', 'Only Tensors of floating point and complex dtype can require gradients');
    t.setRequiresGrad(true);
  }
  return t;
}

function numberValue(v: PyValue): number | bigint | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (v instanceof Tensor) {
    const s = v.scalarValue();
    if (typeof s === 'number' || typeof s === 'bigint' || typeof s === 'boolean') return s;
  }
  return undefined;
}

def('tensor', `data, ${CREATION_KW}`, (b, ctx) => finish(tensorFromNested(ctx, b.get('data') ?? null, dtypeArg(b)), b), 'function');
def('as_tensor', 'data, dtype?, device?', (b, ctx) => {
  const v = b.get('data');
  const dt = dtypeArg(b);
  if (v instanceof Tensor) return dt && dt !== v.dtype ? ctx.wrap(ctx.cast(v.node, dt)) : v;
  return tensorFromNested(ctx, v ?? null, dt);
}, 'function');
for (const [name, value] of [['zeros', 0], ['ones', 1], ['empty', 0]] as const) {
  def(name, `*size, ${CREATION_KW}`, (b, ctx) => finish(filled(ctx, sizeArg(name, b, 'size'), value, dtypeArg(b) ?? 'float32'), b), 'function');
}
def('full', `size, fill_value, ${CREATION_KW}`, (b, ctx) => {
  const v = numberValue(b.get('fill_value') ?? null);
  if (v === undefined) throw typeError('full', b, 'fill_value', 'Number', b.get('fill_value') ?? null);
  const dt = dtypeArg(b) ?? (typeof v === 'boolean' ? 'bool' : typeof v === 'bigint' ? 'int64' : 'float32');
  return finish(filled(ctx, sizeArg('full', b, 'size'), v, dt), b);
}, 'function');
for (const [name, value] of [['zeros_like', 0], ['ones_like', 1], ['empty_like', 0]] as const) {
  def(name, `input, ${CREATION_KW}, memory_format?`, (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    return finish(filled(ctx, t.shape, value, dtypeArg(b) ?? t.dtype), b);
  }, 'function');
}
def('full_like', `input, fill_value, ${CREATION_KW}, memory_format?`, (b, ctx) => {
  const t = tensorArg('full_like', b, 'input');
  const v = numberValue(b.get('fill_value') ?? null);
  if (v === undefined) throw typeError('full_like', b, 'fill_value', 'Number', b.get('fill_value') ?? null);
  return finish(filled(ctx, t.shape, v, dtypeArg(b) ?? t.dtype), b);
}, 'function');
def('arange', `start, end?, step?, ${CREATION_KW}`, (b, ctx) => {
  const vals = ['start', 'end', 'step'].filter((k) => b.has(k)).map((k) => {
    const v = numberValue(b.get(k) ?? null);
    if (v === undefined) throw typeError('arange', b, k, 'Number', b.get(k) ?? null);
    return v;
  });
  const [start, end, step] = vals.length === 1 ? [0n, vals[0], 1n] : [vals[0], vals[1], vals[2] ?? 1n];
  const allInt = [start, end, step].every((v) => typeof v === 'bigint' || typeof v === 'boolean');
  const dt = dtypeArg(b) ?? (allInt ? 'int64' : 'float32');
  const s = Number(start);
  const e = Number(end);
  const st = Number(step);
  if (st === 0) throw new PyError('RuntimeError', 'step must be nonzero');
  if ((st > 0 && e < s) || (st < 0 && e > s)) throw new PyError('RuntimeError', 'upper bound and larger bound inconsistent with step sign');
  const n = Math.ceil((e - s) / st);
  return finish(fromValues(ctx, [n], dt, (out) => {
    for (let i = 0; i < n; i++) {
      const v = s + i * st;
      if (dt === 'int64') (out as BigInt64Array)[i] = BigInt(Math.trunc(v));
      else (out as Float32Array)[i] = v;
    }
  }), b);
}, 'function');
def('linspace', `start, end, steps, ${CREATION_KW}`, (b, ctx) => {
  const s = floatArg('linspace', b, 'start');
  const e = floatArg('linspace', b, 'end');
  const n = intArg('linspace', b, 'steps');
  if (n < 0) throw argError(b, 'steps', 'RuntimeError', 'number of steps must be non-negative');
  const dt = dtypeArg(b) ?? 'float32';
  const step = n > 1 ? (e - s) / (n - 1) : 0;
  const half = Math.floor(n / 2);
  return finish(fromValues(ctx, [n], dt, (out) => {
    for (let i = 0; i < n; i++) {
      const v = n === 1 ? s : i < half ? s + step * i : e - step * (n - i - 1);
      if (dt === 'int64') (out as BigInt64Array)[i] = BigInt(Math.trunc(v));
      else (out as Float32Array)[i] = v;
    }
  }), b);
}, 'function');
def('eye', `n, m?, ${CREATION_KW}`, (b, ctx) => {
  const n = intArg('eye', b, 'n');
  const m = b.has('m') ? intArg('eye', b, 'm') : n;
  const dt = dtypeArg(b) ?? 'float32';
  return finish(fromValues(ctx, [n, m], dt, (out) => {
    for (let i = 0; i < Math.min(n, m); i++) {
      if (dt === 'int64') (out as BigInt64Array)[i * m + i] = 1n;
      else (out as Float32Array)[i * m + i] = 1;
    }
  }), b);
}, 'function');
def('rand', `*size, generator?, ${CREATION_KW}`, (b, ctx) => {
  const dt = dtypeArg(b) ?? 'float32';
  if (!isFloat(dt)) throw new PyError('RuntimeError', `"check_uniform_bounds" not implemented for '${SCALAR_NAME[dt]}'`);
  return finish(fromValues(ctx, sizeArg('rand', b, 'size'), dt, (out) => ctx.generator.fillUniform(out as Float32Array)), b);
}, 'function');
def('randn', `*size, generator?, ${CREATION_KW}`, (b, ctx) => {
  const dt = dtypeArg(b) ?? 'float32';
  if (!isFloat(dt)) throw new PyError('RuntimeError', `"normal_kernel_cpu" not implemented for '${SCALAR_NAME[dt]}'`);
  return finish(fromValues(ctx, sizeArg('randn', b, 'size'), dt, (out) => ctx.generator.fillNormal(out as Float32Array)), b);
}, 'function');
for (const [name, normal] of [['rand_like', false], ['randn_like', true]] as const) {
  def(name, `input, ${CREATION_KW}, memory_format?`, (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    const dt = dtypeArg(b) ?? t.dtype;
    return finish(fromValues(ctx, t.shape, dt, (out) => (normal ? ctx.generator.fillNormal(out as Float32Array) : ctx.generator.fillUniform(out as Float32Array))), b);
  }, 'function');
}
def('manual_seed', 'seed', (b, ctx) => {
  ctx.generator.manualSeed(BigInt(intArg('manual_seed', b, 'seed')));
  return null;
}, 'function');
for (const name of ['allclose', 'isclose'] as const) {
  def(name, 'input, other, rtol?, atol?, equal_nan?', async (b, ctx) => {
    const x = tensorArg(name, b, 'input');
    const y = tensorArg(name, b, 'other');
    const dt = promoteOperands(x, y);
    if (!isFloat(dt)) throw new Unsupported(`${name} of integer tensors`);
    if (x.dtype !== y.dtype) throw new PyError('RuntimeError', `${SCALAR_NAME[x.dtype]} did not match ${SCALAR_NAME[y.dtype]}`);
    const rtol = floatArg(name, b, 'rtol', 1e-5);
    const atol = floatArg(name, b, 'atol', 1e-8);
    const diff = ctx.op('Abs', [ctx.op('Sub', [x.node, y.node])]);
    const bound = ctx.op('Add', [ctx.scalar(atol, dt), ctx.op('Mul', [ctx.scalar(rtol, dt), ctx.op('Abs', [y.node])])]);
    let close = ctx.op('LessOrEqual', [diff, bound]);
    if (boolArg(name, b, 'equal_nan', false)) {
      const nan = (n: IRNode): IRNode => ctx.op('Not', [ctx.op('Equal', [n, n])]);
      close = ctx.op('Or', [close, ctx.op('And', [nan(x.node), nan(y.node)])]);
    }
    if (name === 'isclose') return ctx.wrap(close);
    const all = ctx.op('ReduceMin', [ctx.cast(close, 'int64')], { axes: close.shape.map((_, i) => i), keepdims: false });
    const d = await ctx.realize(close.shape.length ? all : ctx.cast(close, 'int64'));
    return Number(d.data[0]) === 1;
  });
}
def('equal', 'input, other', async (b, ctx) => {
  const x = tensorArg('equal', b, 'input');
  const y = tensorArg('equal', b, 'other');
  if (x.rank !== y.rank || x.shape.some((d, i) => d !== y.shape[i])) return false;
  const t = promoteOperands(x, y);
  const eq = ctx.cast(ctx.op('Equal', [ctx.cast(x.node, t), ctx.cast(y.node, t)]), 'int64');
  const d = await ctx.realize(eq.shape.length ? ctx.op('ReduceMin', [eq], { axes: eq.shape.map((_, i) => i), keepdims: false }) : eq);
  return numel(x.shape) === 0 || Number(d.data[0]) === 1;
});
def('is_tensor', 'obj', (b) => b.get('obj') instanceof Tensor, 'function');
def('numel', 'input', (b) => BigInt(numel(tensorArg('numel', b, 'input').shape)));
def('is_floating_point', 'input', (b) => isFloat(tensorArg('is_floating_point', b, 'input').dtype));
def('clone', 'input, *, memory_format?', (b, ctx) => ctx.wrap(ctx.op('Identity', [tensorArg('clone', b, 'input').node])));
def('one_hot', 'tensor, num_classes?', async (b, ctx) => oneHot(b, ctx), 'function');

export async function oneHot(b: Bound, ctx: TorchContext): Promise<Tensor> {
  const t = tensorArg('one_hot', b, 'tensor');
  if (t.dtype !== 'int64') throw argError(b, 'tensor', 'RuntimeError', 'one_hot is only applicable to index tensor.');
  let n = intArg('one_hot', b, 'num_classes', -1);
  const d = await ctx.realize(t.node);
  let max = -1;
  for (let i = 0; i < d.data.length; i++) {
    const v = Number(d.data[i] as bigint);
    if (v < 0) throw new PyError('RuntimeError', 'Class values must be non-negative.');
    max = Math.max(max, v);
  }
  if (n === -1) n = max + 1;
  else if (max >= n) throw new PyError('RuntimeError', 'Class values must be smaller than num_classes.');
  const classes = ctx.data({ dtype: 'int64', shape: [n], data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) });
  const eq = ctx.op('Equal', [ctx.reshape(t.node, [...t.shape, 1]), classes]);
  return ctx.wrap(ctx.cast(eq, 'int64'));
}

def('randint', `low, high?, size?, *, generator?, dtype?, device?, requires_grad?`, (b, ctx) => {
  const hasSize = b.has('size');
  const low = hasSize ? intArg('randint', b, 'low') : 0;
  const high = hasSize ? intArg('randint', b, 'high') : intArg('randint', b, 'low');
  const size = intListArg('randint', b, hasSize ? 'size' : 'high');
  if (!size) throw new PyError('TypeError', 'randint() missing 1 required positional arguments: "size"');
  if (high <= low) throw new PyError('RuntimeError', `random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const t = fromValues(ctx, size, 'int64', (out) => ctx.generator.fillInt(out as BigInt64Array, BigInt(low), BigInt(high)));
  const dt = dtypeArg(b) ?? 'int64';
  return dt === 'int64' ? t : ctx.wrap(ctx.cast(t.node, dt));
}, 'function');

// ---- tensor methods and attributes ----------------------------------------------------------------------

function castMethod(name: string, dtype: DType): void {
  def(name, 'input', (b, ctx) => {
    const t = tensorArg(name, b, 'input');
    return t.dtype === dtype ? t : ctx.wrap(ctx.cast(t.node, dtype));
  }, 'method');
}
castMethod('float', 'float32');
castMethod('double', 'float64');
castMethod('long', 'int64');
castMethod('int', 'int64');
castMethod('bool', 'bool');
def('item', 'input', async (b, ctx) => {
  const t = tensorArg('item', b, 'input');
  const n = numel(t.shape);
  if (n !== 1) throw new PyError(n === 0 ? 'RuntimeError' : 'ValueError', n === 0 ? 'a Tensor with 0 elements cannot be converted to Scalar' : 'only one element tensors can be converted to Python scalars');
  return toPython(await ctx.realize(t.node), 0);
}, 'method');
def('tolist', 'input', async (b, ctx) => {
  const t = tensorArg('tolist', b, 'input');
  const d = await ctx.realize(t.node);
  const build = (offset: number, depth: number): PyValue => {
    if (depth === d.shape.length) return toPython(d, offset);
    const stride = d.shape.slice(depth + 1).reduce((x, y) => x * y, 1);
    return new PyList(Array.from({ length: d.shape[depth] as number }, (_, i) => build(offset + i * stride, depth + 1)));
  };
  return build(0, 0);
}, 'method');
def('size', 'input, dim?', (b) => {
  const t = tensorArg('size', b, 'input');
  if (b.has('dim')) return BigInt(t.shape[normDim(intArg('size', b, 'dim'), t.rank, 'dim')] ?? 1);
  return new PySize(t.shape.map((s) => BigInt(s)));
}, 'method');
def('dim ndimension', 'input', (b) => BigInt(tensorArg('dim', b, 'input').rank), 'method');
def('nelement', 'input', (b) => BigInt(numel(tensorArg('nelement', b, 'input').shape)), 'method');
def('detach', 'input', (b, ctx) => ctx.wrap(ctx.detached(tensorArg('detach', b, 'input').node)), 'method');
for (const name of ['contiguous', 'cpu', 'cuda']) def(name, 'input, *args?', (b) => tensorArg(name, b, 'input'), 'method');
def('to', 'input, *args, dtype?, device?, non_blocking?, copy?', (b, ctx) => {
  const t = tensorArg('to', b, 'input');
  const args = (b.get('args') as PyTuple | undefined)?.items ?? [];
  const dt = [...args, b.get('dtype') ?? null].find((v): v is DTypeValue => v instanceof DTypeValue);
  const other = args.find((v): v is Tensor => v instanceof Tensor);
  const target = dt?.dtype ?? other?.dtype;
  return target && target !== t.dtype ? ctx.wrap(ctx.cast(t.node, target)) : t;
}, 'method');
def('type_as', 'input, other', (b, ctx) => ctx.wrap(ctx.cast(tensorArg('type_as', b, 'input').node, tensorArg('type_as', b, 'other').dtype)), 'method');
def('numpy', 'input', () => {
  throw new Unsupported('.numpy() (nbcheck runs without NumPy)');
}, 'method');
def('backward', 'input, gradient?, retain_graph?, create_graph?, inputs?', backwardMethod, 'method');
def('requires_grad_', 'input, requires_grad?', (b) => {
  const t = tensorArg('requires_grad_', b, 'input');
  t.setRequiresGrad(boolArg('requires_grad_', b, 'requires_grad', true));
  return t;
}, 'method');

/** In-place forms: x.add_(y) computes x + y and rebinds x's node. */
for (const name of ['add', 'sub', 'mul', 'div', 'clamp', 'masked_fill', 'pow', 'relu', 'exp', 'log', 'sqrt', 'abs', 'neg', 'sigmoid', 'tanh', 'floor', 'unsqueeze', 'squeeze', 't', 'transpose']) {
  const d = METHODS.get(name);
  if (!d) continue;
  METHODS.set(`${name}_`, {
    name: `${name}_`,
    params: d.params,
    impl: async (b, ctx, site) => {
      const t = tensorArg(`${name}_`, b, 'input');
      const r = (await d.impl(b, ctx, site)) as Tensor;
      inPlace(t, r);
      return t;
    },
  });
}
def('zero_', 'input', (b, ctx) => {
  const t = tensorArg('zero_', b, 'input');
  inPlace(t, filled(ctx, t.shape, 0, t.dtype));
  return t;
}, 'method');
def('fill_', 'input, value', (b, ctx) => {
  const t = tensorArg('fill_', b, 'input');
  const v = numberValue(b.get('value') ?? null);
  if (v === undefined) throw typeError('fill_', b, 'value', 'Number', b.get('value') ?? null);
  inPlace(t, filled(ctx, t.shape, v, t.dtype));
  return t;
}, 'method');
def('copy_', 'input, src, non_blocking?', (b, ctx) => {
  const t = tensorArg('copy_', b, 'input');
  const s = tensorArg('copy_', b, 'src');
  inPlace(t, expandToShape(ctx, ctx.wrap(ctx.cast(s.node, t.dtype)), t.shape));
  return t;
}, 'method');
def('uniform_', 'input, from?, to?, *, generator?', (b, ctx) => {
  const t = tensorArg('uniform_', b, 'input');
  const lo = floatArg('uniform_', b, 'from', 0);
  const hi = floatArg('uniform_', b, 'to', 1);
  inPlace(t, fromValues(ctx, t.shape, t.dtype, (out) => ctx.generator.fillUniform(out as Float32Array, lo, hi)));
  return t;
}, 'method');
def('normal_', 'input, mean?, std?, *, generator?', (b, ctx) => {
  const t = tensorArg('normal_', b, 'input');
  const m = floatArg('normal_', b, 'mean', 0);
  const s = floatArg('normal_', b, 'std', 1);
  inPlace(t, fromValues(ctx, t.shape, t.dtype, (out) => ctx.generator.fillNormal(out as Float32Array, m, s)));
  return t;
}, 'method');

function expandToShape(ctx: TorchContext, t: Tensor, shape: readonly number[]): Tensor {
  broadcastShapes(t.shape, shape);
  return ctx.wrap(ctx.op('Expand', [t.node], { shape: [...shape] }));
}

function inPlace(t: Tensor, r: Tensor): void {
  if (r.shape.length !== t.rank || r.shape.some((d, i) => d !== t.shape[i])) {
    throw new PyError('RuntimeError', `output with shape [${t.shape.join(', ')}] doesn't match the broadcast shape [${r.shape.join(', ')}]`);
  }
  if (t.requiresGrad && t.isLeaf && t.ctx.gradEnabled) {
    throw new PyError('RuntimeError', 'a leaf Variable that requires grad is being used in an in-place operation.');
  }
  t.rebind(t.ctx.cast(r.node, t.dtype));
}

const ATTRIBUTES: Record<string, (t: Tensor) => PyValue> = {
  shape: (t) => new PySize(t.shape.map((s) => BigInt(s))),
  dtype: (t) => new DTypeValue(t.dtype),
  ndim: (t) => BigInt(t.rank),
  device: () => new DeviceValue('cpu'),
  is_cuda: () => false,
  requires_grad: (t) => t.requiresGrad,
  grad: (t) => t.grad,
  is_leaf: (t) => t.isLeaf,
  data: (t) => t.ctx.wrap(t.ctx.detached(t.node)),
  T: (t) => t.ctx.wrap(t.rank < 2 ? t.node : t.ctx.op('Transpose', [t.node], { perm: t.shape.map((_, i) => t.rank - 1 - i) })),
};

setTensorAttributes(
  (t, name) => {
    const a = ATTRIBUTES[name];
    if (a) return a(t);
    const m = METHODS.get(name);
    if (m) return builtinFor(t.ctx, m, t);
    if (name === '__setattr__') {
      return new PyBuiltin('__setattr__', (a) => {
        const [key, value] = a.args as [string, PyValue];
        if (key === 'requires_grad') {
          t.setRequiresGrad(value === true);
          return null;
        }
        if (key === 'grad') {
          t.grad = value instanceof Tensor ? value : null;
          return null;
        }
        if (key === 'data' && value instanceof Tensor) {
          t.rebind(t.ctx.detached(value.node));
          return null;
        }
        throw new PyError('AttributeError', `attribute '${key}' of 'torch._C._TensorBase' objects is not writable`);
      });
    }
    return undefined;
  },
  () => [...Object.keys(ATTRIBUTES), ...METHODS.keys()],
);

export { formatTensor, storageFrom };
