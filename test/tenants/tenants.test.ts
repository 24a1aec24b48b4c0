/**
 * Tenants over HTTP (docs/tenants.md): `POST /__sim/tenants` makes an isolated simulator reachable on its
 * own port and on the main port by Host `<id>.localhost`; each has its own clock, state, journal, fault
 * rules and control plane; links follow the URL used; limits answer 429; `GET` lists and `DELETE` ends.
 */
import { readFileSync } from 'node:fs';
import { request as rawRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import { libraryNames, libraryScenario } from '../../src/node/scenario-library.ts';
import { tenantOptionsFromFlags } from '../../src/node/tenant-flags.ts';
import { TENANT_OPERATIONS } from '../../src/node/tenants.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import { createTenant } from '../../src/tenant-client.ts';

const demo = parseScenario(readFileSync('scenarios/default.yaml', 'utf8'));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(options: Parameters<typeof startHttpServer>[1] = {}) {
  const sim = new SimulatorCore(demo);
  const server = await startHttpServer(sim, { port: 0, ...options });
  closers.push(server.close);
  return { sim, server, url: server.url, port: server.port };
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** A request with the Host header fetch will not send: the way to reach `<id>.localhost` from Node. */
function viaHost(
  port: number,
  host: string,
  method: string,
  path: string,
  json?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = rawRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        setHost: false,
        headers: {
          Host: host,
          ...(json !== undefined && { 'Content-Type': 'application/json' }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? JSON.parse(text) : null,
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(json === undefined ? undefined : JSON.stringify(json));
  });
}

async function call(url: string, method = 'GET', json?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(json !== undefined && { 'Content-Type': 'application/json' }), ...headers },
    ...(json !== undefined && { body: typeof json === 'string' ? json : JSON.stringify(json) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null } as Omit<Answer, 'headers'>;
}

const signIn = (url: string, username: string, password: string) =>
  call(`${url}/api/v1/authn`, 'POST', { username, password });

const userStatus = async (url: string, login: string) =>
  (await call(`${url}/__sim/state`)).body.okta.users.find((user: { login: string }) => user.login === login)
    .status;

describe('POST /__sim/tenants', () => {
  it('answers 201 with the tenant id, its own URL and its Host URL on the main port', async () => {
    const { url, port } = await serve();
    const made = await call(`${url}/__sim/tenants`, 'POST', {});
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      id: expect.stringMatching(/^t[a-z2-7]{10}$/),
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      hostUrl: `http://${made.body.id}.localhost:${port}`,
      scenario: 'Default demo org',
      ttl: '30m',
      pooled: false,
    });
    expect(made.body.url).not.toBe(url);
    expect(Date.parse(made.body.expiresAt) - Date.parse(made.body.lastUsedAt)).toBe(30 * 60_000);
  });

  it('serves Okta and Apigee at their real paths on its own port and by Host on the main port', async () => {
    const { url, port } = await serve();
    const { body: tenant } = await call(`${url}/__sim/tenants`, 'POST', { scenario: 'default' });
    expect((await signIn(tenant.url, 'password@example.com', 'Passw0rd!')).body.status).toBe('SUCCESS');
    const byHost = await viaHost(port, `${tenant.id}.localhost:${port}`, 'POST', '/api/v1/authn', {
      username: 'password@example.com',
      password: 'Passw0rd!',
    });
    expect(byHost.body.status).toBe('SUCCESS');
    const token = await fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa('web-key:web-secret')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const orders = await viaHost(port, `${tenant.id}.localhost:${port}`, 'GET', '/v1/orders', undefined, {
      Authorization: `Bearer ${access_token}`,
    });
    expect(orders.status).toBe(200);
    // Each request went to the tenant's journal, none to the main one.
    const journal = (await call(`${tenant.url}/__sim/requests`)).body;
    expect(journal.map((entry: { operation: string }) => entry.operation)).toEqual([
      'primaryAuthentication',
      'primaryAuthentication',
      'generateAccessToken',
      'verifyAccessToken',
    ]);
    expect((await call(`${url}/__sim/requests`)).body).toEqual([]);
  });

  it('writes links with the URL the client used: the own port, or the Host name', async () => {
    const { url, port } = await serve();
    const { body: tenant } = await call(`${url}/__sim/tenants`, 'POST', {});
    const credentials = { username: 'sms@example.com', password: 'Passw0rd!' };
    const direct = await call(`${tenant.url}/api/v1/authn`, 'POST', credentials);
    expect(direct.body._embedded.factors[0]._links.verify.href).toMatch(
      new RegExp(`^${tenant.url}/api/v1/authn/factors/`),
    );
    const host = `${tenant.id}.localhost:${port}`;
    const byHost = await viaHost(port, host, 'POST', '/api/v1/authn', credentials);
    expect(byHost.body._embedded.factors[0]._links.verify.href).toMatch(
      new RegExp(`^http://${host}/api/v1/authn/factors/`),
    );
  });

  it('gives each tenant its own state, clock, fault rules and control plane', async () => {
    const { url, port } = await serve();
    const a = (await call(`${url}/__sim/tenants`, 'POST', {})).body;
    const b = (await call(`${url}/__sim/tenants`, 'POST', {})).body;
    for (const password of ['x', 'y', 'z']) await signIn(a.url, 'password@example.com', password);
    expect(await userStatus(a.url, 'password@example.com')).toBe('LOCKED_OUT');
    expect(await userStatus(b.url, 'password@example.com')).toBe('ACTIVE');
    expect(await userStatus(url, 'password@example.com')).toBe('ACTIVE');

    const before = (await call(`${url}/__sim/clock`)).body.now;
    await viaHost(port, `${b.id}.localhost:${port}`, 'POST', '/__sim/clock', { advance: '30d' });
    const bNow = Date.parse((await call(`${b.url}/__sim/clock`)).body.now);
    expect(bNow - Date.parse(before)).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(Date.parse((await call(`${a.url}/__sim/clock`)).body.now) - Date.parse(before)).toBeLessThan(
      86_400_000,
    );

    await call(`${b.url}/__sim/faults`, 'POST', {
      match: { operation: 'primaryAuthentication' },
      effect: { type: 'status', status: 503 },
    });
    expect((await signIn(b.url, 'totp@example.com', 'Passw0rd!')).status).toBe(503);
    expect((await signIn(url, 'totp@example.com', 'Passw0rd!')).status).toBe(200);
    await call(`${a.url}/__sim/reset`, 'POST');
    expect(await userStatus(a.url, 'password@example.com')).toBe('ACTIVE');
  });

  it('takes a scenario object or a library name, and says which names exist', async () => {
    const { url } = await serve();
    const fromObject = await call(`${url}/__sim/tenants`, 'POST', {
      scenario: {
        version: 1,
        name: 'mine',
        okta: { users: [{ login: 'me@example.com', password: 'Passw0rd!' }] },
      },
      ttl: '2h',
    });
    expect(fromObject.body).toMatchObject({ scenario: 'mine', ttl: '2h' });
    expect((await signIn(fromObject.body.url, 'me@example.com', 'Passw0rd!')).body.status).toBe('SUCCESS');
    const named = await call(`${url}/__sim/tenants`, 'POST', { scenario: 'okta/lockout-hidden-by-default' });
    expect(named.body.scenario).toBe('okta/lockout-hidden-by-default');
    expect((await call(`${named.body.url}/__sim/clock`)).body).toEqual({
      now: '2026-01-01T00:00:00.000Z',
      frozen: true,
    });

    const typo = await call(`${url}/__sim/tenants`, 'POST', { scenario: 'okta/lockout-hiden-by-default' });
    expect(typo.status).toBe(404);
    expect(typo.body.error).toMatchObject({
      code: 'unknown_scenario',
      suggestion: 'okta/lockout-hidden-by-default',
    });
    for (const name of ['../package', '/etc/passwd', 'okta/../../package', 'schema']) {
      expect((await call(`${url}/__sim/tenants`, 'POST', { scenario: name })).body.error.code).toBe(
        'unknown_scenario',
      );
    }
  });

  it('refuses bad bodies with a 400 and makes nothing', async () => {
    const { url, server } = await serve();
    const invalid = await call(`${url}/__sim/tenants`, 'POST', {
      scenario: { version: 1, okta: { users: 5 } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_scenario' });
    expect(invalid.body.error.issues[0].path).toBe('okta.users');
    for (const body of [
      '{',
      '[]',
      { scenario: 5 },
      { ttl: 'soon' },
      { ttl: '0s' },
      { ttl: '8d' },
      { extra: 1 },
    ]) {
      const answer = await call(`${url}/__sim/tenants`, 'POST', body);
      expect([answer.status, answer.body.error.code]).toEqual([400, 'bad_request']);
    }
    expect(server.tenants?.list()).toEqual([]);
  });
});

describe('GET and DELETE /__sim/tenants', () => {
  it('lists tenants, shows one, and ends one: its Host answers 404 and its port closes', async () => {
    const { url, port } = await serve();
    const a = (await call(`${url}/__sim/tenants`, 'POST', {})).body;
    const b = (await call(`${url}/__sim/tenants`, 'POST', {})).body;
    expect((await call(`${url}/__sim/tenants`)).body.map((tenant: { id: string }) => tenant.id)).toEqual([
      a.id,
      b.id,
    ]);
    expect((await call(`${url}/__sim/tenants/${a.id}`)).body).toMatchObject({ id: a.id, url: a.url });
    expect(await call(`${url}/__sim/tenants/${a.id}`, 'DELETE')).toEqual({ status: 200, body: { ok: true } });
    expect((await call(`${url}/__sim/tenants`)).body.map((tenant: { id: string }) => tenant.id)).toEqual([
      b.id,
    ]);
    const gone = await viaHost(port, `${a.id}.localhost:${port}`, 'GET', '/__sim/health');
    expect([gone.status, gone.body.error.code]).toEqual([404, 'unknown_tenant']);
    await expect(fetch(`${a.url}/__sim/health`)).rejects.toThrow();
    expect((await call(`${url}/__sim/tenants/${a.id}`, 'DELETE')).body.error.code).toBe('unknown_tenant');
    expect((await call(`${url}/__sim/tenants/${a.id}`)).status).toBe(404);
    expect((await call(`${url}/__sim/tenants`, 'PUT')).status).toBe(405);
    expect((await call(`${url}/__sim/tenants/${b.id}/more`)).status).toBe(404);
  });

  it('answers other *.localhost names with the main simulator, as before', async () => {
    const { port } = await serve();
    const answer = await viaHost(port, `app.localhost:${port}`, 'POST', '/api/v1/authn', {
      username: 'password@example.com',
      password: 'Passw0rd!',
    });
    expect(answer.body.status).toBe('SUCCESS');
  });

  it('ends the tenants with the server', async () => {
    const sim = new SimulatorCore(demo);
    const server = await startHttpServer(sim, { port: 0 });
    const tenant = await server.tenants!.create();
    expect((await fetch(`${tenant.url}/__sim/health`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${tenant.url}/__sim/health`)).rejects.toThrow();
  });
});

describe('tenant limits', () => {
  it('answers 429 tenant_limit past the number of tenants, until one ends', async () => {
    const { url } = await serve({ tenants: { limit: 2 } });
    const a = (await call(`${url}/__sim/tenants`, 'POST', {})).body;
    await call(`${url}/__sim/tenants`, 'POST', {});
    const refused = await call(`${url}/__sim/tenants`, 'POST', {});
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'tenant_limit',
      hint: expect.stringContaining('--max-tenants'),
    });
    await call(`${url}/__sim/tenants/${a.id}`, 'DELETE');
    expect((await call(`${url}/__sim/tenants`, 'POST', {})).status).toBe(201);
  });

  it('answers 429 memory_budget when the heap in use is over the budget', async () => {
    const { url, server } = await serve({ tenants: { memoryBudget: 1024 } });
    const refused = await call(`${url}/__sim/tenants`, 'POST', {});
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'memory_budget',
      hint: expect.stringContaining('--tenant-memory'),
    });
    expect(server.tenants?.list()).toEqual([]);
  });

  it('has no tenants API with tenants: false', async () => {
    const { url, server } = await serve({ tenants: false });
    expect(server.tenants).toBeUndefined();
    const answer = await call(`${url}/__sim/tenants`, 'POST', {});
    expect([answer.status, answer.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('the tenant pool', () => {
  it('makes the pool at start, hands out a pooled tenant to a POST without a scenario, and refills', async () => {
    const { url, server } = await serve({ tenants: { pool: 2 } });
    const pooled = (await call(`${url}/__sim/tenants`)).body;
    expect(pooled.map((tenant: { pooled: boolean }) => tenant.pooled)).toEqual([true, true]);
    expect(pooled[0].expiresAt).toBeNull();
    const taken = (await call(`${url}/__sim/tenants`, 'POST', { ttl: '10m' })).body;
    expect(taken).toMatchObject({ id: pooled[0].id, pooled: false, ttl: '10m' });
    await vi.waitFor(() => expect(server.tenants?.list().filter((tenant) => tenant.pooled)).toHaveLength(2), {
      timeout: 10_000,
    });
    // A scenario of its own is made afresh.
    const own = (await call(`${url}/__sim/tenants`, 'POST', { scenario: 'default' })).body;
    expect(pooled.map((tenant: { id: string }) => tenant.id)).not.toContain(own.id);
  });

  it('resets a pooled tenant when handing it out', async () => {
    const { url, server } = await serve({ tenants: { pool: 1 } });
    const [waiting] = server.tenants!.list();
    for (const password of ['x', 'y', 'z']) await signIn(waiting!.url, 'password@example.com', password);
    const taken = (await call(`${url}/__sim/tenants`, 'POST')).body;
    expect(taken.id).toBe(waiting!.id);
    expect(await userStatus(taken.url, 'password@example.com')).toBe('ACTIVE');
  });

  it('drops pooled tenants of a scenario the server no longer serves', async () => {
    const { url } = await serve({ tenants: { pool: 1 } });
    const [stale] = (await call(`${url}/__sim/tenants`)).body;
    const replaced = await fetch(`${url}/__sim/scenario`, {
      method: 'PUT',
      body: 'version: 1\nname: replaced\nokta: { users: [{ login: new@example.com, password: Passw0rd! }] }\n',
    });
    expect(replaced.status).toBe(200);
    const taken = (await call(`${url}/__sim/tenants`, 'POST')).body;
    expect(taken.id).not.toBe(stale.id);
    expect(taken.scenario).toBe('replaced');
    expect((await call(`${url}/__sim/tenants/${stale.id}`)).status).toBe(404);
  });
});

describe("the tenants API's guard", () => {
  it("is the control plane's: foreign origins get 403, and a control token is needed when set", async () => {
    const { port } = await serve({ controlToken: 's3cret' });
    const foreign = await viaHost(
      port,
      `127.0.0.1:${port}`,
      'POST',
      '/__sim/tenants',
      {},
      {
        Origin: 'https://evil.example',
        Authorization: 'Bearer wrong',
      },
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'forbidden_origin']);
    const bare = await viaHost(port, `127.0.0.1:${port}`, 'POST', '/__sim/tenants', {});
    expect([bare.status, bare.body.error.code]).toEqual([401, 'unauthorized']);
    const made = await viaHost(
      port,
      `127.0.0.1:${port}`,
      'POST',
      '/__sim/tenants',
      {},
      {
        Authorization: 'Bearer s3cret',
      },
    );
    expect(made.status).toBe(201);
    // The tenant's own port and its Host have the same guard.
    expect((await fetch(`${made.body.url}/__sim/state`)).status).toBe(401);
    const byHost = await viaHost(port, `${made.body.id}.localhost:${port}`, 'GET', '/__sim/state');
    expect(byHost.status).toBe(401);
    const tenant = await createTenant(`http://127.0.0.1:${port}`, { controlToken: 's3cret' });
    expect((await tenant.state()).okta?.users.length).toBeGreaterThan(0);
  });
});

describe('createTenant', () => {
  it("drives a tenant's control plane and ends it", async () => {
    const { url, server } = await serve();
    const tenant = await createTenant(url, { scenario: 'okta/lockout-hidden-by-default', ttl: '5m' });
    expect(tenant.hostUrl).toBe(`http://${tenant.id}.localhost:${server.port}`);
    expect(await tenant.clock({ advance: '1h' })).toEqual({ now: '2026-01-01T01:00:00.000Z', frozen: true });
    expect(await tenant.run({ action: 'okta.lockUser', login: 'ada@example.com' })).toBeNull();
    expect((await tenant.state()).okta?.users[0]?.status).toBe('LOCKED_OUT');
    const id = await tenant.injectFault({
      match: { operation: 'primaryAuthentication' },
      effect: { type: 'status', status: 500 },
    });
    expect(id).toBeGreaterThan(0);
    expect((await signIn(tenant.url, 'ada@example.com', 'Passw0rd!')).status).toBe(500);
    expect((await tenant.requests(1)).map((entry) => entry.status)).toEqual([500]);
    await tenant.reset();
    expect(await tenant.clock()).toEqual({ now: '2026-01-01T00:00:00.000Z', frozen: true });
    await tenant.end();
    await tenant.end();
    expect(server.tenants?.list()).toEqual([]);
    await expect(createTenant(url, { scenario: 'nope' })).rejects.toThrow(/404 unknown_scenario/);
  });
});

describe('serve and the tenant flags', () => {
  it('reads --tenants, --max-tenants, --tenant-memory and --tenant-ttl', () => {
    expect(
      tenantOptionsFromFlags({
        tenants: '4',
        'max-tenants': '50',
        'tenant-memory': '512',
        'tenant-ttl': '10m',
      }),
    ).toEqual({ pool: 4, limit: 50, memoryBudget: 512 * 2 ** 20, ttl: '10m' });
    expect(tenantOptionsFromFlags({})).toEqual({});
    expect(tenantOptionsFromFlags({ tenants: 'x' })).toMatch(/Invalid --tenants "x"/);
    expect(tenantOptionsFromFlags({ tenants: '5', 'max-tenants': '4' })).toMatch(/more than --max-tenants 4/);
    expect(tenantOptionsFromFlags({ 'tenant-memory': '0' })).toMatch(/at least 1/);
    expect(tenantOptionsFromFlags({ 'tenant-ttl': '0s' })).toMatch(/Invalid --tenant-ttl/);
  });

  it('refuses bad tenant flags before listening', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['serve', '--port', '0', '--tenants', 'many'])).toBe(2);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/--tenants/));
  });
});

describe('the scenario library by name', () => {
  it('lists the shipped scenarios by name and reads only those', () => {
    const names = libraryNames();
    expect(names).toContain('default');
    expect(names).toContain('okta/lockout-hidden-by-default');
    expect(names).not.toContain('schema');
    expect(libraryScenario('okta/lockout-auto-unlock.yaml')).toBe(
      libraryScenario('okta/lockout-auto-unlock'),
    );
    expect(() => libraryScenario('../package')).toThrow(/No scenario/);
  });
});

describe('the documentation', () => {
  it('lists every tenants operation in docs/control-plane.md', () => {
    const page = readFileSync('docs/control-plane.md', 'utf8');
    for (const op of TENANT_OPERATIONS) {
      const path = op.path.replace(/:(\w+)/g, '{$1}');
      expect(page).toMatch(new RegExp(`\\| \`${op.method}\` +\\| \`${path.replace(/[{}]/g, '\\$&')}\` +\\|`));
    }
  });
});
