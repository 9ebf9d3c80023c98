/**
 * The slice of @cortex-js/compute-engine nbcheck uses: parsing LaTeX into MathJSON, as written (juxtaposition
 * read as multiplication, nothing reordered or simplified), and numeric evaluation of constant expressions.
 * Loaded on first use (it is large); the package is ESM with a CommonJS build, required here by name.
 */

/** MathJSON as the engine writes it: numbers, symbols, `[head, ...operands]`, or `{ num: "..." }`. */
export type MathJson = number | string | readonly MathJson[] | { readonly num: string } | { readonly str: string } | { readonly sym: string } | { readonly fn: readonly MathJson[] };

interface Boxed {
  readonly json: MathJson;
  readonly latex: string;
  N(): { readonly re: number; readonly json: MathJson };
  subs(values: Readonly<Record<string, number>>): Boxed;
}

interface Engine {
  parse(latex: string, options?: { canonical?: boolean | readonly string[] }): Boxed;
  box(expr: MathJson, options?: { canonical?: boolean }): Boxed;
}

let engine: Engine | undefined;

function ce(): Engine {
  if (!engine) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ComputeEngine } = require('@cortex-js/compute-engine') as { ComputeEngine: new () => Engine };
    engine = new ComputeEngine();
  }
  return engine;
}

/** LaTeX to MathJSON, keeping the order and grouping written (`xy` becomes a Multiply, `f(x,y)` an application). */
export function parseLatex(latex: string): MathJson {
  return ce().parse(latex, { canonical: ['InvisibleOperator', 'Number', 'Flatten'] }).json;
}

/** The numeric value of a constant MathJSON expression (NaN when it is not a real number). */
export function numericValue(expr: MathJson): number {
  try {
    const v = ce().box(expr).N().re;
    return typeof v === 'number' ? v : NaN;
  } catch {
    return NaN;
  }
}

/** MathJSON back to LaTeX (for labels). */
export function toLatex(expr: MathJson): string {
  return ce().box(expr, { canonical: false }).latex;
}

/** The value of an expression at a point (NaN when it has no real value there). */
export function valueAt(expr: MathJson, point: Readonly<Record<string, number>>): number {
  try {
    const v = ce().box(expr).subs(point).N().re;
    return typeof v === 'number' ? v : NaN;
  } catch {
    return NaN;
  }
}

export const isCompound = (e: MathJson): e is readonly MathJson[] => Array.isArray(e);
/** The operator of a compound expression (`Add`, `D`, ...). */
export const head = (e: MathJson): string | undefined => (isCompound(e) && typeof e[0] === 'string' ? e[0] : undefined);
export const operands = (e: MathJson): readonly MathJson[] => (isCompound(e) ? e.slice(1) : []);

/** Symbols in an expression that are not constants the engine knows, in order of appearance. */
export function freeSymbols(e: MathJson, out: string[] = []): string[] {
  if (typeof e === 'string') {
    if (!['Pi', 'ExponentialE', 'Half', 'Nothing'].includes(e) && !out.includes(e)) out.push(e);
  } else if (isCompound(e)) for (const o of operands(e)) freeSymbols(o, out);
  return out;
}
