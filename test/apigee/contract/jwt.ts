import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { apigeeScenario, JWT_APP, T0_MS, withApigee } from '../../support/scenarios.ts';
import {
  appIdOf,
  callApi,
  clientCredentials,
  expectEmpty,
  expectFault,
  expectRefreshRefused,
  FAULTS,
  invalidate,
  type Make,
  pair,
  refresh,
  revokeAll,
  storedStatus,
  unchanged,
  validate,
} from './helpers.ts';

const T0_S = T0_MS / 1000;

/** The keys of `GET /oauth/jwks`, as a jose key set. */
async function keySet(h: Harness) {
  const reply = await h.request('GET', `${h.runtime}/oauth/jwks`);
  expect(reply.status, reply.text).toBe(200);
  return createLocalJWKSet(reply.body as JSONWebKeySet);
}

/**
 * The configured runtime fault for InvalidateToken / ValidateToken on JWTs
 * (docs/fidelity/apigee.md#apigee-jwt-revocation-fault).
 */
function jwtFault(h: Harness) {
  const configured = h.sim.scenario.apigee?.quirks.jwtRevocationFault;
  expect(configured).toMatchObject({ status: 500, errorcode: 'steps.oauth.v2.UnsupportedOperation' });
  return configured as { status: number; errorcode: string; faultstring: string };
}

/** JWT-format access tokens (docs/fidelity/apigee.md#apigee-jwt). */
export function jwtContract(harness: Make): void {
  describe('JWT access tokens', () => {
    it('issues an at+JWT signed with a key of GET /oauth/jwks, with claims iss, sub, jti, exp, iat, client_id, scope (docs/fidelity/apigee.md#apigee-jwt-claims)', async () => {
      const h = await harness(apigeeScenario);
      const body = await clientCredentials(h, JWT_APP);
      expect(body).toMatchObject({
        token_type: 'BearerToken',
        expires_in: '1799',
        client_id: JWT_APP.clientId,
      });
      expect(decodeProtectedHeader(body.access_token)).toMatchObject({ typ: 'at+JWT', alg: 'RS256' });
      const { payload } = await jwtVerify(body.access_token, await keySet(h), {
        typ: 'at+JWT',
        currentDate: new Date(T0_MS),
      });
      expect(payload).toEqual({
        iss: `${h.runtime}/oauth`,
        sub: JWT_APP.clientId,
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iat: T0_S,
        exp: T0_S + 1800,
        client_id: JWT_APP.clientId,
        scope: 'read write',
      });
    });

    it('names the resource owner in sub and pairs the JWT with an opaque refresh token for the password grant (docs/fidelity/apigee.md#apigee-jwt-claims)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, JWT_APP, 'alice');
      const { payload } = await jwtVerify(at, await keySet(h), { currentDate: new Date(T0_MS) });
      expect(payload.sub).toBe('alice');
      expect(rt).toMatch(/^[A-Za-z0-9]{32}$/);
    });

    it('verifies a JWT on a protected path, and refuses it once exp has passed (docs/fidelity/apigee.md#apigee-jwt-verify)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, JWT_APP);
      const reply = await callApi(h, access_token, '/v1/orders/1');
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toMatchObject({
        client_id: JWT_APP.clientId,
        developer_email: 'other@example.com',
        app_name: 'jwt-app',
        api_product: 'orders',
      });
      h.sim.clock.advance('30m');
      expectFault(await callApi(h, access_token), FAULTS.expired);
    });

    it('refuses a JWT whose signature does not verify with 401 oauth.v2.JWTDecodingFailed (docs/fidelity/apigee.md#apigee-jwt-verify)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, JWT_APP);
      const [header, payload, signature] = access_token.split('.');
      const forged = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
      expectFault(await callApi(h, forged), FAULTS.jwtDecodingFailed);
    });

    it('refuses a forged JWT with the fault quirks.jwtSignatureFault names (docs/fidelity/apigee.md#apigee-jwt-verify)', async () => {
      const h = await harness(
        withApigee({
          quirks: {
            jwtSignatureFault: {
              status: 401,
              errorcode: 'keymanagement.service.invalid_access_token',
              faultstring: 'Invalid Access Token',
            },
          },
        }),
      );
      const { access_token } = await clientCredentials(h, JWT_APP);
      const forged = `${access_token.slice(0, access_token.lastIndexOf('.'))}.AAAA`;
      expectFault(await callApi(h, forged), FAULTS.invalidToken);
    });

    it('refuses InvalidateToken and ValidateToken on a JWT access token with the configured fault, changing nothing (docs/fidelity/apigee.md#apigee-jwt-revocation-fault)', async () => {
      const h = await harness(apigeeScenario);
      const { access_token } = await clientCredentials(h, JWT_APP);
      const fault = jwtFault(h);
      for (const operation of [invalidate, validate]) {
        for (const type of ['accesstoken', 'refreshtoken']) {
          const reply = await unchanged(h, () => operation(h, { token: access_token, type }));
          expectFault(reply, fault);
        }
      }
      expect((await callApi(h, access_token)).status).toBe(200);
    });

    it('refuses InvalidateToken and ValidateToken on a refresh token tied to a JWT with the configured fault (docs/fidelity/apigee.md#apigee-jwt-revocation-fault)', async () => {
      const h = await harness(apigeeScenario);
      const { rt } = await pair(h, JWT_APP);
      const fault = jwtFault(h);
      for (const operation of [invalidate, validate]) {
        for (const cascade of ['true', 'false']) {
          const reply = await unchanged(h, () => operation(h, { token: rt, type: 'refreshtoken', cascade }));
          expectFault(reply, fault);
        }
      }
      expect(storedStatus(h, rt)).toBe('approved');
    });

    it('lets RevokeOAuthV2 revoke the refresh token tied to a JWT while the JWT verifies until exp (docs/fidelity/apigee.md#apigee-revoke-oauth-v2, docs/fidelity/apigee.md#apigee-jwt-verify)', async () => {
      const h = await harness(apigeeScenario);
      const { at, rt } = await pair(h, JWT_APP, 'alice');
      expectEmpty(await revokeAll(h, { app_id: appIdOf(h, 'jwt-app') }), 202);
      expect(storedStatus(h, rt)).toBe('revoked');
      expectRefreshRefused(await refresh(h, rt, JWT_APP));
      expect((await callApi(h, at)).status).toBe(200);
      h.sim.clock.advance('29m');
      expect((await callApi(h, at)).status).toBe(200);
      h.sim.clock.advance('1m');
      expectFault(await callApi(h, at), FAULTS.expired);
    });

    it('refreshes a JWT with its refresh token into a new JWT (docs/fidelity/apigee.md#apigee-jwt-refresh-token)', async () => {
      const h = await harness(apigeeScenario);
      const { rt } = await pair(h, JWT_APP, 'alice');
      h.sim.clock.advance('1m');
      const reply = await refresh(h, rt, JWT_APP);
      expect(reply.status, reply.text).toBe(200);
      const { payload } = await jwtVerify(reply.body.access_token, await keySet(h), {
        currentDate: new Date(T0_MS + 60_000),
      });
      expect(payload).toMatchObject({ sub: 'alice', iat: T0_S + 60, client_id: JWT_APP.clientId });
      expect(reply.body.refresh_count).toBe('1');
    });
  });
}
