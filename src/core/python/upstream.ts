/**
 * The boundary between "not supported by nbcheck" and the student's error. nbcheck provides part of
 * PyTorch's objects (the torch modules, Tensor, nn.Module and its layers, the optimizers); a name one of
 * them lacks is looked up in what PyTorch itself has (torch/pytorch-names.ts, registered by the torch
 * bindings): a name PyTorch has is a gap of nbcheck's, said as "not supported"; only a name PyTorch lacks
 * too is PyTorch's AttributeError or TypeError.
 */
import type { PyValue } from './values';
import { HostValue, PyClass, PyModule, PyObject } from './values';

let table: Readonly<Record<string, readonly string[]>> = {};
const sets = new Map<string, ReadonlySet<string>>();

export function setUpstreamNames(names: Readonly<Record<string, readonly string[]>>): void {
  table = names;
  sets.clear();
}

/** Whether PyTorch's object `qualified` (torch.nn.Linear, torch.Tensor, torch.nn.functional) has `name`; undefined when nbcheck does not know that object's names. */
export function upstreamHas(qualified: string, name: string): boolean | undefined {
  let s = sets.get(qualified);
  if (!s) {
    const list = table[qualified];
    if (!list) return undefined;
    s = new Set(list);
    sets.set(qualified, s);
  }
  return s.has(name);
}

/**
 * What to call `obj.name` when `obj` is one of the objects nbcheck provides in PyTorch's place and PyTorch's
 * own object has that name (or nbcheck cannot tell that it lacks it): then it is not supported by
 * nbcheck, not the student's error. Undefined for the student's own objects and names PyTorch lacks.
 */
export function upstreamGap(obj: PyValue, name: string): string | undefined {
  if (obj instanceof PyModule && (obj.name === 'torch' || obj.name.startsWith('torch.'))) {
    return upstreamHas(obj.name, name) === false ? undefined : `${obj.name}.${name}`;
  }
  if (obj instanceof HostValue && (obj.typeName() === 'Tensor' || obj.typeName() === 'Parameter')) {
    return upstreamHas('torch.Tensor', name) === false ? undefined : `Tensor.${name}`;
  }
  const cls = obj instanceof PyObject ? obj.cls : obj instanceof PyClass ? obj : undefined;
  const names = cls?.upstreamNames() ?? [];
  if (!cls || !names.length) return undefined;
  if (names.every((q) => upstreamHas(q, name) === false)) return undefined;
  const owner = cls.upstream ? cls.upstream.replace(/^torch\./, '') : `${cls.name} (a ${(names[0] as string).replace(/^torch\./, '')})`;
  return `${owner}.${name}`;
}

/** CPython 3's builtins: one nbcheck lacks is not supported by nbcheck, never the student's NameError. */
const PYTHON_BUILTINS: ReadonlySet<string> = new Set(["ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError", "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup", "False", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError", "ModuleNotFoundError", "NameError", "None", "NotADirectoryError", "NotImplemented", "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError", "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit", "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip"]);

export function isPythonBuiltin(name: string): boolean {
  return PYTHON_BUILTINS.has(name);
}
