/**
 * Forward values, forward-mode tangents and reverse-mode adjoints of a function graph at a point, computed
 * by the execution engine: the graph becomes float64 IR, `tangents` and `gradients` (engine/autodiff) give
 * the derivative programs, and onnxruntime runs everything as one model. These are the tables Question 3
 * asks a student to fill by hand.
 */
import { gradients, tangents } from '../engine/autodiff';
import type { IRNode } from '../engine/ir';
import { apply, dataNode } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import type { FunctionGraph, FunctionNode } from '../math/function-graph';

export interface FunctionDerivatives {
  /** Each node's value at the point. */
  readonly values: Readonly<Record<string, number>>;
  /** For each variable: the tangent of each node it reaches (forward mode, seeded with 1 on that variable). */
  readonly forward: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** For each output node: the adjoint of each non-constant node it depends on (reverse mode, seeded with 1). */
  readonly reverse: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** ∂output_i/∂variable_j. */
  readonly jacobian: readonly (readonly number[])[];
}

const scalar = (v: number): IRNode => dataNode({ dtype: 'float64', shape: [], data: Float64Array.of(v) });

function lower(n: FunctionNode, inputs: readonly IRNode[], point: Readonly<Record<string, number>>): IRNode {
  const [a, b] = inputs as [IRNode, IRNode];
  switch (n.op) {
    case 'input':
      return scalar(point[n.id] as number);
    case 'const':
      return scalar(n.value as number);
    case 'add':
      return apply('Add', [a, b]);
    case 'mul':
      return apply('Mul', [a, b]);
    case 'square':
      return apply('Mul', [a, a]);
    case 'sqrt':
      return apply('Sqrt', [a]);
    case 'exp':
      return apply('Exp', [a]);
    case 'ln':
      return apply('Log', [a]);
    case 'sin':
      return apply('Sin', [a]);
    case 'cos':
      return apply('Cos', [a]);
    case 'tan':
      return apply('Div', [apply('Sin', [a]), apply('Cos', [a])]);
    case 'reciprocal':
      return apply('Reciprocal', [a]);
    case 'pow':
      return apply('Pow', [a, b]);
  }
}

/** Which nodes each node depends on (itself included). */
function dependencies(g: FunctionGraph): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>();
  for (const n of g.nodes) deps.set(n.id, new Set([n.id, ...n.inputs.flatMap((i) => [...(deps.get(i) ?? [])])]));
  return deps;
}

/** Everything at `point` (a value for each variable), as one onnxruntime run. */
export async function differentiateFunction(g: FunctionGraph, point: Readonly<Record<string, number>>, runtime: Runtime): Promise<FunctionDerivatives> {
  for (const v of g.variables) if (!Number.isFinite(point[v])) throw new Error(`no value for ${v} at the point`);
  const ir = new Map<string, IRNode>();
  for (const n of g.nodes) ir.set(n.id, lower(n, n.inputs.map((i) => ir.get(i) as IRNode), point));
  const nodes = g.nodes.map((n) => ir.get(n.id) as IRNode);
  const variables = g.variables.map((v) => ir.get(v) as IRNode);
  const outputs = g.outputs.map((o) => ir.get(o) as IRNode);
  const deps = dependencies(g);
  const live = g.nodes.filter((n) => n.op !== 'const');

  const pending: IRNode[] = [...nodes];
  const slot = (n: IRNode | undefined): number => (n ? pending.push(n) - 1 : -1);
  const forwardAt = variables.map((v) => tangents(nodes, [v], [scalar(1)]).map(slot));
  const reverseAt = outputs.map((o) => gradients([o], [scalar(1)], live.map((n) => ir.get(n.id) as IRNode)).map(slot));
  const data = await runtime.realize(pending);
  const num = (k: number): number => (k < 0 ? 0 : Number((data[k]?.data as Float64Array)[0]));

  const values: Record<string, number> = {};
  g.nodes.forEach((n, k) => (values[n.id] = num(k)));
  const forward: Record<string, Record<string, number>> = {};
  g.variables.forEach((v, j) => {
    const t: Record<string, number> = {};
    g.nodes.forEach((n, k) => {
      if (n.op !== 'const' && deps.get(n.id)?.has(v)) t[n.id] = num((forwardAt[j] as number[])[k] as number);
    });
    forward[v] = t;
  });
  const reverse: Record<string, Record<string, number>> = {};
  g.outputs.forEach((o, i) => {
    const adj: Record<string, number> = {};
    live.forEach((n, k) => {
      if (deps.get(o)?.has(n.id)) adj[n.id] = num((reverseAt[i] as number[])[k] as number);
    });
    reverse[o] = adj;
  });
  const jacobian = g.outputs.map((o) => g.variables.map((v) => forward[v]?.[o] ?? 0));
  return { values, forward, reverse, jacobian };
}
