/**
 * PyTorch as the oracle: random programs over the engine's op table, run by nbcheck and by Debian's
 * python3-torch (/usr/bin/python3), and compared value by value.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime } from '../../src/core/engine/runtime';
import { ROOT } from '../helpers';

export const PYTHON = process.env['NBCHECK_TORCH_PYTHON'] ?? '/usr/bin/python3';

/** Whether the oracle can run here (Debian's python3-torch and python3-onnx installed). */
export function oracleAvailable(): { ok: boolean; why?: string } {
  if (!existsSync(PYTHON)) return { ok: false, why: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `${PYTHON} cannot import torch and onnx (apt-get install python3-torch python3-onnx)` };
  return { ok: true };
}

/** In a suite's `before`: skips the suite, saying why, when the oracle cannot run here. */
export function skipWithoutOracle(ctx: Mocha.Context): void {
  const oracle = oracleAvailable();
  if (oracle.ok) return;
  console.log(`    (skipped: ${oracle.why})`);
  ctx.skip();
}

/** A CPU runtime that records every ONNX model it builds and every IR op it lowers. */
export function recordingRuntime(): { runtime: Runtime; models: Uint8Array[]; lowered: Set<string> } {
  const models: Uint8Array[] = [];
  const lowered = new Set<string>();
  const runtime = new Runtime({ device: 'cpu', onModel: (m) => models.push(m), onLowered: (ops) => ops.forEach((o) => lowered.add(o)) });
  return { runtime, models, lowered };
}

/** One test: nbcheck's outcome for a program equals PyTorch's (both filled in by the suite's `before`). */
export function itMatchesPyTorch(id: string, program: string, ours: ReadonlyMap<string, Outcome>, theirs: () => Readonly<Record<string, Outcome>>): void {
  it(id, () => {
    const got = ours.get(id);
    const want = theirs()[id];
    assert.ok(got && want, 'both sides ran');
    const diffs = compareOutcomes(got, want);
    assert.deepEqual(diffs, [], `${diffs.join('\n')}\n--- program ---\n${program}`);
  });
}

export interface Exported {
  dtype: string;
  shape: number[];
  data: (number | boolean | string)[];
}
const INPLACE_MODIFIED = 'one of the variables needed for gradient computation has been modified by an inplace operation:';

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

/** The models onnx.checker (full check) rejects, or that are not IR 8 / opset 17, with why; empty when all pass. */
export function checkModels(models: readonly Uint8Array[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nbcheck-onnx-'));
  try {
    models.forEach((m, i) => writeFileSync(join(dir, `m${i}.onnx`), m));
    const script = [
      'import onnx, sys, glob',
      'bad = []',
      `for f in sorted(glob.glob(sys.argv[1] + '/*.onnx')):`,
      '    m = onnx.load(f)',
      '    try:',
      '        assert m.ir_version == 8 and m.opset_import[0].version == 17, "not IR 8 / opset 17"',
      '        onnx.checker.check_model(m, full_check=True)',
      '    except Exception as e:',
      "        bad.append(f + ': ' + str(e).split(chr(10))[0])",
      "print('\\n'.join(bad))",
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8' });
    if (r.status !== 0) return [`onnx.checker failed: ${r.stderr}`];
    return r.stdout.trim() ? r.stdout.trim().split('\n') : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Differences between nbcheck's outcome and PyTorch's (values, or PyTorch's exact error); empty when they agree. */
export function compareOutcomes(got: Outcome, want: Outcome, rtol = 1e-5, atol = 1e-6): string[] {
  if ('error' in want || 'error' in got) {
    if ('error' in want && 'error' in got) {
      if (got.error.type !== want.error.type) return [`error type ${got.error.type} (${got.error.message}) vs PyTorch ${want.error.type} (${want.error.message})`];
      // PyTorch's arg-parser errors go on over several lines (the oracle keeps the first); nbcheck writes
      // them on one line, adding what it expected and the keyword meant.
      const same =
        got.error.message === want.error.message ||
        // The oracle keeps the first line of PyTorch's message (load_state_dict's list its keys on the next lines).
        got.error.message.split('\n')[0] === want.error.message ||
        (want.error.message.endsWith('expected one of:') && got.error.message.startsWith(want.error.message)) ||
        // PyTorch names the saved tensor by its view and internal version numbers (an nn.Linear weight starts at
        // version 1 from its in-place init); the statement before the first colon is what a student reads.
        (want.error.message.startsWith(INPLACE_MODIFIED) && got.error.message.startsWith(INPLACE_MODIFIED));
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
