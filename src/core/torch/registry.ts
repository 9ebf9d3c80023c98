/**
 * The registry of the torch surface: every function of `torch` (and its Tensor-method form) is defined once
 * with `def`, PyTorch's signature and an implementation; `invoke` binds a call PyTorch's way. The argument
 * helpers and the dtype/device values the definitions share live here too.
 */
import type { DType } from '../engine/dtype';
import { TORCH_NAME, isFloat } from '../engine/dtype';
import type { IRNode } from '../engine/ir';
import type { CallArgs, CallSite, PyValue } from '../python/values';
import { HostValue, PyBuiltin, Unsupported } from '../python/values';
import type { Bound, ParamSpec } from './args';
import { argError, bind, intListArg, signature, typeError } from './args';
import type { Operand, TorchContext } from './tensor';
import { Tensor, asOperand, normDim } from './tensor';

export type Impl = (b: Bound, ctx: TorchContext, site: CallSite) => PyValue | Promise<PyValue>;

export interface Def {
  readonly name: string;
  readonly params: readonly ParamSpec[];
  readonly impl: Impl;
}

/** Functions reachable as torch.<name>. */
export const FUNCTIONS = new Map<string, Def>();
/** Methods reachable as tensor.<name>(...) (self binds the first parameter). */
export const METHODS = new Map<string, Def>();

export function def(names: string, sig: string, impl: Impl, where: 'both' | 'function' | 'method' = 'both'): void {
  const params = signature(sig);
  for (const name of names.split(' ')) {
    const d = { name, params, impl };
    if (where !== 'method') FUNCTIONS.set(name, d);
    if (where !== 'function') METHODS.set(name, d);
  }
}

/** Calls a definition with PyTorch-style binding; the torch context records the API name and place. */
export function invoke(ctx: TorchContext, d: Def, a: CallArgs, site: CallSite, method = false): PyValue | Promise<PyValue> {
  const b = bind(d.name, d.params, a, { method });
  ctx.enter(d.name, site);
  return d.impl(b, ctx, site);
}

export function builtinFor(ctx: TorchContext, d: Def, self?: Tensor): PyBuiltin {
  return new PyBuiltin(d.name, (a, site) => invoke(ctx, d, self ? { args: [self, ...a.args], kwargs: a.kwargs } : a, site, !!self));
}

// ---- argument helpers -----------------------------------------------------------------------------------

export function tensorArg(fn: string, b: Bound, name: string): Tensor {
  const v = b.get(name);
  if (v instanceof Tensor) return v;
  throw typeError(fn, b, name, 'Tensor', v ?? null);
}

export function operandArg(fn: string, ctx: TorchContext, b: Bound, name: string): Operand {
  const v = b.get(name) ?? null;
  const o = asOperand(ctx, v);
  if (!o) throw typeError(fn, b, name, 'Tensor or Number', v);
  return o;
}

export function dtypeArg(b: Bound, name = 'dtype'): DType | undefined {
  const v = b.get(name);
  if (v === undefined || v === null) return undefined;
  if (v instanceof DTypeValue) return v.dtype;
  if (v instanceof ForeignDType) throw v.unsupported();
  throw argError(b, name, 'TypeError', `argument '${name}' must be torch.dtype, not ${v instanceof HostValue ? v.typeName() : typeof v}`);
}

export function optDim(fn: string, b: Bound, name: string, rank: number): number[] | undefined {
  const v = b.get(name);
  if (v === undefined || v === null) return undefined;
  const dims = intListArg(fn, b, name) ?? [];
  const out = dims.map((d) => normDim(d, rank, b.from.get(name) as string | undefined));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw argError(b, name, 'RuntimeError', `dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return out;
}

export function sizeArg(fn: string, b: Bound, name: string): number[] {
  const dims = intListArg(fn, b, name) ?? [];
  for (const d of dims) if (d < 0) throw argError(b, name, 'RuntimeError', `Trying to create tensor with negative dimension ${d}: [${dims.join(', ')}]`);
  return dims;
}

export function floatOnly(ctx: TorchContext, t: Tensor): IRNode {
  return isFloat(t.dtype) ? t.node : ctx.cast(t.node, 'float32');
}

export class DTypeValue extends HostValue {
  constructor(readonly dtype: DType) {
    super();
  }
  override typeName(): string {
    return 'torch.dtype';
  }
  override repr(): string {
    return TORCH_NAME[this.dtype];
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'is_floating_point') return isFloat(this.dtype);
    return undefined;
  }
  override binary(op: string, other: PyValue): PyValue | undefined {
    if (op === '==') return other instanceof DTypeValue && other.dtype === this.dtype;
    if (op === '!=') return !(other instanceof DTypeValue && other.dtype === this.dtype);
    return undefined;
  }
}

/**
 * A dtype PyTorch has and nbcheck cannot compute in exactly (torch.int32, torch.float16, ...): a name to
 * compare with, and 'not supported' wherever a tensor would be made or converted in it.
 */
export class ForeignDType extends HostValue {
  constructor(readonly name: string, readonly floating: boolean) {
    super();
  }
  override typeName(): string {
    return 'torch.dtype';
  }
  override repr(): string {
    return `torch.${this.name}`;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'is_floating_point') return this.floating;
    return undefined;
  }
  override binary(op: string, other: PyValue): PyValue | undefined {
    const same = other instanceof ForeignDType && other.name === this.name;
    if (op === '==') return same;
    if (op === '!=') return !same;
    return undefined;
  }
  unsupported(): Unsupported {
    return new Unsupported(`tensors of dtype torch.${this.name} (nbcheck computes in float32, float64, int64 and bool)`);
  }
}

/** PyTorch's dtype names nbcheck lacks, with their aliases. */
export const FOREIGN_DTYPES: readonly [string[], boolean][] = [
  [['int32', 'int'], false], [['int16', 'short'], false], [['int8'], false], [['uint8'], false],
  [['float16', 'half'], true], [['bfloat16'], true], [['complex64', 'cfloat'], false], [['complex128', 'cdouble'], false],
];

export class DeviceValue extends HostValue {
  constructor(readonly type: string) {
    super();
  }
  override typeName(): string {
    return 'torch.device';
  }
  override repr(): string {
    return `device(type='${this.type}')`;
  }
  override getAttr(name: string): PyValue | undefined {
    return name === 'type' ? this.type : undefined;
  }
  override binary(op: string, other: PyValue): PyValue | undefined {
    const same = (other instanceof DeviceValue && other.type === this.type) || other === this.type;
    if (op === '==') return same;
    if (op === '!=') return !same;
    return undefined;
  }
}
