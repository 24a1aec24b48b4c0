/**
 * okta-sdk-nodejs 8 in OAuth mode (`authorizationMode: 'PrivateKey'`) against the simulator, over msw and real
 * HTTP: the SDK gets an org-server access token with `client_credentials` and a `private_key_jwt` assertion
 * (src/oauth.js: `aud` = `{orgUrl}/oauth2/v1/token`, real-time `iat`/`exp` five minutes apart, a `jti`), then
 * calls the admin API with `Authorization: Bearer` (src/http.js), which accepts the org server's tokens
 * with the needed `okta.*` scope (docs/fidelity/okta.md#okta-bearer-on-admin).
 */
import http from 'node:http';
import { Client, DefaultRequestExecutor, OktaApiError } from '@okta/okta-sdk-nodejs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { setupSimulatorServer, startHttpServer } from '../../src/node/index.ts';
import { CLIENT_PRIVATE_JWK, oidcScenario } from '../support/oidc.ts';

// The SDK sends every request through https_proxy when one is set (src/http.js); the simulator is local.
delete process.env.https_proxy;
delete process.env.HTTPS_PROXY;

const PRISTINE_CLIENT_REQUEST = http.ClientRequest;

function useOrg(transport: 'msw' | 'http'): () => Promise<{ sim: Simulator; orgUrl: string }> {
  const closers: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return async () => {
    const sim = createSimulator(oidcScenario);
    if (transport === 'msw') {
      const server = setupSimulatorServer(sim);
      server.listen({ onUnhandledFrame: 'error' });
      closers.push(() => server.close());
      return { sim, orgUrl: sim.scenario.okta?.orgUrl ?? '' };
    }
    if (http.ClientRequest !== PRISTINE_CLIENT_REQUEST)
      throw new Error('msw is still intercepting node:http');
    const server = await startHttpServer(sim, { port: 0 });
    closers.push(server.close);
    return { sim, orgUrl: server.url };
  };
}

const sdk = (orgUrl: string, scopes: string[]) =>
  new Client({
    orgUrl,
    authorizationMode: 'PrivateKey',
    clientId: 'svc-jwt',
    scopes,
    privateKey: JSON.stringify({ ...CLIENT_PRIVATE_JWK, kid: 'test-key' }),
    keyId: 'test-key',
    requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }),
    cacheMiddleware: null,
  });

for (const transport of ['msw', 'http'] as const) {
  describe(`okta-sdk-nodejs OAuth mode [${transport}]`, () => {
    const org = useOrg(transport);

    it('reads a user through the admin API with an org-server token for okta.users.read (docs/fidelity/okta.md#okta-bearer-on-admin)', async () => {
      const { sim, orgUrl } = await org();
      const user = await sdk(orgUrl, ['okta.users.read']).userApi.getUser({ userId: 'ada@example.com' });
      expect(user.profile?.login).toBe('ada@example.com');
      const calls = sim.requests.all().map((entry) => [entry.operation, entry.status]);
      expect(calls).toEqual([
        ['token', 200],
        ['getUser', 200],
      ]);
      expect(sim.state.okta?.accessTokens[0]).toMatchObject({
        clientId: 'svc-jwt',
        sub: 'svc-jwt',
        scopes: ['okta.users.read'],
      });
    });

    it('gets 403 E0000006 with a token that lacks the scope (docs/fidelity/okta.md#okta-bearer-on-admin)', async () => {
      const { orgUrl } = await org();
      const error = await sdk(orgUrl, ['okta.groups.read'])
        .userApi.getUser({ userId: 'ada@example.com' })
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(OktaApiError);
      expect(error).toMatchObject({ status: 403, errorCode: 'E0000006' });
    });
  });
}
