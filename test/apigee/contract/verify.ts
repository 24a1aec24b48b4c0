import { describe, expect, it } from 'vitest';
import { apigeeScenario, MOBILE, WEB, withApigee } from '../../support/scenarios.ts';
import {
  appIdOf,
  callApi,
  clientCredentials,
  expectFault,
  FAULTS,
  invalidate,
  type Make,
  pair,
  passwordGrant,
  revokeAll,
  unchanged,
} from './helpers.ts';

/**
 * VerifyAccessToken in front of the protected paths (docs/fidelity/apigee.md#apigee-token-usable,
 * docs/fidelity/apigee.md#apigee-policy-faults, docs/fidelity/apigee.md#apigee-verify-faults,
 * docs/fidelity/apigee.md#apigee-revocation-delay).
 */
export function verifyContract(harness: Make): void {
  describe('VerifyAccessToken on protected paths', () => {
    it('answers a valid token with what the proxy learned: client, developer, app, scope, product (docs/apigee-runtime.md)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      const reply = await callApi(h, access_token, '/v1/orders/42');
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({
        client_id: WEB.clientId,
        developer_email: 'dev@example.com',
        app_id: appIdOf(h, 'web'),
        app_name: 'web',
        scope: 'read write stock',
        api_product: 'orders',
      });
    });

    it('names the end user of a password-grant token as end_user (docs/apigee-runtime.md)', async () => {
      const h = await harness(apigeeScenario);
      const { at } = await pair(h, WEB, 'alice');
      const reply = await callApi(h, at, '/v1/inventory/7');
      expect(reply.body).toMatchObject({ end_user: 'alice', api_product: 'inventory' });
    });

    const noBearer: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      ['an empty Authorization header', { Authorization: '' }],
      ['"Bearer" with no token', { Authorization: 'Bearer ' }],
      ['a Basic Authorization header', { Authorization: `Basic ${btoa('web-key:web-secret')}` }],
      ['a token without the Bearer prefix', { Authorization: 'sometoken' }],
    ];
    for (const [what, headers] of noBearer) {
      it(`answers ${what} with 401 oauth.v2.InvalidAccessToken "Invalid access token" (docs/fidelity/apigee.md#apigee-verify-faults)`, async () => {
        const h = await harness(apigeeScenario);
        await clientCredentials(h);
        const reply = await unchanged(h, () => h.request('GET', `${h.runtime}/v1/orders`, { headers }));
        expectFault(reply, FAULTS.noBearer);
      });
    }

    it('answers an unknown token with 401 keymanagement.service.invalid_access_token (docs/fidelity/apigee.md#apigee-verify-faults)', async () => {
      const h = await harness(apigeeScenario);
      expectFault(await callApi(h, 'NoSuchTokenAAAAAAAAAAAAAAAAA'), FAULTS.invalidToken);
    });

    it('answers a refresh token presented as bearer like an unknown token, 401 invalid_access_token (docs/fidelity/apigee.md#apigee-verify-faults)', async () => {
      const h = await harness(apigeeScenario);
      const { rt } = await pair(h);
      expectFault(await callApi(h, rt), FAULTS.invalidToken);
    });

    it('accepts a token until its expiry and answers 401 access_token_expired from then on (docs/fidelity/apigee.md#apigee-token-usable, docs/fidelity/apigee.md#apigee-verify-faults)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      h.sim.clock.advance(30 * 60_000 - 1);
      expect((await callApi(h, access_token)).status).toBe(200);
      h.sim.clock.advance(1);
      expectFault(await callApi(h, access_token), FAULTS.expired);
    });

    it('answers a revoked token with 401 keymanagement.service.access_token_not_approved (docs/fidelity/apigee.md#apigee-verify-faults)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      expect((await invalidate(h, { token: access_token })).status).toBe(200);
      expectFault(await callApi(h, access_token), FAULTS.notApproved);
    });

    it('reports a token both revoked and expired as expired (docs/fidelity/apigee.md#apigee-verify-precedence)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      await invalidate(h, { token: access_token });
      h.sim.clock.advance('31m');
      expectFault(await callApi(h, access_token), FAULTS.expired);
    });

    it('answers a write with a read-only token with 403 steps.oauth.v2.InsufficientScope (docs/fidelity/apigee.md#apigee-insufficient-scope)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, WEB, { scope: 'read' });
      expect((await callApi(h, access_token, '/v1/orders', 'GET')).status).toBe(200);
      expectFault(await callApi(h, access_token, '/v1/orders', 'POST'), {
        status: 403,
        errorcode: 'steps.oauth.v2.InsufficientScope',
        faultstring: 'Required scope(s) : write',
      });
      const writer = await clientCredentials(h, WEB, { scope: 'write' });
      expect((await callApi(h, writer.access_token, '/v1/orders', 'POST')).status).toBe(200);
    });

    it("answers a path outside the token's products with 401 apiresource_doesnot_exist (docs/fidelity/apigee.md#apigee-product-checks)", async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, MOBILE);
      expectFault(await callApi(h, access_token, '/v1/inventory/7'), {
        status: 401,
        errorcode: 'keymanagement.service.apiresource_doesnot_exist',
        faultstring: 'APIResource /v1/inventory/7 does not exist',
      });
      expect((await callApi(h, access_token, '/v1/orders/7')).status).toBe(200);
    });

    it('answers a path whose product is revoked for the key with 401 InvalidAPICallAsNoApiProductMatchFound, other products unaffected (docs/fidelity/apigee.md#apigee-product-checks)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      h.sim.apigee.revokeKeyProduct(WEB.clientId, 'inventory');
      expectFault(await callApi(h, access_token, '/v1/inventory/7'), {
        status: 401,
        errorcode: 'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
        faultstring: 'Invalid API call as no apiproduct match found',
      });
      expect((await callApi(h, access_token, '/v1/orders/7')).status).toBe(200);
    });
  });

  describe('revocation delay (docs/fidelity/apigee.md#apigee-revocation-delay)', () => {
    const delayed = withApigee({ tokens: { ...apigeeScenario.apigee.tokens, revocationDelay: '180s' } });

    it('sees a revocation immediately by default (docs/fidelity/apigee.md#apigee-revocation-delay)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      await invalidate(h, { token: access_token });
      expectFault(await callApi(h, access_token), FAULTS.notApproved);
    });

    it('keeps accepting an invalidated token for 179 s under a 180 s delay and refuses it at 180 s (docs/fidelity/apigee.md#apigee-revocation-delay)', async () => {
      const h = await harness(delayed);
      const { access_token } = await clientCredentials(h);
      expect((await invalidate(h, { token: access_token })).status).toBe(200);
      expect((await callApi(h, access_token)).status).toBe(200);
      h.sim.clock.advance('179s');
      expect((await callApi(h, access_token)).status).toBe(200);
      h.sim.clock.advance('1s');
      expectFault(await callApi(h, access_token), FAULTS.notApproved);
    });

    it('delays RevokeOAuthV2 revocations the same way (docs/fidelity/apigee.md#apigee-revocation-delay)', async () => {
      const h = await harness(delayed);
      const { access_token } = await passwordGrant(h);
      expect((await revokeAll(h, { app_id: appIdOf(h, 'web') })).status).toBe(202);
      h.sim.clock.advance('179s');
      expect((await callApi(h, access_token)).status).toBe(200);
      h.sim.clock.advance('1s');
      expectFault(await callApi(h, access_token), FAULTS.notApproved);
    });
  });
}
