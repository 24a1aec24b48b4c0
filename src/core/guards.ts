/**
 * Type guards for values whose type the compiler cannot know: parsed JSON, caught errors, strings read from a
 * request. Each checks at run time what its predicate claims, so that code narrows instead of asserting.
 */

/** Whether `value` is an object whose properties can be read by name (arrays too; not `null`). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
