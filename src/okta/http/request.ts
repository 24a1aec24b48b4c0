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
    const { issues } = result.error;
    // A field longer than the simulator's cap is a validation failure, as Okta reports an over-long field
    // (docs/fidelity/okta.md#okta-field-limits); anything else wrong with a field is a malformed body.
    const tooLong = issues.filter((issue) => issue.code === 'too_big');
    if (tooLong.length === issues.length) {
      const fields = tooLong.map((issue) => issue.path.join('.'));
      throw new OktaError('E0000001', {
        argument: fields.join(', '),
        causes: tooLong.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      });
    }
    const where = issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw malformed(where.join('; '));
  }
  return result.data;
}

/** The longest text field the simulator reads (docs/fidelity/okta.md#okta-field-limits). */
export const MAX_FIELD_LENGTH = 1024;

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
  .max(MAX_FIELD_LENGTH, `The field is longer than ${MAX_FIELD_LENGTH} characters`)
  .nullish()
  .transform((value) => value ?? undefined);

/** An optional boolean field; `null` reads as absent. */
export const optionalFlag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? undefined);
