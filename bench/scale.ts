import { createSimulator, defineScenario, type Simulator } from '../src/index.ts';
import { bytes, collect, count, median, ms, record, timeEach } from './support.ts';

const RUNTIME = 'https://acme-test.apigee.net';

/** One developer; `target` owns 1% of the tokens, `others` the rest (RevokeOAuthV2 by app). */
const scenario = defineScenario({
  version: 1 as const,
  clock: { start: '2026-01-01T00:00:00Z', frozen: true },
  apigee: {
    tokens: { accessTokenLifetime: '30d' },
    developers: [{ email: 'dev@example.com' }],
    products: [{ name: 'orders', scopes: ['read'], resources: ['/v1/**'] }],
    apps: [
      {
        name: 'target',
        developer: 'dev@example.com',
        keys: [{ consumerKey: 'target-key', consumerSecret: 's', products: ['orders'] }],
      },
      {
        name: 'others',
        developer: 'dev@example.com',
        keys: [{ consumerKey: 'others-key', consumerSecret: 's', products: ['orders'] }],
      },
    ],
  },
});

/** Issues `total` client_credentials tokens through the same code the token endpoint runs. */
async function fill(sim: Simulator, total: number): Promise<string[]> {
  const sample: string[] = [];
  for (let i = 0; i < total; i++) {
    const app = i % 100 === 0 ? 'target' : 'others';
    const { accessToken } = await sim.apigee.issueToken({ app });
    if (i % Math.ceil(total / 1000) === 0) sample.push(accessToken);
  }
  return sample;
}

async function verifyLatency(sim: Simulator, tokens: readonly string[]): Promise<number> {
  let i = 0;
  const one = async () => {
    const token = tokens[i++ % tokens.length] as string;
    const response = await sim.fetch(
      new Request(`${RUNTIME}/v1/orders/1`, { headers: { Authorization: `Bearer ${token}` } }),
    );
    if (response?.status !== 200) throw new Error(`verify answered ${response?.status}`);
  };
  for (let w = 0; w < 500; w++) await one();
  return timeEach(2000, one);
}

/**
 * Scale figures: VerifyAccessToken latency with few and with many live tokens, RevokeOAuthV2 by app over
 * the many, and heap bytes per token.
 */
export async function scale(quick: boolean): Promise<void> {
  const few = 1_000;
  const many = quick ? 100_000 : 1_000_000;

  const small = createSimulator(scenario);
  const smallTokens = await fill(small, few);

  collect();
  const before = process.memoryUsage().heapUsed;
  const big = createSimulator(scenario);
  const started = performance.now();
  const bigTokens = await fill(big, many);
  const fillMs = performance.now() - started;
  big.requests.clear();
  collect();
  const perToken = (process.memoryUsage().heapUsed - before) / many;
  // Alternating rounds once both stores exist, so that both lookups run under the same heap and the same
  // neighbours on the machine: what differs is the store's size alone.
  const smallRounds: number[] = [];
  const bigRounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    smallRounds.push(await verifyLatency(small, smallTokens));
    bigRounds.push(await verifyLatency(big, bigTokens));
  }
  const smallLatency = median(smallRounds);
  const bigLatency = median(bigRounds);

  // One measured revocation over the full store (a second would find nothing left to revoke).
  const revokeStarted = performance.now();
  const revoked = big.apigee.revokeAll({ app: 'target', cascade: true });
  const revokeMs = performance.now() - revokeStarted;

  record({
    section: 'scale',
    figure: `VerifyAccessToken with ${count(many)} live tokens`,
    ours: ms(bigLatency),
    baseline: `${ms(smallLatency)} (${count(few)} tokens)`,
    ratio: bigLatency / smallLatency,
    target: '<= 1.5x',
    met: bigLatency / smallLatency <= 1.5,
  });
  record({
    section: 'scale',
    figure: `RevokeOAuthV2 by app over ${count(many)} tokens (${count(revoked)} revoked)`,
    ours: ms(revokeMs),
    baseline: '',
    ratio: null,
    target: '< 50 ms',
    met: revokeMs < 50,
  });
  record({
    section: 'scale',
    figure: 'heap per live token',
    ours: bytes(perToken),
    baseline: `(${count(many)} issued in ${ms(fillMs)})`,
    ratio: null,
    target: '<= 1,024 B',
    met: perToken <= 1024,
  });
}
