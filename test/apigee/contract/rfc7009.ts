import { describe, expect, it } from 'vitest';
import type { Harness, Reply } from '../../support/harness.ts';
import { apigeeScenario, JWT_APP, MOBILE, WEB } from '../../support/scenarios.ts';
import {
  basic,
  type Client,
  callApi,
  clientCredentials,
  expectEmpty,
  expectFault,
  expectRefreshRefused,
  FAULTS,
  invalidate,
  type Make,
  pair,
  proxyForm,
  refresh,
  storedStatus,
  unchanged,
} from './helpers.ts';

/** `POST /oauth/revoke` as `client` (HTTP Basic), or without client authentication when `client` is null. */
const revoke = (h: Harness, fields: Record<string, string>, client: Client | null = WEB) =>
  proxyForm(h, '/oauth/revoke', fields, client ? basic(client) : {});

/** An RFC 6749 §5.2 error body `{"error": ...}` (docs/fidelity/apigee.md#apigee-rfc7009-errors). */
function expectRfcError(reply: Reply, status: number, error: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(reply.body).toMatchObject({ error });
  expect(Object.keys(reply.body).every((key) => key === 'error' || key === 'error_description')).toBe(true);
}

/**
 * The RFC 7009 endpoint built on InvalidateToken (docs/fidelity/apigee.md#apigee-rfc7009,
 * docs/fidelity/apigee.md#apigee-rfc7009-revoke).
 */
export function rfc7009Contract(harness: Make): void {
  describe('RFC 7009 revocation at /oauth/revoke', () => {
    for (const [what, client] of [
      ['no client authentication', null],
      ['a wrong client secret', { clientId: WEB.clientId, clientSecret: 'wrong' }],
      ['an unknown client', { clientId: 'nobody', clientSecret: 'x' }],
    ] as const) {
      it(`answers ${what} with 401 invalid_client, WWW-Authenticate and changes nothing (docs/fidelity/apigee.md#apigee-rfc7009-errors)`, async () => {
        const h = await harness(apigeeScenario);
        const { at } = await pair(h);
        const reply = await unchanged(h, () => revoke(h, { token: at }, client));
        expectRfcError(reply, 401, 'invalid_client');
        expect(reply.headers.get('www-authenticate')).toMatch(/^Basic/);
      });
    }

    it('answers a missing token with 400 invalid_request (docs/fidelity/apigee.md#apigee-rfc7009-errors)', async () => {
      const h = await harness(apigeeScenario);
      await pair(h);
      expectRfcError(await unchanged(h, () => revoke(h, {})), 400, 'invalid_request');
    });

    it('answers an unknown token with 200 and changes nothing (docs/fidelity/apigee.md#apigee-rfc7009-revoke)', async () => {
      const h = await harness(apigeeScenario);
      await pair(h);
      expectEmpty(await unchanged(h, () => revoke(h, { token: 'made-up' })), 200);
    });

    it('answers an expired or already revoked token with 200 (docs/fidelity/apigee.md#apigee-rfc7009-revoke)', async () => {
      const h = await harness(apigeeScenario);
      const revoked = await pair(h);
      await invalidate(h, { token: revoked.at });
      expectEmpty(await unchanged(h, () => revoke(h, { token: revoked.at })), 200);
      const expired = await clientCredentials(h);
      h.sim.clock.advance('30m');
      expectEmpty(await unchanged(h, () => revoke(h, { token: expired.access_token })), 200);
    });

    it('ends the access tokens of a revoked refresh token (docs/fidelity/apigee.md#apigee-rfc7009-revoke)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      expectEmpty(await revoke(h, { token: rt, token_type_hint: 'refresh_token' }), 200);
      expect(storedStatus(h, rt)).toBe('revoked');
      expectFault(await callApi(h, at), FAULTS.notApproved);
      expectRefreshRefused(await refresh(h, rt));
    });

    it('revokes an access token with its refresh token (docs/fidelity/apigee.md#apigee-rfc7009-revoke)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      expectEmpty(await revoke(h, { token: at }), 200);
      expectFault(await callApi(h, at), FAULTS.notApproved);
      expectRefreshRefused(await refresh(h, rt));
    });

    it('searches every kind of token whatever token_type_hint says (docs/fidelity/apigee.md#apigee-rfc7009-revoke)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h);
      expectEmpty(await revoke(h, { token: rt, token_type_hint: 'access_token' }), 200);
      expect(storedStatus(h, rt)).toBe('revoked');
      expectFault(await callApi(h, at), FAULTS.notApproved);
      const other = await pair(h, WEB, 'bob');
      expectEmpty(await revoke(h, { token: other.at, token_type_hint: 'something_else' }), 200);
      expect(storedStatus(h, other.at)).toBe('revoked');
    });

    it("answers another client's token with 200 and leaves it alone (docs/fidelity/apigee.md#apigee-rfc7009-revoke)", async () => {
      const h = await harness(apigeeScenario);
      const { at } = await pair(h, WEB);
      expectEmpty(await unchanged(h, () => revoke(h, { token: at }, MOBILE)), 200);
      expect((await callApi(h, at)).status).toBe(200);
    });

    it('answers a JWT access token or its refresh token with 400 unsupported_token_type (docs/fidelity/apigee.md#apigee-rfc7009-errors)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, JWT_APP);
      for (const token of [at, rt]) {
        expectRfcError(
          await unchanged(h, () => revoke(h, { token }, JWT_APP)),
          400,
          'unsupported_token_type',
        );
      }
      expect((await callApi(h, at)).status).toBe(200);
    });
  });
}
