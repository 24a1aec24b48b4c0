/**
 * Bad input and hostile requests that once broke the simulator: each answers a 4xx (or the vendor's
 * documented answer) and leaves state unchanged.
 */
import { generateKeyPairSync } from 'node:crypto';
import { request as rawRequest } from 'node:http';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSimulator } from '../../src/create-simulator.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import { ScenarioError } from '../../src/scenario/issues.ts';
import { parseScenario, validateScenario } from '../../src/scenario/parse.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { UnsimulatedRequestError } from '../../src/simulator.ts';
import { apigeeScenario, baseScenario, JWT_APP, PASSWORD, T0, withApigee } from '../support/scenarios.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(
  scenario: ScenarioInput = baseScenario,
  options: Parameters<typeof startHttpServer>[1] = {},
) {
  const sim = createSimulator(scenario);
  const server = await startHttpServer(sim, { port: 0, ...options });
  closers.push(server.close);
  return { sim, url: server.url, port: server.port };
}

/** A request with headers fetch would not send (a bad Host, an Origin of another site). */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = rawRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        setHost: !options.headers || !Object.keys(options.headers).some((h) => h.toLowerCase() === 'host'),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'Content-Type': 'application/json' };

describe('the clock', () => {
  for (const command of [{ advance: '99999999999999d' }, { advance: 1e308 }, { set: 1e300 }, { set: -1 }]) {
    it(`refuses ${JSON.stringify(command)} with 400 and keeps its time`, async () => {
      const { url } = await serve();
      const before = await (await fetch(`${url}/__sim/clock`)).json();
      const reply = await fetch(`${url}/__sim/clock`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(command),
      });
      expect(reply.status).toBe(400);
      expect(await (await fetch(`${url}/__sim/clock`)).json()).toEqual(before);
      const state = await fetch(`${url}/__sim/state`);
      expect(state.status).toBe(200);
      const authn = await fetch(`${url}/api/v1/authn`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'ada@example.com', password: PASSWORD }),
      });
      expect(authn.status).toBe(200);
    });
  }

  it('signs in at the last instant it accepts', async () => {
    const { url } = await serve();
    const set = await fetch(`${url}/__sim/clock`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ set: '9999-12-31T23:59:59.999Z' }),
    });
    expect(set.status).toBe(200);
    const authn = await fetch(`${url}/api/v1/authn`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'ada@example.com', password: PASSWORD }),
    });
    expect(authn.status).toBe(200);
    expect((await authn.json()).status).toBe('SUCCESS');
  });

  it('refuses a scenario duration over 100 years at validation, with its line', () => {
    const text = `version: 1\nokta:\n  policy:\n    stateTokenLifetime: 999999999999d\n`;
    expect(() => parseScenario(text)).toThrow(ScenarioError);
    try {
      parseScenario(text);
    } catch (error) {
      const [issue] = (error as ScenarioError).issues;
      expect(issue?.path).toBe('okta.policy.stateTokenLifetime');
      expect(issue?.line).toBe(4);
      expect(issue?.message).toMatch(/maximum, 36500d/);
    }
  });
});

describe('JWT refresh tokens', () => {
  it('rotate once when the same refresh token is spent 50 times in parallel', async () => {
    const sim = createSimulator(apigeeScenario);
    const issued = await sim.apigee.issueToken({ app: 'jwt-app', grantType: 'password', endUser: 'ada' });
    const basic = `Basic ${btoa(`${JWT_APP.clientId}:${JWT_APP.clientSecret}`)}`;
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        sim.fetch(
          new Request('https://acme-test.apigee.net/oauth/token', {
            method: 'POST',
            headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: `grant_type=refresh_token&refresh_token=${issued.refreshToken}`,
          }),
        ),
      ),
    );
    const statuses = replies.map((reply) => reply?.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(49);
  });
});

describe('fault rules', () => {
  for (const code of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    it(`refuse the vendor-error code "${code}" that every object inherits`, async () => {
      const sim = createSimulator(baseScenario);
      expect(() => sim.faults.inject({ effect: { type: 'vendor-error', code } })).toThrow(ScenarioError);
      const { url } = await serve();
      const reply = await fetch(`${url}/__sim/faults`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ effect: { type: 'vendor-error', code } }),
      });
      expect(reply.status).toBe(400);
      expect(await (await fetch(`${url}/__sim/faults`)).json()).toEqual([]);
    });
  }

  for (const [what, effect] of [
    ['an interim status 101', { type: 'status', status: 101 }],
    ['an interim status 103 on a malformed body', { type: 'malformed-body', status: 103 }],
    ['a content type with CR/LF', { type: 'status', status: 502, contentType: 'text/html\r\nX-A: b' }],
    ['a non-Latin-1 content type', { type: 'status', status: 502, contentType: 'text/html; x=\u20ac' }],
    ['a latency of 25 days (past the longest timer)', { type: 'latency', ms: '25d' }],
  ] as const) {
    it(`refuse ${what}`, () => {
      const sim = createSimulator(baseScenario);
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      expect(() => sim.faults.inject({ effect: effect as any })).toThrow(ScenarioError);
      expect(sim.faults.list()).toEqual([]);
    });
  }
});

describe('/login/sessionCookieRedirect', () => {
  async function sessionToken(sim: ReturnType<typeof createSimulator>): Promise<string> {
    const reply = await sim.fetch(
      new Request('https://dev-000000.okta.com/api/v1/authn', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'ada@example.com', password: PASSWORD }),
      }),
    );
    return (await (reply as Response).json()).sessionToken;
  }

  function redirect(sim: ReturnType<typeof createSimulator>, token: string, redirectUrl: string) {
    const query = new URLSearchParams({ token, redirectUrl });
    return sim.fetch(
      new Request(`https://dev-000000.okta.com/login/sessionCookieRedirect?${query}`, { redirect: 'manual' }),
    ) as Promise<Response>;
  }

  for (const target of [
    'http://localhost:3000/caf\u00e9',
    'http://localhost:3000/a\r\nSet-Cookie: x=1',
    'http://localhost:3000/\u0000',
  ]) {
    it(`redirects to ${JSON.stringify(target)} with a percent-encoded Location`, async () => {
      const sim = createSimulator(baseScenario);
      const reply = await redirect(sim, await sessionToken(sim), target);
      expect(reply.status).toBe(302);
      expect(reply.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/[\x21-\x7e]*$/);
      expect(reply.headers.get('set-cookie')).toMatch(/^sid=/);
    });
  }

  for (const target of [
    'javascript:alert(1)',
    '//evil.example/',
    'https://evil.example/cb',
    '/\\evil.example',
  ]) {
    it(`refuses ${JSON.stringify(target)} with 403, no cookie, and the sessionToken unspent`, async () => {
      const sim = createSimulator(baseScenario);
      const token = await sessionToken(sim);
      const reply = await redirect(sim, token, target);
      expect(reply.status).toBe(403);
      expect(reply.headers.get('location')).toBeNull();
      expect(reply.headers.get('set-cookie')).toBeNull();
      expect(sim.state.okta?.sessions).toEqual([]);
      const retry = await redirect(sim, token, 'http://localhost:3000/app');
      expect(retry.status).toBe(302);
      expect(retry.headers.get('set-cookie')).toMatch(/^sid=/);
    });
  }

  it('accepts the POST form', async () => {
    const sim = createSimulator(baseScenario);
    const token = await sessionToken(sim);
    const reply = (await sim.fetch(
      new Request('https://dev-000000.okta.com/login/sessionCookieRedirect', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, redirectUrl: 'http://localhost:3000/app' }).toString(),
        redirect: 'manual',
      }),
    )) as Response;
    expect(reply.status).toBe(302);
    expect(reply.headers.get('location')).toBe('http://localhost:3000/app');
    expect(sim.state.okta?.sessions).toHaveLength(1);
  });
});

describe('the control plane of a served simulator', () => {
  it('refuses a cross-origin text/plain POST from another site with 403 and changes nothing', async () => {
    const { port, sim } = await serve();
    const before = sim.clock.now();
    for (const path of ['/__sim/clock', '/__sim/reset', '/__sim/faults', '/__sim/actions']) {
      const reply = await raw(port, {
        method: 'POST',
        path,
        headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
        body: '{"advance":"1h"}',
      });
      expect(reply.status).toBe(403);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(sim.clock.now()).toBe(before);
  });

  it('refuses a Host that is not this machine (DNS rebinding) with 403', async () => {
    const { port } = await serve();
    const reply = await raw(port, { path: '/__sim/state', headers: { Host: 'rebind.evil.example:4455' } });
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('consumerSecret');
  });

  it('answers loopback pages and hosts, and --allowed-host names', async () => {
    const { port } = await serve(baseScenario, { allowedHosts: ['sim.test'] });
    const cases: Record<string, string>[] = [
      { Host: `localhost:${port}` },
      { Host: `127.0.0.1:${port}`, Origin: 'http://localhost:5173' },
      { Host: `tenant-1.localhost:${port}` },
      { Host: `sim.test:${port}` },
    ];
    for (const headers of cases) {
      expect((await raw(port, { path: '/__sim/health', headers })).status).toBe(200);
    }
  });

  it('gives CORS headers to --cors-origin origins only, and admits them', async () => {
    const { port } = await serve(baseScenario, { corsOrigins: ['https://app.example'] });
    const allowed = await raw(port, { path: '/__sim/clock', headers: { Origin: 'https://app.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    const local = await raw(port, { path: '/__sim/clock', headers: { Origin: 'http://localhost:3000' } });
    expect(local.status).toBe(200);
    expect(local.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await raw(port, {
      method: 'OPTIONS',
      path: '/__sim/clock',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
  });

  it('admits any origin and host that sends the control token', async () => {
    const { port } = await serve(baseScenario, { controlToken: 'sekrit' });
    const headers = { Origin: 'https://evil.example', Host: 'elsewhere.example' };
    expect((await raw(port, { path: '/__sim/health', headers })).status).toBe(403);
    expect((await raw(port, { path: '/__sim/health', headers: { Host: `127.0.0.1:${port}` } })).status).toBe(
      401,
    );
    const reply = await raw(port, {
      path: '/__sim/health',
      headers: { ...headers, Authorization: 'Bearer sekrit' },
    });
    expect(reply.status).toBe(200);
  });
});

describe('the HTTP server', () => {
  for (const host of ['a b', '[::1', 'localhost:99999', 'a/b', 'user@host']) {
    it(`answers a request with Host ${JSON.stringify(host)} with 400`, async () => {
      const { port, sim } = await serve();
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const reply = await raw(port, { path: '/api/v1/users/me', headers: { Host: host } });
      expect(reply.status).toBe(400);
      expect(errors).not.toHaveBeenCalled();
      expect(sim.requests.size).toBe(0);
    });
  }
});

describe('scenarios that once passed validation and failed later', () => {
  it('report an orgUrl that is not a URL with its line and column', async () => {
    const text = 'version: 1\nokta:\n  orgUrl: "not a url"\n';
    expect(() => parseScenario(text)).toThrow(ScenarioError);
    try {
      parseScenario(text);
    } catch (error) {
      expect((error as ScenarioError).issues).toEqual([
        expect.objectContaining({ path: 'okta.orgUrl', line: 3, column: 11 }),
      ]);
    }
    const sim = createSimulator(baseScenario);
    expect(() => sim.load({ version: 1, okta: { orgUrl: 'not a url' } })).toThrow(ScenarioError);
    const { url } = await serve();
    const reply = await fetch(`${url}/__sim/scenario`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/yaml' },
      body: text,
    });
    expect(reply.status).toBe(400);
  });

  it('refuse a YAML alias bomb', () => {
    const bomb = [
      'version: 1',
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'description: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    expect(() => parseScenario(bomb)).toThrow(ScenarioError);
  });

  it('refuse a JWT privateKey that is not an RSA PKCS#8 key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    for (const privateKey of [
      'not a key',
      ec,
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
    ]) {
      expect(() => validateScenario(withApigee({ tokens: { format: 'jwt', jwt: { privateKey } } }))).toThrow(
        /privateKey/,
      );
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    expect(() => validateScenario(withApigee({ tokens: { jwt: { privateKey: rsa } } }))).not.toThrow();
  });

  for (const [what, nested] of [
    ['flow collections', `[${'['.repeat(100_000)}${']'.repeat(100_000)}]`],
    ['block sequences', `\n  ${'- '.repeat(100_000)}x`],
  ]) {
    it(`refuse 200 KB of nested ${what} quickly`, async () => {
      const text = `version: 1\ndescription: ${nested}\n`;
      const started = performance.now();
      expect(() => parseScenario(text)).toThrow(/Nested more than 64 levels/);
      expect(performance.now() - started).toBeLessThan(200);
      const { url, sim } = await serve();
      const reply = await fetch(`${url}/__sim/scenario`, { method: 'PUT', body: text });
      expect(reply.status).toBe(400);
      expect(sim.scenario.name).toBe('test org');
    });
  }

  it('still read quotes and brackets inside quoted and plain text', () => {
    const scenario = parseScenario(
      `version: 1\nname: "[[[[ don't ]]"\ndescription: it's [fine] {really}\nokta:\n  users: [{ login: "a@example.com" }]\n`,
    );
    expect(scenario.name).toBe("[[[[ don't ]]");
  });
});

describe('listings of a long run', () => {
  it('/__sim/requests answers the latest `limit` entries, 1,000 by default, and cuts long URLs', async () => {
    const { url, sim } = await serve();
    const long = 'x'.repeat(15_000);
    for (let i = 0; i < 1_005; i++) {
      await sim.fetch(
        new Request(`https://dev-000000.okta.com/api/v1/sessions/me?${i === 1_004 ? long : i}`),
      );
    }
    const all = await (await fetch(`${url}/__sim/requests`)).json();
    expect(all).toHaveLength(1_000);
    expect(all.at(-1).url.length).toBeLessThan(2_100);
    const some = await (await fetch(`${url}/__sim/requests?limit=3`)).json();
    expect(some.map((entry: { seq: number }) => entry.seq)).toEqual([1_003, 1_004, 1_005]);
    expect((await fetch(`${url}/__sim/requests?limit=lots`)).status).toBe(400);
  });

  it('/__sim/state cuts each collection at 1,000 with a truncated count, unless ?full=1', async () => {
    const { url, sim } = await serve(apigeeScenario);
    for (let i = 0; i < 1_200; i++) await sim.apigee.issueToken({ app: 'web' });
    const cut = await (await fetch(`${url}/__sim/state`)).json();
    const total = cut.apigee.tokens.length + cut.truncated['apigee.tokens'];
    expect(cut.apigee.tokens).toHaveLength(1_000);
    expect(total).toBe(sim.state.apigee?.tokens.length);
    const full = await (await fetch(`${url}/__sim/state?full=1`)).json();
    expect(full.apigee.tokens).toHaveLength(total);
    expect(full.truncated).toBeUndefined();
  });
});

describe('requests no simulated operation answers', () => {
  const discovery = 'https://dev-000000.okta.com/oauth2/default/v1/device/authorize';

  describe('through msw', () => {
    const server = setupServer();
    beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
    afterEach(() => server.resetHandlers());
    afterAll(() => server.close());

    it("get the vendor's unknown-path answer, one warning, and a journal entry by default", async () => {
      const sim = createSimulator(baseScenario);
      server.use(...sim.handlers);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      for (let i = 0; i < 2; i++) {
        const reply = await fetch(discovery);
        expect(reply.status).toBe(404);
        expect((await reply.json()).errorCode).toBe('E0000008');
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain(`GET ${discovery}`);
      expect(sim.requests.last()).toMatchObject({ outcome: 'unsimulated', status: 404, vendor: 'okta' });
    });

    it("fail with the method and URL under onUnsimulated: 'error'", async () => {
      const sim = createSimulator(baseScenario, { onUnsimulated: 'error' });
      server.use(...sim.handlers);
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      await expect(fetch(discovery)).rejects.toThrow(TypeError);
      expect(String(error.mock.calls[0]?.[0])).toContain(`GET ${discovery}`);
      expect(sim.requests.last()).toMatchObject({ outcome: 'unsimulated' });
    });

    it("reach the handlers after the simulator's under onUnsimulated: 'bypass'", async () => {
      const sim = createSimulator(apigeeScenario, { onUnsimulated: 'bypass' });
      server.use(
        ...sim.handlers,
        http.get('https://acme-test.apigee.net/health', () => HttpResponse.json({ mine: true })),
      );
      expect(await (await fetch('https://acme-test.apigee.net/health')).json()).toEqual({ mine: true });
      const token = await fetch('https://acme-test.apigee.net/oauth/token', { method: 'POST' });
      expect(token.status).toBe(400);
    });
  });

  it("reject sim.fetch with an UnsimulatedRequestError under onUnsimulated: 'error'", async () => {
    const sim = createSimulator(baseScenario, { onUnsimulated: 'error' });
    await expect(sim.fetch(new Request(discovery))).rejects.toThrow(UnsimulatedRequestError);
    await expect(sim.fetch(new Request(discovery))).rejects.toThrow(`GET ${discovery}`);
  });

  it("get the vendor's answer for each vendor's unknown paths over HTTP", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { url, sim } = await serve({ ...apigeeScenario, okta: baseScenario.okta, clock: { start: T0 } });
    const okta = await fetch(`${url}/oauth2/default/v1/device/authorize`);
    expect(okta.status).toBe(404);
    expect((await okta.json()).errorCode).toBe('E0000008');
    const runtime = await fetch(`${url}/somewhere/else`);
    expect(runtime.status).toBe(404);
    expect((await runtime.json()).fault.detail.errorcode).toBe(
      'messaging.adaptors.http.flow.ApplicationNotFound',
    );
    expect(sim.requests.filter({ outcome: 'unsimulated' })).toHaveLength(2);
  });
});

describe('memory of a long run', () => {
  it('keeps an expired Apigee token for the retention window, then forgets it as new tokens come', async () => {
    const sim = createSimulator(withApigee({ tokens: { accessTokenLifetime: '30m', retention: '1h' } }));
    const { accessToken } = await sim.apigee.issueToken({ app: 'web' });
    const verify = async () => {
      const reply = await sim.fetch(
        new Request('https://acme-test.apigee.net/v1/orders/1', {
          headers: { Authorization: `Bearer ${accessToken}` },
        }),
      );
      return (await (reply as Response).json()).fault.detail.errorcode;
    };
    sim.clock.advance('31m');
    expect(await verify()).toBe('keymanagement.service.access_token_expired');
    expect(sim.apigee.token(accessToken)?.status).toBe('approved');
    sim.clock.advance('1h');
    for (let i = 0; i < 4; i++) await sim.apigee.issueToken({ app: 'web' });
    expect(sim.apigee.token(accessToken)).toBeUndefined();
    expect(await verify()).toBe('keymanagement.service.invalid_access_token');
  });

  it('forgets a spent authorization code at once', async () => {
    const sim = createSimulator(apigeeScenario);
    const authorize = await sim.fetch(
      new Request(
        'https://acme-test.apigee.net/oauth/authorize?response_type=code&client_id=web-key&redirect_uri=https://web.example.com/callback',
        { redirect: 'manual' },
      ),
    );
    const code = new URL(authorize?.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const exchange = () =>
      sim.fetch(
        new Request('https://acme-test.apigee.net/oauth/token', {
          method: 'POST',
          headers: {
            Authorization: `Basic ${btoa('web-key:web-secret')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: `grant_type=authorization_code&code=${code}&redirect_uri=https://web.example.com/callback`,
        }),
      );
    expect((await exchange())?.status).toBe(200);
    const again = await exchange();
    expect(again?.status).toBe(400);
    expect(await again?.json()).toEqual({
      ErrorCode: 'invalid_request',
      Error: 'Invalid Authorization Code',
    });
  });

  it('refuses an Okta field over 1,024 characters with 400 E0000001 and keeps nothing of it', async () => {
    const { url, sim } = await serve();
    const username = `${'u'.repeat(1_000_000)}@example.com`;
    const reply = await fetch(`${url}/api/v1/authn`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(reply.status).toBe(400);
    const body = await reply.json();
    expect(body.errorCode).toBe('E0000001');
    expect(body.errorCauses[0].errorSummary).toMatch(/^username: /);
    expect(JSON.stringify(sim.requests.all()).length).toBeLessThan(10_000);
  });

  it('refuses an Apigee form field over 4,096 characters with 400 invalid_request', async () => {
    const { url, sim } = await serve(apigeeScenario);
    const reply = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa('web-key:web-secret')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: `grant_type=client_credentials&app_enduser=${'x'.repeat(1_000_000)}`,
    });
    expect(reply.status).toBe(400);
    expect((await reply.json()).ErrorCode).toBe('invalid_request');
    expect(sim.state.apigee?.tokens).toEqual([]);
  });
});
