/** The methods of Python's built-in values (list, tuple, dict, str) that the supported subset calls. */
import { repr } from './format';
import { checkChars, checkItems } from './limits';
import { equals, extendItems, formatSpec, hashKey, normIndex } from './semantics';
import type { CallArgs, CallSite, PyValue } from './values';
import { PyBuiltin, PyDict, PyError, PyList, PyTuple, Unsupported, prepareForDisplay, typeName } from './values';
import type { Interpreter } from './interpreter';

/** `obj.name` for a list, dict, string or tuple: the method, bound to obj, or undefined if there is none. */
export function builtinMethod(obj: PyList | PyDict | PyTuple | string, name: string, interp: Interpreter): PyValue | undefined {
  const m = (f: (a: CallArgs, site: CallSite) => PyValue | Promise<PyValue>): PyBuiltin => new PyBuiltin(name, f);
  if (obj instanceof PyList) {
    switch (name) {
      case 'append': return m((a, site) => (checkItems(obj.items.length + 1, site.node), obj.items.push(a.args[0] ?? null), null));
      case 'extend': return m(async (a, site) => (extendItems(obj.items, await interp.iterate(a.args[0] ?? null, site.node), site.node), null));
      case 'pop': return m((a, site) => {
        if (!obj.items.length) throw new PyError('IndexError', 'pop from empty list', site.node);
        const i = a.args[0] === undefined ? obj.items.length - 1 : normIndex(a.args[0], obj.items.length, 'pop', site.node);
        return obj.items.splice(i, 1)[0] as PyValue;
      });
      case 'insert': return m((a, site) => (checkItems(obj.items.length + 1, site.node), obj.items.splice(Number(a.args[0] ?? 0n), 0, a.args[1] ?? null), null));
      case 'index': return m((a, site) => {
        const i = obj.items.findIndex((x) => equals(x, a.args[0] ?? null));
        if (i < 0) throw new PyError('ValueError', `${repr(a.args[0] ?? null)} is not in list`, site.node);
        return BigInt(i);
      });
      case 'count': return m((a) => BigInt(obj.items.filter((x) => equals(x, a.args[0] ?? null)).length));
      case 'reverse': return m(() => (obj.items.reverse(), null));
      case 'copy': return m(() => new PyList([...obj.items]));
      case 'clear': return m(() => ((obj.items.length = 0), null));
    }
    return undefined;
  }
  if (obj instanceof PyTuple) {
    if (name === 'index') return m((a) => BigInt(obj.items.findIndex((x) => equals(x, a.args[0] ?? null))));
    if (name === 'count') return m((a) => BigInt(obj.items.filter((x) => equals(x, a.args[0] ?? null)).length));
    return undefined;
  }
  if (obj instanceof PyDict) {
    switch (name) {
      case 'keys': return m(() => new PyList([...obj.entries.values()].map(([k]) => k)));
      case 'values': return m(() => new PyList([...obj.entries.values()].map(([, v]) => v)));
      case 'items': return m(() => new PyList([...obj.entries.values()].map(([k, v]) => new PyTuple([k, v]))));
      case 'get': return m((a, site) => obj.entries.get(hashKey(a.args[0] ?? null, site.node))?.[1] ?? a.args[1] ?? null);
      case 'pop': return m((a, site) => {
        const key = hashKey(a.args[0] ?? null, site.node);
        const e = obj.entries.get(key);
        if (!e) {
          if (a.args.length > 1) return a.args[1] as PyValue;
          throw new PyError('KeyError', repr(a.args[0] ?? null), site.node);
        }
        obj.entries.delete(key);
        return e[1];
      });
      case 'update': return m((a) => {
        const d = a.args[0];
        if (d instanceof PyDict) for (const [k, v] of d.entries) obj.entries.set(k, v);
        return null;
      });
    }
    return undefined;
  }
  switch (name) {
    case 'format': return m(async (a, site) => {
      for (const v of [...a.args, ...a.kwargs.values()]) await prepareForDisplay(v);
      if (/\{[^{}]*\{/.test(obj.replace(/\{\{|\}\}/g, ''))) throw new Unsupported('nested replacement fields in str.format()', site.node);
      let auto = 0;
      return obj.replace(/\{([^{}:!]*)(?:!([rs]))?(?::([^{}]*))?\}|\{\{|\}\}/g, (whole, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
        if (whole === '{{') return '{';
        if (whole === '}}') return '}';
        const v = field ? (/^\d+$/.test(field) ? a.args[Number(field)] : a.kwargs.get(field)) : a.args[auto++];
        if (v === undefined) throw new PyError('IndexError', `Replacement index ${field || auto - 1} out of range for positional args tuple`, site.node);
        return formatSpec(conv === 'r' ? repr(v) : v, spec ?? '', site.node);
      });
    });
    case 'join': return m(async (a, site) => {
      const parts = await interp.iterate(a.args[0] ?? null, site.node);
      let n = Math.max(0, parts.length - 1) * obj.length;
      parts.forEach((x, i) => {
        if (typeof x !== 'string') throw new PyError('TypeError', `sequence item ${i}: expected str instance, ${typeName(x)} found`, site.node);
        n += x.length;
      });
      checkChars(n, site.node);
      return parts.join(obj);
    });
    case 'upper': return m(() => obj.toUpperCase());
    case 'lower': return m(() => obj.toLowerCase());
    case 'strip': return m(() => obj.trim());
    case 'split': return m((a) => new PyList((typeof a.args[0] === 'string' ? obj.split(a.args[0]) : obj.trim().split(/\s+/)).filter((s, _i, arr) => arr.length > 1 || s !== '')));
    case 'startswith': return m((a) => obj.startsWith(String(a.args[0])));
    case 'endswith': return m((a) => obj.endsWith(String(a.args[0])));
    case 'replace': return m((a, site) => {
      const [old, by] = [a.args[0], a.args[1]];
      if (typeof old !== 'string' || typeof by !== 'string') throw new PyError('TypeError', `replace() argument ${typeof old !== 'string' ? 1 : 2} must be str, not ${typeName((typeof old !== 'string' ? old : by) ?? null)}`, site.node);
      if (a.args.length > 2) throw new Unsupported('str.replace() with a count');
      // Python inserts at every position for an empty pattern, the two ends included: 'ab'.replace('', '-') == '-a-b-'.
      const parts = old === '' ? ['', ...obj, ''] : obj.split(old);
      checkChars(obj.length + (parts.length - 1) * (by.length - old.length), site.node);
      return parts.join(by);
    });
  }
  return undefined;
}
