/**
 * Pack patterns with bounded gaps. A catalogue or rubric pattern reads "A, then any words, then B, then any
 * words, then C" (`A[^.;]*B[^.;]*C`, or `…` in a phrase template): with unbounded gaps a regular expression
 * tries every B after every A, and every C after each, so a long sentence dense in A and B ("more parameters
 * more parameters …", 80,000 characters) took 570 s. Bounded, each gap spans at most GAP_LIMIT characters: the
 * work per place where A matches is then bounded, and the whole linear in the text. A claim whose parts lie
 * further apart than that, within one sentence part, is not read as one claim.
 */

/** The most characters one gap of a pack pattern spans (some 30 words). */
export const GAP_LIMIT = 200;

/**
 * The pattern source with every gap bounded: a negated character class repeated (`[^.;]*`, `[^.]+?`) takes
 * {0,GAP_LIMIT} (or {1,…}) instead of * (or +). Phrase templates' gaps (`…`, `‥`) are bounded where they are
 * made (phrases.ts).
 */
export function boundedSource(source: string): string {
  return source.replace(/(\[\^(?:\\.|[^\]\\])*\])([*+])/g, (_, gap: string, q: string) => `${gap}{${q === '*' ? 0 : 1},${GAP_LIMIT}}`);
}

export function bounded(re: RegExp): RegExp {
  const source = boundedSource(re.source);
  return source === re.source ? re : new RegExp(source, re.flags);
}

/** The data with every regular expression in it bounded (a pack as written → as nbcheck reads it). */
export function boundPatterns<T>(data: T): T {
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (v instanceof RegExp) return bounded(v);
    if (!v || typeof v !== 'object') return v;
    if (seen.has(v)) return seen.get(v);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  return walk(data) as T;
}
