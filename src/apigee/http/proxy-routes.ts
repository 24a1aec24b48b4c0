import { type SimResponse, simResponse } from '../../http/exchange.ts';
import { authenticatedClient } from '../domain/app-chain.ts';
import { ApigeeError, invalidRequest, rfc6749Error } from '../domain/errors.ts';
import {
  authorizationCodeGrant,
  authorize,
  clientCredentialsGrant,
  type Issued,
  passwordGrant,
  refreshGrant,
} from '../domain/grants.ts';
import { invalidateToken, revokeAll, type TokenType, validateToken } from '../domain/revocation.ts';
import type { ApigeeScenario } from '../scenario.ts';
import { type ApigeeCall, clientCredentials, empty, json, param, readForm } from './call.ts';
import { tokenBody, tokenInfoBody } from './wire.ts';

/** One operation of the reference proxy. */
export interface ProxyRoute {
  method: string;
  path: string;
  /** The journal's name; the token endpoint refines it per grant type. */
  operation: string;
  handle(call: ApigeeCall): SimResponse | Promise<SimResponse>;
}

/** The reference proxy of docs/apigee-proxy.md, at the paths the scenario configures. */
export function proxyRoutes(proxy: ApigeeScenario['proxy']): ProxyRoute[] {
  return [
    { method: 'POST', path: proxy.token, operation: 'generateAccessToken', handle: token },
    { method: 'GET', path: proxy.authorize, operation: 'generateAuthorizationCode', handle: authorizeCode },
    {
      method: 'POST',
      path: proxy.invalidate,
      operation: 'invalidateToken',
      handle: (call) => approval(call, 'invalidate'),
    },
    {
      method: 'POST',
      path: proxy.validate,
      operation: 'validateToken',
      handle: (call) => approval(call, 'validate'),
    },
    { method: 'POST', path: proxy.revoke, operation: 'revokeToken', handle: revokeRfc7009 },
    { method: 'POST', path: proxy.revokeAll, operation: 'revokeOAuthV2', handle: revokeOAuthV2 },
    { method: 'GET', path: proxy.tokeninfo, operation: 'getOAuthV2Info', handle: tokenInfo },
    {
      method: 'GET',
      path: proxy.jwks,
      operation: 'jwks',
      handle: async (call) => json(await call.org.signer.jwks(), 200, { 'Cache-Control': 'max-age=300' }),
    },
  ];
}

/**
 * `POST /oauth/token`: GenerateAccessToken or RefreshAccessToken by `grant_type`
 * (docs/fidelity/apigee.md#apigee-token-endpoint).
 */
async function token(call: ApigeeCall): Promise<SimResponse> {
  const form = readForm(call);
  const grantType = param(call, form, 'grant_type');
  const client = clientCredentials(call, form) ?? { clientId: undefined, clientSecret: undefined };
  call.principal = client.clientId;
  if (grantType === 'refresh_token') call.operation = 'refreshAccessToken';
  const scope = form.get('scope') ?? undefined;
  const endUser = form.get('app_enduser') ?? undefined;
  let issued: Issued;
  switch (grantType) {
    case undefined:
    case '':
      throw invalidRequest('Required param : grant_type');
    case 'client_credentials':
      issued = await clientCredentialsGrant(call.org, client, scope, endUser, call.url.origin);
      break;
    case 'password':
      issued = await passwordGrant(
        call.org,
        client,
        form.get('username') ?? undefined,
        form.get('password') ?? undefined,
        scope,
        endUser,
      );
      break;
    case 'authorization_code':
      issued = await authorizationCodeGrant(
        call.org,
        client,
        form.get('code') ?? undefined,
        form.get('redirect_uri') ?? undefined,
      );
      break;
    case 'refresh_token':
      issued = await refreshGrant(call.org, client, form.get('refresh_token') ?? undefined, call.url.origin);
      break;
    default:
      throw invalidRequest(`Unsupported grant type : ${grantType}`);
  }
  call.outcome = 'issued';
  return json(tokenBody(call.org, issued));
}

/**
 * `GET /oauth/authorize`: GenerateAuthorizationCode, a 302 to the app's callback
 * (docs/fidelity/apigee.md#apigee-authorization-codes).
 */
function authorizeCode(call: ApigeeCall): SimResponse {
  const query = call.url.searchParams;
  const input = {
    responseType: query.get('response_type') ?? undefined,
    clientId: query.get('client_id') ?? undefined,
    redirectUri: query.get('redirect_uri') ?? undefined,
    scope: query.get('scope') ?? undefined,
    state: query.get('state') ?? undefined,
    endUser: query.get('app_enduser') ?? undefined,
  };
  call.principal = input.clientId;
  const { location } = authorize(call.org, input);
  call.outcome = 'code-issued';
  return simResponse(302, null, { Location: location });
}

/**
 * `POST /oauth/invalidate` and `/oauth/validate`: InvalidateToken / ValidateToken with `type` (default
 * accesstoken) and `cascade` (default true); 200 with no body (docs/fidelity/apigee.md#apigee-invalidate,
 * docs/apigee-proxy.md).
 */
function approval(call: ApigeeCall, operation: 'invalidate' | 'validate'): SimResponse {
  const form = readForm(call);
  const client = clientCredentials(call, form);
  if (client) authenticatedClient(call.org, client.clientId, client.clientSecret);
  call.principal = client?.clientId;
  const value = param(call, form, 'token');
  if (!value) throw invalidRequest('Required param : token');
  const type = (param(call, form, 'type') ?? 'accesstoken') as TokenType;
  if (type !== 'accesstoken' && type !== 'refreshtoken') throw invalidRequest(`Invalid token type : ${type}`);
  const cascade = flag(param(call, form, 'cascade'), true, 'cascade');
  (operation === 'invalidate' ? invalidateToken : validateToken)(call.org, value, type, cascade);
  call.outcome = operation === 'invalidate' ? 'revoked' : 'approved';
  return empty(200);
}

/**
 * `POST /oauth/revoke`, RFC 7009 on InvalidateToken (docs/fidelity/apigee.md#apigee-rfc7009-revoke): client
 * authentication required; `type=refreshtoken, cascade=true` finds either kind of token and ends the whole
 * grant; unknown, expired, already revoked or another client's tokens answer 200 all the same; JWTs cannot be
 * revoked.
 */
function revokeRfc7009(call: ApigeeCall): SimResponse {
  const form = readForm(call);
  const client = clientCredentials(call, form);
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
  call.principal = client.clientId;
  const value = form.get('token');
  if (!value) throw rfc6749Error(400, 'invalid_request', 'Missing token');
  const known = call.org.tokens.refresh(value) ?? call.org.tokens.access(value);
  if (!known || known.clientId !== client.clientId) {
    call.outcome = 'ignored';
    return empty(200);
  }
  try {
    invalidateToken(call.org, value, 'refreshtoken', true);
    call.outcome = 'revoked';
  } catch (error) {
    if (!(error instanceof ApigeeError)) throw error;
    if (error.code === call.org.config.quirks.jwtRevocationFault.errorcode) {
      throw rfc6749Error(400, 'unsupported_token_type', 'JWT access tokens cannot be revoked');
    }
    call.outcome = 'ignored';
  }
  return empty(200);
}

/**
 * `POST /oauth/revoke-all`: RevokeOAuthV2 by app id and/or end user, `before`, `cascade`
 * (docs/fidelity/apigee.md#apigee-revoke-oauth-v2).
 */
function revokeOAuthV2(call: ApigeeCall): SimResponse {
  const form = readForm(call);
  const client = clientCredentials(call, form);
  if (client) authenticatedClient(call.org, client.clientId, client.clientSecret);
  const appId = param(call, form, 'app_id') || undefined;
  const endUser = param(call, form, 'enduser_id') || undefined;
  const beforeText = param(call, form, 'before');
  if (beforeText !== undefined && !/^\d+$/.test(beforeText)) {
    throw invalidRequest(`Invalid before : ${beforeText} (epoch milliseconds expected)`);
  }
  call.principal = appId ?? endUser;
  const revoked = revokeAll(call.org, {
    appId,
    endUser,
    before: beforeText === undefined ? undefined : Number(beforeText),
    cascade: flag(param(call, form, 'cascade'), false, 'cascade'),
  });
  call.outcome = `${revoked} revoked`;
  return empty(202);
}

/** `GET /oauth/tokeninfo?token=`: GetOAuthV2Info with IgnoreAccessTokenStatus, either kind of token. */
function tokenInfo(call: ApigeeCall): SimResponse {
  const value = call.url.searchParams.get('token');
  if (!value) throw invalidRequest('Required param : token');
  const found = call.org.tokens.access(value) ?? call.org.tokens.refresh(value);
  if (!found) {
    // GetOAuthV2Info raises a 500; a client-facing proxy answers like VerifyAccessToken (docs/errors.md).
    throw new ApigeeError(
      'fault',
      401,
      'keymanagement.service.invalid_access_token',
      'Invalid Access Token',
      'unknown token',
    );
  }
  call.principal = found.clientId;
  return json(tokenInfoBody(call.org, found));
}

function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid ${name} : ${value} (true or false expected)`);
}
