import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { apigeeScenario, JWT_APP, MOBILE, T0_MS, WEB, withApigee } from '../../support/scenarios.ts';
import {
  basic,
  callApi,
  clientCredentials,
  expectChallenge,
  expectFault,
  expectInvalidClient,
  FAULTS,
  invalidate,
  issue,
  type Make,
  pair,
  passwordGrant,
  proxyForm,
  refresh,
  revokeAll,
  tokenInfo,
  tokenRequest,
  unchanged,
  validate,
} from './helpers.ts';

const CALLBACK = 'https://web.example.com/callback';
const SECOND_CALLBACK = 'https://web.example.uk/callback';

/** The web app with two callback URLs, comma-separated as Apigee X takes them. */
const twoCallbacks = (quirks: Record<string, unknown> = {}) =>
  withApigee({
    quirks,
    apps: apigeeScenario.apigee.apps.map((app) =>
      app.name === 'web' ? { ...app, callbackUrl: `${CALLBACK}, ${SECOND_CALLBACK}` } : app,
    ),
  });

/** `GET /oauth/authorize` for the web app with `redirect_uri`. */
const authorize = (h: Harness, redirectUri: string) =>
  h.request(
    'GET',
    `${h.runtime}/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: WEB.clientId,
      redirect_uri: redirectUri,
      state: 's1',
    })}`,
  );

const proxy = apigeeScenario.apigee.proxy;

/**
 * The runtime details real proxies show (docs/fidelity/apigee.md#apigee-www-authenticate,
 * docs/fidelity/apigee.md#apigee-rfc-compliant, docs/fidelity/apigee.md#apigee-callback-urls and the
 * neighbouring entries), and the fixes of the JWT issuer, the JWT key id and tokeninfo's paired token.
 */
export function runtimeContract(harness: Make): void {
  describe('WWW-Authenticate on VerifyAccessToken failures', () => {
    it('challenges a missing Authorization header with oauth.v2.InvalidAccessToken (docs/fidelity/apigee.md#apigee-www-authenticate)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await h.request('GET', `${h.runtime}/v1/orders`);
      expectFault(reply, FAULTS.noBearer);
      expectChallenge(reply, FAULTS.noBearer);
    });

    it('challenges unknown, expired and revoked tokens with their errorcode and faultstring (docs/fidelity/apigee.md#apigee-www-authenticate)', async () => {
      const h = await harness(apigeeScenario);
      expectChallenge(await callApi(h, 'NoSuchTokenAAAAAAAAAAAAAAAAA'), FAULTS.invalidToken);
      const revoked = await clientCredentials(h);
      await invalidate(h, { token: revoked.access_token });
      expectChallenge(await callApi(h, revoked.access_token), FAULTS.notApproved);
      const expiring = await clientCredentials(h);
      h.sim.clock.advance('30m');
      expectChallenge(await callApi(h, expiring.access_token), FAULTS.expired);
    });

    it('challenges product and app-chain faults too (docs/fidelity/apigee.md#apigee-www-authenticate)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      h.sim.apigee.revokeKeyProduct(WEB.clientId, 'inventory');
      expectChallenge(await callApi(h, access_token, '/v1/inventory/7'), {
        errorcode: 'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
        faultstring: 'Invalid API call as no apiproduct match found',
      });
      h.sim.apigee.revokeApp('web');
      expectChallenge(await callApi(h, access_token, '/v1/orders/1'), {
        errorcode: 'keymanagement.service.invalid_client-app_not_approved',
        faultstring: 'App not Approved',
      });
    });

    it('puts no challenge on a 403 InsufficientScope, nor on a successful call (docs/fidelity/apigee.md#apigee-www-authenticate)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, WEB, { scope: 'read' });
      const forbidden = await callApi(h, access_token, '/v1/orders', 'POST');
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers.get('www-authenticate')).toBeNull();
      expect((await callApi(h, access_token)).headers.get('www-authenticate')).toBeNull();
    });

    it('challenges the 403 with error="insufficient_scope" under quirks.insufficientScopeChallenge: rfc6750 (docs/fidelity/apigee.md#apigee-www-authenticate)', async () => {
      const h = await harness(withApigee({ quirks: { insufficientScopeChallenge: 'rfc6750' } }));
      const { access_token } = await clientCredentials(h, WEB, { scope: 'read' });
      const forbidden = await callApi(h, access_token, '/v1/orders', 'POST');
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers.get('www-authenticate')).toBe(
        'Bearer realm="null",error="insufficient_scope",error_description="steps.oauth.v2.InsufficientScope: Required scope(s) : write"',
      );
    });
  });

  describe('<RFCCompliantRequestResponse> (proxy.rfcCompliant)', () => {
    const rfcCompliant = withApigee({ proxy: { ...proxy, rfcCompliant: true } });

    it('answers token_type Bearer, numeric expires_in and refresh_token_expires_in, and no-store headers (docs/fidelity/apigee.md#apigee-rfc-compliant)', async () => {
      const h = await harness(rfcCompliant);
      const reply = await tokenRequest(h, {
        grant_type: 'password',
        username: 'alice',
        password: 'pw',
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('pragma')).toBe('no-cache');
      expect(reply.body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 1799,
        refresh_token_expires_in: 86399,
        issued_at: String(T0_MS),
        refresh_count: '0',
        status: 'approved',
        api_product_list: '[orders, inventory]',
      });
      const cc = await clientCredentials(h);
      expect(cc).toMatchObject({ token_type: 'Bearer', expires_in: 1799, refresh_token_expires_in: 0 });
    });

    it('answers token-endpoint errors in the RFC 6749 shape with the same status and no challenge (docs/fidelity/apigee.md#apigee-rfc-compliant)', async () => {
      const h = await harness(rfcCompliant);
      const wrong = await tokenRequest(
        h,
        { grant_type: 'client_credentials' },
        { ...WEB, clientSecret: 'x' },
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: 'invalid_client', error_description: 'ClientId is Invalid' });
      expect(wrong.headers.get('www-authenticate')).toBeNull();
      const missing = await tokenRequest(h, {});
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        error: 'invalid_request',
        error_description: 'Required param : grant_type',
      });
    });

    it("keeps Apigee's error bodies under quirks.rfcCompliantErrors: apigee (docs/fidelity/apigee.md#apigee-rfc-compliant)", async () => {
      const h = await harness(
        withApigee({ proxy: { ...proxy, rfcCompliant: true }, quirks: { rfcCompliantErrors: 'apigee' } }),
      );
      expectInvalidClient(
        await tokenRequest(h, { grant_type: 'client_credentials' }, { ...WEB, clientSecret: 'x' }),
      );
      expect((await clientCredentials(h)).token_type).toBe('Bearer');
    });

    it("leaves VerifyAccessToken's faults in Apigee's envelope (docs/fidelity/apigee.md#apigee-rfc-compliant)", async () => {
      const h = await harness(rfcCompliant);
      const reply = await callApi(h, 'NoSuchTokenAAAAAAAAAAAAAAAAA');
      expectFault(reply, FAULTS.invalidToken);
      expectChallenge(reply, FAULTS.invalidToken);
    });

    it('answers the default string form without it (docs/fidelity/apigee.md#apigee-token-response)', async () => {
      const h = await harness(apigeeScenario);
      const body = await clientCredentials(h);
      expect(body).toMatchObject({
        token_type: 'BearerToken',
        expires_in: '1799',
        refresh_token_expires_in: '0',
      });
    });
  });

  describe('several callback URLs', () => {
    it('redirects to each of the comma-separated callback URLs and exchanges the code with the same one (docs/fidelity/apigee.md#apigee-callback-urls)', async () => {
      const h = await harness(twoCallbacks());
      for (const redirectUri of [CALLBACK, SECOND_CALLBACK]) {
        const reply = await authorize(h, redirectUri);
        expect(reply.status, reply.text).toBe(302);
        const location = new URL(reply.headers.get('location') ?? '');
        expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
        const code = location.searchParams.get('code') ?? '';
        const tokens = await issue(h, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
        expect(tokens.refresh_token).toMatch(/^\w{32}$/);
      }
    });

    it('refuses a redirect_uri that is none of them, nor the whole list (docs/fidelity/apigee.md#apigee-callback-urls)', async () => {
      const h = await harness(twoCallbacks());
      for (const redirectUri of ['https://evil.example.com/callback', `${CALLBACK},${SECOND_CALLBACK}`]) {
        const reply = await unchanged(h, () => authorize(h, redirectUri));
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          ErrorCode: 'invalid_request',
          Error: `Invalid redirection uri ${redirectUri}`,
        });
      }
    });

    it('compares the whole callbackUrl under quirks.callbackUrls: exact (docs/fidelity/apigee.md#apigee-callback-urls)', async () => {
      const h = await harness(twoCallbacks({ callbackUrls: 'exact' }));
      expect((await authorize(h, CALLBACK)).status).toBe(400);
      const plain = await harness(withApigee({ quirks: { callbackUrls: 'exact' } }));
      expect((await authorize(plain, CALLBACK)).status).toBe(302);
    });
  });

  describe('key and product status at use', () => {
    const expiringKey = withApigee({
      apps: apigeeScenario.apigee.apps.map((app) =>
        app.name === 'mobile' ? { ...app, keys: app.keys.map((key) => ({ ...key, expiresIn: '1h' })) } : app,
      ),
    });

    it('answers a token of an expired key with 401 consumer_key_expired "Key Expired" and refuses new tokens (docs/fidelity/apigee.md#apigee-key-expired)', async () => {
      const h = await harness(expiringKey);
      const { access_token } = await passwordGrant(h, MOBILE);
      h.sim.clock.advance('45m');
      const late = await passwordGrant(h, MOBILE);
      h.sim.clock.advance('15m');
      // The key expired at 1h; the late token lives until 1h15m, the first one expired at 30m.
      const expired = {
        status: 401,
        errorcode: 'keymanagement.service.consumer_key_expired',
        faultstring: 'Key Expired',
      };
      const reply = await callApi(h, late.access_token);
      expectFault(reply, expired);
      expectChallenge(reply, expired);
      expectFault(await callApi(h, access_token), FAULTS.expired);
      expectInvalidClient(await tokenRequest(h, { grant_type: 'client_credentials' }, MOBILE));
      expect(h.sim.state.apigee?.apps.find((a) => a.name === 'mobile')?.keys[0]?.status).toBe('approved');
    });

    it('reports a revoked key before a revoked app and an inactive developer, or the developer first under quirks.statusCheckOrder: developer-first (docs/fidelity/apigee.md#apigee-status-check-order)', async () => {
      for (const [order, errorcode] of [
        ['key-first', 'keymanagement.service.invalid_client-client_id_not_approved'],
        ['developer-first', 'keymanagement.service.DeveloperStatusNotActive'],
      ] as const) {
        const h = await harness(withApigee({ quirks: { statusCheckOrder: order } }));
        const { access_token } = await clientCredentials(h);
        h.sim.apigee.revokeKey(WEB.clientId);
        h.sim.apigee.revokeApp('web');
        h.sim.apigee.setDeveloperStatus('dev@example.com', 'inactive');
        expectFault(await callApi(h, access_token), { status: 401, errorcode });
      }
    });

    const pendingInventory = withApigee({
      apps: apigeeScenario.apigee.apps.map((app) =>
        app.name === 'web'
          ? {
              ...app,
              keys: [
                {
                  consumerKey: WEB.clientId,
                  consumerSecret: WEB.clientSecret,
                  products: ['orders', { name: 'inventory', status: 'pending' as const }],
                },
              ],
            }
          : app,
      ),
    });

    it('lets a token issued while a product was pending use it once the product is approved (docs/fidelity/apigee.md#apigee-product-status-at-use)', async () => {
      const h = await harness(pendingInventory);
      const body = await clientCredentials(h);
      expect(body.api_product_list_json).toEqual(['orders', 'inventory']);
      // Scopes come from the products approved at issue.
      expect(body.scope).toBe('read write');
      expectFault(await callApi(h, body.access_token, '/v1/inventory/1'), {
        status: 401,
        errorcode: 'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
      });
      h.sim.apigee.approveKeyProduct(WEB.clientId, 'inventory');
      expect((await callApi(h, body.access_token, '/v1/inventory/1')).status).toBe(200);
    });

    it('leaves a pending product out of the token for good under quirks.productStatusAt: issue (docs/fidelity/apigee.md#apigee-product-status-at-use)', async () => {
      const h = await harness({
        ...pendingInventory,
        apigee: { ...pendingInventory.apigee, quirks: { productStatusAt: 'issue' } },
      });
      const body = await clientCredentials(h);
      expect(body.api_product_list_json).toEqual(['orders']);
      h.sim.apigee.approveKeyProduct(WEB.clientId, 'inventory');
      expectFault(await callApi(h, body.access_token, '/v1/inventory/1'), {
        status: 401,
        errorcode: 'keymanagement.service.apiresource_doesnot_exist',
      });
    });
  });

  describe('JWT issuer, keys and decoding', () => {
    it('names the origin the client used as iss for every grant (docs/fidelity/apigee.md#apigee-jwt-claims)', async () => {
      const jwtWeb = withApigee({
        apps: apigeeScenario.apigee.apps.map((app) =>
          app.name === 'web' ? { ...app, tokenFormat: 'jwt' as const } : app,
        ),
      });
      const h = await harness(jwtWeb);
      const issuer = `${h.runtime}/oauth`;
      const cc = await clientCredentials(h, JWT_APP);
      const password = await passwordGrant(h, JWT_APP);
      const refreshed = (await refresh(h, password.refresh_token, JWT_APP)).body;
      const location = new URL((await authorize(h, CALLBACK)).headers.get('location') ?? '');
      const code = await issue(h, {
        grant_type: 'authorization_code',
        code: location.searchParams.get('code') ?? '',
        redirect_uri: CALLBACK,
      });
      for (const token of [cc, password, refreshed, code])
        expect(decodeJwt(token.access_token).iss).toBe(issuer);
    });

    it("signs with kid = the key's RFC 7638 thumbprint, the key served at /oauth/jwks (docs/fidelity/apigee.md#apigee-jwt-keys)", async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, JWT_APP);
      const { keys } = (await h.request('GET', `${h.runtime}/oauth/jwks`)).body;
      expect(keys).toHaveLength(1);
      const [key] = keys;
      expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: key.n, e: key.e }));
      expect(key.kid).not.toBe('sim-1');
      expect(decodeProtectedHeader(access_token)).toMatchObject({
        alg: 'RS256',
        typ: 'at+JWT',
        kid: key.kid,
      });
    });

    it('keeps the key across reset() and sim.load(), so tokens issued before still verify (docs/fidelity/apigee.md#apigee-jwt-keys)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, JWT_APP);
      const kid = () => h.request('GET', `${h.runtime}/oauth/jwks`).then((reply) => reply.body.keys[0].kid);
      const before = await kid();
      h.sim.reset();
      expect(await kid()).toBe(before);
      expect((await callApi(h, access_token)).status).toBe(200);
      h.sim.load(apigeeScenario);
      expect(await kid()).toBe(before);
      expect((await callApi(h, access_token)).status).toBe(200);
    });

    it('answers a three-part value that does not decode with 401 JWTDecodingFailed and its challenge (docs/fidelity/apigee.md#apigee-jwt-decoding-failed)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () => callApi(h, 'not.a.jwt'));
      expectFault(reply, FAULTS.jwtDecodingFailed);
      expect(reply.headers.get('www-authenticate')).toBe(
        'Bearer realm="null",error="invalid_token",error_description="oauth.v2.JWTDecodingFailed: JWT Access token decoding failed"',
      );
    });

    it('runs VerifyJWTAccessToken or VerifyAccessToken as the rule says, whatever the token looks like (docs/fidelity/apigee.md#apigee-jwt-verify)', async () => {
      const h = await harness(
        withApigee({
          proxy: {
            ...proxy,
            protected: [
              { path: '/v1/orders/jwt/**', verifier: 'jwt' },
              { path: '/v1/orders/opaque/**', verifier: 'opaque' },
              '/v1/**',
            ],
          },
        }),
      );
      const opaque = (await clientCredentials(h)).access_token;
      const jwt = (await clientCredentials(h, JWT_APP)).access_token;
      expectFault(await callApi(h, opaque, '/v1/orders/jwt/1'), FAULTS.jwtDecodingFailed);
      expect((await callApi(h, jwt, '/v1/orders/jwt/1')).status).toBe(200);
      expectFault(await callApi(h, jwt, '/v1/orders/opaque/1'), FAULTS.invalidToken);
      expect((await callApi(h, opaque, '/v1/orders/opaque/1')).status).toBe(200);
    });
  });

  describe('tokeninfo and the admin endpoints', () => {
    it('shows the paired token only to a caller that authenticated as a client (docs/fidelity/apigee.md#apigee-tokeninfo-pair)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, WEB, 'alice');
      const anonymous = [(await tokenInfo(h, rt)).body, (await tokenInfo(h, at)).body];
      expect(anonymous[0]).toMatchObject({ refresh_token: rt, refresh_token_status: 'approved' });
      expect(anonymous[0]).not.toHaveProperty('access_token');
      expect(anonymous[1]).toMatchObject({ access_token: at, status: 'approved' });
      expect(anonymous[1]).not.toHaveProperty('refresh_token');
      expect((await tokenInfo(h, rt, WEB)).body.access_token).toBe(at);
      expect((await tokenInfo(h, at, MOBILE)).body.refresh_token).toBe(rt);
    });

    it('refuses tokeninfo with a wrong client secret with 401 invalid_client (docs/fidelity/apigee.md#apigee-admin-auth)', async () => {
      const h = await harness(apigeeScenario);
      const { at } = await pair(h);
      expectInvalidClient(await tokenInfo(h, at, { ...WEB, clientSecret: 'wrong' }));
    });

    it('reports a refresh token replaced by rotation as revoked and rotated (docs/fidelity/apigee.md#apigee-tokeninfo-rotated)', async () => {
      const h = await harness(apigeeScenario);
      const { rt } = await pair(h);
      expect((await refresh(h, rt)).status).toBe(200);
      const reply = await tokenInfo(h, rt);
      expect(reply.body).toMatchObject({ refresh_token: rt, refresh_token_status: 'revoked', rotated: true });
    });

    it('keeps a reused refresh token approved under tokens.reuseRefreshToken (docs/fidelity/apigee.md#apigee-tokeninfo-rotated)', async () => {
      const h = await harness(
        withApigee({ tokens: { ...apigeeScenario.apigee.tokens, reuseRefreshToken: true } }),
      );
      const { rt } = await pair(h);
      expect((await refresh(h, rt)).status).toBe(200);
      const { body } = await tokenInfo(h, rt);
      expect(body.refresh_token_status).toBe('approved');
      expect(body).not.toHaveProperty('rotated');
    });

    it('requires client credentials on invalidate, validate, revoke-all and tokeninfo under proxy.requireClientAuth (docs/fidelity/apigee.md#apigee-admin-auth)', async () => {
      const h = await harness(withApigee({ proxy: { ...proxy, requireClientAuth: true } }));
      const { at, rt } = await pair(h);
      await unchanged(h, async () => {
        expectInvalidClient(await invalidate(h, { token: at }));
        expectInvalidClient(await validate(h, { token: at }));
        expectInvalidClient(await revokeAll(h, { enduser_id: 'alice' }));
        expectInvalidClient(await tokenInfo(h, rt));
        // A client id without its secret is not enough.
        expectInvalidClient(await proxyForm(h, '/oauth/invalidate', { token: at, client_id: WEB.clientId }));
      });
      expect((await proxyForm(h, '/oauth/invalidate', { token: at }, basic(WEB))).status).toBe(200);
      expect((await tokenInfo(h, rt, WEB)).body.access_token).toBe(at);
    });
  });

  describe('<AppEndUser> (proxy.appEndUser)', () => {
    it('records the app_enduser field from the query string too (docs/fidelity/apigee.md#apigee-app-end-user)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await h.form(
        `${h.runtime}/oauth/token?app_enduser=carol`,
        { grant_type: 'client_credentials' },
        basic(WEB),
      );
      expect(reply.body.app_enduser).toBe('carol');
    });

    it('records no end user when it is off, so RevokeOAuthV2 by end user revokes nothing (docs/fidelity/apigee.md#apigee-app-end-user)', async () => {
      const h = await harness(withApigee({ proxy: { ...proxy, appEndUser: false } }));
      const body = await passwordGrant(h, WEB, 'alice', { app_enduser: 'alice' });
      expect(body).not.toHaveProperty('app_enduser');
      expect((await callApi(h, body.access_token)).body).not.toHaveProperty('end_user');
      expect((await revokeAll(h, { enduser_id: 'alice' })).status).toBe(202);
      expect(h.sim.apigee.token(body.access_token)?.status).toBe('approved');
    });
  });

  describe('Date', () => {
    it('dates every answer of the proxy and the management API by the virtual clock (docs/fidelity/apigee.md#apigee-date-header)', async () => {
      const h = await harness(apigeeScenario);
      const body = await clientCredentials(h);
      h.sim.clock.advance('1h');
      const later = new Date(T0_MS + 3_600_000).toUTCString();
      expect((await callApi(h, body.access_token)).headers.get('date')).toBe(later);
      expect((await callApi(h, 'NoSuchTokenAAAAAAAAAAAAAAAAA')).headers.get('date')).toBe(later);
      const management = await h.request('GET', `${h.management}/v1/organizations/acme/developers`, {
        headers: { Authorization: 'Bearer any' },
      });
      expect(management.status).toBe(200);
      expect(management.headers.get('date')).toBe(later);
      const token = await tokenRequest(h, { grant_type: 'client_credentials' });
      expect(token.headers.get('date')).toBe(later);
      expect(Date.parse(token.headers.get('date') ?? '')).toBe(Number(token.body.issued_at));
    });
  });
}
