/**
 * @okta/jwt-verifier 4 (a resource server's check of access and ID tokens) against the simulator's JWKS,
 * over msw in-process and over the real HTTP server.
 *
 * What the verifier does (node_modules/@okta/jwt-verifier/lib.js): keys from `issuer + '/v1/keys'` through
 * jwks-rsa (node:http, which msw intercepts), RS256 only, a `kid` required, exact `iss` and `aud`, `nonce` for
 * ID tokens; an http issuer needs `testing.disableHttpsCheck`. Expiry is njwt's `exp` against `new Date()`.
 *
 * Clock recipe (docs/oidc.md#virtual-time-and-verifiers): the verifier has no clock option, so tests make its
 * `Date` follow the simulator's (`vi.setSystemTime(sim.clock.now())`, faking Date only).
 */
import OktaJwtVerifier from '@okta/jwt-verifier';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Harness } from '../support/harness.ts';
import { useTransport } from '../support/harness.ts';
import { basic, oidcScenario, SERVICE_SECRET, spaTokens } from '../support/oidc.ts';

// jwks-rsa sends through https_proxy when set; the simulator is local.
delete process.env.https_proxy;
delete process.env.HTTPS_PROXY;

for (const transport of ['msw', 'http'] as const) {
  describe(`@okta/jwt-verifier [${transport}]`, () => {
    const harness = useTransport(transport);
    afterEach(() => {
      vi.useRealTimers();
    });

    async function setup(): Promise<{ h: Harness; verifier: OktaJwtVerifier }> {
      const h = await harness(oidcScenario);
      // The verifier's clock follows the simulator's.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(h.sim.clock.now());
      const verifier = new OktaJwtVerifier({
        issuer: `${h.base}/oauth2/default`,
        clientId: 'spa',
        testing: { disableHttpsCheck: true },
      });
      return { h, verifier };
    }

    it('verifies access and ID tokens of the default server (docs/fidelity/okta.md#okta-oidc-keys)', async () => {
      const { h, verifier } = await setup();
      const tokens = await spaTokens(h, { scope: 'openid profile groups' });
      const access = await verifier.verifyAccessToken(tokens.access_token, 'api://default');
      expect(access.claims).toMatchObject({
        sub: 'ada@example.com',
        cid: 'spa',
        groups: ['Everyone', 'Admins'],
      });
      const id = await verifier.verifyIdToken(tokens.id_token, 'spa', 'nonce-1');
      expect(id.claims.preferred_username).toBe('ada@example.com');
      await expect(verifier.verifyAccessToken(tokens.access_token, 'api://other')).rejects.toThrow(
        /audience/i,
      );
      await expect(verifier.verifyIdToken(tokens.id_token, 'spa', 'another')).rejects.toThrow(/nonce/i);
    });

    it('refuses an expired token once the simulated hour has passed (docs/oidc.md#virtual-time-and-verifiers)', async () => {
      const { h, verifier } = await setup();
      const tokens = await spaTokens(h);
      h.sim.clock.advance('59m');
      vi.setSystemTime(h.sim.clock.now());
      await verifier.verifyAccessToken(tokens.access_token, 'api://default');
      // njwt calls a token expired strictly after `exp`; the simulator from `exp` on.
      h.sim.clock.advance('1m1s');
      vi.setSystemTime(h.sim.clock.now());
      await expect(verifier.verifyAccessToken(tokens.access_token, 'api://default')).rejects.toThrow(
        /expired/i,
      );
    });

    it('refetches the key set after a rotation and verifies tokens of both keys (docs/fidelity/okta.md#okta-oidc-keys)', async () => {
      const { h, verifier } = await setup();
      const cc = async () =>
        (
          await h.form(
            `${h.base}/oauth2/default/v1/token`,
            { grant_type: 'client_credentials' },
            {
              Authorization: basic('service', SERVICE_SECRET),
            },
          )
        ).body.access_token as string;
      const before = await cc();
      await verifier.verifyAccessToken(before, 'api://default');
      h.sim.okta.rotateKeys('default');
      const after = await cc();
      expect(after.split('.')[0]).not.toBe(before.split('.')[0]);
      await verifier.verifyAccessToken(after, 'api://default');
      await verifier.verifyAccessToken(before, 'api://default');
    });

    it("cannot verify the org server's access tokens: their key is not published (docs/fidelity/okta.md#okta-oidc-keys)", async () => {
      const { h } = await setup();
      const verifier = new OktaJwtVerifier({
        issuer: h.base,
        testing: { disableHttpsCheck: true },
        jwksUri: `${h.base}/oauth2/v1/keys`,
      });
      const tokens = await spaTokens(h, { scope: 'openid' }, 'org');
      await expect(verifier.verifyAccessToken(tokens.access_token, h.base)).rejects.toThrow();
      const id = await verifier.verifyIdToken(tokens.id_token, 'spa', 'nonce-1');
      expect(id.claims.iss).toBe(h.base);
    });
  });
}
