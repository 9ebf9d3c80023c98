/**
 * The computational graph of a function written in LaTeX (`f(x,y) = (x^2\sin(xy+\frac{\pi}{2}), ...)`),
 * built from the atomic units of the exam's Question 3: squaring, square root, exp, ln, the trigonometric
 * functions, addition, multiplication and constant nodes. Subtraction is addition of a product with the
 * constant −1; division by a constant is multiplication by its reciprocal (a reciprocal node otherwise); a
 * subexpression without variables is one constant node. Equal subexpressions are one node (`xy` in both
 * outputs is computed once), as a hand-drawn graph shares them.
 */
import { freeSymbols, head, isCompound, numericValue, operands, parseLatex, toLatex, type MathJson } from './compute-engine';

export type FunctionOp = 'input' | 'const' | 'add' | 'mul' | 'square' | 'sqrt' | 'exp' | 'ln' | 'sin' | 'cos' | 'tan' | 'reciprocal' | 'pow';

export interface FunctionNode {
  /** `x`, `y` for inputs, `c1`, ... for constants, `v1`, ... for the operations in evaluation order. */
  readonly id: string;
  readonly op: FunctionOp;
  readonly inputs: readonly string[];
  /** A constant's value. */
  readonly value?: number;
  /** The subexpression the node computes, in LaTeX. */
  readonly tex: string;
}

export interface FunctionGraph {
  readonly variables: readonly string[];
  readonly nodes: readonly FunctionNode[];
  /** One per output, in order. */
  readonly outputs: readonly string[];
}

/** LaTeX that is not a function of the supported form, with what is wrong. */
export class FunctionSyntaxError extends Error {}

/** The atomic units of Question 3 (a reciprocal or a general power is not one). */
export const ATOMIC_UNITS: ReadonlySet<FunctionOp> = new Set(['input', 'const', 'add', 'mul', 'square', 'sqrt', 'exp', 'ln', 'sin', 'cos', 'tan']);

const UNARY: Record<string, FunctionOp> = { Sqrt: 'sqrt', Exp: 'exp', Ln: 'ln', Log: 'ln', Sin: 'sin', Cos: 'cos', Tan: 'tan', Square: 'square' };

const isArray = isCompound;
const ops = operands;

/** Strips math delimiters and trailing punctuation from a formula as written in markdown. */
export function stripDelimiters(tex: string): string {
  return tex
    .trim()
    .replace(/^\$\$?|\$\$?$/g, '')
    .replace(/^\\\[|\\\]$/g, '')
    .replace(/[.,;]\s*$/, '')
    .trim();
}

/**
 * Parses `f(x,y) = (e1, e2)` (or a bare expression, or a tuple) into its graph. The variables are the
 * left side's arguments, else the free symbols in order of appearance.
 */
export function functionGraph(latex: string): FunctionGraph {
  let expr: MathJson;
  try {
    expr = parseLatex(stripDelimiters(latex));
  } catch (e) {
    throw new FunctionSyntaxError(`the LaTeX does not parse: ${(e as Error).message}`);
  }
  const error = findError(expr);
  if (error !== undefined) throw new FunctionSyntaxError(`the LaTeX does not parse${error ? ` (${error})` : ''}`);
  let variables: string[] | undefined;
  if (head(expr) === 'Equal' && ops(expr).length === 2) {
    const [lhs, rhs] = ops(expr) as [MathJson, MathJson];
    const args = ops(lhs).flatMap((a) => (head(a) === 'Sequence' || head(a) === 'Delimiter' ? ops(a) : [a]));
    if (isArray(lhs) && args.length && args.every((a) => typeof a === 'string')) variables = args as string[];
    expr = rhs;
  }
  const outputsExpr = outputsOf(expr);
  variables ??= outputsExpr.flatMap((o) => freeSymbols(o)).filter((s, i, all) => all.indexOf(s) === i);
  return new Builder(variables).build(outputsExpr);
}

/** The graph of expressions already parsed (an answer's own intermediate variables, expanded), one output each. */
export function expressionGraph(outputs: readonly MathJson[], variables: readonly string[]): FunctionGraph {
  return new Builder(variables).build(outputs);
}

function outputsOf(e: MathJson): readonly MathJson[] {
  const h = head(e);
  if (h === 'Delimiter') {
    const inner = ops(e)[0];
    return inner === undefined ? [] : outputsOf(inner);
  }
  if (h === 'Sequence' || h === 'Tuple' || h === 'Pair' || h === 'List' || h === 'Triple') return ops(e).flatMap((o) => (head(o) === 'Sequence' ? ops(o) : [o]));
  return [e];
}

class Builder {
  private readonly nodes: FunctionNode[] = [];
  private readonly byKey = new Map<string, FunctionNode>();
  private constants = 0;
  private operations = 0;

  constructor(private readonly variables: readonly string[]) {
    for (const v of variables) this.intern({ id: v, op: 'input', inputs: [], tex: v }, `input:${v}`);
  }

  build(outputs: readonly MathJson[]): FunctionGraph {
    if (!outputs.length) throw new FunctionSyntaxError('there is no expression to draw');
    const ids = outputs.map((o) => this.node(o).id);
    return { variables: this.variables, nodes: this.nodes, outputs: ids };
  }

  private intern(n: FunctionNode, key: string): FunctionNode {
    const known = this.byKey.get(key);
    if (known) return known;
    this.byKey.set(key, n);
    this.nodes.push(n);
    return n;
  }

  private constant(value: number, tex: string): FunctionNode {
    if (!Number.isFinite(value)) throw new FunctionSyntaxError(`the constant ${tex} is not a finite real number`);
    const key = `const:${value}`;
    return this.byKey.get(key) ?? this.intern({ id: `c${++this.constants}`, op: 'const', inputs: [], value, tex }, key);
  }

  private apply(op: FunctionOp, inputs: readonly FunctionNode[], tex: string): FunctionNode {
    const ids = inputs.map((n) => n.id);
    const key = `${op}:${(op === 'add' || op === 'mul' ? [...ids].sort() : ids).join(',')}`;
    return this.byKey.get(key) ?? this.intern({ id: `v${++this.operations}`, op, inputs: ids, tex }, key);
  }

  private node(e: MathJson): FunctionNode {
    if (!freeSymbols(e).some((s) => this.variables.includes(s))) {
      const unknown = freeSymbols(e);
      if (unknown.length) throw new FunctionSyntaxError(`\`${unknown[0]}\` is neither a variable of the function (${this.variables.join(', ')}) nor a known constant`);
      return this.constant(numericValue(e), texOf(e));
    }
    if (typeof e === 'string') return this.byKey.get(`input:${e}`) as FunctionNode;
    const h = head(e);
    const args = ops(e);
    const tex = texOf(e);
    const arg = (i: number): FunctionNode => this.node(args[i] as MathJson);
    const fold = (op: 'add' | 'mul', nodes: FunctionNode[]): FunctionNode => {
      let acc = nodes[0] as FunctionNode;
      for (let i = 1; i < nodes.length; i++) acc = this.apply(op, [acc, nodes[i] as FunctionNode], i === nodes.length - 1 ? tex : `${acc.tex} ${op === 'add' ? '+' : '\\cdot'} ${(nodes[i] as FunctionNode).tex}`);
      return acc;
    };
    const negated = (x: MathJson): FunctionNode => {
      const n = this.node(x);
      return n.op === 'const' ? this.constant(-(n.value as number), `-${n.tex}`) : this.apply('mul', [this.constant(-1, '-1'), n], `-${n.tex}`);
    };
    switch (h) {
      case 'Delimiter':
        return arg(0);
      case 'Add':
        return fold('add', args.map((a) => this.node(a)));
      case 'Subtract':
        return args.length === 1 ? negated(args[0] as MathJson) : this.apply('add', [arg(0), negated(args[1] as MathJson)], tex);
      case 'Negate':
        return negated(args[0] as MathJson);
      case 'Multiply':
        return fold('mul', args.map((a) => this.node(a)));
      case 'Divide': {
        const denominator = args[1] as MathJson;
        if (!freeSymbols(denominator).length) {
          const v = numericValue(denominator);
          return this.apply('mul', [arg(0), this.constant(1 / v, `\\frac{1}{${texOf(denominator)}}`)], tex);
        }
        const d = this.node(denominator);
        return this.apply('mul', [arg(0), this.apply('reciprocal', [d], `\\frac{1}{${d.tex}}`)], tex);
      }
      case 'Power': {
        const [base, exponent] = args as [MathJson, MathJson];
        if (base === 'ExponentialE') return this.apply('exp', [this.node(exponent)], tex);
        const k = freeSymbols(exponent).length ? NaN : numericValue(exponent);
        if (k === 2) return this.apply('square', [this.node(base)], tex);
        if (k === 0.5) return this.apply('sqrt', [this.node(base)], tex);
        if (k === -1) return this.apply('reciprocal', [this.node(base)], tex);
        if (k === 1) return this.node(base);
        return this.apply('pow', [this.node(base), this.node(exponent)], tex);
      }
      default: {
        const op = h ? UNARY[h] : undefined;
        if (op && args.length === 1) return this.apply(op, [arg(0)], tex);
        throw new FunctionSyntaxError(`\`${tex}\` uses ${h ?? 'something'} — not one of the atomic units (+, ×, square, square root, exp, ln, sin, cos, tan, constants)`);
      }
    }
  }
}

function texOf(e: MathJson): string {
  try {
    return toLatex(e).replace(/\\exponentialE\b/g, 'e');
  } catch {
    return JSON.stringify(e);
  }
}

/** The first parse error in an expression (the engine leaves `["Error", ...]` where the LaTeX is broken). */
function findError(e: MathJson): string | undefined {
  if (!isArray(e)) return undefined;
  if (head(e) === 'Error') {
    const what = ops(e)[0];
    return typeof what === 'string' ? what.replace(/^'|'$/g, '').replace(/-/g, ' ') : '';
  }
  for (const o of ops(e)) {
    const found = findError(o);
    if (found !== undefined) return found;
  }
  return undefined;
}
