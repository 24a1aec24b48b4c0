import { invalidSession, invalidToken, OktaError, resourceNotFound } from './errors.ts';
import type { ApiToken } from './model.ts';
import type { AccessTokenRecord } from './oidc-model.ts';
import { checkAccessToken } from './oidc-tokens.ts';
import type { OktaOrg } from './org.ts';
import { liveSession } from './sessions.ts';

/**
 * The credentials a request to the Okta API carries, as the HTTP layer read them from `Authorization`:
 * none, an API token (`SSWS`, case as Okta writes it), a bearer token, or another scheme.
 */
export type ApiCredential =
  | { scheme: 'none' }
  | { scheme: 'SSWS'; token: string }
  | { scheme: 'Bearer'; token: string }
  | { scheme: 'other'; name: string };

/**
 * Authenticates a call to an admin endpoint (`/api/v1/sessions/{id}`, `/api/v1/users/{id}`): no
 * credentials, or a scheme other than `SSWS`, falls back to cookie-session auth and fails with 403
 * E0000005 (docs/fidelity/okta.md#okta-no-ssws-token); an unknown or revoked SSWS token is 401 E0000011
 * (docs/fidelity/okta.md#okta-api-token-auth). A `Bearer` token must be a live access token of the org
 * authorization server (OAuth 2.0 for Okta) holding one of `scopes` when they are given: anything else is
 * 401 E0000011, a token without the scope 403 E0000006 (docs/fidelity/okta.md#okta-bearer-on-admin).
 */
export function authenticateApiCall(
  org: OktaOrg,
  credential: ApiCredential,
  sid: string | undefined,
  scopes?: readonly string[],
): ApiToken | AccessTokenRecord {
  switch (credential.scheme) {
    case 'none':
      throw invalidSession('no Authorization header: Okta fell back to the session cookie');
    case 'Bearer': {
      const check = checkAccessToken(org, credential.token);
      if (!check.ok) throw invalidToken(`Bearer token on an admin endpoint: ${check.reason}`);
      if (check.record.serverId !== 'org') {
        throw invalidToken(
          "a custom authorization server's access token: only the org server's reach /api/v1",
        );
      }
      if (scopes && !scopes.some((scope) => check.record.scopes.includes(scope))) {
        throw new OktaError('E0000006', { detail: `the access token has none of ${scopes.join(', ')}` });
      }
      return check.record;
    }
    case 'other':
      throw invalidSession(`Authorization scheme is not "SSWS ": ${credential.name}`);
    case 'SSWS': {
      const token = org.apiTokens.get(credential.token);
      if (token?.status !== 'ACTIVE') throw invalidToken(token ? 'API token revoked' : 'unknown API token');
      // A token whose owner was deactivated or deleted is invalid (docs/fidelity/okta.md#okta-api-token-owner).
      if (!ownerActive(org, token)) throw invalidToken("the API token's owner is deactivated or deleted");
      if (sid !== undefined && org.config.quirks.staleSidCookie === 'reject' && !liveSession(org, sid)) {
        throw invalidSession(
          'a dead sid cookie came with the API call (docs/fidelity/okta.md#okta-stale-sid-cookie)',
        );
      }
      return token;
    }
  }
}

/**
 * Whether a call to a public endpoint (`/api/v1/authn*`) is a trusted-application call
 * (docs/fidelity/okta.md#okta-trusted-app). A bad SSWS token is refused or ignored as
 * `quirks.invalidApiTokenOnAuthn` says (docs/fidelity/okta.md#okta-authn-bad-ssws); other schemes are ignored.
 */
export function isTrustedCall(org: OktaOrg, credential: ApiCredential): boolean {
  if (credential.scheme !== 'SSWS') return false;
  const token = org.apiTokens.get(credential.token);
  if (token?.status === 'ACTIVE' && ownerActive(org, token)) return true;
  if (org.config.quirks.invalidApiTokenOnAuthn === 'reject') {
    throw invalidToken(token ? 'API token revoked' : 'unknown API token');
  }
  return false;
}

/** Whether a token's owner (if it has one) can still act: not deactivated, not deleted. */
function ownerActive(org: OktaOrg, token: ApiToken): boolean {
  if (token.userId === undefined) return true;
  const owner = org.users.get(token.userId);
  return owner !== undefined && owner.status !== 'DEPROVISIONED';
}

/**
 * The tokens `GET /api/v1/api-tokens` lists: the active ones, whose owner can still act
 * (docs/fidelity/okta.md#okta-admin-api-tokens).
 */
export function activeApiTokens(org: OktaOrg): ApiToken[] {
  return [...org.apiTokens.values()].filter((token) => token.status === 'ACTIVE' && ownerActive(org, token));
}

/** An active token by id (`GET` and `DELETE /api/v1/api-tokens/{id}`), or 404 E0000007. */
export function apiTokenById(org: OktaOrg, id: string): ApiToken {
  const token = org.apiTokens.byId(id);
  if (token?.status !== 'ACTIVE' || !ownerActive(org, token)) throw resourceNotFound(id, 'ApiToken');
  return token;
}

/** Whether an admin caller's credential is an API token (not an OAuth access token). */
export function isApiToken(caller: ApiToken | AccessTokenRecord): caller is ApiToken {
  return 'token' in caller && 'name' in caller;
}

/** Revokes a token: every later call with it is 401 E0000011 (docs/fidelity/okta.md#okta-api-token-auth). */
export function revokeApiToken(org: OktaOrg, token: ApiToken): void {
  token.status = 'REVOKED';
  token.lastUpdated = org.now();
}

/**
 * `DELETE /api/v1/api-tokens/current`: revokes the token the call came with; only an SSWS token is one to
 * revoke (docs/fidelity/okta.md#okta-admin-api-tokens).
 */
export function currentApiToken(org: OktaOrg, credential: ApiCredential, sid: string | undefined): ApiToken {
  const token = authenticateApiCall(org, credential, sid);
  if (credential.scheme !== 'SSWS' || !isApiToken(token)) {
    throw new OktaError('E0000006', { detail: 'only an API token can revoke itself' });
  }
  return token;
}
