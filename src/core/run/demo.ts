/**
 * A demo cell: an exercise answer that makes its own `model`, `x` and labels (top-level assignments to the
 * names the question provides) to try itself out. nbcheck runs it as written, and once more with those
 * assignments set aside, so that the rest of the cell runs on the question's inputs — when that can be done
 * soundly: the rest of the cell must not read the values the demo made for its own inputs (a batch size,
 * a number of classes), since on the question's inputs those would not hold.
 */
import { parseModule, type SyntaxNode } from '../python/parser';

/** A top-level statement that binds provided names to values of the cell's own. */
export interface Rebinding {
  /** Index of the source (answer cell) it is in. */
  readonly source: number;
  readonly names: readonly string[];
  /** 0-based lines, first and last. */
  readonly line: number;
  readonly endLine: number;
  readonly text: string;
}

/** Why the demo's own inputs cannot be set aside: a line that reads what the demo made for them. */
export interface Entangled {
  readonly source: number;
  readonly line: number;
  readonly name: string;
  /** The statement that makes `name`, where the demo's inputs read it. */
  readonly madeAt: { readonly source: number; readonly line: number; readonly text: string };
  /** The statement that reads it, as written. */
  readonly reader: string;
}

export interface DemoPlan {
  readonly rebindings: readonly Rebinding[];
  /** The sources with every rebinding replaced by `pass` (lines and columns kept), when that is sound. */
  readonly setAside?: readonly string[];
  /** Why setting them aside is not sound. */
  readonly entangled?: Entangled;
  /** A statement binding provided names together with others (`logits, y = model(x), ...`). */
  readonly mixed?: Rebinding;
  /**
   * Provided names the cell reads and never rebinds (the question's `model` beside its own `x` and `y`): as
   * written it then runs on those and nbcheck's stand-ins for the others, which is no run that exists.
   */
  readonly alsoReads: readonly string[];
}

interface Statement {
  readonly source: number;
  readonly node: SyntaxNode;
  /** Names a top-level `name = ...` or `a, b = ...` binds (empty for other statements). */
  readonly targets: readonly string[];
  /** Names the statement reads (its right-hand side; all of it for other statements). */
  readonly reads: ReadonlySet<string>;
}

/** Identifiers a node reads: not keyword names, attribute names, parameters, or names it binds. */
function readsOf(node: SyntaxNode, out = new Set<string>()): Set<string> {
  if (node.type === 'identifier') {
    out.add(node.text);
    return out;
  }
  node.children.forEach((child, i) => {
    const field = node.fields[i];
    if (node.type === 'keyword_argument' && field === 'name') return;
    if (node.type === 'attribute' && field === 'attribute') return;
    if ((node.type === 'function_definition' || node.type === 'class_definition') && (field === 'name' || field === 'parameters')) return;
    if (node.type === 'lambda' && field === 'parameters') return;
    if (node.type === 'default_parameter' || node.type === 'typed_default_parameter') {
      if (field === 'value') readsOf(child, out);
      return;
    }
    readsOf(child, out);
  });
  return out;
}

/** The names a simple assignment target binds, or undefined when it binds anything else (`y[0] = ...`). */
function targetNames(left: SyntaxNode): string[] | undefined {
  if (left.type === 'identifier') return [left.text];
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
    const names = left.namedChildren.map((c) => (c.type === 'identifier' ? c.text : undefined));
    return names.every((n): n is string => n !== undefined) ? names : undefined;
  }
  return undefined;
}

function statementsOf(sources: readonly string[]): Statement[] | undefined {
  const out: Statement[] = [];
  for (let s = 0; s < sources.length; s++) {
    const { root, problems } = parseModule(sources[s] as string);
    if (problems.length) return undefined;
    for (const node of root.namedChildren) {
      if (node.type === 'comment') continue;
      const assignment = node.type === 'expression_statement' && node.namedChildren.length === 1 ? node.namedChildren[0] : undefined;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const right = assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
      const targets = left && right && right.type !== 'assignment' ? targetNames(left) : undefined;
      if (targets && right) out.push({ source: s, node, targets, reads: readsOf(right) });
      else out.push({ source: s, node, targets: [], reads: readsOf(node) });
    }
  }
  return out;
}

const rebindingOf = (st: Statement): Rebinding => ({ source: st.source, names: st.targets, line: st.node.startPosition.row, endLine: st.node.endPosition.row, text: st.node.text });

/** `pass` in place of a statement, every other character of it a space: lines and columns stay where they were. */
function blankOut(source: string, node: SyntaxNode): string {
  const inner = source.slice(node.startIndex, node.endIndex).replace(/[^\n]/g, ' ');
  const word = node.endIndex - node.startIndex >= 4 ? 'pass' : '0';
  return source.slice(0, node.startIndex) + word + inner.slice(word.length) + source.slice(node.endIndex);
}

/**
 * The cell's rebindings of the provided names, and the sources with them set aside when that is sound;
 * undefined when the cell rebinds none at top level (or does not parse).
 */
export function planDemo(sources: readonly string[], inputs: readonly string[]): DemoPlan | undefined {
  const statements = statementsOf(sources);
  if (!statements) return undefined;
  const provided = new Set(inputs);
  // A provided name rebound from itself (`y = y.view(-1, 1)`) is still the question's input.
  const rebinds = (st: Statement): boolean => st.targets.some((n) => provided.has(n)) && !st.targets.some((n) => st.reads.has(n));
  const rebinding = statements.filter(rebinds);
  if (!rebinding.length) return undefined;
  const rebindings = rebinding.map(rebindingOf);
  const rebound = new Set(rebinding.flatMap((st) => st.targets));
  const alsoReads = inputs.filter((n) => !rebound.has(n) && statements.some((st) => readsOf(st.node).has(n)));
  const mixed = rebinding.find((st) => st.targets.some((n) => !provided.has(n)));
  if (mixed) return { rebindings, alsoReads, mixed: rebindingOf(mixed) };

  // What the demo made for its own inputs: names they read, bound by the cell from no provided name.
  const madeBy = new Map<string, Statement>();
  const own = new Set<string>();
  const pending = rebinding.flatMap((st) => [...st.reads]);
  while (pending.length) {
    const name = pending.pop() as string;
    if (own.has(name) || provided.has(name)) continue;
    const defs = statements.filter((st) => !rebinding.includes(st) && st.targets.includes(name));
    if (!defs.length || defs.some((d) => [...d.reads].some((r) => provided.has(r)))) continue;
    own.add(name);
    madeBy.set(name, defs[0] as Statement);
    for (const d of defs) pending.push(...d.reads);
  }
  const making = new Set(madeBy.values());
  for (const st of statements) {
    if (rebinding.includes(st) || making.has(st)) continue;
    const name = [...readsOf(st.node)].find((n) => own.has(n) && !st.targets.includes(n));
    if (name) {
      const made = madeBy.get(name) as Statement;
      return {
        rebindings,
        alsoReads,
        entangled: { source: st.source, line: st.node.startPosition.row, name, madeAt: { source: made.source, line: made.node.startPosition.row, text: made.node.text }, reader: st.node.text },
      };
    }
  }
  const setAside = sources.map((src, s) => rebinding.filter((st) => st.source === s).sort((a, b) => b.node.startIndex - a.node.startIndex).reduce((acc, st) => blankOut(acc, st.node), src));
  if (setAside.some((src) => parseModule(src).problems.length)) return { rebindings, alsoReads };
  return { rebindings, alsoReads, setAside };
}

/** "lines 6–8" / "line 6" (1-based), for messages about the rebinding lines of one cell. */
export function linesOf(rebindings: readonly Rebinding[], offset = 0): string {
  const lines = [...new Set(rebindings.flatMap((r) => Array.from({ length: r.endLine - r.line + 1 }, (_, i) => r.line + i + 1 + offset)))].sort((a, b) => a - b);
  if (lines.length === 1) return `line ${lines[0]}`;
  const contiguous = lines.every((l, i) => i === 0 || l === (lines[i - 1] as number) + 1);
  return contiguous ? `lines ${lines[0]}–${lines[lines.length - 1]}` : `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}
