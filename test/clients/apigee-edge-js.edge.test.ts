/**
 * apigee-edge-js (0.4.40) against the Edge dialect of the management API over real HTTP: developers, apps, keys
 * and API products, the way the client's own tests (node_modules/apigee-edge-js/test/*.js) exercise Apigee Edge.
 *
 * What the client does on the wire (read from node_modules/apigee-edge-js/lib):
 * - `connect({ mgmtServer, org, user, password, no_token: true })` sends HTTP Basic on every request and first
 *   reads `GET /v1/organizations/{org}`, throwing unless the body has `properties.property` (lib/apigee.js,
 *   lib/organization.js); with `no_token` it never calls the login service nor reads ~/.apigee-edge-tokens;
 * - requests go through postman-request (node:http), with `accept: application/json`; a body is parsed only
 *   when the answer's Content-Type is JSON (lib/common.js `safeJsonParse`);
 * - each call accepts exactly one status (lib/common.js `callback`): 201 for creates, 204 for status
 *   actions, 200 otherwise; any other status rejects with `Error("bad status: N")` carrying `.result`;
 * - developer, app and product creates add an attribute `tool` = `nodejs <script>`; `products.create`
 *   defaults `approvalType` to `manual` and `products.update` POSTs (lib/apiproduct.js);
 * - `appcredentials.add` with a `consumerKey` POSTs `keys/create` without checking its answer, then POSTs the
 *   products to `keys/{key}`; without one it POSTs the products to the app, which generates a key
 *   (lib/appcredential.js); `addProduct` and `update` PUT the key.
 */
import aej from 'apigee-edge-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { type RunningServer, startHttpServer } from '../../src/node/index.ts';
import { EDGE_ADMIN, edgeScenario, WEB } from '../support/scenarios.ts';

// postman-request sends requests through an HTTP(S) proxy named in the environment; the simulator is local.
for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY']) delete process.env[name];

let sim: Simulator;
let server: RunningServer;

beforeEach(async () => {
  sim = createSimulator(edgeScenario);
  server = await startHttpServer(sim, { port: 0 });
});

afterEach(() => server.close());

const connect = (password = EDGE_ADMIN.password) =>
  aej.apigee.connect({
    mgmtServer: server.url,
    org: 'acme',
    user: EDGE_ADMIN.username,
    password,
    no_token: true,
  });

/** The promise's rejection (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error & { result: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { result: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

const DEV = {
  developerEmail: 'Ada.Lovelace@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  userName: 'ada',
};

/** A client_credentials token of the reference proxy, and a call to /v1/orders with it. */
async function runtimeCall(client: { clientId: string; clientSecret: string }): Promise<number> {
  const token = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`,
    },
    body: 'grant_type=client_credentials',
  });
  if (token.status !== 200) return token.status;
  const { access_token } = (await token.json()) as { access_token: string };
  const call = await fetch(`${server.url}/v1/orders`, {
    headers: { Authorization: `Bearer ${access_token}` },
  });
  return call.status;
}

describe('apigee-edge-js against the Edge dialect over HTTP', () => {
  it('connects with Basic credentials and reads the organization properties', async () => {
    const org = await connect();
    expect(org.conn.urlBase).toBe(`${server.url}/v1/organizations/acme`);
  });

  it('fails to connect with a wrong password: 401 in the Edge error shape (docs/fidelity/apigee.md#apigee-management-auth)', async () => {
    // The client hands the organization object, not the answer, to the rejection: the body is read raw.
    expect(String(await rejection(connect('wrong')))).toBe('Error: bad status: 401');
    const raw = await fetch(`${server.url}/v1/organizations/acme`, {
      headers: { Authorization: `Basic ${btoa(`${EDGE_ADMIN.username}:wrong`)}` },
    });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({
      code: 'security.auth.InvalidCredentials',
      message: expect.any(String),
      contexts: [],
    });
  });

  it('creates, lists, reads, deactivates and deletes a developer (docs/fidelity/apigee.md#apigee-developers)', async () => {
    const org = await connect();
    const created = await org.developers.create({ ...DEV, attributes: { team: 'blue' } });
    expect(created).toMatchObject({
      email: DEV.developerEmail,
      status: 'active',
      attributes: expect.arrayContaining([
        { name: 'team', value: 'blue' },
        expect.objectContaining({ name: 'tool' }),
      ]),
      apps: [],
      companies: [],
      createdAt: expect.any(Number),
      createdBy: EDGE_ADMIN.username,
      organizationName: 'acme',
    });
    expect(await org.developers.get({})).toEqual([
      'Ada.Lovelace@example.com',
      'dev@example.com',
      'other@example.com',
    ]);
    expect(await org.developers.get({ developerEmail: 'ada.lovelace@example.com' })).toMatchObject({
      developerId: created.developerId,
    });
    expect(await org.developers.get({ id: created.developerId })).toMatchObject({
      email: DEV.developerEmail,
    });
    await org.developers.revoke({ developerEmail: DEV.developerEmail });
    expect(sim.state.apigee?.developers.find((d) => d.email === DEV.developerEmail)?.status).toBe('inactive');
    await org.developers.approve({ developerEmail: DEV.developerEmail });
    const deleted = await org.developers.del({ developerEmail: DEV.developerEmail });
    expect(deleted.email).toBe(DEV.developerEmail);
    expect(String(await rejection(org.developers.del({ developerEmail: DEV.developerEmail })))).toBe(
      'Error: bad status: 404',
    );
  });

  it('answers a missing developer with DeveloperIdDoesNotExist and a second create with 409 (docs/fidelity/apigee.md#apigee-management-errors)', async () => {
    const org = await connect();
    const missing = await rejection(org.developers.get({ developerEmail: 'nobody1234' }));
    expect(missing.result).toEqual({
      code: 'developer.service.DeveloperIdDoesNotExist',
      message: 'DeveloperId nobody1234 does not exist in organization acme',
      contexts: [],
    });
    await org.developers.create(DEV);
    const twice = await rejection(org.developers.create(DEV));
    expect(String(twice)).toBe('Error: bad status: 409');
    expect(twice.result.code).toBe('developer.service.DeveloperAlreadyExists');
  });

  it('creates, reads, updates with POST and deletes an API product (docs/fidelity/apigee.md#apigee-products)', async () => {
    const org = await connect();
    const created = await org.products.create({
      productName: 'gold',
      scopes: ['read'],
      apiResources: ['/v1/orders/**'],
      environments: ['prod'],
      quota: '100',
      quotaInterval: '1',
      quotaTimeUnit: 'minute',
    });
    expect(created).toMatchObject({
      name: 'gold',
      displayName: 'gold',
      approvalType: 'manual',
      apiResources: ['/v1/orders/**'],
      environments: ['prod'],
      proxies: [],
      quota: '100',
      quotaInterval: '1',
      quotaTimeUnit: 'minute',
      createdAt: expect.any(Number),
    });
    expect(await org.products.get({})).toEqual(['gold', 'inventory', 'orders']);
    const updated = await org.products.update({ ...created, approvalType: 'auto', attributes: [] });
    expect(updated).toMatchObject({ name: 'gold', approvalType: 'auto', scopes: ['read'] });
    expect((await org.products.get({ name: 'gold' })).approvalType).toBe('auto');
    expect((await org.products.del({ productName: 'gold' })).name).toBe('gold');
    expect(String(await rejection(org.products.get({ name: 'gold' })))).toBe('Error: bad status: 404');
    expect(String(await rejection(org.products.create({ approvalType: 'auto' })))).toBe(
      'Error: bad status: 400',
    );
  });

  it('creates an app whose key gets tokens at once, and whose revocation the runtime sees at once (docs/fidelity/apigee.md#apigee-app-create, docs/fidelity/apigee.md#apigee-app-chain-at-use-time)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    const app = await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'reports',
      apiProduct: 'orders',
      expiry: '8h',
      callbackUrl: 'https://reports.example.com/cb',
    });
    expect(app).toMatchObject({
      name: 'reports',
      callbackUrl: 'https://reports.example.com/cb',
      status: 'approved',
      scopes: [],
      credentials: [
        {
          apiProducts: [{ apiproduct: 'orders', status: 'approved' }],
          status: 'approved',
          scopes: [],
          attributes: [],
          expiresAt: app.credentials[0].issuedAt + 8 * 3_600_000,
        },
      ],
    });
    expect(app.credentials[0].consumerKey).toMatch(/^[A-Za-z0-9]{32}$/);
    const client = {
      clientId: app.credentials[0].consumerKey,
      clientSecret: app.credentials[0].consumerSecret,
    };
    expect(await runtimeCall(client)).toBe(200);
    await org.appcredentials.revoke({
      developerEmail: DEV.developerEmail,
      appName: 'reports',
      key: client.clientId,
    });
    expect(await runtimeCall(client)).toBe(401);
    await org.appcredentials.approve({
      developerEmail: DEV.developerEmail,
      appName: 'reports',
      key: client.clientId,
    });
    await org.developerapps.revoke({ developerEmail: DEV.developerEmail, app: 'reports' });
    expect(await runtimeCall(client)).toBe(401);
    await org.developerapps.approve({ developerEmail: DEV.developerEmail, app: 'reports' });
    expect(await runtimeCall(client)).toBe(200);
    await org.developerapps.del({ developerEmail: DEV.developerEmail, name: 'reports' });
    expect(await runtimeCall(client)).toBe(401);
  });

  it("answers the client's app errors as Edge does: 409 for a second app of the name, 400 for an unknown product, 404 for a missing app (docs/fidelity/apigee.md#apigee-management-errors)", async () => {
    const org = await connect();
    await org.developers.create(DEV);
    await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'reports',
      apiProduct: 'orders',
    });
    const twice = await rejection(
      org.developerapps.create({ developerEmail: DEV.developerEmail, name: 'reports', apiProduct: 'orders' }),
    );
    expect(String(twice)).toBe('Error: bad status: 409');
    expect(twice.result.message).toBe('App with name reports already exists');
    const unknown = await rejection(
      org.developerapps.create({ developerEmail: DEV.developerEmail, name: 'other', apiProduct: 'nope42' }),
    );
    expect(String(unknown)).toMatch(/bad status: 40[04]/);
    expect(unknown.result.message).toMatch(/(Product with id|API Product) \[nope42\] does not exist.*/);
    const missing = await rejection(
      org.developerapps.del({ developerEmail: DEV.developerEmail, name: 'nothing' }),
    );
    expect(missing.result).toEqual({
      code: 'developer.service.AppDoesNotExist',
      message: `App named nothing does not exist under ${DEV.developerEmail}`,
      contexts: [],
    });
    const noDeveloper = await rejection(org.developerapps.get({ developerEmail: 'nobody99' }));
    expect(noDeveloper.result.message).toBe('DeveloperId nobody99 does not exist in organization acme');
    expect(await org.developerapps.get({ developerEmail: DEV.developerEmail })).toEqual(['reports']);
  });

  it('lets two developers each have an app of one name (docs/fidelity/apigee.md#apigee-app-names)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    const mine = await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'web',
      apiProduct: 'orders',
    });
    const theirs = await org.developerapps.get({ developerEmail: 'dev@example.com', name: 'web' });
    expect(mine.appId).not.toBe(theirs.appId);
    expect(theirs.credentials[0].consumerKey).toBe(WEB.clientId);
  });

  it('updates app attributes as the client does, keeping or replacing them (docs/fidelity/apigee.md#apigee-app-update)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'reports',
      apiProduct: 'orders',
    });
    const before = await org.developerapps.get({ developerEmail: DEV.developerEmail, name: 'reports' });
    const updated = await org.developerapps.update({
      developerEmail: DEV.developerEmail,
      name: 'reports',
      attributes: { updatedBy: 'apigee-edge-js-test', DisplayName: 'Reports' },
    });
    expect(updated.attributes).toHaveLength(before.attributes.length + 2);
    expect(updated.attributes).toContainEqual({ name: 'updatedBy', value: 'apigee-edge-js-test' });
    expect(updated.credentials).toEqual(before.credentials);
    const replaced = await org.developerapps.update({
      developerEmail: DEV.developerEmail,
      name: 'reports',
      replace: true,
      attributes: {},
    });
    expect(replaced.attributes).toEqual([]);
  });

  it('adds generated and imported keys, adds and removes products, updates and deletes keys (docs/fidelity/apigee.md#apigee-key-import, docs/fidelity/apigee.md#apigee-key-update)', async () => {
    const org = await connect();
    await org.developers.create(DEV);
    await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'reports',
      apiProduct: 'orders',
    });
    const keys = { developerEmail: DEV.developerEmail, appName: 'reports' };
    const generated = await org.appcredentials.add({ ...keys, apiProducts: ['orders'], expiry: '60m' });
    expect(generated.credentials).toHaveLength(2);
    await org.appcredentials.add({ ...keys, apiProducts: ['orders'], consumerKey: 'imported-key-1' });
    const imported = await org.appcredentials.get({ ...keys, consumerKey: 'imported-key-1' });
    expect(imported).toMatchObject({
      consumerKey: 'imported-key-1',
      apiProducts: [{ apiproduct: 'orders', status: 'approved' }],
      expiresAt: -1,
      status: 'approved',
    });
    const two = await org.appcredentials.addProduct({
      ...keys,
      consumerKey: 'imported-key-1',
      product: 'inventory',
    });
    expect(two.apiProducts.map((p: { apiproduct: string }) => p.apiproduct)).toEqual(['orders', 'inventory']);
    const one = await org.appcredentials.removeProduct({
      ...keys,
      consumerKey: 'imported-key-1',
      product: 'inventory',
    });
    expect(one.apiProducts).toEqual([{ apiproduct: 'orders', status: 'approved' }]);
    const notOnKey = await rejection(
      org.appcredentials.removeProduct({ ...keys, consumerKey: 'imported-key-1', product: 'inventory' }),
    );
    expect(String(notOnKey)).toBe('Error: bad status: 500');
    expect(notOnKey.result.message).toBe('APIProduct is not associated with consumer key');
    const attributed = await org.appcredentials.update({
      ...keys,
      consumerKey: 'imported-key-1',
      attributes: { attr1: 'one', attr2: 'two' },
    });
    expect(attributed.attributes).toEqual([
      { name: 'attr1', value: 'one' },
      { name: 'attr2', value: 'two' },
    ]);
    const missingKey = await rejection(
      org.appcredentials.update({ ...keys, consumerKey: 'no-such-key', attributes: { a: 'b' } }),
    );
    expect(String(missingKey)).toBe('Error: bad status: 404');
    expect(missingKey.result.message).toBe('Invalid consumer key for Given App');
    expect((await org.appcredentials.del({ ...keys, consumerKey: 'imported-key-1' })).consumerKey).toBe(
      'imported-key-1',
    );
    const gone = await rejection(org.appcredentials.del({ ...keys, consumerKey: 'imported-key-1' }));
    expect(gone.result.code).toBe('keymanagement.service.InvalidClientIdForGivenApp');
    const noApp = await rejection(
      org.appcredentials.del({ developerEmail: DEV.developerEmail, appName: 'nothing', consumerKey: 'x' }),
    );
    expect(noApp.result.code).toBe('developer.service.AppDoesNotExist');
  });

  it('finds the owner of a key through /apps?expand=true (docs/fidelity/apigee.md#apigee-org-apps)', async () => {
    const org = await connect();
    expect(await org.appcredentials.find({ consumerKey: WEB.clientId })).toMatchObject({
      key: WEB.clientId,
      appName: 'web',
      developer: { email: 'dev@example.com' },
    });
    expect(await org.appcredentials.find({ consumerKey: 'nobody-has-this' })).toBeUndefined();
    const ids: string[] = await org.apps.get({});
    expect(ids).toContain(sim.apigee.appId('web'));
    expect((await org.apps.get({ id: sim.apigee.appId('web') })).name).toBe('web');
  });

  it("keeps a manual product's new key pending until approved: the runtime matches no product (docs/fidelity/apigee.md#apigee-approval-type)", async () => {
    const org = await connect();
    await org.products.create({ productName: 'gated', apiResources: ['/v1/orders/**'] });
    await org.developers.create(DEV);
    const app = await org.developerapps.create({
      developerEmail: DEV.developerEmail,
      name: 'reports',
      apiProduct: 'gated',
    });
    const key = app.credentials[0];
    expect(key.apiProducts).toEqual([{ apiproduct: 'gated', status: 'pending' }]);
    const client = { clientId: key.consumerKey, clientSecret: key.consumerSecret };
    expect(await runtimeCall(client)).toBe(401);
    // The client cannot approve one product of a key (lib/appcredential.js throws before sending): raw HTTP.
    const approve = await fetch(
      `${server.url}/v1/o/acme/developers/${DEV.developerEmail}/apps/reports/keys/${key.consumerKey}/apiproducts/gated?action=approve`,
      {
        method: 'POST',
        headers: { Authorization: `Basic ${btoa(`${EDGE_ADMIN.username}:${EDGE_ADMIN.password}`)}` },
      },
    );
    expect(approve.status).toBe(204);
    expect(await runtimeCall(client)).toBe(200);
  });

  it('refuses a 19th attribute: the tool attribute the client adds counts (docs/fidelity/apigee.md#apigee-attributes)', async () => {
    const org = await connect();
    const attributes = Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`a${i}`, String(i)]));
    const refused = await rejection(org.developers.create({ ...DEV, attributes }));
    expect(String(refused)).toBe('Error: bad status: 400');
    expect(refused.result.code).toBe('keymanagement.service.InvalidRequest');
    expect(sim.state.apigee?.developers.map((d) => d.email)).not.toContain(DEV.developerEmail);
  });
});
