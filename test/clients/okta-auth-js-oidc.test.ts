/**
 * okta-auth-js 8 (OIDC half) against the simulated authorization servers, over msw in-process and over the
 * real HTTP server: sign in with `signInWithCredentials`, trade the sessionToken at `/authorize` for a code
 * (PKCE, what `signInWithRedirect`/`getWithoutPrompt` do in a browser; Node has neither a redirect nor an
 * iframe, so the test follows the redirect itself), `exchangeCodeForTokens` (which verifies the ID token
 * against the JWKS from discovery), `tokenManager` renewal with the refresh token, `getUserInfo`,
 * `token.introspect` and revocation. The browser flows run in test/browser/oidc.test.ts.
 *
 * Clock recipe (docs/oidc.md#virtual-time-and-verifiers): okta-auth-js checks `iat` and `exp` against the
 * real clock with `maxClockSkew` (300 s). These tests start the virtual clock at the real time; the one that
 * moves it on gives `maxClockSkew` room for the jump.
 */
import { OktaAuth, TokenKind, type Tokens } from '@okta/okta-auth-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { setupSimulatorServer, startHttpServer } from '../../src/node/index.ts';
import { oidcScenario, SPA_CALLBACK } from '../support/oidc.ts';
import { PASSWORD } from '../support/scenarios.ts';

type Transport = 'msw' | 'http';
const PRISTINE_FETCH = globalThis.fetch;
const atRealNow = { ...oidcScenario, clock: { start: 'now', frozen: true } } as const;

interface Rig {
  sim: Simulator;
  orgUrl: string;
  client(options?: { maxClockSkew?: number }): OktaAuth;
}

function useRig(transport: Transport): () => Promise<Rig> {
  const teardown: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of teardown.splice(0).reverse()) await step();
  });
  return async () => {
    const sim = createSimulator(atRealNow);
    let orgUrl: string;
    if (transport === 'msw') {
      const server = setupSimulatorServer(sim);
      server.listen({ onUnhandledFrame: 'error' });
      teardown.push(() => server.close());
      orgUrl = sim.scenario.okta?.orgUrl ?? '';
    } else {
      if (globalThis.fetch !== PRISTINE_FETCH) throw new Error('msw is still intercepting fetch');
      const server = await startHttpServer(sim, { port: 0 });
      teardown.push(() => server.close());
      orgUrl = server.url;
    }
    const client = (options: { maxClockSkew?: number } = {}) => {
      const auth = new OktaAuth({
        issuer: `${orgUrl}/oauth2/default`,
        clientId: 'spa',
        redirectUri: SPA_CALLBACK,
        scopes: ['openid', 'profile', 'email', 'offline_access'],
        pkce: true,
        ...options,
      });
      teardown.push(() => auth.tokenManager.clear());
      return auth;
    };
    return { sim, orgUrl, client };
  };
}

/**
 * What okta-auth-js does in a browser with `getWithoutPrompt({ sessionToken })` or `signInWithRedirect`:
 * prepare PKCE parameters, load /authorize with them and the sessionToken, read the code, exchange it.
 */
async function signIn(auth: OktaAuth, login = 'ada@example.com'): Promise<Tokens> {
  const tx = await auth.signInWithCredentials({ username: login, password: PASSWORD });
  expect(tx.status).toBe('SUCCESS');
  const params = await auth.token.prepareTokenParams();
  const url = new URL(`${auth.options.issuer}/v1/authorize`);
  const query: Record<string, string> = {
    client_id: params.clientId ?? '',
    redirect_uri: params.redirectUri ?? '',
    response_type: 'code',
    scope: (params.scopes ?? []).join(' '),
    state: params.state ?? '',
    nonce: params.nonce ?? '',
    code_challenge: params.codeChallenge ?? '',
    code_challenge_method: params.codeChallengeMethod ?? '',
    sessionToken: tx.sessionToken ?? '',
  };
  url.search = new URLSearchParams(query).toString();
  const reply = await fetch(url, { redirect: 'manual' });
  expect(reply.status).toBe(302);
  const location = new URL(reply.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe(params.state);
  const { tokens } = await auth.token.exchangeCodeForTokens({
    ...params,
    authorizationCode: location.searchParams.get('code') ?? '',
  });
  return tokens;
}

for (const transport of ['msw', 'http'] as const) {
  describe(`okta-auth-js OIDC [${transport}]`, () => {
    const rig = useRig(transport);

    it('signs in with PKCE: the ID token verifies against the JWKS, userinfo matches (docs/fidelity/okta.md#okta-oidc-id-token-claims)', async () => {
      const { client } = await rig();
      const auth = client();
      const tokens = await signIn(auth);
      expect(tokens.idToken?.claims).toMatchObject({ preferred_username: 'ada@example.com', amr: ['pwd'] });
      expect(tokens.accessToken?.scopes).toEqual(['openid', 'profile', 'email', 'offline_access']);
      expect(tokens.refreshToken?.refreshToken).toMatch(/^[\w-]{43}$/);
      const verified = await auth.token.verify(tokens.idToken!);
      expect(verified.claims.sub).toBe(tokens.idToken?.claims.sub);
      auth.tokenManager.setTokens(tokens);
      const info = await auth.token.getUserInfo();
      expect(info).toMatchObject({
        sub: tokens.idToken?.claims.sub,
        email: 'ada@example.com',
        given_name: 'Ada',
      });
    });

    it('renews expired tokens with the rotating refresh token after the virtual clock moves on (docs/oidc.md#virtual-time-and-verifiers)', async () => {
      const { sim, client } = await rig();
      // The jump puts iat 2 h ahead of the real clock: room for it in maxClockSkew.
      const auth = client({ maxClockSkew: 3 * 3600 });
      const tokens = await signIn(auth);
      auth.tokenManager.setTokens(tokens);
      sim.clock.advance('2h');
      const renewed = await auth.token.renewTokensWithRefresh({}, tokens.refreshToken!);
      expect(renewed.accessToken?.accessToken).not.toBe(tokens.accessToken?.accessToken);
      expect(renewed.refreshToken?.refreshToken).not.toBe(tokens.refreshToken?.refreshToken);
      expect(renewed.idToken?.claims.iat).toBe(Math.floor(sim.clock.now() / 1000));
    });

    it('introspects and revokes through the discovery endpoints (docs/fidelity/okta.md#okta-oidc-introspect, docs/fidelity/okta.md#okta-oidc-revoke)', async () => {
      const { client } = await rig();
      const auth = client();
      const tokens = await signIn(auth);
      expect(await auth.token.introspect(TokenKind.ACCESS, tokens.accessToken)).toMatchObject({
        active: true,
        username: 'ada@example.com',
      });
      await auth.revokeAccessToken(tokens.accessToken);
      await auth.revokeRefreshToken(tokens.refreshToken);
      expect(await auth.token.introspect(TokenKind.ACCESS, tokens.accessToken)).toMatchObject({
        active: false,
      });
      expect(await auth.token.introspect(TokenKind.REFRESH, tokens.refreshToken)).toMatchObject({
        active: false,
      });
    });

    it('reports an Okta OAuthError for a reused refresh token (docs/fidelity/okta.md#okta-oidc-refresh-tokens)', async () => {
      const { sim, client } = await rig();
      const auth = client({ maxClockSkew: 3600 });
      const tokens = await signIn(auth);
      await auth.token.renewTokensWithRefresh({}, tokens.refreshToken!);
      sim.clock.advance('31s');
      await expect(auth.token.renewTokensWithRefresh({}, tokens.refreshToken!)).rejects.toMatchObject({
        errorCode: 'invalid_grant',
        errorSummary: 'The refresh token is invalid or expired.',
      });
    });
  });
}
