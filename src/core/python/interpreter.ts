/**
 * A tree-walking interpreter for the Python subset nbcheck runs (see README, "Running exercise code").
 * Student code is untrusted: nothing here evaluates it as real Python or JavaScript, and every loop,
 * call and statement counts against the budgets.
 */
import type { SyntaxNode } from './parser';
import { repr, str } from './format';
import { builtinMethod } from './methods';
import { isPythonBuiltin, upstreamGap } from './upstream';
import { formatCount } from './limits';
import { arithmetic, didYouMean, equals, extendItems, formatSpec, hashKey, identical, normIndex, order, sliceIndices } from './semantics';
import type { CallArgs, CallSite, Param, PyErrorType, PyValue } from './values';
import {
  BudgetExceeded,
  HostValue,
  PyBoundMethod,
  PyBuiltin,
  PyClass,
  PyDict,
  PyEllipsis,
  PyError,
  PyFunction,
  PyIterator,
  PyList,
  PyModule,
  PyNamedTuple,
  PyObject,
  PyRange,
  PySlice,
  PyTuple,
  Scope,
  Unsupported,
  prepareForDisplay,
  typeName,
} from './values';

export interface Budgets {
  /** Statements, loop iterations, comprehension items and calls. */
  readonly maxSteps: number;
  /** Wall-clock time for one run, in milliseconds. */
  readonly maxMillis: number;
  /** Iterations of one `while` loop. */
  readonly maxWhileIterations: number;
  /** Call depth. */
  readonly maxDepth: number;
}

export const DEFAULT_BUDGETS: Budgets = { maxSteps: 1_000_000, maxMillis: 20_000, maxWhileIterations: 100_000, maxDepth: 100 };

/** Supplies importable modules by dotted name. */
export type ModuleResolver = (name: string) => PyModule | undefined;

type Completion = undefined | 'break' | 'continue' | { readonly value: PyValue };

export class SuperProxy {
  constructor(
    readonly cls: PyClass,
    readonly self: PyValue,
  ) {}
}

const SUPPORTED_MODULES = 'torch, torch.nn, torch.nn.functional, torch.optim, random, math, copy';

export class Interpreter {
  readonly globals: Scope;
  private steps = 0;
  private depth = 0;
  /** The scope of the statement running (a harness reads what a name means at the line it watches). */
  scope: Scope | undefined;
  private started = 0;
  private lastNode: SyntaxNode | undefined;
  /** Told each value a function written in the notebook returns (a harness watching which losses are computed). */
  onReturn: ((fn: PyFunction, result: PyValue, args: CallArgs) => void) | undefined;

  constructor(
    private readonly builtins: Scope,
    private readonly resolveModule: ModuleResolver,
    private readonly budgets: Budgets = DEFAULT_BUDGETS,
  ) {
    this.globals = new Scope(builtins);
  }

  /** The module being run. */
  private root: SyntaxNode | undefined;
  /** Told the (0-based) line of each top-level statement as it starts (a worker tells its parent). */
  onTopStatement: ((line: number) => void) | undefined;

  /** The wall-clock budget of one run, in milliseconds. */
  get timeBudget(): number {
    return this.budgets.maxMillis;
  }

  get stepsTaken(): number {
    return this.steps;
  }

  /** Runs a module (a cell). Errors propagate as PyError, Unsupported or BudgetExceeded with nodes. */
  async run(root: SyntaxNode): Promise<void> {
    this.started = Date.now();
    this.root = root;
    const c = await this.block(root, this.globals);
    if (c !== undefined) {
      if (c === 'break' || c === 'continue') throw new PyError('RuntimeError', `'${c}' outside loop`, root);
    }
  }

  /**
   * Runs only the imports, functions and classes a module defines, skipping any that fail: what later
   * cells of a notebook can rely on, without running the rest (plots, training loops, other modules).
   */
  async runDefinitions(root: SyntaxNode): Promise<void> {
    this.started = Date.now();
    for (const stmt of root.namedChildren) {
      if (!['import_statement', 'import_from_statement', 'function_definition', 'class_definition'].includes(stmt.type)) continue;
      try {
        await this.statement(stmt, this.globals);
      } catch (e) {
        if (!(e instanceof PyError || e instanceof Unsupported || e instanceof BudgetExceeded)) throw e;
      }
    }
  }

  // ---- budgets -------------------------------------------------------------------------------------

  private step(node: SyntaxNode): void {
    this.lastNode = node;
    if (++this.steps > this.budgets.maxSteps) {
      throw new BudgetExceeded(`stopped after ${formatCount(this.budgets.maxSteps)} steps at line ${node.startPosition.row + 1}`, node);
    }
    if ((this.steps & 1023) === 0 && Date.now() - this.started > this.budgets.maxMillis) {
      throw new BudgetExceeded(`stopped after ${this.budgets.maxMillis / 1000} s at line ${node.startPosition.row + 1}`, node);
    }
  }

  // ---- statements ----------------------------------------------------------------------------------

  private async block(node: SyntaxNode, scope: Scope): Promise<Completion> {
    for (const stmt of node.namedChildren) {
      if (!stmt || stmt.type === 'comment') continue;
      if (node === this.root) this.onTopStatement?.(stmt.startPosition.row);
      const c = await this.statement(stmt, scope);
      if (c !== undefined) return c;
    }
    return undefined;
  }

  private async statement(node: SyntaxNode, scope: Scope): Promise<Completion> {
    this.scope = scope;
    try {
      return await this.statementInner(node, scope);
    } catch (e) {
      throw placeAt(e, node);
    }
  }

  private async statementInner(node: SyntaxNode, scope: Scope): Promise<Completion> {
    this.step(node);
    switch (node.type) {
      case 'expression_statement': {
        const kids = node.namedChildren.filter((k): k is SyntaxNode => !!k && k.type !== 'comment');
        if (kids.length === 1) {
          const k = kids[0] as SyntaxNode;
          if (k.type === 'assignment') await this.assignment(k, scope);
          else if (k.type === 'augmented_assignment') await this.augmented(k, scope);
          else await this.eval(k, scope);
        } else {
          for (const k of kids) await this.eval(k, scope);
        }
        return undefined;
      }
      case 'pass_statement':
        return undefined;
      case 'break_statement':
        return 'break';
      case 'continue_statement':
        return 'continue';
      case 'return_statement': {
        const e = node.namedChildren.find((k) => k && k.type !== 'comment');
        return { value: e ? await this.eval(e, scope) : null };
      }
      case 'if_statement':
        return this.ifStatement(node, scope);
      case 'for_statement':
        return this.forStatement(node, scope);
      case 'while_statement':
        return this.whileStatement(node, scope);
      case 'function_definition': {
        const fn = this.makeFunction(node, scope);
        await this.fillDefaults(fn, scope);
        scope.vars.set(fn.name, fn);
        return undefined;
      }
      case 'class_definition':
        await this.classDefinition(node, scope);
        return undefined;
      case 'import_statement':
      case 'import_from_statement':
        this.importStatement(node, scope);
        return undefined;
      case 'future_import_statement':
        return undefined;
      case 'assert_statement': {
        const [cond, msg] = node.namedChildren.filter((k): k is SyntaxNode => !!k && k.type !== 'comment');
        if (cond && !(await this.truthy(await this.eval(cond, scope), cond))) {
          const text = msg ? str(await this.eval(msg, scope)) : '';
          throw new PyError('AssertionError', text, node);
        }
        return undefined;
      }
      case 'delete_statement': {
        for (const t of node.namedChildren) {
          if (!t) continue;
          const targets = t.type === 'expression_list' ? t.namedChildren : [t];
          for (const x of targets) {
            if (x?.type !== 'identifier') throw new Unsupported('del of anything but a name', node);
            if (!scope.vars.delete(x.text)) throw new PyError('NameError', `name '${x.text}' is not defined`, x);
          }
        }
        return undefined;
      }
      case 'raise_statement': {
        const e = node.namedChildren[0];
        if (!e) throw new PyError('RuntimeError', 'No active exception to reraise', node);
        if (e.type === 'call' && this.field(e, 'function').type === 'identifier') {
          const name = this.field(e, 'function').text;
          const args = this.field(e, 'arguments').namedChildren;
          const msg = args[0] ? str(await this.eval(args[0], scope)) : '';
          throw new PyError((KNOWN_ERRORS.has(name) ? name : 'RuntimeError') as PyErrorType, msg, node);
        }
        throw new Unsupported('this form of raise', node);
      }
      case 'with_statement':
        return this.withStatement(node, scope);
      case 'global_statement':
      case 'nonlocal_statement':
        throw new Unsupported(`'${node.type.split('_')[0]}'`, node);
      case 'try_statement':
        throw new Unsupported("'try'", node);
      case 'decorated_definition':
        throw new Unsupported('decorators', node);
      case 'match_statement':
        throw new Unsupported("'match'", node);
      default:
        throw new Unsupported(`'${node.type.replace(/_statement$/, '')}' statements`, node);
    }
  }

  private async ifStatement(node: SyntaxNode, scope: Scope): Promise<Completion> {
    const cond = this.field(node, 'condition');
    if (await this.truthy(await this.eval(cond, scope), cond)) return this.block(this.field(node, 'consequence'), scope);
    for (const alt of node.childrenForFieldName('alternative')) {
      if (!alt) continue;
      if (alt.type === 'elif_clause') {
        const c = this.field(alt, 'condition');
        if (await this.truthy(await this.eval(c, scope), c)) return this.block(this.field(alt, 'consequence'), scope);
      } else {
        return this.block(this.field(alt, 'body'), scope);
      }
    }
    return undefined;
  }

  private async forStatement(node: SyntaxNode, scope: Scope): Promise<Completion> {
    if (node.children.some((c) => c?.type === 'async')) throw new Unsupported("'async for'", node);
    const right = this.field(node, 'right');
    const items = await this.loopItems(await this.eval(right, scope), right);
    const left = this.field(node, 'left');
    const body = this.field(node, 'body');
    let broke = false;
    for (const item of items) {
      this.step(node);
      await this.assign(left, item, scope);
      const c = await this.block(body, scope);
      if (c === 'break') {
        broke = true;
        break;
      }
      if (c && c !== 'continue') return c;
    }
    const alt = node.childForFieldName('alternative');
    if (alt && !broke) return this.block(this.field(alt, 'body'), scope);
    return undefined;
  }

  private async whileStatement(node: SyntaxNode, scope: Scope): Promise<Completion> {
    const cond = this.field(node, 'condition');
    const body = this.field(node, 'body');
    let n = 0;
    while (await this.truthy(await this.eval(cond, scope), cond)) {
      if (++n > this.budgets.maxWhileIterations) {
        throw new BudgetExceeded(`stopped a while loop after ${formatCount(this.budgets.maxWhileIterations)} iterations at line ${node.startPosition.row + 1}`, node);
      }
      this.step(node);
      const c = await this.block(body, scope);
      if (c === 'break') return undefined;
      if (c && c !== 'continue') return c;
    }
    const alt = node.childForFieldName('alternative');
    if (alt) return this.block(this.field(alt, 'body'), scope);
    return undefined;
  }

  private async withStatement(node: SyntaxNode, scope: Scope): Promise<Completion> {
    const clause = node.namedChildren.find((k) => k?.type === 'with_clause');
    const items = clause?.namedChildren.filter((k): k is SyntaxNode => k?.type === 'with_item') ?? [];
    const exits: (() => void)[] = [];
    try {
      for (const item of items) {
        const valueNode = this.field(item, 'value');
        const target = valueNode.type === 'as_pattern' ? valueNode.childForFieldName('alias') : null;
        const exprNode = valueNode.type === 'as_pattern' ? (valueNode.namedChildren[0] as SyntaxNode) : valueNode;
        const ctx = await this.eval(exprNode, scope);
        const enter = ctx instanceof HostValue ? ctx.getAttr('__enter__') : undefined;
        const exit = ctx instanceof HostValue ? ctx.getAttr('__exit__') : undefined;
        if (!(enter instanceof PyBuiltin) || !(exit instanceof PyBuiltin)) throw new Unsupported(`'with' over ${typeName(ctx)}`, exprNode);
        const site = this.site(exprNode, []);
        const entered = await enter.call({ args: [], kwargs: new Map() }, site);
        exits.push(() => void exit.call({ args: [], kwargs: new Map() }, site));
        if (target) await this.assign(target.type === 'as_pattern_target' ? (target.namedChildren[0] as SyntaxNode) : target, entered, scope);
      }
      return await this.block(this.field(node, 'body'), scope);
    } finally {
      for (const exit of exits.reverse()) exit();
    }
  }

  private makeFunction(node: SyntaxNode, scope: Scope, isLambda = false): PyFunction {
    if (node.children.some((c) => c?.type === 'async')) throw new Unsupported("'async def'", node);
    const params: Param[] = [];
    const paramsNode = node.childForFieldName('parameters');
    const pending: { index: number; node: SyntaxNode }[] = [];
    for (const p of paramsNode?.namedChildren ?? []) {
      if (!p || p.type === 'comment') continue;
      switch (p.type) {
        case 'identifier':
          params.push({ name: p.text, kind: 'positional' });
          break;
        case 'typed_parameter': {
          const inner = p.namedChildren[0] as SyntaxNode;
          if (inner.type === 'list_splat_pattern') params.push({ name: (inner.namedChildren[0] as SyntaxNode).text, kind: 'varargs' });
          else if (inner.type === 'dictionary_splat_pattern') params.push({ name: (inner.namedChildren[0] as SyntaxNode).text, kind: 'kwargs' });
          else params.push({ name: inner.text, kind: 'positional' });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          pending.push({ index: params.length, node: this.field(p, 'value') });
          params.push({ name: this.field(p, 'name').text, kind: 'positional' });
          break;
        case 'list_splat_pattern':
          params.push({ name: (p.namedChildren[0] as SyntaxNode).text, kind: 'varargs' });
          break;
        case 'dictionary_splat_pattern':
          params.push({ name: (p.namedChildren[0] as SyntaxNode).text, kind: 'kwargs' });
          break;
        case 'keyword_separator':
        case 'positional_separator':
          break;
        default:
          throw new Unsupported(`parameters like '${p.text}'`, p);
      }
    }
    const name = isLambda ? '<lambda>' : this.field(node, 'name').text;
    const body = this.field(node, 'body');
    const fn = new PyFunction(name, params, body, scope, isLambda, node);
    // Defaults are evaluated once, at definition time (filled in by the caller's await below).
    (fn as { pendingDefaults?: typeof pending }).pendingDefaults = pending;
    return fn;
  }

  private async classDefinition(node: SyntaxNode, scope: Scope): Promise<void> {
    const name = this.field(node, 'name').text;
    const bases: PyClass[] = [];
    for (const b of node.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (!b) continue;
      const v = await this.eval(b, scope);
      if (!(v instanceof PyClass)) throw new Unsupported(`a class deriving from ${typeName(v)}`, b);
      bases.push(v);
    }
    const cls = new PyClass(name, bases, new Map());
    const body = new Scope(scope);
    for (const stmt of this.field(node, 'body').namedChildren) {
      if (!stmt || stmt.type === 'comment') continue;
      if (stmt.type === 'function_definition') {
        const fn = this.makeFunction(stmt, scope);
        await this.fillDefaults(fn, scope);
        (fn as { definingClass?: PyClass }).definingClass = cls;
        cls.attrs.set(fn.name, fn);
      } else if (stmt.type === 'expression_statement' || stmt.type === 'pass_statement') {
        await this.statement(stmt, body);
      } else {
        throw new Unsupported(`${stmt.type.replace(/_/g, ' ')} in a class body`, stmt);
      }
    }
    for (const [k, v] of body.vars) cls.attrs.set(k, v);
    scope.vars.set(name, cls);
  }

  private importStatement(node: SyntaxNode, scope: Scope): void {
    const load = (nameNode: SyntaxNode): PyModule => {
      const name = nameNode.text.replace(/\s+/g, '');
      const mod = this.resolveModule(name);
      if (!mod) {
        throw new Unsupported(`importing '${name}' (nbcheck runs ${SUPPORTED_MODULES})`, nameNode);
      }
      return mod;
    };
    if (node.type === 'import_statement') {
      for (const item of node.namedChildren) {
        if (!item) continue;
        if (item.type === 'aliased_import') {
          scope.vars.set(this.field(item, 'alias').text, load(this.field(item, 'name')));
        } else {
          const mod = load(item);
          // `import torch.nn` binds `torch`.
          const top = item.text.split('.')[0] as string;
          scope.vars.set(top, top === mod.name ? mod : (this.resolveModule(top) as PyModule));
        }
      }
      return;
    }
    const moduleNode = this.field(node, 'module_name');
    if (moduleNode.type === 'relative_import') throw new Unsupported('relative imports', moduleNode);
    const mod = load(moduleNode);
    if (node.namedChildren.some((k) => k?.type === 'wildcard_import')) {
      for (const [k, v] of mod.attrs) if (!k.startsWith('_')) scope.vars.set(k, v);
      return;
    }
    for (const item of node.childrenForFieldName('name')) {
      if (!item) continue;
      const [nameNode, aliasNode] = item.type === 'aliased_import' ? [this.field(item, 'name'), this.field(item, 'alias')] : [item, item];
      const name = nameNode.text;
      const v = mod.attrs.get(name) ?? this.resolveModule(`${mod.name}.${name}`);
      if (v === undefined) {
        throw new PyError('ImportError', `cannot import name '${name}' from '${mod.name}'${didYouMean(name, [...mod.attrs.keys()])}`, nameNode);
      }
      scope.vars.set(aliasNode.text, v);
    }
  }

  // ---- assignment ----------------------------------------------------------------------------------

  private async assignment(node: SyntaxNode, scope: Scope): Promise<void> {
    // a = b = value: the right-most value is assigned to every target, left to right.
    const targets: SyntaxNode[] = [];
    let cur: SyntaxNode = node;
    while (cur.type === 'assignment') {
      const right = cur.childForFieldName('right');
      if (!right) return; // annotation only: `x: int`
      targets.push(this.field(cur, 'left'));
      cur = right;
    }
    const value = await this.eval(cur, scope);
    for (const t of targets) await this.assign(t, value, scope);
  }

  /**
   * `target op= value`, as Python runs it: the target's object and index are evaluated once, the current
   * value is updated in place when it can be (a tensor, a list) and stored back into the subscript or
   * attribute either way (`a[i] += v` is `t = a[i]; t += v; a[i] = t`: a write through a tensor view).
   */
  private async augmented(node: SyntaxNode, scope: Scope): Promise<void> {
    const left = this.field(node, 'left');
    const right = this.field(node, 'right');
    const op = (node.childForFieldName('operator')?.text ?? '').replace('=', '');
    let current: PyValue;
    let store: (v: PyValue) => Promise<void>;
    if (left.type === 'subscript') {
      const obj = await this.eval(this.field(left, 'value'), scope);
      const index = await this.subscriptIndex(left, scope);
      current = await this.getItem(obj, index, left);
      store = (v) => this.setItem(obj, index, v, left);
    } else if (left.type === 'attribute') {
      const obj = await this.eval(this.field(left, 'object'), scope);
      const attr = this.field(left, 'attribute');
      current = await this.attribute(obj, attr, left);
      store = (v) => this.setAttribute(obj, attr.text, v, left);
    } else {
      current = await this.eval(left, scope);
      store = (v) => this.assign(left, v, scope);
    }
    const value = await this.eval(right, scope);
    const site = this.site(node, []);
    const inPlace = (current instanceof HostValue && (await current.inplace(op, value, site))) || (current instanceof PyList && op === '+' && (extendItems(current.items, await this.iterate(value, right), node), true));
    if (inPlace && left.type === 'identifier') return;
    await store(inPlace ? current : await this.binary(op, current, value, node));
  }

  async assign(target: SyntaxNode, value: PyValue, scope: Scope): Promise<void> {
    switch (target.type) {
      case 'identifier':
        scope.vars.set(target.text, value);
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const targets = target.namedChildren.filter((k): k is SyntaxNode => !!k && k.type !== 'comment');
        const items = await this.iterate(value, target);
        const star = targets.findIndex((t) => t.type === 'list_splat_pattern');
        if (star < 0) {
          if (items.length !== targets.length) {
            throw new PyError(
              'ValueError',
              items.length > targets.length ? `too many values to unpack (expected ${targets.length})` : `not enough values to unpack (expected ${targets.length}, got ${items.length})`,
              target,
            );
          }
          for (let i = 0; i < targets.length; i++) await this.assign(targets[i] as SyntaxNode, items[i] as PyValue, scope);
          return;
        }
        const after = targets.length - star - 1;
        if (items.length < targets.length - 1) throw new PyError('ValueError', `not enough values to unpack (expected at least ${targets.length - 1}, got ${items.length})`, target);
        for (let i = 0; i < star; i++) await this.assign(targets[i] as SyntaxNode, items[i] as PyValue, scope);
        await this.assign((targets[star] as SyntaxNode).namedChildren[0] as SyntaxNode, new PyList(items.slice(star, items.length - after)), scope);
        for (let i = 0; i < after; i++) await this.assign(targets[star + 1 + i] as SyntaxNode, items[items.length - after + i] as PyValue, scope);
        return;
      }
      case 'parenthesized_expression':
        return this.assign(target.namedChildren[0] as SyntaxNode, value, scope);
      case 'attribute':
        return this.setAttribute(await this.eval(this.field(target, 'object'), scope), this.field(target, 'attribute').text, value, target);
      case 'subscript': {
        const obj = await this.eval(this.field(target, 'value'), scope);
        const index = await this.subscriptIndex(target, scope);
        await this.setItem(obj, index, value, target);
        return;
      }
      default:
        throw new Unsupported(`assigning to '${target.text}'`, target);
    }
  }

  private async setAttribute(obj: PyValue, name: string, value: PyValue, target: SyntaxNode): Promise<void> {
    if (obj instanceof PyObject) {
      const setter = obj.cls.lookup('__setattr_hook__');
      if (setter instanceof PyBuiltin) await setter.call({ args: [obj, name, value], kwargs: new Map() }, this.site(target, []));
      obj.attrs.set(name, value);
      return;
    }
    if (obj instanceof HostValue) {
      const setter = obj.getAttr('__setattr__');
      if (setter instanceof PyBuiltin) {
        await setter.call({ args: [name, value], kwargs: new Map() }, this.site(target, []));
        return;
      }
    }
    throw new PyError('AttributeError', `'${typeName(obj)}' object attribute '${name}' is read-only`, target);
  }

  private async setItem(obj: PyValue, index: PyValue, value: PyValue, node: SyntaxNode): Promise<void> {
    if (obj instanceof PyList) {
      if (index instanceof PySlice) throw new Unsupported('assigning to a list slice', node);
      obj.items[normIndex(index, obj.items.length, 'list assignment', node)] = value;
      return;
    }
    if (obj instanceof PyDict) {
      obj.entries.set(hashKey(index, node), [index, value]);
      return;
    }
    if (obj instanceof HostValue && (await obj.setItem(index, value, this.site(node, [])))) return;
    const gap = upstreamGap(obj, '__setitem__');
    if (gap) throw new Unsupported(`item assignment (${gap})`, node);
    throw new PyError('TypeError', `'${typeName(obj)}' object does not support item assignment`, node);
  }

  // ---- expressions ---------------------------------------------------------------------------------

  async eval(node: SyntaxNode, scope: Scope): Promise<PyValue> {
    try {
      return await this.evalInner(node, scope);
    } catch (e) {
      throw placeAt(e, node);
    }
  }

  private async evalInner(node: SyntaxNode, scope: Scope): Promise<PyValue> {
    this.lastNode = node;
    switch (node.type) {
      case 'identifier': {
        const v = scope.lookup(node.text);
        if (v === undefined && !hasName(scope, node.text)) {
          if (isPythonBuiltin(node.text)) throw new Unsupported(`the builtin ${node.text}()`, node);
          throw new PyError('NameError', `name '${node.text}' is not defined${didYouMean(node.text, visibleNames(scope))}`, node);
        }
        return v as PyValue;
      }
      case 'integer':
        return parseInteger(node);
      case 'float':
        if (/[jJ]$/.test(node.text)) throw new Unsupported('complex numbers', node);
        return Number(node.text.replace(/_/g, ''));
      case 'true':
        return true;
      case 'false':
        return false;
      case 'none':
        return null;
      case 'ellipsis':
        return PyEllipsis.instance;
      case 'string':
        return this.string(node, scope);
      case 'concatenated_string': {
        let s = '';
        for (const k of node.namedChildren) if (k && k.type === 'string') s += await this.string(k, scope);
        return s;
      }
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((k) => k && k.type !== 'comment');
        if (!inner) return new PyTuple([]);
        return this.eval(inner, scope);
      }
      case 'tuple':
      case 'expression_list':
        return new PyTuple(await this.elements(node, scope));
      case 'list':
        return new PyList(await this.elements(node, scope));
      case 'dictionary': {
        const d = new PyDict();
        for (const pair of node.namedChildren) {
          if (!pair || pair.type === 'comment') continue;
          if (pair.type !== 'pair') throw new Unsupported('dictionary unpacking', pair);
          const k = await this.eval(this.field(pair, 'key'), scope);
          d.entries.set(hashKey(k, pair), [k, await this.eval(this.field(pair, 'value'), scope)]);
        }
        return d;
      }
      case 'binary_operator': {
        const left = await this.eval(this.field(node, 'left'), scope);
        const right = await this.eval(this.field(node, 'right'), scope);
        return this.binary(this.field(node, 'operator').text, left, right, node);
      }
      case 'unary_operator':
        return this.unary(this.field(node, 'operator').text, await this.eval(this.field(node, 'argument'), scope), node);
      case 'not_operator': {
        const arg = this.field(node, 'argument');
        return !(await this.truthy(await this.eval(arg, scope), arg));
      }
      case 'boolean_operator': {
        const leftNode = this.field(node, 'left');
        const left = await this.eval(leftNode, scope);
        const isAnd = this.field(node, 'operator').text === 'and';
        const t = await this.truthy(left, leftNode);
        if (isAnd ? !t : t) return left;
        return this.eval(this.field(node, 'right'), scope);
      }
      case 'comparison_operator':
        return this.comparison(node, scope);
      case 'conditional_expression': {
        const [a, cond, b] = node.namedChildren as SyntaxNode[];
        return (await this.truthy(await this.eval(cond as SyntaxNode, scope), cond as SyntaxNode)) ? this.eval(a as SyntaxNode, scope) : this.eval(b as SyntaxNode, scope);
      }
      case 'attribute':
        return this.attribute(await this.eval(this.field(node, 'object'), scope), this.field(node, 'attribute'), node);
      case 'subscript': {
        const obj = await this.eval(this.field(node, 'value'), scope);
        return this.getItem(obj, await this.subscriptIndex(node, scope), node);
      }
      case 'call':
        return this.callExpression(node, scope);
      case 'lambda': {
        const fn = this.makeFunction(node, scope, true);
        await this.fillDefaults(fn, scope);
        return fn;
      }
      case 'list_comprehension':
        return new PyList(await this.comprehension(node, scope));
      case 'generator_expression': {
        const items = await this.comprehension(node, scope);
        let i = 0;
        return new PyIterator(() => (i < items.length ? { value: items[i++] as PyValue } : undefined));
      }
      case 'dictionary_comprehension': {
        const d = new PyDict();
        const pairs = await this.comprehension(node, scope, true);
        for (const p of pairs) {
          const [k, v] = (p as PyTuple).items as [PyValue, PyValue];
          d.entries.set(hashKey(k, node), [k, v]);
        }
        return d;
      }
      case 'slice':
        throw new Unsupported('a slice outside brackets', node);
      case 'set':
      case 'set_comprehension':
        throw new Unsupported('sets', node);
      case 'named_expression':
        throw new Unsupported("the ':=' operator", node);
      case 'await':
      case 'yield':
        throw new Unsupported(`'${node.type}'`, node);
      case 'ERROR':
        throw new PyError('RuntimeError', 'invalid syntax', node);
      default:
        throw new Unsupported(`'${node.type.replace(/_/g, ' ')}' expressions`, node);
    }
  }

  private async elements(node: SyntaxNode, scope: Scope): Promise<PyValue[]> {
    const out: PyValue[] = [];
    for (const k of node.namedChildren) {
      if (!k || k.type === 'comment') continue;
      if (k.type === 'list_splat') extendItems(out, await this.iterate(await this.eval(k.namedChildren[0] as SyntaxNode, scope), k), k);
      else out.push(await this.eval(k, scope));
    }
    return out;
  }

  private async string(node: SyntaxNode, scope: Scope): Promise<string> {
    const start = node.children[0]?.text ?? '';
    const prefix = start.replace(/['"]+$/, '').toLowerCase();
    if (prefix.includes('b')) throw new Unsupported('bytes literals', node);
    const raw = prefix.includes('r');
    let out = '';
    for (const part of node.children) {
      if (!part) continue;
      if (part.type === 'string_content') out += raw ? part.text : unescape(part.text);
      else if (part.type === 'escape_sequence') out += raw ? part.text : unescape(part.text);
      else if (part.type === 'interpolation') out += await this.interpolation(part, scope);
    }
    return out;
  }

  private async interpolation(node: SyntaxNode, scope: Scope): Promise<string> {
    const expr = this.field(node, 'expression');
    const v = await this.eval(expr, scope);
    await prepareForDisplay(v);
    const conv = node.childForFieldName('type_conversion')?.text;
    const specNode = node.childForFieldName('format_specifier');
    let spec = '';
    if (specNode) {
      // Nested fields (`f"{x:>{w}.{p}f}"`) are evaluated and put in their place, as Python does.
      let at = specNode.startIndex;
      for (const c of specNode.children) {
        if (!c || c.type !== 'format_expression') continue;
        spec += specNode.text.slice(at - specNode.startIndex, c.startIndex - specNode.startIndex);
        const inner = c.namedChildren.find((k) => k?.type !== 'type_conversion' && k?.type !== 'format_specifier');
        const w = inner ? await this.eval(inner, scope) : '';
        await prepareForDisplay(w);
        spec += str(w);
        at = c.endIndex;
      }
      spec = (spec + specNode.text.slice(at - specNode.startIndex)).replace(/^:/, '');
    }
    const shown = conv === '!r' ? repr(v) : v;
    return formatSpec(shown, spec, node);
  }

  private async comparison(node: SyntaxNode, scope: Scope): Promise<PyValue> {
    const operands: SyntaxNode[] = [];
    const ops: string[] = [];
    for (const c of node.children) {
      if (!c || c.type === 'comment') continue;
      if (c.isNamed) operands.push(c);
      else ops.push(c.type);
    }
    let left = await this.eval(operands[0] as SyntaxNode, scope);
    let result: PyValue = true;
    for (let i = 0; i < ops.length; i++) {
      const right = await this.eval(operands[i + 1] as SyntaxNode, scope);
      result = await this.compare(ops[i] as string, left, right, node);
      if (ops.length > 1 && !(await this.truthy(result, node))) return result;
      left = right;
    }
    return result;
  }

  private async subscriptIndex(node: SyntaxNode, scope: Scope): Promise<PyValue> {
    const parts = node.childrenForFieldName('subscript').filter((k): k is SyntaxNode => !!k);
    const values: PyValue[] = [];
    for (const p of parts) values.push(p.type === 'slice' ? await this.slice(p, scope) : await this.eval(p, scope));
    return parts.length === 1 ? (values[0] as PyValue) : new PyTuple(values);
  }

  private async slice(node: SyntaxNode, scope: Scope): Promise<PySlice> {
    const slots: (SyntaxNode | undefined)[] = [undefined, undefined, undefined];
    let slot = 0;
    for (const c of node.children) {
      if (!c) continue;
      if (c.type === ':') slot++;
      else if (c.isNamed && c.type !== 'comment') slots[slot] = c;
    }
    const ev = async (n: SyntaxNode | undefined): Promise<PyValue> => (n ? this.eval(n, scope) : null);
    return new PySlice(await ev(slots[0]), await ev(slots[1]), await ev(slots[2]));
  }

  private async comprehension(node: SyntaxNode, scope: Scope, dict = false): Promise<PyValue[]> {
    const body = this.field(node, 'body');
    const clauses = node.namedChildren.filter((k): k is SyntaxNode => !!k && (k.type === 'for_in_clause' || k.type === 'if_clause'));
    const out: PyValue[] = [];
    const inner = new Scope(scope);
    const run = async (i: number): Promise<void> => {
      if (i === clauses.length) {
        this.step(body);
        if (dict) out.push(new PyTuple([await this.eval(this.field(body, 'key'), inner), await this.eval(this.field(body, 'value'), inner)]));
        else out.push(await this.eval(body, inner));
        return;
      }
      const c = clauses[i] as SyntaxNode;
      if (c.type === 'if_clause') {
        const cond = c.namedChildren[0] as SyntaxNode;
        if (await this.truthy(await this.eval(cond, inner), cond)) await run(i + 1);
        return;
      }
      const right = this.field(c, 'right');
      for (const item of await this.loopItems(await this.eval(right, i === 0 ? scope : inner), right)) {
        this.step(c);
        await this.assign(this.field(c, 'left'), item, inner);
        await run(i + 1);
      }
    };
    await run(0);
    return out;
  }

  private attribute(obj: PyValue, nameNode: SyntaxNode, node: SyntaxNode): PyValue {
    const name = nameNode.text;
    const v = this.getAttr(obj, name);
    if (v !== undefined) return v;
    // nbcheck implements part of torch: a name PyTorch has (or might have) is nbcheck's gap, not an error.
    const gap = upstreamGap(obj, name);
    if (gap) throw new Unsupported(gap, nameNode);
    const owner = obj instanceof PyModule ? `module '${obj.name}'` : `'${typeName(obj)}' object`;
    const candidates = attributeNames(obj);
    throw new PyError('AttributeError', `${owner} has no attribute '${name}'${didYouMean(name, candidates)}`, nameNode ?? node);
  }

  getAttr(obj: PyValue, name: string): PyValue | undefined {
    if (obj instanceof PyModule) return obj.attrs.get(name) ?? this.resolveModule(`${obj.name}.${name}`);
    if (obj instanceof PyObject) {
      if (obj.attrs.has(name)) return obj.attrs.get(name) as PyValue;
      const v = obj.cls.lookup(name);
      if (v instanceof PyFunction || v instanceof PyBuiltin) return new PyBoundMethod(obj, v);
      if (v !== undefined) return v;
      const hook = obj.cls.lookup('__getattr_hook__');
      if (hook instanceof PyBuiltin) {
        const r = hook.call({ args: [obj, name], kwargs: new Map() }, this.site(this.lastNode as SyntaxNode, []));
        if (r !== undefined && !(r instanceof Promise)) return r;
      }
      return undefined;
    }
    if (obj instanceof SuperProxy) {
      for (const base of obj.cls.bases) {
        const v = base.lookup(name);
        if (v instanceof PyFunction || v instanceof PyBuiltin) return new PyBoundMethod(obj.self, v);
        if (v !== undefined) return v;
      }
      return undefined;
    }
    if (obj instanceof PyClass) return name === '__name__' ? obj.name : obj.lookup(name);
    if (obj instanceof HostValue) return obj.getAttr(name);
    if (obj instanceof PyNamedTuple) {
      const f = obj.field(name);
      if (f !== undefined) return f;
    }
    if (obj instanceof PyList || obj instanceof PyDict || typeof obj === 'string' || obj instanceof PyTuple) return builtinMethod(obj, name, this);
    if (typeof obj === 'number' && name === 'is_integer') return new PyBuiltin('is_integer', () => Number.isInteger(obj));
    if (typeof obj === 'bigint' || typeof obj === 'number') {
      if (name === 'real') return obj;
      if (name === 'imag') return typeof obj === 'bigint' ? 0n : 0;
    }
    return undefined;
  }

  private async getItem(obj: PyValue, index: PyValue, node: SyntaxNode): Promise<PyValue> {
    if (obj instanceof PyList || obj instanceof PyTuple || typeof obj === 'string' || obj instanceof PyRange) {
      const items = obj instanceof PyRange ? undefined : typeof obj === 'string' ? [...obj] : obj.items;
      const length = items ? items.length : (obj as PyRange).length;
      if (index instanceof PySlice) {
        if (!items) throw new Unsupported('slicing a range', node);
        const [start, stop, step] = sliceIndices(index, length, node);
        const out: PyValue[] = [];
        for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(items[i] as PyValue);
        if (typeof obj === 'string') return out.join('');
        return obj instanceof PyList ? new PyList(out) : new PyTuple(out);
      }
      const kind = obj instanceof PyList ? 'list' : obj instanceof PyTuple ? 'tuple' : typeof obj === 'string' ? 'string' : 'range object';
      const i = normIndex(index, length, kind, node);
      return items ? (items[i] as PyValue) : (obj as PyRange).at(i);
    }
    if (obj instanceof PyDict) {
      const e = obj.entries.get(hashKey(index, node));
      if (!e) throw new PyError('KeyError', repr(index), node);
      return e[1];
    }
    if (obj instanceof HostValue) {
      const v = await obj.getItem(index, this.site(node, []));
      if (v !== undefined) return v;
    }
    const hook = providedDunder(obj, '__getitem__');
    if (hook) return this.call(hook, { args: [obj, index], kwargs: new Map() }, this.site(node, []));
    const gap = upstreamGap(obj, '__getitem__');
    if (gap) throw new Unsupported(`indexing (${gap})`, node);
    throw new PyError('TypeError', `'${typeName(obj)}' object is not subscriptable`, node);
  }

  // ---- calls ---------------------------------------------------------------------------------------

  private async callExpression(node: SyntaxNode, scope: Scope): Promise<PyValue> {
    const fnNode = this.field(node, 'function');
    const fn = await this.eval(fnNode, scope);
    const argsNode = this.field(node, 'arguments');
    const args: PyValue[] = [];
    const argNodes: SyntaxNode[] = [];
    const kwargs = new Map<string, PyValue>();
    const kwNodes = new Map<string, SyntaxNode>();
    if (argsNode.type === 'generator_expression') {
      args.push(await this.eval(argsNode, scope));
      argNodes.push(argsNode);
    } else {
      for (const a of argsNode.namedChildren) {
        if (!a || a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const name = this.field(a, 'name').text;
          if (kwargs.has(name)) throw new PyError('TypeError', `keyword argument repeated: ${name}`, a);
          kwargs.set(name, await this.eval(this.field(a, 'value'), scope));
          kwNodes.set(name, a);
        } else if (a.type === 'list_splat') {
          for (const v of await this.iterate(await this.eval(a.namedChildren[0] as SyntaxNode, scope), a)) {
            args.push(v);
            argNodes.push(a);
          }
        } else if (a.type === 'dictionary_splat') {
          const d = await this.eval(a.namedChildren[0] as SyntaxNode, scope);
          if (!(d instanceof PyDict)) throw new PyError('TypeError', `argument after ** must be a mapping, not ${typeName(d)}`, a);
          for (const [k, v] of d.entries.values()) {
            if (typeof k !== 'string') throw new PyError('TypeError', 'keywords must be strings', a);
            kwargs.set(k, v);
            kwNodes.set(k, a);
          }
        } else {
          args.push(await this.eval(a, scope));
          argNodes.push(a);
        }
      }
    }
    if (fnNode.type === 'identifier' && fnNode.text === 'super' && fn instanceof PyBuiltin && fn.name === 'super' && args.length === 0) {
      const cls = scope.lookup('__class__');
      const self = scope.lookup('__self__');
      if (!(cls instanceof PyClass)) throw new PyError('RuntimeError', 'super(): no arguments', node);
      return new SuperProxy(cls, self ?? null) as unknown as PyValue;
    }
    return this.call(fn, { args, kwargs }, this.site(node, argNodes, kwNodes));
  }

  site(node: SyntaxNode, argNodes: readonly SyntaxNode[], kwNodes: ReadonlyMap<string, SyntaxNode> = new Map()): CallSite {
    return {
      node,
      argNode: (which) => (typeof which === 'number' ? argNodes[which] : kwNodes.get(which)),
    };
  }

  /** Calls any callable value. */
  async call(fn: PyValue, a: CallArgs, site: CallSite): Promise<PyValue> {
    this.step(site.node);
    if (++this.depth > this.budgets.maxDepth) {
      this.depth = 0;
      throw new BudgetExceeded(`stopped at call depth ${this.budgets.maxDepth} (runaway recursion?) at line ${site.node.startPosition.row + 1}`, site.node);
    }
    try {
      return await this.callInner(fn, a, site);
    } catch (e) {
      if (e instanceof PyError && !e.node) e.node = (e.arg !== undefined ? site.argNode(e.arg) : undefined) ?? site.node;
      if ((e instanceof Unsupported || e instanceof BudgetExceeded) && !e.node) e.node = site.node;
      throw e;
    } finally {
      this.depth--;
    }
  }

  private async callInner(fn: PyValue, a: CallArgs, site: CallSite): Promise<PyValue> {
    if (fn instanceof PyBuiltin) return fn.call(fn.self !== undefined ? { args: [fn.self, ...a.args], kwargs: a.kwargs } : a, site);
    if (fn instanceof PyFunction) {
      const r = await this.callFunction(fn, a, site);
      this.onReturn?.(fn, r, a);
      return r;
    }
    if (fn instanceof PyBoundMethod) return this.call(fn.fn, { args: [fn.self, ...a.args], kwargs: a.kwargs }, site);
    if (fn instanceof PyClass) {
      const make = fn.lookup('__new__');
      if (make instanceof PyBuiltin) return make.call(a, site);
      const obj = new PyObject(fn);
      for (let c: PyClass | undefined = fn; c; c = c.bases[0]) {
        if (c.construct) {
          await c.construct(obj, { args: [], kwargs: new Map() }, site);
          break;
        }
      }
      const init = fn.lookup('__init__');
      if (init instanceof PyFunction || init instanceof PyBuiltin) await this.call(init, { args: [obj, ...a.args], kwargs: a.kwargs }, site);
      return obj;
    }
    if (fn instanceof PyObject) {
      const c = fn.cls.lookup('__call__');
      if (c instanceof PyFunction || c instanceof PyBuiltin) return this.call(c, { args: [fn, ...a.args], kwargs: a.kwargs }, site);
    }
    if (fn instanceof HostValue) {
      const c = fn.getAttr('__call__');
      if (c instanceof PyBuiltin) return c.call(a, site);
    }
    const gap = upstreamGap(fn, '__call__');
    if (gap) throw new Unsupported(`calling (${gap})`, site.node);
    throw new PyError('TypeError', `'${typeName(fn)}' object is not callable`, site.node);
  }

  private async fillDefaults(fn: PyFunction, scope: Scope): Promise<void> {
    const holder = fn as { pendingDefaults?: { index: number; node: SyntaxNode }[] };
    const pending = holder.pendingDefaults;
    if (!pending) return;
    delete holder.pendingDefaults;
    const params = fn.params as Param[];
    for (const { index, node } of pending) params[index] = { ...(params[index] as Param), default: await this.eval(node, scope) };
  }

  private async callFunction(fn: PyFunction, a: CallArgs, site: CallSite): Promise<PyValue> {
    await this.fillDefaults(fn, fn.closure);
    const local = new Scope(fn.closure);
    const positional = fn.params.filter((p) => p.kind === 'positional');
    const varargs = fn.params.find((p) => p.kind === 'varargs');
    const varkw = fn.params.find((p) => p.kind === 'kwargs');
    const display = `${fn.name}()`;
    if (a.args.length > positional.length && !varargs) {
      throw new PyError('TypeError', `${display} takes ${positional.length} positional argument${positional.length === 1 ? '' : 's'} but ${a.args.length} ${a.args.length === 1 ? 'was' : 'were'} given`, site.node);
    }
    positional.forEach((p, i) => {
      if (i < a.args.length) local.vars.set(p.name, a.args[i] as PyValue);
    });
    if (varargs) local.vars.set(varargs.name, new PyTuple(a.args.slice(positional.length)));
    const extra = new PyDict();
    for (const [k, v] of a.kwargs) {
      const p = positional.find((q) => q.name === k);
      if (p) {
        if (local.vars.has(k)) throw new PyError('TypeError', `${display} got multiple values for argument '${k}'`, site.argNode(k) ?? site.node);
        local.vars.set(k, v);
      } else if (varkw) {
        extra.entries.set(hashKey(k, site.node), [k, v]);
      } else {
        throw new PyError('TypeError', `${display} got an unexpected keyword argument '${k}'${didYouMean(k, positional.map((q) => q.name))}`, site.argNode(k) ?? site.node);
      }
    }
    if (varkw) local.vars.set(varkw.name, extra);
    const missing = positional.filter((p) => !local.vars.has(p.name) && p.default === undefined && !('default' in p));
    if (missing.length) {
      const names = missing.map((p) => `'${p.name}'`);
      const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      throw new PyError('TypeError', `${display} missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`, site.node);
    }
    for (const p of positional) if (!local.vars.has(p.name)) local.vars.set(p.name, p.default as PyValue);
    const definingClass = (fn as { definingClass?: PyClass }).definingClass;
    if (definingClass) {
      local.vars.set('__class__', definingClass);
      if (positional[0]) local.vars.set('__self__', local.vars.get(positional[0].name) as PyValue);
    }
    if (fn.isLambda) return this.eval(fn.body, local);
    const c = await this.block(fn.body, local);
    if (c === 'break' || c === 'continue') throw new PyError('RuntimeError', `'${c}' outside loop`, fn.node);
    return c ? c.value : null;
  }

  // ---- operators -----------------------------------------------------------------------------------

  async binary(op: string, a: PyValue, b: PyValue, node: SyntaxNode): Promise<PyValue> {
    const site = this.site(node, []);
    if (a instanceof HostValue) {
      const r = await a.binary(op, b, false, site);
      if (r !== undefined) return r;
    }
    if (b instanceof HostValue) {
      const r = await b.binary(op, a, true, site);
      if (r !== undefined) return r;
    }
    const r = arithmetic(op, a, b, node);
    if (r !== undefined) return r;
    throw new PyError('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`, node);
  }

  private unary(op: string, v: PyValue, node: SyntaxNode): PyValue {
    if (v instanceof HostValue) {
      const r = v.unary(op, this.site(node, []));
      if (r !== undefined) return r;
    }
    const n = typeof v === 'boolean' ? (v ? 1n : 0n) : v;
    if (typeof n === 'bigint') return op === '-' ? -n : op === '+' ? n : ~n;
    if (typeof n === 'number' && op !== '~') return op === '-' ? -n : n;
    throw new PyError('TypeError', `bad operand type for unary ${op}: '${typeName(v)}'`, node);
  }

  async compare(op: string, a: PyValue, b: PyValue, node: SyntaxNode): Promise<PyValue> {
    switch (op) {
      case 'is': return identical(a, b);
      case 'is not': return !identical(a, b);
      case 'in': return this.contains(b, a, node);
      case 'not in': return !(await this.contains(b, a, node));
    }
    if (a instanceof HostValue || b instanceof HostValue) return this.binary(op, a, b, node);
    if (op === '==') return equals(a, b);
    if (op === '!=') return !equals(a, b);
    const c = order(a, b);
    if (c === undefined) throw new PyError('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`, node);
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }

  private async contains(container: PyValue, item: PyValue, node: SyntaxNode): Promise<boolean> {
    if (typeof container === 'string') {
      if (typeof item !== 'string') throw new PyError('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`, node);
      return container.includes(item);
    }
    if (container instanceof PyDict) return container.entries.has(hashKey(item, node));
    const items = await this.iterate(container, node);
    return items.some((x) => equals(x, item));
  }

  async truthy(v: PyValue, node: SyntaxNode): Promise<boolean> {
    if (v === null) return false;
    switch (typeof v) {
      case 'boolean': return v;
      case 'bigint': return v !== 0n;
      case 'number': return v !== 0;
      case 'string': return v.length > 0;
    }
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
    if (v instanceof PyDict) return v.entries.size > 0;
    if (v instanceof PyRange) return v.length > 0;
    if (v instanceof HostValue) {
      const r = v.convert('bool', this.site(node, []));
      if (r) return (await r) as boolean;
    }
    return true;
  }

  /**
   * What a loop runs over, as Python's iterators give it: a range one number at a time (never materialised, so
   * `for i in range(10**9): … break` runs as in Python, bounded by the step budget), a list read live (items
   * appended during the loop are reached, as in Python); anything else as `iterate` gives it.
   */
  async loopItems(v: PyValue, node: SyntaxNode): Promise<Iterable<PyValue>> {
    if (v instanceof PyRange) {
      const n = v.length;
      return (function* () {
        for (let i = 0; i < n; i++) yield v.at(i);
      })();
    }
    if (v instanceof PyList) {
      return (function* () {
        for (let i = 0; i < v.items.length; i++) yield v.items[i] as PyValue;
      })();
    }
    return this.iterate(v, node);
  }

  async iterate(v: PyValue, node: SyntaxNode): Promise<PyValue[]> {
    if (v instanceof PyList || v instanceof PyTuple) return [...v.items];
    if (v instanceof PyRange) {
      const n = v.length;
      if (n > this.budgets.maxSteps) throw new BudgetExceeded(`stopped: range of ${formatCount(n)} items at line ${node.startPosition.row + 1}`, node);
      return Array.from({ length: n }, (_, i) => v.at(i));
    }
    if (typeof v === 'string') return [...v];
    if (v instanceof PyDict) return [...v.entries.values()].map(([k]) => k);
    if (v instanceof PyIterator) {
      const out: PyValue[] = [];
      for (let x = v.next(); x; x = v.next()) {
        out.push(x.value);
        if (out.length > this.budgets.maxSteps) throw new BudgetExceeded(`stopped: iterator longer than ${formatCount(this.budgets.maxSteps)} at line ${node.startPosition.row + 1}`, node);
      }
      return out;
    }
    if (v instanceof HostValue) {
      const items = await v.iterate(this.site(node, []));
      if (items) return items;
    }
    const hook = providedDunder(v, '__iter__');
    if (hook) return this.iterate(await this.call(hook, { args: [v], kwargs: new Map() }, this.site(node, [])), node);
    const gap = upstreamGap(v, '__iter__');
    if (gap) throw new Unsupported(`iterating (${gap})`, node);
    throw new PyError('TypeError', `'${typeName(v)}' object is not iterable`, node);
  }

  private field(node: SyntaxNode, name: string): SyntaxNode {
    const f = node.childForFieldName(name);
    if (!f) throw new PyError('RuntimeError', `invalid syntax (missing ${name})`, node);
    return f;
  }

  get currentNode(): SyntaxNode | undefined {
    return this.lastNode;
  }

}

/** Gives an error raised without a location the node being evaluated. */
function placeAt(e: unknown, node: SyntaxNode): unknown {
  if ((e instanceof PyError || e instanceof Unsupported || e instanceof BudgetExceeded) && !e.node) e.node = node;
  return e;
}

// ---- helpers (pure Python semantics) -----------------------------------------------------------------

const KNOWN_ERRORS = new Set(['TypeError', 'ValueError', 'IndexError', 'KeyError', 'RuntimeError', 'AssertionError', 'NotImplementedError', 'ZeroDivisionError']);


function hasName(scope: Scope, name: string): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return true;
  return false;
}

function visibleNames(scope: Scope): string[] {
  const out: string[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) out.push(...s.vars.keys());
  return out;
}

function attributeNames(obj: PyValue): string[] {
  if (obj instanceof PyModule) return [...obj.attrs.keys()];
  if (obj instanceof PyObject) {
    const names = [...obj.attrs.keys()];
    for (let c: PyClass | undefined = obj.cls; c; c = c.bases[0]) names.push(...c.attrs.keys());
    return names;
  }
  if (obj instanceof HostValue) {
    const names = (obj as { attributeNames?: () => string[] }).attributeNames;
    return names ? names.call(obj) : [];
  }
  return [];
}

function parseInteger(node: SyntaxNode): bigint {
  const t = node.text.replace(/_/g, '').toLowerCase();
  if (/[jl]$/.test(t)) throw new Unsupported('complex numbers', node);
  if (/^0[0-9]+$/.test(t) && !/^0+$/.test(t)) throw new PyError('RuntimeError', 'leading zeros in decimal integer literals are not permitted', node);
  return BigInt(t.startsWith('0o') ? `0o${t.slice(2)}` : t);
}

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|\n|.)/g, (m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '\\': return '\\';
      case "'": return "'";
      case '"': return '"';
      case '\n': return '';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case 'x':
      case 'u':
      case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
        return m;
    }
  });
}

export { typeName };
export { arithmetic, closest, didYouMean, equals, formatSpec, hashKey, sliceIndices } from './semantics';

/** A dunder of a class nbcheck provides (Sequential.__getitem__, ModuleList.__iter__): a builtin of the class, called with the instance. */
export function providedDunder(v: PyValue, name: string): PyBuiltin | undefined {
  if (!(v instanceof PyObject)) return undefined;
  const f = v.cls.lookup(name);
  return f instanceof PyBuiltin ? f : undefined;
}
