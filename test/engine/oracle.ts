/**
 * PyTorch as the oracle: random programs over the engine's op table, run by nbcheck and by Debian's
 * python3-torch (/usr/bin/python3), and compared value by value.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers';

export const PYTHON = process.env['NBCHECK_TORCH_PYTHON'] ?? '/usr/bin/python3';

/** Whether the oracle can run here (Debian's python3-torch and python3-onnx installed). */
export function oracleAvailable(): { ok: boolean; why?: string } {
  if (!existsSync(PYTHON)) return { ok: false, why: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `${PYTHON} cannot import torch and onnx (apt-get install python3-torch python3-onnx)` };
  return { ok: true };
}

export interface Exported {
  dtype: string;
  shape: number[];
  data: (number | boolean | string)[];
}
export type Outcome = { variables: Record<string, Exported> } | { error: { type: string; message: string } };

export function runOracle(programs: { id: string; source: string }[]): Record<string, Outcome> {
  const r = spawnSync(PYTHON, [join(ROOT, 'test', 'oracle', 'torch_oracle.py')], {
    input: JSON.stringify(programs),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`torch oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, Outcome>;
}

/** Differences between nbcheck's outcome and PyTorch's (values, or PyTorch's exact error); empty when they agree. */
export function compareOutcomes(got: Outcome, want: Outcome, rtol = 1e-5, atol = 1e-6): string[] {
  if ('error' in want || 'error' in got) {
    if ('error' in want && 'error' in got) {
      if (got.error.type !== want.error.type) return [`error type ${got.error.type} (${got.error.message}) vs PyTorch ${want.error.type} (${want.error.message})`];
      // PyTorch's arg-parser errors go on over several lines (the oracle keeps the first); nbcheck writes
      // them on one line, adding what it expected and the keyword meant.
      const same = got.error.message === want.error.message || (want.error.message.endsWith('expected one of:') && got.error.message.startsWith(want.error.message));
      return same ? [] : [`error message "${got.error.message}" vs PyTorch "${want.error.message}"`];
    }
    if ('error' in want) return [`PyTorch raised ${want.error.type}: ${want.error.message}, nbcheck did not`];
    return [`nbcheck raised ${(got as { error: { type: string; message: string } }).error.type}: ${(got as { error: { message: string } }).error.message}, PyTorch did not`];
  }
  const diffs: string[] = [];
  const names = new Set([...Object.keys(got.variables), ...Object.keys(want.variables)]);
  for (const name of names) {
    const g = got.variables[name];
    const w = want.variables[name];
    if (!g || !w) {
      diffs.push(`${name}: ${g ? 'only nbcheck' : 'only PyTorch'} binds it`);
      continue;
    }
    if (g.dtype !== w.dtype) diffs.push(`${name}: dtype ${g.dtype} vs ${w.dtype}`);
    if (g.shape.join(',') !== w.shape.join(',')) {
      diffs.push(`${name}: shape [${g.shape.join(', ')}] vs [${w.shape.join(', ')}]`);
      continue;
    }
    for (let i = 0; i < w.data.length; i++) {
      const a = g.data[i];
      const b = w.data[i];
      if (a === b) continue;
      if (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= atol + rtol * Math.abs(b)) continue;
      diffs.push(`${name}[${i}]: ${String(a)} vs ${String(b)}`);
      break;
    }
  }
  return diffs;
}

// ---- random programs -------------------------------------------------------------------------------------

export class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
}

export type Kind = 'float' | 'pos' | 'unit' | 'int' | 'posint' | 'bool' | 'float64' | 'index';

function value(r: Rng, kind: Kind, bound = 4): string {
  switch (kind) {
    case 'float':
    case 'float64':
      return (r.next() * 6 - 3).toFixed(5);
    case 'pos':
      return (0.1 + r.next() * 3).toFixed(5);
    case 'unit':
      return (r.next() * 1.8 - 0.9).toFixed(5);
    case 'int':
      return String(r.int(-5, 5));
    case 'posint':
      return String(r.int(1, 5));
    case 'bool':
      return r.bool() ? 'True' : 'False';
    case 'index':
      return String(r.int(0, bound - 1));
  }
}

/** A `torch.tensor(...)` literal of a shape and kind. */
export function tensorLiteral(r: Rng, shape: readonly number[], kind: Kind, bound?: number): string {
  const build = (d: number): string => {
    if (d === shape.length) return value(r, kind, bound);
    return `[${Array.from({ length: shape[d] as number }, () => build(d + 1)).join(', ')}]`;
  };
  const dtype = kind === 'float64' ? ', dtype=torch.float64' : kind === 'float' || kind === 'pos' || kind === 'unit' ? ', dtype=torch.float32' : kind === 'bool' ? '' : ', dtype=torch.int64';
  return `torch.tensor(${build(0)}${dtype})`;
}

export function randomShape(r: Rng, minRank = 0, maxRank = 3, maxDim = 4): number[] {
  return Array.from({ length: r.int(minRank, maxRank) }, () => r.int(1, maxDim));
}

/** A shape broadcastable with `s`: some dims set to 1, some leading dims dropped. */
export function broadcastPartner(r: Rng, s: readonly number[]): number[] {
  const drop = r.int(0, s.length);
  return s.slice(drop).map((d) => (r.bool(0.3) ? 1 : d));
}

export interface Case {
  readonly id: string;
  readonly source: string;
}
