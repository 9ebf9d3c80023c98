/**
 * torch.optim: SGD (lr, momentum, dampening, weight_decay, nesterov) and Adam (lr, betas, eps,
 * weight_decay), stepping as PyTorch 1.13's single-tensor implementations do: in place, under no_grad,
 * skipping parameters without a gradient. `zero_grad(set_to_none=False)` zeroes gradients in place (1.13's
 * default).
 */
import type { IRNode } from '../engine/ir';
import type { CallArgs, PyValue } from '../python/values';
import { PyBuiltin, PyClass, PyDict, PyError, PyList, PyModule, PyObject, PyTuple, Unsupported, typeName } from '../python/values';
import { bind, boolArg, floatArg, signature, type Bound } from './args';
import { Tensor, filled, type TorchContext } from './tensor';

/** An optimizer's hyper-parameters live in its param_groups' dicts (students change 'lr' there): read at each step. */
interface State {
  readonly kind: 'SGD' | 'Adam';
  /** The optimizer's param_groups list (a student may change it, or add groups). */
  readonly groups: PyList;
  /** SGD's momentum buffers; Adam's moments and step counts (tensors, updated in place as PyTorch's are). */
  readonly buffers: Map<Tensor, Tensor>;
  readonly moments: Map<Tensor, { step: number; avg: Tensor; sq: Tensor }>;
}

const states = new WeakMap<PyObject, State>();

function tensorsOf(name: string, v: PyValue | undefined): Tensor[] {
  if (v instanceof Tensor) return [v];
  const items = v instanceof PyList || v instanceof PyTuple ? v.items : undefined;
  if (!items) throw new Unsupported(`torch.optim.${name} with params that are not a list of tensors or of dicts (e.g. model.parameters())`);
  return items.map((t) => {
    if (t instanceof Tensor) return t;
    throw new PyError('TypeError', `optimizer can only optimize Tensors, but one of the params is ${typeName(t)}`);
  });
}

/** A param group as PyTorch's add_param_group makes it: the params as a list, then the group's own settings, then the defaults it lacks. */
function paramGroup(name: string, given: PyDict, defaults: readonly [string, PyValue][], taken: Set<Tensor>): PyDict {
  const d = new PyDict();
  const params = tensorsOf(name, given.entries.get(key('params'))?.[1]);
  for (const p of params) {
    if (!p.isLeaf) throw new PyError('ValueError', "can't optimize a non-leaf Tensor");
    if (taken.has(p)) throw new PyError('ValueError', 'some parameters appear in more than one parameter group');
  }
  params.forEach((p) => taken.add(p));
  d.entries.set(key('params'), ['params', new PyList(params)]);
  for (const [h, e] of given.entries) if (h !== key('params')) d.entries.set(h, e);
  for (const [k, v] of defaults) {
    if (d.entries.has(key(k))) continue;
    if (v === REQUIRED) throw new PyError('ValueError', `parameter group didn't specify a value of required optimization parameter ${k}`);
    d.entries.set(key(k), [k, v]);
  }
  return d;
}

/** The default of a setting every group must give (SGD's lr). */
const REQUIRED: PyValue = new PyTuple([]);

function groupsOf(name: string, b: Bound, defaults: readonly [string, PyValue][]): PyDict[] {
  const v = b.get('params');
  const items = v instanceof PyList || v instanceof PyTuple ? v.items : undefined;
  const taken = new Set<Tensor>();
  if (items && items.length && items.every((x) => x instanceof PyDict)) return items.map((g) => paramGroup(name, g as PyDict, defaults, taken));
  const only = new PyDict();
  only.entries.set(key('params'), ['params', new PyList(tensorsOf(name, v))]);
  if (!tensorsOf(name, v).length) throw new PyError('ValueError', 'optimizer got an empty parameter list');
  return [paramGroup(name, only, defaults, taken)];
}

/** Runs `fn` with grad disabled, as optimizers do. */
function noGrad<T>(ctx: TorchContext, fn: () => T): T {
  const [saved, stepping] = [ctx.gradEnabled, ctx.stepping];
  ctx.gradEnabled = false;
  ctx.stepping = true;
  try {
    return fn();
  } finally {
    ctx.gradEnabled = saved;
    ctx.stepping = stepping;
  }
}

const key = (k: string): string => `s${k}`;

/** A number of the param group (a student may have set it to a tensor or an int). */
function groupNumber(g: PyDict, name: string): number {
  const v = g.entries.get(key(name))?.[1];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const x = v instanceof Tensor ? v.scalarValue() : undefined;
  if (typeof x === 'number' || typeof x === 'bigint') return Number(x);
  throw new Unsupported(`an optimizer param group whose '${name}' is a ${v === undefined ? 'missing value' : typeName(v ?? null)}`);
}

function groupBetas(g: PyDict): [number, number] {
  const v = g.entries.get(key('betas'))?.[1];
  const items = v instanceof PyTuple || v instanceof PyList ? v.items.map(Number) : [];
  if (items.length !== 2 || items.some((x) => Number.isNaN(x))) throw new Unsupported("an optimizer param group whose 'betas' is not two numbers");
  return items as [number, number];
}

function step(ctx: TorchContext, s: State): void {
  const mul = (a: IRNode, k: number): IRNode => ctx.op('Mul', [a, ctx.scalar(k, a.dtype)]);
  const add = (a: IRNode, b: IRNode): IRNode => ctx.op('Add', [a, b]);
  for (const group of groupDicts(s)) stepGroup(ctx, s, group, mul, add);
}

function stepGroup(ctx: TorchContext, s: State, group: PyDict, mul: (a: IRNode, k: number) => IRNode, add: (a: IRNode, b: IRNode) => IRNode): void {
  const lr = groupNumber(group, 'lr');
  const weightDecay = groupNumber(group, 'weight_decay');
  noGrad(ctx, () => {
    for (const p of groupParams(group)) {
      if (!p.grad) continue;
      let g = p.grad.node;
      if (weightDecay !== 0) g = add(g, mul(p.node, weightDecay));
      if (s.kind === 'SGD') {
        const momentum = groupNumber(group, 'momentum');
        if (momentum !== 0) {
          const dampening = groupNumber(group, 'dampening');
          const prev = s.buffers.get(p);
          let buf: Tensor;
          if (prev) {
            prev.write(add(mul(prev.node, momentum), mul(g, 1 - dampening)));
            buf = prev;
          } else {
            buf = ctx.wrap(ctx.op('Identity', [g]));
            s.buffers.set(p, buf);
          }
          g = groupNumber(group, 'nesterov') ? add(g, mul(buf.node, momentum)) : buf.node;
        }
        p.write(add(p.node, mul(g, -lr)));
      } else {
        const [beta1, beta2] = groupBetas(group);
        const eps = groupNumber(group, 'eps');
        let m = s.moments.get(p);
        if (!m) {
          m = { step: 0, avg: ctx.wrap(mul(p.node, 0)), sq: ctx.wrap(mul(p.node, 0)) };
          s.moments.set(p, m);
        }
        m.step += 1;
        m.avg.write(add(mul(m.avg.node, beta1), mul(g, 1 - beta1)));
        m.sq.write(add(mul(m.sq.node, beta2), mul(ctx.op('Mul', [g, g]), 1 - beta2)));
        const stepSize = lr / (1 - beta1 ** m.step);
        const denom = add(ctx.op('Div', [ctx.op('Sqrt', [m.sq.node]), ctx.scalar(Math.sqrt(1 - beta2 ** m.step), p.dtype)]), ctx.scalar(eps, p.dtype));
        p.write(add(p.node, mul(ctx.op('Div', [m.avg.node, denom]), -stepSize)));
      }
    }
  });
}

function groupDicts(s: State): PyDict[] {
  return s.groups.items.map((g) => {
    if (g instanceof PyDict) return g;
    throw new Unsupported('an optimizer whose param_groups holds something other than dicts');
  });
}

function groupParams(g: PyDict): Tensor[] {
  return tensorsOf('optimizer', g.entries.get(key('params'))?.[1]);
}

function allParams(s: State): Tensor[] {
  return groupDicts(s).flatMap(groupParams);
}

/** `zero_grad(set_to_none=False)` of an optimizer or a module: gradients zeroed in place, or dropped. */
export function zeroGrad(ctx: TorchContext, params: readonly Tensor[], setToNone: boolean): void {
  for (const p of params) {
    if (!p.grad) continue;
    if (setToNone) p.grad = null;
    else noGrad(ctx, () => p.grad?.write(filled(ctx, p.grad.shape, 0, p.grad.dtype).node));
  }
}


export function createOptim(ctx: TorchContext): PyModule {
  const optimizer = (name: 'SGD' | 'Adam', sig: string, make: (b: Bound) => [string, PyValue][]): PyClass =>
    new PyClass(
      name,
      [],
      new Map<string, PyValue>([
        ['step', new PyBuiltin('step', async (a: CallArgs, site) => {
          const self = a.args[0] as PyObject;
          if (a.args.length > 1 || a.kwargs.size) throw new Unsupported(`${name}.step(closure)`);
          const state = states.get(self) as State;
          await ctx.observer?.step?.({ loc: ctx.locOf(site), params: allParams(state) });
          step(ctx, state);
          return null;
        })],
        ['zero_grad', new PyBuiltin('zero_grad', (a: CallArgs) => {
          const self = a.args[0] as PyObject;
          const b = bind('zero_grad', signature('set_to_none?'), { args: a.args.slice(1), kwargs: a.kwargs }, { style: 'python' });
          zeroGrad(ctx, allParams(states.get(self) as State), boolArg('zero_grad', b, 'set_to_none', false));
          return null;
        })],
        ['__init__', new PyBuiltin('__init__', (a: CallArgs) => {
          const b = bind(name, signature(sig), { args: a.args.slice(1), kwargs: a.kwargs }, { style: 'python' });
          const self = a.args[0] as PyObject;
          const defaults = make(b);
          const groups = new PyList(groupsOf(name, b, defaults));
          states.set(self, { kind: name, groups, buffers: new Map(), moments: new Map() });
          self.attrs.set('param_groups', groups);
          const d = new PyDict();
          for (const [k, v] of defaults) d.entries.set(key(k), [k, v]);
          self.attrs.set('defaults', d);
          self.attrs.set('add_param_group', new PyBuiltin('add_param_group', (g: CallArgs) => {
            const group = g.args[0];
            if (g.args.length !== 1 || !(group instanceof PyDict)) throw new PyError('TypeError', 'param group must be a dict');
            const taken = new Set(allParams(states.get(self) as State));
            groups.items.push(paramGroup(name, group, defaults, taken));
            return null;
          }));
          return null;
        })],
      ]),
      undefined,
      `torch.optim.${name}`,
    );
  const given = (b: Bound, name: string, dflt: PyValue): PyValue => {
    const v = b.get(name);
    if (v === undefined || v === null) return dflt;
    floatArg('', b, name);
    return v;
  };
  const SGD = optimizer('SGD', 'params, lr?, momentum?, dampening?, weight_decay?, nesterov?, *, maximize?, foreach?, differentiable?', (b) => {
    if (boolArg('SGD', b, 'maximize', false)) throw new Unsupported('SGD(maximize=True)');
    if (b.get('lr') !== undefined) floatArg('SGD', b, 'lr');
    return [
      ['lr', b.get('lr') ?? REQUIRED], ['momentum', given(b, 'momentum', 0n)], ['dampening', given(b, 'dampening', 0n)],
      ['weight_decay', given(b, 'weight_decay', 0n)], ['nesterov', boolArg('SGD', b, 'nesterov', false)], ['maximize', false], ['foreach', null], ['differentiable', false],
    ];
  });
  const Adam = optimizer('Adam', 'params, lr?, betas?, eps?, weight_decay?, amsgrad?, *, foreach?, maximize?, capturable?, differentiable?, fused?', (b) => {
    if (boolArg('Adam', b, 'amsgrad', false) || boolArg('Adam', b, 'maximize', false)) throw new Unsupported('Adam(amsgrad=True or maximize=True)');
    const betas = b.get('betas');
    return [
      ['lr', given(b, 'lr', 0.001)], ['betas', betas instanceof PyTuple || betas instanceof PyList ? betas : new PyTuple([0.9, 0.999])], ['eps', given(b, 'eps', 1e-8)],
      ['weight_decay', given(b, 'weight_decay', 0n)], ['amsgrad', false], ['maximize', false], ['foreach', null], ['capturable', false], ['differentiable', false], ['fused', false],
    ];
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
