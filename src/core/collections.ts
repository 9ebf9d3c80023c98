/** Small collection helpers the checks share. */

/** Appends `value` to the list `map` holds for `key` (in place: no copy of the list per item). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
