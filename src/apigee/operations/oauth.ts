import { jsonResponse, simResponse } from '../../http/exchange.ts';
import { type Call, defineOperation, type Operation, type OperationSpec } from '../../http/operation.ts';
import { authenticatedClient } from '../domain/app-chain.ts';
import type { ProtectedPath } from '../domain/config.ts';
import { ApigeeError, invalidClient, invalidRequest, rfc6749Error } from '../domain/errors.ts';
import {
  authorizationCodeGrant,
  authorize,
  type ClientCredentials,
  clientCredentialsGrant,
  type Issued,
  passwordGrant,
  refreshGrant,
} from '../domain/grants.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { invalidateToken, revokeAll, type TokenType, validateToken } from '../domain/revocation.ts';
import { verifyAccessToken } from '../domain/verify.ts';
import { verifyApiKey } from '../domain/verify-api-key.ts';
import { bearerChallenge } from '../http/error-response.ts';
import { bearerOf, clientCredentials, param, query, readForm } from '../http/request.ts';
import { apiKeyVerificationBody, tokenBody, tokenInfoBody, verificationBody } from '../http/wire.ts';

/**
 * The reference proxy: the OAuthV2 policies the official samples wire to these paths (configurable in
 * the scenario's `apigee.proxy`), and VerifyAccessToken in front of the protected paths
 * (docs/fidelity/apigee.md#apigee-model).
 */

/** The settings of the scenario's `proxy` section that place an OAuth endpoint. */
type ProxyPathKey =
  | 'token'
  | 'authorize'
  | 'invalidate'
  | 'validate'
  | 'revoke'
  | 'revokeAll'
  | 'tokeninfo'
  | 'jwks';

/** A reference-proxy operation: it answers at the path the scenario's `proxy` section gives it. */
export interface ProxyOperation<Name extends string = string> extends Operation<ApigeeOrg, Name> {
  readonly pathKey: ProxyPathKey;
}

function proxyOperation<const Name extends string, const Path extends string, Input, Output>(
  pathKey: ProxyOperation['pathKey'],
  spec: OperationSpec<ApigeeOrg, Name, Path, Input, Output>,
): ProxyOperation<Name> {
  return { ...defineOperation('apigee', spec), pathKey };
}

/** `true` / `false` / absent (the default); anything else is a 400 (docs/fidelity/apigee.md#apigee-bad-fields). */
function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid ${name} : ${value} (true or false expected)`);
}

const empty = (status: number) => ({ response: simResponse(status) });

function isTokenType(value: string): value is TokenType {
  return value === 'accesstoken' || value === 'refreshtoken';
}

interface TokenRequest {
  grantType: string | undefined;
  client: ClientCredentials;
  form: URLSearchParams;
}

/**
 * Client credentials on the reference proxy's admin endpoints (invalidate, validate, revoke-all, tokeninfo):
 * checked when sent, and required with `proxy.requireClientAuth` (docs/fidelity/apigee.md#apigee-admin-auth).
 * Returns the client when the request authenticated as one, with its secret.
 */
function adminClient(call: Call<ApigeeOrg>, form: URLSearchParams): ClientCredentials | undefined {
  const client = clientCredentials(call.request, form);
  const required = call.org.config.proxy.requireClientAuth;
  if (!client) {
    if (required) throw invalidClient('no client credentials (proxy.requireClientAuth)');
    return undefined;
  }
  authenticatedClient(
    call.org,
    client.clientId,
    required ? (client.clientSecret ?? '') : client.clientSecret,
  );
  return client;
}

/**
 * A token-endpoint error as the proxy answers it: in RFC 6749's shape under `proxy.rfcCompliant` (unless
 * `quirks.rfcCompliantErrors: apigee`), Apigee's `{"ErrorCode","Error"}` otherwise
 * (docs/fidelity/apigee.md#apigee-rfc-compliant).
 */
function tokenEndpointError(org: ApigeeOrg, error: unknown): unknown {
  const reshape =
    error instanceof ApigeeError &&
    org.config.proxy.rfcCompliant &&
    org.config.quirks.rfcCompliantErrors === 'rfc6749';
  return reshape ? error.asRfc6749() : error;
}

/** `POST /oauth/token`: GenerateAccessToken or RefreshAccessToken by `grant_type` (docs/fidelity/apigee.md#apigee-token-endpoint). */
const token = proxyOperation('token', {
  name: 'generateAccessToken',
  method: 'POST',
  path: '/oauth/token',
  summary: 'GenerateAccessToken (client_credentials, password, authorization_code) or RefreshAccessToken',
  variants: {
    names: ['generateAccessToken', 'refreshAccessToken'],
    pick: (input: TokenRequest) =>
      input.grantType === 'refresh_token' ? 'refreshAccessToken' : 'generateAccessToken',
  },
  input(call): TokenRequest {
    const form = readForm(call.request);
    return {
      form,
      grantType: param(call.request, form, 'grant_type'),
      client: clientCredentials(call.request, form) ?? { clientId: undefined, clientSecret: undefined },
    };
  },
  principal: (input) => input.client.clientId,
  async run(input, call): Promise<Issued> {
    try {
      return await grant(input, call);
    } catch (error) {
      throw tokenEndpointError(call.org, error);
    }
  },
  answer(issued, call) {
    const rfcCompliant = call.org.config.proxy.rfcCompliant;
    // RFC mode adds RFC 6749 §5.1's no-store headers (docs/fidelity/apigee.md#apigee-rfc-compliant).
    const headers = rfcCompliant ? { 'Cache-Control': 'no-store', Pragma: 'no-cache' } : undefined;
    return {
      response: jsonResponse(tokenBody(call.org, issued, rfcCompliant), 200, headers),
      outcome: 'issued',
    };
  },
});

/**
 * The grant a token request asks for. Every grant gets the origin the client used, which a JWT's `iss` names
 * (docs/fidelity/apigee.md#apigee-jwt-claims); the end user is the `app_enduser` field (form, else query, as
 * the devrel proxy's `<AppEndUser>` reads it), else the password grant's username.
 */
function grant({ grantType, client, form }: TokenRequest, call: Call<ApigeeOrg>): Promise<Issued> {
  const scope = form.get('scope') ?? undefined;
  const endUser = param(call.request, form, 'app_enduser');
  switch (grantType) {
    case undefined:
    case '':
      throw invalidRequest('Required param : grant_type');
    case 'client_credentials':
      return clientCredentialsGrant(call.org, client, scope, endUser, call.base);
    case 'password':
      return passwordGrant(
        call.org,
        client,
        form.get('username') ?? undefined,
        form.get('password') ?? undefined,
        scope,
        endUser,
        call.base,
      );
    case 'authorization_code':
      return authorizationCodeGrant(
        call.org,
        client,
        form.get('code') ?? undefined,
        form.get('redirect_uri') ?? undefined,
        call.base,
      );
    case 'refresh_token':
      return refreshGrant(call.org, client, form.get('refresh_token') ?? undefined, call.base);
    default:
      throw invalidRequest(`Unsupported grant type : ${grantType}`);
  }
}

/** `GET /oauth/authorize`: GenerateAuthorizationCode, a 302 to the app's callback (docs/fidelity/apigee.md#apigee-authorization-codes). */
const authorizeCode = proxyOperation('authorize', {
  name: 'generateAuthorizationCode',
  method: 'GET',
  path: '/oauth/authorize',
  summary: "GenerateAuthorizationCode: a redirect to the app's callback with a code",
  input(call) {
    const { request } = call;
    return {
      responseType: query(request, 'response_type'),
      clientId: query(request, 'client_id'),
      redirectUri: query(request, 'redirect_uri'),
      scope: query(request, 'scope'),
      state: query(request, 'state'),
      endUser: query(request, 'app_enduser'),
    };
  },
  principal: (input) => input.clientId,
  run: (input, call) => authorize(call.org, input).location,
  answer: (location) => ({
    response: simResponse(302, null, { Location: location }),
    outcome: 'code-issued',
  }),
});

/**
 * `POST /oauth/invalidate` and `/oauth/validate`: InvalidateToken / ValidateToken with `type` (default
 * accesstoken) and `cascade` (default true); 200 with no body. Client credentials are checked when sent, and
 * required with `proxy.requireClientAuth` (docs/fidelity/apigee.md#apigee-invalidate-request).
 */
function approval<const Name extends 'invalidateToken' | 'validateToken'>(
  name: Name,
  pathKey: 'invalidate' | 'validate',
  path: '/oauth/invalidate' | '/oauth/validate',
) {
  return proxyOperation(pathKey, {
    name,
    method: 'POST',
    path,
    summary:
      name === 'invalidateToken'
        ? 'OAuthV2 InvalidateToken, with cascade'
        : 'OAuthV2 ValidateToken (re-approve)',
    input(call) {
      const form = readForm(call.request);
      const client = adminClient(call, form);
      const value = param(call.request, form, 'token');
      if (!value) throw invalidRequest('Required param : token');
      const type = param(call.request, form, 'type') ?? 'accesstoken';
      if (!isTokenType(type)) throw invalidRequest(`Invalid token type : ${type}`);
      const cascade = flag(param(call.request, form, 'cascade'), true, 'cascade');
      return { clientId: client?.clientId, value, type, cascade };
    },
    principal: (input) => input.clientId,
    run: ({ value, type, cascade }, call) =>
      (name === 'invalidateToken' ? invalidateToken : validateToken)(call.org, value, type, cascade),
    answer: () => ({ ...empty(200), outcome: name === 'invalidateToken' ? 'revoked' : 'approved' }),
  });
}

/**
 * `POST /oauth/revoke`, RFC 7009 on InvalidateToken (docs/fidelity/apigee.md#apigee-rfc7009-revoke):
 * client authentication required; `type=refreshtoken, cascade=true` finds either kind of token and ends
 * the whole grant; unknown, expired, already revoked or another client's tokens answer 200 all the same;
 * JWTs cannot be revoked.
 */
const revoke = proxyOperation('revoke', {
  name: 'revokeToken',
  method: 'POST',
  path: '/oauth/revoke',
  summary: 'RFC 7009 token revocation (InvalidateToken with cascade)',
  input(call) {
    const form = readForm(call.request);
    const client = clientCredentials(call.request, form);
    if (!client) throw rfc6749Error(401, 'invalid_client', 'Client authentication is required');
    try {
      authenticatedClient(call.org, client.clientId, client.clientSecret ?? '');
    } catch (error) {
      throw rfc6749Error(
        401,
        'invalid_client',
        undefined,
        error instanceof ApigeeError ? error.detail : undefined,
      );
    }
    const value = form.get('token');
    if (!value) throw rfc6749Error(400, 'invalid_request', 'Missing token');
    return { clientId: client.clientId, value };
  },
  principal: (input) => input.clientId,
  run({ clientId, value }, call): 'revoked' | 'ignored' {
    const known = call.org.tokens.refresh(value) ?? call.org.tokens.access(value);
    if (!known || known.clientId !== clientId) return 'ignored';
    try {
      invalidateToken(call.org, value, 'refreshtoken', true);
      return 'revoked';
    } catch (error) {
      if (!(error instanceof ApigeeError)) throw error;
      if (error.code === call.org.config.quirks.jwtRevocationFault.errorcode) {
        throw rfc6749Error(400, 'unsupported_token_type', 'JWT access tokens cannot be revoked');
      }
      return 'ignored';
    }
  },
  answer: (outcome) => ({ ...empty(200), outcome }),
});

/** `POST /oauth/revoke-all`: RevokeOAuthV2 by app id and/or end user, `before`, `cascade` (docs/fidelity/apigee.md#apigee-revoke-oauth-v2). */
const revokeAllTokens = proxyOperation('revokeAll', {
  name: 'revokeOAuthV2',
  method: 'POST',
  path: '/oauth/revoke-all',
  summary: "RevokeOAuthV2: an app's or an end user's tokens",
  input(call) {
    const form = readForm(call.request);
    adminClient(call, form);
    const appId = param(call.request, form, 'app_id') || undefined;
    const endUser = param(call.request, form, 'enduser_id') || undefined;
    const before = param(call.request, form, 'before');
    if (before !== undefined && !/^\d+$/.test(before)) {
      throw invalidRequest(`Invalid before : ${before} (epoch milliseconds expected)`);
    }
    return {
      appId,
      endUser,
      before: before === undefined ? undefined : Number(before),
      cascade: flag(param(call.request, form, 'cascade'), false, 'cascade'),
    };
  },
  principal: (input) => input.appId ?? input.endUser,
  run: (input, call) => revokeAll(call.org, input),
  answer: (revoked) => ({ ...empty(202), outcome: `${revoked} revoked` }),
});

/**
 * `GET /oauth/tokeninfo?token=`: GetOAuthV2Info with IgnoreAccessTokenStatus, either kind of token. Client
 * credentials (HTTP Basic) are checked when sent and required with `proxy.requireClientAuth`; the paired token
 * is shown only to a caller that sent a client's id and secret (docs/fidelity/apigee.md#apigee-tokeninfo-pair).
 */
const tokenInfo = proxyOperation('tokeninfo', {
  name: 'getOAuthV2Info',
  method: 'GET',
  path: '/oauth/tokeninfo',
  summary: "GetOAuthV2Info: a token's attributes and status",
  input(call) {
    const client = adminClient(call, new URLSearchParams());
    const value = query(call.request, 'token');
    if (!value) throw invalidRequest('Required param : token');
    return { value, revealPair: client?.clientSecret !== undefined };
  },
  principal: ({ value }, call) => (call.org.tokens.access(value) ?? call.org.tokens.refresh(value))?.clientId,
  run({ value, revealPair }, call) {
    const found = call.org.tokens.access(value) ?? call.org.tokens.refresh(value);
    // GetOAuthV2Info raises a 500; a client-facing proxy answers like VerifyAccessToken
    // (docs/fidelity/apigee.md#apigee-tokeninfo-unknown).
    if (!found) {
      throw new ApigeeError(
        'fault',
        401,
        'keymanagement.service.invalid_access_token',
        'Invalid Access Token',
        'unknown token',
      );
    }
    return { found, revealPair };
  },
  answer: ({ found, revealPair }, call) => ({
    response: jsonResponse(tokenInfoBody(call.org, found, revealPair)),
  }),
});

const jwks = proxyOperation('jwks', {
  name: 'jwks',
  method: 'GET',
  path: '/oauth/jwks',
  summary: 'The public keys of JWT access tokens',
  input: () => undefined,
  run: (_, call) => call.org.signer.jwks(),
  answer: (keys) => ({ response: jsonResponse(keys, 200, { 'Cache-Control': 'max-age=300' }) }),
});

/** The reference proxy's OAuth endpoints, each at the path its `pathKey` names in the scenario. */
export const PROXY_OPERATIONS = [
  token,
  authorizeCode,
  approval('invalidateToken', 'invalidate', '/oauth/invalidate'),
  approval('validateToken', 'validate', '/oauth/validate'),
  revoke,
  revokeAllTokens,
  tokenInfo,
  jwks,
] as const;

/**
 * VerifyAccessToken (or VerifyJWTAccessToken, by the rule's `verifier`) in front of a protected path: the
 * answer is what the proxy learnt of the caller (docs/fidelity/apigee.md#apigee-verify-answer); `scope` is the
 * rule's `<Scope>`. Its 401 faults carry Apigee's `WWW-Authenticate` challenge
 * (docs/fidelity/apigee.md#apigee-www-authenticate).
 */
export function verifyAccessTokenOperation(
  rule: Pick<ProtectedPath, 'scope' | 'verifier'> = {},
): Operation<ApigeeOrg, 'verifyAccessToken'> {
  return defineOperation('apigee', {
    name: 'verifyAccessToken',
    method: 'GET',
    path: '/v1/**',
    summary: 'VerifyAccessToken on a protected path (any method the rule allows)',
    input: (call) => bearerOf(call.request),
    principal: (bearer, call) => (bearer ? call.org.tokens.access(bearer)?.clientId : undefined),
    async run(bearer, call) {
      try {
        return await verifyAccessToken(call.org, {
          bearer,
          path: call.url.pathname,
          requiredScope: rule.scope,
          verifier: rule.verifier,
        });
      } catch (error) {
        throw challenged(call.org, error);
      }
    },
    answer: (verification) => ({
      response: jsonResponse(verificationBody(verification)),
      principal: verification.token.clientId,
      outcome: 'verified',
    }),
  });
}

/**
 * A VerifyAccessToken fault with its `WWW-Authenticate` challenge: every 401, and a 403 InsufficientScope
 * under `quirks.insufficientScopeChallenge: rfc6750` (docs/fidelity/apigee.md#apigee-www-authenticate).
 */
function challenged(org: ApigeeOrg, error: unknown): unknown {
  if (!(error instanceof ApigeeError) || error.shape !== 'fault') return error;
  if (error.status === 401) return error.withHeaders({ 'WWW-Authenticate': bearerChallenge(error) });
  if (error.status === 403 && org.config.quirks.insufficientScopeChallenge === 'rfc6750') {
    return error.withHeaders({ 'WWW-Authenticate': bearerChallenge(error, 'insufficient_scope') });
  }
  return error;
}

/** Where the reference proxy's VerifyAPIKey finds the key: this header, else this query parameter. */
const API_KEY_HEADER = 'x-apikey';
const API_KEY_PARAM = 'apikey';

/**
 * VerifyAPIKey in front of the paths of `proxy.apiKey` (docs/fidelity/apigee.md#apigee-verify-api-key): the key
 * from the `x-apikey` header, else the `apikey` query parameter; the answer is what the proxy learnt of the
 * caller. Its faults carry no challenge.
 */
export function verifyApiKeyOperation(): Operation<ApigeeOrg, 'verifyApiKey'> {
  return defineOperation('apigee', {
    name: 'verifyApiKey',
    method: 'GET',
    path: '(apigee.proxy.apiKey)',
    summary: 'VerifyAPIKey on the paths of apigee.proxy.apiKey (x-apikey header or apikey query parameter)',
    input: (call) =>
      call.request.headers.get(API_KEY_HEADER) || call.url.searchParams.get(API_KEY_PARAM) || undefined,
    // Only a known key names a client: an unknown value is the caller's, not a principal.
    principal: (apiKey, call) => (apiKey && call.org.keyOf(apiKey) ? apiKey : undefined),
    run: (apiKey, call) =>
      verifyApiKey(call.org, {
        apiKey,
        variable: `request.queryparam.${API_KEY_PARAM}`,
        path: call.url.pathname,
      }),
    answer: (verification) => ({
      response: jsonResponse(apiKeyVerificationBody(verification)),
      principal: verification.key.consumerKey,
      outcome: 'verified',
    }),
  });
}
