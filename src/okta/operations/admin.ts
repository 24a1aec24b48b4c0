import { z } from 'zod';
import { jsonResponse, type SimResponse, simResponse } from '../../http/exchange.ts';
import type { Call } from '../../http/operation.ts';
import { authenticateApiCall } from '../domain/api-tokens.ts';
import type { ApiToken } from '../domain/model.ts';
import type { AccessTokenRecord } from '../domain/oidc-model.ts';
import type { OktaOrg } from '../domain/org.ts';
import { type LimitRule, type Page, type PageRequest, pageRequest } from '../domain/paging.ts';
import { apiCredential } from '../http/request.ts';
import { pageLinks } from '../http/wire.ts';
import { sidOf } from './sessions.ts';

/**
 * What the admin APIs (users, factors, groups, API tokens) share: authentication by API token, query flags,
 * paged answers with `Link` headers, the empty answers okta-sdk-nodejs expects.
 */

/** Authenticates an admin call (docs/fidelity/okta.md#okta-api-token-auth); the one way in for every admin operation. */
export function admitAdmin(call: Call<OktaOrg>): ApiToken | AccessTokenRecord {
  return authenticateApiCall(call.org, apiCredential(call.request), sidOf(call), scopesFor(call));
}

/**
 * The OAuth scopes that let an org-server access token call an admin endpoint, by API and method: a read
 * takes `okta.<api>.read` or `.manage`, anything else `.manage` (docs/fidelity/okta.md#okta-bearer-on-admin).
 */
function scopesFor(call: Call<OktaOrg>): string[] {
  const path = call.url.pathname;
  const api = path.startsWith('/api/v1/groups')
    ? 'groups'
    : path.startsWith('/api/v1/api-tokens')
      ? 'apiTokens'
      : 'users';
  return call.request.method === 'GET' ? [`okta.${api}.read`, `okta.${api}.manage`] : [`okta.${api}.manage`];
}

/**
 * A boolean query parameter (`activate`, `sendEmail`, `strict` ...): `true` or `false` in any case; absent
 * or anything else gives the default.
 */
export function queryFlag(url: URL, name: string, fallback: boolean): boolean {
  const value = url.searchParams.get(name)?.toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : fallback;
}

/** A query parameter, or undefined when absent (an empty value counts as given). */
export function queryText(url: URL, name: string): string | undefined {
  return url.searchParams.get(name) ?? undefined;
}

/** `limit` and `after` of a listing (docs/fidelity/okta.md#okta-pagination). */
export function pageOfQuery(url: URL, rule: LimitRule): PageRequest {
  return pageRequest(url.searchParams.get('limit'), url.searchParams.get('after'), rule);
}

/** A page as JSON with its `Link` headers. */
export function pageResponse<T>(
  page: Page<T>,
  limit: number,
  url: URL,
  body: (item: T) => unknown,
): SimResponse {
  const response = jsonResponse(page.items.map(body));
  for (const [name, value] of pageLinks(url, page.next, limit)) response.headers.append(name, value);
  return response;
}

/**
 * A 200 without a body, as Okta answers the lifecycle operations okta-sdk-nodejs types `void`
 * (docs/fidelity/okta.md#okta-admin-empty-answers).
 */
export const emptyOk = (): SimResponse => simResponse(200);

/** `{}` with a JSON type, where Okta's documents say "an empty object" and the SDK parses the body. */
export const emptyObject = (): SimResponse => jsonResponse({});

/** 204, no body. */
export const noContent = (): SimResponse => simResponse(204);

/** A text field of a JSON body; `null` reads as absent. */
export const text = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

/** `{ "value": "..." }`, as Okta wraps passwords. */
export const secret = z
  .object({ value: text })
  .nullish()
  .transform((value) => value?.value);
