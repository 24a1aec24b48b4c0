import { defineScenario } from '../src/index.ts';

/** The HTTP benchmark's org: a password-only Okta user and an Apigee token that lives for the whole run. */
export const BENCH_TOKEN = 'BenchAccessToken0000000000001';

/** The OIDC benchmark's redirect URI. */
export const BENCH_CALLBACK = 'http://localhost:8080/callback';

export const benchScenario = defineScenario({
  version: 1,
  clock: { start: '2026-01-01T00:00:00Z', frozen: true },
  okta: {
    // Rate limits would answer most of the load with 429s: this measures the simulator, not the limits.
    rateLimits: {
      authn: 0,
      verify: 0,
      sessions: 0,
      other: 0,
      authnPerUsernamePerSecond: 0,
      oauth2Authorize: 0,
      oauth2Token: 0,
      oauth2Other: 0,
    },
    users: [{ login: 'bench@example.com', password: 'Passw0rd!', firstName: 'Ben', lastName: 'Chmark' }],
    // The OIDC benchmark's client (bench/oidc.ts).
    apps: [{ clientId: 'bench-spa', type: 'browser', redirectUris: [BENCH_CALLBACK] }],
  },
  apigee: {
    tokens: { accessTokenLifetime: '30d' },
    developers: [{ email: 'dev@example.com' }],
    products: [{ name: 'orders', scopes: ['read'], resources: ['/v1/orders/**'] }],
    apps: [
      {
        name: 'web',
        developer: 'dev@example.com',
        keys: [{ consumerKey: 'web-key', consumerSecret: 'web-secret', products: ['orders'] }],
      },
    ],
    issuedTokens: [{ app: 'web', accessToken: BENCH_TOKEN }],
  },
});
