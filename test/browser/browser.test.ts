/**
 * The browser example (examples/browser) in real headless Chromium: Vite serves it, the page starts the
 * simulator behind msw's service worker, and every request to Okta and Apigee is answered by that worker.
 * The first test drives the example's UI (okta-auth-js sign-in with SMS MFA, an Apigee token, the orders
 * API, revocation); the second sends raw requests from the page, a small slice of the contract suites.
 *
 * Chromium comes from test/support/chromium.ts: CHROMIUM_PATH, else (Linux x64) the build that the
 * @sparticuz/chromium devDependency ships, else an installed Chrome or Chromium.
 */
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { JournalEntry } from '../../src/core/journal.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';

const EXAMPLE_CONFIG = fileURLToPath(new URL('../../examples/browser/vite.config.ts', import.meta.url));
const OKTA = 'https://dev-000000.okta.com';
const APIGEE = 'https://acme-test.apigee.net';

let vite: ViteDevServer | undefined;
let browser: Browser | undefined;
let baseUrl: string;
const contexts: BrowserContext[] = [];
/** Standalone servers a test started, closed after it. */
const servers: (() => Promise<void>)[] = [];

/** Checked by every test, so that each one fails (rather than being skipped) on a machine without Chromium. */
let chromiumMissing: string | undefined;

beforeAll(async () => {
  const found = await findChromium();
  if ('reason' in found) {
    chromiumMissing = found.reason;
    return;
  }
  vite = await createServer({
    configFile: EXAMPLE_CONFIG,
    server: { host: '127.0.0.1', port: 0, watch: null },
    logLevel: 'warn',
    clearScreen: false,
  });
  await vite.listen();
  const address = vite.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite is not listening on a TCP port');
  baseUrl = `http://127.0.0.1:${address.port}/`;
  browser = await chromium
    .launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS })
    .catch((error: Error) => {
      throw new Error(`Chromium (${found.source}: ${found.executablePath}) did not start`, {
        cause: error,
      });
    });
}, 30_000);

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const close of servers.splice(0)) await close();
});

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

interface ExamplePage {
  page: Page;
  /** Uncaught errors of the page. */
  errors: Error[];
  /** Vendor URLs the page fetched, and whether the service worker answered each. */
  vendorResponses: { url: string; fromServiceWorker: boolean }[];
  /** The simulator's request log, as the example prints it to the console. */
  requestLog: string[];
}

/**
 * Opens the example in a fresh browser context (no cookies, storage or service worker from another test)
 * and waits until msw's worker controls the page and the simulator is started. Requests that would leave
 * for the real vendor hosts are aborted: only the worker may answer them.
 */
async function openExample(): Promise<ExamplePage> {
  if (chromiumMissing) throw new Error(chromiumMissing);
  if (!browser) throw new Error('Chromium did not start');
  const context = await browser.newContext();
  contexts.push(context);
  // Fail on a stuck page with Playwright's message (which element, what text) before vitest's 20 s timeout.
  context.setDefaultTimeout(10_000);
  await context.route(/^https:\/\/(dev-000000\.okta\.com|acme-test\.apigee\.net)\//, (route) =>
    route.abort(),
  );
  const page = await context.newPage();
  const errors: Error[] = [];
  const vendorResponses: ExamplePage['vendorResponses'] = [];
  const requestLog: string[] = [];
  page.on('pageerror', (error) => errors.push(error));
  page.on('console', (message) => {
    if (message.type() === 'debug' && /^\d\d:\d\d:\d\d\.\d{3} \[/.test(message.text())) {
      requestLog.push(message.text());
    }
  });
  // On a failure, the simulator's view of what the page sent and got.
  onTestFailed(() => {
    console.log(`Request log of the page:\n${requestLog.join('\n')}`);
  });
  page.on('response', (response) => {
    if (response.url().startsWith(OKTA) || response.url().startsWith(APIGEE)) {
      vendorResponses.push({ url: response.url(), fromServiceWorker: response.fromServiceWorker() });
    }
  });
  await page.goto(baseUrl);
  await page.locator('#status', { hasText: 'Simulator ready.' }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  return { page, errors, vendorResponses, requestLog };
}

/** What the simulator in the page journaled, as `operation status` lines. */
async function journal(page: Page): Promise<string[]> {
  const entries = await page.evaluate(() =>
    (window as unknown as { sim: { requests: { all(): JournalEntry[] } } }).sim.requests.all(),
  );
  return entries.map((entry) => `${entry.operation} ${entry.status}`);
}

/** The JSON that follows the heading lines of the example's output panel. */
function jsonOf(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('{')));
}

describe('the browser example', () => {
  it('shows whom to sign in as: user, password and SMS code', async () => {
    const { page } = await openExample();
    const credentials = await page.locator('#credentials').textContent();
    expect(credentials).toContain('alice@example.com');
    expect(credentials).toContain('Passw0rd!');
    expect(credentials).toContain('123456');
  });

  it('says so when the service worker cannot start', async () => {
    if (chromiumMissing) throw new Error(chromiumMissing);
    if (!browser) throw new Error('Chromium did not start');
    const context = await browser.newContext();
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    // No worker script: what an app without msw's plugin or `npx msw init` serves.
    await context.route('**/mockServiceWorker.js', (route) =>
      route.fulfill({ status: 404, body: 'Not found' }),
    );
    const page = await context.newPage();
    await page.goto(baseUrl);
    const status = page.locator('#status.failed');
    await status.waitFor();
    expect(await status.textContent()).toContain("The simulator's service worker did not start");
    expect(await page.locator('#sign-in').isHidden()).toBe(true);
  });

  it('signs in with SMS MFA, calls the Apigee-protected API and sees the revoked token refused', async () => {
    const { page, errors, vendorResponses, requestLog } = await openExample();
    const output = page.locator('#output');

    await page.getByLabel('Username').fill('alice@example.com');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#status', { hasText: 'Code sent to +1 XXX-XXX-0100.' }).waitFor();
    // The code the SMS carried, from the control plane (through the same service worker).
    const codes = await fetchInPage(page, `${OKTA}/__sim/okta/users/alice@example.com/codes`);
    expect(codes.status).toBe(200);
    const { sms } = codes.body as { sms: { passCode: string; to: string; purpose: string } };
    expect(sms).toMatchObject({ to: '+15555550100', purpose: 'challenge' });
    await page.getByLabel('SMS code').fill(sms.passCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Signed in as alice@example.com').waitFor();

    await page.getByRole('button', { name: 'Get an Apigee token and call the orders API' }).click();
    await output.filter({ hasText: 'GET /v1/orders/42: 200' }).waitFor();
    const granted = (await output.textContent()) ?? '';
    expect(granted).toMatch(/^Token \(BearerToken, expires in \d+ s\)/);
    expect(jsonOf(granted)).toMatchObject({
      client_id: 'web-key',
      developer_email: 'dev@example.com',
      app_name: 'web',
      api_product: 'orders',
      end_user: 'alice@example.com',
    });

    await page.getByRole('button', { name: 'Revoke the token and call again' }).click();
    await output.filter({ hasText: 'GET /v1/orders/42: 401' }).waitFor();
    const refused = (await output.textContent()) ?? '';
    expect(refused).toMatch(/^POST \/oauth\/invalidate: 200; then/);
    expect(jsonOf(refused)).toEqual({
      fault: {
        faultstring: 'Access Token not approved',
        detail: { errorcode: 'keymanagement.service.access_token_not_approved' },
      },
    });

    expect(await journal(page)).toEqual([
      'primaryAuthentication 200',
      'verifyFactor 200',
      'verifyFactor 200',
      'generateAccessToken 200',
      'verifyAccessToken 200',
      'invalidateToken 200',
      'verifyAccessToken 401',
    ]);
    expect(requestLog).toHaveLength(7);
    expect(requestLog[1]).toMatch(
      / POST \/api\/v1\/authn\/factors\/sms\w+\/verify 200 verifyFactor alice@example\.com [\d.]+ms$/,
    );
    expect(requestLog[6]).toMatch(
      / GET \/v1\/orders\/42 401 verifyAccessToken keymanagement\.service\.access_token_not_approved /,
    );
    // The control-plane request goes through the worker too, but is no vendor request.
    expect(vendorResponses.filter((response) => !response.url.includes('/__sim/'))).toHaveLength(7);
    expect(vendorResponses.every((response) => response.fromServiceWorker)).toBe(true);
    expect(errors).toEqual([]);
  });
});

/** What a raw `fetch` from the page got back. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Runs `fetch(url, init)` in the page (so through the service worker) and reads the answer. */
function fetchInPage(page: Page, url: string, init: RequestInit = {}): Promise<Answer> {
  return page.evaluate(
    async ([url, init]) => {
      const response = await fetch(url, init);
      const text = await response.text();
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: text ? JSON.parse(text) : null,
      };
    },
    [url, init] as const,
  );
}

const JSON_POST = {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
};

describe('the contract through the service worker', () => {
  it('answers Okta and Apigee requests with their statuses, bodies and headers', async () => {
    const { page, errors } = await openExample();

    const wrongPassword = await fetchInPage(page, `${OKTA}/api/v1/authn`, {
      ...JSON_POST,
      body: JSON.stringify({ username: 'alice@example.com', password: 'wrong' }),
    });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual({
      errorCode: 'E0000004',
      errorSummary: 'Authentication failed',
      errorLink: 'E0000004',
      errorId: expect.stringMatching(/^oae[\w-]{22}$/),
      errorCauses: [],
    });
    // msw's worker keeps the simulator's headers, and the page reads them all: the worker's answer is
    // not CORS-filtered (no Origin reaches the handler, so no Access-Control-* headers are sent either).
    expect(wrongPassword.headers).toMatchObject({
      'content-type': 'application/json',
      'x-okta-request-id': expect.stringMatching(/^[A-Za-z0-9]{27}$/),
      'x-rate-limit-limit': '600',
    });
    expect(wrongPassword.headers).not.toHaveProperty('access-control-allow-origin');

    const noSession = await fetchInPage(page, `${OKTA}/api/v1/sessions/me`, { credentials: 'include' });
    expect(noSession.status).toBe(404);
    expect(noSession.body).toMatchObject({
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: me (Session)',
    });

    const noToken = await fetchInPage(page, `${APIGEE}/v1/orders`);
    expect(noToken.status).toBe(401);
    expect(noToken.body).toEqual({
      fault: { faultstring: 'Invalid access token', detail: { errorcode: 'oauth.v2.InvalidAccessToken' } },
    });

    const token = await fetchInPage(page, `${APIGEE}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa('web-key:web-secret')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      token_type: 'BearerToken',
      client_id: 'web-key',
      status: 'approved',
      expires_in: expect.stringMatching(/^\d+$/),
      issued_at: expect.stringMatching(/^\d+$/),
    });
    const scalars = Object.values(token.body as object).filter((value) => typeof value !== 'object');
    expect(scalars.length).toBeGreaterThan(5);
    expect(scalars.every((value) => typeof value === 'string')).toBe(true);

    const withToken = await fetchInPage(page, `${APIGEE}/v1/orders/7`, {
      headers: { Authorization: `Bearer ${(token.body as { access_token: string }).access_token}` },
    });
    expect(withToken.status).toBe(200);
    expect(withToken.body).toMatchObject({ client_id: 'web-key', api_product: 'orders' });
    expect(errors).toEqual([]);
  });

  it("reads Okta's sid cookie from the page's document.cookie on credentialed requests", async () => {
    const { page } = await openExample();
    // A session through the API: password, SMS code, then POST /api/v1/sessions with the sessionToken.
    const mfa = await fetchInPage(page, `${OKTA}/api/v1/authn`, {
      ...JSON_POST,
      body: JSON.stringify({ username: 'alice@example.com', password: 'Passw0rd!' }),
    });
    const { stateToken, _embedded } = mfa.body as {
      stateToken: string;
      _embedded: { factors: { id: string }[] };
    };
    const verifyUrl = `${OKTA}/api/v1/authn/factors/${_embedded.factors[0]?.id}/verify`;
    await fetchInPage(page, verifyUrl, { ...JSON_POST, body: JSON.stringify({ stateToken }) });
    const done = await fetchInPage(page, verifyUrl, {
      ...JSON_POST,
      body: JSON.stringify({ stateToken, passCode: '123456' }),
    });
    const { sessionToken } = done.body as { sessionToken: string };
    const session = await fetchInPage(page, `${OKTA}/api/v1/sessions`, {
      ...JSON_POST,
      body: JSON.stringify({ sessionToken }),
    });
    const { id } = session.body as { id: string };

    // msw hands the handler the page's own cookies (here 127.0.0.1's), not the Okta origin's.
    await page.evaluate((sid) => {
      // biome-ignore lint/suspicious/noDocumentCookie: the page's cookie jar is what msw reads
      document.cookie = `sid=${sid}; Path=/`;
    }, id);
    const me = await fetchInPage(page, `${OKTA}/api/v1/sessions/me`, { credentials: 'include' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id, login: 'alice@example.com', status: 'ACTIVE' });
    // Without credentials: 'include' a cross-origin request carries no cookies, in msw as in a browser.
    const anonymous = await fetchInPage(page, `${OKTA}/api/v1/sessions/me`);
    expect(anonymous.status).toBe(404);
  });
});

/**
 * The OIDC page of the example (examples/browser/oidc.html) against the standalone server: redirect sign-in,
 * `getWithoutPrompt` and logout need it, since the service worker sees neither top-level navigations nor
 * cross-origin iframes (docs/oidc.md). okta-auth-js in Chromium does the PKCE, the iframe and the token
 * checks itself.
 */
describe('OIDC against serve', () => {
  async function openOidc(): Promise<{ page: Page; sim: SimulatorCore; errors: Error[] }> {
    if (chromiumMissing) throw new Error(chromiumMissing);
    if (!browser) throw new Error('Chromium did not start');
    const here = `${baseUrl}oidc.html`;
    const sim = new SimulatorCore({
      version: 1,
      clock: { start: 'now' },
      okta: {
        users: [
          { login: 'alice@example.com', password: 'Passw0rd!', firstName: 'Alice', lastName: 'Example' },
        ],
        apps: [{ clientId: 'spa', type: 'browser', redirectUris: [here], postLogoutRedirectUris: [here] }],
      },
    });
    const server = await startHttpServer(sim, { port: 0 });
    servers.push(server.close);
    const context = await browser.newContext();
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(`${here}?okta=${encodeURIComponent(server.url)}`);
    await page.locator('#status', { hasText: 'Signed out.' }).waitFor();
    return { page, sim, errors };
  }

  const operations = (sim: SimulatorCore) =>
    sim.requests.all().map((entry) => `${entry.operation} ${entry.status}`);

  it('signs in with signInWithRedirect and PKCE through the sign-in page, and renews with the refresh token', async () => {
    const { page, sim, errors } = await openOidc();
    await page.getByRole('button', { name: 'Sign in with redirect (PKCE)' }).click();
    await page.locator('#okta-signin-username').fill('alice@example.com');
    await page.locator('#okta-signin-password').fill('Passw0rd!');
    await page.locator('#okta-signin-submit').click();
    await page.locator('#status', { hasText: 'Signed in (redirect).' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe('Signed in as alice@example.com');
    const first = await page.locator('#output').textContent();
    await page.getByRole('button', { name: 'Renew the tokens' }).click();
    await page.locator('#status', { hasText: 'Signed in (renewed).' }).waitFor();
    expect(await page.locator('#output').textContent()).not.toBe(first);
    expect(operations(sim)).toEqual(
      expect.arrayContaining([
        'authorizeCustomAS 302',
        'signInPage 200',
        'primaryAuthentication 200',
        'sessionCookieRedirect 302',
        'tokenCustomAS 200',
      ]),
    );
    expect(operations(sim).filter((line) => line === 'tokenCustomAS 200')).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('signs in with signInWithCredentials and getWithoutPrompt, then signs out through /v1/logout', async () => {
    const { page, sim, errors } = await openOidc();
    await page.locator('#credentials input[name="password"]').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in with credentials' }).click();
    await page.locator('#status', { hasText: 'Signed in (credentials).' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe('Signed in as alice@example.com');
    // The iframe's okta_post_message answer made the session, whose cookie the logout navigation carries.
    expect(sim.state.okta?.sessions).toHaveLength(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#status', { hasText: 'Signed out.' }).waitFor();
    expect(sim.state.okta?.sessions).toEqual([]);
    expect(operations(sim)).toEqual(
      expect.arrayContaining([
        'authorizeCustomAS 200',
        'tokenCustomAS 200',
        'revokeCustomAS 200',
        'logoutCustomAS 302',
      ]),
    );
    expect(sim.state.okta?.accessTokens.every((token) => token.revoked)).toBe(true);
    expect(errors).toEqual([]);
  });
});
