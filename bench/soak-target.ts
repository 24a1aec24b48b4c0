/**
 * The soak benchmark's server process: the standalone server on a scenario made for a long run, which
 * reports its memory (after a full collection) and record counts when its parent asks.
 *
 *   node --import tsx --expose-gc bench/soak-target.ts running|frozen
 */
import { createSimulator, defineScenario } from '../src/index.ts';
import { startHttpServer } from '../src/node/http-server.ts';

const mode = process.argv[2] === 'frozen' ? 'frozen' : 'running';

const sim = createSimulator(
  defineScenario({
    version: 1,
    clock: { start: mode === 'frozen' ? '2026-01-01T00:00:00Z' : 'now', frozen: mode === 'frozen' },
    okta: {
      rateLimits: { authn: 0, verify: 0, sessions: 0, other: 0, authnPerUsernamePerSecond: 0 },
      policy: { sessionTokenLifetime: '5s' },
      users: [{ login: 'soak@example.com', password: 'Passw0rd!', firstName: 'So', lastName: 'Ak' }],
    },
    apigee: {
      tokens: { accessTokenLifetime: '5s', refreshTokenLifetime: '10s', retention: '10s' },
      developers: [{ email: 'dev@example.com' }],
      products: [{ name: 'orders', scopes: ['read'], resources: ['/v1/orders/**'] }],
      apps: [
        {
          name: 'web',
          developer: 'dev@example.com',
          keys: [{ consumerKey: 'web-key', consumerSecret: 'web-secret', products: ['orders'] }],
        },
      ],
    },
  }),
);
const server = await startHttpServer(sim, { port: 0 });
console.log(server.url);

process.on('message', () => {
  (globalThis as { gc?: () => void }).gc?.();
  // A view with no entries still counts every collection in `truncated`.
  const counts = sim.stateView(0).truncated ?? {};
  process.send?.({
    rss: process.memoryUsage.rss(),
    heapUsed: process.memoryUsage().heapUsed,
    tokens: counts['apigee.tokens'] ?? 0,
    journal: sim.requests.size,
    transactions: counts['okta.transactions'] ?? 0,
  });
});
