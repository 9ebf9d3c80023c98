/** torch's creation functions: tensor, zeros, arange, rand, ... (registered with `def`, see registry.ts). */
import { SCALAR_NAME, isFloat, numel } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import type { PyValue } from '../python/values';
import { PyError, PyList, PyTuple, Unsupported } from '../python/values';
import type { Bound } from './args';
import { argError, boolArg, floatArg, intArg, intListArg, typeError } from './args';
import type { TorchContext } from './tensor';
import { Tensor, filled, fromValues, promoteOperands, tensorFromNested } from './tensor';
import { def, dtypeArg, sizeArg, tensorArg } from './registry';

// ---- creation -------------------------------------------------------------------------------------------

const CREATION_KW = '*, dtype?, device?, requires_grad?, layout?, pin_memory?, out?';

function finish(t: Tensor, b: Bound): Tensor {
  if (boolArg('', b, 'requires_grad', false)) {
    if (!isFloat(t.dtype)) throw argError(b, 'requires_grad', 'RuntimeError', 'Only Tensors of floating point and complex dtype can require gradients');
    t.setRequiresGrad(true);
  }
  return t;
}

export function numberValue(v: PyValue): number | bigint | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (v instanceof Tensor) {
    const s = v.scalarValue();
    if (typeof s === 'number' || typeof s === 'bigint' || typeof s === 'boolean') return s;
  }
  return undefined;
}

def('tensor', `data, ${CREATION_KW}`, async (b, ctx) => {
  const data = b.get('data') ?? null;
  await realizeElements(ctx, data);
  return finish(tensorFromNested(ctx, data, dtypeArg(b)), b);
}, 'function');

/** Computes the values of the tensors among nested lists (`torch.tensor([a.sum(), b.max()])`). */
async function realizeElements(ctx: TorchContext, v: PyValue): Promise<void> {
  const computed: Tensor[] = [];
  const visit = (x: PyValue): void => {
    if (x instanceof PyList || x instanceof PyTuple) x.items.forEach(visit);
    else if (x instanceof Tensor && !x.known()) computed.push(x);
  };
  visit(v);
  if (computed.length) await ctx.realizeAll(computed.map((t) => t.node));
}
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
