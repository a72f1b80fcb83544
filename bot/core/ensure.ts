/**
 * The value, which the code has already proved is there (an index just found, a document id the
 * index was built from, a list known not to be empty). Missing means a bug, not bad input: it
 * throws at once, naming what was expected, rather than failing later on an undefined.
 */
export function ensure<T>(value: T, expected: string): NonNullable<T> {
  if (value === undefined || value === null) throw new Error(`Internal error: expected ${expected}`);
  return value;
}
