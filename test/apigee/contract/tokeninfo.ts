import { describe, expect, it } from 'vitest';
import { apigeeScenario, T0_MS, WEB } from '../../support/scenarios.ts';
import {
  appIdOf,
  clientCredentials,
  expectFault,
  expectOAuthError,
  FAULTS,
  invalidate,
  type Make,
  pair,
  tokenInfo,
  unchanged,
} from './helpers.ts';

/**
 * GetOAuthV2Info behind `GET /oauth/tokeninfo?token=` (docs/fidelity/apigee.md#apigee-token-attributes,
 * docs/fidelity/apigee.md#apigee-tokeninfo, docs/fidelity/apigee.md#apigee-expiry-independent).
 */
export function tokenInfoContract(harness: Make): void {
  describe('GetOAuthV2Info at /oauth/tokeninfo', () => {
    it('reports the attributes and status of an access token (docs/fidelity/apigee.md#apigee-token-attributes, docs/fidelity/apigee.md#apigee-tokeninfo)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, WEB, 'alice');
      const reply = await tokenInfo(h, at, WEB);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        access_token: at,
        client_id: WEB.clientId,
        application_name: appIdOf(h, 'web'),
        'developer.email': 'dev@example.com',
        api_product_list: '[orders, inventory]',
        scope: 'read write stock',
        issued_at: String(T0_MS),
        expires_in: '1799',
        status: 'approved',
        refresh_count: '0',
        refresh_token: rt,
        app_enduser: 'alice',
      });
    });

    it('reports the attributes and status of a refresh token (docs/fidelity/apigee.md#apigee-token-attributes, docs/fidelity/apigee.md#apigee-tokeninfo)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, WEB, 'alice');
      const reply = await tokenInfo(h, rt, WEB);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        refresh_token: rt,
        access_token: at,
        client_id: WEB.clientId,
        application_name: appIdOf(h, 'web'),
        refresh_token_issued_at: String(T0_MS),
        refresh_token_expires_in: '86399',
        refresh_token_status: 'approved',
        app_enduser: 'alice',
      });
    });

    it('reports revoked access and refresh tokens as revoked with their reason and unchanged expiry (docs/fidelity/apigee.md#apigee-expiry-independent, docs/fidelity/apigee.md#apigee-tokeninfo, docs/fidelity/apigee.md#apigee-revoke-reason)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      await invalidate(h, { token: at, cascade: 'false' });
      h.sim.clock.advance('10s');
      expect((await tokenInfo(h, at)).body).toMatchObject({
        status: 'revoked',
        revoke_reason: 'TOKEN_REVOKED',
        expires_in: '1789',
      });
      // An access token invalidated without cascade leaves its refresh token stored as approved
      // (docs/fidelity/apigee.md#apigee-invalidate-cascade).
      expect((await tokenInfo(h, rt)).body.refresh_token_status).toBe('approved');
      await invalidate(h, { token: rt, type: 'refreshtoken' });
      expect((await tokenInfo(h, rt)).body).toMatchObject({
        refresh_token_status: 'revoked',
        revoke_reason: 'TOKEN_REVOKED',
        refresh_token_expires_in: '86389',
      });
    });

    it('reports an expired access token whatever its status (docs/fidelity/apigee.md#apigee-tokeninfo)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      h.sim.clock.advance('31m');
      const reply = await tokenInfo(h, access_token);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ access_token, status: 'approved', expires_in: '0' });
    });

    it('answers a missing token with 400 invalid_request (docs/apigee-runtime.md)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () => h.request('GET', `${h.runtime}/oauth/tokeninfo`));
      expectOAuthError(reply, 400, 'invalid_request');
    });

    it('answers an unknown token with 401 invalid_access_token, client-facing rather than the 500 of GetOAuthV2Info (docs/fidelity/apigee.md#apigee-tokeninfo-unknown, docs/errors.md)', async () => {
      const h = await harness(apigeeScenario);
      expectFault(await unchanged(h, () => tokenInfo(h, 'made-up')), FAULTS.invalidToken);
    });
  });
}
