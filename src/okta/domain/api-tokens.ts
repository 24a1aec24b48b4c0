import { invalidSession, invalidToken, OktaError } from './errors.ts';
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
  if (token?.status === 'ACTIVE') return true;
  if (org.config.quirks.invalidApiTokenOnAuthn === 'reject') {
    throw invalidToken(token ? 'API token revoked' : 'unknown API token');
  }
  return false;
}
