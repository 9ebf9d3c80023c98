/**
 * torch.optim: SGD (lr, momentum, dampening, weight_decay, nesterov) and Adam (lr, betas, eps,
 * weight_decay), stepping as PyTorch 1.13's single-tensor implementations do: in place, under no_grad,
 * skipping parameters without a gradient. `zero_grad(set_to_none=False)` zeroes gradients in place (1.13's
 * default).
 */
import type { IRNode } from '../engine/ir';
import type { CallArgs, PyValue } from '../python/values';
import { PyBuiltin, PyClass, PyError, PyList, PyModule, PyObject, PyTuple, Unsupported } from '../python/values';
import { bind, boolArg, floatArg, signature, type Bound } from './args';
import { Tensor, type TorchContext } from './tensor';

interface SgdState {
  readonly kind: 'SGD';
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly buffers: Map<Tensor, IRNode>;
}

interface AdamState {
  readonly kind: 'Adam';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly moments: Map<Tensor, { step: number; avg: IRNode; sq: IRNode }>;
}

type State = (SgdState | AdamState) & { readonly params: readonly Tensor[] };

const states = new WeakMap<PyObject, State>();

function paramsArg(name: string, b: Bound): Tensor[] {
  const v = b.get('params');
  const items = v instanceof PyList || v instanceof PyTuple ? v.items : undefined;
  if (!items) throw new Unsupported(`torch.optim.${name} with params that are not a list of tensors (e.g. model.parameters())`);
  return items.map((t) => {
    if (t instanceof Tensor) return t;
    throw new Unsupported(`torch.optim.${name} with parameter groups (dicts)`);
  });
}

/** Runs `fn` with grad disabled, as optimizers do. */
function noGrad<T>(ctx: TorchContext, fn: () => T): T {
  const saved = ctx.gradEnabled;
  ctx.gradEnabled = false;
  try {
    return fn();
  } finally {
    ctx.gradEnabled = saved;
  }
}

function step(ctx: TorchContext, s: State): void {
  const mul = (a: IRNode, k: number): IRNode => ctx.op('Mul', [a, ctx.scalar(k, a.dtype)]);
  const add = (a: IRNode, b: IRNode): IRNode => ctx.op('Add', [a, b]);
  noGrad(ctx, () => {
    for (const p of s.params) {
      if (!p.grad) continue;
      let g = p.grad.node;
      if (s.weightDecay !== 0) g = add(g, mul(p.node, s.weightDecay));
      if (s.kind === 'SGD') {
        if (s.momentum !== 0) {
          const prev = s.buffers.get(p);
          const buf = prev ? add(mul(prev, s.momentum), mul(g, 1 - s.dampening)) : g;
          s.buffers.set(p, buf);
          g = s.nesterov ? add(g, mul(buf, s.momentum)) : buf;
        }
        p.rebind(add(p.node, mul(g, -s.lr)));
      } else {
        const m = s.moments.get(p) ?? { step: 0, avg: ctx.op('Mul', [p.node, ctx.scalar(0, p.dtype)]), sq: ctx.op('Mul', [p.node, ctx.scalar(0, p.dtype)]) };
        const stepNo = m.step + 1;
        const avg = add(mul(m.avg, s.beta1), mul(g, 1 - s.beta1));
        const sq = add(mul(m.sq, s.beta2), mul(ctx.op('Mul', [g, g]), 1 - s.beta2));
        s.moments.set(p, { step: stepNo, avg, sq });
        const stepSize = s.lr / (1 - s.beta1 ** stepNo);
        const denom = add(ctx.op('Div', [ctx.op('Sqrt', [sq]), ctx.scalar(Math.sqrt(1 - s.beta2 ** stepNo), p.dtype)]), ctx.scalar(s.eps, p.dtype));
        p.rebind(add(p.node, mul(ctx.op('Div', [avg, denom]), -stepSize)));
      }
    }
  });
}

/** `zero_grad(set_to_none=False)` of an optimizer or a module: gradients zeroed in place, or dropped. */
export function zeroGrad(ctx: TorchContext, params: readonly Tensor[], setToNone: boolean): void {
  for (const p of params) {
    if (!p.grad) continue;
    if (setToNone) p.grad = null;
    else p.grad.rebind(ctx.op('Mul', [p.grad.node, ctx.scalar(0, p.grad.dtype)]));
  }
}

export function createOptim(ctx: TorchContext): PyModule {
  const optimizer = (name: 'SGD' | 'Adam', sig: string, make: (b: Bound, params: Tensor[]) => State): PyClass =>
    new PyClass(
      name,
      [],
      new Map<string, PyValue>([
        ['step', new PyBuiltin('step', async (a: CallArgs, site) => {
          const self = a.args[0] as PyObject;
          if (a.args.length > 1 || a.kwargs.size) throw new Unsupported(`${name}.step(closure)`);
          const state = states.get(self) as State;
          await ctx.observer?.step?.({ loc: ctx.locOf(site), params: state.params });
          step(ctx, state);
          return null;
        })],
        ['zero_grad', new PyBuiltin('zero_grad', (a: CallArgs) => {
          const self = a.args[0] as PyObject;
          const b = bind('zero_grad', signature('set_to_none?'), { args: a.args.slice(1), kwargs: a.kwargs }, { style: 'python' });
          zeroGrad(ctx, (states.get(self) as State).params, boolArg('zero_grad', b, 'set_to_none', false));
          return null;
        })],
        ['__init__', new PyBuiltin('__init__', (a: CallArgs) => {
          const b = bind(name, signature(sig), { args: a.args.slice(1), kwargs: a.kwargs }, { style: 'python' });
          states.set(a.args[0] as PyObject, make(b, paramsArg(name, b)));
          return null;
        })],
      ]),
    );
  const num = (b: Bound, name: string, dflt: number): number => (b.get(name) === undefined || b.get(name) === null ? dflt : floatArg('', b, name));
  const SGD = optimizer('SGD', 'params, lr?, momentum?, dampening?, weight_decay?, nesterov?, *, maximize?, foreach?, differentiable?', (b, params) => {
    if (boolArg('SGD', b, 'maximize', false)) throw new Unsupported('SGD(maximize=True)');
    if (b.get('lr') === undefined) throw new PyError('ValueError', "parameter group didn't specify a value of required optimization parameter lr");
    return { kind: 'SGD', params, lr: floatArg('SGD', b, 'lr'), momentum: num(b, 'momentum', 0), dampening: num(b, 'dampening', 0), weightDecay: num(b, 'weight_decay', 0), nesterov: boolArg('SGD', b, 'nesterov', false), buffers: new Map() };
  });
  const Adam = optimizer('Adam', 'params, lr?, betas?, eps?, weight_decay?, amsgrad?, *, foreach?, maximize?, capturable?, differentiable?, fused?', (b, params) => {
    if (boolArg('Adam', b, 'amsgrad', false) || boolArg('Adam', b, 'maximize', false)) throw new Unsupported('Adam(amsgrad=True or maximize=True)');
    const betas = b.get('betas');
    const [beta1, beta2] = betas instanceof PyTuple || betas instanceof PyList ? betas.items.map(Number) : [0.9, 0.999];
    return { kind: 'Adam', params, lr: num(b, 'lr', 1e-3), beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999, eps: num(b, 'eps', 1e-8), weightDecay: num(b, 'weight_decay', 0), moments: new Map() };
  });
  const unsupported = (name: string): PyClass =>
    new PyClass(name, [], new Map<string, PyValue>([
      ['__new__', new PyBuiltin(name, () => {
        throw new Unsupported(`torch.optim.${name}`);
      })],
    ]));
  return new PyModule('torch.optim', new Map<string, PyValue>([
    ['SGD', SGD],
    ['Adam', Adam],
    ['AdamW', unsupported('AdamW')],
    ['RMSprop', unsupported('RMSprop')],
  ]));
}
