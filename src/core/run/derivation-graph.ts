/**
 * The answer's own graph (Question 3), from the definitions it writes (`u_3 = u_1 u_2`, `c = \pi/2`, or plain
 * assignments in a code block, derivation-code.ts): each name's definition, its expansion in x and y, the names
 * that stand for another node (`f_1 = w_7`), and — for a name nbcheck cannot evaluate — why, in the answer's
 * terms (not defined in its math, defined from a name that is not, a definition it cannot follow).
 */
import { freeSymbols, type MathJson } from '../math/compute-engine';
import { expressionGraph, FunctionSyntaxError, type FunctionGraph } from '../math/function-graph';
import { refText, type NotationTable, type Ref } from '../math/notation';
import type { Range } from '../text';
import type { CodeBlock } from './derivation-code';
import { constantName, outputOf, substitute, texOf, type Statement } from './derivation-read';
import { pushTo } from '../collections';

export const VARIABLES = ['x', 'y'];

/** Whether an expression is one number's (not a pair, a tuple or a matrix: `J = [[…]]` is no node's value). */
export function isScalar(e: MathJson): boolean {
  return !JSON.stringify(e).match(/\["(?:Tuple|Pair|Sequence|List|Matrix|Triple)"/);
}

export interface Definition {
  readonly expr: MathJson;
  readonly statement: Statement;
  readonly symbol: string;
}

export interface OwnGraph {
  /** The first definition of each name. */
  readonly definitions: ReadonlyMap<string, Definition>;
  /** Output i of f bound to a node by a label (`u_5 = u_1 u_4 = f_1`, `f_1 = u_5`). */
  readonly bindings: ReadonlyMap<number, { readonly expr: MathJson; readonly statement: Statement }>;
  /** Each defined name in x and y; undefined where nbcheck cannot follow its definition. */
  readonly expansions: ReadonlyMap<string, MathJson | undefined>;
  /** The names with an expansion, in order, and the graph of those expansions (undefined when there are none). */
  readonly names: readonly string[];
  readonly graph: FunctionGraph | undefined;
  /** An expression in x and y (undefined when a name in it has no expansion); `stop` keeps one node as a variable. */
  expand(e: MathJson, stop?: { symbol: string; as: string }, seen?: ReadonlySet<string>): MathJson | undefined;
  /** The node a name stands for (`f_1 = w_7`: w_7). */
  canonical(name: string): string;
  /** Whether node a depends on node b through the definitions. */
  dependsOn(a: string, b: string): boolean;
  /** Why a name is no node nbcheck can evaluate; undefined for a node it can (or x, y). */
  whyNoNode(name: string): NoNode | undefined;
}

/** The answer's graph from its statements' definitions: the first side of a name written with symbols, else a constant. */
export function ownGraph(statements: readonly Statement[], table: NotationTable, blocks: readonly CodeBlock[]): OwnGraph {
  const refOf = (symbol: string): Ref | undefined => table.ref(symbol);
  const isValue = (s: string): boolean => refOf(s)?.kind === 'value';
  const definitions = new Map<string, Definition>();
  const bindings = new Map<number, { expr: MathJson; statement: Statement }>();
  const attempts = new Map<string, { statement: Statement; expr: MathJson; odd: string[] }>();
  for (const st of statements) {
    if (st.lhs.kind !== 'value') continue;
    const name = st.lhs.name;
    const symbol = table.symbol(st.lhs);
    // `u_5 = u_1 u_4 = f_1`: the node is that output; `f_1 = u_5` too.
    for (const s of st.sides) {
      const o = typeof s.expr === 'string' ? outputOf(refOf(s.expr)?.name) : undefined;
      if (o !== undefined && !bindings.has(o)) bindings.set(o, { expr: symbol, statement: st });
      const self = outputOf(name);
      const other = typeof s.expr === 'string' ? refOf(s.expr) : undefined;
      if (self !== undefined && other?.kind === 'value' && !bindings.has(self)) bindings.set(self, { expr: s.expr, statement: st });
    }
    if (definitions.has(name)) continue;
    const side = st.sides.find((s) => {
      const free = freeSymbols(s.expr);
      return free.length > 0 && !free.includes(symbol) && free.every((f) => VARIABLES.includes(f) || isValue(f)) && !(typeof s.expr === 'string' && outputOf(refOf(s.expr)?.name) !== undefined);
    }) ?? (constantName(name, st.line) ? st.sides.find((s) => !freeSymbols(s.expr).length) : st.sides.find((s) => !freeSymbols(s.expr).length && JSON.stringify(s.expr).includes('"Pi"')));
    // `f_1 = x^2\sin(xy + π/2)` restates the function; a node f_1 is defined from the answer's own nodes.
    const restated = outputOf(name) !== undefined && side !== undefined && !freeSymbols(side.expr).some(isValue);
    if (side && !restated) definitions.set(name, { expr: side.expr, statement: st, symbol });
    // A definition written with a symbol that is no name nbcheck reads (`t_3 = \kappa \cdot h`): why it is no node.
    const odd = side ? undefined : st.sides.filter((s) => isScalar(s.expr)).map((s) => ({ s, odd: freeSymbols(s.expr).filter((f) => !VARIABLES.includes(f) && !refOf(f)) })).find((x) => x.odd.length);
    if (odd && !attempts.has(name)) attempts.set(name, { statement: st, expr: odd.s.expr, odd: odd.odd });
  }

  const expand = (e: MathJson, stop?: { symbol: string; as: string }, seen: ReadonlySet<string> = new Set()): MathJson | undefined => {
    let ok = true;
    const out = substitute(e, (s) => {
      if (stop && s === stop.symbol) return stop.as;
      const r = refOf(s);
      if (!r) return undefined;
      if (r.kind !== 'value') {
        ok = false;
        return undefined;
      }
      const d = definitions.get(r.name);
      if (!d || seen.has(r.name)) {
        ok = false;
        return undefined;
      }
      const inner = expand(d.expr, stop, new Set([...seen, r.name]));
      if (inner === undefined) ok = false;
      return inner ?? s;
    });
    return ok ? out : undefined;
  };
  const expansions = new Map<string, MathJson | undefined>();
  const unbuilt = new Set<string>();
  for (const [name, d] of definitions) {
    const x = expand(d.expr, undefined, new Set([name]));
    let usable = x;
    if (x !== undefined) {
      try {
        expressionGraph([x], VARIABLES);
      } catch (e) {
        if (!(e instanceof FunctionSyntaxError)) throw e;
        usable = undefined;
        unbuilt.add(name);
      }
    }
    expansions.set(name, usable);
  }
  const names = [...expansions].filter(([, x]) => x !== undefined).map(([n]) => n);
  const graph = names.length ? expressionGraph(names.map((n) => expansions.get(n) as MathJson), VARIABLES) : undefined;

  const canonical = (name: string, seen = new Set<string>()): string => {
    const d = definitions.get(name);
    const target = d && typeof d.expr === 'string' ? refOf(d.expr) : undefined;
    if (!target || target.kind !== 'value' || seen.has(name) || !definitions.has(target.name)) return name;
    seen.add(name);
    return canonical(target.name, seen);
  };
  const dependsOn = (a: string, b: string, seen = new Set<string>()): boolean => {
    if (a === b) return true;
    if (seen.has(a)) return false;
    seen.add(a);
    const d = definitions.get(a);
    return d ? freeSymbols(d.expr).some((s) => { const r = refOf(s); return r?.kind === 'value' && dependsOn(r.name, b, seen); }) : false;
  };
  /** The first name a definition needs that is not defined (depth first), if any. */
  const missing = (name: string, seen = new Set<string>()): string | undefined => {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const d = definitions.get(name);
    if (!d) return name;
    for (const s of freeSymbols(d.expr)) {
      const r = refOf(s);
      if (r?.kind !== 'value') continue;
      const m = missing(r.name, seen);
      if (m) return m;
    }
    return undefined;
  };
  const whyNoNode = (name: string): NoNode | undefined => {
    if (VARIABLES.includes(name) || expansions.get(canonical(name)) !== undefined) return undefined;
    const gap = definitions.has(name) ? missing(name) : name;
    const d = definitions.get(name);
    if (d && (gap === undefined || gap === name)) {
      const how = unbuilt.has(name) ? 'uses an operation nbcheck does not build from the exam\'s units' : 'is not one nbcheck can follow to x and y';
      return { key: `definition|${name}`, say: () => `${name}'s definition, ${name} = ${texOf(d.statement, d.expr)}, ${how}` };
    }
    const tried = gap === name ? attempts.get(name) : undefined;
    if (tried) {
      const shown = tried.odd.filter((o) => /^[A-Za-z](?:_?\d+)?$/.test(o)).map((o) => o.replace(/^(\w)_?(\d+)$/, '$1_$2'));
      const what = shown.length === tried.odd.length ? `${list(shown)}, which nbcheck does not read as ${shown.length > 1 ? 'names' : 'a name'} of the graph` : 'a symbol nbcheck does not read as a name of the graph';
      return { key: `attempt|${name}`, say: () => `${name} = ${texOf(tried.statement, tried.expr)} uses ${what}` };
    }
    const hint = codeHint(gap ?? name, blocks);
    const undefinedHere = (many: boolean): string => `${many ? 'are' : 'is'} not defined in the answer's math${hint(many)}`;
    if (gap === name) return { key: `undefined|${hint(true)}`, say: (nodes) => `${list(nodes)} ${undefinedHere(nodes.length > 1)}` };
    const which = gap !== undefined && attempts.has(gap) ? 'whose definition nbcheck does not read' : `which ${undefinedHere(false)}`;
    return { key: `depends|${gap}`, say: (nodes) => `${list(nodes)} ${nodes.length > 1 ? 'are' : 'is'} defined from ${gap}, ${which}` };
  };
  return { definitions, bindings, expansions, names, graph, expand, canonical: (n) => canonical(n), dependsOn: (a, b) => dependsOn(a, b), whyNoNode };
}

/** Why a name is no node, for a note: a key shared by the names with the same cause, and the cause in words for those names. */
export interface NoNode {
  readonly key: string;
  say(nodes: readonly string[]): string;
}

/** Names in the order a graph numbers them: `q_2` before `q_10`, letters apart. */
const byName = (a: string, b: string): number => {
  const [la, na] = a.split('_');
  const [lb, nb] = b.split('_');
  return (la ?? '').localeCompare(lb ?? '') || Number(na ?? -1e9) - Number(nb ?? -1e9) || a.localeCompare(b);
};

/** `a`, `a and b`, `a, b and c`. */
export const list = (xs: readonly string[]): string => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : (xs[0] ?? ''));

/** Where a name is written in a code block nbcheck does not read: the block's line and why it is not read. */
function codeHint(name: string, blocks: readonly CodeBlock[]): (many: boolean) => string {
  // A name a read block uses (and no line defines) is not defined anywhere: a drawing that shows it says nothing more.
  const block = blocks.some((b) => !b.unread && b.names.has(name)) ? undefined : blocks.find((b) => b.unread && b.names.has(name));
  if (!block?.unread) return () => '';
  const unread = block.unread;
  const how = block.assigned.has(name) ? 'defined' : 'written';
  return (many) => `; ${many ? 'they are' : 'it is'} ${how} in a code block (line ${unread.line + 1}), which nbcheck reads only when every line is an assignment such as u1 = x * y (${unread.why})`;
}

/** A stated quantity nbcheck cannot judge because a name is no node: its own (`node` is its name) or its pass's seed. */
export interface Unmatched {
  readonly st: Statement;
  readonly ref: Ref;
  readonly node: string;
  readonly cause: NoNode;
  /** The reverse pass it is in is seeded at `node`. */
  readonly seed?: boolean;
}

/** One note per cause, at the first statement it leaves unjudged, naming the names, the cause and what it leaves unjudged. */
export function unmatchedNotes(entries: readonly Unmatched[]): { cell: number; range: Range; why: string }[] {
  const groups = new Map<string, Unmatched[]>();
  for (const e of entries) {
    const key = `${e.seed ? 'seed' : 'own'}|${e.cause.key}`;
    pushTo(groups, key, e);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Unmatched;
    const nodes = [...new Set(group.map((g) => g.node))].sort(byName);
    const quantities = [...new Map(group.map((g) => { const r = g.st.pair ?? g.st.lhs; return [refText(r), r] as const; })).values()];
    const shown = quantities.slice(0, 3).map(refText).join(', ') + (quantities.length > 3 ? ', …' : '');
    const many = quantities.length > 1;
    const counts = (['value', 'tangent', 'adjoint'] as const).map((k) => [k, quantities.filter((q) => q.kind === k).length] as const).filter(([, n]) => n > 0);
    const words = { value: ['forward value', 'forward values'], tangent: ['tangent', 'tangents'], adjoint: ['adjoint', 'adjoints'] } as const;
    const what = list(counts.map(([k, n]) => (n > 1 ? `${n} ${words[k][1]}` : words[k][0])));
    const outcome = first.seed
      ? `so the reverse pass seeded at ${nodes.join(', ')} (${shown}) is not judged`
      : `so the ${what} stated for ${nodes.length > 1 ? 'them' : 'it'} (${shown}) ${many ? 'are' : 'is'} not judged`;
    return { cell: first.st.eq.cell, range: first.st.range, why: `${first.cause.say(nodes)}, ${outcome}` };
  });
}
