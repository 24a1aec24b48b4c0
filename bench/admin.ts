/**
 * The admin figures, in-process through `sim.answer` (the simulator's own request, no transport): the
 * Users API's list with a `filter` over 10,000 users (issue 11), and Apigee X's management app creation
 * (issue 13), each beside a same-run baseline said in its row.
 */
import { createSimulator, defineScenario, type Simulator } from '../src/index.ts';
import { median, ms, record, timeBatch } from './support.ts';

const ORG = 'https://dev-000000.okta.com';
const API_TOKEN = '00bench-api-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const MANAGEMENT = 'https://apigee.googleapis.com/v1/organizations/acme';
const USERS = 10_000;
/** One user in this many has the filtered last name: the filter scans all, the page holds 100. */
const SPREAD = 100;
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

const scenario = defineScenario({
  version: 1,
  clock: { start: '2026-01-01T00:00:00Z', frozen: true },
  okta: {
    apiTokens: [{ name: 'bench', token: API_TOKEN }],
    rateLimits: { authn: 0, verify: 0, sessions: 0, other: 0, authnPerUsernamePerSecond: 0 },
    users: Array.from({ length: USERS }, (_, i) => ({
      login: `user${i}@example.com`,
      password: 'Passw0rd!',
      firstName: `First${i}`,
      lastName: `Last${i % SPREAD}`,
    })),
  },
  apigee: {
    organization: 'acme',
    developers: [{ email: 'dev@example.com' }],
    products: [{ name: 'orders', scopes: ['read'], resources: ['/v1/orders/**'] }],
  },
});

async function answer(
  sim: Simulator,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<string> {
  const response = await sim.answer({
    method,
    url: new URL(url),
    headers: new Headers(headers),
    body: body === undefined ? EMPTY : encoder.encode(JSON.stringify(body)),
  });
  if (!response || response.status >= 300) {
    throw new Error(`${method} ${url}: ${response?.status} ${response?.body}`);
  }
  return response.body ?? '';
}

/** Alternating rounds of `ours` and `baseline`, `times` calls each; medians of ms per call. */
async function compare(
  rounds: number,
  times: number,
  ours: () => Promise<unknown>,
  baseline: () => unknown,
): Promise<[number, number]> {
  await timeBatch(Math.ceil(times / 4), ours);
  await timeBatch(Math.ceil(times / 4), baseline);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds; round++) {
    a.push((await timeBatch(times, ours)) / times);
    b.push((await timeBatch(times, baseline)) / times);
  }
  return [median(a), median(b)];
}

export async function admin(quick: boolean): Promise<void> {
  const rounds = quick ? 3 : 5;
  const sim = createSimulator(scenario);
  const okta = { Accept: 'application/json', Authorization: `SSWS ${API_TOKEN}` };

  // Users API: `filter` on the last name over 10,000 users, one page of the 100 that match.
  const filter = encodeURIComponent(`profile.lastName eq "Last${SPREAD - 1}"`);
  const listUrl = `${ORG}/api/v1/users?filter=${filter}&limit=200`;
  const page = JSON.parse(await answer(sim, 'GET', listUrl, okta)) as Record<string, unknown>[];
  if (page.length !== USERS / SPREAD) throw new Error(`the filter found ${page.length} users`);
  // The floor of that work: the same 10,000 users as plain objects of the same wire shape, filtered by a
  // plain Array.filter, the matches serialised.
  const template = page[0] as { profile: Record<string, unknown> };
  const plain = Array.from({ length: USERS }, (_, i) => ({
    ...template,
    id: `00u${i}`,
    profile: { ...template.profile, login: `user${i}@example.com`, lastName: `Last${i % SPREAD}` },
  }));
  const wanted = `Last${SPREAD - 1}`;
  const [list, listFloor] = await compare(
    rounds,
    quick ? 20 : 100,
    () => answer(sim, 'GET', listUrl, okta),
    () => JSON.stringify(plain.filter((user) => user.profile.lastName === wanted).slice(0, 200)),
  );
  record({
    section: 'admin',
    figure: `GET /api/v1/users?filter=profile.lastName eq ..., ${USERS.toLocaleString('en-US')} users, ${USERS / SPREAD} match`,
    ours: ms(list),
    baseline: `${ms(listFloor)} (Array.filter over the same users as plain objects + JSON.stringify)`,
    ratio: list / listFloor,
    target: '',
    met: null,
  });

  // Apigee X management: create a developer app with a product (a key pair made), beside reading one
  // back through the same path (routing, management auth, the app's JSON).
  const apigee = { 'Content-Type': 'application/json', Authorization: 'Bearer bench' };
  let made = 0;
  const create = () =>
    answer(sim, 'POST', `${MANAGEMENT}/developers/dev@example.com/apps`, apigee, {
      name: `app-${made++}`,
      apiProducts: ['orders'],
    });
  await create();
  const [creation, read] = await compare(rounds, quick ? 200 : 1000, create, () =>
    answer(sim, 'GET', `${MANAGEMENT}/developers/dev@example.com/apps/app-0`, apigee),
  );
  record({
    section: 'admin',
    figure: 'POST .../developers/{email}/apps (Apigee X management, one product)',
    ours: ms(creation),
    baseline: `${ms(read)} (GET of one app, same path)`,
    ratio: creation / read,
    target: '',
    met: null,
  });
}
