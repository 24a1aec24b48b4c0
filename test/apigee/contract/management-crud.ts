import { describe, expect, it } from 'vitest';
import type { Harness, Reply, RequestOptions } from '../../support/harness.ts';
import {
  apigeeScenario,
  EDGE_ADMIN,
  edgeScenario,
  MOBILE,
  WEB,
  type withApigee,
} from '../../support/scenarios.ts';
import {
  basic,
  callApi,
  clientCredentials,
  expectFault,
  FAULTS,
  type Make,
  pair,
  refresh,
  tokenRequest,
} from './helpers.ts';

/**
 * The management API's create, read, update and delete in both dialects, with raw requests
 * (docs/fidelity/apigee.md#apigee-management): what apigee-edge-js does not exercise, the hostile input, and
 * what the runtime sees of each change.
 */

type DialectName = 'x' | 'edge';

interface Dialect {
  name: DialectName;
  scenario: typeof apigeeScenario | ReturnType<typeof withApigee>;
  auth: Record<string, string>;
}

const X: Dialect = { name: 'x', scenario: apigeeScenario, auth: { Authorization: 'Bearer ya29.management' } };
const EDGE: Dialect = {
  name: 'edge',
  scenario: edgeScenario,
  auth: { Authorization: `Basic ${btoa(`${EDGE_ADMIN.username}:${EDGE_ADMIN.password}`)}` },
};

const DEV = `/developers/${encodeURIComponent('dev@example.com')}`;

/** Calls under `/v1/organizations/acme` of the harness's management origin, authenticated. */
function api(h: Harness, d: Dialect) {
  const call = (method: string, path: string, options: RequestOptions = {}) =>
    h.request(method, `${h.management}/v1/organizations/acme${path}`, {
      ...options,
      headers: { ...d.auth, ...options.headers },
    });
  return {
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, json?: unknown) => call('POST', path, json === undefined ? {} : { json }),
    put: (path: string, json: unknown) => call('PUT', path, { json }),
    del: (path: string) => call('DELETE', path),
  };
}

/** The dialect's error: Edge `{code,message,contexts}`; X a Google error whose first detail names the code. */
function expectError(reply: Reply, d: Dialect, status: number, code: string, xStatus = status): void {
  if (d.name === 'edge') {
    expect(reply.status, reply.text).toBe(status);
    expect(reply.body).toEqual({ code, message: expect.any(String), contexts: [] });
    return;
  }
  expect(reply.status, reply.text).toBe(xStatus);
  expect(reply.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  expect(reply.body.error).toMatchObject({
    code: xStatus,
    message: expect.any(String),
    status: expect.any(String),
  });
  expect(reply.body.error.details[0]).toMatchObject({
    '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
    violations: [{ type: code }],
  });
}

/** A number in Edge, an int64 string in X. */
const int64 = (d: Dialect) => (d.name === 'x' ? expect.stringMatching(/^-?\d+$/) : expect.any(Number));

/**
 * What the management API holds (every app, approved or revoked), read straight from the simulator: the
 * transport under test is not needed to look.
 */
async function snapshot(h: Harness, d: Dialect): Promise<string> {
  const base = `${h.sim.scenario.apigee?.managementUrl}/v1/organizations/acme`;
  const paths = [
    '/developers?expand=true',
    '/apiproducts?expand=true',
    '/apps?expand=true&status=approved',
    '/apps?expand=true&status=revoked',
    ...(d.name === 'x' ? ['/appgroups'] : []),
  ];
  const bodies = await Promise.all(
    paths.map(async (path) =>
      (await h.sim.fetch(new Request(`${base}${path}`, { headers: d.auth })))?.text(),
    ),
  );
  return JSON.stringify([bodies, h.sim.state]);
}

/** Runs `act` and checks nothing the management API shows changed. */
async function unchangedOrg(h: Harness, d: Dialect, act: () => Promise<Reply>): Promise<Reply> {
  const before = await snapshot(h, d);
  const reply = await act();
  expect(await snapshot(h, d)).toBe(before);
  return reply;
}

const NEW_DEV = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', userName: 'ada' };

export function managementCrudContract(harness: Make): void {
  for (const d of [X, EDGE]) {
    const label = d.name === 'x' ? 'X' : 'Edge';

    describe(`management API (${label}): developers`, () => {
      it('creates a developer with 201, reads it by email and id, replaces it with PUT and deletes it with 200 (docs/fidelity/apigee.md#apigee-developers)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const created = await a.post('/developers', {
          ...NEW_DEV,
          attributes: [{ name: 'team', value: 'blue' }],
        });
        expect(created.status, created.text).toBe(201);
        expect(created.body).toMatchObject({
          email: NEW_DEV.email,
          status: 'active',
          attributes: [{ name: 'team', value: 'blue' }],
          createdAt: int64(d),
          organizationName: 'acme',
        });
        expect('createdBy' in created.body).toBe(d.name === 'edge');
        const { developerId } = created.body;
        expect((await a.get(`/developers/${developerId}`)).body.email).toBe(NEW_DEV.email);
        const replaced = await a.put('/developers/ADA@example.com', { ...NEW_DEV, firstName: 'Augusta' });
        expect(replaced.status, replaced.text).toBe(200);
        expect(replaced.body.firstName).toBe('Augusta');
        expect(replaced.body.attributes ?? []).toEqual([]);
        const deleted = await a.del(`/developers/${NEW_DEV.email}`);
        expect(deleted.status).toBe(200);
        expect(deleted.body.email).toBe(NEW_DEV.email);
        expectError(
          await a.get(`/developers/${NEW_DEV.email}`),
          d,
          404,
          'developer.service.DeveloperIdDoesNotExist',
        );
      });

      it('lists developers sorted by email, from an inclusive startKey, count at a time; expand=true gives whole developers (docs/fidelity/apigee.md#apigee-management-lists)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        await a.post('/developers', NEW_DEV);
        const all = await a.get('/developers');
        const page = await a.get('/developers?startKey=dev%40example.com&count=1');
        if (d.name === 'x') {
          expect(all.body).toEqual({
            developer: [
              { email: 'ada@example.com' },
              { email: 'dev@example.com' },
              { email: 'other@example.com' },
            ],
          });
          expect(page.body).toEqual({ developer: [{ email: 'dev@example.com' }] });
        } else {
          expect(all.body).toEqual(['ada@example.com', 'dev@example.com', 'other@example.com']);
          expect(page.body).toEqual(['dev@example.com']);
        }
        const expanded = await a.get('/developers?expand=true&count=2');
        expect(expanded.body.developer.map((dev: { email: string }) => dev.email)).toEqual([
          'ada@example.com',
          'dev@example.com',
        ]);
        expect(expanded.body.developer[1].apps).toEqual(['web', 'mobile']);
      });

      it("reads, replaces, sets and deletes a developer's attributes (docs/fidelity/apigee.md#apigee-attributes)", async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const set = await a.post(`${DEV}/attributes`, {
          attribute: [
            { name: 'tier', value: 'gold' },
            { name: 'region', value: 'eu' },
          ],
        });
        expect(set.body).toEqual({
          attribute: [
            { name: 'tier', value: 'gold' },
            { name: 'region', value: 'eu' },
          ],
        });
        expect((await a.post(`${DEV}/attributes/tier`, { value: 'platinum' })).body).toEqual({
          name: 'tier',
          value: 'platinum',
        });
        expect((await a.get(`${DEV}/attributes/tier`)).body).toEqual({ name: 'tier', value: 'platinum' });
        expect((await a.del(`${DEV}/attributes/region`)).body).toEqual({ name: 'region', value: 'eu' });
        expect((await a.get(`${DEV}/attributes`)).body).toEqual({
          attribute: [{ name: 'tier', value: 'platinum' }],
        });
        expectError(
          await a.get(`${DEV}/attributes/region`),
          d,
          404,
          'organizations.keymanagement.AttributeDoesntExist',
        );
        expect((await a.get(DEV)).body.attributes).toEqual([{ name: 'tier', value: 'platinum' }]);
      });

      it(
        d.name === 'x'
          ? 'refuses to change a developer email with PUT: 400, nothing changes (docs/fidelity/apigee.md#apigee-developer-update)'
          : 'moves a developer to a new email with PUT, keeping its apps (docs/fidelity/apigee.md#apigee-developer-update)',
        async () => {
          const h = await harness(d.scenario);
          const a = api(h, d);
          const body = { email: 'renamed@example.com', firstName: 'R', lastName: 'D', userName: 'r' };
          if (d.name === 'x') {
            expectError(
              await unchangedOrg(h, d, () => a.put(DEV, body)),
              d,
              400,
              'keymanagement.service.InvalidRequest',
            );
            return;
          }
          expect((await a.put(DEV, body)).body.email).toBe('renamed@example.com');
          expect((await a.get('/developers/renamed@example.com/apps/web')).status).toBe(200);
          expectError(await a.get(DEV), d, 404, 'developer.service.DeveloperIdDoesNotExist');
          expect((await callApi(h, (await clientCredentials(h)).access_token)).status).toBe(200);
        },
      );

      it('deletes the apps and keys of a deleted developer: their tokens fail at once (docs/fidelity/apigee.md#apigee-developers)', async () => {
        const h = await harness(d.scenario);
        const { at } = await pair(h);
        expect((await api(h, d).del(DEV)).body.apps).toEqual(['web', 'mobile']);
        expectFault(await callApi(h, at), FAULTS.invalidToken);
        expect(h.sim.state.apigee?.apps.map((app) => app.name)).toEqual(['jwt-app']);
      });

      it('sets a developer inactive and active with 204 and no body, without a Content-Type (docs/fidelity/apigee.md#apigee-management-actions)', async () => {
        const h = await harness(d.scenario);
        const reply = await h.request('POST', `${h.management}/v1/organizations/acme${DEV}?action=inactive`, {
          headers: d.auth,
        });
        expect(reply.status).toBe(204);
        expect(reply.text).toBe('');
        expect(h.sim.state.apigee?.developers[0]?.status).toBe('inactive');
      });
    });

    describe(`management API (${label}): apps and keys`, () => {
      it('gives products no key holds a new key on PUT, leaves the keys alone without products, and refuses a new name (docs/fidelity/apigee.md#apigee-app-update)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const added = await a.put(`${DEV}/apps/mobile`, {
          apiProducts: ['orders', 'inventory'],
          callbackUrl: 'https://mobile.example.com/cb',
          attributes: [{ name: 'DisplayName', value: 'Mobile' }],
        });
        expect(added.status, added.text).toBe(200);
        expect(added.body.credentials).toHaveLength(2);
        expect(added.body.credentials[1].apiProducts).toEqual([
          { apiproduct: 'inventory', status: 'approved' },
        ]);
        expect(added.body.callbackUrl).toBe('https://mobile.example.com/cb');
        const kept = await a.put(`${DEV}/apps/mobile`, { apiProducts: [] });
        expect(kept.body.credentials).toHaveLength(2);
        expect(kept.body.attributes ?? []).toEqual([]);
        expect(kept.body.callbackUrl ?? '').toBe('');
        const renamed = await unchangedOrg(h, d, () => a.put(`${DEV}/apps/mobile`, { name: 'other' }));
        expectError(renamed, d, 400, 'keymanagement.service.InvalidRequest');
      });

      it('generates a key pair on POST with a body (200 with the app), whose credentials get tokens (docs/fidelity/apigee.md#apigee-app-generate-key)', async () => {
        const h = await harness(d.scenario);
        const reply = await api(h, d).post(`${DEV}/apps/web`, {
          apiProducts: ['inventory'],
          keyExpiresIn: 60000,
        });
        expect(reply.status, reply.text).toBe(200);
        const key = reply.body.credentials[1];
        expect(key.apiProducts).toEqual([{ apiproduct: 'inventory', status: 'approved' }]);
        expect(key.consumerKey).toHaveLength(d.name === 'x' ? 48 : 32);
        const token = await clientCredentials(h, {
          clientId: key.consumerKey,
          clientSecret: key.consumerSecret,
        });
        expect((await callApi(h, token.access_token, '/v1/inventory/1')).status).toBe(200);
        h.sim.clock.advance('61s');
        const expired = await tokenRequest(
          h,
          { grant_type: 'client_credentials' },
          { clientId: key.consumerKey, clientSecret: key.consumerSecret },
        );
        expect(expired.status).toBe(401);
      });

      it('imports a consumer key without products (201, approved), adds products to it, and refuses a key used anywhere with 409 (docs/fidelity/apigee.md#apigee-key-import)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const path = d.name === 'x' ? `${DEV}/apps/mobile/keys` : `${DEV}/apps/mobile/keys/create`;
        const imported = await a.post(path, { consumerKey: 'legacy-key_1', consumerSecret: 'legacy-secret' });
        expect(imported.status, imported.text).toBe(201);
        expect(imported.body).toMatchObject({ consumerKey: 'legacy-key_1', status: 'approved' });
        expect(imported.body.apiProducts ?? []).toEqual([]);
        const withProduct = await a.post(`${DEV}/apps/mobile/keys/legacy-key_1`, { apiProducts: ['orders'] });
        expect(withProduct.body.apiProducts).toEqual([{ apiproduct: 'orders', status: 'approved' }]);
        const token = await clientCredentials(h, { clientId: 'legacy-key_1', clientSecret: 'legacy-secret' });
        expect((await callApi(h, token.access_token)).status).toBe(200);
        const taken = await unchangedOrg(h, d, () =>
          a.post(`${DEV}/apps/mobile/keys/create`, { consumerKey: WEB.clientId, consumerSecret: 'x' }),
        );
        expectError(taken, d, 409, 'keymanagement.service.ConsumerKeyAlreadyExists');
        if (d.name === 'x') expect(taken.body.error.status).toBe('ABORTED');
      });

      it("replaces a key's scopes within its products' scopes; others are 400 InvalidScopes (docs/fidelity/apigee.md#apigee-key-update)", async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const key = `${DEV}/apps/web/keys/${WEB.clientId}`;
        expect((await a.put(key, { scopes: ['read', 'stock'] })).body.scopes).toEqual(['read', 'stock']);
        const refused = await unchangedOrg(h, d, () => a.put(key, { scopes: ['admin'] }));
        expectError(refused, d, 400, 'keymanagement.service.InvalidScopes');
        expect(refused.text).toContain('Invalid scopes. Scopes must be contained in [read, write, stock]');
      });

      it('approves and revokes keys, apps and key products with 204 (docs/fidelity/apigee.md#apigee-management-actions)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        for (const path of [
          `${DEV}/apps/web?action=revoke`,
          `${DEV}/apps/web/keys/${WEB.clientId}?action=revoke`,
          `${DEV}/apps/web/keys/${WEB.clientId}/apiproducts/orders?action=revoke`,
        ]) {
          const reply = await a.call('POST', path, {
            headers: { 'Content-Type': 'application/octet-stream' },
          });
          expect(reply.status, reply.text).toBe(204);
        }
        expect((await a.get(`${DEV}/apps/web`)).body).toMatchObject({
          status: 'revoked',
          credentials: [
            { status: 'revoked', apiProducts: [{ apiproduct: 'orders', status: 'revoked' }, {}] },
          ],
        });
      });

      it("manages an app's attributes and a key's attributes (docs/fidelity/apigee.md#apigee-attributes)", async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        await a.post(`${DEV}/apps/web/attributes`, { attribute: [{ name: 'DisplayName', value: 'Web' }] });
        expect((await a.get(`${DEV}/apps/web/attributes/DisplayName`)).body).toEqual({
          name: 'DisplayName',
          value: 'Web',
        });
        const key = await a.post(`${DEV}/apps/web/keys/${WEB.clientId}`, {
          attributes: [{ name: 'k', value: 'v' }],
        });
        expect(key.body.attributes).toEqual([{ name: 'k', value: 'v' }]);
        expect(key.body.apiProducts).toHaveLength(2);
      });

      it('deletes a key (200 with the key) and a key product; the key answers 404 after, its tokens fail (docs/fidelity/apigee.md#apigee-key-update)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const { at, rt } = await pair(h);
        const key = `${DEV}/apps/web/keys/${WEB.clientId}`;
        expect((await a.del(`${key}/apiproducts/inventory`)).body.apiProducts).toEqual([
          { apiproduct: 'orders', status: 'approved' },
        ]);
        expectFault(await callApi(h, at, '/v1/inventory/1'), {
          status: 401,
          errorcode: 'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
        });
        expect((await a.del(key)).body.consumerKey).toBe(WEB.clientId);
        expectError(await a.get(key), d, 404, 'keymanagement.service.InvalidClientIdForGivenApp');
        expectFault(await callApi(h, at), FAULTS.invalidToken);
        expect((await refresh(h, rt)).status).toBe(401);
      });
    });

    describe(`management API (${label}): API products`, () => {
      it('creates a product (201), replaces it with PUT, refuses a new name, and deletes it (docs/fidelity/apigee.md#apigee-products)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const created = await a.post('/apiproducts', {
          name: 'gold',
          displayName: 'Gold',
          approvalType: 'auto',
          apiResources: ['/v1/gold/**'],
          scopes: ['read'],
          environments: ['prod'],
          quota: 1000,
          quotaInterval: '1',
          quotaTimeUnit: 'day',
          attributes: [{ name: 'access', value: 'public' }],
        });
        expect(created.status, created.text).toBe(201);
        expect(created.body).toMatchObject({
          name: 'gold',
          displayName: 'Gold',
          quota: '1000',
          attributes: [{ name: 'access', value: 'public' }],
          createdAt: int64(d),
        });
        const replaced = await a.put('/apiproducts/gold', {
          displayName: 'Gold tier',
          approvalType: 'manual',
        });
        expect(replaced.body).toMatchObject({
          name: 'gold',
          displayName: 'Gold tier',
          approvalType: 'manual',
        });
        expect(replaced.body.scopes ?? []).toEqual([]);
        expectError(
          await unchangedOrg(h, d, () => a.put('/apiproducts/gold', { name: 'silver' })),
          d,
          400,
          'keymanagement.service.InvalidRequest',
        );
        expectError(
          await unchangedOrg(h, d, () => a.post('/apiproducts', { name: 'gold' })),
          d,
          409,
          'keymanagement.service.apiproduct_already_exists',
        );
        expect((await a.del('/apiproducts/gold')).body.name).toBe('gold');
        expectError(
          await a.get('/apiproducts/gold'),
          d,
          404,
          'keymanagement.service.apiproduct_doesnot_exist',
        );
      });

      it('leaves keys holding a deleted product without its resources (docs/fidelity/apigee.md#apigee-products)', async () => {
        const h = await harness(d.scenario);
        const { at } = await pair(h);
        await api(h, d).del('/apiproducts/inventory');
        expectFault(await callApi(h, at, '/v1/inventory/1'), {
          status: 401,
          errorcode: 'keymanagement.service.apiresource_doesnot_exist',
        });
        expect((await callApi(h, at, '/v1/orders/1')).status).toBe(200);
      });

      it("starts a manual product's key entries pending; a product without apiResources covers every path (docs/fidelity/apigee.md#apigee-approval-type, docs/fidelity/apigee.md#apigee-empty-product)", async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        await a.post('/apiproducts', { name: 'everything', approvalType: 'manual' });
        const key = await a.post(`${DEV}/apps/mobile/keys/${MOBILE.clientId}`, {
          apiProducts: ['everything'],
        });
        expect(key.body.apiProducts).toEqual([
          { apiproduct: 'orders', status: 'approved' },
          { apiproduct: 'everything', status: 'pending' },
        ]);
        const pending = (await clientCredentials(h, MOBILE)).access_token;
        expect((await callApi(h, pending, '/v1/inventory/1')).status).toBe(401);
        const approve = await a.call(
          'POST',
          `${DEV}/apps/mobile/keys/${MOBILE.clientId}/apiproducts/everything?action=approve`,
        );
        expect(approve.status).toBe(204);
        const approved = (await clientCredentials(h, MOBILE)).access_token;
        expect((await callApi(h, approved, '/v1/inventory/1')).status).toBe(200);
      });

      it('lists products by name, filtered by attribute (docs/fidelity/apigee.md#apigee-management-lists)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        await a.post('/apiproducts', { name: 'pub', attributes: [{ name: 'access', value: 'public' }] });
        const filtered = await a.get('/apiproducts?attributename=access&attributevalue=public');
        expect(filtered.body).toEqual(d.name === 'x' ? { apiProduct: [{ name: 'pub' }] } : ['pub']);
        const expanded = await a.get('/apiproducts?expand=true&startKey=orders');
        expect(expanded.body.apiProduct.map((p: { name: string }) => p.name)).toEqual(['orders', 'pub']);
      });
    });

    describe(`management API (${label}): the organization's apps`, () => {
      it(
        d.name === 'x'
          ? 'lists approved apps by default, revoked ones with status=revoked, whole apps with their keys with expand=true (docs/fidelity/apigee.md#apigee-org-apps)'
          : 'lists every app id, whole apps with their keys with expand=true (docs/fidelity/apigee.md#apigee-org-apps)',
        async () => {
          const h = await harness(d.scenario);
          const a = api(h, d);
          await a.call('POST', `${DEV}/apps/mobile?action=revoke`);
          const ids = (await a.get('/apps')).body;
          const mobile = h.sim.apigee.appId('mobile');
          if (d.name === 'x') {
            expect(ids.app).not.toContainEqual({ appId: mobile });
            expect((await a.get('/apps?status=revoked')).body).toEqual({ app: [{ appId: mobile }] });
          } else {
            expect(ids).toContain(mobile);
          }
          const expanded = (await a.get('/apps?expand=true')).body.app;
          const web = expanded.find((app: { name: string }) => app.name === 'web');
          expect(web.credentials[0].consumerKey).toBe(WEB.clientId);
          if (d.name === 'x') expect(web.developerEmail).toBe('dev@example.com');
          const withoutKeys = (await a.get('/apps?expand=true&includeCred=false')).body.app;
          expect(withoutKeys[0]).not.toHaveProperty('credentials');
        },
      );

      it('reads and deletes any app by id; its tokens fail after (docs/fidelity/apigee.md#apigee-org-apps)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        const { at } = await pair(h);
        const id = h.sim.apigee.appId('web');
        expect((await a.get(`/apps/${id}`)).body.name).toBe('web');
        expect((await a.del(`/apps/${id}`)).body.appId).toBe(id);
        expectError(await a.get(`/apps/${id}`), d, 404, 'keymanagement.service.app_id_not_found');
        expectFault(await callApi(h, at), FAULTS.invalidToken);
      });
    });

    describe(`management API (${label}): routing, authentication and hostile input`, () => {
      it(
        d.name === 'edge'
          ? 'answers under /v1/o/{org} too (docs/fidelity/apigee.md#apigee-management-dialects)'
          : 'answers /v1/o/{org} with its own 404, not the proxy (docs/fidelity/apigee.md#apigee-management-dialects)',
        async () => {
          const h = await harness(d.scenario);
          const reply = await h.request('GET', `${h.management}/v1/o/acme/developers`, { headers: d.auth });
          if (d.name === 'edge') expect(reply.body).toEqual(['dev@example.com', 'other@example.com']);
          else expectError(reply, d, 404, 'management.service.ResourceNotFound');
        },
      );

      it('answers no credentials with 401 and another organization with 403, in the dialect, changing nothing (docs/fidelity/apigee.md#apigee-management-auth)', async () => {
        const h = await harness(d.scenario);
        const none = await unchangedOrg(h, d, () =>
          h.request('POST', `${h.management}/v1/organizations/acme/developers`, { json: NEW_DEV }),
        );
        if (d.name === 'edge') expectError(none, d, 401, 'security.auth.MissingCredentials');
        else expect(none.body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
        const other = await unchangedOrg(h, d, () =>
          h.request('POST', `${h.management}/v1/organizations/other/developers`, {
            json: NEW_DEV,
            headers: d.auth,
          }),
        );
        expectError(other, d, 403, 'security.auth.AccessDenied');
      });

      it(
        d.name === 'edge'
          ? 'accepts a bearer token as well as Basic, and refuses an unknown administrator (docs/fidelity/apigee.md#apigee-management-auth)'
          : 'refuses Basic credentials with 401 UNAUTHENTICATED (docs/fidelity/apigee.md#apigee-management-auth)',
        async () => {
          const h = await harness(d.scenario);
          const url = `${h.management}/v1/organizations/acme/developers`;
          if (d.name === 'edge') {
            expect(
              (await h.request('GET', url, { headers: { Authorization: 'Bearer login-token' } })).status,
            ).toBe(200);
            const stranger = await h.request('GET', url, {
              headers: basic({ clientId: 'x@example.com', clientSecret: 'y' }),
            });
            expectError(stranger, d, 401, 'security.auth.InvalidCredentials');
          } else {
            const reply = await h.request('GET', url, {
              headers: { Authorization: EDGE.auth.Authorization ?? '' },
            });
            expect(reply.status).toBe(401);
            expect(reply.body.error.details[0]).toMatchObject({ reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' });
          }
        },
      );

      const badBodies: [string, RequestOptions][] = [
        ['malformed JSON', { body: '{"email":', headers: { 'Content-Type': 'application/json' } }],
        ['a JSON array', { body: '[1,2]', headers: { 'Content-Type': 'application/json' } }],
        ['a field of the wrong type', { json: { ...NEW_DEV, firstName: 42 } }],
        ['a missing required field', { json: { email: 'ada@example.com' } }],
        [
          'a __proto__ key',
          { body: '{"__proto__":{"x":1},"email":"a@b.c"}', headers: { 'Content-Type': 'application/json' } },
        ],
        ['an invalid email', { json: { ...NEW_DEV, email: 'not an email' } }],
        [
          '19 attributes',
          {
            json: {
              ...NEW_DEV,
              attributes: Array.from({ length: 19 }, (_, i) => ({ name: `a${i}`, value: 'v' })),
            },
          },
        ],
        [
          'an attribute value over 8192 characters',
          { json: { ...NEW_DEV, attributes: [{ name: 'a', value: 'v'.repeat(8193) }] } },
        ],
        ['a body over 1 MiB', { json: { ...NEW_DEV, pad: 'a'.repeat(1024 * 1024) } }],
      ];
      it('answers each hostile body with 400 and creates nothing: malformed JSON, an array, wrong types, a missing field, __proto__, a bad email, 19 attributes, a long attribute, over 1 MiB (docs/fidelity/apigee.md#apigee-management-bodies)', async () => {
        const h = await harness(d.scenario);
        for (const [what, options] of badBodies) {
          const reply = await unchangedOrg(h, d, () => api(h, d).call('POST', '/developers', options));
          expect(reply.status, what).toBe(400);
          expectError(reply, d, 400, 'keymanagement.service.InvalidRequest');
        }
      });

      it('answers a body declared as another type with 415 (Edge) or 400 (X) (docs/fidelity/apigee.md#apigee-management-bodies)', async () => {
        const h = await harness(d.scenario);
        const reply = await unchangedOrg(h, d, () =>
          api(h, d).call('POST', '/developers', {
            body: JSON.stringify(NEW_DEV),
            headers: { 'Content-Type': 'text/plain' },
          }),
        );
        expectError(reply, d, 415, 'keymanagement.service.InvalidRequest', 400);
      });

      it('refuses names Apigee does not allow with 400, creating nothing (docs/fidelity/apigee.md#apigee-management-names)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        for (const [path, body, code] of [
          [`${DEV}/apps`, { name: '-web' }, 'keymanagement.service.app_invalid_name'],
          [`${DEV}/apps`, { name: 'a/b' }, 'keymanagement.service.app_invalid_name'],
          ['/apiproducts', { name: 'bad/name' }, 'keymanagement.service.InvalidRequest'],
          [
            `${DEV}/apps/web/keys/create`,
            { consumerKey: 'has space' },
            'keymanagement.service.InvalidRequest',
          ],
          [`${DEV}/apps`, { name: 'ok', keyExpiresIn: -5 }, 'keymanagement.service.InvalidRequest'],
        ] as const) {
          expectError(await unchangedOrg(h, d, () => a.post(path, body)), d, 400, code);
        }
      });

      it('refuses bad query values and unknown actions with 400 (docs/fidelity/apigee.md#apigee-management-bodies)', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        for (const path of [
          '/developers?count=0',
          '/developers?expand=maybe',
          '/apps?status=pending',
          '/apiproducts?count=abc',
        ]) {
          expectError(await a.get(path), d, 400, 'keymanagement.service.InvalidRequest');
        }
        expectError(
          await unchangedOrg(h, d, () => a.call('POST', `${DEV}/apps/web?action=delete`)),
          d,
          400,
          'keymanagement.service.InvalidRequest',
        );
      });

      it('answers an unknown path with 404 and a wrong method with 405, in the dialect', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        expectError(await a.get('/nothing/here'), d, 404, 'management.service.ResourceNotFound');
        expectError(await a.call('PATCH', DEV), d, 405, 'management.service.MethodNotAllowed');
      });

      it('records management operations in the journal, and a vendor-error fault answers in the dialect', async () => {
        const h = await harness(d.scenario);
        const a = api(h, d);
        await a.post(`${DEV}/apps`, { name: 'reports', apiProducts: ['orders'] });
        expect(h.sim.requests.last()).toMatchObject({
          operation: 'createDeveloperApp',
          status: 201,
          principal: 'dev@example.com/reports',
        });
        h.sim.faults.inject({
          match: { operation: 'getDeveloperApp' },
          effect: { type: 'vendor-error', code: 'AppDoesNotExist' },
          times: 1,
        });
        expectError(await a.get(`${DEV}/apps/reports`), d, 404, 'developer.service.AppDoesNotExist');
        expect((await a.get(`${DEV}/apps/reports`)).status).toBe(200);
      });
    });
  }

  describe('management API (X): app groups', () => {
    it('creates an app group, lists, deactivates and deletes it with its apps (docs/fidelity/apigee.md#apigee-app-groups)', async () => {
      const h = await harness(X.scenario);
      const a = api(h, X);
      const created = await a.post('/appgroups', {
        name: 'partners',
        displayName: 'Partners',
        channelId: 'portal',
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body).toMatchObject({
        name: 'partners',
        status: 'active',
        organization: 'acme',
        channelId: 'portal',
      });
      expect((await a.get('/appgroups')).body).toMatchObject({
        appGroups: [{ name: 'partners' }],
        totalSize: 1,
      });
      const inactive = await a.call('PUT', '/appgroups/partners?action=inactive', {
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      expect(inactive.body.status).toBe('inactive');
      const app = await a.post('/appgroups/partners/apps', { name: 'feed', apiProducts: ['orders'] });
      expect(app.status, app.text).toBe(201);
      expect(app.body).toMatchObject({ name: 'feed', appGroup: 'partners' });
      expect(app.body).not.toHaveProperty('developerId');
      expect((await a.get('/appgroups/partners/apps')).body).toMatchObject({
        appGroupApps: [{ name: 'feed' }],
      });
      const imported = await a.post('/appgroups/partners/apps/feed/keys', {
        consumerKey: 'feed-key',
        consumerSecret: 's',
      });
      expect(imported.status).toBe(201);
      const revoked = await a.call('PUT', '/appgroups/partners/apps/feed?action=revoke');
      expect(revoked.body.status).toBe('revoked');
      expect((await a.del('/appgroups/partners')).body.name).toBe('partners');
      expectError(
        await a.get('/appgroups/partners/apps/feed'),
        X,
        404,
        'appgroup.service.AppGroupDoesNotExist',
      );
      expect(h.sim.state.apigee?.apps.map((entry) => entry.name)).not.toContain('feed');
    });

    it('answers app groups in Edge with its 404 (docs/fidelity/apigee.md#apigee-app-groups)', async () => {
      const h = await harness(EDGE.scenario);
      expectError(await api(h, EDGE).get('/appgroups'), EDGE, 404, 'management.service.ResourceNotFound');
    });
  });

  describe('management API (Edge): OAuth token administration', () => {
    it('reads an access token with numbers for times, and 404s an unknown one (docs/fidelity/apigee.md#apigee-edge-token-admin)', async () => {
      const h = await harness(EDGE.scenario);
      const { at } = await pair(h);
      const reply = await api(h, EDGE).get(`/oauth2/accesstokens/${at}`);
      expect(reply.body).toMatchObject({
        token: at,
        clientId: WEB.clientId,
        app: 'web',
        appId: h.sim.apigee.appId('web'),
        apiproducts: ['orders', 'inventory'],
        status: 'approved',
        grantType: 'password',
        issuedAt: expect.any(Number),
        expiresAt: expect.any(Number),
        refreshCount: 0,
        tokenType: 'BearerToken',
      });
      expectError(
        await api(h, EDGE).get('/oauth2/accesstokens/nothing'),
        EDGE,
        404,
        'keymanagement.service.AccessTokenDoesntExists',
      );
    });

    it('revokes an access token with cascade (204): VerifyAccessToken and refresh fail; approval restores it (docs/fidelity/apigee.md#apigee-edge-token-admin)', async () => {
      const h = await harness(EDGE.scenario);
      const a = api(h, EDGE);
      const { at, rt } = await pair(h);
      expect((await a.call('POST', `/oauth2/accesstokens/${at}?action=revoke&cascade=true`)).status).toBe(
        204,
      );
      expectFault(await callApi(h, at), FAULTS.notApproved);
      expect((await refresh(h, rt)).status).toBe(400);
      expect((await a.call('POST', `/oauth2/accesstokens/${at}?action=approve&cascade=true`)).status).toBe(
        204,
      );
      expect((await callApi(h, at)).status).toBe(200);
    });

    it('updates a token attributes and scope, and deletes it: the token is unknown after (docs/fidelity/apigee.md#apigee-edge-token-admin)', async () => {
      const h = await harness(EDGE.scenario);
      const a = api(h, EDGE);
      const { at } = await pair(h);
      const updated = await a.post(`/oauth2/accesstokens/${at}`, {
        attributes: [{ name: 'tier', value: '1' }],
        scope: 'read',
      });
      expect(updated.body).toMatchObject({ attributes: [{ name: 'tier', value: '1' }], scope: 'read' });
      expect((await a.del(`/oauth2/accesstokens/${at}`)).body.token).toBe(at);
      expectFault(await callApi(h, at), FAULTS.invalidToken);
    });

    it('revokes a refresh token (204): refreshing fails (docs/fidelity/apigee.md#apigee-edge-token-admin)', async () => {
      const h = await harness(EDGE.scenario);
      const { rt, at } = await pair(h);
      expect((await api(h, EDGE).call('POST', `/oauth2/refreshtokens/${rt}?action=revoke`)).status).toBe(204);
      expect((await refresh(h, rt)).body).toEqual({
        ErrorCode: 'invalid_request',
        Error: 'Refresh Token not approved',
      });
      expect((await callApi(h, at)).status).toBe(200);
    });

    it('revokes the tokens of an app or an end user with 202 and their count; needs one of the two (docs/fidelity/apigee.md#apigee-edge-token-admin)', async () => {
      const h = await harness(EDGE.scenario);
      const a = api(h, EDGE);
      const alice = await pair(h, WEB, 'alice');
      await pair(h, WEB, 'bob');
      const byUser = await a.call('POST', '/oauth2/revoke?enduser=alice');
      expect(byUser.status).toBe(202);
      expect(byUser.body).toBe(1);
      expectFault(await callApi(h, alice.at), FAULTS.notApproved);
      // bob's access token, and with cascade the two refresh tokens still approved.
      const byApp = await a.call('POST', `/oauth2/revoke?app=${h.sim.apigee.appId('web')}&cascade=true`);
      expect(byApp.body).toBe(3);
      expectError(await a.call('POST', '/oauth2/revoke'), EDGE, 400, 'parameters_missing');
      expectError(
        await a.call('POST', '/oauth2/revoke?app=nope'),
        EDGE,
        404,
        'keymanagement.service.app_id_not_found',
      );
    });

    it('searches the access tokens of an app a page at a time (docs/fidelity/apigee.md#apigee-edge-token-admin)', async () => {
      const h = await harness(EDGE.scenario);
      const tokens = [await pair(h, WEB, 'a'), await pair(h, WEB, 'b'), await pair(h, WEB, 'c')].map(
        (p) => p.at,
      );
      const appId = h.sim.apigee.appId('web');
      const first = await api(h, EDGE).get(`/oauth2/search?app=${appId}&limit=2`);
      expect(first.body).toEqual({
        list: tokens.slice(0, 2),
        meta: { limit: 2, next: tokens[2], query: { app: appId }, start: '', totalResults: 3 },
      });
      const second = await api(h, EDGE).get(`/oauth2/search?app=${appId}&limit=2&start=${tokens[2]}`);
      expect(second.body.list).toEqual([tokens[2]]);
      expectError(
        await api(h, EDGE).get(`/oauth2/search?app=${appId}&limit=0`),
        EDGE,
        400,
        'InvalidValueForLimitParam',
      );
    });

    it('has no token administration in X: 404 (docs/fidelity/apigee.md#apigee-edge-token-admin)', async () => {
      const h = await harness(X.scenario);
      const { at } = await pair(h);
      expectError(
        await api(h, X).get(`/oauth2/accesstokens/${at}`),
        X,
        404,
        'management.service.ResourceNotFound',
      );
    });
  });
}
