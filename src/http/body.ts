import { errorMessage } from '../core/error-message.ts';
import { bodyText, MAX_BODY_BYTES, type SimRequest } from './exchange.ts';

/**
 * Request bodies as the vendors read them. Each reader says what is wrong, in its own terms, and each
 * vendor turns that into its own error: the readers know HTTP, not the vendors' error catalogues.
 */
export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; problem: 'too-big' | 'not-json-type' | 'malformed'; detail: string };

/** Whether the body (declared or sent) is over the size every vendor refuses (1 MiB). */
export function oversized(request: SimRequest): string | undefined {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return `body of ${declared} bytes exceeds ${MAX_BODY_BYTES}`;
  if (request.body.byteLength > MAX_BODY_BYTES)
    return `body of more than ${MAX_BODY_BYTES} bytes exceeds ${MAX_BODY_BYTES}`;
  return undefined;
}

/**
 * A JSON body: `{}` when empty; an error for an oversized body, a body whose type is not JSON, text that
 * does not parse, and any `"__proto__"` key (which would otherwise reach object prototypes).
 */
export function readJsonBody(request: SimRequest): JsonBody {
  const tooBig = oversized(request);
  if (tooBig) return { ok: false, problem: 'too-big', detail: tooBig };
  const text = bodyText(request);
  if (text.trim() === '') return { ok: true, value: {} };
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    return { ok: false, problem: 'not-json-type', detail: `Content-Type "${type}" is not application/json` };
  }
  let pollution = false;
  let value: unknown;
  // A "__proto__" key is spelt out or \u-escaped in the text; without either, the visiting reviver (several
  // times slower than a plain parse) has nothing to find.
  const suspect = text.includes('__proto__') || text.includes('\\u');
  try {
    value = JSON.parse(
      text,
      suspect
        ? (key, inner) => {
            if (key === '__proto__') pollution = true;
            return inner;
          }
        : undefined,
    );
  } catch (error) {
    return { ok: false, problem: 'malformed', detail: `invalid JSON: ${errorMessage(error)}` };
  }
  if (pollution) return { ok: false, problem: 'malformed', detail: 'a "__proto__" key was refused' };
  return { ok: true, value };
}

/** A form body's fields; a body of another type has none (as a proxy's `request.formparam.*` reads it). */
export function readFormBody(request: SimRequest): URLSearchParams {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return new URLSearchParams();
  return new URLSearchParams(bodyText(request));
}
