import { describe, expect, it } from 'vitest';
import type { Harness, Reply } from '../../support/harness.ts';
import { apigeeScenario, T0_MS, WEB } from '../../support/scenarios.ts';
import {
  appIdOf,
  callApi,
  expectEmpty,
  expectFault,
  expectInvalidClient,
  FAULTS,
  type FaultSpec,
  type Make,
  pair,
  refresh,
  storedStatus,
  tokenRequest,
  unchanged,
} from './helpers.ts';

const MANAGEMENT_AUTH = { Authorization: 'Bearer ya29.management-token' };
const DEV = `/developers/${encodeURIComponent('dev@example.com')}`;
const WEB_APP = `${DEV}/apps/web`;
const WEB_KEY = `${WEB_APP}/keys/${WEB.clientId}`;

/** A management API call under `/v1/organizations/acme` (or another org), authenticated unless told. */
function manage(
  h: Harness,
  method: string,
  path: string,
  { headers = MANAGEMENT_AUTH, org = 'acme' }: { headers?: Record<string, string>; org?: string } = {},
) {
  return h.request(method, `${h.management}/v1/organizations/${org}${path}`, {
    headers: { ...headers, ...(method === 'POST' && { 'Content-Type': 'application/octet-stream' }) },
  });
}

/** `POST <path>?action=<action>`: 204 with no body (docs/fidelity/apigee.md#apigee-management-actions). */
async function act(h: Harness, path: string, action: string) {
  expectEmpty(await manage(h, 'POST', `${path}?action=${action}`), 204);
}

/** A Google API error `{"error":{"code","message","status","details"}}` of the management plane. */
function expectGoogleError(reply: Reply, code: number, status: string): void {
  expect(reply.status, reply.text).toBe(code);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(reply.body).toEqual({
    error: { code, status, message: expect.any(String), details: expect.any(Array) },
  });
}

/**
 * The VerifyAccessToken faults of a revoked app chain: unconfirmed, the candidates of
 * docs/fidelity/apigee.md#apigee-app-chain-faults ([L]).
 */
const CHAIN_FAULTS = {
  app: { status: 401, errorcode: 'keymanagement.service.invalid_client-app_not_approved' },
  key: { status: 401, errorcode: 'keymanagement.service.invalid_client-client_id_not_approved' },
  developer: { status: 401, errorcode: 'keymanagement.service.DeveloperStatusNotActive' },
} as const satisfies Record<string, FaultSpec>;

/**
 * Developer, app, key and key-product approval through the management API
 * (docs/fidelity/apigee.md#apigee-management).
 */
export function managementContract(harness: Make): void {
  describe('management API: approve and revoke', () => {
    const targets: [string, string, [string, string], FaultSpec][] = [
      ['an app', WEB_APP, ['revoke', 'approve'], CHAIN_FAULTS.app],
      ['a key', WEB_KEY, ['revoke', 'approve'], CHAIN_FAULTS.key],
      ['a developer', DEV, ['inactive', 'active'], CHAIN_FAULTS.developer],
    ];
    for (const [what, path, [off, on], chainFault] of targets) {
      it(`stops the tokens of ${what} it revokes without touching their records, and restores them on approval (docs/fidelity/apigee.md#apigee-app-chain-at-use-time, docs/fidelity/apigee.md#apigee-management-actions)`, async () => {
        const h = await harness(apigeeScenario);
        const tokens = await pair(h);
        await act(h, path, off);
        expect({ at: storedStatus(h, tokens.at), rt: storedStatus(h, tokens.rt) }).toEqual({
          at: 'approved',
          rt: 'approved',
        });
        expectFault(await callApi(h, tokens.at), chainFault);
        expectInvalidClient(await unchanged(h, () => refresh(h, tokens.rt)));
        await act(h, path, on);
        expect((await callApi(h, tokens.at)).status).toBe(200);
        expect((await refresh(h, tokens.rt)).status).toBe(200);
      });

      it(`refuses new tokens for ${what} it revokes with 401 invalid_client (docs/fidelity/apigee.md#apigee-client-authentication)`, async () => {
        const h = await harness(apigeeScenario);
        await act(h, path, off);
        expectInvalidClient(await unchanged(h, () => tokenRequest(h, { grant_type: 'client_credentials' })));
        const code = await h.request(
          'GET',
          `${h.runtime}/oauth/authorize?response_type=code&client_id=${WEB.clientId}&redirect_uri=${encodeURIComponent('https://web.example.com/callback')}`,
        );
        expect(code.status, code.text).toBe(401);
        expect(code.headers.get('location')).toBeNull();
      });
    }

    it('restores only the tokens that have not expired meanwhile on re-approval (docs/fidelity/apigee.md#apigee-expiry-independent, docs/fidelity/apigee.md#apigee-app-chain-at-use-time)', async () => {
      const h = await harness(apigeeScenario);
      const old = await pair(h, WEB, 'alice');
      h.sim.clock.advance('20m');
      const recent = await pair(h, WEB, 'bob');
      await act(h, WEB_APP, 'revoke');
      h.sim.clock.advance('15m');
      await act(h, WEB_APP, 'approve');
      expectFault(await callApi(h, old.at), FAULTS.expired);
      expect((await callApi(h, recent.at)).status).toBe(200);
    });

    it('leaves the keys of a revoked app reporting approved (docs/fidelity/apigee.md#apigee-app-chain-at-use-time)', async () => {
      const h = await harness(apigeeScenario);
      await act(h, WEB_APP, 'revoke');
      expect((await manage(h, 'GET', WEB_APP)).body).toMatchObject({
        status: 'revoked',
        credentials: [{ consumerKey: WEB.clientId, status: 'approved' }],
      });
      expect((await manage(h, 'GET', WEB_KEY)).body.status).toBe('approved');
    });

    it('revokes one product of a key with 204, blocking only the paths of that product until approved (docs/fidelity/apigee.md#apigee-product-checks, docs/fidelity/apigee.md#apigee-management-actions)', async () => {
      const h = await harness(apigeeScenario);
      const { at } = await pair(h);
      await act(h, `${WEB_KEY}/apiproducts/inventory`, 'revoke');
      expect((await manage(h, 'GET', WEB_KEY)).body.apiProducts).toEqual([
        { apiproduct: 'orders', status: 'approved' },
        { apiproduct: 'inventory', status: 'revoked' },
      ]);
      expectFault(await callApi(h, at, '/v1/inventory/1'), {
        status: 401,
        errorcode: 'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
      });
      expect((await callApi(h, at, '/v1/orders/1')).status).toBe(200);
      await act(h, `${WEB_KEY}/apiproducts/inventory`, 'approve');
      expect((await callApi(h, at, '/v1/inventory/1')).status).toBe(200);
    });

    it('accepts the older action spellings approved and revoked (docs/fidelity/apigee.md#apigee-management-actions)', async () => {
      const h = await harness(apigeeScenario);
      await act(h, WEB_APP, 'revoked');
      expect((await manage(h, 'GET', WEB_APP)).body.status).toBe('revoked');
      await act(h, WEB_APP, 'approved');
      expect((await manage(h, 'GET', WEB_APP)).body.status).toBe('approved');
    });
  });

  describe('management API: reads', () => {
    it("reads a developer in Apigee's shape, createdAt a string of epoch ms", async () => {
      const h = await harness(apigeeScenario);
      const reply = await manage(h, 'GET', DEV);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        email: 'dev@example.com',
        developerId: expect.any(String),
        organizationName: 'acme',
        status: 'active',
        createdAt: String(T0_MS),
        lastModifiedAt: String(T0_MS),
        apps: expect.arrayContaining(['web', 'mobile']),
      });
    });

    it("reads an app in Apigee's shape: appId, credentials with consumerKey and per-product status (docs/fidelity/apigee.md#apigee-status-model)", async () => {
      const h = await harness(apigeeScenario);
      const reply = await manage(h, 'GET', WEB_APP);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        appId: appIdOf(h, 'web'),
        name: 'web',
        status: 'approved',
        callbackUrl: 'https://web.example.com/callback',
        createdAt: String(T0_MS),
        credentials: [
          {
            consumerKey: WEB.clientId,
            consumerSecret: WEB.clientSecret,
            status: 'approved',
            expiresAt: '-1',
            apiProducts: [
              { apiproduct: 'orders', status: 'approved' },
              { apiproduct: 'inventory', status: 'approved' },
            ],
          },
        ],
      });
    });

    it("reads a key in Apigee's shape (docs/fidelity/apigee.md#apigee-status-model)", async () => {
      const h = await harness(apigeeScenario);
      const reply = await manage(h, 'GET', WEB_KEY);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        consumerKey: WEB.clientId,
        consumerSecret: WEB.clientSecret,
        status: 'approved',
        issuedAt: String(T0_MS),
        expiresAt: '-1',
        apiProducts: [
          { apiproduct: 'orders', status: 'approved' },
          { apiproduct: 'inventory', status: 'approved' },
        ],
      });
    });
  });

  describe('management API: errors', () => {
    for (const [what, headers] of [
      ['no Authorization header', {}],
      ['an empty bearer token', { Authorization: 'Bearer ' }],
      ['Basic credentials', { Authorization: `Basic ${btoa('a:b')}` }],
    ] as const) {
      it(`answers ${what} with 401 UNAUTHENTICATED and changes nothing`, async () => {
        const h = await harness(apigeeScenario);
        expectGoogleError(await manage(h, 'GET', WEB_APP, { headers }), 401, 'UNAUTHENTICATED');
        const action = await unchanged(h, () => manage(h, 'POST', `${WEB_APP}?action=revoke`, { headers }));
        expectGoogleError(action, 401, 'UNAUTHENTICATED');
      });
    }

    it('answers an unknown developer, app, key or key product with 404 NOT_FOUND and changes nothing', async () => {
      const h = await harness(apigeeScenario);
      for (const path of [
        `/developers/${encodeURIComponent('nobody@example.com')}/apps/web`,
        `${DEV}/apps/nothing`,
        `${DEV}/apps/jwt-app`,
        `${WEB_APP}/keys/no-such-key`,
        `${WEB_KEY}/apiproducts/nothing`,
      ]) {
        const reply = await unchanged(h, () => manage(h, 'POST', `${path}?action=revoke`));
        expectGoogleError(reply, 404, 'NOT_FOUND');
      }
      expectGoogleError(await manage(h, 'GET', `${DEV}/apps/nothing`), 404, 'NOT_FOUND');
    });

    it('answers another organization with 403 PERMISSION_DENIED and changes nothing', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () => manage(h, 'POST', `${WEB_APP}?action=revoke`, { org: 'other' }));
      expectGoogleError(reply, 403, 'PERMISSION_DENIED');
    });

    it('answers a missing or unknown action with 400 INVALID_ARGUMENT and changes nothing', async () => {
      const h = await harness(apigeeScenario);
      for (const path of [
        WEB_APP,
        `${WEB_APP}?action=delete`,
        `${WEB_KEY}?action=`,
        `${DEV}?action=revoke`,
      ]) {
        const reply = await unchanged(h, () => manage(h, 'POST', path));
        expectGoogleError(reply, 400, 'INVALID_ARGUMENT');
      }
    });
  });
}
