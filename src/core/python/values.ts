/**
 * Values of the interpreted Python subset. Ints are bigints, floats numbers, bools booleans, None null;
 * containers and callables are classes below; tensors come from the engine.
 */
import type { SyntaxNode } from './parser';

export type PyValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | PyTuple
  | PyList
  | PyDict
  | PyRange
  | PySlice
  | PyEllipsis
  | PyCallable
  | PyModule
  | PyClass
  | PyObject
  | PyIterator
  | HostValue;

/** A value owned by a library binding (tensors, dtypes, devices, generators...). */
export abstract class HostValue {
  abstract typeName(): string;
  /** Attribute lookup; undefined when absent. */
  getAttr(_name: string): PyValue | undefined {
    return undefined;
  }
  repr(): string {
    return `<${this.typeName()}>`;
  }
  /** `a <op> b` with this value on the left (or the right when `reflected`); undefined: not supported. */
  binary(_op: string, _other: PyValue, _reflected: boolean, _site: CallSite): PyValue | Promise<PyValue> | undefined {
    return undefined;
  }
  /** `x <op>= y` done in place; false: fall back to `x = x <op> y`. */
  inplace(_op: string, _other: PyValue, _site: CallSite): boolean | Promise<boolean> {
    return false;
  }
  unary(_op: string, _site: CallSite): PyValue | undefined {
    return undefined;
  }
  getItem(_index: PyValue, _site: CallSite): PyValue | Promise<PyValue> | undefined {
    return undefined;
  }
  setItem(_index: PyValue, _value: PyValue, _site: CallSite): boolean | Promise<boolean> {
    return false;
  }
  /** The items `for` sees; undefined: not iterable. */
  iterate(_site: CallSite): PyValue[] | Promise<PyValue[]> | undefined {
    return undefined;
  }
  length(): number | undefined {
    return undefined;
  }
  /** Computes what repr() needs (tensors: their values). */
  prepare(): Promise<void> | undefined {
    return undefined;
  }
  /** bool()/float()/int() of the value, realising it if needed. */
  convert(_to: 'bool' | 'float' | 'int', _site: CallSite): Promise<PyValue> | undefined {
    return undefined;
  }
}

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** `torch.Size`: a tuple of ints that prints as PyTorch prints it. */
export class PySize extends PyTuple {}

/** A tuple whose items also have names (`torch.max(x, dim)` returns `(values, indices)`). */
export class PyNamedTuple extends PyTuple {
  constructor(
    readonly typeLabel: string,
    readonly fields: readonly string[],
    items: readonly PyValue[],
  ) {
    super(items);
  }
  field(name: string): PyValue | undefined {
    const i = this.fields.indexOf(name);
    return i < 0 ? undefined : this.items[i];
  }
}

export class PyList {
  constructor(public items: PyValue[]) {}
}

export class PyDict {
  readonly entries = new Map<string, [PyValue, PyValue]>();
}

export class PyRange {
  constructor(
    readonly start: bigint,
    readonly stop: bigint,
    readonly step: bigint,
  ) {}
  get length(): number {
    const { start, stop, step } = this;
    if (step > 0n) return stop > start ? Number((stop - start + step - 1n) / step) : 0;
    return start > stop ? Number((start - stop - step - 1n) / -step) : 0;
  }
  at(i: number): bigint {
    return this.start + BigInt(i) * this.step;
  }
}

export class PySlice {
  constructor(
    readonly start: PyValue,
    readonly stop: PyValue,
    readonly step: PyValue,
  ) {}
}

export class PyEllipsis {
  static readonly instance = new PyEllipsis();
}

export class PyIterator {
  constructor(readonly next: () => { value: PyValue } | undefined) {}
}

export interface CallArgs {
  readonly args: readonly PyValue[];
  readonly kwargs: ReadonlyMap<string, PyValue>;
}

/** A function implemented by nbcheck (builtins, torch). */
export class PyBuiltin {
  constructor(
    readonly name: string,
    readonly call: (a: CallArgs, site: CallSite) => PyValue | Promise<PyValue>,
    /** Bound receiver, for methods. */
    readonly self?: PyValue,
  ) {}
}

/** A function written in the notebook (def or lambda). */
export class PyFunction {
  constructor(
    readonly name: string,
    readonly params: readonly Param[],
    readonly body: SyntaxNode,
    readonly closure: Scope,
    readonly isLambda: boolean,
    readonly node: SyntaxNode,
  ) {}
}

export class PyBoundMethod {
  constructor(
    readonly self: PyValue,
    readonly fn: PyFunction | PyBuiltin,
  ) {}
}

export type PyCallable = PyBuiltin | PyFunction | PyBoundMethod;

export interface Param {
  readonly name: string;
  readonly kind: 'positional' | 'varargs' | 'kwargs';
  readonly default?: PyValue;
}

export class PyModule {
  constructor(
    readonly name: string,
    readonly attrs: Map<string, PyValue>,
  ) {}
}

/** A class: user-defined (`class M(nn.Module)`) or provided by a binding (`nn.Linear`). */
export class PyClass {
  constructor(
    readonly name: string,
    readonly bases: readonly PyClass[],
    readonly attrs: Map<string, PyValue>,
    /** Makes a fresh instance for a provided class; user classes get a plain PyObject. */
    readonly construct?: (self: PyObject, a: CallArgs, site: CallSite) => PyValue | Promise<PyValue> | void | Promise<void>,
    /** For a class nbcheck provides in PyTorch's place, PyTorch's name for it (torch.nn.Linear). */
    readonly upstream?: string,
  ) {}

  /** PyTorch's names of the provided classes this class is or derives from, nearest first. */
  upstreamNames(): string[] {
    const out: string[] = [];
    const visit = (c: PyClass): void => {
      if (c.upstream && !out.includes(c.upstream)) out.push(c.upstream);
      c.bases.forEach(visit);
    };
    visit(this);
    return out;
  }

  lookup(name: string): PyValue | undefined {
    if (this.attrs.has(name)) return this.attrs.get(name);
    for (const b of this.bases) {
      const v = b.lookup(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  isSubclassOf(other: PyClass): boolean {
    return this === other || this.bases.some((b) => b.isSubclassOf(other));
  }
}

export class PyObject {
  readonly attrs = new Map<string, PyValue>();
  /** Host-side state of provided classes (a module's training flag, its parameter order...). */
  readonly host: Record<string, unknown> = {};
  constructor(readonly cls: PyClass) {}
}

/** Variables of a module or a function call. */
export class Scope {
  readonly vars = new Map<string, PyValue>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): PyValue | undefined {
    const v = this.vars.get(name);
    if (v !== undefined || this.vars.has(name)) return v;
    return this.parent?.lookup(name);
  }
}

/** Where a call happens, so bindings can place errors on an argument. */
export interface CallSite {
  readonly node: SyntaxNode;
  /** The node of positional argument i, or of keyword argument `name`. */
  argNode(which: number | string): SyntaxNode | undefined;
}

export type PyErrorType =
  | 'TypeError'
  | 'RecursionError'
  | 'ValueError'
  | 'IndexError'
  | 'KeyError'
  | 'NameError'
  | 'AttributeError'
  | 'RuntimeError'
  | 'ZeroDivisionError'
  | 'AssertionError'
  | 'ImportError'
  | 'ModuleNotFoundError'
  | 'StopIteration'
  | 'OverflowError'
  | 'NotImplementedError'
  | 'UnboundLocalError';

/** A Python exception raised by the program (or by a binding on its behalf). */
export class PyError extends Error {
  /** Where it happened; set by the interpreter when the raiser does not know. */
  node: SyntaxNode | undefined;
  /** For an unknown keyword argument: the keyword meant, when one is close. */
  rename: { from: string; to: string } | undefined;
  constructor(
    readonly type: PyErrorType,
    message: string,
    node?: SyntaxNode,
    /** Which argument of the current call is at fault, if one is. */
    readonly arg?: number | string,
  ) {
    super(message);
    this.node = node;
  }
}

/** The program uses something outside the supported subset. */
export class Unsupported extends Error {
  constructor(
    readonly construct: string,
    /** Where; set by the interpreter (to the call) when a binding raises it. */
    public node?: SyntaxNode,
  ) {
    super(`${construct} is not supported`);
  }
}

/** A budget ran out. */
export class BudgetExceeded extends Error {
  constructor(
    message: string,
    public node: SyntaxNode | undefined,
  ) {
    super(message);
  }
}

/** Prepares every host value inside `v` (lists, tuples, dicts) for display. */
export async function prepareForDisplay(v: PyValue): Promise<void> {
  // Iterative, each container once: a list that holds itself, or one nested 10^5 deep, is no recursion here.
  const seen = new Set<PyValue>();
  const todo: PyValue[] = [v];
  while (todo.length) {
    const x = todo.pop() as PyValue;
    if (x instanceof HostValue) await x.prepare();
    else if ((x instanceof PyList || x instanceof PyTuple || x instanceof PyDict) && !seen.has(x)) {
      seen.add(x);
      if (x instanceof PyDict) for (const [k, y] of x.entries.values()) todo.push(k, y);
      else for (let i = x.items.length - 1; i >= 0; i--) todo.push(x.items[i] as PyValue);
    }
  }
}

export function isInt(v: PyValue): v is bigint {
  return typeof v === 'bigint';
}

export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'str';
  }
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyList) return 'list';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PySlice) return 'slice';
  if (v instanceof PyEllipsis) return 'ellipsis';
  if (v instanceof PyFunction) return 'function';
  if (v instanceof PyBuiltin) return 'builtin_function_or_method';
  if (v instanceof PyBoundMethod) return 'method';
  if (v instanceof PyModule) return 'module';
  if (v instanceof PyClass) return 'type';
  if (v instanceof PyObject) return v.cls.name;
  if (v instanceof PyIterator) return 'iterator';
  return v.typeName();
}
