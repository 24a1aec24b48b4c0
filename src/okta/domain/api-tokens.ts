import { invalidSession, invalidToken } from './errors.ts';
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
