import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { apigeeScenario, MOBILE, T0_MS, WEB, withApigee } from '../../support/scenarios.ts';
import {
  appIdOf,
  basic,
  callApi,
  clientCredentials,
  expectInvalidClient,
  expectOAuthError,
  issue,
  type Make,
  passwordGrant,
  refresh,
  tokenRequest,
  unchanged,
} from './helpers.ts';

const CALLBACK = 'https://web.example.com/callback';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `GET /oauth/authorize` with the web app's valid parameters, overridden (or removed with null) by `query`. */
function authorize(h: Harness, query: Record<string, string | null> = {}) {
  const params = new URLSearchParams();
  const fields = {
    response_type: 'code',
    client_id: WEB.clientId,
    redirect_uri: CALLBACK,
    scope: 'read',
    state: 'xyz',
    ...query,
  };
  for (const [name, value] of Object.entries(fields)) if (value !== null) params.set(name, value);
  return h.request('GET', `${h.runtime}/oauth/authorize?${params}`);
}

/** A fresh authorization code for the web app (asserts the 302). */
async function codeFor(h: Harness): Promise<string> {
  const reply = await authorize(h);
  expect(reply.status, reply.text).toBe(302);
  return new URL(reply.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

const exchange = (h: Harness, code: string, redirectUri: string | null = CALLBACK) =>
  tokenRequest(h, {
    grant_type: 'authorization_code',
    code,
    ...(redirectUri !== null && { redirect_uri: redirectUri }),
  });

/**
 * GenerateAccessToken and RefreshAccessToken at `POST /oauth/token`
 * (docs/fidelity/apigee.md#apigee-token-endpoint, docs/fidelity/apigee.md#apigee-token-errors).
 */
export function tokenEndpointContract(harness: Make): void {
  describe('token endpoint: client_credentials', () => {
    it('answers the default token JSON without a refresh token or Cache-Control, application_name the app id (docs/fidelity/apigee.md#apigee-token-response)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await tokenRequest(h, { grant_type: 'client_credentials' });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.headers.get('cache-control')).toBeNull();
      expect(reply.body).toEqual({
        refresh_token_expires_in: '0',
        api_product_list: '[orders, inventory]',
        api_product_list_json: ['orders', 'inventory'],
        organization_name: 'acme',
        'developer.email': 'dev@example.com',
        token_type: 'BearerToken',
        issued_at: String(T0_MS),
        client_id: WEB.clientId,
        access_token: expect.stringMatching(/^[A-Za-z0-9]{28}$/),
        application_name: appIdOf(h, 'web'),
        scope: 'read write stock',
        expires_in: '1799',
        refresh_count: '0',
        status: 'approved',
      });
      expect(reply.body.application_name).toMatch(UUID);
    });

    it('encodes every scalar of the token JSON as a string, api_product_list_json alone as an array (docs/fidelity/apigee.md#apigee-token-response)', async () => {
      const h = await harness(apigeeScenario);
      for (const body of [await clientCredentials(h), await passwordGrant(h)]) {
        for (const [name, value] of Object.entries(body)) {
          if (name === 'api_product_list_json') expect(value).toEqual(expect.any(Array));
          else expect(typeof value, name).toBe('string');
        }
      }
    });

    it('reports BearerToken, issued_at in epoch ms of the issue time and expires_in as seconds left (docs/fidelity/apigee.md#apigee-token-response)', async () => {
      const h = await harness(apigeeScenario);
      h.sim.clock.advance('5m');
      const body = await clientCredentials(h);
      expect(body.token_type).toBe('BearerToken');
      expect(body.issued_at).toBe(String(T0_MS + 5 * 60_000));
      expect(body.expires_in).toBe('1799');
    });

    it('accepts grant_type in the query and the client as client_id/client_secret form fields (docs/fidelity/apigee.md#apigee-token-request)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await h.form(`${h.runtime}/oauth/token?grant_type=client_credentials`, {
        client_id: MOBILE.clientId,
        client_secret: MOBILE.clientSecret,
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ client_id: MOBILE.clientId, api_product_list: '[orders]' });
    });

    it('grants only the requested scopes when the products offer them (docs/fidelity/apigee.md#apigee-scopes-granted)', async () => {
      const h = await harness(apigeeScenario);
      expect((await clientCredentials(h, WEB, { scope: 'read' })).scope).toBe('read');
      expect((await clientCredentials(h, WEB, { scope: 'stock write' })).scope).toBe('stock write');
    });

    it('grants the requested scopes the products offer and drops the others silently (docs/fidelity/apigee.md#apigee-scopes-granted)', async () => {
      const h = await harness(apigeeScenario);
      const body = await clientCredentials(h, MOBILE, { scope: 'read admin read' });
      expect(body.scope).toBe('read');
      // The mobile key has orders only: stock belongs to a product it lacks.
      expect((await clientCredentials(h, WEB, { scope: 'admin stock' })).scope).toBe('stock');
    });

    it('issues a token with an empty scope when no requested scope is offered, which a scoped path then refuses (docs/fidelity/apigee.md#apigee-scopes-granted)', async () => {
      const h = await harness(apigeeScenario);
      const body = await clientCredentials(h, MOBILE, { scope: 'stock admin' });
      expect(body.scope).toBe('');
      expect((await callApi(h, body.access_token, '/v1/orders/1')).status).toBe(200);
      expect((await callApi(h, body.access_token, '/v1/orders/1', 'POST')).status).toBe(403);
    });

    it('refuses an empty intersection with 400 invalid_scope under quirks.scopeIntersection: invalid_scope, issuing nothing (docs/fidelity/apigee.md#apigee-scopes-granted)', async () => {
      const h = await harness(withApigee({ quirks: { scopeIntersection: 'invalid_scope' } }));
      const reply = await unchanged(h, () =>
        tokenRequest(h, { grant_type: 'client_credentials', scope: 'stock admin' }, MOBILE),
      );
      expectOAuthError(reply, 400, 'invalid_scope', 'Invalid scope : stock admin');
      expect((await clientCredentials(h, MOBILE, { scope: 'read admin' })).scope).toBe('read');
    });

    it('refuses any scope the products lack under quirks.scopeIntersection: strict (docs/fidelity/apigee.md#apigee-scopes-granted)', async () => {
      const h = await harness(withApigee({ quirks: { scopeIntersection: 'strict' } }));
      const reply = await unchanged(h, () =>
        tokenRequest(h, { grant_type: 'client_credentials', scope: 'read admin' }, MOBILE),
      );
      expectOAuthError(reply, 400, 'invalid_scope', 'Invalid scope : admin');
    });
  });

  describe('token endpoint: password', () => {
    it('issues a refresh token with the password grant and records the username as app_enduser (docs/fidelity/apigee.md#apigee-token-response, docs/fidelity/apigee.md#apigee-client-credentials-grant)', async () => {
      const h = await harness(apigeeScenario);
      const body = await passwordGrant(h, WEB, 'alice');
      expect(body).toEqual({
        refresh_token_expires_in: '86399',
        refresh_token_status: 'approved',
        api_product_list: '[orders, inventory]',
        api_product_list_json: ['orders', 'inventory'],
        organization_name: 'acme',
        'developer.email': 'dev@example.com',
        token_type: 'BearerToken',
        issued_at: String(T0_MS),
        client_id: WEB.clientId,
        access_token: expect.stringMatching(/^[A-Za-z0-9]{28}$/),
        refresh_token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        refresh_token_issued_at: String(T0_MS),
        application_name: appIdOf(h, 'web'),
        scope: 'read write stock',
        expires_in: '1799',
        refresh_count: '0',
        status: 'approved',
        app_enduser: 'alice',
      });
    });

    for (const missing of ['username', 'password']) {
      it(`requires ${missing} with 400 "Required param : ${missing}" (docs/fidelity/apigee.md#apigee-token-errors)`, async () => {
        const h = await harness(apigeeScenario);
        const fields: Record<string, string> = { grant_type: 'password', username: 'alice', password: 'pw' };
        delete fields[missing];
        const reply = await unchanged(h, () => tokenRequest(h, fields));
        expectOAuthError(reply, 400, 'invalid_request', `Required param : ${missing}`);
      });
    }
  });

  describe('token endpoint: authorization_code', () => {
    it('redirects GET /oauth/authorize with 302 to the callback with code and state (docs/fidelity/apigee.md#apigee-authorization-codes)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await authorize(h);
      expect(reply.status, reply.text).toBe(302);
      const location = new URL(reply.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9]+$/);
      expect(location.searchParams.get('state')).toBe('xyz');
    });

    it('exchanges a code for an access and a refresh token with the authorized scope (docs/fidelity/apigee.md#apigee-token-response, docs/fidelity/apigee.md#apigee-client-credentials-grant)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await exchange(h, await codeFor(h));
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        client_id: WEB.clientId,
        scope: 'read',
        token_type: 'BearerToken',
        refresh_token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        refresh_token_status: 'approved',
        refresh_token_expires_in: '86399',
      });
    });

    it('accepts a code once: the second exchange is 400 Invalid Authorization Code (docs/fidelity/apigee.md#apigee-authorization-codes)', async () => {
      const h = await harness(apigeeScenario);
      const code = await codeFor(h);
      expect((await exchange(h, code)).status).toBe(200);
      const again = await unchanged(h, () => exchange(h, code));
      expectOAuthError(again, 400, 'invalid_request', 'Invalid Authorization Code');
    });

    it('refuses a made-up code with 400 Invalid Authorization Code (docs/fidelity/apigee.md#apigee-authorization-codes)', async () => {
      const h = await harness(apigeeScenario);
      expectOAuthError(
        await unchanged(h, () => exchange(h, 'made-up')),
        400,
        'invalid_request',
        'Invalid Authorization Code',
      );
    });

    it('requires redirect_uri at the token endpoint with 400 "Required param : redirect_uri" (docs/fidelity/apigee.md#apigee-authorization-codes)', async () => {
      const h = await harness(apigeeScenario);
      const code = await codeFor(h);
      const reply = await unchanged(h, () => exchange(h, code, null));
      expectOAuthError(reply, 400, 'invalid_request', 'Required param : redirect_uri');
    });

    it('refuses another redirect_uri at the token endpoint with 400 "Invalid redirect_uri : <uri>" (docs/fidelity/apigee.md#apigee-authorization-codes)', async () => {
      const h = await harness(apigeeScenario);
      const code = await codeFor(h);
      const other = 'https://evil.example/callback';
      const reply = await unchanged(h, () => exchange(h, code, other));
      expectOAuthError(reply, 400, 'invalid_request', `Invalid redirect_uri : ${other}`);
    });

    const authorizeErrors: [string, Record<string, string | null>, number, string][] = [
      [
        'a redirect_uri other than the callback',
        { redirect_uri: 'https://evil.example/cb' },
        400,
        'Invalid redirection uri https://evil.example/cb',
      ],
      ['no redirect_uri', { redirect_uri: null }, 400, 'Redirection URI is required'],
      [
        'an unknown client_id',
        { client_id: 'nobody' },
        401,
        'Invalid client id : nobody. ClientId is Invalid',
      ],
      ['no client_id', { client_id: null }, 400, 'The request is missing a required parameter : client_id'],
      ['response_type token', { response_type: 'token' }, 400, 'Response type must be code'],
      [
        'no response_type',
        { response_type: null },
        400,
        'The request is missing a required parameter : response_type',
      ],
    ];
    for (const [what, query, status, message] of authorizeErrors) {
      it(`answers GET /oauth/authorize with ${what} with ${status} "${message}" (docs/fidelity/apigee.md#apigee-authorization-codes)`, async () => {
        const h = await harness(apigeeScenario);
        const reply = await unchanged(h, () => authorize(h, query));
        expectOAuthError(reply, status, 'invalid_request', message);
        expect(reply.headers.get('location')).toBeNull();
      });
    }
  });

  describe('token endpoint: refresh_token', () => {
    it('refreshes to a new access and refresh token, counting refreshes in refresh_count (docs/fidelity/apigee.md#apigee-refresh)', async () => {
      const h = await harness(apigeeScenario);
      const first = await passwordGrant(h, WEB, 'alice', { scope: 'read' });
      h.sim.clock.advance('1m');
      const second = await issue(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(second).toMatchObject({
        access_token: expect.stringMatching(/^[A-Za-z0-9]{28}$/),
        refresh_token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        issued_at: String(T0_MS + 60_000),
        refresh_token_issued_at: String(T0_MS + 60_000),
        expires_in: '1799',
        refresh_token_expires_in: '86399',
        refresh_token_status: 'approved',
        refresh_count: '1',
        scope: 'read',
        api_product_list: '[orders, inventory]',
        app_enduser: 'alice',
        status: 'approved',
      });
      expect(second.access_token).not.toBe(first.access_token);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      const third = await issue(h, { grant_type: 'refresh_token', refresh_token: second.refresh_token });
      expect(third.refresh_count).toBe('2');
    });

    it('refuses the presented refresh token once a refresh replaced it (docs/fidelity/apigee.md#apigee-refresh, ReuseRefreshToken false)', async () => {
      const h = await harness(apigeeScenario);
      const first = await passwordGrant(h);
      expect((await refresh(h, first.refresh_token)).status).toBe(200);
      const reused = await unchanged(h, () => refresh(h, first.refresh_token));
      expectOAuthError(reused, 400, 'invalid_request', 'Invalid Refresh Token');
    });

    it('refuses an expired refresh token with 400 invalid_request "Refresh Token expired" (docs/fidelity/apigee.md#apigee-refresh-errors)', async () => {
      const h = await harness(apigeeScenario);
      const { refresh_token } = await passwordGrant(h);
      h.sim.clock.advance('24h');
      const reply = await unchanged(h, () => refresh(h, refresh_token));
      expectOAuthError(reply, 400, 'invalid_request', 'Refresh Token expired');
    });

    it('refuses an unknown refresh token with 400 "Invalid Refresh Token" (docs/fidelity/apigee.md#apigee-refresh-errors)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () => refresh(h, 'made-up-refresh-token'));
      expectOAuthError(reply, 400, 'invalid_request', 'Invalid Refresh Token');
    });

    it("refuses another client's refresh token with 400 Invalid Refresh Token (docs/fidelity/apigee.md#apigee-refresh-errors)", async () => {
      const h = await harness(apigeeScenario);
      const { refresh_token } = await passwordGrant(h, WEB);
      const reply = await unchanged(h, () => refresh(h, refresh_token, MOBILE));
      expectOAuthError(reply, 400, 'invalid_request', 'Invalid Refresh Token');
    });
  });

  describe('token endpoint: errors', () => {
    it('requires grant_type with 400 "Required param : grant_type" (docs/fidelity/apigee.md#apigee-token-errors)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () => tokenRequest(h, { scope: 'read' }));
      expectOAuthError(reply, 400, 'invalid_request', 'Required param : grant_type');
    });

    it('refuses an unsupported grant type with 400 "Unsupported grant type : <value>" (docs/fidelity/apigee.md#apigee-token-errors)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () => tokenRequest(h, { grant_type: 'magic' }));
      expectOAuthError(reply, 400, 'invalid_request', 'Unsupported grant type : magic');
    });

    const badClients: [string, Record<string, string>][] = [
      ['an unknown client', basic({ clientId: 'nobody', clientSecret: 'x' })],
      ['a wrong secret', basic({ clientId: WEB.clientId, clientSecret: 'wrong' })],
      ['a Basic header that is not base64 id:secret', { Authorization: 'Basic !!!' }],
      ['no client at all', {}],
    ];
    for (const [what, headers] of badClients) {
      it(`answers ${what} at every grant with 401 {"ErrorCode":"invalid_client","Error":"ClientId is Invalid"} (docs/fidelity/apigee.md#apigee-client-authentication)`, async () => {
        const h = await harness(apigeeScenario);
        const { refresh_token } = await passwordGrant(h);
        const grants: Record<string, string>[] = [
          { grant_type: 'client_credentials' },
          { grant_type: 'password', username: 'alice', password: 'pw' },
          { grant_type: 'refresh_token', refresh_token },
        ];
        for (const grant of grants) {
          const reply = await unchanged(h, () => h.form(`${h.runtime}/oauth/token`, grant, headers));
          expectInvalidClient(reply);
        }
      });
    }

    it('answers a wrong client_secret form field with 401 invalid_client (docs/fidelity/apigee.md#apigee-client-authentication)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () =>
        tokenRequest(
          h,
          { grant_type: 'client_credentials', client_id: WEB.clientId, client_secret: 'wrong' },
          null,
        ),
      );
      expectInvalidClient(reply);
    });
  });
}
