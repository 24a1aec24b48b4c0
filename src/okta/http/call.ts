import type { z } from 'zod';
import {
  type AnswerHeaders,
  bodyText,
  MAX_BODY_BYTES,
  type SimRequest,
  type SimResponse,
  simResponse,
} from '../../http/exchange.ts';
import { OktaError } from '../domain/errors.ts';
import type { OktaOrg } from '../domain/org.ts';

/** One request to the Okta surface, as an operation handler sees it. */
export interface OktaCall {
  readonly request: SimRequest;
  readonly url: URL;
  readonly params: Record<string, string>;
  readonly org: OktaOrg;
  /** The origin links point at: the one the request was sent to. */
  readonly base: string;
  readonly cookies: Readonly<Record<string, string>>;
  /** Headers the answer must carry besides the common ones (Set-Cookie ...). */
  readonly headers: AnswerHeaders;
  /** Journal notes: who the request was about and what came of it. */
  principal?: string;
  outcome?: string;
}

/**
 * Reads a JSON request body and checks it against `schema`. Every way a body can be wrong gives an
 * Okta-shaped 4xx before any state is touched: oversized or unparsable bodies and `__proto__` keys are
 * E0000003, a non-JSON content type is E0000021 (docs/fidelity/okta.md#okta-non-json-content-type, [L]
 * mapping). An empty body reads as `{}`.
 */
export function readJson<S extends z.ZodType>(call: OktaCall, schema: S): z.output<S> {
  const { request } = call;
  checkSize(request);
  const text = bodyText(request);
  let value: unknown = {};
  if (text.trim() !== '') {
    const type = request.headers.get('content-type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
      throw new OktaError('E0000021', { detail: `Content-Type "${type}" is not application/json` });
    }
    value = parseJson(text);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw malformed('the body is not a JSON object');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const where = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw malformed(where.join('; '));
  }
  return result.data;
}

/**
 * A form body (`application/x-www-form-urlencoded`), as browsers post it; oversized bodies are E0000003
 * like JSON ones, and a body of another type has no fields.
 */
export function readForm(call: OktaCall): URLSearchParams {
  checkSize(call.request);
  const type = call.request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return new URLSearchParams();
  return new URLSearchParams(bodyText(call.request));
}

function checkSize(request: SimRequest): void {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw malformed(`body of ${declared} bytes exceeds ${MAX_BODY_BYTES}`);
  if (request.body.byteLength > MAX_BODY_BYTES)
    throw malformed(`body of more than ${MAX_BODY_BYTES} bytes exceeds ${MAX_BODY_BYTES}`);
}

function parseJson(text: string): unknown {
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
    throw malformed(`invalid JSON: ${(error as Error).message}`);
  }
  if (pollution) throw malformed('a "__proto__" key was refused');
  return value;
}

function malformed(detail: string): OktaError {
  return new OktaError('E0000003', { detail });
}

/** A JSON answer. */
export { jsonResponse as json } from '../../http/exchange.ts';

/** 204 with no body and no content type (docs/fidelity/okta.md#okta-no-content). */
export function noContent(): SimResponse {
  return simResponse(204);
}

/** Cookie header → name/value pairs. */
export function parseCookies(header: string | null): Record<string, string> {
  // No prototype: a cookie named "__proto__" must stay a cookie.
  const cookies: Record<string, string> = Object.create(null);
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name && !Object.hasOwn(cookies, name)) cookies[name] = safeDecode(value);
  }
  return cookies;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
