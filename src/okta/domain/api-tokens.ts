import { invalidSession, invalidToken } from './errors.ts';
import type { ApiToken } from './model.ts';
import type { OktaOrg } from './org.ts';
import { liveSession } from './sessions.ts';

/**
 * Authenticates a call to an admin endpoint (`/api/v1/sessions/{id}`, `/api/v1/users/{id}`) the way
 * docs/fidelity/okta.md#okta-no-ssws-token describes: no header, or a scheme other than `SSWS`, falls back to
 * cookie-session auth and fails with 403 E0000005; an unknown or revoked SSWS token is 401 E0000011.
 */
export function authenticateApiCall(
  org: OktaOrg,
  authorization: string | null,
  sid: string | undefined,
): ApiToken {
  if (authorization === null || authorization.trim() === '') {
    throw invalidSession(
      'no Authorization header: Okta fell back to the session cookie (docs/fidelity/okta.md#okta-no-ssws-token)',
    );
  }
  if (authorization.startsWith('Bearer ')) {
    // OAuth 2.0 for Okta is not simulated, so no bearer token is one Okta issued
    // (docs/fidelity/okta.md#okta-bearer-on-admin, [L]).
    throw invalidToken('Bearer token on an admin endpoint: not an access token this org issued');
  }
  if (!authorization.startsWith('SSWS ')) {
    throw invalidSession(
      `Authorization scheme is not "SSWS " (docs/fidelity/okta.md#okta-no-ssws-token): ${authorization.split(' ')[0]}`,
    );
  }
  const token = org.apiTokens.get(authorization.slice(5).trim());
  if (token?.status !== 'ACTIVE') throw invalidToken(token ? 'API token revoked' : 'unknown API token');
  if (sid !== undefined && org.config.quirks.staleSidCookie === 'reject' && !liveSession(org, sid)) {
    throw invalidSession(
      'a dead sid cookie came with the API call (docs/fidelity/okta.md#okta-stale-sid-cookie)',
    );
  }
  return token;
}

/**
 * Whether a call to a public endpoint (`/api/v1/authn*`) is a trusted-application call
 * (docs/fidelity/okta.md#okta-trusted-app). A bad SSWS token is refused or ignored as
 * `quirks.invalidApiTokenOnAuthn` says; other schemes are ignored.
 */
export function isTrustedCall(org: OktaOrg, authorization: string | null): boolean {
  if (!authorization?.startsWith('SSWS ')) return false;
  const token = org.apiTokens.get(authorization.slice(5).trim());
  if (token?.status === 'ACTIVE') return true;
  if (org.config.quirks.invalidApiTokenOnAuthn === 'reject') {
    throw invalidToken(token ? 'API token revoked' : 'unknown API token');
  }
  return false;
}
