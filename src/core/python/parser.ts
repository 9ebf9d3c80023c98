/**
 * The Python front end: web-tree-sitter with the grammar wasm shipped in the `tree-sitter-python` package.
 * Loading is asynchronous and happens once per process; parsing afterwards is synchronous.
 *
 * Trees are converted once into plain objects (PyNode) with the part of tree-sitter's node API the
 * interpreter uses: walking them never crosses into wasm, they live as long as anything refers to them,
 * and parses are cached by source text (the harness runs the same cell on several batches).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;
let ready: Parser | undefined;

/** Where a wasm file is: next to the bundle (dist/), or in node_modules when running from sources. */
function wasmFile(name: string, pkg: string): string {
  const beside = path.join(__dirname, name);
  if (existsSync(beside)) return beside;
  return require.resolve(`${pkg}/${name}`);
}

/** Loads the parser (once). */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init({ locateFile: (name: string) => wasmFile(name, 'web-tree-sitter') });
    const language = await Language.load(wasmFile('tree-sitter-python.wasm', 'tree-sitter-python'));
    const parser = new Parser();
    parser.setLanguage(language);
    ready = parser;
    return parser;
  })();
  return loading;
}

export interface Point {
  readonly row: number;
  readonly column: number;
}

/** A parsed source: the text every node of it slices. */
export class SourceText {
  constructor(readonly text: string) {}
}

/** A syntax node (plain data, converted from tree-sitter's). Columns and indices count UTF-16 units. */
export class PyNode {
  readonly children: PyNode[] = [];
  /** The field name of each child, or null. */
  readonly fields: (string | null)[] = [];
  private named: PyNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly startPosition: Point,
    readonly endPosition: Point,
    readonly source: SourceText,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): PyNode[] {
    this.named ??= this.children.filter((c) => c.isNamed);
    return this.named;
  }

  childForFieldName(name: string): PyNode | null {
    const i = this.fields.indexOf(name);
    return i < 0 ? null : (this.children[i] as PyNode);
  }

  childrenForFieldName(name: string): PyNode[] {
    return this.children.filter((_, i) => this.fields[i] === name);
  }
}

export type SyntaxNode = PyNode;

export interface SyntaxProblem {
  /** SyntaxError, or IndentationError. */
  readonly type?: 'SyntaxError' | 'IndentationError';
  /** Not Python's error but nbcheck's limit (code nested deeper than it reads). */
  readonly budget?: true;
  readonly message: string;
  readonly start: Point;
  readonly end: Point;
}

export interface ParsedModule {
  readonly root: PyNode;
  /** Syntax errors (ERROR nodes and missing tokens) with their exact ranges, in source order. */
  readonly problems: readonly SyntaxProblem[];
}

const cache = new Map<string, ParsedModule>();
const CACHE_SIZE = 256;

/** Parses Python source; the parser must have been loaded with {@link loadPythonParser}. */
export function parseModule(source: string): ParsedModule {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  if (!ready) throw new Error('parseModule called before loadPythonParser resolved');
  const tree = ready.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  let parsed: ParsedModule;
  try {
    const root = convert(tree, new SourceText(source));
    const found = nesting as SyntaxProblem | undefined;
    const problems = found ? [found] : syntaxProblems(tree, source);
    parsed = { root, problems: problems.length ? problems : indentationProblems(root) };
  } finally {
    tree.delete();
  }
  cache.set(source, parsed);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return parsed;
}

/**
 * CPython's tokenizer stops at 200 open brackets ("too many nested parentheses"); nbcheck's interpreter and
 * checks walk trees up to MAX_TREE_DEPTH deep (Python compiles deeper ones, or runs out of memory doing so: a
 * budget, reported as nbcheck's).
 */
const MAX_BRACKETS = 200;
const MAX_TREE_DEPTH = 1000;

/** The first nesting problem the last conversion met. */
let nesting: SyntaxProblem | undefined;

/** Copies a tree-sitter tree into PyNodes with one cursor walk. */
function convert(tree: Tree, source: SourceText): PyNode {
  nesting = undefined;
  const cursor = tree.walk();
  const make = (): PyNode => {
    const n = cursor.currentNode;
    return new PyNode(n.type, n.isNamed, n.isMissing, n.startIndex, n.endIndex, n.startPosition, n.endPosition, source);
  };
  const root = make();
  const stack: PyNode[] = [root];
  /** How many brackets are open at each node of the stack. */
  const brackets: number[] = [0];
  /** Records the cursor's node as the next child of the node on top of the stack, and enters it. */
  const enter = (): void => {
    const child = make();
    const parent = stack[stack.length - 1] as PyNode;
    parent.children.push(child);
    parent.fields.push(cursor.currentFieldName);
    stack.push(child);
    // An opening bracket opens it for the rest of its parent (the bracketed expression is its sibling).
    if (child.type === '(' || child.type === '[' || child.type === '{') brackets[brackets.length - 1] = (brackets[brackets.length - 1] as number) + 1;
    const open = brackets[brackets.length - 1] as number;
    brackets.push(open);
    if (!nesting && open > MAX_BRACKETS) {
      nesting = { type: 'SyntaxError', message: 'too many nested parentheses', start: child.startPosition, end: child.endPosition };
    } else if (!nesting && stack.length > MAX_TREE_DEPTH) {
      nesting = { budget: true, message: `stopped: this code nests more than ${MAX_TREE_DEPTH} levels deep, more than nbcheck reads`, start: child.startPosition, end: child.endPosition };
    }
  };
  // Pre-order walk: descend, else advance to a sibling, else climb.
  for (;;) {
    if (cursor.gotoFirstChild()) {
      enter();
      continue;
    }
    for (;;) {
      stack.pop();
      brackets.pop();
      if (cursor.gotoNextSibling()) {
        enter();
        break;
      }
      if (!cursor.gotoParent()) {
        cursor.delete();
        return root;
      }
    }
  }
}

/**
 * Indentation tree-sitter accepts and Python does not: a statement of a block (or of the module) that starts
 * a line further in, or less far in, than the block's first statement.
 */
function indentationProblems(root: PyNode): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const stack: PyNode[] = [root];
  while (stack.length && !problems.length) {
    const node = stack.pop() as PyNode;
    if (node.type === 'module' || node.type === 'block') {
      const statements = node.children.filter((c) => c.isNamed && c.type !== 'comment');
      const first = statements[0];
      let prev: PyNode | undefined;
      for (const st of statements) {
        const column = node.type === 'module' ? 0 : (first as PyNode).startPosition.column;
        const startsLine = !prev || st.startPosition.row > prev.endPosition.row;
        if (startsLine && st.startPosition.column !== column && !(node.type === 'block' && st === first)) {
          problems.push({
            type: 'IndentationError',
            message: st.startPosition.column > column ? 'unexpected indent' : 'unindent does not match any outer indentation level',
            start: st.startPosition,
            end: { row: st.startPosition.row, column: st.startPosition.column + 1 },
          });
          break;
        }
        prev = st;
      }
    }
    for (const c of node.children) if (c.isNamed) stack.push(c);
  }
  return problems;
}

function syntaxProblems(tree: Tree, source: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (!node.hasError && !node.isMissing) return;
    if (node.isMissing) {
      problems.push({ message: `invalid syntax: expected '${node.type}'`, start: node.startPosition, end: node.endPosition });
      return;
    }
    if (node.type === 'ERROR') {
      const text = source.slice(node.startIndex, node.endIndex);
      const firstLine = text.split('\n')[0] ?? '';
      const shown = firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine;
      problems.push({
        message: shown.trim() ? `invalid syntax near '${shown.trim()}'` : 'invalid syntax',
        start: node.startPosition,
        end: node.endPosition,
      });
      return;
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return problems;
}
