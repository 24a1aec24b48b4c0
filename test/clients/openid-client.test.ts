/**
 * openid-client (6.8.9, built on oauth4webapi 3.8.8) against the simulated Apigee reference proxy
 * (docs/apigee-runtime.md): every grant the proxy serves, RFC 7009 revocation and protected resources, over msw
 * in-process and over the real HTTP server.
 *
 * What a standard OAuth client makes of Apigee's answers (read from node_modules):
 * - Apigee's default token answer (docs/fidelity/apigee.md#apigee-token-response) is refused. oauth4webapi's
 *   `processGenericAccessTokenResponse` lower-cases `token_type` to "bearertoken" and then throws
 *   `UnsupportedOperationError('unsupported \`token_type\` value')` because it is neither "bearer" nor "dpop"
 *   (oauth4webapi/build/index.js:1276-1277); openid-client's `errorHandler` wraps that in
 *   `ClientError('unsupported operation')` with code `OAUTH_UNSUPPORTED_OPERATION`
 *   (openid-client/build/index.js:149-150). The string `expires_in` alone is no obstacle: the same function
 *   `parseFloat`s it to a number first (oauth4webapi/build/index.js:1237-1242). The tokens are issued all the
 *   same: the client just never hands them over.
 * - openid-client has no option to accept another token type: oauth4webapi's documented
 *   `recognizedTokenTypes` is forwarded only by `genericGrantRequest`, and only for token exchange
 *   (openid-client/build/index.js:1225-1231). Its documented hook is `client.customFetch`; `apigeeAdapter`
 *   installs one that turns Apigee's "BearerToken" into "Bearer", what `<RFCCompliantRequestResponse>true`
 *   makes Apigee X send (docs/fidelity/apigee.md#apigee-token-response), and the full flows run through it.
 *   One test calls oauth4webapi (the copy openid-client itself imports) with `recognizedTokenTypes` to show
 *   that lower-level hook works.
 * - Apigee's token-endpoint errors `{"ErrorCode","Error"}` (docs/fidelity/apigee.md#apigee-token-errors) have
 *   no RFC 6749 `error` member, so oauth4webapi does not recognise them as OAuth errors
 *   (`parseOAuthResponseErrorBody`, oauth4webapi/build/index.js:911-924) and raises "not a conform Token
 *   Endpoint response" (index.js:936), which openid-client turns into `ClientError('unexpected HTTP response
 *   status code')`, code `OAUTH_RESPONSE_IS_NOT_CONFORM`, whose `cause` is the unread `Response`
 *   (openid-client/build/index.js:131-132).
 * - The RFC 7009 endpoint answers 401 with `WWW-Authenticate: Basic realm="oauth"`, which oauth4webapi
 *   raises as `WWWAuthenticateChallengeError` before it looks at the body (index.js:927, 1281-1285).
 *   VerifyAccessToken's 401s carry Apigee's `Bearer realm="null",error="invalid_token",...` challenge
 *   (docs/fidelity/apigee.md#apigee-www-authenticate), so `fetchProtectedResource` throws the same error for
 *   them (oauth4webapi index.js:967-970); its 403 InsufficientScope has none and is handed back.
 * - With `proxy.rfcCompliant: true` (`<RFCCompliantRequestResponse>`, docs/fidelity/apigee.md#apigee-rfc-compliant)
 *   the token answer is RFC 6749's and openid-client runs client credentials, the password grant and refresh
 *   as shipped; token-endpoint errors are RFC 6749 bodies it raises as `ResponseBodyError`.
 * - `ClientSecretBasic` form-encodes id and secret before base64 (RFC 6749 §2.3.1; oauth4webapi
 *   index.js:456-474 encodes "-" too), so "web-key" goes out as "web%2Dkey"; the simulator decodes it.
 *   Whether real Apigee decodes Basic credentials is unconfirmed (its generated keys are alphanumeric).
 * - The reference proxy has no PKCE (docs/apigee-runtime.md): `code_challenge` and `code_verifier` are ignored.
 */
import { calculateJwkThumbprint, createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { setupSimulatorServer, startHttpServer } from '../../src/node/index.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { apigeeScenario, JWT_APP, PASSWORD, RUNTIME, T0_MS, WEB, withApigee } from '../support/scenarios.ts';

type Transport = 'msw' | 'http';

/** The global fetch before msw ever patched it: openid-client sends every request through global fetch. */
const PRISTINE_FETCH = globalThis.fetch;

const CALLBACK = 'https://web.example.com/callback';
const TOKEN_PATH = '/oauth/token';
const USER = 'ada@example.com';
/** `ClientSecretBasic` for WEB as oauth4webapi writes it: "web-key" and "web-secret" form-encoded, "-" as %2D. */
const WEB_BASIC = `Basic ${btoa('web%2Dkey:web%2Dsecret')}`;

/** One request openid-client sent through the tracing `customFetch`, with the status it got. */
interface Exchange {
  method: string;
  url: URL;
  /** Lower-cased names, as oauth4webapi hands them to fetch. */
  headers: Record<string, string>;
  /** The form body (empty when there was none). */
  form: URLSearchParams;
  status: number;
}

interface ConfigOptions {
  credentials?: { clientId: string; clientSecret: string };
  /** client_secret_basic (openid-client's `ClientSecretBasic`, the default here) or client_secret_post. */
  auth?: 'basic' | 'post';
  /**
   * Install the `customFetch` adapter that traces requests into `rig.wire` and hands Apigee's token answers
   * on with `token_type: "Bearer"`. Without it the Configuration is openid-client as shipped.
   */
  adapter?: boolean;
  /** HTTP transport only: call `client.allowInsecureRequests` (default true). */
  allowHttp?: boolean;
}

interface Rig {
  sim: Simulator;
  /** Where the proxy answers: the scenario's runtime URL over msw, the HTTP server's URL otherwise. */
  base: string;
  /** Hand-written server metadata: the reference proxy has no discovery document. */
  metadata: client.ServerMetadata;
  /** Everything sent through an adapter Configuration, oldest first. */
  wire: Exchange[];
  config(options?: ConfigOptions): client.Configuration;
  /** Follows an authorization URL as a browser would, without following the redirect: the callback URL. */
  authorize(url: URL): Promise<URL>;
}

/**
 * Registers per-test teardown for `transport` and returns a factory of rigs. msw listens only inside an msw
 * test (closed after each one), and every HTTP server is closed after its test.
 */
function useRig(transport: Transport): (scenario?: ScenarioInput) => Promise<Rig> {
  const teardown: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of teardown.splice(0).reverse()) await step();
  });
  return async (scenario = apigeeScenario) => {
    const sim = createSimulator(scenario);
    let base: string;
    if (transport === 'msw') {
      const server = setupSimulatorServer(sim);
      // msw 3 names msw 2's onUnhandledRequest onUnhandledFrame: a request the simulator does not claim fails.
      server.listen({ onUnhandledFrame: 'error' });
      teardown.push(() => server.close());
      base = sim.scenario.apigee?.runtimeUrl ?? RUNTIME;
    } else {
      if (globalThis.fetch !== PRISTINE_FETCH) throw new Error('msw is still intercepting fetch');
      const server = await startHttpServer(sim, { port: 0 });
      teardown.push(() => server.close());
      base = server.url;
    }
    const metadata: client.ServerMetadata = {
      issuer: base,
      token_endpoint: `${base}${TOKEN_PATH}`,
      authorization_endpoint: `${base}/oauth/authorize`,
      revocation_endpoint: `${base}/oauth/revoke`,
      jwks_uri: `${base}/oauth/jwks`,
    };
    const wire: Exchange[] = [];
    return {
      sim,
      base,
      metadata,
      wire,
      config(options = {}) {
        const { clientId, clientSecret } = options.credentials ?? WEB;
        const auth =
          options.auth === 'post'
            ? client.ClientSecretPost(clientSecret)
            : client.ClientSecretBasic(clientSecret);
        const config = new client.Configuration(metadata, clientId, undefined, auth);
        if (transport === 'http' && options.allowHttp !== false) client.allowInsecureRequests(config);
        if (options.adapter) config[client.customFetch] = apigeeAdapter(wire);
        return config;
      },
      async authorize(url) {
        const response = await fetch(url, { redirect: 'manual' });
        expect(response.status).toBe(302);
        const location = response.headers.get('location');
        expect(location).toEqual(expect.any(String));
        return new URL(location as string);
      },
    };
  };
}

/**
 * openid-client's documented fetch hook (`client.customFetch`) as the smallest adapter an Apigee client
 * needs: it records each exchange and, for a 200 token-endpoint answer whose `token_type` is Apigee's
 * "BearerToken", hands the body on with "Bearer". Nothing else changes: `expires_in` stays a string.
 */
function apigeeAdapter(wire: Exchange[]): client.CustomFetch {
  return async (url, options) => {
    const { body } = options;
    const form = new URLSearchParams(typeof body === 'string' || body instanceof URLSearchParams ? body : '');
    // openid-client types the body as `FetchBody`, whose `Uint8Array<ArrayBufferLike>` TypeScript's DOM
    // `BodyInit` does not take; its customFetch docs expect such type mismatches. The value is fetch's own.
    const response = await fetch(url, options as RequestInit);
    const target = new URL(url);
    wire.push({
      method: options.method,
      url: target,
      headers: { ...options.headers },
      form,
      status: response.status,
    });
    if (target.pathname !== TOKEN_PATH || response.status !== 200) return response;
    const json = (await response.clone().json()) as Record<string, unknown>;
    if (json.token_type !== 'BearerToken') return response;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify({ ...json, token_type: 'Bearer' }), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

/** The rejection of `promise`, whatever it is; fails the test if the promise resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('Expected the call to reject, but it resolved');
    },
    (reason: unknown) => reason,
  );
}

/** The rejection of `promise`, which must be an openid-client `ClientError` with `code`. */
async function clientError(promise: Promise<unknown>, code: string): Promise<client.ClientError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(client.ClientError);
  expect((error as client.ClientError).code).toBe(code);
  return error as client.ClientError;
}

/**
 * openid-client's refusal of Apigee's token answer (docs/fidelity/apigee.md#apigee-token-response):
 * `ClientError('unsupported operation')` around oauth4webapi's `UnsupportedOperationError`, whose cause
 * carries the body as oauth4webapi left it (token_type lower-cased, expires_in already a number). Resolves to
 * that body.
 */
async function bearerTokenRefusal(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await clientError(promise, 'OAUTH_UNSUPPORTED_OPERATION');
  expect(error.message).toBe('unsupported operation');
  const cause = error.cause;
  expect(cause).toBeInstanceOf(oauth.UnsupportedOperationError);
  expect((cause as Error).message).toBe('unsupported `token_type` value');
  const { body } = (cause as Error).cause as { body: Record<string, unknown> };
  expect(body.token_type).toBe('bearertoken');
  expect(body.expires_in).toBe(1799);
  return body;
}

/**
 * An Apigee token-endpoint error as openid-client surfaces it: not a `ResponseBodyError` (the body has no
 * RFC 6749 `error`), but `ClientError('unexpected HTTP response status code')` whose cause is the Response.
 */
async function apigeeTokenError(
  promise: Promise<unknown>,
  status: number,
  body: { ErrorCode: string; Error: string },
): Promise<void> {
  const error = await clientError(promise, 'OAUTH_RESPONSE_IS_NOT_CONFORM');
  expect(error).not.toBeInstanceOf(client.ResponseBodyError);
  expect(error.message).toBe('unexpected HTTP response status code');
  expect(error.cause).toBeInstanceOf(Response);
  const response = error.cause as Response;
  expect(response.status).toBe(status);
  expect(response.headers.get('www-authenticate')).toBeNull();
  expect(await response.json()).toEqual(body);
}

/**
 * A protected-path 401 as openid-client surfaces it: Apigee's `WWW-Authenticate: Bearer realm="null",
 * error="invalid_token",error_description="<errorcode>: <faultstring>"` (docs/fidelity/apigee.md#apigee-www-authenticate)
 * makes oauth4webapi throw `WWWAuthenticateChallengeError` with the parsed challenge; the fault body is on its
 * response.
 */
async function expectBearerChallenge(
  promise: Promise<unknown>,
  errorcode: string,
  faultstring: string,
): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(client.WWWAuthenticateChallengeError);
  const challenge = error as client.WWWAuthenticateChallengeError;
  expect(challenge.status).toBe(401);
  expect(challenge.cause).toEqual([
    {
      scheme: 'bearer',
      parameters: {
        realm: 'null',
        error: 'invalid_token',
        error_description: `${errorcode}: ${faultstring}`,
      },
    },
  ]);
  expect(await challenge.response.json()).toEqual({ fault: { faultstring, detail: { errorcode } } });
}

/** A string-keyed JSON object (the protected paths' answers). */
async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

for (const transport of ['msw', 'http'] as const) {
  describe(`openid-client against Apigee's reference proxy [${transport}]`, () => {
    const rig = useRig(transport);

    describe("Apigee's default token answer, as openid-client ships", () => {
      it('refuses the client_credentials answer: token_type "BearerToken" is not RFC 6749 (docs/fidelity/apigee.md#apigee-token-response)', async () => {
        const { sim, config } = await rig();

        const body = await bearerTokenRefusal(client.clientCredentialsGrant(config(), { scope: 'read' }));

        // Apigee's other non-RFC scalars are left as strings; only expires_in was converted
        // (docs/fidelity/apigee.md#apigee-token-response).
        expect(body).toMatchObject({
          client_id: WEB.clientId,
          scope: 'read',
          issued_at: String(T0_MS),
          refresh_token_expires_in: '0',
          refresh_count: '0',
          status: 'approved',
          api_product_list: '[orders, inventory]',
        });
        expect(body).not.toHaveProperty('refresh_token');
        // The proxy issued the token: the client discarded a live credential.
        expect(sim.requests.last({ operation: 'generateAccessToken' })).toMatchObject({
          status: 200,
          principal: WEB.clientId,
          outcome: 'issued',
        });
        expect(sim.apigee.token(body.access_token as string)?.status).toBe('approved');
      });

      it('refuses the password grant answer although it carries a refresh token (docs/fidelity/apigee.md#apigee-token-response)', async () => {
        const { sim, config } = await rig();

        const body = await bearerTokenRefusal(
          client.genericGrantRequest(config(), 'password', { username: USER, password: PASSWORD }),
        );

        expect(body).toMatchObject({
          scope: 'read write stock',
          app_enduser: USER,
          refresh_token_expires_in: '86399',
          refresh_token_status: 'approved',
        });
        expect(sim.apigee.token(body.refresh_token as string)?.status).toBe('approved');
      });

      it('refuses the authorization_code answer after the proxy consumed the code (docs/fidelity/apigee.md#apigee-authorization-codes, docs/fidelity/apigee.md#apigee-token-response)', async () => {
        const { sim, config, authorize } = await rig();
        const plain = config();
        const state = client.randomState();
        const callback = await authorize(
          client.buildAuthorizationUrl(plain, { redirect_uri: CALLBACK, state }),
        );

        await bearerTokenRefusal(client.authorizationCodeGrant(plain, callback, { expectedState: state }));

        // The code is single-use, so the client cannot try again: the user must authorize anew.
        await apigeeTokenError(
          client.authorizationCodeGrant(config({ adapter: true }), callback, { expectedState: state }),
          400,
          {
            ErrorCode: 'invalid_request',
            Error: 'Invalid Authorization Code',
          },
        );
        expect(sim.requests.filter({ operation: 'generateAccessToken' }).map((e) => e.status)).toEqual([
          200, 400,
        ]);
      });

      it('loses the grant when it refuses a refresh answer: Apigee already rotated the refresh token (docs/fidelity/apigee.md#apigee-refresh, docs/fidelity/apigee.md#apigee-refresh-errors)', async () => {
        const { sim, config } = await rig();
        const { refreshToken } = await sim.apigee.issueToken({
          app: 'web',
          grantType: 'password',
          endUser: USER,
        });

        const body = await bearerTokenRefusal(client.refreshTokenGrant(config(), refreshToken as string));

        expect(body.refresh_token).not.toBe(refreshToken);
        expect(body.refresh_count).toBe('1');
        expect(sim.requests.last({ operation: 'refreshAccessToken' })).toMatchObject({
          status: 200,
          outcome: 'issued',
        });
        await apigeeTokenError(
          client.refreshTokenGrant(config({ adapter: true }), refreshToken as string),
          400,
          {
            ErrorCode: 'invalid_request',
            Error: 'Invalid Refresh Token',
          },
        );
      });

      it("accepts the answer through oauth4webapi's recognizedTokenTypes, which openid-client does not forward (docs/fidelity/apigee.md#apigee-token-response)", async () => {
        const { metadata, base } = await rig();
        const as: oauth.AuthorizationServer = metadata;
        const webClient: oauth.Client = { client_id: WEB.clientId };
        const auth = oauth.ClientSecretBasic(WEB.clientSecret);
        const options = { [oauth.allowInsecureRequests]: base.startsWith('http:') };

        const refused = await rejection(
          oauth.processClientCredentialsResponse(
            as,
            webClient,
            await oauth.clientCredentialsGrantRequest(as, webClient, auth, { scope: 'read' }, options),
          ),
        );
        expect(refused).toBeInstanceOf(oauth.UnsupportedOperationError);

        const result = await oauth.processClientCredentialsResponse(
          as,
          webClient,
          await oauth.clientCredentialsGrantRequest(as, webClient, auth, { scope: 'read' }, options),
          { recognizedTokenTypes: { bearertoken: () => {} } },
        );
        expect(result).toMatchObject({ token_type: 'bearertoken', expires_in: 1799, scope: 'read' });
        expect(result.access_token).toMatch(/^\w{28}$/);
      });
    });

    describe('against a proxy with rfcCompliant: true, openid-client as shipped', () => {
      /** `<RFCCompliantRequestResponse>true` on the reference proxy (docs/fidelity/apigee.md#apigee-rfc-compliant). */
      const rfcCompliant = withApigee({ proxy: { ...apigeeScenario.apigee.proxy, rfcCompliant: true } });

      it('runs the client_credentials grant: token_type Bearer, numeric expires_in, no-store (docs/fidelity/apigee.md#apigee-rfc-compliant)', async () => {
        const { sim, base, config } = await rig(rfcCompliant);
        const web = config();

        const tokens = await client.clientCredentialsGrant(web, { scope: 'read' });

        expect(tokens).toMatchObject({
          token_type: 'bearer',
          expires_in: 1799,
          scope: 'read',
          refresh_token_expires_in: 0,
          issued_at: String(T0_MS),
          api_product_list_json: ['orders', 'inventory'],
        });
        expect(tokens.access_token).toMatch(/^\w{28}$/);
        expect(tokens.refresh_token).toBeUndefined();
        expect(sim.requests.last({ operation: 'generateAccessToken' })).toMatchObject({
          status: 200,
          outcome: 'issued',
        });
        const read = await client.fetchProtectedResource(
          web,
          tokens.access_token,
          new URL(`${base}/v1/orders/1`),
          'GET',
        );
        expect(read.status).toBe(200);
      });

      it('runs the password grant and refresh with rotation, refusing the rotated-out refresh token as an RFC 6749 error (docs/fidelity/apigee.md#apigee-rfc-compliant, docs/fidelity/apigee.md#apigee-refresh)', async () => {
        const { sim, config } = await rig(rfcCompliant);
        const web = config();
        const first = await client.genericGrantRequest(web, 'password', {
          username: USER,
          password: PASSWORD,
        });
        expect(first).toMatchObject({
          token_type: 'bearer',
          expires_in: 1799,
          refresh_token_expires_in: 86399,
        });
        sim.clock.advance('1m');

        const second = await client.refreshTokenGrant(web, first.refresh_token as string);

        expect(second).toMatchObject({
          token_type: 'bearer',
          expires_in: 1799,
          refresh_count: '1',
          scope: first.scope,
          app_enduser: USER,
        });
        expect(second.refresh_token).not.toBe(first.refresh_token);
        const error = await rejection(client.refreshTokenGrant(web, first.refresh_token as string));
        expect(error).toBeInstanceOf(client.ResponseBodyError);
        expect(error).toMatchObject({
          status: 400,
          error: 'invalid_request',
          error_description: 'Invalid Refresh Token',
        });
      });

      it('surfaces a wrong client secret as ResponseBodyError invalid_client (docs/fidelity/apigee.md#apigee-rfc-compliant)', async () => {
        const { config } = await rig(rfcCompliant);

        const error = await rejection(
          client.clientCredentialsGrant(config({ credentials: { ...WEB, clientSecret: 'wrong' } })),
        );

        expect(error).toBeInstanceOf(client.ResponseBodyError);
        expect(error).toMatchObject({
          status: 401,
          error: 'invalid_client',
          error_description: 'ClientId is Invalid',
        });
      });

      it('verifies a JWT access token with the key the jwks_uri serves, found by its RFC 7638 kid (docs/fidelity/apigee.md#apigee-jwt-keys, docs/fidelity/apigee.md#apigee-jwt-claims)', async () => {
        const { base, metadata, config } = await rig(rfcCompliant);

        const tokens = await client.clientCredentialsGrant(config({ credentials: JWT_APP }));

        const jwks = (await (await fetch(metadata.jwks_uri as string)).json()) as JSONWebKeySet;
        const [key] = jwks.keys;
        expect(key?.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: key?.n, e: key?.e }));
        const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
          currentDate: new Date(T0_MS),
        });
        expect(protectedHeader).toMatchObject({ typ: 'at+JWT', kid: key?.kid });
        expect(payload.iss).toBe(`${base}/oauth`);
      });
    });

    describe('token-endpoint errors, as openid-client ships', () => {
      for (const auth of ['basic', 'post'] as const) {
        it(`surfaces a wrong client_secret (client_secret_${auth}) as a non-conform 401, not an OAuth error body (docs/fidelity/apigee.md#apigee-client-authentication)`, async () => {
          const { sim, config } = await rig();

          await apigeeTokenError(
            client.clientCredentialsGrant(config({ auth, credentials: { ...WEB, clientSecret: 'wrong' } })),
            401,
            { ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' },
          );
          expect(sim.requests.last({ operation: 'generateAccessToken' })).toMatchObject({
            status: 401,
            errorCode: 'invalid_client',
            principal: WEB.clientId,
          });
        });
      }

      it('surfaces a missing password as a non-conform 400 (docs/fidelity/apigee.md#apigee-token-errors)', async () => {
        const { config } = await rig();

        await apigeeTokenError(client.genericGrantRequest(config(), 'password', { username: USER }), 400, {
          ErrorCode: 'invalid_request',
          Error: 'Required param : password',
        });
      });
    });

    describe('with the customFetch adapter for token_type "BearerToken"', () => {
      it('runs the client_credentials grant with client_secret_basic (docs/fidelity/apigee.md#apigee-token-response, docs/fidelity/apigee.md#apigee-client-credentials-grant)', async () => {
        const { sim, config, wire } = await rig();

        const tokens = await client.clientCredentialsGrant(config({ adapter: true }));

        expect(tokens.token_type).toBe('bearer');
        expect(tokens.access_token).toMatch(/^\w{28}$/);
        expect(tokens.scope).toBe('read write stock');
        // oauth4webapi turned the string "1799" into a number; openid-client counts it down on the real clock.
        expect(tokens.expires_in).toBe(1799);
        expect(tokens.expiresIn()).toBeGreaterThanOrEqual(1798);
        expect(tokens.expiresIn()).toBeLessThanOrEqual(1799);
        expect(tokens.refresh_token).toBeUndefined();
        // Apigee's extra fields stay on the result, still strings.
        expect(tokens).toMatchObject({
          refresh_token_expires_in: '0',
          refresh_count: '0',
          client_id: WEB.clientId,
        });
        expect(tokens.api_product_list_json).toEqual(['orders', 'inventory']);

        expect(wire).toHaveLength(1);
        // oauth4webapi form-encodes both halves first (RFC 6749 §2.3.1), "-" included (index.js:456-474);
        // the simulator decodes them, as it must for "web-key" to authenticate.
        expect(wire[0]?.headers.authorization).toBe(WEB_BASIC);
        expect([...(wire[0]?.form.keys() ?? [])]).toEqual(['grant_type']);
        expect(sim.apigee.token(tokens.access_token)).toMatchObject({
          status: 'approved',
          clientId: WEB.clientId,
        });
      });

      it('runs the client_credentials grant with client_secret_post and a narrower scope (docs/fidelity/apigee.md#apigee-token-request)', async () => {
        const { sim, config, wire } = await rig();

        const tokens = await client.clientCredentialsGrant(config({ adapter: true, auth: 'post' }), {
          scope: 'stock',
        });

        expect(tokens.scope).toBe('stock');
        expect(wire[0]?.headers.authorization).toBeUndefined();
        expect(Object.fromEntries(wire[0]?.form ?? [])).toEqual({
          grant_type: 'client_credentials',
          scope: 'stock',
          client_id: WEB.clientId,
          client_secret: WEB.clientSecret,
        });
        expect(sim.requests.last({ operation: 'generateAccessToken' })).toMatchObject({
          principal: WEB.clientId,
        });
      });

      it('passes a JWT-format access token through as an opaque string (docs/fidelity/apigee.md#apigee-jwt-claims)', async () => {
        const { config } = await rig();

        const tokens = await client.clientCredentialsGrant(config({ adapter: true, credentials: JWT_APP }));

        expect(tokens.token_type).toBe('bearer');
        expect(tokens.access_token.split('.')).toHaveLength(3);
        expect(tokens.expires_in).toBe(1799);
      });

      it('runs the password grant with genericGrantRequest (docs/fidelity/apigee.md#apigee-token-response, docs/fidelity/apigee.md#apigee-password-grant)', async () => {
        const { sim, config } = await rig();

        const tokens = await client.genericGrantRequest(config({ adapter: true }), 'password', {
          username: USER,
          password: PASSWORD,
          scope: 'read',
        });

        expect(tokens).toMatchObject({
          token_type: 'bearer',
          scope: 'read',
          expires_in: 1799,
          app_enduser: USER,
          refresh_token_expires_in: '86399',
        });
        expect(tokens.refresh_token).toMatch(/^\w{32}$/);
        expect(sim.apigee.token(tokens.refresh_token as string)).toMatchObject({
          kind: 'refresh',
          status: 'approved',
          pairedWith: tokens.access_token,
        });
      });

      it('runs the authorization code flow with a state check (docs/fidelity/apigee.md#apigee-authorization-codes)', async () => {
        const { sim, base, config, authorize, wire } = await rig();
        const web = config({ adapter: true });
        const state = client.randomState();

        const url = client.buildAuthorizationUrl(web, { redirect_uri: CALLBACK, scope: 'read', state });
        expect(`${url.origin}${url.pathname}`).toBe(`${base}/oauth/authorize`);
        expect(Object.fromEntries(url.searchParams)).toEqual({
          redirect_uri: CALLBACK,
          scope: 'read',
          state,
          client_id: WEB.clientId,
          response_type: 'code',
        });
        const callback = await authorize(url);
        expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
        expect(callback.searchParams.get('state')).toBe(state);
        expect(callback.searchParams.get('code')).toMatch(/^\w{8}$/);

        const tokens = await client.authorizationCodeGrant(web, callback, { expectedState: state });

        expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'read', expires_in: 1799 });
        expect(tokens.refresh_token).toMatch(/^\w{32}$/);
        // openid-client sends the callback URL without its query as redirect_uri, as Apigee requires.
        expect(Object.fromEntries(wire[0]?.form ?? [])).toEqual({
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code'),
          redirect_uri: CALLBACK,
        });
        expect(sim.requests.find({ operation: 'generateAuthorizationCode' })).toMatchObject({
          status: 302,
          outcome: 'code-issued',
        });
      });

      it('rejects a callback whose state differs before it redeems the code (docs/fidelity/apigee.md#apigee-authorization-codes)', async () => {
        const { sim, config, authorize } = await rig();
        const web = config({ adapter: true });
        const state = client.randomState();
        const callback = await authorize(
          client.buildAuthorizationUrl(web, { redirect_uri: CALLBACK, state }),
        );

        const error = await clientError(
          client.authorizationCodeGrant(web, callback, { expectedState: client.randomState() }),
          'OAUTH_INVALID_RESPONSE',
        );

        expect(error.message).toBe('invalid response encountered');
        expect((error.cause as Error).message).toBe('unexpected "state" response parameter value');
        expect(sim.requests.find({ operation: 'generateAccessToken' })).toBeUndefined();
        // The code is still unused: the right state redeems it.
        const tokens = await client.authorizationCodeGrant(web, callback, { expectedState: state });
        expect(tokens.access_token).toMatch(/^\w{28}$/);
      });

      it('sends PKCE parameters the proxy ignores: a code_verifier that does not match still redeems the code (docs/apigee-runtime.md)', async () => {
        const { config, authorize, wire } = await rig();
        const web = config({ adapter: true });
        const state = client.randomState();
        const challenge = await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier());
        const url = client.buildAuthorizationUrl(web, {
          redirect_uri: CALLBACK,
          state,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        });
        const callback = await authorize(url);
        expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'state']);
        const otherVerifier = client.randomPKCECodeVerifier();

        const tokens = await client.authorizationCodeGrant(web, callback, {
          expectedState: state,
          pkceCodeVerifier: otherVerifier,
        });

        expect(tokens.access_token).toMatch(/^\w{28}$/);
        expect(wire[0]?.form.get('code_verifier')).toBe(otherVerifier);
      });

      it('refreshes with rotation and refuses the rotated-out refresh token (docs/fidelity/apigee.md#apigee-refresh, docs/fidelity/apigee.md#apigee-refresh-errors)', async () => {
        const { sim, config } = await rig();
        const web = config({ adapter: true });
        const first = await client.genericGrantRequest(web, 'password', {
          username: USER,
          password: PASSWORD,
        });

        const second = await client.refreshTokenGrant(web, first.refresh_token as string);

        expect(second).toMatchObject({
          token_type: 'bearer',
          scope: first.scope,
          refresh_count: '1',
          expires_in: 1799,
        });
        expect(second.access_token).not.toBe(first.access_token);
        expect(second.refresh_token).toMatch(/^\w{32}$/);
        expect(second.refresh_token).not.toBe(first.refresh_token);
        expect(sim.requests.last({ operation: 'refreshAccessToken' })).toMatchObject({
          status: 200,
          outcome: 'issued',
        });
        await apigeeTokenError(client.refreshTokenGrant(web, first.refresh_token as string), 400, {
          ErrorCode: 'invalid_request',
          Error: 'Invalid Refresh Token',
        });
      });

      it('refreshes after the access token expired on the virtual clock, which the client does not see (docs/fidelity/apigee.md#apigee-token-usable, docs/fidelity/apigee.md#apigee-verify-faults)', async () => {
        const { sim, base, config } = await rig();
        const web = config({ adapter: true });
        const first = await client.genericGrantRequest(web, 'password', {
          username: USER,
          password: PASSWORD,
        });
        sim.clock.advance('31m');

        // openid-client's countdown runs on the real clock, so it still reports a fresh token.
        expect(first.expiresIn()).toBeGreaterThanOrEqual(1798);
        await expectBearerChallenge(
          client.fetchProtectedResource(web, first.access_token, new URL(`${base}/v1/orders`), 'GET'),
          'keymanagement.service.access_token_expired',
          'Access Token expired',
        );

        const second = await client.refreshTokenGrant(web, first.refresh_token as string);
        const fresh = await client.fetchProtectedResource(
          web,
          second.access_token,
          new URL(`${base}/v1/orders`),
          'GET',
        );
        expect(fresh.status).toBe(200);
      });

      it('revokes a refresh token with tokenRevocation, after which refresh fails with "Refresh Token not approved" (docs/fidelity/apigee.md#apigee-rfc7009-revoke, docs/fidelity/apigee.md#apigee-invalidate-cascade, docs/fidelity/apigee.md#apigee-refresh-errors)', async () => {
        const { sim, base, config, wire } = await rig();
        const web = config({ adapter: true });
        const tokens = await client.genericGrantRequest(web, 'password', {
          username: USER,
          password: PASSWORD,
        });

        await expect(
          client.tokenRevocation(web, tokens.refresh_token as string, { token_type_hint: 'refresh_token' }),
        ).resolves.toBeUndefined();

        const revoke = wire.find((exchange) => exchange.url.pathname === '/oauth/revoke');
        expect(revoke?.status).toBe(200);
        expect(revoke?.headers.authorization).toBe(WEB_BASIC);
        expect(Object.fromEntries(revoke?.form ?? [])).toEqual({
          token_type_hint: 'refresh_token',
          token: tokens.refresh_token,
        });
        expect(sim.requests.last({ operation: 'revokeToken' })).toMatchObject({
          status: 200,
          outcome: 'revoked',
        });
        // cascade=true: the grant's access token went with it (RFC 7009 §2.1).
        expect(sim.apigee.token(tokens.refresh_token as string)?.status).toBe('revoked');
        expect(sim.apigee.token(tokens.access_token)?.status).toBe('revoked');

        await apigeeTokenError(client.refreshTokenGrant(web, tokens.refresh_token as string), 400, {
          ErrorCode: 'invalid_request',
          Error: 'Refresh Token not approved',
        });
        await expectBearerChallenge(
          client.fetchProtectedResource(web, tokens.access_token, new URL(`${base}/v1/orders`), 'GET'),
          'keymanagement.service.access_token_not_approved',
          'Access Token not approved',
        );
      });

      it('revokes an access token with tokenRevocation, which also ends its refresh token (docs/fidelity/apigee.md#apigee-rfc7009-revoke, docs/fidelity/apigee.md#apigee-token-lookup)', async () => {
        const { sim, config } = await rig();
        const web = config({ adapter: true });
        const tokens = await client.genericGrantRequest(web, 'password', {
          username: USER,
          password: PASSWORD,
        });

        await client.tokenRevocation(web, tokens.access_token, { token_type_hint: 'access_token' });

        expect(sim.apigee.token(tokens.access_token)?.status).toBe('revoked');
        expect(sim.apigee.token(tokens.refresh_token as string)?.status).toBe('revoked');
        await apigeeTokenError(client.refreshTokenGrant(web, tokens.refresh_token as string), 400, {
          ErrorCode: 'invalid_request',
          Error: 'Refresh Token not approved',
        });
      });

      it('resolves tokenRevocation for an unknown token: RFC 7009 answers 200 (docs/fidelity/apigee.md#apigee-rfc7009-revoke)', async () => {
        const { sim, config } = await rig();

        await expect(
          client.tokenRevocation(config({ adapter: true }), 'no-such-token'),
        ).resolves.toBeUndefined();

        expect(sim.requests.last({ operation: 'revokeToken' })).toMatchObject({
          status: 200,
          outcome: 'ignored',
        });
      });

      it('rejects tokenRevocation with a wrong secret as a WWW-Authenticate challenge (docs/fidelity/apigee.md#apigee-rfc7009-errors)', async () => {
        const { sim, config } = await rig();
        const web = config({ adapter: true });
        const tokens = await client.clientCredentialsGrant(web);
        const wrong = config({ adapter: true, credentials: { ...WEB, clientSecret: 'wrong' } });

        const error = await rejection(client.tokenRevocation(wrong, tokens.access_token));

        expect(error).toBeInstanceOf(client.WWWAuthenticateChallengeError);
        const challenge = error as client.WWWAuthenticateChallengeError;
        expect(challenge.code).toBe('OAUTH_WWW_AUTHENTICATE_CHALLENGE');
        expect(challenge.status).toBe(401);
        expect(challenge.cause).toEqual([{ scheme: 'basic', parameters: { realm: 'oauth' } }]);
        expect(await challenge.response.json()).toEqual({ error: 'invalid_client' });
        expect(sim.apigee.token(tokens.access_token)?.status).toBe('approved');
      });

      it('calls protected paths with fetchProtectedResource: Bearer, scope check, unknown token (docs/fidelity/apigee.md#apigee-verify-answer, docs/fidelity/apigee.md#apigee-verify-faults, docs/fidelity/apigee.md#apigee-insufficient-scope)', async () => {
        const { sim, base, config, wire } = await rig();
        const web = config({ adapter: true });
        const reader = await client.clientCredentialsGrant(web, { scope: 'read' });
        const orders = new URL(`${base}/v1/orders/42`);

        const read = await client.fetchProtectedResource(web, reader.access_token, orders, 'GET');
        expect(read.status).toBe(200);
        const app = sim.state.apigee?.apps.find((a) => a.name === 'web');
        expect(await jsonOf(read)).toEqual({
          client_id: WEB.clientId,
          developer_email: 'dev@example.com',
          app_id: app?.appId,
          app_name: 'web',
          scope: 'read',
          api_product: 'orders',
        });
        expect(wire.at(-1)?.headers.authorization).toBe(`Bearer ${reader.access_token}`);

        // The 403 carries no WWW-Authenticate (docs/fidelity/apigee.md#apigee-www-authenticate), so the client
        // hands it back instead of throwing.
        const write = await client.fetchProtectedResource(
          web,
          reader.access_token,
          orders,
          'POST',
          JSON.stringify({ item: 'x' }),
          new Headers({ 'content-type': 'application/json' }),
        );
        expect(write.status).toBe(403);
        expect(await jsonOf(write)).toEqual({
          fault: {
            faultstring: 'Required scope(s) : write',
            detail: { errorcode: 'steps.oauth.v2.InsufficientScope' },
          },
        });

        await expectBearerChallenge(
          client.fetchProtectedResource(web, 'not-a-token', orders, 'GET'),
          'keymanagement.service.invalid_access_token',
          'Invalid Access Token',
        );
        expect(sim.requests.filter({ operation: 'verifyAccessToken' }).map((e) => e.status)).toEqual([
          200, 403, 401,
        ]);
      });
    });

    if (transport === 'http') {
      it('refuses the plain-http proxy URL unless allowInsecureRequests is set', async () => {
        const { sim, config } = await rig();

        const error = await clientError(
          client.clientCredentialsGrant(config({ allowHttp: false })),
          'OAUTH_HTTP_REQUEST_FORBIDDEN',
        );

        expect(error.message).toBe('only requests to HTTPS are allowed');
        expect(sim.requests.size).toBe(0);
      });
    }
  });
}
