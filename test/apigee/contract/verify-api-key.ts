import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { apigeeScenario, MOBILE, WEB, withApigee } from '../../support/scenarios.ts';
import { appIdOf, bearer, callApi, clientCredentials, expectFault, type Make, unchanged } from './helpers.ts';

const proxy = apigeeScenario.apigee.proxy;

/**
 * The test org with VerifyAPIKey on `/v1/catalog/**` and `/v1/orders/keyed/**` (inside the protected `/v1/**`
 * and `/v1/orders/**`), a catalog product on the web key only, pending on the mobile key, and a key that
 * expires after an hour.
 */
const keyed = withApigee({
  proxy: { ...proxy, apiKey: ['/v1/catalog/**', { path: '/v1/orders/keyed/**', methods: ['GET'] }] },
  products: [
    ...apigeeScenario.apigee.products,
    { name: 'catalog', scopes: [], resources: ['/v1/catalog/**'] },
  ],
  apps: [
    ...apigeeScenario.apigee.apps.map((app) =>
      app.name === 'web'
        ? {
            ...app,
            keys: [
              {
                consumerKey: WEB.clientId,
                consumerSecret: WEB.clientSecret,
                products: ['orders', 'inventory', 'catalog'],
              },
            ],
          }
        : app.name === 'mobile'
          ? {
              ...app,
              keys: [
                {
                  consumerKey: MOBILE.clientId,
                  consumerSecret: MOBILE.clientSecret,
                  products: ['orders', { name: 'catalog', status: 'pending' as const }],
                },
              ],
            }
          : app,
    ),
    {
      name: 'short-lived',
      developer: 'dev@example.com',
      keys: [
        { consumerKey: 'short-key', consumerSecret: 'short-secret', expiresIn: '1h', products: ['catalog'] },
      ],
    },
  ],
});

/** A call with the key in the `x-apikey` header. */
const withKey = (h: Harness, key: string, path = '/v1/catalog/items', method = 'GET') =>
  h.request(method, `${h.runtime}${path}`, { headers: { 'x-apikey': key } });

const FAULT = {
  unresolved: {
    status: 401,
    errorcode: 'oauth.v2.FailedToResolveAPIKey',
    faultstring: 'Failed to resolve API Key variable request.queryparam.apikey',
  },
  invalid: { status: 401, errorcode: 'oauth.v2.InvalidApiKey', faultstring: 'Invalid ApiKey' },
  notApproved: { status: 401, errorcode: 'oauth.v2.ApiKeyNotApproved', faultstring: 'ApiKey not approved' },
  expired: {
    status: 401,
    errorcode: 'keymanagement.service.consumer_key_expired',
    faultstring: 'Key Expired',
  },
  appRevoked: {
    status: 401,
    errorcode: 'keymanagement.service.invalid_client-app_not_approved',
    faultstring: 'App not Approved',
  },
  developerInactive: { status: 401, errorcode: 'keymanagement.service.DeveloperStatusNotActive' },
  resource: {
    status: 401,
    errorcode: 'oauth.v2.InvalidApiKeyForGivenResource',
    faultstring: 'Invalid ApiKey for given resource',
  },
} as const;

/** VerifyAPIKey on the paths of `proxy.apiKey` (docs/fidelity/apigee.md#apigee-verify-api-key). */
export function verifyApiKeyContract(harness: Make): void {
  describe('VerifyAPIKey', () => {
    it('answers a key in the x-apikey header with what the proxy learned of the app (docs/fidelity/apigee.md#apigee-verify-api-key)', async () => {
      const h = await harness(keyed);
      const reply = await withKey(h, WEB.clientId);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body).toEqual({
        client_id: WEB.clientId,
        developer_email: 'dev@example.com',
        app_id: appIdOf(h, 'web'),
        app_name: 'web',
        api_product: 'catalog',
      });
      expect(h.sim.requests.last()).toMatchObject({
        operation: 'verifyApiKey',
        status: 200,
        principal: WEB.clientId,
        outcome: 'verified',
      });
    });

    it('takes the key from the apikey query parameter too, the header first (docs/fidelity/apigee.md#apigee-verify-api-key)', async () => {
      const h = await harness(keyed);
      const query = await h.request('GET', `${h.runtime}/v1/catalog/items?apikey=${WEB.clientId}`);
      expect(query.status, query.text).toBe(200);
      const both = await h.request('GET', `${h.runtime}/v1/catalog/items?apikey=unknown`, {
        headers: { 'x-apikey': WEB.clientId },
      });
      expect(both.status).toBe(200);
    });

    it('answers no key with 401 FailedToResolveAPIKey, without a challenge (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      for (const headers of [{}, { 'x-apikey': '' }] as Record<string, string>[]) {
        const reply = await unchanged(h, () =>
          h.request('GET', `${h.runtime}/v1/catalog/items`, { headers }),
        );
        expectFault(reply, FAULT.unresolved);
        expect(reply.headers.get('www-authenticate')).toBeNull();
      }
    });

    it('answers an unknown key with 401 oauth.v2.InvalidApiKey "Invalid ApiKey" (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      expectFault(await unchanged(h, () => withKey(h, 'no-such-key')), FAULT.invalid);
    });

    it('does not take an access token for a key (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      const { access_token } = await clientCredentials(h);
      expectFault(
        await h.request('GET', `${h.runtime}/v1/catalog/items`, { headers: bearer(access_token) }),
        FAULT.unresolved,
      );
      expectFault(await withKey(h, access_token), FAULT.invalid);
    });

    it('answers a revoked key with 401 ApiKeyNotApproved "ApiKey not approved" until it is approved again (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      h.sim.apigee.revokeKey(WEB.clientId);
      expectFault(await withKey(h, WEB.clientId), FAULT.notApproved);
      h.sim.apigee.approveKey(WEB.clientId);
      expect((await withKey(h, WEB.clientId)).status).toBe(200);
    });

    it('answers a key past its expiry with 401 consumer_key_expired "Key Expired" (docs/fidelity/apigee.md#apigee-key-expired)', async () => {
      const h = await harness(keyed);
      h.sim.clock.advance(3_600_000 - 1);
      expect((await withKey(h, 'short-key')).status).toBe(200);
      h.sim.clock.advance(1);
      expectFault(await withKey(h, 'short-key'), FAULT.expired);
    });

    it('answers a key of a revoked app with 401 invalid_client-app_not_approved (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      h.sim.apigee.revokeApp('web');
      expectFault(await withKey(h, WEB.clientId), FAULT.appRevoked);
    });

    it('answers a key of an inactive developer with 401 DeveloperStatusNotActive (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      h.sim.apigee.setDeveloperStatus('dev@example.com', 'inactive');
      expectFault(await withKey(h, WEB.clientId), FAULT.developerInactive);
    });

    it('reports a revoked key before a revoked app and an inactive developer (docs/fidelity/apigee.md#apigee-status-check-order)', async () => {
      const h = await harness(keyed);
      h.sim.apigee.setDeveloperStatus('dev@example.com', 'inactive');
      h.sim.apigee.revokeApp('web');
      expectFault(await withKey(h, WEB.clientId), FAULT.appRevoked);
      h.sim.apigee.revokeKey(WEB.clientId);
      expectFault(await withKey(h, WEB.clientId), FAULT.notApproved);
    });

    it('answers a path no product of the key covers with 401 InvalidApiKeyForGivenResource (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      // short-key has the catalog product only.
      expectFault(await withKey(h, 'short-key', '/v1/orders/keyed/1'), FAULT.resource);
      expect((await withKey(h, 'short-key')).status).toBe(200);
    });

    it('answers a product pending or revoked for the key with 401 InvalidApiKeyForGivenResource, not ApiKeyNotApproved (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', async () => {
      const h = await harness(keyed);
      expectFault(await withKey(h, MOBILE.clientId), FAULT.resource);
      h.sim.apigee.approveKeyProduct(MOBILE.clientId, 'catalog');
      expect((await withKey(h, MOBILE.clientId)).status).toBe(200);
      h.sim.apigee.revokeKeyProduct(MOBILE.clientId, 'catalog');
      expectFault(await withKey(h, MOBILE.clientId), FAULT.resource);
    });

    it('sees a key revoked through the management API at once (docs/fidelity/apigee.md#apigee-verify-api-key)', async () => {
      const h = await harness(keyed);
      const action = await h.request(
        'POST',
        `${h.management}/v1/organizations/acme/developers/dev@example.com/apps/web/keys/${WEB.clientId}?action=revoke`,
        { headers: { Authorization: 'Bearer any', 'Content-Type': 'application/octet-stream' } },
      );
      expect(action.status, action.text).toBe(204);
      expectFault(await withKey(h, WEB.clientId), FAULT.notApproved);
    });
  });

  describe('which rule answers a path (docs/fidelity/apigee.md#apigee-path-specificity)', () => {
    it('runs VerifyAPIKey on an API-key path inside a protected one, VerifyAccessToken elsewhere (docs/fidelity/apigee.md#apigee-path-specificity)', async () => {
      const h = await harness(keyed);
      expect((await withKey(h, WEB.clientId, '/v1/orders/keyed/1')).status).toBe(200);
      const { access_token } = await clientCredentials(h);
      expectFault(await callApi(h, access_token, '/v1/orders/keyed/1'), FAULT.unresolved);
      expect((await callApi(h, access_token, '/v1/orders/1')).status).toBe(200);
      expect(h.sim.requests.all().map((entry) => entry.operation)).toEqual([
        'verifyApiKey',
        'generateAccessToken',
        'verifyApiKey',
        'verifyAccessToken',
      ]);
    });

    it('lets methods an API-key rule does not list fall through to the protected rule (docs/fidelity/apigee.md#apigee-path-specificity)', async () => {
      const h = await harness(keyed);
      const { access_token } = await clientCredentials(h);
      const reply = await callApi(h, access_token, '/v1/orders/keyed/1', 'POST');
      expect(reply.status, reply.text).toBe(200);
      expect(h.sim.requests.last()?.operation).toBe('verifyAccessToken');
    });

    it('lets a more specific protected path win over a broad API-key path listed first (docs/fidelity/apigee.md#apigee-path-specificity)', async () => {
      const h = await harness(
        withApigee({ proxy: { ...proxy, apiKey: ['/v1/**'], protected: ['/v1/orders/**'] } }),
      );
      const { access_token } = await clientCredentials(h);
      expect((await callApi(h, access_token, '/v1/orders/1')).status).toBe(200);
      expect((await withKey(h, WEB.clientId, '/v1/inventory/1')).status).toBe(200);
      expect(h.sim.requests.all().map((entry) => entry.operation)).toEqual([
        'generateAccessToken',
        'verifyAccessToken',
        'verifyApiKey',
      ]);
    });

    it('prefers the protected rule between equally specific patterns (docs/fidelity/apigee.md#apigee-path-specificity)', async () => {
      const h = await harness(withApigee({ proxy: { ...proxy, apiKey: ['/v1/**'], protected: ['/v1/**'] } }));
      expectFault(await withKey(h, WEB.clientId, '/v1/orders/1'), {
        status: 401,
        errorcode: 'oauth.v2.InvalidAccessToken',
      });
    });

    it('orders protected rules by specificity too: a scope rule listed after /v1/** still applies (docs/fidelity/apigee.md#apigee-path-specificity)', async () => {
      const h = await harness(
        withApigee({ proxy: { ...proxy, protected: ['/v1/**', { path: '/v1/orders/**', scope: 'write' }] } }),
      );
      const { access_token } = await clientCredentials(h, WEB, { scope: 'read' });
      expect((await callApi(h, access_token, '/v1/orders/1')).status).toBe(403);
      expect((await callApi(h, access_token, '/v1/inventory/1')).status).toBe(200);
    });
  });
}
