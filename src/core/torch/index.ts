/** Assembles the importable modules (`torch`, `torch.nn`, ..., `math`, `random`) for one run. */
import { TorchGenerator } from '../engine/random';
import type { Runtime } from '../engine/runtime';
import { makeBuiltins, mathModule, randomModule } from '../python/builtins';
import type { Interpreter, ModuleResolver } from '../python/interpreter';
import type { PyValue, Scope } from '../python/values';
import { HostValue, PyBuiltin, PyModule } from '../python/values';
import { autogradModule, forwardAdModule } from './autograd';
import { copyModule } from './copy-module';
import { DTypeValue, DeviceValue, FOREIGN_DTYPES, ForeignDType, FUNCTIONS, builtinFor } from './functions';
import { createNN } from './nn';
import { LINALG } from './functions-surface';
import { TENSOR_CLASS, TorchContext } from './tensor';
import { PYTORCH_NAMES } from './pytorch-names';
import { setUpstreamNames } from '../python/upstream';

setUpstreamNames(PYTORCH_NAMES);

export interface Environment {
  readonly ctx: TorchContext;
  readonly builtins: Scope;
  readonly resolve: ModuleResolver;
  /** Set once the interpreter exists (bindings call back into it). */
  bindInterpreter(i: Interpreter): void;
}

/** `torch.no_grad()` / `torch.enable_grad()`: a context manager setting the grad mode, restored on exit. */
class GradMode extends HostValue {
  private saved = true;
  constructor(
    private readonly ctx: TorchContext,
    private readonly enabled: boolean,
  ) {
    super();
  }
  override typeName(): string {
    return this.enabled ? 'enable_grad' : 'no_grad';
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === '__enter__') {
      return new PyBuiltin('__enter__', () => {
        this.saved = this.ctx.gradEnabled;
        this.ctx.gradEnabled = this.enabled;
        return null;
      });
    }
    if (name === '__exit__') {
      return new PyBuiltin('__exit__', () => {
        this.ctx.gradEnabled = this.saved;
        return null;
      });
    }
    return undefined;
  }
}

export function createEnvironment(runtime: Runtime, options: { maxElements: number; stdout: (s: string) => void }): Environment {
  let interp: Interpreter | undefined;
  const get = (): Interpreter => {
    if (!interp) throw new Error('interpreter not bound');
    return interp;
  };
  const ctx = new TorchContext(runtime, new TorchGenerator(), { maxElements: options.maxElements });
  const builtins = makeBuiltins(get, options.stdout);
  const { nn, functional, optim, init } = createNN(ctx, get);

  const torch = new Map<string, PyValue>();
  for (const d of FUNCTIONS.values()) torch.set(d.name, builtinFor(ctx, d));
  for (const [name, dt] of [['float32', 'float32'], ['float', 'float32'], ['float64', 'float64'], ['double', 'float64'], ['int64', 'int64'], ['long', 'int64'], ['bool', 'bool']] as const) {
    torch.set(name, new DTypeValue(dt));
  }
  for (const [names, floating] of FOREIGN_DTYPES) for (const name of names) torch.set(name, new ForeignDType(names[0] as string, floating));
  torch.set('Tensor', TENSOR_CLASS);
  torch.set('inf', Infinity);
  torch.set('nan', NaN);
  torch.set('nn', nn);
  torch.set('optim', optim);
  const forwardAd = forwardAdModule(ctx);
  const autograd = autogradModule(ctx, forwardAd);
  torch.set('autograd', autograd);
  torch.set('no_grad', new PyBuiltin('no_grad', () => new GradMode(ctx, false)));
  torch.set('enable_grad', new PyBuiltin('enable_grad', () => new GradMode(ctx, true)));
  torch.set('device', new PyBuiltin('device', (a) => new DeviceValue(String(a.args[0] ?? 'cpu').split(':')[0] as string)));
  const cuda = new PyModule('torch.cuda', new Map<string, PyValue>([
    ['is_available', new PyBuiltin('is_available', () => false)],
    ['device_count', new PyBuiltin('device_count', () => 0n)],
  ]));
  torch.set('cuda', cuda);
  const linalg = new PyModule('torch.linalg', new Map<string, PyValue>(LINALG.map((d) => [d.name.replace(/^linalg_/, ''), builtinFor(ctx, d)])));
  torch.set('linalg', linalg);
  const torchModule = new PyModule('torch', torch);
  nn.attrs.set('init', init);

  const modules = new Map<string, PyModule>([
    ['torch', torchModule],
    ['torch.nn', nn],
    ['torch.nn.functional', functional],
    ['torch.nn.init', init],
    ['torch.optim', optim],
    ['torch.autograd', autograd],
    ['torch.autograd.forward_ad', forwardAd],
    ['torch.cuda', cuda],
    ['torch.linalg', linalg],
  ]);
  // Made on first import (random seeds a Mersenne Twister).
  const lazy: Record<string, () => PyModule> = { math: mathModule, random: () => randomModule(get), copy: copyModule };
  return {
    ctx,
    builtins,
    resolve: (name) => {
      let m = modules.get(name);
      if (!m && lazy[name]) {
        m = (lazy[name] as () => PyModule)();
        modules.set(name, m);
      }
      return m;
    },
    bindInterpreter: (i) => {
      interp = i;
    },
  };
}
