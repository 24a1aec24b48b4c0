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

/** GetOAuthV2Info behind `GET /oauth/tokeninfo?token=` (apigee §1.2, §6.6, §10.9, §10.51). */
export function tokenInfoContract(harness: Make): void {
  describe('GetOAuthV2Info at /oauth/tokeninfo', () => {
    it('reports the attributes and status of an access token (apigee §1.2, §10.51)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, WEB, 'alice');
      const reply = await tokenInfo(h, at);
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

    it('reports the attributes and status of a refresh token (apigee §1.2, §10.51)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, WEB, 'alice');
      const reply = await tokenInfo(h, rt);
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

    it('reports revoked access and refresh tokens as revoked with their reason and unchanged expiry (apigee §10.9, §10.51, §1.2 revoke_reason)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      await invalidate(h, { token: at, cascade: 'false' });
      h.sim.clock.advance('10s');
      expect((await tokenInfo(h, at)).body).toMatchObject({
        status: 'revoked',
        revoke_reason: 'TOKEN_REVOKED',
        expires_in: '1789',
      });
      // Row 2 of apigee §2.3: the refresh token is still stored as approved.
      expect((await tokenInfo(h, rt)).body.refresh_token_status).toBe('approved');
      await invalidate(h, { token: rt, type: 'refreshtoken' });
      expect((await tokenInfo(h, rt)).body).toMatchObject({
        refresh_token_status: 'revoked',
        revoke_reason: 'TOKEN_REVOKED',
        refresh_token_expires_in: '86389',
      });
    });

    it('reports an expired access token whatever its status (apigee §10.51 IgnoreAccessTokenStatus)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h);
      h.sim.clock.advance('31m');
      const reply = await tokenInfo(h, access_token);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({ access_token, status: 'approved', expires_in: '0' });
    });

    it('answers a missing token with 400 invalid_request (product.md §5)', async () => {
      const h = await harness(apigeeScenario);
      const reply = await unchanged(h, () => h.request('GET', `${h.runtime}/oauth/tokeninfo`));
      expectOAuthError(reply, 400, 'invalid_request');
    });

    it('answers an unknown token with 401 invalid_access_token, client-facing rather than the 500 of GetOAuthV2Info (apigee §6.2, product.md §7)', async () => {
      const h = await harness(apigeeScenario);
      expectFault(await unchanged(h, () => tokenInfo(h, 'made-up')), FAULTS.invalidToken);
    });
  });
}
