/**
 * The traced computational graph of a code cell: the cell is run (after the notebook's earlier code cells,
 * or on the pack's inputs when it answers an exercise), and the tensors it binds are followed back through
 * the operations the cell made. One node per call in the source (an API call may lower to several IR ops),
 * a module called as a whole (`model(x)`) is one black-box node, and tensors from before the cell are its
 * inputs. Nodes carry shape, values of small tensors and, when the cell ends with a scalar, its adjoint.
 */
import { matchPack } from '../assignment/match';
import { gradients } from '../engine/autodiff';
import { isFloat, numel } from '../engine/dtype';
import { dataNode, type IRNode } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import { segment } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { fmtNumber, type DrawnGraph, type DrawnKind } from '../report/graph-draw';
import { Tensor } from '../torch/tensor';
import { exercisePrelude, operationName } from './harness';
import { Session, type Problem } from './program';

const SMALL = 12;

export interface CellGraphJson {
  readonly cell: number;
  readonly nodes: readonly { readonly id: string; readonly op: string; readonly inputs: readonly string[]; readonly shape: readonly number[]; readonly dtype: string; readonly value?: readonly number[]; readonly adjoint?: readonly number[] }[];
  /** The tensors the cell binds, by name → node id. */
  readonly outputs: Readonly<Record<string, string>>;
  /** The counting convention, and the count. */
  readonly nodeCount: { readonly inputs: number; readonly modules: number; readonly operations: number; readonly total: number };
  /** The inputs were the pack's (the cell answers an exercise). */
  readonly packInputs: boolean;
  readonly problem?: { readonly message: string; readonly line?: number };
}

export type TracedCell = { readonly drawing: DrawnGraph; readonly json: CellGraphJson } | { readonly error: string };

interface Group {
  readonly key: string;
  readonly kind: DrawnKind;
  label: string;
  /** The node whose value the group shows (its last). */
  last: IRNode;
  readonly inputs: Set<string>;
}

/** Traces `cell` of `nb`. */
export async function traceCell(nb: Notebook, cell: number, runtime: Runtime): Promise<TracedCell> {
  const c = nb.cells[cell];
  if (!c) return { error: `there is no cell ${cell} (the notebook has ${nb.cells.length}, numbered from 0)` };
  if (c.kind !== 'code') return { error: `it is a ${c.kind} cell; a graph is traced from a code cell` };
  const match = matchPack(nb);
  const prelude = match ? exercisePrelude(nb, match, segment(nb, match), cell) : undefined;
  const session = await Session.create({ runtime, budgets: { maxSteps: 200_000, maxMillis: 5_000 } });
  try {
    if (prelude) {
      for (const earlier of nb.cells.filter((x) => x.kind === 'code' && x.index < cell)) await session.runDefinitions(earlier.source);
      await session.run(prelude);
    } else {
      for (const earlier of nb.cells.filter((x) => x.kind === 'code' && x.index < cell)) await session.run(earlier.source);
    }
    const before = new Map(session.globals.vars);
    const source = session.sources.length;
    const problem: Problem | undefined = await session.run(c.source);
    const outputs = [...session.globals.vars].filter(([k, v]) => v instanceof Tensor && before.get(k) !== v && !k.startsWith('_')) as [string, Tensor][];
    const known = new Map<IRNode, string>();
    for (const [k, v] of before) if (v instanceof Tensor) known.set(v.node, k);
    const isParameter = (n: IRNode): boolean => session.ctx.leaves.get(n)?.isParameter === true;
    return { ...(await draw(cell, outputs, source, known, isParameter, runtime, Boolean(prelude), problem)) };
  } finally {
    session.dispose();
  }
}

async function draw(cell: number, outputs: readonly [string, Tensor][], source: number, known: Map<IRNode, string>, isParameter: (n: IRNode) => boolean, runtime: Runtime, packInputs: boolean, problem: Problem | undefined): Promise<{ drawing: DrawnGraph; json: CellGraphJson }> {
  const groups = new Map<string, Group>();
  const groupOf = new Map<IRNode, Group>();
  const modules = new Map<object, number>();
  let inputs = 0;
  let operations = 0;
  const inCell = (n: IRNode): boolean => n.loc?.source === source;
  const visit = (n: IRNode): Group => {
    const seen = groupOf.get(n);
    if (seen) return seen;
    let key: string;
    let kind: DrawnKind;
    let label: string;
    if (!inCell(n) || (n.op === 'Data' && known.has(n))) {
      key = `in:${n.id}`;
      kind = 'input';
      label = known.get(n) ?? (numel(n.shape) === 1 ? 'scalar' : 'tensor');
    } else if (n.module) {
      if (!modules.has(n.module)) modules.set(n.module, modules.size + 1);
      key = `module:${modules.get(n.module)}@${n.loc?.row}:${n.loc?.column}`;
      kind = 'op';
      label = (n.module as { cls?: { name?: string } }).cls?.name ?? 'module';
    } else if (n.op === 'Data') {
      key = `const:${n.id}`;
      kind = 'const';
      label = numel(n.shape) === 1 && n.data ? fmtNumber(Number(n.data.data[0])) : n.api ?? 'tensor';
    } else {
      key = `call:${n.api ?? n.op}@${n.loc?.row}:${n.loc?.column}`;
      kind = 'op';
      label = operationName(n.api ?? n.op);
    }
    let g = groups.get(key);
    if (!g) {
      g = { key, kind, label, last: n, inputs: new Set() };
      groups.set(key, g);
    } else if (n.id > g.last.id) g.last = n;
    groupOf.set(n, g);
    if (kind === 'op' || kind === 'const') {
      // A module's own parameters are inside its black box.
      for (const i of n.inputs.filter((x) => !(n.module && isParameter(x)))) {
        const ig = visit(i);
        if (ig !== g) g.inputs.add(ig.key);
      }
    }
    return g;
  };
  const roots = outputs.map(([, t]) => visit(t.node));
  // Ids in evaluation order: inputs first, then by the node they show.
  const ordered = [...groups.entries()].sort(([, a], [, b]) => (a.kind === 'input' ? 0 : 1) - (b.kind === 'input' ? 0 : 1) || a.last.id - b.last.id);
  const ids = new Map<string, string>();
  for (const [key, g] of ordered) {
    if (g.kind === 'input') inputs++;
    else if (g.kind === 'op' && key.startsWith('call:')) operations++;
    ids.set(key, g.kind === 'input' ? g.label : `n${ids.size - inputs + 1}`);
  }
  // Unique input names.
  const used = new Set<string>();
  for (const [key, g] of ordered) {
    if (g.kind !== 'input') continue;
    let name = ids.get(key) as string;
    for (let k = 2; used.has(name); k++) name = `${g.label}${k}`;
    used.add(name);
    ids.set(key, name);
  }

  // Values of small tensors, and the adjoint of a scalar result, in one run.
  const last = outputs[outputs.length - 1]?.[1];
  const floating = ordered.filter(([, g]) => isFloat(g.last.dtype));
  const adjoints = last && numel(last.shape) === 1 && isFloat(last.dtype) && !problem ? gradients([last.node], [scalarLike(last.node)], floating.map(([, g]) => g.last)) : [];
  const pending: IRNode[] = [];
  const small = ordered.map(([, g]) => (numel(g.last.shape) <= SMALL ? pending.push(g.last) - 1 : -1));
  const adjointAt = adjoints.map((a, k) => (a && numel((floating[k] as [string, Group])[1].last.shape) <= SMALL ? pending.push(a) - 1 : -1));
  let data: { data: ArrayLike<number | bigint> }[] = [];
  try {
    data = (await runtime.realize(pending)) as { data: ArrayLike<number | bigint> }[];
  } catch {
    data = [];
  }
  const values = (k: number): number[] | undefined => (k >= 0 && data[k] ? Array.from(data[k].data, Number) : undefined);
  const adjointOf = new Map<Group, number[]>();
  floating.forEach(([, g], k) => {
    const v = values(adjointAt[k] ?? -1);
    if (v) adjointOf.set(g, v);
  });

  const outputIds: Record<string, string> = {};
  outputs.forEach(([name], k) => (outputIds[name] = ids.get((roots[k] as Group).key) as string));
  const isOutput = new Set(Object.values(outputIds));
  const show = (v: number[]): string => (v.length === 1 ? fmtNumber(v[0] as number) : `[${v.slice(0, 4).map(fmtNumber).join(', ')}${v.length > 4 ? ', …' : ''}]`);
  const nodes = ordered.map(([key, g], k) => ({ key, g, id: ids.get(key) as string, value: values(small[k] ?? -1) }));
  const drawing: DrawnGraph = {
    annotations: ['shape', 'value', 'adjoint'],
    nodes: nodes.map(({ g, id, value }) => {
      const adjoint = adjointOf.get(g);
      return {
        id,
        label: g.kind === 'input' ? id : g.label,
        kind: isOutput.has(id) ? 'output' : g.kind,
        notes: { shape: `[${g.last.shape.join(', ')}]`, ...(value ? { value: show(value) } : {}), ...(adjoint ? { adjoint: show(adjoint) } : {}) },
        title: g.label,
      };
    }),
    edges: nodes.flatMap(({ g, id }) => [...g.inputs].filter(Boolean).map((k) => ({ from: ids.get(k) as string, to: id }))),
  };
  const json: CellGraphJson = {
    cell,
    nodes: nodes.map(({ g, id, value }) => ({
      id,
      op: g.kind === 'input' ? 'input' : g.label,
      inputs: [...g.inputs].filter(Boolean).map((k) => ids.get(k) as string),
      shape: g.last.shape,
      dtype: g.last.dtype,
      ...(value ? { value } : {}),
      ...(adjointOf.has(g) ? { adjoint: adjointOf.get(g) as number[] } : {}),
    })),
    outputs: outputIds,
    nodeCount: { inputs, modules: modules.size, operations, total: ordered.length - ordered.filter(([, g]) => g.kind === 'const').length },
    packInputs,
    ...(problem ? { problem: { message: `${problem.type ? `${problem.type}: ` : ''}${problem.message}`, ...(problem.span ? { line: problem.span.start.line + 1 } : {}) } } : {}),
  };
  return { drawing, json };
}

function scalarLike(n: IRNode): IRNode {
  return dataNode({ dtype: n.dtype, shape: n.shape, data: n.dtype === 'float64' ? Float64Array.of(1) : Float32Array.of(1) });
}
