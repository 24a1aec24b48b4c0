import { describe, expect, it } from 'vitest';
import { apigeeScenario, MOBILE, T0_MS, WEB } from '../../support/scenarios.ts';
import {
  appIdOf,
  callApi,
  clientCredentials,
  expectEmpty,
  expectFault,
  expectRefreshRefused,
  FAULTS,
  type Make,
  pair,
  refresh,
  revokeAll,
  storedStatus,
  tokenInfo,
  unchanged,
  validate,
} from './helpers.ts';

/**
 * RevokeOAuthV2 behind `POST /oauth/revoke-all` (docs/fidelity/apigee.md#apigee-revoke-oauth-v2,
 * docs/fidelity/apigee.md#apigee-validate-no-op, docs/fidelity/apigee.md#apigee-revoke-all).
 */
export function revokeOAuthV2Contract(harness: Make): void {
  describe('RevokeOAuthV2 at /oauth/revoke-all', () => {
    it("revokes the app's access tokens by app_id (its UUID) with 202 and no body, other apps untouched (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)", async () => {
      const h = await harness(apigeeScenario);
      const web = await clientCredentials(h, WEB);
      const mobile = await clientCredentials(h, MOBILE);
      expect(web.application_name).toBe(appIdOf(h, 'web'));
      expectEmpty(await revokeAll(h, { app_id: web.application_name }), 202);
      expectFault(await callApi(h, web.access_token), FAULTS.notApproved);
      expect((await callApi(h, mobile.access_token)).status).toBe(200);
      expect((await tokenInfo(h, web.access_token)).body).toMatchObject({
        status: 'revoked',
        revoke_reason: 'REVOKED_BY_APP',
      });
    });

    it('revokes access tokens only by default: the refresh token stays approved yet cannot refresh (docs/fidelity/apigee.md#apigee-revoke-oauth-v2, docs/fidelity/apigee.md#apigee-token-usable)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      expectEmpty(await revokeAll(h, { app_id: appIdOf(h, 'web') }), 202);
      expect(storedStatus(h, at)).toBe('revoked');
      expect(storedStatus(h, rt)).toBe('approved');
      expectRefreshRefused(await refresh(h, rt), 'Access Token not approved');
    });

    it('revokes the refresh tokens too given cascade=true (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      expectEmpty(await revokeAll(h, { app_id: appIdOf(h, 'web'), cascade: 'true' }), 202);
      expect({ at: storedStatus(h, at), rt: storedStatus(h, rt) }).toEqual({ at: 'revoked', rt: 'revoked' });
      expectRefreshRefused(await refresh(h, rt));
    });

    it("revokes an end user's tokens across apps by enduser_id, and only tokens that carry an end user (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)", async () => {
      const h = await harness(apigeeScenario);
      const aliceWeb = await pair(h, WEB, 'alice');
      const aliceMobile = await pair(h, MOBILE, 'alice');
      const bob = await pair(h, WEB, 'bob');
      const app = await clientCredentials(h, WEB);
      expectEmpty(await revokeAll(h, { enduser_id: 'alice' }), 202);
      expectFault(await callApi(h, aliceWeb.at), FAULTS.notApproved);
      expectFault(await callApi(h, aliceMobile.at), FAULTS.notApproved);
      expect((await callApi(h, bob.at)).status).toBe(200);
      expect((await callApi(h, app.access_token)).status).toBe(200);
      expect((await tokenInfo(h, aliceWeb.at)).body.revoke_reason).toBe('REVOKED_BY_ENDUSER');
    });

    it('revokes only the tokens matching both app_id and enduser_id when both are given (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', async () => {
      const h = await harness(apigeeScenario);
      const aliceWeb = await pair(h, WEB, 'alice');
      const aliceMobile = await pair(h, MOBILE, 'alice');
      const bobWeb = await pair(h, WEB, 'bob');
      expectEmpty(await revokeAll(h, { app_id: appIdOf(h, 'web'), enduser_id: 'alice' }), 202);
      expectFault(await callApi(h, aliceWeb.at), FAULTS.notApproved);
      expect((await callApi(h, aliceMobile.at)).status).toBe(200);
      expect((await callApi(h, bobWeb.at)).status).toBe(200);
      expect((await tokenInfo(h, aliceWeb.at)).body.revoke_reason).toBe('REVOKED_BY_APP_ENDUSER');
    });

    it('revokes only tokens issued before `before` (epoch ms) (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', async () => {
      const h = await harness(apigeeScenario);
      const older = await clientCredentials(h);
      h.sim.clock.advance('1m');
      const newer = await clientCredentials(h);
      const before = String(T0_MS + 30_000);
      expectEmpty(await revokeAll(h, { app_id: appIdOf(h, 'web'), before }), 202);
      expectFault(await callApi(h, older.access_token), FAULTS.notApproved);
      expect((await callApi(h, newer.access_token)).status).toBe(200);
    });

    it('leaves tokens issued after the revocation alone (docs/fidelity/apigee.md#apigee-revoke-oauth-v2)', async () => {
      const h = await harness(apigeeScenario);
      await clientCredentials(h);
      expectEmpty(await revokeAll(h, { app_id: appIdOf(h, 'web') }), 202);
      h.sim.clock.advance('1s');
      const later = await clientCredentials(h);
      expect((await callApi(h, later.access_token)).status).toBe(200);
    });

    it('keeps its revocations: ValidateToken answers 200 and re-approves nothing (docs/fidelity/apigee.md#apigee-validate-no-op)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      await revokeAll(h, { app_id: appIdOf(h, 'web'), cascade: 'true' });
      for (const fields of [{ token: at }, { token: rt, type: 'refreshtoken' }]) {
        expectEmpty(await unchanged(h, () => validate(h, fields)), 200);
      }
      expectFault(await callApi(h, at), FAULTS.notApproved);
      expectRefreshRefused(await refresh(h, rt));
    });

    it('answers neither app_id nor enduser_id with 400 fault steps.oauth.v2.EmptyAppAndEndUserId (docs/fidelity/apigee.md#apigee-revoke-oauth-v2-faults)', async () => {
      const h = await harness(apigeeScenario);
      await pair(h);
      const bodies: Record<string, string>[] = [{}, { app_id: '', enduser_id: '' }, { cascade: 'true' }];
      for (const fields of bodies) {
        const reply = await unchanged(h, () => revokeAll(h, fields));
        expectFault(reply, { status: 400, errorcode: 'steps.oauth.v2.EmptyAppAndEndUserId' });
      }
    });

    it('answers an unknown app_id with 400 fault steps.oauth.v2.app_id_not_found (docs/fidelity/apigee.md#apigee-revoke-oauth-v2-faults)', async () => {
      const h = await harness(apigeeScenario);
      await pair(h);
      for (const app_id of ['00000000-0000-4000-8000-000000000000', 'web']) {
        const reply = await unchanged(h, () => revokeAll(h, { app_id }));
        expectFault(reply, { status: 400, errorcode: 'steps.oauth.v2.app_id_not_found' });
      }
    });
  });
}
