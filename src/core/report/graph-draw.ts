/**
 * Computational graphs drawn for people: a small model (nodes with a label and annotation lines, edges),
 * laid out by dagre, written as SVG (self-contained, theme colours through CSS variables with fallbacks) or
 * as Graphviz DOT. Used by `nbcheck graph` and by the panel's graph view.
 */
import * as dagre from '@dagrejs/dagre';

export type DrawnKind = 'input' | 'const' | 'op' | 'output';

export interface DrawnNode {
  readonly id: string;
  /** What the node does (`×`, `sin`, `log_softmax`) or holds (`x`, `π/2`). */
  readonly label: string;
  readonly kind: DrawnKind;
  /** Lines under the label, by annotation (`value`, `tangent x`, `adjoint v5`, `shape`). */
  readonly notes: Readonly<Record<string, string>>;
  /** The subexpression or source the node stands for (a tooltip). */
  readonly title?: string;
}

export interface DrawnGraph {
  readonly nodes: readonly DrawnNode[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /** The annotations the nodes may carry, in the order a viewer offers them. */
  readonly annotations: readonly string[];
}

export interface Placed {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly { readonly node: DrawnNode; readonly x: number; readonly y: number; readonly w: number; readonly h: number }[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly points: readonly { x: number; y: number }[] }[];
}

const CHAR = 7.2;

/** A node's first line: `v4: sin`, or just the name of an input. */
const heading = (n: DrawnNode): string => (n.label === n.id ? n.id : `${n.id}: ${n.label}`);
const LINE = 16;

/** Lays the graph out top to bottom (inputs on top), showing the `shown` annotations under each label. */
export function layout(g: DrawnGraph, shown: readonly string[] = []): Placed {
  const d = new dagre.graphlib.Graph();
  d.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 12, marginy: 12 });
  d.setDefaultEdgeLabel(() => ({}));
  const lines = (n: DrawnNode): string[] => [heading(n), ...shown.flatMap((a) => (n.notes[a] !== undefined ? [`${a} ${n.notes[a]}`] : []))];
  for (const n of g.nodes) {
    const ls = lines(n);
    d.setNode(n.id, { width: Math.max(48, 16 + CHAR * Math.max(...ls.map((l) => l.length))), height: 12 + LINE * ls.length });
  }
  for (const e of g.edges) d.setEdge(e.from, e.to);
  dagre.layout(d);
  const graph = d.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: g.nodes.map((node) => {
      const p = d.node(node.id) as { x: number; y: number; width: number; height: number };
      return { node, x: p.x, y: p.y, w: p.width, h: p.height };
    }),
    edges: g.edges.map((e) => ({ ...e, points: (d.edge(e.from, e.to) as { points: { x: number; y: number }[] }).points })),
  };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();

/** A standalone SVG of the graph with the `shown` annotations. */
export function toSvg(g: DrawnGraph, shown: readonly string[] = []): string {
  const p = layout(g, shown);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${p.width}" height="${p.height}" viewBox="0 0 ${p.width} ${p.height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="12" role="img">`);
  out.push('<defs><marker id="nbcheck-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" style="fill:var(--nbcheck-edge,#888)"/></marker></defs>');
  for (const e of p.edges) {
    const d = e.points.map((q, i) => `${i ? 'L' : 'M'}${r1(q.x)},${r1(q.y)}`).join(' ');
    out.push(`<path class="edge" d="${d}" style="fill:none;stroke:var(--nbcheck-edge,#888);stroke-width:1.2" marker-end="url(#nbcheck-arrow)"/>`);
  }
  const fill: Record<DrawnKind, string> = { input: '#dbeafe', const: '#f3f4f6', op: '#ffffff', output: '#dcfce7' };
  for (const n of p.nodes) {
    const x = n.x - n.w / 2;
    const y = n.y - n.h / 2;
    const rx = n.node.kind === 'op' ? 6 : n.h / 2;
    out.push(`<g class="node ${n.node.kind}" data-id="${esc(n.node.id)}">`);
    if (n.node.title) out.push(`<title>${esc(n.node.title)}</title>`);
    out.push(`<rect x="${r1(x)}" y="${r1(y)}" width="${r1(n.w)}" height="${r1(n.h)}" rx="${r1(rx)}" style="fill:var(--nbcheck-${n.node.kind},${fill[n.node.kind]});stroke:var(--nbcheck-stroke,#555)"/>`);
    const ls = [heading(n.node), ...shown.flatMap((a) => (n.node.notes[a] !== undefined ? [`${a} ${n.node.notes[a]}`] : []))];
    ls.forEach((l, i) => {
      out.push(`<text x="${r1(n.x)}" y="${r1(y + 6 + LINE * (i + 0.75))}" text-anchor="middle" style="fill:var(--nbcheck-text,#111)"${i ? ' class="note"' : ''}>${esc(l)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Graphviz DOT of the graph, every annotation in the node's label. */
export function toDot(g: DrawnGraph): string {
  const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const shape: Record<DrawnKind, string> = { input: 'ellipse', const: 'plaintext', op: 'box', output: 'doubleoctagon' };
  const lines = ['digraph computation {', '  rankdir=TB;', '  node [fontname="monospace"];'];
  for (const n of g.nodes) {
    const label = [heading(n), ...g.annotations.flatMap((a) => (n.notes[a] !== undefined ? [`${a} ${n.notes[a]}`] : []))].join('\\n');
    lines.push(`  ${q(n.id)} [label=${q(label).replace(/\\\\n/g, '\\n')}, shape=${shape[n.kind]}];`);
  }
  for (const e of g.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A number for a node's note: up to 6 significant digits, no trailing zeros. */
export function fmtNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const s = Math.abs(x) >= 1e-4 && Math.abs(x) < 1e6 ? x.toPrecision(6) : x.toExponential(5);
  // eslint-disable-next-line regexp/no-super-linear-backtracking -- s is toPrecision(6)'s or toExponential(5)'s output: at most 12 characters
  return s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
}
