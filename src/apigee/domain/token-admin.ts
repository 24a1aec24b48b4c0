import { checkedAttributes } from './attributes.ts';
import { badManagementRequest, managementError } from './errors.ts';
import type { AccessToken, Attribute, RefreshToken } from './model.ts';
import type { ApigeeOrg } from './org.ts';
import { revokeAll } from './revocation.ts';

/**
 * Apigee Edge's OAuth token administration (docs/fidelity/apigee.md#apigee-edge-token-admin): look up an
 * access token, approve, revoke, update or delete it, approve or revoke a refresh token, and revoke or
 * search the tokens of an app or an end user. Apigee X has none of it. Revocations here are the same as
 * InvalidateToken's for the runtime: VerifyAccessToken refuses a revoked token (after `tokens.revocationDelay`).
 */

export function accessTokenOf(org: ApigeeOrg, value: string): AccessToken {
  const token = org.tokens.access(value);
  if (!token) throw managementError('AccessTokenDoesntExists');
  return token;
}

/** `?action=approve|revoke[&cascade=true]` on an access token; `cascade` reaches its refresh token. */
export function setAccessTokenStatus(
  org: ApigeeOrg,
  value: string,
  action: string | null,
  cascade: boolean,
): AccessToken {
  const token = accessTokenOf(org, value);
  const approve = actionOf(action);
  const refresh = cascade && token.refreshToken ? org.tokens.refresh(token.refreshToken) : undefined;
  setStatus(org, token, approve);
  if (refresh) setStatus(org, refresh, approve);
  return token;
}

/** A body without `action`: the named attributes set (others kept), and the scope when given. */
export function updateAccessToken(
  org: ApigeeOrg,
  value: string,
  update: { attributes: readonly (Attribute | null)[] | undefined; scope: string | undefined },
): AccessToken {
  const token = accessTokenOf(org, value);
  const given = checkedAttributes(update.attributes);
  const merged = [...(token.attributes ?? [])];
  for (const attribute of given) {
    const found = merged.find((a) => a.name === attribute.name);
    if (found) found.value = attribute.value;
    else merged.push(attribute);
  }
  const attributes = checkedAttributes(merged);
  if (update.scope !== undefined && update.scope.length > 4096) {
    throw badManagementRequest('scope is longer than 4096 characters');
  }
  token.attributes = attributes;
  if (update.scope !== undefined) token.scope = update.scope;
  return token;
}

/** `DELETE .../accesstokens/{t}`: the token is gone; VerifyAccessToken no longer knows it. */
export function deleteAccessToken(org: ApigeeOrg, value: string): AccessToken {
  const token = accessTokenOf(org, value);
  org.tokens.deleteAccess(value);
  return token;
}

export function setRefreshTokenStatus(org: ApigeeOrg, value: string, action: string | null): RefreshToken {
  const token = org.tokens.refresh(value);
  if (!token) throw managementError('RefreshTokenDoesntExists');
  setStatus(org, token, actionOf(action));
  return token;
}

/**
 * `POST /oauth2/revoke?app=&enduser=`: the access tokens of an app, an end user or both (their refresh
 * tokens with `cascade`); answers how many it revoked. Apigee queues the work; the simulator does it at once.
 */
export function revokeTokens(
  org: ApigeeOrg,
  input: { appId: string | undefined; endUser: string | undefined; cascade: boolean },
): number {
  checkQuery(org, input.appId, input.endUser);
  return revokeAll(org, {
    appId: input.appId,
    endUser: input.endUser,
    before: undefined,
    cascade: input.cascade,
  });
}

export interface TokenSearch {
  list: string[];
  limit: number;
  next: string;
  start: string;
  totalResults: number;
}

/** Edge's `limit` default (docs/fidelity/apigee.md#apigee-edge-token-admin) and our cap on it. */
export const SEARCH_LIMIT = { default: 10, max: 1000 } as const;

/** `GET /oauth2/search?app=|enduser=&limit=&start=`: access token values, a page starting at `start`. */
export function searchTokens(
  org: ApigeeOrg,
  input: {
    appId: string | undefined;
    endUser: string | undefined;
    limit: string | null;
    start: string | null;
  },
): TokenSearch {
  checkQuery(org, input.appId, input.endUser);
  const limit = input.limit === null ? SEARCH_LIMIT.default : Number(input.limit);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > SEARCH_LIMIT.max) {
    throw managementError('InvalidValueForLimitParam', [input.limit ?? '']);
  }
  const candidates = input.appId ? org.tokens.ofApp(input.appId) : org.tokens.ofEndUser(input.endUser ?? '');
  const values: string[] = [];
  for (const token of candidates) {
    if ('pairedAccessToken' in token) continue;
    if (input.appId && input.endUser && token.endUser !== input.endUser) continue;
    values.push(token.value);
  }
  const start = input.start ?? '';
  const from = start === '' ? 0 : Math.max(0, values.indexOf(start));
  const list = values.slice(from, from + limit);
  return { list, limit, next: values[from + limit] ?? '', start, totalResults: values.length };
}

function checkQuery(org: ApigeeOrg, appId: string | undefined, endUser: string | undefined): void {
  if (!appId && !endUser) throw managementError('ParametersMissing');
  if (appId && !org.appById(appId)) throw managementError('AppIdDoesNotExist', [appId]);
}

function actionOf(action: string | null): boolean {
  if (action === 'approve') return true;
  if (action === 'revoke') return false;
  throw badManagementRequest(`Invalid action "${action ?? ''}": expected approve or revoke`);
}

function setStatus(org: ApigeeOrg, token: AccessToken | RefreshToken, approve: boolean): void {
  if (approve) {
    token.status = 'approved';
    token.revokedAt = undefined;
    token.revokeReason = undefined;
  } else if (token.status === 'approved') {
    token.status = 'revoked';
    token.revokedAt = org.now();
    token.revokeReason = 'TOKEN_REVOKED';
  }
}
