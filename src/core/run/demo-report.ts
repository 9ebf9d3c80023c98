/**
 * What a demo cell computes as written, on the inputs it makes for itself: its own labels next to the
 * question's (shape, dtype, what its selection does with them), and hints for a model used without its input.
 * Everything said here is read off that run (values, shapes, the line), never assumed.
 */
import { isFloat, numel, type DType } from '../engine/dtype';
import { ancestors, type IRNode } from '../engine/ir';
import type { Runtime } from '../engine/runtime';
import type { PyValue } from '../python/values';
import { PyObject, typeName } from '../python/values';
import { Tensor } from '../torch/tensor';
import type { Rebinding } from './demo';
import type { Finding } from '../findings';
import type { ProblemContext } from './problems';
import type { Problem } from './program';

/** The run of the cell as written (its own inputs bound), as the harness saw it. */
export interface OwnRun {
  /** The question's tensor inputs' nodes, as the prelude bound them. */
  readonly provided?: ReadonlyMap<string, IRNode | undefined>;
  readonly globals: ReadonlyMap<string, PyValue>;
  /** The question's inputs, as the prelude bound them before the cell ran. */
  readonly inputs: ReadonlyMap<string, PyValue>;
  readonly result?: PyValue;
  /** The problem that stopped it, with the index of its source; only when the set-aside run does not stop there too. */
  readonly problem?: { readonly source: number; readonly problem: Problem };
  /** The sources as written. */
  readonly sources: readonly string[];
  /** The node locations' source number of sources[0]. */
  readonly firstSource: number;
  /** The fix it was run with, past a stop of the cell as written ("`model()` read as `model(x)`"). */
  readonly fixed?: string;
}

const SELECTIONS = new Set(['gather', 'index_select', '[]', 'take_along_dim']);

/** "int64 [4, 3]" */
export const tensorWords = (t: Tensor): string => `${t.dtype} [${t.shape.join(', ')}]`;

/** The model, the inputs and the labels a demo made, in words: "`model` a Linear, `x` float32 [4, 10]". */
export function ownInputsWords(run: OwnRun, names: readonly string[]): string {
  return names.flatMap((n) => {
    const v = run.globals.get(n);
    if (v === undefined || v === run.inputs.get(n)) return [];
    return [`\`${n}\` ${v instanceof Tensor ? tensorWords(v) : `a ${v instanceof PyObject ? v.cls.name : typeName(v)}`}`];
  }).join(', ');
}

/** A shape with the batch's sizes named: [4, 1] with B = 4 is "[B, 1]". */
function symbolic(shape: readonly number[], batch: Readonly<Record<string, number>>): string {
  return `[${shape.map((d) => (d === batch.B ? 'B' : d === batch.C ? 'C' : String(d))).join(', ')}]`;
}

const sameKind = (a: { dtype: DType; shape: readonly number[] }, b: { dtype: DType; shape: readonly number[] }): boolean =>
  a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.slice(1).every((d, i) => d === b.shape[i + 1]);

/** The text of a node's call on its line, and the 1-based line. */
function callText(n: IRNode, run: OwnRun): { text: string; line: number } | undefined {
  const i = (n.loc?.source ?? -1) - run.firstSource;
  const source = run.sources[i];
  if (source === undefined || !n.loc || n.loc.row !== n.loc.endRow) return undefined;
  return { text: (source.split('\n')[n.loc.row] ?? '').slice(n.loc.column, n.loc.endColumn), line: n.loc.row + 1 };
}

/** The text a problem's span covers. */
function spanText(source: string | undefined, p: Problem): string | undefined {
  const s = p.span;
  if (!s || source === undefined) return undefined;
  const lines = source.split('\n').slice(s.start.line, s.end.line + 1);
  if (!lines.length) return undefined;
  lines[lines.length - 1] = (lines[lines.length - 1] as string).slice(0, s.start.line === s.end.line ? s.end.character : s.end.character);
  lines[0] = (lines[0] as string).slice(s.start.character);
  return lines.join('\n');
}

const reads = (line: string | undefined, name: string): boolean => line !== undefined && new RegExp(`(^|[^\\w.])${name}\\b`).test(line);

export interface LabelsFact {
  readonly name: string;
  readonly rebinding: Rebinding;
  readonly message: string;
  /** Whether it explains the as-written run's problem (which is then not reported apart). */
  readonly explainsProblem: boolean;
}

/**
 * The demo's own labels (a provided integer tensor it rebinds) when they are not of the question's kind: a
 * dtype other than the question's, or a shape the cell's code treats differently (another number of
 * entries picked per row, or a stop), with what the cell computes with them as written (`withEvidence`:
 * when the cell as written runs on its own inputs alone).
 */
export async function labelsFacts(run: OwnRun, rebindings: readonly Rebinding[], batch: Readonly<Record<string, number>>, runtime: Runtime, withEvidence = true): Promise<LabelsFact[]> {
  const out: LabelsFact[] = [];
  for (const r of rebindings) {
    for (const name of r.names) {
      const question = run.inputs.get(name);
      const mine = run.globals.get(name);
      if (!(question instanceof Tensor) || isFloat(question.dtype) || !(mine instanceof Tensor) || mine === question || sameKind(mine, question)) continue;
      const evidence: string[] = [];
      let explainsProblem = false;
      const p = run.problem;
      const asWritten = run.fixed ? `As written (with ${run.fixed})` : 'As written';
      if (!withEvidence) {
        // Only the labels' own kind: what the cell does with them as written also reads nbcheck's stand-ins.
      } else if (p && p.problem.kind === 'error' && p.problem.type !== 'NameError' && reads(spanText(run.sources[p.source], p.problem), name)) {
        explainsProblem = !run.fixed;
        evidence.push(`${asWritten}, with them the cell stops at line ${(p.problem.span?.start.line ?? 0) + 1}: ${p.problem.type ?? 'Error'}: ${p.problem.message.replace(/[.]?$/, '.')}`);
      } else if (run.result instanceof Tensor) {
        const rows = mine.shape[0] ?? 1;
        const pick = [...ancestors([run.result.node])].sort((a, b) => a.id - b.id).find((n) => n.api !== undefined && SELECTIONS.has(n.api) && n.inputs.some((i) => i === mine.node || ancestors([i]).has(mine.node)) && numel(n.shape) !== rows);
        const at = pick && callText(pick, run);
        if (pick && at) {
          const per = numel(pick.shape) / rows;
          let oneHot = '';
          if (mine.shape.length === 2 && !isFloat(mine.dtype)) {
            const [d] = await runtime.realize([mine.node]);
            const v: number[] = Array.from(d?.data as ArrayLike<number | bigint>, Number);
            const c = mine.shape[1] as number;
            if (v.every((x) => x === 0 || x === 1) && Array.from({ length: rows }, (_, i) => v.slice(i * c, (i + 1) * c).reduce((a: number, b) => a + b, 0)).every((s) => s === 1)) {
              oneHot = ` Its rows are one-hot vectors, and ${pick.api === '[]' ? 'indexing' : pick.api} reads each 0 and 1 in them as a class index.`;
            }
          }
          evidence.push(`${asWritten}, \`${at.text}\` (line ${at.line}) then takes ${Number.isInteger(per) ? per : numel(pick.shape)} entries per row with them (a [${pick.shape.join(', ')}] tensor), where the loss takes one per sample, its own label's.${oneHot}`);
        }
      }
      if (!evidence.length && mine.dtype === question.dtype) continue;
      const line = r.text.split('\n')[0] as string;
      out.push({
        name,
        rebinding: r,
        explainsProblem,
        message: `The cell's own labels are not of the question's kind: \`${clip(line)}\` (line ${r.line + 1}) makes \`${name}\` ${tensorWords(mine)}, where the question's \`${name}\` is ${question.dtype} ${symbolic(question.shape, batch)}, one class index per sample.${evidence.length ? ` ${evidence.join(' ')}` : ''}`,
      });
    }
  }
  return out;
}

/**
 * A hint when a problem comes from a model used without its input: `model()` (forward() missing its
 * input) or the model itself where its output is meant (`logits = model`, then log_softmax of it).
 */
export function modelHint(problem: Problem, sources: readonly string[], source: number, values: ReadonlyMap<string, PyValue>, names: { model: string; input: string }): string | undefined {
  const model = values.get(names.model);
  if (!(model instanceof PyObject)) return undefined;
  const line = problem.span ? (sources[source]?.split('\n')[problem.span.start.line] ?? '') : '';
  const call = problem.span && problem.span.start.line === problem.span.end.line ? line.slice(problem.span.start.character, problem.span.end.character) : undefined;
  if (/forward\(\) missing 1 required positional argument/.test(problem.message)) {
    return `${call ? `\`${call}\`` : 'This'} calls the model without its input: the loss needs its output on \`${names.input}\`, \`${names.model}(${names.input})\`.`;
  }
  if (!new RegExp(`'${model.cls.name}' object has no attribute|must be Tensor, not ${model.cls.name}\\b`).test(problem.message)) return undefined;
  for (let s = 0; s < sources.length; s++) {
    const lines = (sources[s] as string).split('\n');
    const at = lines.findIndex((l) => new RegExp(`^\\s*\\w+\\s*=\\s*${names.model}\\s*(#.*)?$`).test(l));
    if (at >= 0) return `\`${(lines[at] as string).trim()}\` (line ${at + 1}) binds the model itself, not its output: call it on its input, \`${names.model}(${names.input})\`.`;
  }
  return `The model itself is used where its output is meant: call it on its input, \`${names.model}(${names.input})\`.`;
}

/**
 * The cell with the model given its input, where a problem comes from it being used without one (`model()`
 * → `model(x)`, `logits = model` → `logits = model(x)`), and the words for messages; undefined otherwise.
 */
export function modelFix(problem: Problem, source: string, values: ReadonlyMap<string, PyValue>, names: { model: string; input: string }): { source: string; words: string } | undefined {
  const model = values.get(names.model);
  if (!(model instanceof PyObject) || problem.kind !== 'error') return undefined;
  const lines = source.split('\n');
  const span = problem.span;
  if (span && span.start.line === span.end.line && /forward\(\) missing 1 required positional argument/.test(problem.message)) {
    const line = lines[span.start.line] ?? '';
    const call = line.slice(span.start.character, span.end.character);
    if (call.replace(/\s+/g, '') !== `${names.model}()`) return undefined;
    lines[span.start.line] = `${line.slice(0, span.start.character)}${names.model}(${names.input})${line.slice(span.end.character)}`;
    return { source: lines.join('\n'), words: `\`${call}\` read as \`${names.model}(${names.input})\`` };
  }
  if (!new RegExp(`'${model.cls.name}' object has no attribute|must be Tensor, not ${model.cls.name}\\b`).test(problem.message)) return undefined;
  const at = lines.findIndex((l) => new RegExp(`^\\s*\\w+\\s*=\\s*${names.model}\\s*(#.*)?$`).test(l));
  if (at < 0) return undefined;
  const written = (lines[at] as string).replace(/\s*(#.*)?$/, '');
  lines[at] = `${written}(${names.input})`;
  return { source: lines.join('\n'), words: `\`${written.trim()}\` read as \`${written.trim()}(${names.input})\`` };
}

/** The demo's own inputs set aside for this run (`words`: "its own `model`, `x`, `y` (lines 6–8)"), and whether the cell as written stopped at the same place. */
export interface Demo {
  readonly words: string;
  /** The as-written run's message when it stopped where this run stops. */
  readonly same?: string;
}

/** A problem of the cell as written, on the inputs it makes for itself (`setAside`: whether a run without them got past it). */
export const ownContext = (inputs: string, setAside = true): ProblemContext => ({
  sentence: `As written, on its own inputs (${inputs}), the cell stops here${setAside ? "; with them set aside, on the question's inputs, it does not" : ''}`,
  running: `running as written, on its own inputs (${inputs})`,
});

export const clip = (text: string, n = 60): string => (text.length > n ? `${text.slice(0, n - 3)}…` : text);

export function labelsFinding(l: LabelsFact, cells: readonly number[], base: { question: string }): Finding {
  const first = l.rebinding.text.split('\n')[0] as string;
  return { ...base, code: 'code.demo-inputs', severity: 'warning', cell: cells[l.rebinding.source] as number, range: { start: { line: l.rebinding.line, character: 0 }, end: { line: l.rebinding.line, character: first.length } }, message: l.message };
}

