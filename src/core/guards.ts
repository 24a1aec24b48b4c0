/**
 * Type guards for values whose type the compiler cannot know: parsed JSON, caught errors, strings read from a
 * request. Each checks at run time what its predicate claims, so that code narrows instead of asserting.
 */

/** Whether `value` is an object whose properties can be read by name (arrays too; not `null`). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Whether `value` is one of `list`: `Array.prototype.includes` that narrows to the list's literal type. */
export function oneOf<const T>(list: readonly T[], value: unknown): value is T {
  const wide: readonly unknown[] = list;
  return wide.includes(value);
}
