import { approvedProducts, authenticatedClient, type Chain, tokenProducts } from './app-chain.ts';
import { invalidRequest, oauthError } from './errors.ts';
import type { AccessToken, App, AuthorizationCode, GrantType, RefreshToken } from './model.ts';
import { type ApigeeOrg, scopesOf } from './org.ts';

/** Client credentials from HTTP Basic or the form (docs/fidelity/apigee.md#apigee-token-request). */
export interface ClientCredentials {
  clientId: string | undefined;
  clientSecret: string | undefined;
}

export interface Issued {
  access: AccessToken;
  refresh: RefreshToken | undefined;
}

/** Opaque value lengths observed in real answers (docs/fidelity/apigee.md#apigee-generated-lengths). */
const ACCESS_TOKEN_LENGTH = 28;
const REFRESH_TOKEN_LENGTH = 32;
const CODE_LENGTH = 8;

/** `supersededBy` of a refresh token whose successor is being minted. */
const ROTATING = '(rotating)';

/**
 * GenerateAccessToken, client_credentials: never a refresh token
 * (docs/fidelity/apigee.md#apigee-client-credentials-grant). `origin` is the one the client used: a JWT's
 * `iss` names it, whatever the grant (docs/fidelity/apigee.md#apigee-jwt-claims).
 */
export function clientCredentialsGrant(
  org: ApigeeOrg,
  client: ClientCredentials,
  scope: string | undefined,
  endUser: string | undefined,
  origin: string,
): Promise<Issued> {
  const chain = authenticatedClient(org, client.clientId, requireSecret(client));
  return issue(
    org,
    chain,
    'client_credentials',
    grantedScope(org, chain, scope),
    appEndUser(org, endUser),
    origin,
  );
}

/**
 * GenerateAccessToken, password: Apigee only checks that both fields are there
 * (docs/fidelity/apigee.md#apigee-password-grant). The end user is the `app_enduser` field, else the
 * username, as the reference proxy's `<AppEndUser>` reads them (docs/fidelity/apigee.md#apigee-app-end-user).
 */
export function passwordGrant(
  org: ApigeeOrg,
  client: ClientCredentials,
  username: string | undefined,
  password: string | undefined,
  scope: string | undefined,
  endUser: string | undefined,
  origin: string,
): Promise<Issued> {
  const chain = authenticatedClient(org, client.clientId, requireSecret(client));
  if (!username) throw invalidRequest('Required param : username');
  if (!password) throw invalidRequest('Required param : password');
  return issue(
    org,
    chain,
    'password',
    grantedScope(org, chain, scope),
    appEndUser(org, endUser ?? username),
    origin,
  );
}

/**
 * The end user a token records: none when the reference proxy has no `<AppEndUser>` (`proxy.appEndUser:
 * false`, docs/fidelity/apigee.md#apigee-app-end-user).
 */
function appEndUser(org: ApigeeOrg, endUser: string | undefined): string | undefined {
  return org.config.proxy.appEndUser ? endUser : undefined;
}

/**
 * The redirect URIs an app registered: its `callbackUrl` split on commas (X), or the whole value with
 * `quirks.callbackUrls: exact` (docs/fidelity/apigee.md#apigee-callback-urls).
 */
export function callbackUrls(org: ApigeeOrg, app: App): string[] {
  if (org.config.quirks.callbackUrls === 'exact') return app.callbackUrl ? [app.callbackUrl] : [];
  return app.callbackUrl
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
}

export interface AuthorizeInput {
  responseType: string | undefined;
  clientId: string | undefined;
  redirectUri: string | undefined;
  scope: string | undefined;
  state: string | undefined;
  endUser: string | undefined;
}

/**
 * GenerateAuthorizationCode: the redirect location with `code` and `state`
 * (docs/fidelity/apigee.md#apigee-authorization-codes).
 */
export function authorize(
  org: ApigeeOrg,
  input: AuthorizeInput,
): { location: string; code: AuthorizationCode } {
  if (!input.clientId) throw invalidRequest('The request is missing a required parameter : client_id');
  if (!input.responseType)
    throw invalidRequest('The request is missing a required parameter : response_type');
  if (input.responseType !== 'code') throw invalidRequest('Response type must be code');
  let chain: Chain;
  try {
    chain = authenticatedClient(org, input.clientId, undefined);
  } catch {
    throw oauthError(401, 'invalid_request', `Invalid client id : ${input.clientId}. ClientId is Invalid`);
  }
  if (!input.redirectUri) throw invalidRequest('Redirection URI is required');
  if (!callbackUrls(org, chain.app).includes(input.redirectUri))
    throw invalidRequest(`Invalid redirection uri ${input.redirectUri}`);
  const now = org.now();
  const code: AuthorizationCode = {
    value: org.opaque(CODE_LENGTH),
    clientId: chain.key.consumerKey,
    appId: chain.app.appId,
    redirectUri: input.redirectUri,
    scope: grantedScope(org, chain, input.scope),
    endUser: appEndUser(org, input.endUser),
    issuedAt: now,
    expiresAt: now + org.config.tokens.authorizationCodeLifetime,
  };
  org.tokens.addCode(code);
  const location = new URL(input.redirectUri);
  location.searchParams.set('code', code.value);
  if (input.state !== undefined) location.searchParams.set('state', input.state);
  return { location: location.href, code };
}

/** GenerateAccessToken, authorization_code: the code is used once, with the redirect_uri it was made for. */
export function authorizationCodeGrant(
  org: ApigeeOrg,
  client: ClientCredentials,
  codeValue: string | undefined,
  redirectUri: string | undefined,
  origin: string,
): Promise<Issued> {
  const chain = authenticatedClient(org, client.clientId, requireSecret(client));
  if (!redirectUri) throw invalidRequest('Required param : redirect_uri');
  const code = codeValue ? org.tokens.code(codeValue) : undefined;
  if (!code || code.clientId !== chain.key.consumerKey || org.now() >= code.expiresAt) {
    throw invalidRequest(
      'Invalid Authorization Code',
      code ? 'expired or another client' : 'unknown or used code',
    );
  }
  if (redirectUri !== code.redirectUri) throw invalidRequest(`Invalid redirect_uri : ${redirectUri}`);
  // Single use: a spent code is gone, and answers as an unknown one.
  org.tokens.spendCode(code.value);
  return issue(org, chain, 'authorization_code', code.scope, code.endUser, origin);
}

/**
 * RefreshAccessToken (docs/fidelity/apigee.md#apigee-refresh, docs/fidelity/apigee.md#apigee-token-usable):
 * the refresh token must be approved and unexpired, and the access token it was last paired with approved
 * too; a rotated-out refresh token is unknown.
 */
export async function refreshGrant(
  org: ApigeeOrg,
  client: ClientCredentials,
  value: string | undefined,
  origin: string,
): Promise<Issued> {
  const chain = authenticatedClient(org, client.clientId, requireSecret(client));
  if (!value) throw invalidRequest('Required param : refresh_token');
  const rt = org.tokens.refresh(value);
  if (!rt || rt.clientId !== chain.key.consumerKey || rt.supersededBy !== undefined) {
    throw invalidRequest(
      'Invalid Refresh Token',
      rt ? 'rotated out or another client' : 'unknown refresh token',
    );
  }
  const now = org.now();
  if (now >= rt.expiresAt) throw invalidRequest('Refresh Token expired');
  if (rt.status !== 'approved') throw invalidRequest('Refresh Token not approved');
  const paired = org.tokens.access(rt.pairedAccessToken);
  if (paired && paired.status !== 'approved') {
    throw invalidRequest(
      'Access Token not approved',
      'the access token paired with this refresh token is revoked',
    );
  }
  const previousCount = paired?.refreshCount ?? 0;
  const rotates = !org.config.tokens.reuseRefreshToken;
  // Claimed before the await (a JWT is signed asynchronously): a parallel refresh with the same token then
  // finds it rotated out, so one refresh token yields one successor, as with opaque tokens.
  if (rotates) rt.supersededBy = ROTATING;
  let access: AccessToken;
  try {
    access = await mint(
      org,
      chain,
      rt.grantType,
      rt.scope,
      rt.endUser,
      rt.apiProducts,
      { id: rt.lineageId, refreshCount: previousCount + 1 },
      origin,
    );
  } catch (error) {
    if (rotates) rt.supersededBy = undefined;
    throw error;
  }
  if (!rotates) {
    access.refreshToken = rt.value;
    rt.pairedAccessToken = access.value;
    org.tokens.addAccess(access);
    return { access, refresh: rt };
  }
  const refresh = newRefreshToken(org, access, rt.grantType, rt.lineageId);
  rt.supersededBy = refresh.value;
  org.tokens.addAccess(access);
  org.tokens.addRefresh(refresh);
  return { access, refresh };
}

/**
 * The scopes a token gets (docs/fidelity/apigee.md#apigee-scopes-granted): all those of the key's approved
 * products when none are asked for, else the asked ones the products offer, the others dropped. When none is
 * left the token has an empty scope, or with `quirks.scopeIntersection: invalid_scope` the request is
 * refused; `strict` refuses any scope the products lack.
 */
function grantedScope(org: ApigeeOrg, chain: Chain, requested: string | undefined): string {
  const available = scopesOf(approvedProducts(chain.key).map((name) => org.products.get(name)));
  if (requested === undefined || requested.trim() === '') return available;
  const offered = new Set(available.split(' '));
  const asked = [...new Set(requested.trim().split(/\s+/))];
  const granted = asked.filter((scope) => offered.has(scope));
  const mode = org.config.quirks.scopeIntersection;
  const refused =
    mode === 'strict' ? granted.length < asked.length : mode === 'invalid_scope' && granted.length === 0;
  if (refused) {
    const missing = asked.filter((scope) => !offered.has(scope));
    throw oauthError(400, 'invalid_scope', `Invalid scope : ${missing.join(' ')}`);
  }
  return granted.join(' ');
}

/** Client secrets are required at the token endpoint (confidential clients). */
function requireSecret(client: ClientCredentials): string {
  return client.clientSecret ?? '';
}

async function issue(
  org: ApigeeOrg,
  chain: Chain,
  grantType: GrantType,
  scope: string,
  endUser: string | undefined,
  origin: string,
): Promise<Issued> {
  const withRefresh = grantType !== 'client_credentials';
  const lineage = { id: withRefresh ? org.ids.faker.string.uuid() : undefined, refreshCount: 0 };
  const access = await mint(
    org,
    chain,
    grantType,
    scope,
    endUser,
    tokenProducts(org, chain.key),
    lineage,
    origin,
  );
  const refresh = lineage.id ? newRefreshToken(org, access, grantType, lineage.id) : undefined;
  org.tokens.addAccess(access);
  if (refresh) org.tokens.addRefresh(refresh);
  return { access, refresh };
}

async function mint(
  org: ApigeeOrg,
  chain: Chain,
  grantType: GrantType,
  scope: string,
  endUser: string | undefined,
  apiProducts: readonly string[],
  lineage: { id: string | undefined; refreshCount: number },
  origin: string,
): Promise<AccessToken> {
  const now = org.now();
  const expiresAt = now + org.config.tokens.accessTokenLifetime;
  const format = chain.app.tokenFormat;
  const value =
    format === 'jwt'
      ? await org.signer.sign(
          {
            sub: endUser ?? chain.key.consumerKey,
            jti: org.ids.faker.string.uuid(),
            iat: Math.floor(now / 1000),
            exp: Math.floor(expiresAt / 1000),
            client_id: chain.key.consumerKey,
            scope,
          },
          org.proxyIssuer(origin),
        )
      : org.opaque(ACCESS_TOKEN_LENGTH);
  return {
    value,
    format,
    clientId: chain.key.consumerKey,
    appId: chain.app.appId,
    grantType,
    apiProducts,
    scope,
    endUser,
    issuedAt: now,
    expiresAt,
    status: 'approved',
    revokedAt: undefined,
    revokeReason: undefined,
    refreshToken: undefined,
    lineageId: lineage.id,
    refreshCount: lineage.refreshCount,
  };
}

function newRefreshToken(
  org: ApigeeOrg,
  access: AccessToken,
  grantType: GrantType,
  lineageId: string,
): RefreshToken {
  const now = org.now();
  const refresh: RefreshToken = {
    value: org.opaque(REFRESH_TOKEN_LENGTH),
    lineageId,
    clientId: access.clientId,
    appId: access.appId,
    grantType,
    apiProducts: access.apiProducts,
    scope: access.scope,
    endUser: access.endUser,
    pairedAccessToken: access.value,
    issuedAt: now,
    expiresAt: now + org.config.tokens.refreshTokenLifetime,
    status: 'approved',
    revokedAt: undefined,
    revokeReason: undefined,
    supersededBy: undefined,
    jwtBound: access.format === 'jwt',
  };
  access.refreshToken = refresh.value;
  return refresh;
}
