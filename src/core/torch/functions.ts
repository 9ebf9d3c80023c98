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
import { boolArg, floatArg, intArg, typeError } from './args';
import type { TorchContext } from './tensor';
import { Tensor, filled, formatTensor, fromValues, normDim, setTensorAttributes, toPython } from './tensor';
// The groups register their definitions when loaded, in this order (then the methods below).
import './functions-math';
import './functions-shape';
import './functions-creation';
import { numberValue } from './functions-creation';
import { DTypeValue, DeviceValue, METHODS, builtinFor, def, tensorArg } from './registry';

export { DTypeValue, DeviceValue, FUNCTIONS, METHODS, builtinFor, invoke } from './registry';
export { oneHot } from './functions-creation';

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
