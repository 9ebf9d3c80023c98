/**
 * Question 3 written as students write it: intermediate variables the answer defines (`u_3 = u_1 u_2`), their
 * forward values at the point, forward-mode tangents and reverse-mode adjoints, in equations or tables. The
 * answer's own graph is built from its definitions and differentiated by the engine (function-ad.ts):
 * every stated value, tangent and adjoint is compared with what that graph gives at the point, each finding
 * on its equation. A number that follows from a wrong one stated earlier (the student carried it forward) is
 * not counted again. A definition is judged by what it leads to: when no node computes an output of f, the
 * first node that is none of f's subexpressions is where the graph went wrong.
 */
import type { Runtime } from '../engine/runtime';
import type { Finding } from '../findings';
import { freeSymbols, valueAt, type MathJson } from '../math/compute-engine';
import { expressionGraph, FunctionSyntaxError, type FunctionGraph } from '../math/function-graph';
import { refText, type NotationTable, type Ref } from '../math/notation';
import type { Span } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { fmtNumber as fmt } from '../report/graph-draw';
import type { Range } from '../text';
import { pairMessage, PairFindings } from './derivation-pairs';
import { close, FORWARD_LABEL, outputOf, OUTPUT_NAME, readStatements, sideTex, texOf, type Side, type Statement } from './derivation-read';
import { differentiateFunction } from './function-ad';
import { isScalar, ownGraph, unmatchedNotes, VARIABLES, type NoNode, type Unmatched } from './derivation-graph';

export type Point = Readonly<Record<string, number>>;

export interface DerivationInput {
  readonly item: string;
  /** The prompt's function graph (its outputs are f_1, f_2). */
  readonly graph: FunctionGraph;
  /** The point the answer states, when it states one. */
  readonly point: Point | undefined;
  readonly samplePoints: readonly Point[];
  /** The prompt graph's node values at each sample point. */
  readonly sampleValues: readonly Readonly<Record<string, number>>[];
}

export interface DerivationResult {
  readonly findings: Finding[];
  /** What was checked, for the verdict (empty when the answer defines no intermediate quantity). */
  readonly checked: { values: string[]; tangents: string[]; adjoints: string[] };
  readonly cells: number[];
  /**
   * The value at the stated point of an expression in the answer's notation (`\dot u_7`, `\bar x`) for a
   * final derivative ∂f_{output+1}/∂variable; undefined when a symbol in it has no value.
   */
  resolve(expr: MathJson, claim: { output: number; variable: string }): number | undefined;
  /**
   * What the answer's own graph and numbers give for output `output` (its value when `variable` is
   * undefined, else ∂f/∂variable): the numbers it states or carries for it at the point, and the own graph's
   * derivative at each sample point. A final result that agrees with these follows from a mistake reported
   * earlier in the derivation.
   */
  own(output: number, variable: string | undefined): { readonly numbers: readonly number[]; readonly samples: readonly number[] };
  /** The first error of the derivation, if any (a final result that follows from it is its consequence). */
  readonly firstError?: Finding;
  readonly table: NotationTable;
}

const EMPTY: DerivationResult['checked'] = { values: [], tangents: [], adjoints: [] };


export async function checkDerivation(nb: Notebook, spans: readonly Span[], input: DerivationInput, runtime: Runtime): Promise<DerivationResult> {
  const { statements, table, unread, blocks } = readStatements(nb, spans);
  const findings: Finding[] = [];
  const point = input.point;
  const base = { question: input.item, severity: 'error' as const };
  const none = (): { numbers: readonly number[]; samples: readonly number[] } => ({ numbers: [], samples: [] });
  const nothing: DerivationResult = { findings, checked: EMPTY, cells: [], table, resolve: () => undefined, own: none };
  if (!statements.length) return nothing;
  const at = (p: Point): string => `(x, y) = (${VARIABLES.map((v) => fmt(p[v] as number)).join(', ')})`;
  const refOf = (symbol: string): Ref | undefined => table.ref(symbol);

  // The answer's own graph, from its definitions (derivation-graph.ts).
  const answerGraph = ownGraph(statements, table, blocks);
  const { definitions, bindings, expansions, names, expand, canonical, dependsOn } = answerGraph;
  const graphOfOwn = answerGraph.graph;
  const valuesAt = async (p: Point): Promise<{ values: Map<string, number>; jacobian: Map<string, readonly number[]> }> => {
    const values = new Map<string, number>();
    const jacobian = new Map<string, readonly number[]>();
    if (graphOfOwn) {
      const d = await differentiateFunction(graphOfOwn, p, runtime);
      names.forEach((n, i) => {
        values.set(n, d.values[graphOfOwn.outputs[i] as string] as number);
        jacobian.set(n, d.jacobian[i] as readonly number[]);
      });
    }
    return { values, jacobian };
  };
  const samples = await Promise.all(input.samplePoints.map(valuesAt));

  // Which node computes each output of f; where the graph went wrong when none does.
  const promptNodes = input.graph.nodes.map((n) => n.id);
  const sameAt = (a: (k: number) => number | undefined, b: (k: number) => number | undefined): boolean =>
    input.samplePoints.every((_, k) => {
      const u = a(k);
      const v = b(k);
      return u !== undefined && v !== undefined && Number.isFinite(u) && Number.isFinite(v) && Math.abs(u - v) <= 1e-9 * Math.max(1, Math.abs(v));
    });
  const nodeValue = (n: string) => (k: number): number | undefined => samples[k]?.values.get(n);
  const promptValue = (id: string) => (k: number): number | undefined => input.sampleValues[k]?.[id];
  const matchesPrompt = (n: string): boolean => promptNodes.some((id) => sameAt(nodeValue(n), promptValue(id)));
  const outputNode = new Map<number, string>();
  input.graph.outputs.forEach((id, i) => {
    if (expansions.get(`f_${i + 1}`) !== undefined) {
      outputNode.set(i, canonical(`f_${i + 1}`));
      return;
    }
    const bound = bindings.get(i);
    const boundName = bound && typeof bound.expr === 'string' ? refOf(bound.expr)?.name : undefined;
    if (boundName !== undefined && expansions.get(boundName) !== undefined) {
      outputNode.set(i, canonical(boundName));
      return;
    }
    const match = [...names].reverse().find((n) => sameAt(nodeValue(n), promptValue(id)));
    if (match) outputNode.set(i, match);
  });
  input.graph.outputs.forEach((id, i) => {
    const node = outputNode.get(i);
    const f = `f_${i + 1}`;
    if (node !== undefined && sameAt(nodeValue(node), promptValue(id))) return;
    // No node named as f_i: the answer may not have finished its graph; nothing is said about it.
    if (node === undefined) return;
    const stray = names.find((n) => !matchesPrompt(n) && dependsOn(node, n));
    const d = definitions.get(stray ?? node);
    if (!d) return;
    const k = 0;
    findings.push({ ...base, code: 'derivative.node', cell: d.statement.eq.cell, range: d.statement.range, message: `${stray ?? node} = ${texOf(d.statement, d.expr)} is not a step of f: with it, ${node === f ? f : `${node} (the answer's ${f})`} is ${fmt(nodeValue(node)(k) as number)} at ${at(input.samplePoints[k] as Point)}, where ${f} = ${fmt(promptValue(id)(k) as number)}.` });
  });

  const checked = { values: [] as string[], tangents: [] as string[], adjoints: [] as string[] };
  const cells = new Set<number>();
  if (!point) {
    // Values, tangents and adjoints are numbers at a point: without one, only the definitions are judged.
    const first = statements.find((s) => s.sides.some((x) => !freeSymbols(x.expr).length));
    if (first) findings.push({ code: 'math.unread', severity: 'info', rule: 'differentiation', question: input.item, cell: first.eq.cell, range: first.range, message: 'Not judged: the answer gives values of its intermediate variables but nbcheck found no point they are computed at (write it as $(x, y) = (1, 2)$ or $x = 1, y = 2$); the forward and backward passes are graded by hand.' });
    return { findings, checked, cells: [], table, resolve: () => undefined, own: none };
  }
  const here = await valuesAt(point);

  // Adjoints of every node with respect to an output node, through the answer's own graph.
  const adjointCache = new Map<string, Map<string, number>>();
  const adjointsOf = async (o: string): Promise<Map<string, number>> => {
    const known = adjointCache.get(o);
    if (known) return known;
    const out = new Map<string, number>();
    const od = definitions.get(o);
    if (od && expansions.get(o) !== undefined) {
      const others = names.filter((n) => n !== o);
      const exprs: MathJson[] = [];
      const vars = [...VARIABLES];
      const pointT: Record<string, number> = { ...point };
      const rows: string[] = [];
      for (const n of others) {
        const t = `Zq${vars.length}`;
        const e = expand(od.expr, { symbol: (definitions.get(n) as { symbol: string }).symbol, as: t }, new Set([o]));
        if (e === undefined) continue;
        vars.push(t);
        pointT[t] = here.values.get(n) as number;
        exprs.push(e);
        rows.push(n);
      }
      exprs.push(expansions.get(o) as MathJson);
      const g = expressionGraph(exprs, vars);
      const d = await differentiateFunction(g, pointT, runtime);
      rows.forEach((n, i) => out.set(n, (d.jacobian[i] as readonly number[])[i + VARIABLES.length] as number));
      const last = d.jacobian[exprs.length - 1] as readonly number[];
      VARIABLES.forEach((v, j) => out.set(v, last[j] as number));
      out.set(o, 1);
    }
    adjointCache.set(o, out);
    return out;
  };

  // Reading the passes in order: the seed of the forward pass, the output of the reverse pass.
  let direction: Record<string, number> | undefined;
  let reverseOf: string | undefined;
  const nodeOfOutputName = (name: string): string | undefined => {
    const o = outputOf(name);
    return o !== undefined ? outputNode.get(o) : definitions.has(name) ? canonical(name) : undefined;
  };
  const stated = new Map<string, number>();
  const keyOf = (ref: Ref, dir: Record<string, number> | undefined, of: string | undefined): string | undefined => {
    const r = { ...ref, name: canonical(ref.name) };
    return r.kind === 'value' ? `v|${r.name}` : r.kind === 'tangent' ? (r.wrt ? `t|${r.name}|${r.wrt === 'x' ? '1,0' : '0,1'}` : dir ? `t|${r.name}|${dir.x},${dir.y}` : undefined) : of ? `a|${r.name}|${of}` : undefined;
  };
  const truthOf = async (ref: Ref, dir: Record<string, number> | undefined, of: string | undefined): Promise<number | undefined> => {
    const r = { ...ref, name: canonical(ref.name) };
    if (r.kind === 'value') return VARIABLES.includes(r.name) ? point[r.name] : here.values.get(r.name);
    if (r.kind === 'tangent') {
      const d = r.wrt ? { x: r.wrt === 'x' ? 1 : 0, y: r.wrt === 'y' ? 1 : 0 } : dir;
      if (!d) return undefined;
      if (VARIABLES.includes(r.name)) return d[r.name];
      const j = here.jacobian.get(r.name);
      return j ? (j[0] as number) * (d.x as number) + (j[1] as number) * (d.y as number) : undefined;
    }
    const o = r.of ? nodeOfOutputName(r.of) : of;
    if (!o) return undefined;
    const adj = await adjointsOf(o);
    return adj.get(r.name) ?? (definitions.has(r.name) || VARIABLES.includes(r.name) ? (expansions.get(r.name) === undefined && !VARIABLES.includes(r.name) ? undefined : 0) : undefined);
  };
  /** The value of an expression with each symbol's true value (or the answer's own, when `own`). */
  const evaluate = async (e: MathJson, dir: Record<string, number> | undefined, of: string | undefined, own: boolean): Promise<number | undefined> => {
    const env: Record<string, number> = {};
    for (const s of freeSymbols(e)) {
      if (VARIABLES.includes(s)) {
        env[s] = point[s] as number;
        continue;
      }
      const r = refOf(s);
      if (!r) return undefined;
      const mine = own ? stated.get(keyOf(r, dir, r.of ? nodeOfOutputName(r.of) : of) ?? '') : undefined;
      const v = mine ?? (await truthOf(r, dir, of));
      if (v === undefined || !Number.isFinite(v)) return undefined;
      env[s] = v;
    }
    const v = valueAt(e, env);
    return Number.isFinite(v) ? v : undefined;
  };

  /**
   * What the answer's own earlier numbers give for a quantity, by its node's local rule: the definition at
   * the stated values; the chain rule at the stated values and tangents; the sum over the node's consumers
   * of their stated adjoints times the local partials. Undefined where a number it needs was never stated.
   */
  const partials = new Map<string, Map<string, number> | undefined>();
  const localPartials = async (name: string): Promise<Map<string, number> | undefined> => {
    if (partials.has(name)) return partials.get(name);
    const d = definitions.get(name);
    let out: Map<string, number> | undefined;
    if (d) {
      const inputs = freeSymbols(d.expr);
      const env: Record<string, number> = {};
      for (const i of inputs) {
        const r = VARIABLES.includes(i) ? undefined : refOf(i);
        const v = r ? (stated.get(keyOf(r, undefined, undefined) ?? '') ?? (await truthOf(r, undefined, undefined))) : point[i];
        if (v === undefined || !Number.isFinite(v)) break;
        env[i] = v;
      }
      if (inputs.every((i) => i in env)) {
        try {
          const g = expressionGraph([d.expr], inputs);
          const j = (await differentiateFunction(g, env, runtime)).jacobian[0] as readonly number[];
          out = new Map(inputs.map((i, k) => [i, j[k] as number]));
        } catch (e) {
          if (!(e instanceof FunctionSyntaxError)) throw e;
        }
      }
    }
    partials.set(name, out);
    return out;
  };
  const mineOr = async (r: Ref, dir: Record<string, number> | undefined, of: string | undefined): Promise<number | undefined> => stated.get(keyOf(r, dir, of) ?? '') ?? (await truthOf(r, dir, of));
  const carriedOf = async (r: Ref, dir: Record<string, number> | undefined, of: string | undefined): Promise<number | undefined> => {
    const name = canonical(r.name);
    if (r.kind === 'value') {
      const d = definitions.get(name);
      return d ? evaluate(d.expr, dir, of, true) : undefined;
    }
    if (r.kind === 'tangent') {
      if (!dir) return undefined;
      const p = await localPartials(name);
      if (!p) return undefined;
      let sum = 0;
      for (const [input, dv] of p) {
        const t = VARIABLES.includes(input) ? dir[input] : await mineOr({ kind: 'tangent', name: (refOf(input) as Ref).name }, dir, undefined);
        if (t === undefined) return undefined;
        sum += dv * t;
      }
      return sum;
    }
    if (!of) return undefined;
    if (name === of) return 1;
    const symbol = VARIABLES.includes(name) ? name : definitions.get(name)?.symbol;
    if (!symbol) return undefined;
    let sum = 0;
    for (const [c, d] of definitions) {
      if (canonical(c) !== c || !freeSymbols(d.expr).includes(symbol) || !dependsOn(of, c)) continue;
      const p = await localPartials(c);
      const a = await mineOr({ kind: 'adjoint', name: c }, undefined, of);
      if (!p || a === undefined) return undefined;
      sum += a * (p.get(symbol) as number);
    }
    return sum;
  };
  const reported = new Set<string>();
  const wrongRules = new Map<string, Finding>();
  /** The rule last stated for a tangent or adjoint (`ẇ_9 = ẇ_8` in a table's rule column), for the numbers after it. */
  const rules = new Map<string, MathJson>();

  const unreadHere: { st: Statement; why: string }[] = [];
  // Quantities of names that are no node nbcheck can evaluate (not defined in the answer's math, defined from one
  // that is not): said so, with the cause, in one note per cause (derivation-graph.ts).
  const unmatched: Unmatched[] = [];
  let reverseGap: { node: string; cause: NoNode } | undefined;
  const noNodeOf = (ref: Ref): NoNode | undefined => (ref.kind === 'value' && outputOf(ref.name) !== undefined ? undefined : answerGraph.whyNoNode(ref.name));
  // A node that is an input (`w_1 = x`, Griewank's `v_{-1} = x`) seeds like the input.
  const inputOf = (name: string): string | undefined => {
    if (VARIABLES.includes(name)) return name;
    const x = expansions.get(name);
    return typeof x === 'string' && VARIABLES.includes(x) ? x : undefined;
  };
  const outputNodes = new Set(outputNode.values());
  // The components of a pair (`\bar v_3 = (1, 0)`) are judged one by one and told together, once per equation.
  const told = new PairFindings(findings, (ref, misses) => pairMessage(ref, misses, at(point), fmt));
  for (const st of statements) {
    told.flush(st);
    // A tangent or adjoint of an output the answer names but does not define (`\dot f_1`) is that of the node computing it.
    const asOutput = st.lhs.kind !== 'value' && !definitions.has(st.lhs.name) ? outputNode.get(outputOf(st.lhs.name) ?? -1) : undefined;
    const r: Ref = asOutput ? { ...st.lhs, name: asOutput } : st.lhs;
    const noNode = noNodeOf(r);
    const numbers = st.sides.filter((s) => !freeSymbols(s.expr).length);
    // The pass named in the text before the equation ("w.r.t. x", "(x seed)", "for $f_2$", "f1 first").
    const forward = FORWARD_LABEL.exec(st.context);
    if (forward) direction = { x: 0, y: 0, [(forward[1] ?? forward[2] ?? 'x').toLowerCase()]: 1 };
    const named = OUTPUT_NAME.exec(st.context);
    const namedNode = named ? outputNode.get(Number(named[1] ?? named[2]) - 1) : undefined;
    if (namedNode) [reverseOf, reverseGap] = [namedNode, undefined];
    // Seeds written in the text before (a table's header: "forward, seed \dot x=1,\dot y=0", "(\bar e = 1)").
    const seedX = /\\dot\s*\{?\s*x\s*\}?\s*=\s*([01])\b/.exec(st.context);
    const seedY = /\\dot\s*\{?\s*y\s*\}?\s*=\s*([01])\b/.exec(st.context);
    if (seedX || seedY) direction = { x: Number(seedX?.[1] ?? 0), y: Number(seedY?.[1] ?? 0) };
    const barSeed = /\\bar\s*\{?\s*([A-Za-z](?:_\{?\d+\}?)?)\s*\}?\s*=\s*1\b/.exec(st.context);
    const barNode = barSeed ? nodeOfOutputName((barSeed[1] as string).replace(/[{}]/g, '')) : undefined;
    if (barNode && outputNodes.has(barNode)) [reverseOf, reverseGap] = [barNode, undefined];
    // `\dot h_i := ∂h_i/∂x`: a dot means the derivative by x from here on.
    const declared = r.kind === 'tangent' && !r.wrt && /_[a-z]$/.test(r.name) && !definitions.has(r.name) ? st.sides.map((x) => (typeof x.expr === 'string' ? refOf(x.expr) : undefined)).find((x) => x?.kind === 'tangent' && x.wrt) : undefined;
    if (declared?.wrt) {
      direction = { x: 0, y: 0, [declared.wrt]: 1 };
      continue;
    }
    // A constant's tangent or adjoint written as 0 ("constants have $\dot c = 0$"): true of any constant.
    if (r.kind !== 'value' && numbers.length === st.sides.length && numbers.every((x) => valueAt(x.expr, {}) === 0) && (!definitions.has(r.name) || !freeSymbols(definitions.get(r.name)?.expr ?? 0).length) && !VARIABLES.includes(r.name)) continue;
    // `\bar v_i = ∂f/∂v_i`, `\dot u_i = …`: a notation being declared, not a claim about a node.
    if (/_[ijkn]$/.test(r.name) && !definitions.has(r.name)) continue;
    // Seeds: ẋ = 1, ẏ = 0 start a forward pass; ū_7 = 1 (or f̄_1 = 1) on an output starts a reverse pass.
    const seeded = r.kind === 'tangent' && !r.wrt ? inputOf(r.name) : undefined;
    if (seeded && numbers.length && numbers.length === st.sides.length) {
      const v = valueAt((numbers[numbers.length - 1] as Side).expr, {});
      direction = v === 1 ? { x: 0, y: 0, [seeded]: 1 } : { x: direction?.x ?? 0, y: direction?.y ?? 0, [seeded]: v };
      continue;
    }
    if (r.kind === 'adjoint' && !r.of && numbers.length && valueAt((numbers[numbers.length - 1] as Side).expr, {}) === 1) {
      // `f̄_1 = ū_5 = 1`: every adjoint named in it is the output's.
      const all = [r.name, ...st.sides.flatMap((x) => (typeof x.expr === 'string' && refOf(x.expr)?.kind === 'adjoint' ? [(refOf(x.expr) as Ref).name] : []))];
      const node = all.map(nodeOfOutputName).find((n) => n !== undefined && outputNodes.has(n));
      const seedOnly = st.sides.every((x) => !freeSymbols(x.expr).length || (typeof x.expr === 'string' && refOf(x.expr)?.kind === 'adjoint'));
      if (node !== undefined && seedOnly) {
        [reverseOf, reverseGap] = [node, undefined];
        continue;
      }
      // A pass seeded at a name that is no node: its adjoints are not judged, for that reason.
      const gap = seedOnly && node === undefined ? all.map((n) => ({ node: n, cause: answerGraph.whyNoNode(n) })).find((g) => g.cause) : undefined;
      if (gap?.cause && outputOf(gap.node) === undefined) {
        [reverseOf, reverseGap] = [undefined, { node: gap.node, cause: gap.cause }];
        continue;
      }
    }
    const dir = r.kind === 'tangent' ? (r.wrt ? { x: r.wrt === 'x' ? 1 : 0, y: r.wrt === 'y' ? 1 : 0 } : direction) : undefined;
    const of = r.kind === 'adjoint' ? (r.of ? nodeOfOutputName(r.of) : reverseOf) : undefined;
    // A rule stated before any pass (`u̇_5 = cos(u_4) u̇_4`, `ū_3 = ū_4 + ū_8`) holds for every seed if it is the chain
    // rule; one written for one pass holds for that pass. It is wrong only if it holds for none.
    const symbolicOnly = numbers.length === 0 && st.sides.length > 0;
    if (noNode && ((r.kind === 'tangent' && !r.wrt && !direction) || (r.kind === 'adjoint' && !of))) {
      unmatched.push({ st, ref: r, node: r.name, cause: noNode });
      continue;
    }
    if (r.kind === 'adjoint' && !of && reverseGap) {
      unmatched.push({ st, ref: r, node: reverseGap.node, cause: reverseGap.cause, seed: true });
      continue;
    }
    if (symbolicOnly && ((r.kind === 'tangent' && !r.wrt && !direction) || (r.kind === 'adjoint' && !of))) {
      const tries = r.kind === 'tangent' ? VARIABLES.map((v) => ({ dir: { x: v === 'x' ? 1 : 0, y: v === 'y' ? 1 : 0 }, of: undefined as string | undefined })) : [...outputNodes].map((o) => ({ dir: undefined, of: o as string | undefined }));
      let holds = false;
      let evidence: { got: number; truth: number } | undefined;
      for (const t of tries) {
        const truth = await truthOf(r, t.dir, t.of);
        const got = await evaluate((st.sides[0] as Side).expr, t.dir, t.of, false);
        if (truth === undefined || got === undefined) {
          holds = true;
          break;
        }
        if (close(got, truth, '1.000000')) holds = true;
        else evidence ??= { got, truth };
        const key = `${r.kind}|${canonical(r.name)}`;
        rules.set(key, (st.sides[0] as Side).expr);
      }
      if (!holds && evidence && tries.length) {
        findings.push({ ...base, code: codeOf(r), cell: st.eq.cell, range: st.range, message: `${refText(r)} = ${sideTex(st, st.sides[0] as Side)} is not the chain rule for ${r.name}: it holds for no ${r.kind === 'tangent' ? 'seed (ẋ or ẏ)' : 'output'} — at ${at(point)} it gives ${fmt(evidence.got)}, where ${refText(r)} = ${fmt(evidence.truth)} (through the answer's own graph).` });
      } else if (holds) {
        cells.add(st.eq.cell);
      }
      continue;
    }
    if (r.kind === 'tangent' && !r.wrt && !direction) {
      unreadHere.push({ st, why: `nbcheck found no seed for this forward pass (ẋ = 1, ẏ = 0 or the other way round), so ${refText(r)} is not judged` });
      continue;
    }
    if (r.kind === 'adjoint' && !of) {
      unreadHere.push({ st, why: `nbcheck found no seed for this reverse pass (the output's adjoint set to 1, e.g. ū_7 = 1 or f̄_1 = 1), so ${refText(r)} is not judged` });
      continue;
    }
    const truth = await truthOf(r, dir, of);
    const def = r.kind === 'value' ? definitions.get(r.name) : undefined;
    const label = refText({ ...r, name: st.lhs.name });
    const ruleKey = `${r.kind}|${canonical(r.name)}`;
    let rule: MathJson | undefined = def?.expr ?? rules.get(ruleKey);
    let flagged = false;
    let judged = false;
    for (const side of st.sides) {
      const free = freeSymbols(side.expr);
      if (def && side.expr === def.expr) continue;
      if (free.length) {
        // A rule (ū_3 = ū_5 u_4, u̇_4 = u̇_2 + u̇_3) or a restatement: right if it gives the true value here.
        rule = side.expr;
        if (r.kind !== 'value') rules.set(ruleKey, side.expr);
        const got = await evaluate(side.expr, dir, of, false);
        if (got === undefined || truth === undefined) continue;
        judged = true;
        const once = `rule|${ruleKey}|${JSON.stringify(side.expr)}|${keyOf(r, dir, of)}`;
        if (!flagged && !close(got, truth, '1.000000') && !reported.has(once)) {
          reported.add(once);
          flagged = true;
          const message = `${label} = ${sideTex(st, side)} is not ${label}${r.kind === 'adjoint' && !r.of ? ` for ${of}` : ''}: at ${at(point)} it gives ${fmt(got)}, where ${label} = ${fmt(truth)} (${passText(r, dir, of)}).`;
          // The same wrong rule written again for the other pass is the mistake already told.
          const again = `${ruleKey}|${JSON.stringify(side.expr)}`;
          const earlier = st.pair ? undefined : wrongRules.get(again);
          const finding: Finding = { ...base, code: codeOf(r), cell: st.eq.cell, range: st.range, message };
          if (!earlier && !st.pair) wrongRules.set(again, finding);
          const line = earlier?.range ? ` (line ${earlier.range.start.line + 1}${earlier.cell !== st.eq.cell ? `, cell ${earlier.cell}` : ''})` : '';
          told.add(st, earlier ? { ...finding, message: `${message} It is the rule reported above${line}, written again for this pass, so it is not counted again.`, follows: earlier.code, consequence: true } : finding, { lhs: r, rule: sideTex(st, side), got, truth });
        }
        continue;
      }
      const got = valueAt(side.expr, {});
      if (!Number.isFinite(got)) continue;
      if (truth !== undefined && close(got, truth, side.text)) {
        judged = true;
        continue;
      }
      // A number that follows from the answer's own earlier numbers is carried forward, not a new mistake.
      const carried = rule === undefined ? undefined : await evaluate(rule, dir, of, true);
      const local = await carriedOf(r, dir, of);
      if ((carried !== undefined && close(got, carried, side.text)) || (local !== undefined && close(got, local, side.text))) {
        judged = true;
        continue;
      }
      const once = `${codeOf(r)}|${keyOf(r, dir, of)}|${fmt(got)}`;
      if (reported.has(once)) continue;
      reported.add(once);
      if (truth === undefined && carried === undefined) continue;
      judged = true;
      if (!flagged) {
        flagged = true;
        const because = def ? `${label} = ${texOf(def.statement, def.expr)}` : rule !== undefined ? `${label} = ${texOf(st, rule)}` : label;
        const message = truth !== undefined
          ? `${label} is stated as ${fmt(got)}, but ${because} = ${fmt(truth)} at ${at(point)}${r.kind === 'value' ? '' : ` (${passText(r, dir, of)})`}.`
          : `${label} is stated as ${fmt(got)}, but ${because} gives ${fmt(carried as number)} with the answer's own values.`;
        told.add(st, { ...base, code: codeOf(r), cell: st.eq.cell, range: st.range, message }, { lhs: r, got, truth, carried, because: rule !== undefined ? texOf(st, rule) : undefined });
      }
    }
    const last = numbers[numbers.length - 1];
    const key = keyOf(r, dir, of);
    if (last && key) stated.set(key, valueAt(last.expr, {}));
    // What it states beyond its definition and a label naming an output (`q_7 = q_3 q_6 = f_1`).
    const stating = st.sides.some((x) => !(def && x.expr === def.expr) && !(typeof x.expr === 'string' && outputOf(refOf(x.expr)?.name) !== undefined) && isScalar(x.expr) && (freeSymbols(x.expr).length > 0 || Number.isFinite(valueAt(x.expr, {}))));
    if (!judged && noNode && stating) unmatched.push({ st, ref: r, node: r.name, cause: noNode });
    if (judged) {
      cells.add(st.eq.cell);
      const list = r.kind === 'value' ? checked.values : r.kind === 'tangent' ? checked.tangents : checked.adjoints;
      const item = `${canonical(r.name)}|${keyOf(r, dir, of) ?? ''}`;
      if (!list.includes(item)) list.push(item);
    }
  }
  told.flush();
  const notes: { cell: number; range: Range; why: string }[] = [
    ...unmatchedNotes(unmatched),
    ...unreadHere.map((u) => ({ cell: u.st.eq.cell, range: u.st.range, why: u.why })),
    ...unread.map((u) => ({ cell: u.eq.cell, range: u.range, why: u.why ?? `nbcheck could not read this equation (${u.eq.tex.length > 40 ? `${u.eq.tex.slice(0, 40)}…` : u.eq.tex}): its LaTeX does not parse` })),
  ];
  // One note per reason: the first place it applies.
  const seenWhy = new Set<string>();
  for (const n of notes) {
    const k = n.why.replace(/, so .*$/, '');
    if (seenWhy.has(k)) continue;
    seenWhy.add(k);
    findings.push({ code: 'math.unread', severity: 'info', rule: 'differentiation', question: input.item, cell: n.cell, range: n.range, message: `Not judged: ${n.why}; it is graded by hand.` });
  }

  const resolve = (expr: MathJson, claim: { output: number; variable: string }): number | undefined => {
    const env: Record<string, number> = {};
    for (const s of freeSymbols(expr)) {
      if (VARIABLES.includes(s)) {
        env[s] = point[s] as number;
        continue;
      }
      const r = refOf(s);
      if (!r) return undefined;
      let v: number | undefined;
      if (r.kind === 'value') v = VARIABLES.includes(r.name) ? point[r.name] : here.values.get(r.name);
      else if (r.kind === 'tangent') {
        const j = here.jacobian.get(r.name);
        const wrt = r.wrt ?? claim.variable;
        v = VARIABLES.includes(r.name) ? (r.name === wrt ? 1 : 0) : j ? (j[VARIABLES.indexOf(wrt)] as number) : undefined;
      } else {
        const o = r.of ? nodeOfOutputName(r.of) : outputNode.get(claim.output);
        v = o ? adjointCache.get(o)?.get(r.name) : undefined;
      }
      if (v === undefined || !Number.isFinite(v)) return undefined;
      env[s] = v;
    }
    const v = valueAt(expr, env);
    return Number.isFinite(v) ? v : undefined;
  };
  // The final derivatives may be written as ū_x of an output: have its adjoints ready.
  for (const o of outputNode.values()) await adjointsOf(o);
  const owned = new Map<string, { numbers: number[]; samples: number[] }>();
  for (const [i, node] of outputNode) {
    for (const v of [undefined, ...VARIABLES]) {
      const numbers: number[] = [];
      const push = (n: number | undefined): void => {
        if (n !== undefined && Number.isFinite(n)) numbers.push(n);
      };
      let sampled: number[] = [];
      if (v === undefined) {
        push(here.values.get(node));
        push(stated.get(`v|${node}`));
        push(await carriedOf({ kind: 'value', name: node }, undefined, undefined));
      } else {
        const dir = { x: v === 'x' ? 1 : 0, y: v === 'y' ? 1 : 0 };
        push(stated.get(`t|${node}|${dir.x},${dir.y}`));
        push(await carriedOf({ kind: 'tangent', name: node }, dir, undefined));
        // x̄ (or the adjoint of a node that is x, `w_1 = x`) in the reverse pass from this output.
        for (const n of [v, ...definitions.keys()]) if (inputOf(n) === v) push(stated.get(`a|${canonical(n)}|${node}`));
        push(await carriedOf({ kind: 'adjoint', name: v }, undefined, node));
        const j = VARIABLES.indexOf(v);
        sampled = samples.map((smp) => smp.jacobian.get(node)?.[j] ?? NaN);
      }
      owned.set(`${i}|${v ?? ''}`, { numbers, samples: sampled });
    }
  }
  const own = (output: number, variable: string | undefined): { numbers: readonly number[]; samples: readonly number[] } => owned.get(`${output}|${variable ?? ''}`) ?? { numbers: [], samples: [] };
  const firstError = findings.find((f) => f.severity === 'error');
  return { findings, checked, cells: [...cells], table, resolve, own, ...(firstError ? { firstError } : {}) };

  function codeOf(r: Ref): 'derivative.node-value' | 'derivative.tangent' | 'derivative.adjoint' {
    return r.kind === 'value' ? 'derivative.node-value' : r.kind === 'tangent' ? 'derivative.tangent' : 'derivative.adjoint';
  }
  function passText(r: Ref, dir: Record<string, number> | undefined, of: string | undefined): string {
    if (r.kind === 'value') return 'from the answer\'s own definitions';
    if (r.kind === 'tangent') return `forward mode through the answer's own graph${r.wrt ? '' : `, seeded ${seedText(dir)}`}`;
    return `reverse mode through the answer's own graph, from ${of ?? 'the output'}'s adjoint 1`;
  }
}

function seedText(dir: Record<string, number> | undefined): string {
  return dir ? `ẋ = ${fmt(dir.x as number)}, ẏ = ${fmt(dir.y as number)}` : 'with no seed';
}
