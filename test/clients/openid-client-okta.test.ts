/**
 * openid-client 6 (on oauth4webapi 3) against the simulated Okta authorization servers, over msw in-process
 * and over the real HTTP server: discovery, the code flow with PKCE from a sessionToken, ID-token
 * validation, refresh, userinfo, introspection, revocation, logout URLs, client credentials with a secret
 * and with private_key_jwt.
 *
 * What openid-client does that matters here (read from node_modules):
 * - an http issuer needs `allowInsecureRequests` (the HTTP server is http://127.0.0.1:PORT);
 * - it validates the ID token's `iat`/`exp` against `Date.now()` shifted by `[clockSkew]` (seconds) from the
 *   client metadata: the clock recipe (docs/oidc.md#virtual-time-and-verifiers) is
 *   `[client.clockSkew]: (sim.clock.now() - Date.now()) / 1000`, with a new Configuration after the clock moves;
 * - `PrivateKeyJwt` signs assertions with `aud` = the issuer (oauth4webapi `clientAssertionPayload`), which
 *   Okta refuses: its `aud` must be the endpoint called (docs/fidelity/okta.md#okta-oidc-client-assertion).
 *   The documented `[modifyAssertion]` hook sets it.
 */
import { importJWK } from 'jose';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.ts';
import { useTransport } from '../support/harness.ts';
import {
  CLIENT_PRIVATE_JWK,
  oidcScenario,
  pkce,
  SERVICE_SECRET,
  SPA_CALLBACK,
  SPA_HOME,
  sessionTokenOf,
  WEB_SECRET,
} from '../support/oidc.ts';

/** The skew that makes openid-client's clock read the simulator's (seconds). */
const skewOf = (h: Harness) => Math.round((h.sim.clock.now() - Date.now()) / 1000);

for (const transport of ['msw', 'http'] as const) {
  describe(`openid-client on Okta [${transport}]`, () => {
    const harness = useTransport(transport);
    const options = transport === 'http' ? { execute: [client.allowInsecureRequests] } : undefined;

    const configure = (
      h: Harness,
      server: string,
      clientId: string,
      auth: client.ClientAuth,
      metadata = {},
    ) =>
      client.discovery(
        new URL(server === 'org' ? h.base : `${h.base}/oauth2/${server}`),
        clientId,
        { [client.clockSkew]: skewOf(h), ...metadata },
        auth,
        options,
      );

    async function codeFlow(h: Harness, config: client.Configuration) {
      const { verifier, challenge } = await pkce();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: SPA_CALLBACK,
        scope: 'openid profile email offline_access',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state,
        nonce,
        sessionToken: await sessionTokenOf(h),
      });
      const reply = await h.request('GET', url.href);
      const callback = new URL(reply.headers.get('location') ?? '');
      return client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      });
    }

    it('discovers the default server and runs the code flow with PKCE, then userinfo (docs/fidelity/okta.md#okta-oidc-discovery)', async () => {
      const h = await harness(oidcScenario);
      const config = await configure(h, 'default', 'spa', client.None());
      expect(config.serverMetadata().issuer).toBe(`${h.base}/oauth2/default`);
      const tokens = await codeFlow(h, config);
      const claims = tokens.claims();
      expect(claims).toMatchObject({ aud: 'spa', preferred_username: 'ada@example.com' });
      const info = await client.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');
      expect(info).toMatchObject({ given_name: 'Ada', email: 'ada@example.com' });
      const logout = client.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token ?? '',
        post_logout_redirect_uri: SPA_HOME,
      });
      expect(logout.href).toContain(`${h.base}/oauth2/default/v1/logout?`);
    });

    it('refreshes after the virtual clock moves, introspects and revokes with client_secret_basic (docs/fidelity/okta.md#okta-oidc-refresh-tokens)', async () => {
      const h = await harness(oidcScenario);
      const spa = await codeFlow(h, await configure(h, 'default', 'spa', client.None()));
      h.sim.clock.advance('2h');
      // A new Configuration with the skew the jump made.
      const config = await configure(h, 'default', 'spa', client.None());
      const renewed = await client.refreshTokenGrant(config, spa.refresh_token ?? '');
      expect(renewed.claims()?.iat).toBe(Math.floor(h.sim.clock.now() / 1000));
      const introspected = await client.tokenIntrospection(config, renewed.access_token);
      expect(introspected).toMatchObject({ active: true, client_id: 'spa', username: 'ada@example.com' });
      await client.tokenRevocation(config, renewed.refresh_token ?? '');
      expect((await client.tokenIntrospection(config, renewed.access_token)).active).toBe(false);
      const web = await configure(h, 'default', 'web', client.ClientSecretBasic(WEB_SECRET));
      const password = await client.genericGrantRequest(web, 'password', {
        username: 'ada@example.com',
        password: 'Passw0rd!',
        scope: 'openid',
      });
      expect(password.token_type).toBe('bearer');
    });

    it('gets client-credentials tokens with the method the app was made with, and OAuth errors otherwise (docs/fidelity/okta.md#okta-oidc-client-auth)', async () => {
      const h = await harness(oidcScenario);
      const config = await configure(h, 'default', 'service', client.ClientSecretBasic(SERVICE_SECRET));
      const granted = await client.clientCredentialsGrant(config, { scope: 'orders:read' });
      expect(granted.scope).toBe('orders:read');
      const wrong = await configure(h, 'default', 'service', client.ClientSecretBasic('wrong'));
      await expect(client.clientCredentialsGrant(wrong)).rejects.toMatchObject({
        code: 'OAUTH_RESPONSE_BODY_ERROR',
        error: 'invalid_client',
        error_description: 'The client secret supplied for a confidential client is invalid.',
      });
      // The app authenticates with client_secret_basic: the secret in the body is the wrong method.
      const post = await configure(h, 'default', 'service', client.ClientSecretPost(SERVICE_SECRET));
      await expect(client.clientCredentialsGrant(post)).rejects.toMatchObject({
        error: 'invalid_client',
        error_description:
          'Client authentication failed. Either the client or the client credentials are invalid.',
      });
    });

    it('signs private_key_jwt assertions Okta refuses (aud = issuer) until modifyAssertion names the endpoint (docs/fidelity/okta.md#okta-oidc-client-assertion)', async () => {
      const h = await harness(oidcScenario);
      const key = await importJWK(CLIENT_PRIVATE_JWK, 'RS256');
      const plain = await configure(
        h,
        'org',
        'svc-jwt',
        client.PrivateKeyJwt({ key: key as CryptoKey, kid: 'test-key' }),
      );
      await expect(client.clientCredentialsGrant(plain, { scope: 'okta.users.read' })).rejects.toMatchObject({
        error: 'invalid_client',
        error_description:
          'The audience claim for client_assertion must be the endpoint invoked for the request.',
      });
      const fixed = await configure(
        h,
        'org',
        'svc-jwt',
        client.PrivateKeyJwt(
          { key: key as CryptoKey, kid: 'test-key' },
          {
            [client.modifyAssertion]: (_header, payload) => {
              payload.aud = `${h.base}/oauth2/v1/token`;
            },
          },
        ),
      );
      const granted = await client.clientCredentialsGrant(fixed, { scope: 'okta.users.read' });
      const user = h.sim.state.okta?.users.find((u) => u.login === 'ada@example.com');
      const reply = await h.get(`/api/v1/users/${user?.id}`, {
        Authorization: `Bearer ${granted.access_token}`,
      });
      expect([reply.status, reply.body.profile.login]).toEqual([200, 'ada@example.com']);
    });
  });
}
