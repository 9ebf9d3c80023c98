/**
 * torch.nn.functional beyond the basics, composed of the IR's ops as PyTorch 1.13 computes them:
 * activations (gelu, elu, leaky_relu, softplus), layer_norm, embedding, max/avg pooling, the losses
 * (binary_cross_entropy[_with_logits], kl_div, smooth_l1, huber) and normalize / cosine_similarity.
 * Each is `(b: Bound) => Tensor`, shared by the F. form and the nn module.
 */
import { isFloat } from '../engine/dtype';
import type { DType } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import { PyError, Unsupported } from '../python/values';
import type { Bound } from './args';
import { argError, boolArg, floatArg, intArg, intListArg, typeError } from './args';
import { Tensor, filled, normDim, type TorchContext } from './tensor';

export type Reduction = 'mean' | 'sum' | 'none';
export type Impl = (b: Bound) => Tensor | Promise<Tensor>;

export function tensorOf(fn: string, b: Bound, name: string): Tensor {
  const v = b.get(name);
  if (v instanceof Tensor) return v;
  throw typeError(fn, b, name, 'Tensor', v ?? null);
}

export function reductionOf(b: Bound, extra: string[] = []): Reduction | 'batchmean' {
  const r = b.get('reduction') ?? 'mean';
  if (typeof r === 'string' && ['mean', 'sum', 'none', ...extra].includes(r)) return r as Reduction;
  if (b.has('size_average') || b.has('reduce')) throw new Unsupported('the legacy size_average / reduce arguments');
  throw argError(b, 'reduction', 'ValueError', `${typeof r === 'string' ? r : 'that'} is not a valid value for reduction`);
}

const size = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

export function createFunctional(ctx: TorchContext): Map<string, { sig: string; impl: Impl }> {
  const op = (name: string, ins: IRNode[], attrs: Record<string, unknown> = {}): IRNode => ctx.op(name, ins, attrs);
  const k = (v: number, dt: DType): IRNode => ctx.scalar(v, dt);
  const wrap = (n: IRNode): Tensor => ctx.wrap(n);
  const floatInput = (fn: string, b: Bound, name = 'input'): Tensor => {
    const x = tensorOf(fn, b, name);
    if (!isFloat(x.dtype)) throw new Unsupported(`${fn} of a ${x.dtype} tensor`);
    return x;
  };
  const reduce = (per: IRNode, red: Reduction): Tensor => {
    if (red === 'none') return wrap(per);
    const axes = per.shape.map((_, i) => i);
    return wrap(op(red === 'mean' ? 'ReduceMean' : 'ReduceSum', [per], { axes, keepdims: false }));
  };
  /** Input and target of a pointwise loss: same shape (PyTorch broadcasts with a warning; nbcheck does not), one float dtype. */
  const pair = (fn: string, b: Bound): [IRNode, IRNode, DType] => {
    const x = floatInput(fn, b);
    const y = tensorOf(fn, b, 'target');
    if (y.shape.length !== x.shape.length || y.shape.some((d, i) => d !== x.shape[i])) {
      if (fn === 'binary_cross_entropy' || fn === 'binary_cross_entropy_with_logits') {
        throw new PyError('ValueError', `Using a target size (${size(y.shape)}) that is different to the input size (${size(x.shape)}) is deprecated. Please ensure they have the same size.`);
      }
      throw new Unsupported(`${fn} with a target of another shape (PyTorch broadcasts it with a warning)`);
    }
    if (!isFloat(y.dtype) || y.dtype !== x.dtype) throw new Unsupported(`${fn} with a ${y.dtype} target and a ${x.dtype} input`);
    return [x.node, y.node, x.dtype];
  };
  const weighted = (fn: string, b: Bound, name: string, per: IRNode): IRNode => {
    const w = b.get(name);
    if (w === undefined || w === null) return per;
    if (!(w instanceof Tensor)) throw typeError(fn, b, name, 'Tensor', w);
    if (!isFloat(w.dtype) || w.dtype !== per.dtype) throw new Unsupported(`${fn} with a ${w.dtype} ${name}`);
    return op('Mul', [per, w.node]);
  };

  const F = new Map<string, { sig: string; impl: Impl }>();
  const def = (name: string, sig: string, impl: Impl): void => {
    F.set(name, { sig, impl });
  };

  // ---- activations ----------------------------------------------------------------------------------
  def('gelu', 'input, approximate?', (b) => {
    const x = floatInput('gelu', b);
    const dt = x.dtype;
    const approximate = b.get('approximate') ?? 'none';
    const half = op('Mul', [x.node, k(0.5, dt)]);
    if (approximate === 'tanh') {
      const inner = op('Mul', [k(Math.sqrt(2 / Math.PI), dt), op('Add', [x.node, op('Mul', [k(0.044715, dt), op('Mul', [x.node, op('Mul', [x.node, x.node])])])])]);
      return wrap(op('Mul', [half, op('Add', [k(1, dt), op('Tanh', [inner])])]));
    }
    if (approximate !== 'none') throw argError(b, 'approximate', 'RuntimeError', `approximate argument must be either none or tanh.`);
    if (dt === 'float64') throw new Unsupported('gelu of a float64 tensor (onnxruntime computes erf in float32)');
    return wrap(op('Mul', [half, op('Add', [k(1, dt), op('Erf', [op('Mul', [x.node, k(Math.SQRT1_2, dt)])])])]));
  });
  def('elu', 'input, alpha?, inplace?', (b) => {
    const x = floatInput('elu', b);
    const alpha = floatArg('elu', b, 'alpha', 1);
    // exp of x where x <= 0 and of 0 elsewhere (a Where, not a Min: Min would share the gradient at 0).
    const positive = op('Greater', [x.node, k(0, x.dtype)]);
    const neg = op('Mul', [k(alpha, x.dtype), op('Sub', [op('Exp', [op('Where', [positive, k(0, x.dtype), x.node])]), k(1, x.dtype)])]);
    return wrap(op('Where', [positive, x.node, neg]));
  });
  def('leaky_relu', 'input, negative_slope?, inplace?', (b) => {
    const x = floatInput('leaky_relu', b);
    const slope = floatArg('leaky_relu', b, 'negative_slope', 0.01);
    return wrap(op('Where', [op('Greater', [x.node, k(0, x.dtype)]), x.node, op('Mul', [x.node, k(slope, x.dtype)])]));
  });
  def('softplus', 'input, beta?, threshold?', (b) => {
    const x = floatInput('softplus', b);
    const beta = floatArg('softplus', b, 'beta', 1);
    const threshold = floatArg('softplus', b, 'threshold', 20);
    const bx = op('Mul', [x.node, k(beta, x.dtype)]);
    const above = op('Greater', [bx, k(threshold, x.dtype)]);
    // The softplus branch where bx <= threshold (threshold elsewhere): exp stays finite where the linear branch is taken.
    const soft = op('Div', [op('Log', [op('Add', [k(1, x.dtype), op('Exp', [op('Where', [above, k(threshold, x.dtype), bx])])])]), k(beta, x.dtype)]);
    return wrap(op('Where', [above, x.node, soft]));
  });

  // ---- normalisation and embedding ------------------------------------------------------------------
  def('layer_norm', 'input, normalized_shape, weight?, bias?, eps?', (b) => {
    const x = floatInput('layer_norm', b);
    const shape = intListArg('layer_norm', b, 'normalized_shape') ?? [];
    const eps = floatArg('layer_norm', b, 'eps', 1e-5);
    const tail = x.shape.slice(x.rank - shape.length);
    if (shape.length === 0 || shape.length > x.rank || tail.some((d, i) => d !== shape[i])) {
      throw new PyError('RuntimeError', `Given normalized_shape=[${shape.join(', ')}], expected input with shape [*, ${shape.join(', ')}], but got input of size[${x.shape.join(', ')}]`);
    }
    const axes = shape.map((_, i) => x.rank - shape.length + i);
    const mean = op('ReduceMean', [x.node], { axes, keepdims: true });
    const d = op('Sub', [x.node, mean]);
    const variance = op('ReduceMean', [op('Mul', [d, d])], { axes, keepdims: true });
    let y = op('Mul', [d, op('Reciprocal', [op('Sqrt', [op('Add', [variance, k(eps, x.dtype)])])])]);
    for (const [name, f] of [['weight', 'Mul'], ['bias', 'Add']] as const) {
      const p = b.get(name);
      if (p === undefined || p === null) continue;
      if (!(p instanceof Tensor)) throw typeError('layer_norm', b, name, 'Tensor', p);
      if (p.shape.length !== shape.length || p.shape.some((dd, i) => dd !== shape[i]) || p.dtype !== x.dtype) throw new Unsupported(`layer_norm with a ${name} of another shape or dtype`);
      y = op(f, [y, p.node]);
    }
    return wrap(y);
  });
  def('embedding', 'input, weight, padding_idx?, max_norm?, norm_type?, scale_grad_by_freq?, sparse?', (b) => {
    const idx = tensorOf('embedding', b, 'input');
    const w = tensorOf('embedding', b, 'weight');
    if (b.has('max_norm') && b.get('max_norm') !== null) throw new Unsupported('embedding with max_norm');
    if (boolArg('embedding', b, 'scale_grad_by_freq', false) || boolArg('embedding', b, 'sparse', false)) throw new Unsupported('embedding with scale_grad_by_freq or sparse');
    if (idx.dtype !== 'int64') throw new PyError('RuntimeError', `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${idx.dtype === 'bool' ? 'BoolTensor' : idx.dtype === 'float64' ? 'DoubleTensor' : 'FloatTensor'} instead (while checking arguments for embedding)`);
    if (w.rank !== 2) throw new Unsupported('embedding with a weight that is not 2-D');
    const rows = w.shape[0] as number;
    const known = idx.known();
    if (!known) throw new Unsupported('embedding with indices computed in the program (nbcheck checks their range before running)');
    for (let i = 0; i < known.data.length; i++) {
      const v = Number(known.data[i] as bigint);
      if (v < 0 || v >= rows) throw new PyError('IndexError', 'index out of range in self');
    }
    const out = op('Gather', [w.node, idx.node], { axis: 0 });
    const pad = b.get('padding_idx');
    if (pad === undefined || pad === null) return wrap(out);
    let p = intArg('embedding', b, 'padding_idx');
    if (p < 0) p += rows;
    // The padding row's gradient is zero: its lookups are taken outside autograd.
    const mask = op('Equal', [idx.node, ctx.scalar(BigInt(p), 'int64')]);
    const m = ctx.reshape(mask, [...idx.shape, 1]);
    return wrap(op('Where', [m, ctx.detached(out), out]));
  });

  // ---- pooling --------------------------------------------------------------------------------------
  /** The windows of a 2-D pooling, stacked on a last axis: [N, C, Ho, Wo, kh*kw]; the padding value fills the border. */
  const windows = (fn: string, b: Bound, padValue: number): { stacked: IRNode; x: Tensor; k: [number, number]; s: [number, number]; p: [number, number]; out: number[] } => {
    const x = floatInput(fn, b);
    const two = (name: string, dflt?: [number, number]): [number, number] => {
      const v = b.get(name);
      if ((v === undefined || v === null) && dflt) return dflt;
      const l = intListArg(fn, b, name) ?? [];
      if (l.length !== 1 && l.length !== 2) throw new Unsupported(`${fn} with ${name} of ${l.length} values`);
      return [l[0] as number, (l[1] ?? l[0]) as number];
    };
    const ks = two('kernel_size');
    const st = two('stride', ks);
    const pd = two('padding', [0, 0]);
    if (b.has('dilation') && two('dilation', [1, 1]).some((d) => d !== 1)) throw new Unsupported(`${fn} with dilation`);
    if (boolArg(fn, b, 'ceil_mode', false)) throw new Unsupported(`${fn} with ceil_mode=True`);
    if (boolArg(fn, b, 'return_indices', false)) throw new Unsupported(`${fn} with return_indices=True`);
    if (x.rank !== 3 && x.rank !== 4) throw new Unsupported(`${fn} of a ${x.rank}-D input`);
    if (ks.some((d) => d <= 0) || st.some((d) => d <= 0)) throw new Unsupported(`${fn} with a kernel or stride that is not positive`);
    if (pd.some((p, i) => p < 0 || p > (ks[i] as number) / 2)) {
      throw new PyError('RuntimeError', fn === 'max_pool2d'
        ? `pad should be at most half of effective kernel size, but got pad=${pd[0]}, kernel_size=${ks[0]} and dilation=1`
        : `pad should be at most half of kernel size, but got pad=${pd[0]} and kernel_size=${ks[0]}`);
    }
    const x4 = x.rank === 3 ? ctx.reshape(x.node, [1, ...x.shape]) : x.node;
    const [n, c, h, w] = x4.shape as [number, number, number, number];
    const [ho, wo] = [0, 1].map((i) => Math.floor((([h, w][i] as number) + 2 * (pd[i] as number) - (ks[i] as number)) / (st[i] as number)) + 1) as [number, number];
    if (ho <= 0 || wo <= 0) {
      throw new PyError('RuntimeError', `Given input size: (${c}x${h}x${w}). Calculated output size: (${c}x${ho}x${wo}). Output size is too small`);
    }
    let padded = x4;
    const [ph, pw] = pd;
    if (ph > 0) padded = op('Concat', [filled(ctx, [n, c, ph, w], padValue, x.dtype).node, padded, filled(ctx, [n, c, ph, w], padValue, x.dtype).node], { axis: 2 });
    if (pw > 0) padded = op('Concat', [filled(ctx, [n, c, h + 2 * ph, pw], padValue, x.dtype).node, padded, filled(ctx, [n, c, h + 2 * ph, pw], padValue, x.dtype).node], { axis: 3 });
    const parts: IRNode[] = [];
    for (let i = 0; i < ks[0]; i++) {
      for (let j = 0; j < ks[1]; j++) {
        const sl = op('Slice', [padded], { starts: [i, j], ends: [i + (ho - 1) * st[0] + 1, j + (wo - 1) * st[1] + 1], axes: [2, 3], steps: st });
        parts.push(ctx.reshape(sl, [n, c, ho, wo, 1]));
      }
    }
    const stacked = parts.length === 1 ? (parts[0] as IRNode) : op('Concat', parts, { axis: 4 });
    return { stacked, x, k: ks, s: st, p: pd, out: x.rank === 3 ? [c, ho, wo] : [n, c, ho, wo] };
  };
  def('max_pool2d', 'input, kernel_size, stride?, padding?, dilation?, ceil_mode?, return_indices?', (b) => {
    const { stacked, out } = windows('max_pool2d', b, -Infinity);
    // The first maximum of each window (in row-major order) takes the gradient, as PyTorch's kernel does.
    const at = op('ArgMax', [stacked], { axis: 4, keepdims: true });
    return wrap(ctx.reshape(op('GatherElements', [stacked, at], { axis: 4 }), out));
  });
  def('avg_pool2d', 'input, kernel_size, stride?, padding?, ceil_mode?, count_include_pad?, divisor_override?', (b) => {
    const { stacked, x, k: ks, s, p, out } = windows('avg_pool2d', b, 0);
    const total = op('ReduceSum', [stacked], { axes: [4], keepdims: false });
    const divisor = b.get('divisor_override');
    if (divisor !== undefined && divisor !== null) return wrap(ctx.reshape(op('Div', [total, k(intArg('avg_pool2d', b, 'divisor_override'), x.dtype)]), out));
    if (boolArg('avg_pool2d', b, 'count_include_pad', true) || (p[0] === 0 && p[1] === 0)) return wrap(ctx.reshape(op('Div', [total, k(ks[0] * ks[1], x.dtype)]), out));
    // count_include_pad=False: each window's count of elements inside the input.
    const [h, w] = x.shape.slice(-2) as [number, number];
    const [ho, wo] = out.slice(-2) as [number, number];
    const counts = new Array<number>(ho * wo);
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        const rows = Math.min(i * s[0] - p[0] + ks[0], h) - Math.max(i * s[0] - p[0], 0);
        const cols = Math.min(j * s[1] - p[1] + ks[1], w) - Math.max(j * s[1] - p[1], 0);
        counts[i * wo + j] = rows * cols;
      }
    }
    const cnt = ctx.data({ dtype: x.dtype, shape: [ho, wo], data: x.dtype === 'float64' ? Float64Array.from(counts) : Float32Array.from(counts) });
    return wrap(ctx.reshape(op('Div', [total, cnt]), out));
  });

  // ---- losses -----------------------------------------------------------------------------------------
  def('binary_cross_entropy', 'input, target, weight?, size_average?, reduce?, reduction?', async (b) => {
    const red = reductionOf(b) as Reduction;
    const [x, y, dt] = pair('binary_cross_entropy', b);
    const values = await ctx.realize(x);
    for (let i = 0; i < values.data.length; i++) {
      const v = values.data[i] as number;
      if (!(v >= 0 && v <= 1)) throw new PyError('RuntimeError', 'all elements of input should be between 0 and 1');
    }
    // PyTorch clamps each log at -100.
    const log = (n: IRNode): IRNode => op('Max', [op('Log', [n]), k(-100, dt)]);
    const per = op('Neg', [op('Add', [op('Mul', [y, log(x)]), op('Mul', [op('Sub', [k(1, dt), y]), log(op('Sub', [k(1, dt), x]))])])]);
    return reduce(weighted('binary_cross_entropy', b, 'weight', per), red);
  });
  def('binary_cross_entropy_with_logits', 'input, target, weight?, size_average?, reduce?, reduction?, pos_weight?', (b) => {
    const red = reductionOf(b) as Reduction;
    const [x, y, dt] = pair('binary_cross_entropy_with_logits', b);
    const one = k(1, dt);
    const first = op('Mul', [op('Sub', [one, y]), x]);
    const pw = b.get('pos_weight');
    let per: IRNode;
    if (pw instanceof Tensor) {
      if (pw.dtype !== dt) throw new Unsupported(`binary_cross_entropy_with_logits with a ${pw.dtype} pos_weight`);
      const logWeight = op('Add', [op('Mul', [op('Sub', [pw.node, one]), y]), one]);
      const softplusNeg = op('Add', [op('Log', [op('Add', [one, op('Exp', [op('Neg', [op('Abs', [x])])])])]), op('Max', [op('Neg', [x]), k(0, dt)])]);
      per = op('Add', [first, op('Mul', [logWeight, softplusNeg])]);
    } else {
      if (pw !== undefined && pw !== null) throw typeError('binary_cross_entropy_with_logits', b, 'pos_weight', 'Tensor', pw);
      const maxVal = op('Max', [op('Neg', [x]), k(0, dt)]);
      per = op('Add', [op('Add', [first, maxVal]), op('Log', [op('Add', [op('Exp', [op('Neg', [maxVal])]), op('Exp', [op('Sub', [op('Neg', [x]), maxVal])])])])]);
    }
    return reduce(weighted('binary_cross_entropy_with_logits', b, 'weight', per), red);
  });
  def('kl_div', 'input, target, size_average?, reduce?, reduction?, log_target?', (b) => {
    const red = reductionOf(b, ['batchmean']);
    const [x, y, dt] = pair('kl_div', b);
    let per: IRNode;
    if (boolArg('kl_div', b, 'log_target', false)) per = op('Mul', [op('Exp', [y]), op('Sub', [y, x])]);
    else {
      // xlogy(target, target) - target * input: 0 where the target is 0.
      const positive = op('Greater', [y, k(0, dt)]);
      const safe = op('Where', [positive, y, k(1, dt)]);
      const xlogy = op('Where', [op('Equal', [y, k(0, dt)]), k(0, dt), op('Mul', [y, op('Log', [safe])])]);
      per = op('Sub', [xlogy, op('Mul', [y, x])]);
    }
    if (red !== 'batchmean') return reduce(per, red);
    const total = reduce(per, 'sum').node;
    return wrap(x.shape.length === 0 ? total : op('Div', [total, k(x.shape[0] as number, dt)]));
  });
  const piecewise = (name: string, param: string, f: (z: IRNode, c: number, dt: DType) => IRNode) => (b: Bound): Tensor => {
    const red = reductionOf(b) as Reduction;
    const [x, y, dt] = pair(name, b);
    const c = floatArg(name, b, param, 1);
    if (c < 0) throw argError(b, param, 'RuntimeError', `${name} does not support negative values for ${param}.`);
    return reduce(f(op('Abs', [op('Sub', [x, y])]), c, dt), red);
  };
  def('smooth_l1_loss', 'input, target, size_average?, reduce?, reduction?, beta?', piecewise('smooth_l1_loss', 'beta', (z, beta, dt) => {
    if (beta === 0) return z;
    return op('Where', [op('Less', [z, k(beta, dt)]), op('Div', [op('Mul', [k(0.5, dt), op('Mul', [z, z])]), k(beta, dt)]), op('Sub', [z, k(0.5 * beta, dt)])]);
  }));
  def('huber_loss', 'input, target, reduction?, delta?', piecewise('huber_loss', 'delta', (z, delta, dt) =>
    op('Where', [op('Less', [z, k(delta, dt)]), op('Mul', [k(0.5, dt), op('Mul', [z, z])]), op('Mul', [k(delta, dt), op('Sub', [z, k(0.5 * delta, dt)])])])));

  // ---- distances --------------------------------------------------------------------------------------
  def('normalize', 'input, p?, dim?, eps?, out?', (b) => {
    const x = floatInput('normalize', b);
    if (b.get('out') !== undefined && b.get('out') !== null) throw new Unsupported('normalize(out=...)');
    const p = floatArg('normalize', b, 'p', 2);
    const dim = normDim(intArg('normalize', b, 'dim', 1), x.rank);
    const eps = floatArg('normalize', b, 'eps', 1e-12);
    const dt = x.dtype;
    let norm: IRNode;
    if (p === 2) norm = op('Sqrt', [op('ReduceSum', [op('Mul', [x.node, x.node])], { axes: [dim], keepdims: true })]);
    else if (p === 1) norm = op('ReduceSum', [op('Abs', [x.node])], { axes: [dim], keepdims: true });
    else throw new Unsupported(`normalize with p=${p}`);
    return wrap(op('Div', [x.node, op('Max', [norm, k(eps, dt)])]));
  });
  def('cosine_similarity', 'x1, x2, dim?, eps?', (b) => {
    const a = floatInput('cosine_similarity', b, 'x1');
    const c = floatInput('cosine_similarity', b, 'x2');
    if (a.dtype !== c.dtype) throw new Unsupported('cosine_similarity of tensors of two dtypes');
    const rank = Math.max(a.rank, c.rank);
    const dim = normDim(intArg('cosine_similarity', b, 'dim', 1), rank);
    const eps = floatArg('cosine_similarity', b, 'eps', 1e-8);
    const dt = a.dtype;
    const prod = op('Mul', [a.node, c.node]);
    if (prod.shape.length !== rank) throw new Unsupported('cosine_similarity with these shapes');
    const sq = (t: IRNode): IRNode => {
      const s = op('ReduceSum', [op('Mul', [t, t])], { axes: [dim - (rank - t.shape.length)], keepdims: true });
      return op('Max', [s, k(eps * eps, dt)]);
    };
    if (a.rank !== rank || c.rank !== rank) throw new Unsupported('cosine_similarity of tensors of two ranks');
    const dot = op('ReduceSum', [prod], { axes: [dim], keepdims: true });
    const out = op('Div', [dot, op('Sqrt', [op('Mul', [sq(a.node), sq(c.node)])])]);
    return wrap(ctx.reshape(out, prod.shape.filter((_, i) => i !== dim)));
  });
  return F;
}
