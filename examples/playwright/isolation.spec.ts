/**
 * Four copies of one test, run by four workers at once against one `serve`. Each gets a tenant of its own
 * from the `tenant` fixture (the demo org), and each locks out the same login and revokes the same Apigee
 * app. Were the tenants one org, the second worker to sign in would find the account locked, and the
 * second to call the API would find the app revoked.
 *
 * The "app" is a page on a local port (its dev server, as it were) that calls Okta at the tenant's
 * `hostUrl` (`http://<id>.localhost:4455`: one port for every tenant, as in a CI container that publishes
 * one); the "backend" calls Apigee at the tenant's own `url`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { expect, type RemoteTenant, test } from 'okta-apigee-sim/playwright';
import { barrier } from './barrier.ts';

const LOGIN = 'password@example.com';
const RUNS = 4;

let app: Server;
test.beforeAll(async () => {
  app = createServer((_, response) => {
    response.setHeader('Content-Type', 'text/html');
    response.end('<!doctype html><title>app</title><h1>app</h1>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
});
test.afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

test.beforeEach(async ({ page }) => {
  await page.goto(`http://127.0.0.1:${(app.address() as AddressInfo).port}/`);
});

for (let run = 1; run <= RUNS; run++) {
  test(`locks out ${LOGIN} and revokes the web app, in its own tenant (${run})`, async ({
    page,
    request,
    tenant,
  }) => {
    /** A primary authentication from the page, as a single-page app sends it (CORS and all). */
    const signIn = async (password: string) => {
      // One second apart on the tenant's own clock: Okta allows 4 sign-ins per username per second.
      await tenant.clock({ advance: '1s' });
      return page.evaluate(
        async ({ okta, username, password }) => {
          const response = await fetch(`${okta}/api/v1/authn`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({ username, password }),
          });
          const body = await response.json();
          return { status: response.status, result: body.status ?? body.errorCode };
        },
        { okta: tenant.hostUrl, username: LOGIN, password },
      );
    };
    const orders = async (token: string) =>
      (
        await request.get(`${tenant.url}/v1/orders`, { headers: { Authorization: `Bearer ${token}` } })
      ).status();

    expect(await signIn('Passw0rd!')).toEqual({ status: 200, result: 'SUCCESS' });
    const token = await accessToken(request, tenant);
    expect(await orders(token)).toBe(200);
    await barrier('ready', RUNS);

    // Three wrong passwords lock the account (the demo org's policy); lock-out failures are hidden, so
    // the right password now fails as a wrong one does.
    for (const attempt of [1, 2, 3]) {
      expect(await signIn(`wrong-${attempt}`)).toEqual({ status: 401, result: 'E0000004' });
    }
    expect(await signIn('Passw0rd!')).toEqual({ status: 401, result: 'E0000004' });
    const user = (await tenant.state()).okta?.users.find((candidate) => candidate.login === LOGIN);
    expect(user?.status).toBe('LOCKED_OUT');

    // The app still works here until this worker revokes it, whatever the others did.
    expect(await orders(token)).toBe(200);
    const revoked = await request.post(
      `${tenant.url}/v1/organizations/acme/developers/dev@example.com/apps/web?action=revoke`,
      { headers: { Authorization: 'Bearer any-token', 'Content-Type': 'application/octet-stream' } },
    );
    expect(revoked.status()).toBe(204);
    expect(await orders(token)).toBe(401);
    await barrier('done', RUNS);

    // Each tenant saw its own requests only: one sign-in that worked, four that failed.
    const signIns = (await tenant.requests()).filter((entry) => entry.operation === 'primaryAuthentication');
    expect(signIns.map((entry) => entry.status)).toEqual([200, 401, 401, 401, 401]);
  });
}

async function accessToken(request: APIRequestContext, tenant: RemoteTenant) {
  const response = await request.post(`${tenant.url}/oauth/token`, {
    headers: { Authorization: `Basic ${Buffer.from('web-key:web-secret').toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}
