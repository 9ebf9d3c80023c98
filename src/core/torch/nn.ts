/**
 * torch.nn, torch.nn.functional and torch.optim as modules of the interpreter: nn.Module subclasses
 * written in the notebook, the provided layers (initialised as PyTorch initialises them, from the same
 * generator), and the losses with PyTorch's checks.
 */
import { permuted } from './functions-shape';
import { isFloat, numel } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import type { Interpreter } from '../python/interpreter';
import type { CallArgs, CallSite, PyValue } from '../python/values';
import { PyBuiltin, PyClass, PyError, PyList, PyModule, PyObject, PyTuple, Unsupported, typeName } from '../python/values';
import type { Bound } from './args';
import { argError, bind, boolArg, floatArg, intArg, intListArg, signature, typeError } from './args';
import { DTypeValue, DeviceValue, ForeignDType, FUNCTIONS, builtinFor, invoke, oneHot } from './functions';
import type { TorchContext } from './tensor';
import { createOptim, zeroGrad } from './optim';
import { createInit } from './nn-init';
import { createFunctional, reductionOf, tensorOf } from './nn-functional';
import { createContainers, isModule, loadStateDict, namedChildren, namedModules, namedParameters, parametersOf, registerBuffer, setModuleClass, stateDict } from './nn-module';
import { PARAMETER_CLASS, Tensor, checkIndexValues, filled, fromValues, matmul, normDim } from './tensor';

type FnImpl = (b: Bound) => Tensor | Promise<Tensor>;
type Impl = (self: PyObject, b: Bound, ctx: TorchContext, site: CallSite) => PyValue | Promise<PyValue>;

/** A method of a provided class; `name` is how Python names it in errors (`Linear.__init__`). */
function method(ctx: TorchContext, name: string, sig: string, impl: Impl): PyBuiltin {
  const params = signature(sig);
  return new PyBuiltin(name, (a, site) => {
    const [self, ...rest] = a.args;
    const b = bind(name, params, { args: rest, kwargs: a.kwargs }, { style: 'python' });
    ctx.enter(name, site);
    return impl(self as PyObject, b, ctx, site);
  });
}


function setTraining(o: PyObject, mode: boolean): void {
  for (const [, m] of namedModules(o)) m.attrs.set('training', mode);
}

/** A parameter from `t`: its own leaf; `fresh` when nothing else holds t's node (a layer's initial weights). */
function parameter(t: Tensor, requiresGrad = true, fresh = true): Tensor {
  const reuse = fresh && t.node.op === 'Data';
  const p = new Tensor(reuse ? t.node : t.ctx.detached(t.node), t.ctx);
  if (fresh) initialised(p);
  p.isParameter = true;
  p.setRequiresGrad(requiresGrad);
  return p;
}

/**
 * A layer's parameter or buffer made by its initialisation: PyTorch fills it in place (reset_parameters),
 * so its version counter starts at 1; and its values node is this tensor's storage's (not the temporary's).
 */
function initialised(t: Tensor): Tensor {
  t.storage.version = 1;
  t.ctx.registerVersion(t.node, t.storage);
  return t;
}

/** kaiming_uniform_(a=sqrt(5)) and the bias init of nn.Linear / nn.Conv2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
function initUniform(ctx: TorchContext, shape: number[], fanIn: number): Tensor {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return parameter(fromValues(ctx, shape, 'float32', (out) => ctx.generator.fillUniform(out as Float32Array, -bound, bound)));
}

/** PyTorch's error for `value.name(...)` on a value that is not a tensor (F.log_softmax(model, 1)). */
function notTensorMethod(name: string, value: PyValue | undefined): void {
  if (value !== undefined && !(value instanceof Tensor)) throw new PyError('AttributeError', `'${typeName(value)}' object has no attribute '${name}'`);
}

export function createNN(ctx: TorchContext, interp: () => Interpreter): { nn: PyModule; functional: PyModule; optim: PyModule; init: PyModule } {
  const call = (fn: PyValue, args: PyValue[], site: CallSite, kwargs = new Map<string, PyValue>()): Promise<PyValue> => interp().call(fn, { args, kwargs }, site);

  // ---- nn.Module --------------------------------------------------------------------------------------
  const moduleAttrs = new Map<string, PyValue>();
  const Module = new PyClass('Module', [], moduleAttrs, (self) => {
    self.attrs.set('training', true);
  }, 'torch.nn.Module');
  setModuleClass(Module);
  moduleAttrs.set('__init__', new PyBuiltin('__init__', () => null));
  moduleAttrs.set('__call__', new PyBuiltin('__call__', async (a: CallArgs, site) => {
    const [self, ...rest] = a.args;
    const forward = interp().getAttr(self as PyValue, 'forward');
    if (!forward) throw new PyError('NotImplementedError', `Module [${(self as PyObject).cls.name}] is missing the required "forward" function`);
    ctx.modules.push(self as PyObject);
    try {
      return await call(forward, rest, site, new Map(a.kwargs));
    } finally {
      ctx.modules.pop();
    }
  }));
  moduleAttrs.set('train', method(ctx, 'train', 'mode?', (self, b) => (setTraining(self, boolArg('train', b, 'mode', true)), self)));
  moduleAttrs.set('eval', method(ctx, 'eval', '', (self) => (setTraining(self, false), self)));
  const recurseArg = (fnName: string, b: Bound): boolean => boolArg(fnName, b, 'recurse', true);
  const prefixed = (b: Bound, name: string): string => {
    const p = b.get('prefix');
    if (p === undefined || p === null || p === '') return name;
    if (typeof p !== 'string') throw new Unsupported('a prefix that is not a string');
    return name ? `${p}.${name}` : p;
  };
  moduleAttrs.set('parameters', method(ctx, 'parameters', 'recurse?', (self, b) => new PyList(namedParameters(self, recurseArg('parameters', b)).map(([, t]) => t))));
  moduleAttrs.set('named_parameters', method(ctx, 'named_parameters', 'prefix?, recurse?', (self, b) =>
    new PyList(namedParameters(self, recurseArg('named_parameters', b)).map(([k, t]) => new PyTuple([prefixed(b, k), t])))));
  moduleAttrs.set('children', method(ctx, 'children', '', (self) => new PyList([...new Set(namedChildren(self).map(([, m]) => m))])));
  moduleAttrs.set('named_children', method(ctx, 'named_children', '', (self) => {
    const seen = new Set<PyObject>();
    return new PyList(namedChildren(self).filter(([, m]) => !seen.has(m) && !!seen.add(m)).map(([k, m]) => new PyTuple([k, m])));
  }));
  moduleAttrs.set('modules', method(ctx, 'modules', '', (self) => new PyList(namedModules(self).map(([, m]) => m))));
  moduleAttrs.set('named_modules', method(ctx, 'named_modules', 'memo?, prefix?, remove_duplicate?', (self, b) => {
    if (b.has('memo') || b.has('remove_duplicate')) throw new Unsupported('named_modules(memo=..., remove_duplicate=...)');
    return new PyList(namedModules(self).map(([k, m]) => new PyTuple([prefixed(b, k), m])));
  }));
  moduleAttrs.set('state_dict', method(ctx, 'state_dict', '*args?, destination?, prefix?, keep_vars?', (self, b) => {
    if (b.has('args') || b.has('destination') || b.has('prefix')) throw new Unsupported('state_dict with destination or prefix');
    const keep = boolArg('state_dict', b, 'keep_vars', false);
    return stateDict(self, (t) => (keep ? t : t.view(t.geometry, (n) => n, 'detach')));
  }));
  moduleAttrs.set('load_state_dict', method(ctx, 'load_state_dict', 'state_dict, strict?', (self, b) =>
    loadStateDict(ctx, self, b.get('state_dict') ?? null, boolArg('load_state_dict', b, 'strict', true))));
  moduleAttrs.set('requires_grad_', method(ctx, 'requires_grad_', 'requires_grad?', (self, b) => {
    const flag = boolArg('requires_grad_', b, 'requires_grad', true);
    for (const p of parametersOf(self)) p.setRequiresGrad(flag);
    return self;
  }));
  moduleAttrs.set('zero_grad', method(ctx, 'zero_grad', 'set_to_none?', (self, b) => {
    zeroGrad(ctx, parametersOf(self), boolArg('zero_grad', b, 'set_to_none', false));
    return null;
  }));
  // Every tensor nbcheck computes with is on the CPU in float32 or float64 already: to/cuda/cpu/float change nothing.
  for (const name of ['to', 'cuda', 'cpu', 'float']) {
    moduleAttrs.set(name, method(ctx, name, '*args?, device?, dtype?, non_blocking?', (self, b) => {
      const args = [...(b.get('args') instanceof PyTuple ? (b.get('args') as PyTuple).items : []), b.get('dtype') ?? null];
      if (args.some((d) => d instanceof ForeignDType)) throw (args.find((d) => d instanceof ForeignDType) as ForeignDType).unsupported();
      const fine = (d: PyValue): boolean => d === null || typeof d === 'string' || d instanceof DeviceValue || (d instanceof DTypeValue && d.dtype === 'float32');
      if (!args.every(fine)) throw new Unsupported(`Module.${name} with a dtype other than float32, or a tensor`);
      return self;
    }));
  }
  moduleAttrs.set('double', method(ctx, 'double', '', () => {
    throw new Unsupported('Module.double()');
  }));
  moduleAttrs.set('add_module', method(ctx, 'add_module', 'name, module', (self, b) => {
    const m = b.get('module') ?? null;
    if (m !== null && !isModule(m)) throw new PyError('TypeError', `${typeName(m)} is not a Module subclass`);
    self.attrs.set(String(b.get('name')), m);
    return null;
  }));
  moduleAttrs.set('register_parameter', method(ctx, 'register_parameter', 'name, param', (self, b) => (self.attrs.set(String(b.get('name')), b.get('param') ?? null), null)));
  moduleAttrs.set('register_buffer', method(ctx, 'register_buffer', 'name, tensor, persistent?', (self, b) =>
    (registerBuffer(self, String(b.get('name')), b.get('tensor') ?? null, boolArg('register_buffer', b, 'persistent', true)), null)));

  const more = createFunctional(ctx);
  const invokeF = (name: string, args: PyValue[], site: CallSite): Promise<Tensor> => {
    const { sig, impl } = more.get(name) as { sig: string; impl: FnImpl };
    ctx.enter(name, site);
    return Promise.resolve(impl(bind(name, signature(sig), { args, kwargs: new Map() }, { style: 'python' })));
  };
  const layer = (name: string, sig: string, init: Impl, forward: Impl, extra: Record<string, PyValue> = {}): PyClass =>
    new PyClass(name, [Module], new Map<string, PyValue>([
      ['__init__', method(ctx, `${name}.__init__`, sig, init)],
      ['forward', method(ctx, `${name}.forward`, 'input', forward)],
      ...Object.entries(extra),
    ]), undefined, `torch.nn.${name}`);
  const input = (b: Bound, fn: string): Tensor => {
    // nn.Softmax and nn.LogSoftmax go through F.softmax / F.log_softmax, which call the input's method.
    if (fn === 'Softmax' || fn === 'LogSoftmax') notTensorMethod(fn === 'Softmax' ? 'softmax' : 'log_softmax', b.get('input'));
    return tensorOf(fn, b, 'input');
  };
  const fn = (name: string): PyBuiltin => builtinFor(ctx, FUNCTIONS.get(name) as never);
  const apply1 = (name: string, t: Tensor, site: CallSite, kwargs: [string, PyValue][] = []): Promise<PyValue> =>
    Promise.resolve(invoke(ctx, FUNCTIONS.get(name) as never, { args: [t], kwargs: new Map(kwargs) }, site));

  const linearForward = (x: Tensor, w: Tensor, bias: PyValue): Tensor => {
    const wt = permuted(ctx, w, [1, 0]);
    if (x.rank === 0) throw new PyError('RuntimeError', 'both arguments to linear need to be at least 1D, but they are 0D and 2D');
    if (x.dtype !== w.dtype) throw new PyError('RuntimeError', `mat1 and mat2 must have the same dtype`);
    let y = matmul(ctx, x, wt, 'matmul').node;
    if (bias instanceof Tensor) y = ctx.op('Add', [y, bias.node]);
    return ctx.wrap(y);
  };

  const Linear = layer('Linear', 'in_features, out_features, bias?, device?, dtype?', (self, b) => {
    const nIn = intArg('Linear', b, 'in_features');
    const nOut = intArg('Linear', b, 'out_features');
    self.attrs.set('in_features', BigInt(nIn));
    self.attrs.set('out_features', BigInt(nOut));
    self.attrs.set('weight', initUniform(ctx, [nOut, nIn], nIn));
    self.attrs.set('bias', boolArg('Linear', b, 'bias', true) ? initUniform(ctx, [nOut], nIn) : null);
    return null;
  }, (self, b) => linearForward(input(b, 'Linear'), self.attrs.get('weight') as Tensor, self.attrs.get('bias') ?? null));

  const pair = (fnName: string, b: Bound, name: string, dflt: number): [number, number] => {
    if (!b.has(name)) return [dflt, dflt];
    const v = intListArg(fnName, b, name) ?? [dflt];
    return [v[0] as number, (v[1] ?? v[0]) as number];
  };
  const Conv2d = layer('Conv2d', 'in_channels, out_channels, kernel_size, stride?, padding?, dilation?, groups?, bias?, padding_mode?, device?, dtype?', (self, b) => {
    const cin = intArg('Conv2d', b, 'in_channels');
    const cout = intArg('Conv2d', b, 'out_channels');
    const groups = intArg('Conv2d', b, 'groups', 1);
    if (cin % groups !== 0) throw argError(b, 'groups', 'ValueError', 'in_channels must be divisible by groups');
    if (cout % groups !== 0) throw argError(b, 'groups', 'ValueError', 'out_channels must be divisible by groups');
    const k = pair('Conv2d', b, 'kernel_size', 1);
    const padding = b.get('padding');
    const dil = pair('Conv2d', b, 'dilation', 1);
    let pad: [number, number];
    if (padding === 'valid') pad = [0, 0];
    else if (padding === 'same') {
      const total = k.map((kk, i) => (dil[i] as number) * (kk - 1));
      if (total.some((t) => t % 2 !== 0)) throw new Unsupported("padding='same' with an even kernel");
      pad = [(total[0] as number) / 2, (total[1] as number) / 2];
    } else pad = pair('Conv2d', b, 'padding', 0);
    if (b.has('padding_mode') && b.get('padding_mode') !== 'zeros') throw new Unsupported(`padding_mode=${String(b.get('padding_mode'))}`);
    const fanIn = (cin / groups) * k[0] * k[1];
    self.host.conv = { stride: pair('Conv2d', b, 'stride', 1), pad, dil, groups, cin };
    self.attrs.set('in_channels', BigInt(cin));
    self.attrs.set('out_channels', BigInt(cout));
    self.attrs.set('kernel_size', new PyTuple(k.map(BigInt)));
    self.attrs.set('weight', initUniform(ctx, [cout, cin / groups, k[0], k[1]], fanIn));
    self.attrs.set('bias', boolArg('Conv2d', b, 'bias', true) ? initUniform(ctx, [cout], fanIn) : null);
    return null;
  }, (self, b) => {
    const x = input(b, 'Conv2d');
    const w = self.attrs.get('weight') as Tensor;
    const c = self.host.conv as { stride: number[]; pad: number[]; dil: number[]; groups: number; cin: number };
    if (x.rank !== 4 && x.rank !== 3) throw new PyError('RuntimeError', `Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [${x.shape.join(', ')}]`);
    const x4 = x.rank === 3 ? ctx.reshape(x.node, [1, ...x.shape]) : x.node;
    if (x4.shape[1] !== c.cin) {
      throw new PyError('RuntimeError', `Given groups=${c.groups}, weight of size [${w.shape.join(', ')}], expected input[${x4.shape.join(', ')}] to have ${c.cin} channels, but got ${x4.shape[1]} channels instead`);
    }
    const inputs: IRNode[] = [ctx.cast(x4, 'float32'), w.node];
    const bias = self.attrs.get('bias');
    if (bias instanceof Tensor) inputs.push(bias.node);
    const [ph, pw] = c.pad as [number, number];
    const spatial = x4.shape.slice(2);
    spatial.forEach((d, i) => {
      const eff = ((w.shape[i + 2] as number) - 1) * (c.dil[i] as number) + 1;
      if (d + 2 * (c.pad[i] as number) < eff) {
        throw new PyError('RuntimeError', `Calculated padded input size per channel: (${spatial.map((s, j) => s + 2 * (c.pad[j] as number)).join(' x ')}). Kernel size: (${w.shape.slice(2).map((k, j) => (k - 1) * (c.dil[j] as number) + 1).join(' x ')}). Kernel size can't be greater than actual input size`);
      }
    });
    const y = ctx.op('Conv', inputs, { strides: c.stride, pads: [ph, pw, ph, pw], dilations: c.dil, group: c.groups });
    return ctx.wrap(x.rank === 3 ? ctx.reshape(y, y.shape.slice(1)) : y);
  });

  const simple = (name: string, f: string, sig = ''): PyClass =>
    layer(name, sig || 'inplace?', (self, b) => {
      for (const [k, v] of b.values) self.attrs.set(k, v);
      return null;
    }, async (self, b, _c, site) => {
      const kwargs: [string, PyValue][] = [];
      if (self.attrs.has('dim')) kwargs.push(['dim', self.attrs.get('dim') ?? null]);
      const x = input(b, name);
      const y = await apply1(f, x, site, kwargs);
      return self.attrs.get('inplace') === true ? writeBack(x, y as Tensor) : y;
    });
  const ReLU = simple('ReLU', 'relu');
  const Sigmoid = simple('Sigmoid', 'sigmoid', ' ');
  const Tanh = simple('Tanh', 'tanh', ' ');
  const Softmax = simple('Softmax', 'softmax', 'dim?');
  const LogSoftmax = simple('LogSoftmax', 'log_softmax', 'dim?');
  const Identity = layer('Identity', '*args?', () => null, (_s, b) => input(b, 'Identity'));
  const Flatten = layer('Flatten', 'start_dim?, end_dim?', (self, b) => {
    self.attrs.set('start_dim', BigInt(intArg('Flatten', b, 'start_dim', 1)));
    self.attrs.set('end_dim', BigInt(intArg('Flatten', b, 'end_dim', -1)));
    return null;
  }, (self, b, _c, site) => apply1('flatten', input(b, 'Flatten'), site, [['start_dim', self.attrs.get('start_dim') ?? 1n], ['end_dim', self.attrs.get('end_dim') ?? -1n]]));

  /** An activation applied in place (`inplace=True`): its result written into the input, which is returned. */
  const writeBack = (x: Tensor, y: Tensor): Tensor => {
    x.write(y.node, undefined, true);
    return x;
  };
  const dropout = (x: Tensor, p: number, training: boolean): Tensor => {
    if (p < 0 || p > 1) throw new PyError('ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
    if (!training || p === 0 || numel(x.shape) === 0) return x;
    if (p === 1) return ctx.wrap(ctx.op('Mul', [x.node, filled(ctx, x.shape, 0, x.dtype).node]));
    const keep = 1 - p;
    const noise = fromValues(ctx, x.shape, x.dtype, (out) => {
      for (let i = 0; i < out.length; i++) (out as Float32Array)[i] = ctx.generator.bernoulli(keep) ? 1 / keep : 0;
    });
    return ctx.wrap(ctx.op('Mul', [x.node, noise.node]));
  };
  const Dropout = layer('Dropout', 'p?, inplace?', (self, b) => {
    self.attrs.set('p', floatArg('Dropout', b, 'p', 0.5));
    const p = self.attrs.get('p') as number;
    if (p < 0 || p > 1) throw argError(b, 'p', 'ValueError', `dropout probability has to be between 0 and 1, but got ${p}`);
    return null;
  }, (self, b) => dropout(input(b, 'Dropout'), self.attrs.get('p') as number, self.attrs.get('training') === true));

  const batchNorm = (name: 'BatchNorm1d' | 'BatchNorm2d'): PyClass => layer(name, 'num_features, eps?, momentum?, affine?, track_running_stats?, device?, dtype?', (self, b) => {
    const n = intArg(name, b, 'num_features');
    self.attrs.set('num_features', BigInt(n));
    self.attrs.set('eps', floatArg(name, b, 'eps', 1e-5));
    // momentum=None: the running statistics are cumulative averages (a factor of 1 / num_batches_tracked).
    self.attrs.set('momentum', b.get('momentum') === null ? null : floatArg(name, b, 'momentum', 0.1));
    const affine = boolArg(name, b, 'affine', true);
    const track = boolArg(name, b, 'track_running_stats', true);
    self.attrs.set('affine', affine);
    self.attrs.set('track_running_stats', track);
    self.attrs.set('weight', affine ? parameter(filled(ctx, [n], 1, 'float32')) : null);
    self.attrs.set('bias', affine ? parameter(filled(ctx, [n], 0, 'float32')) : null);
    registerBuffer(self, 'running_mean', track ? initialised(filled(ctx, [n], 0, 'float32')) : null);
    registerBuffer(self, 'running_var', track ? initialised(filled(ctx, [n], 1, 'float32')) : null);
    registerBuffer(self, 'num_batches_tracked', track ? initialised(filled(ctx, [], 0n, 'int64')) : null);
    return null;
  }, (self, b) => {
    const x = input(b, name);
    const n = Number(self.attrs.get('num_features'));
    if (name === 'BatchNorm1d' && x.rank !== 2 && x.rank !== 3) throw new PyError('ValueError', `expected 2D or 3D input (got ${x.rank}D input)`);
    if (name === 'BatchNorm2d' && x.rank !== 4) throw new PyError('ValueError', `expected 4D input (got ${x.rank}D input)`);
    if (x.shape[1] !== n) throw new PyError('RuntimeError', `running_mean should contain ${x.shape[1]} elements not ${n}`);
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const bshape = x.shape.map((_, i) => (i === 1 ? n : 1));
    const eps = self.attrs.get('eps') as number;
    const [rm, rv] = [self.attrs.get('running_mean'), self.attrs.get('running_var')];
    let mean: IRNode;
    let variance: IRNode;
    // Without running statistics (track_running_stats=False, or buffers set to None) the batch's are used, in eval too.
    if (self.attrs.get('training') === true || !(rm instanceof Tensor) || !(rv instanceof Tensor)) {
      const count = axes.reduce((acc, a) => acc * (x.shape[a] as number), 1);
      if (count <= 1) throw new PyError('ValueError', `Expected more than 1 value per channel when training, got input size torch.Size([${x.shape.join(', ')}])`);
      mean = ctx.op('ReduceMean', [x.node], { axes, keepdims: true });
      const d = ctx.op('Sub', [x.node, mean]);
      variance = ctx.op('ReduceMean', [ctx.op('Mul', [d, d])], { axes, keepdims: true });
      const momentum = self.attrs.get('momentum');
      const tracked = self.attrs.get('num_batches_tracked');
      const flatMean = ctx.reshape(mean, [n]);
      const unbiased = ctx.op('Mul', [ctx.reshape(variance, [n]), ctx.scalar(count / (count - 1), 'float32')]);
      // The running statistics are buffers updated in place, outside autograd.
      const grad = ctx.gradEnabled;
      ctx.gradEnabled = false;
      try {
        if (rm instanceof Tensor && rv instanceof Tensor) {
          if (tracked instanceof Tensor) tracked.write(ctx.op('Add', [tracked.node, ctx.scalar(1n, tracked.dtype)]));
          let m: IRNode;
          if (typeof momentum === 'number') m = ctx.scalar(momentum, 'float32');
          else if (tracked instanceof Tensor) m = ctx.op('Reciprocal', [ctx.cast(tracked.node, 'float32')]);
          else throw new Unsupported(`${name} with momentum=None and no num_batches_tracked`);
          const keep = ctx.op('Sub', [ctx.scalar(1, 'float32'), m]);
          rm.write(ctx.op('Add', [ctx.op('Mul', [rm.node, keep]), ctx.op('Mul', [flatMean, m])]));
          rv.write(ctx.op('Add', [ctx.op('Mul', [rv.node, keep]), ctx.op('Mul', [unbiased, m])]));
        }
      } finally {
        ctx.gradEnabled = grad;
      }
    } else {
      mean = ctx.reshape(rm.node, bshape);
      variance = ctx.reshape(rv.node, bshape);
    }
    let y = ctx.op('Div', [ctx.op('Sub', [x.node, mean]), ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.scalar(eps, 'float32')])])]);
    const w = self.attrs.get('weight');
    const bias = self.attrs.get('bias');
    if (w instanceof Tensor) y = ctx.op('Mul', [y, ctx.reshape(w.node, bshape)]);
    if (bias instanceof Tensor) y = ctx.op('Add', [y, ctx.reshape(bias.node, bshape)]);
    return ctx.wrap(y);
  });
  const BatchNorm1d = batchNorm('BatchNorm1d');
  const BatchNorm2d = batchNorm('BatchNorm2d');

  const LayerNorm = layer('LayerNorm', 'normalized_shape, eps?, elementwise_affine?, device?, dtype?', (self, b) => {
    const shape = intListArg('LayerNorm', b, 'normalized_shape') ?? [];
    self.attrs.set('normalized_shape', new PyTuple(shape.map(BigInt)));
    self.attrs.set('eps', floatArg('LayerNorm', b, 'eps', 1e-5));
    const affine = boolArg('LayerNorm', b, 'elementwise_affine', true);
    self.attrs.set('elementwise_affine', affine);
    self.attrs.set('weight', affine ? parameter(filled(ctx, shape, 1, 'float32')) : null);
    self.attrs.set('bias', affine ? parameter(filled(ctx, shape, 0, 'float32')) : null);
    return null;
  }, (self, b, _c, site) => invokeF('layer_norm', [input(b, 'LayerNorm'), self.attrs.get('normalized_shape') ?? null, self.attrs.get('weight') ?? null, self.attrs.get('bias') ?? null, self.attrs.get('eps') ?? null], site));
  const Embedding = layer('Embedding', 'num_embeddings, embedding_dim, padding_idx?, max_norm?, norm_type?, scale_grad_by_freq?, sparse?, _weight?, device?, dtype?', (self, b) => {
    const n = intArg('Embedding', b, 'num_embeddings');
    const d = intArg('Embedding', b, 'embedding_dim');
    for (const name of ['max_norm', '_weight']) if (b.get(name) !== undefined && b.get(name) !== null) throw new Unsupported(`Embedding(${name}=...)`);
    if (boolArg('Embedding', b, 'scale_grad_by_freq', false) || boolArg('Embedding', b, 'sparse', false)) throw new Unsupported('Embedding with scale_grad_by_freq or sparse');
    let pad: number | undefined;
    if (b.get('padding_idx') !== undefined && b.get('padding_idx') !== null) {
      pad = intArg('Embedding', b, 'padding_idx');
      if (pad >= n || pad < -n) throw new PyError('AssertionError', pad >= n ? 'Padding_idx must be within num_embeddings' : 'Padding_idx must be within num_embeddings');
      if (pad < 0) pad += n;
    }
    self.attrs.set('num_embeddings', BigInt(n));
    self.attrs.set('embedding_dim', BigInt(d));
    self.attrs.set('padding_idx', pad === undefined ? null : BigInt(pad));
    self.attrs.set('weight', parameter(fromValues(ctx, [n, d], 'float32', (out) => {
      ctx.generator.fillNormal(out as Float32Array, 0, 1);
      if (pad !== undefined) (out as Float32Array).fill(0, pad * d, (pad + 1) * d);
    })));
    return null;
  }, (self, b, _c, site) => invokeF('embedding', [input(b, 'Embedding'), self.attrs.get('weight') ?? null, self.attrs.get('padding_idx') ?? null], site));

  const { Sequential, ModuleList, ModuleDict } = createContainers(Module, interp);

  const ParameterCls = new PyClass('Parameter', [PARAMETER_CLASS], new Map<string, PyValue>([
    ['__new__', new PyBuiltin('Parameter', (a) => {
      const b = bind('Parameter', signature('data?, requires_grad?'), a, { style: 'python' });
      const t = b.get('data');
      if (!(t instanceof Tensor)) throw typeError('Parameter', b, 'data', 'Tensor', t ?? null);
      return parameter(t, boolArg('Parameter', b, 'requires_grad', true), false);
    })],
  ]));

  // ---- losses -------------------------------------------------------------------------------------------
  const reduction = (_fnName: string, b: Bound): 'mean' | 'sum' | 'none' => reductionOf(b) as 'mean' | 'sum' | 'none';
  const nll = (fnName: string, logp: IRNode, inputT: Tensor, b: Bound): Tensor => {
    const target = tensorOf(fnName, b, 'target');
    const red = reduction(fnName, b);
    const C = inputT.rank === 1 ? (inputT.shape[0] as number) : (inputT.shape[1] as number);
    if (isFloat(target.dtype) && fnName === 'cross_entropy') {
      if (target.rank !== inputT.rank || target.shape.some((d, i) => d !== inputT.shape[i])) {
        throw argError(b, 'target', 'RuntimeError', `expected scalar type Long but found ${target.dtype === 'float64' ? 'Double' : 'Float'}`);
      }
      if (b.has('weight')) throw new Unsupported('cross_entropy with class weights and probability targets');
      const per = ctx.op('Neg', [ctx.op('ReduceSum', [ctx.op('Mul', [logp, ctx.cast(target.node, logp.dtype)])], { axes: [inputT.rank === 1 ? 0 : 1], keepdims: false })]);
      if (red === 'none') return ctx.wrap(per);
      if (inputT.rank === 1) return ctx.wrap(per);
      return ctx.wrap(ctx.op(red === 'mean' ? 'ReduceMean' : 'ReduceSum', [per], { axes: [0], keepdims: false }));
    }
    if (target.dtype !== 'int64') throw argError(b, 'target', 'RuntimeError', `expected scalar type Long but found ${target.dtype === 'float32' ? 'Float' : target.dtype === 'float64' ? 'Double' : 'Bool'}`);
    if (inputT.rank > 2) throw new Unsupported(`${fnName} over inputs with more than 2 dimensions`);
    if (inputT.rank === 2 && target.rank !== 1) {
      throw argError(b, 'target', 'RuntimeError', target.rank === 0 ? '1D target tensor expected, got 0D' : '0D or 1D target tensor expected, multi-target not supported');
    }
    if (inputT.rank === 1 && target.rank !== 0) throw argError(b, 'target', 'RuntimeError', `1D target tensor expected, multi-target not supported`);
    if (inputT.rank === 2 && inputT.shape[0] !== target.shape[0]) {
      throw argError(b, 'target', 'ValueError', `Expected input batch_size (${inputT.shape[0]}) to match target batch_size (${target.shape[0]}).`);
    }
    const ignore = intArg(fnName, b, 'ignore_index', -100);
    const known = target.known();
    let hasIgnored = !known;
    if (known) {
      for (let i = 0; i < known.data.length; i++) {
        const v = Number(known.data[i] as bigint);
        if (v === ignore) hasIgnored = true;
        else if (v < 0 || v >= C) throw new PyError('IndexError', `Target ${v} is out of bounds.`);
      }
    }
    const N = inputT.rank === 2 ? (inputT.shape[0] as number) : 1;
    const lp2 = inputT.rank === 2 ? logp : ctx.reshape(logp, [1, C]);
    const y1 = ctx.reshape(target.node, [N]);
    const valid = hasIgnored ? ctx.op('Not', [ctx.op('Equal', [y1, ctx.scalar(BigInt(ignore), 'int64')])]) : undefined;
    const ySafe = valid ? ctx.op('Where', [valid, y1, ctx.scalar(0n, 'int64')]) : y1;
    const picked = ctx.reshape(ctx.op('GatherElements', [lp2, ctx.reshape(ySafe, [N, 1])], { axis: 1 }), [N]);
    let w: IRNode | undefined;
    const weight = b.get('weight');
    if (weight instanceof Tensor) {
      if (weight.rank !== 1 || weight.shape[0] !== C) throw argError(b, 'weight', 'RuntimeError', `weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`);
      w = ctx.op('Gather', [ctx.cast(weight.node, logp.dtype), ySafe], { axis: 0 });
    }
    if (valid) {
      const m = ctx.cast(valid, logp.dtype);
      w = w ? ctx.op('Mul', [w, m]) : m;
    }
    let per = ctx.op('Neg', [picked]);
    if (w) per = ctx.op('Mul', [per, w]);
    if (red === 'none') return ctx.wrap(inputT.rank === 2 ? per : ctx.reshape(per, []));
    const total = ctx.op('ReduceSum', [per], { axes: [0], keepdims: false });
    if (red === 'sum' || !w) return ctx.wrap(red === 'sum' ? total : ctx.op('ReduceMean', [per], { axes: [0], keepdims: false }));
    return ctx.wrap(ctx.op('Div', [total, ctx.op('ReduceSum', [w], { axes: [0], keepdims: false })]));
  };
  const checkLossInput = (fnName: string, b: Bound): Tensor => {
    const x = tensorOf(fnName, b, 'input');
    if (!isFloat(x.dtype)) throw argError(b, 'input', 'RuntimeError', `"log_softmax_lastdim_kernel_impl" not implemented for 'Long'`);
    if (x.rank === 0) throw argError(b, 'input', 'IndexError', 'Dimension out of range (expected to be in range of [-1, 0], but got 1)');
    return x;
  };
  const ceSig = 'input, target, weight?, size_average?, ignore_index?, reduce?, reduction?, label_smoothing?';
  const crossEntropy = (b: Bound): Tensor => {
    const x = checkLossInput('cross_entropy', b);
    const ls = floatArg('cross_entropy', b, 'label_smoothing', 0);
    if (ls < 0 || ls > 1) throw argError(b, 'label_smoothing', 'RuntimeError', `label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
    const axis = x.rank === 1 ? 0 : 1;
    const logp = ctx.op('LogSoftmax', [x.node], { axis });
    const target = b.get('target');
    if (ls === 0) return nll('cross_entropy', logp, x, b);
    const C = x.shape[axis] as number;
    const dt = logp.dtype;
    if (target instanceof Tensor && isFloat(target.dtype)) {
      // Probability targets: mixed with the uniform distribution.
      const mixed = ctx.wrap(ctx.op('Add', [ctx.op('Mul', [ctx.cast(target.node, dt), ctx.scalar(1 - ls, dt)]), ctx.scalar(ls / C, dt)]));
      return nll('cross_entropy', logp, x, { ...b, get: (n: string) => (n === 'target' ? mixed : b.get(n)), has: (n: string) => b.has(n) } as Bound);
    }
    const main = nll('cross_entropy', logp, x, b).node;
    const t = target as Tensor;
    const red = reduction('cross_entropy', b);
    const N = x.rank === 2 ? (x.shape[0] as number) : 1;
    const lp2 = x.rank === 2 ? logp : ctx.reshape(logp, [1, C]);
    const weight = b.get('weight');
    const w = weight instanceof Tensor ? ctx.cast(weight.node, dt) : undefined;
    let smooth = ctx.op('Neg', [ctx.op('ReduceSum', [w ? ctx.op('Mul', [lp2, w]) : lp2], { axes: [1], keepdims: false })]);
    const y1 = ctx.reshape(t.node, [N]);
    const ignore = ctx.scalar(BigInt(intArg('cross_entropy', b, 'ignore_index', -100)), 'int64');
    const valid = ctx.op('Not', [ctx.op('Equal', [y1, ignore])]);
    smooth = ctx.op('Where', [valid, smooth, ctx.scalar(0, dt)]);
    let ret: IRNode;
    if (red === 'none') ret = x.rank === 2 ? smooth : ctx.reshape(smooth, []);
    else {
      const total = ctx.op('ReduceSum', [smooth], { axes: [0], keepdims: false });
      if (red === 'sum') ret = total;
      else {
        const ySafe = ctx.op('Where', [valid, y1, ctx.scalar(0n, 'int64')]);
        const per = w ? ctx.op('Gather', [w, ySafe], { axis: 0 }) : ctx.scalar(1, dt);
        const counted = ctx.op('Where', [valid, ctx.op('Mul', [per, ctx.op('Cast', [valid], { to: dt })]), ctx.scalar(0, dt)]);
        ret = ctx.op('Div', [total, ctx.op('ReduceSum', [counted], { axes: [0], keepdims: false })]);
      }
    }
    return ctx.wrap(ctx.op('Add', [ctx.op('Mul', [main, ctx.scalar(1 - ls, dt)]), ctx.op('Mul', [ret, ctx.scalar(ls / C, dt)])]));
  };
  const nllLoss = (b: Bound): Tensor => {
    const x = tensorOf('nll_loss', b, 'input');
    if (!isFloat(x.dtype)) throw argError(b, 'input', 'RuntimeError', `"nll_loss_out_frame" not implemented for '${x.dtype === 'int64' ? 'Long' : 'Bool'}'`);
    return nll('nll_loss', x.node, x, b);
  };
  const pointwiseLoss = (fnName: string, op: (d: IRNode) => IRNode) => (b: Bound): Tensor => {
    const x = tensorOf(fnName, b, 'input');
    const y = tensorOf(fnName, b, 'target');
    if (!isFloat(x.dtype) || !isFloat(y.dtype)) {
      const kernel = fnName === 'mse_loss' ? 'mse_cpu' : 'abs_cpu';
      throw new PyError('RuntimeError', `"${kernel}" not implemented for '${x.dtype === 'bool' || y.dtype === 'bool' ? 'Bool' : 'Long'}'`);
    }
    const dt = x.dtype === 'float64' || y.dtype === 'float64' ? 'float64' : 'float32';
    const d = ctx.op('Sub', [ctx.cast(x.node, dt), ctx.cast(y.node, dt)]);
    const per = op(d);
    const red = reduction(fnName, b);
    if (red === 'none') return ctx.wrap(per);
    return ctx.wrap(ctx.op(red === 'mean' ? 'ReduceMean' : 'ReduceSum', [per], { axes: per.shape.map((_, i) => i), keepdims: false }));
  };
  const mse = pointwiseLoss('mse_loss', (d) => ctx.op('Mul', [d, d]));
  const l1 = pointwiseLoss('l1_loss', (d) => ctx.op('Abs', [d]));

  /** `inplace=True`: the result written into the input's storage, which is returned (an activation's in-place form). */
  const withInplace = (f: FnImpl): FnImpl => async (b) => {
    const y = await f(b);
    return b.get('inplace') === true ? writeBack(tensorOf('', b, 'input'), y) : y;
  };
  const fnLoss = (name: string, sig: string, f: FnImpl): PyBuiltin => {
    const params = signature(sig);
    const g = withInplace(f);
    return new PyBuiltin(name, (a, site) => {
      const b = bind(name, params, a, { style: 'python' });
      ctx.enter(name, site);
      return g(b);
    });
  };
  /** A module over a function: its constructor's arguments stored (tensors as buffers), passed on by forward with its inputs. */
  const lossClass = (name: string, sig: string, f: FnImpl, inputs = ['input', 'target']): PyClass => {
    const params = signature(sig);
    const forwardParams = signature(`${inputs.join(', ')}, ${sig}`);
    const g = withInplace(f);
    return new PyClass(name, [Module], new Map<string, PyValue>([
      ['__init__', new PyBuiltin(name, (a) => {
        const [self, ...rest] = a.args as [PyObject, ...PyValue[]];
        const b = bind(`${name}.__init__`, params, { args: rest, kwargs: a.kwargs }, { style: 'python' });
        for (const [k, v] of b.values) {
          if (v instanceof Tensor) registerBuffer(self, k, v);
          else self.attrs.set(k, v);
        }
        return null;
      })],
      ['forward', new PyBuiltin(`${name}.forward`, (a, site) => {
        const [self, ...xs] = a.args as [PyObject, ...PyValue[]];
        const kwargs = new Map<string, PyValue>();
        for (const p of params) if (self.attrs.has(p.name)) kwargs.set(p.name, self.attrs.get(p.name) ?? null);
        const b = bind(`${name}.forward`, forwardParams, { args: xs.slice(0, inputs.length), kwargs: new Map([...kwargs, ...a.kwargs]) }, { style: 'python' });
        ctx.enter(name, site);
        return g(b);
      })],
    ]), undefined, `torch.nn.${name}`);
  };
  const lossSig = 'weight?, size_average?, ignore_index?, reduce?, reduction?, label_smoothing?';

  // ---- modules ------------------------------------------------------------------------------------------
  const F = new Map<string, PyValue>();
  for (const name of ['sigmoid', 'tanh']) F.set(name, fn(name));
  // F.softmax and F.log_softmax call `input.softmax(dim)`: on anything but a tensor, PyTorch's AttributeError.
  for (const name of ['softmax', 'log_softmax']) {
    const inner = fn(name);
    F.set(name, new PyBuiltin(name, (a, site) => {
      notTensorMethod(name, a.args[0] ?? a.kwargs.get('input'));
      return inner.call(a, site);
    }));
  }
  // F.relu(input, inplace=False): with inplace, torch.relu_ (the input's storage is written).
  F.set('relu', new PyBuiltin('relu', async (a, site) => {
    const b = bind('relu', signature('input, inplace?'), a, { style: 'python' });
    const x = tensorOf('relu', b, 'input');
    const y = (await apply1('relu', x, site)) as Tensor;
    return boolArg('relu', b, 'inplace', false) ? writeBack(x, y) : y;
  }));
  F.set('cross_entropy', fnLoss('cross_entropy', ceSig, crossEntropy));
  F.set('nll_loss', fnLoss('nll_loss', 'input, target, weight?, size_average?, ignore_index?, reduce?, reduction?', nllLoss));
  F.set('mse_loss', fnLoss('mse_loss', 'input, target, size_average?, reduce?, reduction?', mse));
  F.set('l1_loss', fnLoss('l1_loss', 'input, target, size_average?, reduce?, reduction?', l1));
  F.set('linear', fnLoss('linear', 'input, weight, bias?', (b) => linearForward(tensorOf('linear', b, 'input'), tensorOf('linear', b, 'weight'), b.get('bias') ?? null)));
  F.set('dropout', fnLoss('dropout', 'input, p?, training?, inplace?', (b) => dropout(tensorOf('dropout', b, 'input'), floatArg('dropout', b, 'p', 0.5), boolArg('dropout', b, 'training', true))));
  for (const [name, { sig, impl }] of more) F.set(name, fnLoss(name, sig, impl));
  const fsig = (name: string): string => (more.get(name) as { sig: string }).sig.replace(/^(input|x1), (target, |normalized_shape, weight\?, bias\?, |x2, )?/, '');
  const fimpl = (name: string): FnImpl => (more.get(name) as { impl: FnImpl }).impl;
  F.set('one_hot', new PyBuiltin('one_hot', async (a, site) => {
    const b = bind('one_hot', signature('tensor, num_classes?'), a);
    ctx.enter('one_hot', site);
    return oneHot(b, ctx);
  }));
  const functional = new PyModule('torch.nn.functional', F);

  const nnAttrs = new Map<string, PyValue>([
    ['Module', Module],
    ['Linear', Linear],
    ['Conv2d', Conv2d],
    ['ReLU', ReLU],
    ['Sigmoid', Sigmoid],
    ['Tanh', Tanh],
    ['Softmax', Softmax],
    ['LogSoftmax', LogSoftmax],
    ['Identity', Identity],
    ['Flatten', Flatten],
    ['Dropout', Dropout],
    ['BatchNorm1d', BatchNorm1d],
    ['Sequential', Sequential],
    ['ModuleList', ModuleList],
    ['ModuleDict', ModuleDict],
    ['Parameter', ParameterCls],
    ['CrossEntropyLoss', lossClass('CrossEntropyLoss', lossSig, crossEntropy)],
    ['NLLLoss', lossClass('NLLLoss', 'weight?, size_average?, ignore_index?, reduce?, reduction?', nllLoss)],
    ['MSELoss', lossClass('MSELoss', 'size_average?, reduce?, reduction?', mse)],
    ['L1Loss', lossClass('L1Loss', 'size_average?, reduce?, reduction?', l1)],
    ['GELU', lossClass('GELU', fsig('gelu'), fimpl('gelu'), ['input'])],
    ['ELU', lossClass('ELU', fsig('elu'), fimpl('elu'), ['input'])],
    ['LeakyReLU', lossClass('LeakyReLU', fsig('leaky_relu'), fimpl('leaky_relu'), ['input'])],
    ['Softplus', lossClass('Softplus', fsig('softplus'), fimpl('softplus'), ['input'])],
    ['MaxPool2d', lossClass('MaxPool2d', 'kernel_size, stride?, padding?, dilation?, return_indices?, ceil_mode?', fimpl('max_pool2d'), ['input'])],
    ['AvgPool2d', lossClass('AvgPool2d', 'kernel_size, stride?, padding?, ceil_mode?, count_include_pad?, divisor_override?', fimpl('avg_pool2d'), ['input'])],
    ['BCELoss', lossClass('BCELoss', 'weight?, size_average?, reduce?, reduction?', fimpl('binary_cross_entropy'))],
    ['BCEWithLogitsLoss', lossClass('BCEWithLogitsLoss', 'weight?, size_average?, reduce?, reduction?, pos_weight?', fimpl('binary_cross_entropy_with_logits'))],
    ['KLDivLoss', lossClass('KLDivLoss', 'size_average?, reduce?, reduction?, log_target?', fimpl('kl_div'))],
    ['SmoothL1Loss', lossClass('SmoothL1Loss', 'size_average?, reduce?, reduction?, beta?', fimpl('smooth_l1_loss'))],
    ['HuberLoss', lossClass('HuberLoss', 'reduction?, delta?', fimpl('huber_loss'))],
    ['CosineSimilarity', lossClass('CosineSimilarity', 'dim?, eps?', fimpl('cosine_similarity'), ['x1', 'x2'])],
    ['LayerNorm', LayerNorm],
    ['Embedding', Embedding],
    ['BatchNorm2d', BatchNorm2d],
    ['functional', functional],
  ]);
  const nn = new PyModule('torch.nn', nnAttrs);

  const optim = createOptim(ctx);
  const init = createInit(ctx);
  void checkIndexValues;
  void normDim;
  return { nn, functional, optim, init };
}
