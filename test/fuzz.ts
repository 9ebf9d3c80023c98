/**
 * The fuzzer (test/cli/fuzz.test.ts runs a bounded sample; `npm run fuzz` runs 10,000): seeded mutations of
 * the example and corpus notebooks — byte flips of the file, JSON-valid changes of its structure, long runs of
 * each markup character, deep nesting, huge words, the notebook's own words repeated as one endless sentence,
 * unicode edge cases — each checked as the CLI checks it
 * (parse, static checks, the JSON report), with what must hold: an unreadable file is an InputError (exit 2),
 * anything else a report whose JSON parses and whose findings lie inside their cells; nothing else is thrown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNotebook } from '../src/core/check';
import { InputError } from '../src/core/errors';
import { parseNotebook } from '../src/core/notebook/reader';
import { toJson } from '../src/core/report/json';
import { CORPUS, EXAMPLES, HAVE_CORPUS, rng } from './helpers';

export interface FuzzCase {
  readonly id: string;
  readonly text: string;
}

const MARKUP = ['`', '$', '*', '_', '[', '(', '<', '\\', '![a](', '<img src="', '$$', '|', '#', '-', '>', '{', '&'];
const UNICODE = ['\u0000', '\uFEFF', '\uD800', '\uDC00', '\u202E', '\u0301', '\u200B', '\r\n', '\u2028', '😀', '\uFFFD', 'İ', 'ß'];

export function fuzzSources(): string[] {
  const list = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ipynb')).map((f) => join(EXAMPLES, f));
  if (HAVE_CORPUS) {
    for (const dir of readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(join(CORPUS, dir.name)).filter((x) => x.endsWith('.ipynb'))) list.push(join(CORPUS, dir.name, f));
    }
  }
  return list.sort();
}

/** The `n` cases of seed `seed`, drawn over the sources in turn. */
export function fuzzCases(seed: number, n: number, maxRun = 20_000): FuzzCase[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const sources = fuzzSources().map((p) => ({ p, text: readFileSync(p, 'utf8') }));
  const out: FuzzCase[] = [];
  for (let k = 0; k < n; k++) {
    const { p, text } = sources[k % sources.length] as { p: string; text: string };
    const name = `${p.split('/').pop()}#${k}`;
    const kind = Math.floor(r() * 7);
    if (kind === 0) {
      // Byte flips of the file itself: most are unreadable (exit 2), some still parse.
      const chars = [...text];
      for (let f = 0; f < 1 + Math.floor(r() * 8); f++) chars[Math.floor(r() * chars.length)] = pick(['"', '{', '}', ',', '\\', 'x', '\n', ']']);
      out.push({ id: `${name} byte flips`, text: chars.join('') });
      continue;
    }
    const nb = JSON.parse(text) as { cells: { cell_type: string; source: string | string[]; outputs?: unknown[] }[]; nbformat?: unknown };
    const cells = nb.cells;
    const at = Math.floor(r() * cells.length);
    const cell = cells[at];
    const src = [cell?.source ?? ''].flat().join('');
    const insert = (s: string): void => {
      if (!cell) return;
      const i = Math.floor(r() * (src.length + 1));
      cell.source = src.slice(0, i) + s + src.slice(i);
    };
    let what: string;
    if (kind === 1) {
      const ch = pick(MARKUP);
      const len = 1 + Math.floor(r() ** 2 * maxRun);
      insert(ch.repeat(Math.ceil(len / ch.length)));
      what = `a run of ${len} × ${JSON.stringify(ch)} in cell ${at}`;
    } else if (kind === 2) {
      const [open, close] = pick([['(', ')'], ['[', ']'], ['{', '}'], ['\\frac{', '}{x}'], ['$\\sqrt{', '}$'], ['> ', ''], ['- ', '']]) as [string, string];
      const depth = 1 + Math.floor(r() * 3000);
      insert(open.repeat(depth) + 'x' + close.repeat(depth));
      what = `nesting ${depth} deep of ${JSON.stringify(open)} in cell ${at}`;
    } else if (kind === 3) {
      const len = 1 + Math.floor(r() * 100_000);
      insert(pick(['x', 'ab', 'lr', '9']).repeat(len));
      what = `a word of ${len} characters in cell ${at}`;
    } else if (kind === 6) {
      // The notebook's own words, a few of them repeated as one endless sentence (no . or ;): what the
      // catalogue's patterns look for, densely, where a gap between their parts can span everything.
      const words = src.replace(/[.;!?]/g, ' ').split(/\s+/).filter(Boolean);
      const from = Math.floor(r() * Math.max(1, words.length - 3));
      const phrase = `${words.slice(from, from + 1 + Math.floor(r() * 4)).join(' ') || 'more parameters'} `;
      const times = 1 + Math.floor(r() ** 2 * (maxRun / 4));
      insert(phrase.repeat(times));
      what = `${JSON.stringify(phrase.trim()).slice(0, 40)} repeated ${times} times in cell ${at}`;
    } else if (kind === 4) {
      let s = '';
      for (let u = 0; u < 1 + Math.floor(r() * 50); u++) s += pick(UNICODE);
      insert(s);
      what = `unicode ${JSON.stringify(s).slice(0, 40)} in cell ${at}`;
    } else {
      // JSON-valid changes of the structure.
      const op = Math.floor(r() * 6);
      if (op === 0) cells.splice(at, 1);
      else if (op === 1 && cell) cells.splice(at, 0, JSON.parse(JSON.stringify(cell)) as (typeof cells)[number]);
      else if (op === 2 && cell) cell.cell_type = cell.cell_type === 'code' ? 'markdown' : 'code';
      else if (op === 3 && cell) cell.source = src.split('');
      else if (op === 4 && cell) (cell as { source: unknown }).source = pick([null, 42, {}, [1, 2]]);
      else nb.nbformat = pick([3, 5, '4', null]);
      what = `structure change ${op} at cell ${at}`;
    }
    out.push({ id: `${name} ${what}`, text: JSON.stringify(nb) });
  }
  return out;
}

export interface FuzzOutcome {
  readonly id: string;
  readonly ms: number;
  /** 'unreadable' (the CLI's exit 2), 'report', or the failure: what was thrown, or what did not hold. */
  readonly result: 'unreadable' | 'report' | { readonly failure: string };
}

/** Checks one case as the CLI would (`check --no-run --format json`). */
export function runCase(c: FuzzCase): FuzzOutcome {
  const t0 = process.hrtime.bigint();
  const done = (result: FuzzOutcome['result']): FuzzOutcome => ({ id: c.id, ms: Number(process.hrtime.bigint() - t0) / 1e6, result });
  let nb;
  try {
    nb = parseNotebook(c.text, 'fuzz.ipynb');
  } catch (e) {
    return done(e instanceof InputError ? 'unreadable' : { failure: `reading threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}` });
  }
  try {
    const report = checkNotebook(nb, { notRun: { kind: 'off', reason: 'fuzz' } });
    JSON.parse(toJson([report]));
    for (const f of report.findings) {
      if (f.cell === undefined || !f.range) continue;
      const lines = (nb.cells[f.cell]?.source ?? '').split('\n');
      if (f.range.start.line >= lines.length || f.range.end.line >= lines.length || f.range.end.character > (lines[f.range.end.line]?.length ?? 0) + 1) return done({ failure: `${f.code} outside cell ${f.cell}` });
    }
    return done('report');
  } catch (e) {
    return done({ failure: `checking threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}` });
  }
}
