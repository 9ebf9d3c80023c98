import { readFileSync } from 'node:fs';
import { InputError } from '../errors';
import { JsonSyntaxError, parseJson, type JsonPath, type StringSpan } from './json';
import type { Cell, CellKind, Notebook, Output } from './types';

/** Reads and validates a notebook file; every problem becomes an InputError naming the file. */
export function readNotebook(path: string): Notebook {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(path, describeFsError(e));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(path, 'not a text file (it is not valid UTF-8), so it cannot be a notebook');
  }
  return parseNotebook(text, path);
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a notebook file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    default:
      return `cannot be read: ${(e as Error).message}`;
  }
}

const isSourcePath = (p: JsonPath): boolean =>
  p.length >= 3 && p[0] === 'cells' && typeof p[1] === 'number' && p[2] === 'source' && p.length <= 4;

/** Validates notebook JSON text; `path` is used in messages only. */
export function parseNotebook(text: string, path: string): Notebook {
  let parsed;
  try {
    parsed = parseJson(text, { recordString: isSourcePath });
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new InputError(path, `invalid JSON: ${e.reason}`, { line: e.line, column: e.column });
    }
    throw e;
  }
  const root = parsed.value;
  if (!isObject(root)) {
    throw new InputError(path, `not a Jupyter notebook: the file holds a JSON ${jsonKind(root)}, not an object`);
  }
  const nbformat = root['nbformat'];
  if (Array.isArray(root['worksheets']) || (typeof nbformat === 'number' && nbformat < 4)) {
    const v = typeof nbformat === 'number' ? nbformat : 3;
    throw new InputError(
      path,
      `nbformat ${v} is not supported (nbcheck reads nbformat 4); convert it with ` +
        `"jupyter nbconvert --to notebook --nbformat 4" or by saving it from a current Jupyter`,
    );
  }
  if (!Array.isArray(root['cells'])) {
    throw new InputError(path, 'not a Jupyter notebook: there is no "cells" list');
  }
  if (typeof nbformat !== 'number') {
    throw new InputError(path, 'not a Jupyter notebook: there is no "nbformat" version number');
  }
  if (nbformat > 4) {
    throw new InputError(path, `nbformat ${nbformat} is newer than nbcheck understands (it reads nbformat 4)`);
  }
  const minor = typeof root['nbformat_minor'] === 'number' ? root['nbformat_minor'] : 0;
  const cells = root['cells'].map((c, index) => readCell(c, index, path, parsed.spans));
  return { path, nbformat, nbformatMinor: minor, cells, text };
}

const CELL_KINDS: readonly CellKind[] = ['markdown', 'code', 'raw'];

function readCell(raw: unknown, index: number, path: string, spans: ReadonlyMap<string, StringSpan>): Cell {
  const where = `cell ${index}`;
  if (!isObject(raw)) throw new InputError(path, `${where} is a JSON ${jsonKind(raw)}, not a cell object`);
  const kind = raw['cell_type'];
  if (typeof kind !== 'string' || !CELL_KINDS.includes(kind as CellKind)) {
    const got = kind === undefined ? 'no "cell_type"' : `"cell_type" ${JSON.stringify(kind)}`;
    throw new InputError(path, `${where} has ${got}; expected "markdown", "code" or "raw"`);
  }
  const src = raw['source'];
  let source: string;
  let sourceSpans: StringSpan[];
  if (typeof src === 'string') {
    source = src;
    sourceSpans = [spans.get(`cells.${index}.source`)!];
  } else if (Array.isArray(src) && src.every((s) => typeof s === 'string')) {
    source = src.join('');
    sourceSpans = src.map((_, k) => spans.get(`cells.${index}.source.${k}`)!);
  } else {
    throw new InputError(path, `${where}: "source" must be a string or a list of strings`);
  }
  const outputs = kind === 'code' && Array.isArray(raw['outputs']) ? raw['outputs'].map(readOutput) : [];
  const attachments = isObject(raw['attachments']) ? Object.keys(raw['attachments']) : [];
  return { index, kind: kind as CellKind, source, outputs, attachments, sourceSpans };
}

function readOutput(raw: unknown): Output {
  if (!isObject(raw)) return { kind: 'other' };
  const type = raw['output_type'];
  if (type === 'error') {
    const tb = Array.isArray(raw['traceback']) ? raw['traceback'].filter((t): t is string => typeof t === 'string') : [];
    return {
      kind: 'error',
      ename: typeof raw['ename'] === 'string' ? raw['ename'] : 'Error',
      evalue: typeof raw['evalue'] === 'string' ? raw['evalue'] : '',
      traceback: tb,
    };
  }
  if (type === 'stream' || type === 'display_data' || type === 'execute_result') return { kind: type };
  return { kind: 'other' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** A notebook built from an editor's cells (no file text: positions stay cell-relative). */
export function notebookFromCells(
  path: string,
  cells: readonly { kind: CellKind; source: string; outputs?: readonly Output[]; attachments?: readonly string[] }[],
): Notebook {
  return {
    path,
    nbformat: 4,
    nbformatMinor: 5,
    text: '',
    cells: cells.map((c, index) => ({
      index,
      kind: c.kind,
      source: c.source,
      outputs: c.outputs ?? [],
      attachments: c.attachments ?? [],
      sourceSpans: [],
    })),
  };
}
