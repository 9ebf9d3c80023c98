/**
 * `nbcheck graph`: the computational graph of a function written in LaTeX, with its forward values,
 * forward-mode tangents, reverse-mode adjoints and Jacobian at a point (JSON, SVG or DOT); or the traced
 * graph of a notebook's code cell.
 */
import { readNotebook } from '../core/notebook/reader';
import { InputError } from '../core/errors';
import type { DeviceRequest } from '../core/engine/runtime';
import { Runtime } from '../core/engine/runtime';
import { FunctionSyntaxError, functionGraph } from '../core/math/function-graph';
import { functionDrawing, functionJson } from '../core/report/function-view';
import { toDot, toSvg } from '../core/report/graph-draw';
import { differentiateFunction } from '../core/run/function-ad';
import { WorkerPool } from '../core/worker/pool';

export class GraphUsageError extends Error {}

interface GraphOptions {
  expr?: string;
  at?: Record<string, number>;
  notebook?: string;
  cell?: number;
  format: 'json' | 'svg' | 'dot';
  device: DeviceRequest;
}

/** `x=1,y=2` (also `x=1 y=2`, `x=-0.5,y=pi`). */
export function parsePoint(text: string): Record<string, number> {
  const point: Record<string, number> = {};
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)=(.+)$/.exec(part);
    if (!m) throw new GraphUsageError(`--at takes name=value pairs like x=1,y=2, not "${part}"`);
    const raw = (m[2] as string).toLowerCase();
    const v = raw === 'pi' ? Math.PI : raw === '-pi' ? -Math.PI : raw === 'e' ? Math.E : Number(raw);
    if (!Number.isFinite(v)) throw new GraphUsageError(`--at: "${m[2]}" is not a number (for ${m[1]})`);
    point[m[1] as string] = v;
  }
  return point;
}

export function parseGraphOptions(args: readonly string[], deviceOption: (v: string | undefined) => DeviceRequest): GraphOptions | 'help' {
  const o: GraphOptions = { format: 'json', device: 'auto' };
  const value = (i: number, name: string): string => {
    const v = args[i];
    if (v === undefined) throw new GraphUsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = (): string => inline ?? value(++i, flag);
    if (a === '-h' || a === '--help') return 'help';
    else if (flag === '--expr') o.expr = take();
    else if (flag === '--at') o.at = parsePoint(take());
    else if (flag === '--notebook') o.notebook = take();
    else if (flag === '--cell') {
      const v = take();
      if (!/^\d+$/.test(v)) throw new GraphUsageError(`--cell takes a cell index (0-based, as in check's output), not "${v}"`);
      o.cell = Number(v);
    } else if (flag === '--format') {
      const v = take();
      if (v !== 'json' && v !== 'svg' && v !== 'dot') throw new GraphUsageError(`--format must be json, svg or dot, not "${v}"`);
      o.format = v;
    } else if (flag === '--device') o.device = deviceOption(take());
    else throw new GraphUsageError(`unknown argument "${a}"`);
  }
  if ((o.expr === undefined) === (o.notebook === undefined)) throw new GraphUsageError('graph takes either --expr \'<latex>\' --at x=1,y=2, or --notebook <file.ipynb> --cell N');
  if (o.notebook !== undefined && o.cell === undefined) throw new GraphUsageError('--notebook needs --cell N');
  return o;
}

/** Runs `nbcheck graph`; returns the exit code (2 for bad input, with the message on stderr). */
export async function runGraph(o: GraphOptions, io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const runtime = new Runtime({ device: o.device });
  try {
    if (o.expr !== undefined) {
      let g;
      try {
        g = functionGraph(o.expr);
      } catch (e) {
        if (e instanceof FunctionSyntaxError) {
          io.err(`nbcheck: --expr: ${e.message}\n`);
          return 2;
        }
        throw e;
      }
      const point = o.at ?? {};
      const missing = g.variables.filter((v) => point[v] === undefined);
      if (missing.length) {
        io.err(`nbcheck: --at gives no value for ${missing.join(' and ')} (the function's variables are ${g.variables.join(', ')}); e.g. --at ${g.variables.map((v, i) => `${v}=${i + 1}`).join(',')}\n`);
        return 2;
      }
      const d = await differentiateFunction(g, point, runtime);
      const undefinedAt = g.nodes.find((n) => !Number.isFinite(d.values[n.id]));
      if (undefinedAt) {
        io.err(`nbcheck: the function is not defined at ${g.variables.map((v) => `${v}=${point[v]}`).join(', ')}: ${undefinedAt.id} = ${undefinedAt.tex} is ${d.values[undefinedAt.id]}\n`);
        return 2;
      }
      if (o.format === 'json') io.out(`${JSON.stringify(functionJson(o.expr, g, point, d), null, 2)}\n`);
      else if (o.format === 'svg') io.out(toSvg(functionDrawing(g, d), ['value']));
      else io.out(toDot(functionDrawing(g, d)));
      return 0;
    }
    let nb;
    try {
      nb = readNotebook(o.notebook as string);
    } catch (e) {
      if (e instanceof InputError) {
        io.err(`nbcheck: ${e.toString()}\n`);
        return 2;
      }
      throw e;
    }
    // The cell's code is the student's: it is traced in a worker process (src/core/worker), as checks run it.
    const pool = new WorkerPool({ setup: { device: o.device } });
    let outcome;
    try {
      outcome = await pool.run({ kind: 'trace-cell', notebook: nb, cell: o.cell as number });
    } finally {
      await pool.dispose();
    }
    if (!outcome.ok) {
      io.err(`nbcheck: ${o.notebook}: cell ${o.cell}: ${outcome.stop.message}\n`);
      return outcome.stop.reason === 'device' ? 2 : 1;
    }
    const traced = outcome.value;
    if ('error' in traced) {
      io.err(`nbcheck: ${o.notebook}: cell ${o.cell}: ${traced.error}\n`);
      return 2;
    }
    if (o.format === 'json') io.out(`${JSON.stringify(traced.json, null, 2)}\n`);
    else if (o.format === 'svg') io.out(toSvg(traced.drawing, ['shape', 'value']));
    else io.out(toDot(traced.drawing));
    return traced.json.problem ? 1 : 0;
  } finally {
    await runtime.dispose();
  }
}
