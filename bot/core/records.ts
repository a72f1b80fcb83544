/** A copy of a record without the given keys; the others keep their order. */
export function withoutKeys<V>(
  record: Readonly<Record<string, V>>,
  keys: readonly string[],
): Record<string, V> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}
