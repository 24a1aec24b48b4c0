/**
 * The inspector over HTTP, without a browser (docs/inspector.md): the page and its files with their
 * headers, the event stream's framing, its limit, its clean-up when a client leaves or the server closes,
 * the guard and the control token's cookie, tenants, and hostile paths.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as rawRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulator } from '../../src/create-simulator.ts';
import { localCertificate } from '../../src/node/certificate.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import { MAX_STREAMS } from '../../src/node/inspector.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import { apigeeInvalidate, apigeeToken, INSPECTOR_SCENARIO } from '../support/inspector.ts';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const close of closers.splice(0).reverse()) await close();
});

async function serve(options: Parameters<typeof startHttpServer>[1] = {}) {
  const sim = new SimulatorCore(INSPECTOR_SCENARIO);
  const server = await startHttpServer(sim, { port: 0, ...options });
  closers.push(server.close);
  return { sim, server, url: server.url, port: server.port };
}

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

interface Options {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A request with any headers (Host, Origin, Cookie), which fetch will not all send. */
function call(
  port: number,
  path: string,
  { method = 'GET', headers = {}, body }: Options = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = rawRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        setHost: false,
        headers: { Host: `127.0.0.1:${port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface ServerEvent {
  event: string;
  data: string;
}

/** An open event stream: its status and headers, and its events as they come. */
interface Stream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Everything received, comments and all. */
  raw(): string;
  /** The next event named `name` (skipping others), or the stream's end. */
  next(name: string): Promise<ServerEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

function openStream(
  port: number,
  headers: Record<string, string> = {},
  path = '/__sim/events',
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = rawRequest(
      { host: '127.0.0.1', port, path, setHost: false, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let raw = '';
        let buffer = '';
        const events: ServerEvent[] = [];
        const waiting: { name: string; resolve: (event: ServerEvent) => void; reject: (e: Error) => void }[] =
          [];
        let done = false;
        const deliver = () => {
          for (const waiter of [...waiting]) {
            const index = events.findIndex((event) => event.event === waiter.name);
            if (index >= 0) {
              waiting.splice(waiting.indexOf(waiter), 1);
              waiter.resolve(events.splice(index, 1)[0]!);
            } else if (done) {
              waiting.splice(waiting.indexOf(waiter), 1);
              waiter.reject(new Error(`The stream ended before a "${waiter.name}" event; got:\n${raw}`));
            }
          }
        };
        res.setEncoding('utf8');
        const ended = new Promise<void>((resolveEnd) => {
          res.on('close', () => {
            done = true;
            deliver();
            resolveEnd();
          });
        });
        res.on('data', (chunk: string) => {
          raw += chunk;
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length > 0) events.push({ event, data: data.join('\n') });
            end = buffer.indexOf('\n\n');
          }
          deliver();
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          raw: () => raw,
          next: (name) =>
            new Promise((resolveEvent, rejectEvent) => {
              waiting.push({ name, resolve: resolveEvent, reject: rejectEvent });
              deliver();
            }),
          ended,
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The stream, closed after the test. */
async function stream(port: number, headers: Record<string, string> = {}): Promise<Stream> {
  const opened = await openStream(port, headers);
  closers.push(() => opened.close());
  return opened;
}

/** Counts the journal subscriptions the streams hold. */
function countSubscriptions(sim: SimulatorCore) {
  const subscribe = sim.requests.subscribe.bind(sim.requests);
  const counter = { open: 0 };
  vi.spyOn(sim.requests, 'subscribe').mockImplementation((listener) => {
    counter.open += 1;
    const unsubscribe = subscribe(listener);
    return () => {
      counter.open -= 1;
      unsubscribe();
    };
  });
  return counter;
}

/** Waits for the server to see what the client did, on the event loop, without a timer. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`Never: ${what}`);
}

describe('the inspector page', () => {
  it('serves the page, its script and style sheet with a strict Content-Security-Policy', async () => {
    const { port } = await serve();
    const page = await call(port, '/__sim/ui');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self';/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<script type="module" src="/__sim/ui/inspector.js"></script>');
    // Nothing from elsewhere: every URL of the page is this origin's.
    expect(page.text).not.toMatch(/https?:\/\//);

    const script = await call(port, '/__sim/ui/inspector.js');
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.text).toContain("new EventSource('/__sim/events')");
    expect(script.text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    const style = await call(port, '/__sim/ui/inspector.css');
    expect([style.status, style.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    const operations = await call(port, '/__sim/ui/operations.json');
    expect(JSON.parse(operations.text)).toContain('refreshAccessToken');

    const head = await call(port, '/__sim/ui', { method: 'HEAD' });
    expect([head.status, head.text, head.headers['content-length']]).toEqual([
      200,
      '',
      page.headers['content-length'],
    ]);
    expect((await call(port, '/__sim/ui/')).status).toBe(200);
  });

  it('refuses other methods and unknown files, and hostile paths, with 4xx and nothing changed', async () => {
    const { port, sim } = await serve();
    const before = JSON.stringify(sim.state);
    expect((await call(port, '/__sim/ui', { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await call(port, '/__sim/ui/inspector.js', { method: 'DELETE' })).status).toBe(405);
    expect((await call(port, '/__sim/events', { method: 'POST', body: '{}' })).status).toBe(405);
    for (const path of [
      '/__sim/ui/nope.js',
      '/__sim/ui/__proto__',
      '/__sim/ui/constructor',
      '/__sim/ui/..%2f..%2fpackage.json',
      '/__sim/ui/%2e%2e/%2e%2e/package.json',
      '/__sim/ui/index.html',
      `/__sim/ui/${'a'.repeat(5000)}`,
      '/__sim/ui/inspector.js%00',
      '/__sim/ui/ui/inspector.js',
    ]) {
      const answer = await call(port, path);
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
      expect(answer.status, path).toBeLessThan(500);
    }
    const missing = JSON.parse((await call(port, '/__sim/ui/nope.js')).text);
    expect(missing.error).toMatchObject({ code: 'not_found' });
    expect(missing.error.files).toContain('/__sim/ui/inspector.js');
    expect(JSON.stringify(sim.state)).toBe(before);
  });

  it('is not there in-process: the control plane says the standalone server serves it', async () => {
    const sim = createSimulator(INSPECTOR_SCENARIO);
    for (const path of ['/__sim/ui', '/__sim/ui/inspector.js', '/__sim/events']) {
      const response = await sim.fetch(new Request(`https://dev-000000.okta.com${path}`));
      if (!response) throw new Error(`Nothing answered ${path}`);
      expect(response.status, path).toBe(404);
      expect((await response.json()).error.code, path).toBe('standalone_only');
    }
  });
});

describe('GET /__sim/events', () => {
  it('streams each journal entry and a state hint, framed as server-sent events', async () => {
    const { port, url } = await serve();
    const events = await stream(port);
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(events.headers['cache-control']).toBe('no-store');
    const hello = JSON.parse((await events.next('hello')).data);
    expect(hello).toEqual({ now: '2026-01-01T09:00:00.000Z', frozen: true, seq: 0 });
    expect(events.raw()).toMatch(/^retry: 2000\n: okta-apigee-sim events/);

    const { access } = await apigeeToken(url);
    const entry = JSON.parse((await events.next('request')).data);
    expect(entry).toMatchObject({ seq: 1, method: 'POST', operation: 'generateAccessToken', status: 200 });
    expect(JSON.parse((await events.next('state')).data)).toEqual({ ...hello, seq: 1 });

    await apigeeInvalidate(url, access);
    expect(JSON.parse((await events.next('request')).data)).toMatchObject({
      seq: 2,
      operation: 'invalidateToken',
    });
    await events.next('state');
    // Every event is one `event:` line and one `data:` line.
    for (const block of events
      .raw()
      .split('\n\n')
      .filter((b) => b.startsWith('event:'))) {
      expect(block).toMatch(/^event: \w+\ndata: [^\n]+$/);
    }
  });

  it('hints a state change when the clock moves or a control-plane request may have changed something', async () => {
    const { port, sim } = await serve();
    const events = await stream(port);
    await events.next('hello');
    const advanced = await call(port, '/__sim/clock', { method: 'POST', body: '{"advance":"16m"}' });
    expect(advanced.status).toBe(200);
    expect(JSON.parse((await events.next('state')).data)).toMatchObject({ now: '2026-01-01T09:16:00.000Z' });
    await call(port, '/__sim/clock', { method: 'POST', body: '{"resume":true}' });
    expect(JSON.parse((await events.next('state')).data)).toMatchObject({ frozen: false });
    // In code too: the clock's jumps are heard whoever makes them.
    sim.clock.set('2026-02-01T00:00:00Z');
    expect(JSON.parse((await events.next('state')).data).now).toMatch(/^2026-02-01T00:00:0/);
    await call(port, '/__sim/reset', { method: 'POST' });
    expect(JSON.parse((await events.next('state')).data)).toMatchObject({
      now: '2026-01-01T09:00:00.000Z',
      seq: 0,
    });
  });

  it('says how many entries it dropped when more than 500 come between two writes', async () => {
    const { port, sim } = await serve();
    const events = await stream(port);
    await events.next('hello');
    for (let i = 0; i < 600; i++) {
      sim.requests.record({
        at: '2026-01-01T09:00:00.000Z',
        method: 'GET',
        url: `http://x/${i}`,
        vendor: null,
        operation: null,
        status: 200,
      });
    }
    expect(JSON.parse((await events.next('missed')).data)).toEqual({ count: 100 });
    expect(JSON.parse((await events.next('request')).data).seq).toBe(101);
  });

  it(`answers 429 past ${MAX_STREAMS} open streams, and frees a place when a client leaves`, async () => {
    const { port, sim } = await serve();
    const subscriptions = countSubscriptions(sim);
    const open: Stream[] = [];
    for (let i = 0; i < MAX_STREAMS; i++) open.push(await stream(port));
    // One journal subscription for all of them.
    expect(subscriptions.open).toBe(1);
    const refused = await call(port, '/__sim/events');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text).error.code).toBe('too_many_streams');
    open[0]?.close();
    await until(async () => {
      const next = await openStream(port);
      next.close();
      return next.status === 200;
    }, 'a place frees up');
    for (const each of open) each.close();
    await until(() => subscriptions.open === 0, 'the journal subscription ends with the last stream');
  });

  it('ends its streams when the server closes, and the server closes at once', async () => {
    const { port, server, sim } = await serve();
    const subscriptions = countSubscriptions(sim);
    const events = await stream(port);
    await events.next('hello');
    await server.close();
    await events.ended;
    expect(subscriptions.open).toBe(0);
  });
});

describe('the guard', () => {
  const TOKEN = 's3cret-token';

  it('refuses foreign Hosts and Origins without a token, as the control plane does', async () => {
    const { port } = await serve();
    expect((await call(port, '/__sim/ui', { headers: { Host: 'evil.example:80' } })).status).toBe(403);
    expect((await call(port, '/__sim/events', { headers: { Host: 'evil.example' } })).status).toBe(403);
    expect((await call(port, '/__sim/events', { headers: { Origin: 'https://evil.example' } })).status).toBe(
      403,
    );
  });

  it("admits a page of the server's own origin (the inspector on a tenant's Host), not a rebound name", async () => {
    const { port } = await serve({ allowedHosts: ['sim.test'] });
    const own = { Host: `sim.test:${port}`, Origin: `http://sim.test:${port}` };
    expect((await call(port, '/__sim/health', { headers: own })).status).toBe(200);
    expect((await call(port, '/__sim/ui/inspector.js', { headers: own })).status).toBe(200);
    const rebound = { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` };
    const refused = await call(port, '/__sim/ui/inspector.js', { headers: rebound });
    expect([refused.status, JSON.parse(refused.text).error.code]).toEqual([403, 'forbidden_host']);
  });

  it('with --control-token: 401 without the cookie, a sign-in page, and a cookie from ?token=', async () => {
    const { port, url } = await serve({ controlToken: TOKEN });
    const refused = await call(port, '/__sim/events');
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).error.hint).toContain('/__sim/ui?token=');
    const page = await call(port, '/__sim/ui');
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<form method="get" action="/__sim/ui">');
    expect((await call(port, '/__sim/ui?token=wrong')).status).toBe(401);
    expect((await call(port, '/__sim/ui?token=wrong')).headers['set-cookie']).toBeUndefined();

    const signedIn = await call(port, `/__sim/ui?token=${TOKEN}`);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/__sim/ui');
    const [setCookie = ''] = signedIn.headers['set-cookie'] as string[];
    expect(setCookie).toMatch(/^okta_apigee_sim_control=[\w-]{43}; Path=\/__sim; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;

    expect((await call(port, '/__sim/ui', { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await call(port, '/__sim/state', { headers: { Cookie: cookie } })).status).toBe(200);
    const events = await stream(port, { Cookie: cookie });
    expect(events.status).toBe(200);
    await events.next('hello');
    await apigeeToken(url);
    expect(JSON.parse((await events.next('request')).data).operation).toBe('generateAccessToken');
    // A cookie that is not the one derived from the token admits nothing.
    expect(
      (await call(port, '/__sim/events', { headers: { Cookie: `okta_apigee_sim_control=${TOKEN}` } })).status,
    ).toBe(401);
  });

  it('admits a change with the cookie only from its own origin (no CSRF from other local pages)', async () => {
    const { port } = await serve({ controlToken: TOKEN });
    const cookie = (
      (await call(port, `/__sim/ui?token=${TOKEN}`)).headers['set-cookie'] as string[]
    )[0]!.split(';')[0]!;
    const advance = (headers: Record<string, string>) =>
      call(port, '/__sim/clock', {
        method: 'POST',
        body: '{"advance":"1m"}',
        headers: { Cookie: cookie, ...headers },
      });
    expect((await advance({})).status).toBe(401);
    expect((await advance({ Origin: 'http://localhost:5173' })).status).toBe(401);
    expect((await advance({ Origin: 'https://evil.example' })).status).toBe(403);
    expect((await advance({ Origin: `http://127.0.0.1:${port + 1}` })).status).toBe(401);
    const own = await advance({ Origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.text).now).toBe('2026-01-01T09:01:00.000Z');
    // A GET from another origin is not admitted by the cookie either.
    expect(
      (await call(port, '/__sim/state', { headers: { Cookie: cookie, Origin: 'http://localhost:5173' } }))
        .status,
    ).toBe(401);
    // The Bearer header works as before, and from anywhere.
    const bearer = await call(port, '/__sim/ui', {
      headers: { Authorization: `Bearer ${TOKEN}`, Host: 'sim.test' },
    });
    expect(bearer.status).toBe(200);
  });

  it('marks the cookie Secure over https', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inspector-cert-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const { cert, key } = await localCertificate(['127.0.0.1'], dir);
    const { port } = await serve({ controlToken: TOKEN, tls: { cert, key } });
    const setCookie = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, path: `/__sim/ui?token=${TOKEN}`, ca: cert },
        (res) => {
          res.resume();
          resolve(String(res.headers['set-cookie']));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(setCookie).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });
});

describe('tenants', () => {
  it("serves each tenant's page and stream on its own port and on the main port by its Host", async () => {
    const { port: mainPort, server, url } = await serve();
    const tenant = await server.tenants!.create({});
    const host = `${tenant.id}.localhost:${mainPort}`;
    expect((await call(mainPort, '/__sim/ui', { headers: { Host: host } })).status).toBe(200);
    const tenantPort = Number(new URL(tenant.url).port);
    expect((await call(tenantPort, '/__sim/ui')).status).toBe(200);

    const byHost = await stream(mainPort, { Host: host });
    const ownPort = await stream(tenantPort);
    const main = await stream(mainPort);
    await Promise.all([byHost.next('hello'), ownPort.next('hello'), main.next('hello')]);
    await call(tenantPort, '/__sim/clock', { method: 'POST', body: '{"advance":"1h"}' });
    expect(JSON.parse((await byHost.next('state')).data).now).toBe(tenant.sim.clock.toJSON().now);
    expect(JSON.parse((await ownPort.next('state')).data).now).toBe(tenant.sim.clock.toJSON().now);
    await apigeeToken(url);
    expect(JSON.parse((await main.next('request')).data).operation).toBe('generateAccessToken');
    // The tenant's streams heard nothing of the main simulator's request.
    expect(byHost.raw()).not.toContain('generateAccessToken');
    expect(ownPort.raw()).not.toContain('generateAccessToken');

    const gone = await call(mainPort, '/__sim/events', { headers: { Host: 'tzzzzzzzzzz.localhost' } });
    expect([gone.status, JSON.parse(gone.text).error.code]).toEqual([404, 'unknown_tenant']);
  });
});
