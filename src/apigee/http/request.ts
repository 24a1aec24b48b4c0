import { oversized, readFormBody } from '../../http/body.ts';
import { basicCredentials, bearerToken, parseAuthorization } from '../../http/credentials.ts';
import type { SimRequest } from '../../http/exchange.ts';
import { ApigeeError, invalidRequest } from '../domain/errors.ts';
import type { ClientCredentials } from '../domain/grants.ts';

/**
 * The request's form fields (`application/x-www-form-urlencoded`), as the OAuthV2 policy reads
 * `request.formparam.*`. A body of another type has no form fields, so the operation then finds its
 * parameters missing, as Apigee does (docs/fidelity/apigee.md#apigee-non-form-body). Oversized bodies
 * are `protocol.http.TooBigBody` (docs/fidelity/apigee.md#apigee-body-too-big).
 */
export function readForm(request: SimRequest): URLSearchParams {
  const tooBig = oversized(request);
  if (tooBig) throw new ApigeeError('fault', 413, 'protocol.http.TooBigBody', 'Body buffer overflow', tooBig);
  const form = readFormBody(request);
  for (const [name, value] of form) {
    if (value.length > MAX_FIELD_LENGTH || name.length > MAX_FIELD_LENGTH) {
      throw invalidRequest(`Invalid ${name.slice(0, 64)} : longer than ${MAX_FIELD_LENGTH} characters`);
    }
  }
  return form;
}

/**
 * The longest form field or query parameter the reference proxy reads: a client-facing proxy refuses
 * the rest with a 400 (docs/fidelity/apigee.md#apigee-field-limits), so that no token carries a megabyte.
 */
export const MAX_FIELD_LENGTH = 4096;

/** A field from the form, else the query string (docs/fidelity/apigee.md#apigee-token-request). */
export function param(request: SimRequest, form: URLSearchParams, name: string): string | undefined {
  return form.get(name) ?? query(request, name);
}

/** A query parameter, within the field limit. */
export function query(request: SimRequest, name: string): string | undefined {
  const value = request.url.searchParams.get(name) ?? undefined;
  if (value !== undefined && value.length > MAX_FIELD_LENGTH) {
    throw invalidRequest(`Invalid ${name} : longer than ${MAX_FIELD_LENGTH} characters`);
  }
  return value;
}

/**
 * Client credentials: HTTP Basic first, else `client_id` / `client_secret` form fields
 * (docs/fidelity/apigee.md#apigee-client-authentication); `undefined` when the request sends none. A
 * Basic header that does not decode to `id:secret` counts as credentials that match no client.
 */
export function clientCredentials(request: SimRequest, form: URLSearchParams): ClientCredentials | undefined {
  const authorization = parseAuthorization(request.headers.get('authorization'));
  if (authorization?.scheme === 'Basic') {
    const pair = basicCredentials(authorization.value);
    return pair
      ? { clientId: pair.id, clientSecret: pair.secret }
      : { clientId: undefined, clientSecret: undefined };
  }
  const clientId = form.get('client_id') ?? undefined;
  if (clientId === undefined) return undefined;
  return { clientId, clientSecret: form.get('client_secret') ?? undefined };
}

/** The bearer token of the request, if it sends one. */
export function bearerOf(request: SimRequest): string | undefined {
  return bearerToken(parseAuthorization(request.headers.get('authorization')));
}
