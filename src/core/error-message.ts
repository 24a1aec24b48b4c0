import { isRecord } from './guards.ts';

/** The message of anything thrown: an Error's message, or the value as text. */
export function errorMessage(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** The `code` of anything thrown that has a string one (Node's `ENOENT`, `ERR_PARSE_ARGS_...`). */
export function errorCode(thrown: unknown): string | undefined {
  return isRecord(thrown) && typeof thrown.code === 'string' ? thrown.code : undefined;
}
