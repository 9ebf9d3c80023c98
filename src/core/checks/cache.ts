/**
 * Per-cell memory for the static checks, so that re-checking a notebook after an edit redoes only the
 * work of the cells that changed: each check stores what it derived from a piece of text (math segments,
 * KaTeX's verdict, pasted-math regions) under that text. Entries unused by the latest check are dropped
 * when it ends, so the cache holds one notebook's worth of results at most.
 */
export class CheckCache {
  private readonly kinds = new Map<string, Map<string, { used: number; value: unknown }>>();
  private generation = 0;
  private hitCount = 0;
  private missCount = 0;

  /** The value stored for (kind, key), computing and storing it when absent. */
  memo<T>(kind: string, key: string, compute: () => T): T {
    let map = this.kinds.get(kind);
    if (!map) this.kinds.set(kind, (map = new Map()));
    const entry = map.get(key);
    if (entry) {
      entry.used = this.generation;
      this.hitCount++;
      return entry.value as T;
    }
    this.missCount++;
    const value = compute();
    map.set(key, { used: this.generation, value });
    return value;
  }

  /** Ends one check of the notebook: forgets what it did not use. */
  sweep(): void {
    for (const map of this.kinds.values()) {
      for (const [key, entry] of map) if (entry.used !== this.generation) map.delete(key);
    }
    this.generation++;
  }

  /** How often a stored result was reused, and how often work was done (since the cache was made). */
  get stats(): { readonly hits: number; readonly misses: number; readonly entries: number } {
    let entries = 0;
    for (const map of this.kinds.values()) entries += map.size;
    return { hits: this.hitCount, misses: this.missCount, entries };
  }
}
