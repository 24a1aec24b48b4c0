/**
 * apigee-edge-js (0.4.40) against the Apigee X dialect of the management API, in-process: with `apigeex: true`
 * the client always calls https://apigee.googleapis.com (lib/apigee.js), which msw/node intercepts (the client
 * sends through postman-request, i.e. node:https). What it sends and accepts is described in
 * apigee-edge-js.edge.test.ts; with a `token` it sends `Authorization: Bearer` and makes no call at connect,
 * and against apigee.googleapis.com it lower-cases developer emails in developer and app calls
 * (lib/connection.js `isGoogle`). The expectations are those the client's X test run recorded
 * (docs/fidelity/apigee.md#apigee-management-wire).
 */
import aej from 'apigee-edge-js';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { apigeeScenario, WEB } from '../support/scenarios.ts';

for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY']) delete process.env[name];

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let sim: Simulator;
beforeEach(() => {
  sim = createSimulator(apigeeScenario);
  server.use(...sim.handlers);
});

const connect = () => aej.apigee.connect({ apigeex: true, org: 'acme', token: 'ya29.simulated-token' });

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { result: { error: Record<string, unknown> } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { result: { error: Record<string, unknown> } };
  }
  throw new Error('expected the call to fail');
}

const DEV = {
  developerEmail: 'Grace.Hopper@example.com',
  firstName: 'Grace',
  lastName: 'Hopper',
  userName: 'grace',
};
const EMAIL = DEV.developerEmail.toLowerCase();

/** A client_credentials token of the reference proxy, and a call to /v1/orders with it (both in-process). */
async function runtimeCall(client: { clientId: string; clientSecret: string }): Promise<number> {
  const token = await fetch('https://acme-test.apigee.net/oauth/token', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`,
    },
    body: 'grant_type=client_credentials',
  });
  if (token.status !== 200) return token.status;
  const { access_token } = (await token.json()) as { access_token: string };
  const call = await fetch('https://acme-test.apigee.net/v1/orders', {
    headers: { Authorization: `Bearer ${access_token}` },
  });
  return call.status;
}

describe('apigee-edge-js against the X dialect in-process', () => {
  it('creates a developer with its email in lower case and lists developers as {"developer":[{"email"}]} (docs/fidelity/apigee.md#apigee-management-lists)', async () => {
    const org = await connect();
    const created = await org.developers.create(DEV);
    expect(created).toMatchObject({
      email: EMAIL,
      status: 'active',
      createdAt: expect.stringMatching(/^\d+$/),
    });
    expect(created).not.toHaveProperty('createdBy');
    expect(await org.developers.get({})).toEqual({
      developer: [{ email: 'dev@example.com' }, { email: EMAIL }, { email: 'other@example.com' }],
    });
    const missing = await rejection(org.developers.get({ developerEmail: 'nobody77' }));
    expect(String(missing)).toBe('Error: bad status: 404');
    expect(missing.result.error.message).toMatch(/^DeveloperId nobody77 does not exist/);
    expect(missing.result.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
      violations: [expect.objectContaining({ type: 'developer.service.DeveloperIdDoesNotExist' })],
    });
    await org.developers.revoke({ developerEmail: DEV.developerEmail });
    await org.developers.approve({ developerEmail: DEV.developerEmail });
    expect((await org.developers.del({ developerEmail: DEV.developerEmail })).email).toBe(EMAIL);
  });

  it('creates and lists API products as {"apiProduct":[{"name"}]}, updating with POST (docs/fidelity/apigee.md#apigee-products)', async () => {
    const org = await connect();
    const created = await org.products.create({
      productName: 'silver',
      approvalType: 'auto',
      scopes: ['read'],
    });
    expect(created).toMatchObject({ name: 'silver', approvalType: 'auto', scopes: ['read'] });
    expect(created).not.toHaveProperty('proxies');
    expect(await org.products.get({})).toEqual({
      apiProduct: [{ name: 'inventory' }, { name: 'orders' }, { name: 'silver' }],
    });
    const updated = await org.products.update({ ...created, description: 'Silver tier' });
    expect(updated.description).toBe('Silver tier');
    expect((await org.products.del({ productName: 'silver' })).name).toBe('silver');
  });

  it('creates an app whose new key gets tokens at once (docs/fidelity/apigee.md#apigee-app-create)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    const app = await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'console',
      apiProduct: 'orders',
    });
    expect(app).toMatchObject({
      name: 'console',
      keyExpiresIn: '-1',
      credentials: [{ apiProducts: [{ apiproduct: 'orders', status: 'approved' }], expiresAt: '-1' }],
    });
    expect(app.credentials[0].consumerKey).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(app.attributes).toContainEqual(expect.objectContaining({ name: 'tool' }));
    expect(
      await runtimeCall({
        clientId: app.credentials[0].consumerKey,
        clientSecret: app.credentials[0].consumerSecret,
      }),
    ).toBe(200);
    expect(await org.developerapps.get({ developerEmail: DEV.developerEmail })).toEqual({
      app: [{ appId: app.appId }],
    });
  });

  it("answers the client's app errors as X does (docs/fidelity/apigee.md#apigee-management-errors)", async () => {
    const org = await connect();
    await org.developers.create(DEV);
    await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'console',
      apiProduct: 'orders',
    });
    const twice = await rejection(
      org.developerapps.create({ developerEmail: DEV.developerEmail, name: 'console', apiProduct: 'orders' }),
    );
    expect(String(twice)).toBe('Error: bad status: 409');
    expect(twice.result.error.status).toBe('ALREADY_EXISTS');
    const unknown = await rejection(
      org.developerapps.create({ developerEmail: DEV.developerEmail, name: 'other', apiProduct: 'nope42' }),
    );
    expect(String(unknown)).toBe('Error: bad status: 400');
    expect(unknown.result.error.message).toContain('does not exist');
    const missing = await rejection(
      org.developerapps.get({ developerEmail: DEV.developerEmail, name: 'nothing' }),
    );
    expect(missing.result.error.message).toBe(`App named nothing does not exist under ${EMAIL}`);
  });

  it('drops the attributes field once an update empties it (docs/fidelity/apigee.md#apigee-management-wire)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'console',
      apiProduct: 'orders',
    });
    const replaced = await org.developerapps.update({
      developerEmail: DEV.developerEmail,
      name: 'console',
      replace: true,
      attributes: {},
    });
    expect(replaced).not.toHaveProperty('attributes');
    // With no attributes on the app the client sends [..., null] when it keeps them: the null is dropped.
    const kept = await org.developerapps.update({
      developerEmail: DEV.developerEmail,
      name: 'console',
      attributes: { DisplayName: 'Console' },
    });
    expect(kept.attributes).toEqual([{ name: 'DisplayName', value: 'Console' }]);
  });

  it('adds a product to a key with PUT, refuses to remove one the key lacks with 400, and 404s a missing key (docs/fidelity/apigee.md#apigee-key-remove-product)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    const app = await org.developerapps.create({
      developerEmail: EMAIL,
      name: 'console',
      apiProduct: 'orders',
    });
    const keys = { developerEmail: EMAIL, appName: 'console', consumerKey: app.credentials[0].consumerKey };
    const two = await org.appcredentials.addProduct({ ...keys, product: 'inventory' });
    expect(two.apiProducts).toHaveLength(2);
    await org.appcredentials.removeProduct({ ...keys, product: 'inventory' });
    const notOnKey = await rejection(org.appcredentials.removeProduct({ ...keys, product: 'inventory' }));
    expect(String(notOnKey)).toBe('Error: bad status: 400');
    expect(notOnKey.result.error.message).toBe('APIProduct is not associated with consumer key');
    const missingKey = await rejection(
      org.appcredentials.update({ ...keys, consumerKey: 'nope', attributes: { a: 'b' } }),
    );
    expect(String(missingKey)).toBe('Error: bad status: 404');
    expect(missingKey.result.error.message).toBe('Invalid consumer key for Given App');
    const noApp = await rejection(
      org.appcredentials.del({ developerEmail: EMAIL, appName: 'nothing', consumerKey: 'x' }),
    );
    expect(noApp.result.error.message).toBe(`App named nothing does not exist under ${EMAIL}`);
  });

  it('imports a key and finds its owner through /apps?expand=true (docs/fidelity/apigee.md#apigee-key-import)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    await org.developerapps.create({ developerEmail: EMAIL, name: 'console', apiProduct: 'orders' });
    await org.appcredentials.add({
      developerEmail: EMAIL,
      appName: 'console',
      consumerKey: 'imported-x-key',
      consumerSecret: 'imported-x-secret',
      apiProducts: ['orders'],
    });
    expect(await org.appcredentials.find({ consumerKey: 'imported-x-key' })).toMatchObject({
      appName: 'console',
      developer: { email: EMAIL },
    });
    expect(await runtimeCall({ clientId: 'imported-x-key', clientSecret: 'imported-x-secret' })).toBe(200);
    await org.appcredentials.revoke({ developerEmail: EMAIL, appName: 'console', key: 'imported-x-key' });
    expect(await runtimeCall({ clientId: 'imported-x-key', clientSecret: 'imported-x-secret' })).toBe(401);
    expect(await org.appcredentials.find({ consumerKey: WEB.clientId })).toMatchObject({ appName: 'web' });
  });
});
