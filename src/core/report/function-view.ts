/**
 * A function graph with its derivatives at a point, as the JSON of `nbcheck graph` and as a drawing with
 * value, tangent and adjoint annotations.
 */
import type { FunctionGraph, FunctionNode } from '../math/function-graph';
import type { FunctionDerivatives } from '../run/function-ad';
import { fmtNumber, type DrawnGraph } from './graph-draw';

export interface FunctionGraphJson {
  readonly expr: string;
  readonly point: Readonly<Record<string, number>>;
  readonly nodes: readonly { readonly id: string; readonly op: string; readonly inputs: readonly string[]; readonly value: number; readonly tex: string }[];
  readonly outputs: readonly string[];
  readonly jacobian: readonly (readonly number[])[];
  readonly forward: FunctionDerivatives['forward'];
  readonly reverse: FunctionDerivatives['reverse'];
}

export function functionJson(expr: string, g: FunctionGraph, point: Readonly<Record<string, number>>, d: FunctionDerivatives): FunctionGraphJson {
  return {
    expr,
    point,
    nodes: g.nodes.map((n) => ({ id: n.id, op: n.op, inputs: n.inputs, value: d.values[n.id] as number, tex: n.tex })),
    outputs: g.outputs,
    jacobian: d.jacobian,
    forward: d.forward,
    reverse: d.reverse,
  };
}

const SYMBOL: Record<FunctionNode['op'], string> = {
  input: '',
  const: '',
  add: '+',
  mul: '×',
  square: '(·)²',
  sqrt: '√',
  exp: 'exp',
  ln: 'ln',
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  reciprocal: '1/(·)',
  pow: '(·)^(·)',
};

/** Output names f1, f2, ... (or f for a single output), by node id. */
export function outputNames(g: FunctionGraph): Map<string, string> {
  return new Map(g.outputs.map((o, i) => [o, g.outputs.length === 1 ? 'f' : `f${i + 1}`]));
}

export function functionDrawing(g: FunctionGraph, d: FunctionDerivatives): DrawnGraph {
  const names = outputNames(g);
  const annotations = ['value', ...g.variables.map((v) => `∂/∂${v}`), ...g.outputs.map((o) => `adjoint ${names.get(o)}`)];
  return {
    annotations,
    nodes: g.nodes.map((n) => {
      const notes: Record<string, string> = { value: fmtNumber(d.values[n.id] as number) };
      for (const v of g.variables) {
        const t = d.forward[v]?.[n.id];
        if (t !== undefined) notes[`∂/∂${v}`] = fmtNumber(t);
      }
      for (const o of g.outputs) {
        const a = d.reverse[o]?.[n.id];
        if (a !== undefined) notes[`adjoint ${names.get(o)}`] = fmtNumber(a);
      }
      const output = names.get(n.id);
      const label = n.op === 'input' ? n.id : n.op === 'const' ? plainTex(n.tex) : `${SYMBOL[n.op]}${output ? ` = ${output}` : ''}`;
      return { id: n.id, label, kind: output ? 'output' : n.op === 'input' ? 'input' : n.op === 'const' ? 'const' : 'op', notes, title: n.tex };
    }),
    edges: g.nodes.flatMap((n) => n.inputs.map((i) => ({ from: i, to: n.id }))),
  };
}

/** LaTeX of a small constant as plain text (`\frac{\pi}{2}` → `π/2`) for drawings. */
export function plainTex(tex: string): string {
  let s = tex.replace(/\\pi\b/g, 'π').replace(/\\cdot/g, '·').replace(/\\times/g, '×');
  for (let i = 0; i < 4; i++) s = s.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, (_, a: string, b: string) => `${a.length > 1 ? `(${a})` : a}/${b.length > 1 ? `(${b})` : b}`);
  return s.replace(/[{}]/g, '').replace(/\\/g, '');
}
