/**
 * The torch surface: functions of `torch` (and their Tensor-method forms), defined once each with
 * PyTorch's signature, argument checks and error messages, on top of the IR. The definitions are grouped by
 * kind (functions-math.ts, functions-shape.ts, functions-creation.ts); this module adds the Tensor methods
 * and attributes and is what the rest imports.
 */
import type { DType } from '../engine/dtype';
import { numel, storageFrom } from '../engine/dtype';
import { broadcastShapes } from '../engine/ir';
import type { PyValue } from '../python/values';
import { PyBuiltin, PyError, PyList, PySize, PyTuple, Unsupported } from '../python/values';
import { backwardMethod } from './autograd';
import { argError, boolArg, floatArg, intArg, pyTypeForMessage, typeError } from './args';
import type { TorchContext } from './tensor';
import { Tensor, filled, formatTensor, fromValues, normDim, setTensorAttributes, toPython } from './tensor';
import { permuted } from './functions-shape';
import { indexPut } from './tensor-index';
// The groups register their definitions when loaded, in this order (then the methods below).
import './functions-math';
import './functions-shape';
import './functions-creation';
import './functions-surface';
import { numberValue } from './functions-creation';
import { DTypeValue, DeviceValue, ForeignDType, METHODS, builtinFor, def, tensorArg } from './registry';

export { DTypeValue, DeviceValue, FOREIGN_DTYPES, ForeignDType, FUNCTIONS, METHODS, builtinFor, invoke } from './registry';
export { oneHot } from './functions-creation';

// Metadata in place (the tensor's own shape changes): nbcheck's tensors keep their shape.
for (const name of ['unsqueeze_', 'squeeze_', 't_', 'transpose_', 'resize_', 'as_strided_', 'swapaxes_', 'swapdims_']) {
  def(name, 'input, *args?', () => {
    throw new Unsupported(`${name}() (changing a tensor's shape in place; use the form without _ and assign it)`);
  }, 'method');
}

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
// x.int() is int32 in PyTorch, a dtype nbcheck does not compute in.
for (const [name, dtype] of [['int', 'int32'], ['short', 'int16'], ['half', 'float16'], ['byte', 'uint8'], ['char', 'int8'], ['bfloat16', 'bfloat16']]) {
  def(name as string, 'input', () => {
    throw new ForeignDType(dtype as string, false).unsupported();
  }, 'method');
}
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
def('detach', 'input', (b) => {
  const t = tensorArg('detach', b, 'input');
  return t.view(t.geometry, (n) => n, 'detach');
}, 'method');
for (const name of ['cpu', 'cuda']) def(name, 'input, *args?', (b) => tensorArg(name, b, 'input'), 'method');
def('contiguous', 'input, *, memory_format?', (b, ctx) => {
  const t = tensorArg('contiguous', b, 'input');
  return t.contiguous ? t : ctx.wrap(ctx.op('Identity', [t.node]));
}, 'method');
def('is_contiguous', 'input, *, memory_format?', (b) => tensorArg('is_contiguous', b, 'input').contiguous, 'method');
def('stride', 'input, dim?', (b) => {
  const t = tensorArg('stride', b, 'input');
  if (b.has('dim')) return BigInt(t.geometry.strides[normDim(intArg('stride', b, 'dim'), t.rank, 'dim')] ?? 1);
  return new PyTuple(t.geometry.strides.map((x) => BigInt(x)));
}, 'method');
def('storage_offset', 'input', (b) => BigInt(tensorArg('storage_offset', b, 'input').geometry.offset), 'method');
/**
 * An address of nbcheck's own (not PyTorch's): equal for two tensors exactly when PyTorch's are (the same
 * storage and first element), ordered as offsets within a storage are.
 */
def('data_ptr', 'input', (b) => {
  const t = tensorArg('data_ptr', b, 'input');
  const itemsize = t.dtype === 'bool' ? 1 : t.dtype === 'float32' ? 4 : 8;
  return 0x7f0000000000n + BigInt(t.storage.id) * 0x1000000n + BigInt(t.geometry.offset * itemsize);
}, 'method');
def('to', 'input, *args, dtype?, device?, non_blocking?, copy?', (b, ctx) => {
  const t = tensorArg('to', b, 'input');
  const args = (b.get('args') as PyTuple | undefined)?.items ?? [];
  const foreign = [...args, b.get('dtype') ?? null].find((v): v is ForeignDType => v instanceof ForeignDType);
  if (foreign) throw foreign.unsupported();
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

/** In-place forms: x.add_(y) computes x + y and writes it into x's storage. */
for (const name of ['add', 'sub', 'mul', 'div', 'clamp', 'clamp_min', 'clamp_max', 'clip', 'masked_fill', 'pow', 'relu', 'exp', 'log', 'sqrt', 'abs', 'neg', 'sigmoid', 'tanh', 'floor', 'ceil', 'round', 'sin', 'cos', 'reciprocal', 'square', 'sign', 'fmod', 'remainder', 'lerp', 'addcmul', 'addcdiv', 'index_fill', 'index_add', 'scatter', 'scatter_add', 'masked_scatter', 'logical_not', 'trunc', 'frac', 'log1p', 'expm1', 'rsqrt', 'floor_divide', 'true_divide', 'multiply', 'subtract', 'triu', 'tril']) {
  const d = METHODS.get(name);
  if (!d) continue;
  METHODS.set(`${name}_`, {
    name: `${name}_`,
    params: d.params,
    impl: async (b, ctx, site) => {
      const t = tensorArg(`${name}_`, b, 'input');
      t.checkOverlap(...b.values.values());
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
  t.checkOverlap(s);
  inPlace(t, expandToShape(ctx, ctx.wrap(ctx.cast(s.node, t.dtype)), t.shape));
  return t;
}, 'method');
def('index_put_', 'input, indices, values, accumulate?', async (b) => {
  const t = tensorArg('index_put_', b, 'input');
  const indices = b.get('indices') ?? null;
  const values = b.get('values') ?? null;
  const list = indices instanceof PyTuple || indices instanceof PyList ? indices.items : undefined;
  if (!list || !list.every((i) => i instanceof Tensor || i === null)) throw argError(b, 'indices', 'TypeError', `index_put_(): argument 'indices' (position 1) must be tuple of Tensors, not ${pyTypeForMessage(indices)}`);
  if (!(values instanceof Tensor)) throw argError(b, 'values', 'TypeError', `index_put_(): argument 'values' (position 2) must be Tensor, not ${pyTypeForMessage(values)}`);
  await indexPut(t, new PyTuple(list), values, boolArg('index_put_', b, 'accumulate', false));
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

export function inPlace(t: Tensor, r: Tensor): void {
  if (r.shape.length !== t.rank || r.shape.some((d, i) => d !== t.shape[i])) {
    throw new PyError('RuntimeError', `output with shape [${t.shape.join(', ')}] doesn't match the broadcast shape [${r.shape.join(', ')}]`);
  }
  t.write(r.node, undefined, r !== t);
}

const ATTRIBUTES: Record<string, (t: Tensor) => PyValue> = {
  shape: (t) => new PySize(t.shape.map((s) => BigInt(s))),
  dtype: (t) => new DTypeValue(t.dtype),
  ndim: (t) => BigInt(t.rank),
  device: () => new DeviceValue('cpu'),
  is_cuda: () => false,
  requires_grad: (t) => t.requiresGrad,
  grad: (t) => t.grad,
  data: (t) => t.view(t.geometry, (n) => n, 'data'),
  T: (t) => permuted(t.ctx, t, t.shape.map((_, i) => t.rank - 1 - i)),
  mT: (t) => {
    if (t.rank < 2) throw new PyError('RuntimeError', `tensor.mT is only supported on matrices or batches of matrices. Got ${t.rank}-D tensor.`);
    const perm = t.shape.map((_, i) => i);
    [perm[t.rank - 2], perm[t.rank - 1]] = [t.rank - 1, t.rank - 2];
    return permuted(t.ctx, t, perm);
  },
  is_leaf: (t) => t.isLeaf,
  _version: (t) => BigInt(t.version),
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
          setData(t, value);
          return null;
        }
        throw new PyError('AttributeError', `attribute '${key}' of 'torch._C._TensorBase' objects is not writable`);
      });
    }
    return undefined;
  },
  () => [...Object.keys(ATTRIBUTES), ...METHODS.keys()],
);

/**
 * `t.data = value`: PyTorch makes t share value's storage. nbcheck writes value's elements into t's own
 * storage (t keeps being the leaf it is); the sharing itself is not modelled, so a later in-place write
 * into `value` would not show in t: such a write is refused as not supported (see Tensor.write).
 */
function setData(t: Tensor, value: Tensor): void {
  if (value.storage === t.storage && value.geometry.offset === t.geometry.offset && value.shape.every((d, i) => d === t.shape[i]) && value.geometry.strides.every((d, i) => d === t.geometry.strides[i])) return;
  if (value.dtype !== t.dtype || value.shape.length !== t.rank || value.shape.some((d, i) => d !== t.shape[i])) {
    throw new Unsupported(`assigning .data a tensor of another shape or dtype (${value.dtype} [${value.shape.join(', ')}] into ${t.dtype} [${t.shape.join(', ')}])`);
  }
  const data = t.view(t.geometry, (n) => n, 'data');
  data.write(value.node);
  value.storage.sharedBy = t;
}

export { formatTensor, storageFrom };
