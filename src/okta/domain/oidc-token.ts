import { GRANT_TYPES, type GrantType, type PublicJwk } from './config.ts';
import { jose } from './keys.ts';
import { missingParameter, OAUTH_TEXT, OAuthError } from './oauth-errors.ts';
import { type AuthorizationServer, OIDC_SCOPES, type OidcApp, type RefreshToken } from './oidc-model.ts';
import {
  decodeHeader,
  decodePayload,
  mintTokens,
  newGrant,
  newRefreshToken,
  revokeGrant,
  s256,
  type TokenSet,
} from './oidc-tokens.ts';
import type { OktaOrg } from './org.ts';
import { passwordExpired } from './policy.ts';

/** How a client presented itself, as the HTTP layer read it (docs/fidelity/okta.md#okta-oidc-client-auth). */
export interface ClientCredentials {
  /** `Authorization: Basic`: id and secret; no secret for `Basic base64(client_id)` (okta-auth-js). */
  basic: { id: string; secret: string | undefined } | 'malformed' | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  assertionType: string | undefined;
  assertion: string | undefined;
  /** `client_secret` or `client_assertion` came in the query string. */
  secretInQuery: boolean;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Authenticates the client of a token, introspect or revoke request as its
 * `tokenEndpointAuthMethod` says; `endpoint` is the URL the client called (the assertion's `aud`).
 */
export async function authenticateClient(
  org: OktaOrg,
  credentials: ClientCredentials,
  endpoint: string,
): Promise<OidcApp> {
  if (credentials.secretInQuery) throw new OAuthError('invalid_request', OAUTH_TEXT.credentialsInQuery);
  const { basic, clientSecret, assertion } = credentials;
  const sources = [basic !== undefined, clientSecret !== undefined, assertion !== undefined].filter(Boolean);
  if (sources.length > 1)
    throw new OAuthError('invalid_request', OAUTH_TEXT.multipleCredentials, { status: 401 });
  if (basic === 'malformed') throw new OAuthError('invalid_client', OAUTH_TEXT.badBasic);
  const failed = (detail: string) =>
    new OAuthError('invalid_client', OAUTH_TEXT.clientAuthFailed, { detail });

  if (assertion !== undefined) {
    if (credentials.assertionType !== ASSERTION_TYPE)
      throw failed(`client_assertion_type ${credentials.assertionType}`);
    const claims = decodePayload(assertion);
    const id = typeof claims?.sub === 'string' ? claims.sub : undefined;
    const app = id ? org.oidc.apps.get(id) : undefined;
    if (app?.tokenEndpointAuthMethod !== 'private_key_jwt') throw failed('no private_key_jwt client');
    if (credentials.clientId !== undefined && credentials.clientId !== app.clientId)
      throw failed('client_id differs');
    await verifyAssertion(org, app, assertion, endpoint);
    return app;
  }
  const id = basic?.id ?? credentials.clientId;
  if (!id) throw new OAuthError('invalid_client', OAUTH_TEXT.noCredentials);
  const app = org.oidc.apps.get(id);
  if (!app) throw failed(`unknown client ${id}`);
  const secret = basic ? basic.secret : clientSecret;
  switch (app.tokenEndpointAuthMethod) {
    case 'none':
      if (secret !== undefined && secret !== '') throw failed('a secret for a public client');
      return app;
    case 'client_secret_basic':
    case 'client_secret_post': {
      if (secret === undefined || secret === '')
        throw new OAuthError('invalid_client', OAUTH_TEXT.noCredentials);
      const method = basic ? 'client_secret_basic' : 'client_secret_post';
      if (method !== app.tokenEndpointAuthMethod)
        throw failed(`${method} for a ${app.tokenEndpointAuthMethod} client`);
      if (secret !== app.clientSecret) throw new OAuthError('invalid_client', OAUTH_TEXT.badSecret);
      return app;
    }
    case 'private_key_jwt':
      throw new OAuthError('invalid_client', OAUTH_TEXT.noCredentials);
  }
}

/**
 * A `private_key_jwt` assertion: signed by a key of the app's JWKS, `iss` = `sub` = the client, `aud` =
 * the endpoint called, not expired on the virtual clock, at most an hour long, its `jti` used once
 * (docs/fidelity/okta.md#okta-oidc-client-assertion).
 */
async function verifyAssertion(
  org: OktaOrg,
  app: OidcApp,
  assertion: string,
  endpoint: string,
): Promise<void> {
  const fail = (text: string, detail?: string) => new OAuthError('invalid_client', text, { detail });
  const header = decodeHeader(assertion);
  const alg = typeof header?.alg === 'string' ? header.alg : '';
  const kid = typeof header?.kid === 'string' ? header.kid : undefined;
  const candidates = (app.jwks?.keys ?? []).filter(
    (jwk: PublicJwk) => kid === undefined || jwk.kid === undefined || jwk.kid === kid,
  );
  const { compactVerify, importJWK } = await jose();
  let verified = false;
  for (const jwk of candidates) {
    try {
      const key = await importJWK({ ...jwk, alg: typeof jwk.alg === 'string' ? jwk.alg : alg }, alg);
      await compactVerify(assertion, key, {
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
      });
      verified = true;
      break;
    } catch {
      // try the next key
    }
  }
  if (!verified) throw fail('The client_assertion signature is invalid.');
  const claims = decodePayload(assertion) ?? {};
  if (claims.iss !== app.clientId || claims.sub !== app.clientId) {
    throw fail('The issuer and subject claims for client_assertion must be the client_id.', 'iss/sub');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(endpoint)) {
    throw fail('The audience claim for client_assertion must be the endpoint invoked for the request.');
  }
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const now = org.now() / 1000;
  if (exp === undefined || exp <= now) throw fail('The client_assertion token is expired.');
  if (typeof claims.iat === 'number' && exp - claims.iat > 3600) {
    throw fail('The client_assertion token has an expiration too far in the future.');
  }
  const jti = typeof claims.jti === 'string' ? `${app.clientId} ${claims.jti}` : undefined;
  if (jti) {
    if (org.oidc.usedAssertions.has(jti)) throw fail('The client_assertion token has already been used.');
    org.oidc.usedAssertions.set(jti, exp * 1000);
  }
}

/** The fields of a token request (docs/fidelity/okta.md#okta-oidc-token). */
export interface TokenForm {
  grantType: string | undefined;
  code: string | undefined;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
  refreshToken: string | undefined;
  scope: string | undefined;
  username: string | undefined;
  password: string | undefined;
}

const SUPPORTED: readonly GrantType[] = [
  'authorization_code',
  'password',
  'refresh_token',
  'client_credentials',
];

/** `POST /v1/token`: the client authenticated, then the grant (docs/fidelity/okta.md#okta-oidc-token). */
export async function tokenRequest(
  org: OktaOrg,
  server: AuthorizationServer,
  app: OidcApp,
  form: TokenForm,
  context: { base: string; origin: string | null },
): Promise<TokenSet> {
  const grantType = form.grantType;
  if (!grantType) {
    throw new OAuthError(
      'invalid_request',
      `The token request must specify a 'grant_type'. Valid values: [${SUPPORTED.join(', ')}]`,
    );
  }
  const configured = `Configured grant types: [${app.grantTypes.filter((g) => g !== 'implicit').join(', ')}].`;
  const known = GRANT_TYPES.find((type) => type === grantType);
  if (!known || !SUPPORTED.includes(known)) {
    throw new OAuthError(
      'unsupported_grant_type',
      `The authorization grant type is not supported by the authorization server. ${configured}`,
    );
  }
  if (!app.grantTypes.includes(known)) {
    throw new OAuthError(
      'unauthorized_client',
      `The client is not authorized to use the provided grant type. ${configured}`,
    );
  }
  if (context.origin !== null && !app.redirectUris.some((uri) => URL.parse(uri)?.origin === context.origin)) {
    throw new OAuthError('invalid_request', OAUTH_TEXT.browserOrigin, { detail: `Origin ${context.origin}` });
  }
  switch (known) {
    case 'authorization_code':
      return codeGrant(org, server, app, form, context);
    case 'refresh_token':
      return refreshGrant(org, server, app, form, context.base);
    case 'client_credentials':
      return clientCredentialsGrant(org, server, app, form, context.base);
    default:
      return passwordGrant(org, server, app, form, context.base);
  }
}

async function codeGrant(
  org: OktaOrg,
  server: AuthorizationServer,
  app: OidcApp,
  form: TokenForm,
  context: { base: string; origin: string | null },
): Promise<TokenSet> {
  if (!form.code) throw missingParameter('code');
  if (!form.redirectUri) throw missingParameter('redirect_uri');
  // The only asynchronous check comes first, so that the code is judged and spent in one synchronous step.
  const verifierHash = form.codeVerifier !== undefined ? await s256(form.codeVerifier) : undefined;
  const code = org.oidc.codes.get(form.code);
  if (!code || org.now() >= code.expiresAt) throw new OAuthError('invalid_grant', OAUTH_TEXT.invalidCode);
  if (code.serverId !== server.id) throw new OAuthError('invalid_request', OAUTH_TEXT.otherServer);
  if (code.clientId !== app.clientId) throw new OAuthError('invalid_grant', OAUTH_TEXT.otherClient);
  if (code.redirectUri !== form.redirectUri)
    throw new OAuthError('invalid_grant', OAUTH_TEXT.redirectMismatch);
  if (code.codeChallenge !== undefined) {
    if (verifierHash === undefined) throw new OAuthError('invalid_request', OAUTH_TEXT.pkceVerifierRequired);
    if (verifierHash !== code.codeChallenge) throw new OAuthError('invalid_grant', OAUTH_TEXT.pkceFailed);
  } else if (verifierHash !== undefined) {
    throw new OAuthError('invalid_request', OAUTH_TEXT.pkceNoChallenge);
  } else if (context.origin !== null && app.tokenEndpointAuthMethod === 'none') {
    throw new OAuthError('invalid_client', OAUTH_TEXT.pkceBrowser);
  }
  org.oidc.codes.delete(code.code);
  const grant = newGrant(org, server, app, {
    userId: code.userId,
    scopes: code.scopes,
    authTime: code.authTime,
    amr: code.amr,
  });
  // A refresh token only for offline_access asked at /authorize, and a client with the refresh grant.
  const refresh =
    code.scopes.includes('offline_access') && app.grantTypes.includes('refresh_token')
      ? newRefreshToken(org, server, grant, code.scopes)
      : undefined;
  return mintTokens(org, {
    server,
    base: context.base,
    app,
    grant,
    scopes: code.scopes,
    accessToken: true,
    idToken: code.scopes.includes('openid'),
    nonce: code.nonce,
    refreshToken: refresh,
  });
}

/**
 * The refresh grant (docs/fidelity/okta.md#okta-oidc-refresh-tokens): rotation hands out a successor and
 * keeps the old token working for the app's leeway; a use after that revokes the whole grant.
 */
async function refreshGrant(
  org: OktaOrg,
  server: AuthorizationServer,
  app: OidcApp,
  form: TokenForm,
  base: string,
): Promise<TokenSet> {
  if (!form.refreshToken) throw missingParameter('refresh_token');
  const invalid = (detail: string) => new OAuthError('invalid_grant', OAUTH_TEXT.invalidRefresh, { detail });
  const token = org.oidc.refreshTokens.get(form.refreshToken);
  const now = org.now();
  if (!token || token.serverId !== server.id || token.clientId !== app.clientId)
    throw invalid('unknown refresh token');
  const grant = org.oidc.grants.get(token.grantId);
  if (!grant || grant.revoked || token.revoked) throw invalid('revoked');
  if (now >= token.expiresAt) throw invalid('past its lifetime');
  if (server.refreshTokenIdle > 0 && now >= token.lastUsedAt + server.refreshTokenIdle)
    throw invalid('idle too long');
  if (token.rotatedAt !== undefined && now > token.rotatedAt + app.refreshTokenLeeway) {
    revokeGrant(org, grant.id);
    throw invalid('reuse of a rotated refresh token: the grant is revoked');
  }
  let scopes = token.scopes;
  if (form.scope !== undefined) {
    const asked = [...new Set(form.scope.split(' ').filter(Boolean))];
    if (asked.some((scope) => !token.scopes.includes(scope)))
      throw new OAuthError('invalid_scope', OAUTH_TEXT.scopeExceeds);
    if (asked.length > 0) scopes = asked;
  }
  let next: RefreshToken = token;
  if (app.refreshTokenRotation === 'rotate') {
    next = newRefreshToken(org, server, grant, token.scopes, token.expiresAt);
    if (token.rotatedAt === undefined) {
      token.rotatedAt = now;
      token.successor = next.token;
    }
    token.lastUsedAt = now;
  } else {
    token.lastUsedAt = now;
  }
  return mintTokens(org, {
    server,
    base,
    app,
    grant,
    scopes,
    accessToken: true,
    idToken: scopes.includes('openid') && grant.userId !== undefined,
    refreshToken: next,
  });
}

async function clientCredentialsGrant(
  org: OktaOrg,
  server: AuthorizationServer,
  app: OidcApp,
  form: TokenForm,
  base: string,
): Promise<TokenSet> {
  if (app.tokenEndpointAuthMethod === 'none')
    throw new OAuthError('invalid_client', OAUTH_TEXT.clientAuthFailed);
  const asked = [...new Set((form.scope ?? '').split(' ').filter(Boolean))];
  if (server.kind === 'org') {
    if (app.type !== 'service') throw new OAuthError('invalid_client', OAUTH_TEXT.orgServiceOnly);
    if (app.tokenEndpointAuthMethod !== 'private_key_jwt')
      throw new OAuthError('invalid_client', OAUTH_TEXT.orgPrivateKeyJwt);
  }
  if (asked.some((scope) => OIDC_SCOPES.includes(scope))) {
    throw new OAuthError('invalid_scope', OAUTH_TEXT.openidWithClientCredentials);
  }
  let scopes = asked;
  if (server.kind === 'org') {
    if (scopes.length === 0) throw new OAuthError('invalid_scope', OAUTH_TEXT.noDefaultScopes);
    if (scopes.some((scope) => !scope.startsWith('okta.')))
      throw new OAuthError('invalid_scope', OAUTH_TEXT.customScopesOnOrg);
  } else {
    if (scopes.length === 0)
      scopes = server.scopes.filter((scope) => scope.default).map((scope) => scope.name);
    if (scopes.length === 0) throw new OAuthError('invalid_scope', OAUTH_TEXT.noDefaultScopes);
    if (scopes.some((scope) => !server.scopes.some((known) => known.name === scope))) {
      throw new OAuthError('invalid_scope', OAUTH_TEXT.scopeNotConfigured);
    }
  }
  const grant = newGrant(org, server, app, { userId: undefined, scopes, authTime: undefined, amr: [] });
  return mintTokens(org, { server, base, app, grant, scopes, accessToken: true, idToken: false });
}

async function passwordGrant(
  org: OktaOrg,
  server: AuthorizationServer,
  app: OidcApp,
  form: TokenForm,
  base: string,
): Promise<TokenSet> {
  if (!form.username) throw missingParameter('username');
  if (!form.password) throw missingParameter('password');
  if (!form.scope) throw missingParameter('scope');
  const limit = org.rateLimits.takeUsername(form.username, org.now());
  if (limit?.limited) throw new OAuthError('invalid_grant', OAUTH_TEXT.rateLimited, { status: 429 });
  const scopes = [...new Set(form.scope.split(' ').filter(Boolean))];
  const user = org.users.find(form.username);
  const bad = (detail: string) => new OAuthError('invalid_grant', OAUTH_TEXT.badCredentials, { detail });
  if (!user || user.password === undefined || user.password !== form.password)
    throw bad('wrong username or password');
  if (user.status === 'PASSWORD_EXPIRED' || passwordExpired(org, user)) {
    throw new OAuthError('invalid_grant', OAUTH_TEXT.passwordExpired);
  }
  if (user.status !== 'ACTIVE') throw bad(`user is ${user.status}`);
  const unknown = scopes.filter((scope) => !OIDC_SCOPES.includes(scope));
  if (
    server.kind === 'custom' &&
    unknown.some((scope) => !server.scopes.some((known) => known.name === scope))
  ) {
    throw new OAuthError('invalid_scope', OAUTH_TEXT.scopeNotConfigured);
  }
  const now = org.now();
  const grant = newGrant(org, server, app, { userId: user.id, scopes, authTime: now, amr: ['pwd'] });
  const refresh =
    scopes.includes('offline_access') && app.grantTypes.includes('refresh_token')
      ? newRefreshToken(org, server, grant, scopes)
      : undefined;
  return mintTokens(org, {
    server,
    base,
    app,
    grant,
    scopes,
    accessToken: true,
    idToken: scopes.includes('openid'),
    refreshToken: refresh,
  });
}
