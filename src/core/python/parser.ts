/**
 * The Python front end: web-tree-sitter with the grammar wasm shipped in the `tree-sitter-python` package.
 * Loading is asynchronous and happens once per process; parsing afterwards is synchronous.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type SyntaxNode = Node;

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

/** Parses Python source; the parser must have been loaded with {@link loadPythonParser}. */
export function parsePython(source: string): Tree {
  if (!ready) throw new Error('parsePython called before loadPythonParser resolved');
  const tree = ready.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

export interface SyntaxProblem {
  readonly message: string;
  readonly start: { row: number; column: number };
  readonly end: { row: number; column: number };
}

/** The syntax errors of a tree: ERROR nodes and missing tokens, with their exact ranges (0-based). */
export function syntaxProblems(tree: Tree, source: string): SyntaxProblem[] {
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
