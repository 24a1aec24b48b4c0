import type { JWTPayload } from 'jose';
import { jose } from './keys.ts';
import { OAUTH_TEXT, OAuthError } from './oauth-errors.ts';
import { type AuthorizationServer, issuerOf, type OidcApp } from './oidc-model.ts';
import { checkAccessToken, decodeHeader, decodePayload, revokeGrant, userClaims } from './oidc-tokens.ts';
import type { OktaOrg } from './org.ts';
import { liveSession } from './sessions.ts';

/** How `/userinfo` got its token: the header's bearer value, and whether one came in the query. */
export interface UserinfoCredential {
  bearer: string | undefined;
  inQuery: boolean;
}

/**
 * `/v1/userinfo` (docs/fidelity/okta.md#okta-oidc-userinfo): every claim of the token's scopes; errors in
 * `WWW-Authenticate` with no body.
 */
export function userinfo(
  org: OktaOrg,
  server: AuthorizationServer,
  credential: UserinfoCredential,
  context: { base: string; resource: string },
): JWTPayload {
  const delivery = {
    kind: 'challenge',
    issuer: issuerOf(server, context.base),
    resource: context.resource,
  } as const;
  if (credential.inQuery) {
    throw new OAuthError('invalid_request', OAUTH_TEXT.accessTokenInQuery, { delivery, status: 400 });
  }
  if (!credential.bearer)
    throw new OAuthError('invalid_request', OAUTH_TEXT.accessTokenMissing, { delivery, status: 401 });
  const check = checkAccessToken(org, credential.bearer, server);
  if (!check.ok || !check.record.userId) {
    throw new OAuthError('invalid_token', OAUTH_TEXT.accessTokenInvalid, {
      delivery,
      detail: check.ok ? 'a client-credentials token' : check.reason,
    });
  }
  const { scopes, userId } = check.record;
  if (!scopes.some((scope) => ['profile', 'email', 'address', 'phone'].includes(scope))) {
    throw new OAuthError('insufficient_scope', OAUTH_TEXT.userinfoScope, { delivery });
  }
  return userClaims(org, org.user(userId), scopes);
}

/**
 * `/v1/introspect` (docs/fidelity/okta.md#okta-oidc-introspect): the truth about an access, refresh or ID
 * token of this server; anything else is `{"active": false}`.
 */
export async function introspect(
  org: OktaOrg,
  server: AuthorizationServer,
  token: string,
  hint: string | undefined,
  base: string,
): Promise<Record<string, unknown>> {
  const inactive = { active: false };
  const order =
    hint === 'refresh_token'
      ? ['refresh', 'access', 'id']
      : hint === 'id_token'
        ? ['id', 'access', 'refresh']
        : ['access', 'refresh', 'id'];
  for (const kind of order) {
    if (kind === 'access') {
      const check = checkAccessToken(org, token, server);
      if (!check.ok) continue;
      const { record } = check;
      const user = record.userId ? org.user(record.userId) : undefined;
      return {
        active: true,
        token_type: 'Bearer',
        scope: record.scopes.join(' '),
        client_id: record.clientId,
        ...(user && { username: user.login }),
        exp: record.expiresAt / 1000,
        iat: record.issuedAt / 1000,
        sub: record.sub,
        aud: record.audience,
        iss: record.issuer,
        jti: record.jti,
        ...(user && { uid: user.id }),
      };
    }
    if (kind === 'refresh') {
      const refresh = org.oidc.refreshTokens.get(token);
      if (!refresh || refresh.serverId !== server.id || refresh.revoked) continue;
      const grant = org.oidc.grants.get(refresh.grantId);
      const now = org.now();
      const idleEnd =
        server.refreshTokenIdle > 0 ? refresh.lastUsedAt + server.refreshTokenIdle : Number.POSITIVE_INFINITY;
      const rotatedEnd = refresh.rotatedAt !== undefined ? refresh.rotatedAt : Number.POSITIVE_INFINITY;
      if (!grant || grant.revoked || now >= Math.min(refresh.expiresAt, idleEnd)) continue;
      // A rotated token is still usable within the leeway, but no longer "the" token.
      if (now > rotatedEnd + (org.oidc.apps.get(refresh.clientId)?.refreshTokenLeeway ?? 0)) continue;
      const user = grant.userId ? org.user(grant.userId) : undefined;
      const end = Math.min(refresh.expiresAt, idleEnd);
      return {
        active: true,
        token_type: 'Bearer',
        scope: refresh.scopes.join(' '),
        client_id: refresh.clientId,
        ...(user && { username: user.login, sub: user.login, uid: user.id }),
        ...(Number.isFinite(end) && { exp: Math.floor(end / 1000) }),
        iat: Math.floor(refresh.issuedAt / 1000),
        iss: issuerOf(server, base),
      };
    }
    const claims = await verifyIdToken(org, server, token, base);
    if (claims && typeof claims.exp === 'number' && claims.exp * 1000 > org.now()) {
      return { active: true, token_type: 'Bearer', ...claims, client_id: claims.aud };
    }
  }
  return inactive;
}

/**
 * `/v1/revoke` (docs/fidelity/okta.md#okta-oidc-revoke): a client's own access or refresh token; revoking
 * a refresh token revokes the access tokens minted with it. Unknown tokens are no error.
 */
export function revoke(org: OktaOrg, server: AuthorizationServer, app: OidcApp, token: string): boolean {
  const refresh = org.oidc.refreshTokens.get(token);
  if (refresh && refresh.serverId === server.id && refresh.clientId === app.clientId) {
    revokeGrant(org, refresh.grantId);
    return true;
  }
  const check = checkAccessToken(org, token, server);
  if (check.ok && check.record.clientId === app.clientId) {
    check.record.revoked = true;
    return true;
  }
  return false;
}

/** Revokes every grant of a user (their access and refresh tokens); returns how many. */
export function revokeUserTokens(org: OktaOrg, userId: string): number {
  let count = 0;
  for (const grant of org.oidc.grants.values()) {
    if (grant.userId === userId && !grant.revoked) {
      grant.revoked = true;
      count += 1;
    }
  }
  return count;
}

/** The claims of an ID token this server signed (expired or not), or `undefined`. */
export async function verifyIdToken(
  org: OktaOrg,
  server: AuthorizationServer,
  token: string,
  base: string,
): Promise<JWTPayload | undefined> {
  const kid = decodeHeader(token)?.kid;
  const key = typeof kid === 'string' ? org.keys.byKid(kid) : undefined;
  if (!key) return undefined;
  const published = await org.keys.published(server.keySlot);
  if (!published.some((candidate) => candidate.kid === key.kid)) return undefined;
  const { compactVerify } = await jose();
  try {
    await compactVerify(token, key.publicKey, { algorithms: ['RS256'] });
  } catch {
    return undefined;
  }
  const claims = decodePayload(token);
  if (
    !claims ||
    claims.iss !== issuerOf(server, base) ||
    typeof claims.jti !== 'string' ||
    !claims.jti.startsWith('ID.')
  ) {
    return undefined;
  }
  return claims;
}

export interface LogoutRequest {
  idTokenHint: string | undefined;
  postLogoutRedirectUri: string | undefined;
  state: string | undefined;
  sid: string | undefined;
}

/**
 * `/v1/logout` (docs/fidelity/okta.md#okta-oidc-logout): ends the Okta session of the hint's user and goes
 * to the registered post-logout URI; tokens survive. Returns where to go, and whether a session ended.
 */
export async function logout(
  org: OktaOrg,
  server: AuthorizationServer,
  request: LogoutRequest,
  base: string,
): Promise<{ location: string | undefined; ended: boolean }> {
  const page = (
    text: string,
    code: 'invalid_request' | 'id_token_does_not_match_session' = 'invalid_request',
  ) => new OAuthError(code, text, { delivery: { kind: 'page' } });
  if (!request.idTokenHint) throw page(OAUTH_TEXT.idTokenHintMissing);
  const claims = await verifyIdToken(org, server, request.idTokenHint, base);
  const app = typeof claims?.aud === 'string' ? org.oidc.apps.get(claims.aud) : undefined;
  if (!claims || !app) throw page(OAUTH_TEXT.idTokenHintInvalid);
  const target = request.postLogoutRedirectUri;
  if (target !== undefined && !app.postLogoutRedirectUris.includes(target))
    throw page(OAUTH_TEXT.logoutRedirect);
  const session = liveSession(org, request.sid);
  if (session && session.userId !== claims.sub)
    throw page(OAUTH_TEXT.idTokenSession, 'id_token_does_not_match_session');
  if (session) org.sessions.delete(session.id);
  let location: string | undefined;
  if (target !== undefined) {
    const url = new URL(target);
    if (request.state !== undefined) url.searchParams.set('state', request.state);
    location = url.href;
  }
  return { location, ended: session !== undefined };
}
