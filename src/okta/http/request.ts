import { z } from 'zod';
import { oversized, readFormBody, readJsonBody } from '../../http/body.ts';
import { parseAuthorization } from '../../http/credentials.ts';
import type { SimRequest } from '../../http/exchange.ts';
import type { ApiCredential } from '../domain/api-tokens.ts';
import { OktaError } from '../domain/errors.ts';

/**
 * Reads a JSON request body and checks it against `schema`. Every way a body can be wrong gives an
 * Okta-shaped 4xx before any state is touched: oversized or unparsable bodies, `__proto__` keys and
 * fields of the wrong type are E0000003 (docs/fidelity/okta.md#okta-malformed-json,
 * docs/fidelity/okta.md#okta-bad-body), a body that is not JSON by its type is E0000021
 * (docs/fidelity/okta.md#okta-non-json-content-type). An empty body reads as `{}`.
 */
export function readJson<S extends z.ZodType>(request: SimRequest, schema: S): z.output<S> {
  const body = readJsonBody(request);
  if (!body.ok) {
    throw new OktaError(body.problem === 'not-json-type' ? 'E0000021' : 'E0000003', { detail: body.detail });
  }
  const { value } = body;
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

/** A form body, as browsers post it; oversized bodies are E0000003 like JSON ones. */
export function readForm(request: SimRequest): URLSearchParams {
  const tooBig = oversized(request);
  if (tooBig) throw malformed(tooBig);
  return readFormBody(request);
}

/** The credentials of `Authorization`, as the Okta domain tells them apart. */
export function apiCredential(request: SimRequest): ApiCredential {
  const authorization = parseAuthorization(request.headers.get('authorization'));
  if (!authorization) return { scheme: 'none' };
  // Okta compares the scheme as written: `ssws <token>` is not an API token (docs/fidelity/okta.md#okta-no-ssws-token).
  if ((authorization.scheme === 'SSWS' || authorization.scheme === 'Bearer') && authorization.value !== '') {
    return { scheme: authorization.scheme, token: authorization.value };
  }
  return { scheme: 'other', name: authorization.scheme };
}

function malformed(detail: string): OktaError {
  return new OktaError('E0000003', { detail });
}

/** An optional text field; `null` reads as absent, as okta-auth-js sometimes sends it. */
export const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

/** An optional boolean field; `null` reads as absent. */
export const optionalFlag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? undefined);
