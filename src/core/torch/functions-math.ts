/** torch's elementwise functions, reductions and linear algebra (registered with `def`, see registry.ts). */
import { SCALAR_NAME, isFloat, numel } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import { broadcastShapes } from '../engine/ir';
import { PyError, PyNamedTuple, PyTuple, Unsupported } from '../python/values';
import { argError, boolArg, intArg } from './args';
import type { Operand, TorchContext } from './tensor';
import {
  BINARY_OPS,
  Tensor,
  floorDivide,
  matmul,
  normDim,
  operandNode,
  power,
  promoteOperands,
  remainder,
  trueDivide,
} from './tensor';
import type { Impl } from './registry';
import { def, dtypeArg, floatOnly, operandArg, optDim, tensorArg } from './registry';
import { whereOne } from './functions-surface';

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
  if (!b.has('input') && !b.has('other')) return whereOne(ctx, c);
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

// ---- triangles and trace ----------------------------------------------------------------------------------

for (const fn of ['triu', 'tril'] as const) {
  def(fn, 'input, diagonal?, *, out?', (b, ctx) => {
    const t = tensorArg(fn, b, 'input');
    if (t.rank < 2) throw new PyError('IndexError', `Dimension out of range (expected to be in range of [-1, 0], but got -2)`);
    const k = intArg(fn, b, 'diagonal', 0);
    const [rows, cols] = t.shape.slice(-2) as [number, number];
    const keep = Uint8Array.from({ length: rows * cols }, (_, p) => {
      const d = (p % cols) - Math.floor(p / cols);
      return (fn === 'triu' ? d >= k : d <= k) ? 1 : 0;
    });
    const mask = ctx.data({ dtype: 'bool', shape: [rows, cols], data: keep });
    // onnxruntime's Where has no bool kernel: a bool triangle is an And with the mask.
    return ctx.wrap(t.dtype === 'bool' ? ctx.op('And', [t.node, mask]) : ctx.op('Where', [mask, t.node, ctx.scalar(0, t.dtype)]));
  });
}
def('trace', 'input', (b, ctx) => {
  const t = tensorArg('trace', b, 'input');
  if (t.rank !== 2) throw new PyError('RuntimeError', `trace: expected a matrix, but got tensor with dim ${t.rank}`);
  const [rows, cols] = t.shape as [number, number];
  const n = Math.min(rows, cols);
  const x = t.dtype === 'bool' ? ctx.cast(t.node, 'int64') : t.node;
  const diagonal = ctx.op('Gather', [ctx.reshape(x, [rows * cols]), ctx.data({ dtype: 'int64', shape: [n], data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * cols + i)) })], { axis: 0 });
  return ctx.wrap(ctx.op('ReduceSum', [diagonal], { axes: [0], keepdims: false }));
});

// ---- lerp, addcmul, addcdiv (as ATen's CPU kernels compute them) ---------------------------------------

/** A Python arithmetic operator on operands, as `a op b` computes it (promotion, broadcasting). */
const arith = (op: '+' | '-' | '*' | '/'): ((ctx: TorchContext, a: Operand, b: Operand) => Tensor) => BINARY_OPS[op] as (ctx: TorchContext, a: Operand, b: Operand) => Tensor;

def('lerp', 'input, end, weight', (b, ctx) => {
  const [s, e] = [tensorArg('lerp', b, 'input'), tensorArg('lerp', b, 'end')];
  if (!isFloat(s.dtype) || e.dtype !== s.dtype) throw new PyError('RuntimeError', `expected dtype ${SCALAR_NAME[s.dtype].toLowerCase()} for \`end\` but got dtype ${SCALAR_NAME[e.dtype].toLowerCase()}`);
  const w = operandArg('lerp', ctx, b, 'weight');
  const [mul, add, sub] = [arith('*'), arith('+'), arith('-')];
  const diff = sub(ctx, e, s);
  // weight < 0.5: self + weight * (end - self); else end - (end - self) * (1 - weight).
  const low = add(ctx, s, mul(ctx, w, diff));
  const high = sub(ctx, e, mul(ctx, diff, sub(ctx, { scalar: 1 }, w)));
  const wNode = operandNode(ctx, w, s.dtype);
  const small = ctx.op('Less', [ctx.op('Abs', [wNode]), ctx.scalar(0.5, s.dtype)]);
  return ctx.wrap(ctx.op('Where', [small, low.node, high.node]));
});
for (const [fn, op] of [['addcmul', '*'], ['addcdiv', '/']] as const) {
  def(fn, 'input, tensor1, tensor2, *, value?', (b, ctx) => {
    const s = operandArg(fn, ctx, b, 'input');
    const [t1, t2] = [operandArg(fn, ctx, b, 'tensor1'), operandArg(fn, ctx, b, 'tensor2')];
    const value = b.get('value') ?? 1;
    if (typeof value !== 'number' && typeof value !== 'bigint') throw new Unsupported(`${fn} with a value that is not a number`);
    const [mul, combine] = [arith('*'), arith(op)];
    // addcmul: self + value * t1 * t2 (left to right); addcdiv: self + value * (t1 / t2).
    const term = op === '*' ? combine(ctx, mul(ctx, { scalar: Number(value) }, t1), t2) : mul(ctx, { scalar: Number(value) }, combine(ctx, t1, t2));
    return arith('+')(ctx, s, term);
  });
}
