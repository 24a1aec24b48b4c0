/**
 * The inspector page in headless Chromium (playwright-core; the browser comes from test/support/chromium.ts)
 * against the standalone server: it renders a scenario's state, follows a revocation cascade through the
 * event stream without a reload, moves the clock, shows a request's details, writes hostile strings as
 * text, and signs in with the control token's cookie.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServerOptions, startHttpServer } from '../../src/node/http-server.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';
import {
  apigeeInvalidate,
  apigeeRefresh,
  apigeeToken,
  HOSTILE_LOGIN,
  INSPECTOR_SCENARIO,
  signIn,
} from '../support/inspector.ts';

let browser: Browser | undefined;
/** Checked by every test, so that each fails (rather than being skipped) on a machine without Chromium. */
let chromiumMissing: string | undefined;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const found = await findChromium();
  if ('reason' in found) {
    chromiumMissing = found.reason;
    return;
  }
  browser = await chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS });
}, 30_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

afterAll(async () => {
  await browser?.close();
});

async function serve(options: HttpServerOptions = {}) {
  const sim = new SimulatorCore(INSPECTOR_SCENARIO);
  const server = await startHttpServer(sim, { port: 0, ...options });
  closers.push(server.close);
  return { sim, server, url: server.url };
}

interface Opened {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors, and console errors (a Content-Security-Policy violation is one). */
  errors: string[];
  /** Requests the page made to anything but `origin`. */
  elsewhere: string[];
}

/** A fresh context whose requests may reach `origin` only; anything else is aborted and noted. */
async function open(origin: string): Promise<Opened> {
  if (chromiumMissing) throw new Error(chromiumMissing);
  if (!browser) throw new Error('Chromium did not start');
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  closers.push(() => context.close());
  context.setDefaultTimeout(10_000);
  const elsewhere: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (new URL(target).origin === origin) return route.continue();
    elsewhere.push(target);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, context, errors, elsewhere };
}

describe('the inspector in Chromium', () => {
  it('shows the state, follows a cascade live, moves the clock and shows a request', async () => {
    const { url } = await serve();
    const sid = await signIn(url);
    const first = await apigeeToken(url);
    const { page, errors, elsewhere } = await open(url);
    await page.goto(`${url}/__sim/ui`);
    await page.locator('#live.live').waitFor();

    // The scenario's state: users (one with markup for a login, shown as text), the session, the app, tokens.
    const users = page.locator('#okta-users');
    await users.getByText('ada@example.com').waitFor();
    expect(await users.getByText(HOSTILE_LOGIN, { exact: true }).count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    await page.locator('#okta-sessions tr', { hasText: sid }).getByText('active').waitFor();
    await page.locator('#apigee-apps').getByText('web-key').waitFor();
    const node = (token: string) => page.locator(`#apigee-lineages g.node[data-token="${token}"]`);
    expect(await node(first.access).getAttribute('data-status')).toBe('approved');
    expect(await node(first.refresh).getAttribute('data-status')).toBe('approved');
    expect(await page.locator('#now').textContent()).toBe('2026-01-01 09:00:00Z');

    // A refresh and a revocation with cascade over HTTP: the page follows through the stream, no reload.
    const second = await apigeeRefresh(url, first.refresh);
    await apigeeInvalidate(url, second.access);
    await node(second.access).and(page.locator('[data-status="revoked"]')).waitFor();
    await node(second.refresh).and(page.locator('[data-status="revoked"]')).waitFor();
    expect(await node(first.refresh).getAttribute('data-status')).toBe('rotated');
    expect(await node(first.access).getAttribute('data-status')).toBe('approved');
    const lineage = page.locator('#apigee-lineages .lineage');
    expect(await lineage.count()).toBe(1);
    expect(await lineage.locator('p').textContent()).toContain('2 access, 2 refresh · 2 revoked');
    expect(await node(second.access).textContent()).toContain('TOKEN_REVOKED');

    // +16m: the clock moves, the session has idled out (15m) and shows as gone.
    await page.getByRole('button', { name: '+16m' }).click();
    await page.locator('#now', { hasText: '2026-01-01 09:16:00Z' }).waitFor();
    await page.locator('#okta-sessions tr.gone', { hasText: sid }).waitFor();
    expect(await page.locator('#okta-sessions tr.gone', { hasText: sid }).textContent()).toContain('gone by');

    // The journal, newest first; a click shows the request.
    const rows = page.locator('#requests tbody tr');
    await rows.first().getByText('invalidateToken').waitFor();
    expect(await rows.count()).toBe(5);
    await page.getByRole('cell', { name: 'invalidateToken' }).click();
    await page.locator('#details', { hasText: '"operation": "invalidateToken"' }).waitFor();
    expect(await page.locator('#details').textContent()).toContain(
      'Headers and bodies are kept while capture is on.',
    );
    await page.getByPlaceholder('Filter: path, operation, status, user…').fill('sessions');
    await page.locator('#journal-count', { hasText: '1 of 5 shown' }).waitFor();

    expect(errors).toEqual([]);
    expect(elsewhere).toEqual([]);
  });

  it('adds and removes a fault, and captures a request for its details', async () => {
    const { url, sim } = await serve();
    const { page, errors } = await open(url);
    await page.goto(`${url}/__sim/ui`);
    await page.locator('#live.live').waitFor();

    await page.getByLabel('Operation').fill('generateAccessToken');
    await page.getByLabel('Status', { exact: true }).fill('503');
    await page.getByLabel('Times').fill('1');
    await page.getByRole('button', { name: 'Add fault' }).click();
    const fault = page.locator('#fault-list li', {
      hasText: 'operation generateAccessToken → status (status 503) × 1',
    });
    await fault.waitFor();
    expect(sim.faults.list()).toHaveLength(1);
    // A rule the simulator refuses: its message, and nothing added.
    await page.getByLabel('Operation').fill('noSuchOperation');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.locator('#error', { hasText: 'Unknown operation "noSuchOperation"' }).waitFor();
    expect(sim.faults.list()).toHaveLength(1);
    await fault.getByRole('button', { name: /Remove/ }).click();
    await page.getByText('No fault rules.').waitFor();
    expect(sim.faults.list()).toEqual([]);

    await page.getByLabel('Capture headers and bodies').check();
    await expect.poll(() => sim.requests.capturing).toBeDefined();
    await apigeeToken(url);
    await page.getByRole('cell', { name: 'generateAccessToken' }).click();
    await page.locator('#details', { hasText: 'Response body' }).waitFor();
    const details = (await page.locator('#details').textContent()) ?? '';
    expect(details).toContain('authorization: Basic ****');
    expect(details).toContain('"token_type"');
    // The refused rule's 400 is the only error.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });

  it('signs in with the control token: ?token= sets the cookie, and the page and its stream work', async () => {
    const { url } = await serve({ controlToken: 'inspector-s3cret' });
    const { page, context, errors } = await open(url);
    const refused = await page.goto(`${url}/__sim/ui`);
    expect(refused?.status()).toBe(401);
    await page.getByLabel('Control token').fill('inspector-s3cret');
    await page.getByRole('button', { name: 'Open the inspector' }).click();
    await page.locator('#live.live').waitFor();
    expect(page.url()).toBe(`${url}/__sim/ui`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: 'okta_apigee_sim_control',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/__sim',
    });
    expect(cookie?.value).not.toContain('inspector-s3cret');
    // The page's own changes pass: the cookie and its origin.
    await page.getByRole('button', { name: '+1h' }).click();
    await page.locator('#now', { hasText: '2026-01-01 10:00:00Z' }).waitFor();
    await apigeeToken(url);
    await page.getByRole('cell', { name: 'generateAccessToken' }).waitFor();
    expect(errors.filter((error) => !error.includes('401'))).toEqual([]);
  });

  it("shows a tenant's own simulator at its Host on the main port", async () => {
    const { url, server } = await serve();
    const tenant = await server.tenants!.create({});
    tenant.sim.clock.advance('2h');
    const { page, errors, elsewhere } = await open(tenant.hostUrl);
    await page.goto(`${tenant.hostUrl}/__sim/ui`);
    await page.locator('#live.live').waitFor();
    await page.locator('#now', { hasText: '2026-01-01 11:00:00Z' }).waitFor();
    await apigeeToken(tenant.url);
    await page.getByRole('cell', { name: 'generateAccessToken' }).waitFor();
    await apigeeToken(url);
    expect(await page.locator('#requests tbody tr').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(elsewhere).toEqual([]);
  });
});
