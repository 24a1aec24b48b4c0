import { invalidSession, invalidToken, OktaError, resourceNotFound } from './errors.ts';
import type { ApiToken } from './model.ts';
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
 * (docs/fidelity/okta.md#okta-api-token-auth).
 */
export function authenticateApiCall(
  org: OktaOrg,
  credential: ApiCredential,
  sid: string | undefined,
): ApiToken {
  switch (credential.scheme) {
    case 'none':
      throw invalidSession('no Authorization header: Okta fell back to the session cookie');
    case 'Bearer':
      // OAuth 2.0 for Okta is not simulated, so no bearer token is one Okta issued.
      throw invalidToken('Bearer token on an admin endpoint: not an access token this org issued');
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
  if (credential.scheme !== 'SSWS') {
    throw new OktaError('E0000006', { detail: 'only an API token can revoke itself' });
  }
  return token;
}
