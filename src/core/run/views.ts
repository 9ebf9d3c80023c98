/**
 * What the panel's graph view shows: the traced graph of a code cell, the graph of a function written in a
 * markdown cell, Question 3's function with its tables of values, tangents and adjoints, and Question 1.3's
 * measured growth (hard vs soft labels, B vs 2B). Computed on the engine when asked for.
 */
import { matchPack } from '../assignment/match';
import type { Runtime } from '../engine/runtime';
import { extractMath } from '../math/extract';
import { FunctionSyntaxError, functionGraph, type FunctionGraph } from '../math/function-graph';
import { segment } from '../notebook/segment';
import type { Notebook } from '../notebook/types';
import { functionDrawing, outputNames } from '../report/function-view';
import { fmtNumber, type DrawnGraph } from '../report/graph-draw';
import { traceCell } from './cell-graph';
import { promptFunction, statedPoint } from './derivatives';
import { differentiateFunction } from './function-ad';
import { measureGrowth, type GrowthRow } from './growth';

export interface ViewTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface GraphView {
  readonly title: string;
  readonly note: string;
  readonly graph?: DrawnGraph;
  /** The annotations shown at first. */
  readonly shown: readonly string[];
  readonly tables: readonly ViewTable[];
}

export type ViewResult = GraphView | { readonly error: string };

async function functionView(tex: string, title: string, text: string, fallback: Readonly<Record<string, number>> | undefined, runtime: Runtime): Promise<ViewResult> {
  let g: FunctionGraph;
  try {
    g = functionGraph(tex);
  } catch (e) {
    if (e instanceof FunctionSyntaxError) return { error: `the formula cannot be drawn: ${e.message}` };
    throw e;
  }
  const stated = statedPoint(text, g.variables);
  const point = stated ?? (fallback && g.variables.every((v) => fallback[v] !== undefined) ? fallback : Object.fromEntries(g.variables.map((v) => [v, 1])));
  const d = await differentiateFunction(g, point, runtime);
  const names = outputNames(g);
  const at = `(${g.variables.join(', ')}) = (${g.variables.map((v) => fmtNumber(point[v] as number)).join(', ')})`;
  const live = g.nodes.filter((n) => n.op !== 'const');
  const table: ViewTable = {
    title: `Forward pass, forward mode and reverse mode at ${at}`,
    columns: ['node', 'computes', 'value', ...g.variables.map((v) => `∂/∂${v} (forward)`), ...g.outputs.map((o) => `∂${names.get(o)}/∂node (reverse)`)],
    rows: live.map((n) => [
      n.id,
      n.tex,
      fmtNumber(d.values[n.id] as number),
      ...g.variables.map((v) => (d.forward[v]?.[n.id] === undefined ? '0' : fmtNumber(d.forward[v]?.[n.id] as number))),
      ...g.outputs.map((o) => (d.reverse[o]?.[n.id] === undefined ? '0' : fmtNumber(d.reverse[o]?.[n.id] as number))),
    ]),
  };
  const jacobian: ViewTable = {
    title: 'Jacobian',
    columns: ['', ...g.variables.map((v) => `∂/∂${v}`)],
    rows: g.outputs.map((o, i) => [names.get(o) as string, ...(d.jacobian[i] as number[]).map(fmtNumber)]),
  };
  return {
    title,
    note: `At ${at}: ${stated ? 'the point the answer states' : 'the answer states no point, so nbcheck picked this one'}. Nodes are the atomic units (+, ×, square, √, exp, ln, sin, cos, tan, constants); equal subexpressions are one node.`,
    graph: functionDrawing(g, d),
    shown: ['value'],
    tables: [table, jacobian],
  };
}

/** The graph of a cell: traced from a code cell, or the function a markdown cell writes (`f(x,y) = ...`). */
export async function cellGraphView(nb: Notebook, cell: number, runtime: Runtime): Promise<ViewResult> {
  const c = nb.cells[cell];
  if (c?.kind === 'markdown') {
    const math = extractMath(c.source).segments.map((m) => c.source.slice(m.texStart, m.texEnd)).find((t) => /^\s*[a-zA-Z](_\{?\w+\}?)?\s*\(\s*[a-z]\s*(,\s*[a-z]\s*)*\)\s*=/.test(t));
    if (!math) return { error: 'this markdown cell writes no function like f(x,y) = ... to draw' };
    return functionView(math, `Cell ${cell}: ${math.trim().slice(0, 60)}`, c.source, undefined, runtime);
  }
  const traced = await traceCell(nb, cell, runtime);
  if ('error' in traced) return traced;
  const j = traced.json;
  const note = [
    `Traced from the cell${j.packInputs ? " on the question's inputs" : ' after the notebook\'s earlier code cells'}: ${j.nodeCount.inputs} input${j.nodeCount.inputs === 1 ? '' : 's'}, ${j.nodeCount.modules} module${j.nodeCount.modules === 1 ? '' : 's'} as black boxes, ${j.nodeCount.operations} operation${j.nodeCount.operations === 1 ? '' : 's'} (constants not counted).`,
    j.problem ? `The cell stops at line ${j.problem.line ?? '?'} (${j.problem.message}); the graph is what ran before.` : '',
  ].filter(Boolean).join(' ');
  return { title: `Cell ${cell}: computational graph`, note, graph: traced.drawing, shown: ['shape'], tables: [] };
}

let growth: Promise<GrowthRow[]> | undefined;

/** The view a question has, if any: Question 3's function, Question 1's growth table and traced CE graph. */
export async function questionGraphView(nb: Notebook, question: string, runtime: Runtime): Promise<ViewResult | undefined> {
  const match = matchPack(nb);
  if (!match) return undefined;
  const seg = segment(nb, match);
  const diff = match.pack.differentiation?.find((d) => d.item === question || d.item.startsWith(`${question}.`));
  if (diff) {
    const item = seg.items.find((i) => i.item.id === diff.item);
    const tex = promptFunction(nb, item?.prompt);
    if (!tex) return undefined;
    const text = (item?.answer ?? []).map((s) => (nb.cells[s.cell]?.source ?? '').slice(s.start, s.end)).join('\n');
    return functionView(tex, `Q${diff.item}: the function's computational graph`, text, diff.defaultPoint, runtime);
  }
  const ex = match.pack.exercises?.find((e) => e.countIn?.startsWith(`${question}.`));
  if (!ex) return undefined;
  // Measured once per session (it does not depend on the notebook); measured again if it failed.
  growth ??= measureGrowth(runtime).catch((e: unknown) => {
    growth = undefined;
    throw e;
  });
  const rows = await growth;
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const table: ViewTable = {
    title: `CE loss forward + backward on nbcheck's engine (C = ${rows[0]?.classes}): growth with soft labels and a doubled batch`,
    columns: ['labels', 'batch', 'forward ops', 'backward ops', 'held for backward', 'time'],
    rows: rows.map((r) => [r.labels, String(r.batch), String(r.forwardOps), String(r.backwardOps), mb(r.savedBytes), `${r.millis.toFixed(1)} ms`]),
  };
  const cell = seg.items.find((i) => i.item.id === ex.item)?.answer.find((s) => nb.cells[s.cell]?.kind === 'code')?.cell;
  const traced = cell === undefined ? undefined : await cellGraphView(nb, cell, runtime);
  const base = traced && !('error' in traced) ? traced : undefined;
  return {
    title: `Q${ex.countIn}: the CE loss's computational graph`,
    note: `${base ? `${base.note} ` : ''}The table measures the reference CE loss: soft labels add an elementwise product and a sum over the classes (and keep the label distribution for the backward pass); doubling the batch keeps the graph and doubles the memory held and the work.`,
    ...(base?.graph ? { graph: base.graph } : {}),
    shown: ['shape'],
    tables: [table],
  };
}
