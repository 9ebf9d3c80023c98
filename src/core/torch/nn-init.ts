/**
 * torch.nn.init as PyTorch 1.13 writes it: in place under no_grad, the random ones drawing from the same
 * generator as tensor.uniform_ / tensor.normal_ (float32 tensors: the draws nbcheck reproduces), with
 * PyTorch's fan computation and calculate_gain.
 */
import { numel } from '../engine/dtype';
import type { PyValue } from '../python/values';
import { PyBuiltin, PyError, PyModule, Unsupported } from '../python/values';
import type { Bound } from './args';
import { bind, floatArg, signature, typeError } from './args';
import { Tensor, filled, fromValues, type TorchContext } from './tensor';

export function calculateGain(nonlinearity: string, param: PyValue | undefined): number {
  const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'];
  if (linear.includes(nonlinearity)) return 1;
  if (nonlinearity === 'tanh') return 5 / 3;
  if (nonlinearity === 'relu') return Math.SQRT2;
  if (nonlinearity === 'selu') return 3 / 4;
  if (nonlinearity === 'leaky_relu') {
    let slope = 0.01;
    if (param !== undefined && param !== null) {
      if (typeof param === 'boolean' || (typeof param !== 'number' && typeof param !== 'bigint')) throw new PyError('ValueError', `negative_slope ${String(param)} not a valid number`);
      slope = Number(param);
    }
    return Math.sqrt(2 / (1 + slope ** 2));
  }
  throw new PyError('ValueError', `Unsupported nonlinearity ${nonlinearity}`);
}

function fans(t: Tensor): [number, number] {
  if (t.rank < 2) throw new PyError('ValueError', 'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.rank > 2 ? numel(t.shape.slice(2)) : 1;
  return [(t.shape[1] as number) * receptive, (t.shape[0] as number) * receptive];
}

export function createInit(ctx: TorchContext): PyModule {
  const write = (t: Tensor, fill: (out: Float32Array) => void): Tensor => {
    const saved = ctx.gradEnabled;
    ctx.gradEnabled = false;
    try {
      t.write(fromValues(ctx, t.shape, t.dtype, (out) => fill(out as Float32Array)).node);
    } finally {
      ctx.gradEnabled = saved;
    }
    return t;
  };
  const random = (fn: string, t: Tensor): void => {
    if (t.dtype !== 'float32') throw new Unsupported(`torch.nn.init.${fn} of a ${t.dtype} tensor (nbcheck reproduces PyTorch's float32 draws)`);
  };
  const uniform = (fn: string, t: Tensor, a: number, b: number): Tensor => {
    random(fn, t);
    return write(t, (out) => ctx.generator.fillUniform(out, a, b));
  };
  const normal = (fn: string, t: Tensor, mean: number, std: number): Tensor => {
    random(fn, t);
    return write(t, (out) => ctx.generator.fillNormal(out, mean, std));
  };
  const constant = (t: Tensor, v: number): Tensor => {
    const saved = ctx.gradEnabled;
    ctx.gradEnabled = false;
    try {
      t.write(filled(ctx, t.shape, v, 'float64').node);
    } finally {
      ctx.gradEnabled = saved;
    }
    return t;
  };
  const kaimingStd = (fn: string, t: Tensor, b: Bound): number => {
    const mode = b.get('mode') ?? 'fan_in';
    if (mode !== 'fan_in' && mode !== 'fan_out') throw new PyError('ValueError', `Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
    const [fanIn, fanOut] = fans(t);
    const gain = calculateGain(String(b.get('nonlinearity') ?? 'leaky_relu'), b.get('a') ?? 0n);
    return gain / Math.sqrt(mode === 'fan_in' ? fanIn : fanOut);
  };
  const defs: [string, string, (t: Tensor, b: Bound, fn: string) => Tensor][] = [
    ['zeros_', 'tensor', (t) => constant(t, 0)],
    ['ones_', 'tensor', (t) => constant(t, 1)],
    ['constant_', 'tensor, val', (t, b, fn) => constant(t, floatArg(fn, b, 'val'))],
    ['uniform_', 'tensor, a?, b?', (t, b, fn) => uniform(fn, t, floatArg(fn, b, 'a', 0), floatArg(fn, b, 'b', 1))],
    ['normal_', 'tensor, mean?, std?', (t, b, fn) => normal(fn, t, floatArg(fn, b, 'mean', 0), floatArg(fn, b, 'std', 1))],
    ['xavier_uniform_', 'tensor, gain?', (t, b, fn) => {
      const [fanIn, fanOut] = fans(t);
      const a = Math.sqrt(3) * floatArg(fn, b, 'gain', 1) * Math.sqrt(2 / (fanIn + fanOut));
      return uniform(fn, t, -a, a);
    }],
    ['xavier_normal_', 'tensor, gain?', (t, b, fn) => {
      const [fanIn, fanOut] = fans(t);
      return normal(fn, t, 0, floatArg(fn, b, 'gain', 1) * Math.sqrt(2 / (fanIn + fanOut)));
    }],
    ['kaiming_uniform_', 'tensor, a?, mode?, nonlinearity?', (t, b, fn) => {
      if (numel(t.shape) === 0) return t;
      const bound = Math.sqrt(3) * kaimingStd(fn, t, b);
      return uniform(fn, t, -bound, bound);
    }],
    ['kaiming_normal_', 'tensor, a?, mode?, nonlinearity?', (t, b, fn) => (numel(t.shape) === 0 ? t : normal(fn, t, 0, kaimingStd(fn, t, b)))],
  ];
  const attrs = new Map<string, PyValue>();
  for (const [name, sig, impl] of defs) {
    const params = signature(sig);
    attrs.set(name, new PyBuiltin(name, (a, site) => {
      const b = bind(name, params, a, { style: 'python' });
      ctx.enter(`torch.nn.init.${name}`, site);
      const t = b.get('tensor');
      if (!(t instanceof Tensor)) throw typeError(name, b, 'tensor', 'Tensor', t ?? null);
      return impl(t, b, name);
    }));
  }
  attrs.set('calculate_gain', new PyBuiltin('calculate_gain', (a) => {
    const b = bind('calculate_gain', signature('nonlinearity, param?'), a, { style: 'python' });
    return calculateGain(String(b.get('nonlinearity')), b.get('param'));
  }));
  return new PyModule('torch.nn.init', attrs);
}
