/**
 * A bounded memo for pure functions of text that every notebook of a class repeats (the exam's own formulas,
 * its macro cell): the renderers' verdicts are computed once per process. Emptied when full.
 */
export function boundedMemo<T>(limit: number): (key: string, compute: () => T) => T {
  const store = new Map<string, T>();
  return (key, compute) => {
    if (store.has(key)) return store.get(key) as T;
    const value = compute();
    if (store.size >= limit) store.clear();
    store.set(key, value);
    return value;
  };
}
