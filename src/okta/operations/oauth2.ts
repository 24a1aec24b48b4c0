import { parseAuthorization } from '../../http/credentials.ts';
import { AnswerHeaders, jsonResponse, simResponse } from '../../http/exchange.ts';
import type { Call, Outcome } from '../../http/operation.ts';
import { resourceNotFound } from '../domain/errors.ts';
import { OAUTH_TEXT, OAuthError } from '../domain/oauth-errors.ts';
import { authorize } from '../domain/oidc-authorize.ts';
import type { AuthorizationServer } from '../domain/oidc-model.ts';
import { introspect, logout, revoke, userinfo } from '../domain/oidc-resources.ts';
import { authenticateClient, type ClientCredentials, tokenRequest } from '../domain/oidc-token.ts';
import type { OktaOrg } from '../domain/org.ts';
import {
  authorizeAnswer,
  discoveryDocument,
  NO_CACHE,
  oauthJson,
  organizationBody,
  signInPage,
} from '../http/oauth-wire.ts';
import { readForm } from '../http/request.ts';
import { type OktaOperation, oktaOperation } from './define.ts';
import { sidCookie, sidOf } from './sessions.ts';

/**
 * Okta's authorization servers (docs/fidelity/okta.md#okta-oidc-servers): the org server at `/oauth2/v1/...`
 * (issuer = the org URL) and custom ones at `/oauth2/{id}/v1/...`, each operation declared for both paths.
 */

const CUSTOM = /^\/(?:\.well-known\/oauth-authorization-server\/)?oauth2\/([^/]+)(?:\/|$)/;

/** The id of the server a path names: `org` for `/oauth2/v1/...` and the org's own `/.well-known` documents. */
function serverIdOf(path: string): string {
  const match = CUSTOM.exec(path);
  if (!match || match[1] === 'v1') return 'org';
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    return match[1] ?? '';
  }
}

/** The server a request goes to; an unknown custom id is 404 E0000007 (docs/fidelity/okta.md#okta-oidc-servers). */
function serverOf(call: Call<OktaOrg>): AuthorizationServer {
  const id = serverIdOf(call.url.pathname);
  const server = call.org.oidc.server(id);
  if (!server) throw resourceNotFound(id, 'AuthorizationServer');
  return server;
}

/** The rate-limit scope of an OAuth request: its authorization server (docs/fidelity/okta.md#okta-oidc-rate-limits). */
export function oauthRateScope(path: string): string {
  return serverIdOf(path);
}

/** Single-valued parameters, and whether any came twice (docs/fidelity/okta.md#okta-oidc-authorize). */
function single(fields: URLSearchParams): { get(name: string): string | undefined; duplicated: boolean } {
  const seen = new Set<string>();
  let duplicated = false;
  for (const name of fields.keys()) {
    if (seen.has(name)) duplicated = true;
    seen.add(name);
  }
  return { get: (name) => fields.get(name) ?? undefined, duplicated };
}

/** The endpoint URL a client called, without the query: a client assertion's `aud`. */
function endpointUrl(call: Call<OktaOrg>): string {
  return `${call.url.origin}${call.url.pathname}`;
}

/**
 * How the client authenticated (docs/fidelity/okta.md#okta-oidc-client-auth): `Basic` (also `base64(client_id)`
 * without a colon, as okta-auth-js sends for public clients), form fields, or a client assertion.
 */
function clientCredentials(call: Call<OktaOrg>, form: URLSearchParams): ClientCredentials {
  const authorization = parseAuthorization(call.request.headers.get('authorization'));
  let basic: ClientCredentials['basic'];
  if (authorization?.scheme.toLowerCase() === 'basic') {
    basic = 'malformed';
    try {
      const decoded = atob(authorization.value);
      const colon = decoded.indexOf(':');
      const id = formDecode(colon < 0 ? decoded : decoded.slice(0, colon));
      if (id) basic = { id, secret: colon < 0 ? undefined : formDecode(decoded.slice(colon + 1)) };
    } catch {
      // not base64
    }
  }
  const query = call.url.searchParams;
  return {
    basic,
    clientId: form.get('client_id') ?? query.get('client_id') ?? undefined,
    clientSecret: form.get('client_secret') ?? undefined,
    assertionType: form.get('client_assertion_type') ?? undefined,
    assertion: form.get('client_assertion') ?? undefined,
    secretInQuery: query.has('client_secret') || query.has('client_assertion'),
  };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

/** The fields of a form POST, with the query's non-credential parameters as fallback (Okta accepts them). */
function formOf(call: Call<OktaOrg>): URLSearchParams {
  const form = readForm(call.request);
  for (const [name, value] of call.url.searchParams) {
    if (!form.has(name) && name !== 'client_secret' && name !== 'client_assertion') form.append(name, value);
  }
  return form;
}

function discovery<const Name extends string>(
  name: Name,
  path: string,
  kind: 'oidc' | 'oauth',
): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'GET',
    path,
    summary:
      kind === 'oidc'
        ? 'OpenID Connect discovery document of an authorization server'
        : 'OAuth 2.0 authorization server metadata (RFC 8414)',
    input(call) {
      const server = serverOf(call);
      const clientId = call.url.searchParams.get('client_id');
      if (clientId !== null && !call.org.oidc.apps.has(clientId)) {
        throw new OAuthError('invalid_client', OAUTH_TEXT.clientIdInvalid, {
          delivery: { kind: 'envelope' },
          status: 400,
        });
      }
      return server;
    },
    run: (server, call) => discoveryDocument(server, call.base, kind),
    answer: (document) => ({ response: oauthJson(document) }),
  });
}

function keys<const Name extends string>(name: Name, path: string): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'GET',
    path,
    summary:
      "An authorization server's public signing keys (the org server's access-token key is never published)",
    input: serverOf,
    run: async (server, call) => (await call.org.keys.published(server.keySlot)).map((key) => key.jwk),
    // Okta's keys carry a long max-age (docs/fidelity/okta.md#okta-oidc-keys).
    answer: (published) => ({
      response: jsonResponse({ keys: published }, 200, {
        'Content-Type': 'application/json;charset=UTF-8',
        'Cache-Control': 'max-age=3832304, must-revalidate',
      }),
    }),
  });
}

function authorizeOperation<const Name extends string>(name: Name, path: string): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'GET',
    path,
    summary: 'Authorize: a code and/or tokens for the session or sessionToken, in the asked response mode',
    bucket: 'oauth2Authorize',
    input(call) {
      const query = single(call.url.searchParams);
      return {
        server: call.org.oidc.server(serverIdOf(call.url.pathname)),
        params: {
          clientId: query.get('client_id'),
          redirectUri: query.get('redirect_uri'),
          responseType: query.get('response_type'),
          responseMode: query.get('response_mode'),
          scope: query.get('scope'),
          state: query.get('state'),
          nonce: query.get('nonce'),
          codeChallenge: query.get('code_challenge'),
          codeChallengeMethod: query.get('code_challenge_method'),
          prompt: query.get('prompt'),
          maxAge: query.get('max_age'),
          sessionToken: query.get('sessionToken'),
          duplicated: query.duplicated,
        },
        loginHint: query.get('login_hint'),
      };
    },
    principal: (input) => input.params.clientId,
    run: (input, call) => authorize(call.org, input.server, input.params, sidOf(call), call.base),
    answer(outcome, call): Outcome {
      if (outcome.kind === 'sign-in') {
        // Back to this request after signing in, without the prompt that sent the browser here.
        const back = new URL(call.url);
        if (back.searchParams.get('prompt') === 'login') back.searchParams.delete('prompt');
        back.searchParams.delete('sessionToken');
        const signIn = new URL('/login/login.htm', call.base);
        signIn.searchParams.set('fromURI', back.href);
        return {
          response: simResponse(302, null, new AnswerHeaders({ ...NO_CACHE, Location: signIn.href })),
          outcome: 'sign-in',
        };
      }
      const response = authorizeAnswer(outcome.redirectUri, outcome.responseMode, outcome.params);
      if (outcome.created) response.headers.append('Set-Cookie', sidCookie(call, outcome.created));
      return {
        response,
        principal: call.org.users.get(outcome.userId)?.login,
        outcome: outcome.created ? 'session-created' : 'granted',
      };
    },
  });
}

function tokenOperation<const Name extends string>(name: Name, path: string): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'POST',
    path,
    summary: 'Token: authorization_code (PKCE), refresh_token, client_credentials, password',
    bucket: 'oauth2Token',
    input(call) {
      const server = serverOf(call);
      const form = formOf(call);
      const fields = single(form);
      if (fields.duplicated) throw new OAuthError('invalid_request', OAUTH_TEXT.duplicateParameters);
      const credentials = clientCredentials(call, form);
      return {
        server,
        credentials,
        form: {
          grantType: fields.get('grant_type'),
          code: fields.get('code'),
          redirectUri: fields.get('redirect_uri'),
          codeVerifier: fields.get('code_verifier'),
          refreshToken: fields.get('refresh_token'),
          scope: fields.get('scope'),
          username: fields.get('username'),
          password: fields.get('password'),
        },
      };
    },
    principal: (input) =>
      input.form.username ??
      (typeof input.credentials.basic === 'object' ? input.credentials.basic.id : input.credentials.clientId),
    async run(input, call) {
      const app = await authenticateClient(call.org, input.credentials, endpointUrl(call));
      const set = await tokenRequest(call.org, input.server, app, input.form, {
        base: call.base,
        origin: call.request.headers.get('origin'),
      });
      return { set, grantType: input.form.grantType };
    },
    answer: ({ set, grantType }) => ({ response: oauthJson(set), outcome: `granted:${grantType}` }),
  });
}

function userinfoOperation<const Name extends string>(name: Name, path: string, method: 'GET' | 'POST') {
  return oktaOperation({
    name,
    method,
    path,
    summary: 'The claims of the bearer access token',
    bucket: 'oauth2Other',
    input(call) {
      const server = serverOf(call);
      const authorization = parseAuthorization(call.request.headers.get('authorization'));
      const bearer =
        authorization?.scheme.toLowerCase() === 'bearer' && authorization.value !== ''
          ? authorization.value
          : undefined;
      const inQuery = call.url.searchParams.has('access_token');
      return { server, credential: { bearer, inQuery } };
    },
    run: (input, call) =>
      userinfo(call.org, input.server, input.credential, { base: call.base, resource: call.url.pathname }),
    answer: (claims, call) => ({
      response: oauthJson(claims),
      principal: typeof claims.sub === 'string' ? call.org.users.get(claims.sub)?.login : undefined,
    }),
  });
}

/** The client and `token` of an introspect or revoke request. */
function tokenParameters(call: Call<OktaOrg>) {
  const server = serverOf(call);
  const form = formOf(call);
  const fields = single(form);
  if (fields.duplicated) throw new OAuthError('invalid_request', OAUTH_TEXT.duplicateParameters);
  return {
    server,
    credentials: clientCredentials(call, form),
    token: fields.get('token'),
    hint: fields.get('token_type_hint'),
  };
}

function introspectOperation<const Name extends string>(name: Name, path: string): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'POST',
    path,
    summary: 'Introspect an access, refresh or ID token',
    bucket: 'oauth2Other',
    input: tokenParameters,
    async run(input, call) {
      await authenticateClient(call.org, input.credentials, endpointUrl(call));
      if (!input.token) throw new OAuthError('invalid_request', OAUTH_TEXT.tokenRequired);
      return introspect(call.org, input.server, input.token, input.hint, call.base);
    },
    answer: (body) => ({ response: oauthJson(body), outcome: body.active ? 'active' : 'inactive' }),
  });
}

function revokeOperation<const Name extends string>(name: Name, path: string): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'POST',
    path,
    summary: "Revoke one of the client's access or refresh tokens",
    bucket: 'oauth2Other',
    input: tokenParameters,
    async run(input, call) {
      const app = await authenticateClient(call.org, input.credentials, endpointUrl(call));
      if (!input.token) throw new OAuthError('invalid_request', OAUTH_TEXT.tokenRequired);
      return revoke(call.org, input.server, app, input.token);
    },
    answer: (revoked) => ({
      response: simResponse(200, null, NO_CACHE),
      outcome: revoked ? 'revoked' : 'nothing-revoked',
    }),
  });
}

function logoutOperation<const Name extends string>(name: Name, path: string): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'GET',
    path,
    summary: "End the Okta session of the ID token's user and go to the post-logout redirect URI",
    bucket: 'oauth2Other',
    input(call) {
      const query = single(call.url.searchParams);
      return {
        server: serverOf(call),
        request: {
          idTokenHint: query.get('id_token_hint'),
          postLogoutRedirectUri: query.get('post_logout_redirect_uri'),
          state: query.get('state'),
          sid: sidOf(call),
        },
      };
    },
    run: (input, call) => logout(call.org, input.server, input.request, call.base),
    answer({ location, ended }, call) {
      const headers = new AnswerHeaders({
        ...NO_CACHE,
        Location: location ?? new URL('/login/login.htm', call.base).href,
        'Set-Cookie': 'sid=""; Path=/; Max-Age=0',
      });
      return { response: simResponse(302, null, headers), outcome: ended ? 'session-ended' : 'no-session' };
    },
  });
}

export const OAUTH2_OPERATIONS = [
  discovery('getWellKnownOpenIDConfiguration', '/.well-known/openid-configuration', 'oidc'),
  discovery(
    'getWellKnownOpenIDConfigurationCustomAS',
    '/oauth2/:authServerId/.well-known/openid-configuration',
    'oidc',
  ),
  discovery('getWellKnownOAuthConfiguration', '/.well-known/oauth-authorization-server', 'oauth'),
  discovery(
    'getWellKnownOAuthConfigurationCustomAS',
    '/oauth2/:authServerId/.well-known/oauth-authorization-server',
    'oauth',
  ),
  discovery(
    'getWellKnownOAuthConfigurationRfc8414',
    '/.well-known/oauth-authorization-server/oauth2/:authServerId',
    'oauth',
  ),
  keys('oauthKeys', '/oauth2/v1/keys'),
  keys('oauthKeysCustomAS', '/oauth2/:authServerId/v1/keys'),
  authorizeOperation('authorize', '/oauth2/v1/authorize'),
  authorizeOperation('authorizeCustomAS', '/oauth2/:authServerId/v1/authorize'),
  tokenOperation('token', '/oauth2/v1/token'),
  tokenOperation('tokenCustomAS', '/oauth2/:authServerId/v1/token'),
  userinfoOperation('userinfo', '/oauth2/v1/userinfo', 'GET'),
  userinfoOperation('userinfo', '/oauth2/v1/userinfo', 'POST'),
  userinfoOperation('userinfoCustomAS', '/oauth2/:authServerId/v1/userinfo', 'GET'),
  userinfoOperation('userinfoCustomAS', '/oauth2/:authServerId/v1/userinfo', 'POST'),
  introspectOperation('introspect', '/oauth2/v1/introspect'),
  introspectOperation('introspectCustomAS', '/oauth2/:authServerId/v1/introspect'),
  revokeOperation('revoke', '/oauth2/v1/revoke'),
  revokeOperation('revokeCustomAS', '/oauth2/:authServerId/v1/revoke'),
  logoutOperation('logout', '/oauth2/v1/logout'),
  logoutOperation('logoutCustomAS', '/oauth2/:authServerId/v1/logout'),
  oktaOperation({
    name: 'getWellknownOrgMetadata',
    method: 'GET',
    path: '/.well-known/okta-organization',
    summary: "The org's id and pipeline (a Classic org)",
    input: () => undefined,
    run: (_input, call) => organizationBody(call.org.orgId, call.base),
    answer: (body) => ({ response: oauthJson(body) }),
  }),
  oktaOperation({
    name: 'signInPage',
    method: 'GET',
    path: '/login/login.htm',
    summary: "The org's sign-in page: username and password through /api/v1/authn, then back to fromURI",
    input(call) {
      const from = URL.parse(call.url.searchParams.get('fromURI') ?? '/', call.base);
      // Only back to this org: anything else would make the page an open redirect.
      const back = from && from.origin === call.url.origin ? from.href : call.base;
      const hint = back ? (new URL(back).searchParams.get('login_hint') ?? undefined) : undefined;
      return { back, hint };
    },
    run: (input) => input,
    answer: ({ back, hint }) => ({ response: signInPage(back, hint) }),
  }),
] as const;
