import { describe, expect, it } from 'vitest';
import { matchAppRef, parseAppRef } from '../../src/apigee/domain/app-ref.ts';
import { ManagementError } from '../../src/apigee/domain/errors.ts';
import {
  createApp,
  createDeveloper,
  deleteDeveloper,
  developerOwner,
  importKey,
  updateApp,
} from '../../src/apigee/domain/management.ts';
import { createProduct } from '../../src/apigee/domain/products.ts';
import { searchTokens } from '../../src/apigee/domain/token-admin.ts';
import { validateScenario } from '../../src/scenario/parse.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import { apigeeScenario, withApigee } from '../support/scenarios.ts';
import { apigeeOrg, pair } from './apigee-support.ts';

/** The management domain without HTTP (docs/fidelity/apigee.md#apigee-management). */

const APP = {
  apiProducts: ['orders'],
  callbackUrl: undefined,
  attributes: undefined,
  keyExpiresIn: undefined,
  scopes: [],
};

/** The name and code of a management error thrown by `run`, or 'ok'. */
function refusal(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof ManagementError) return error.parts.code;
    throw error;
  }
}

describe('app references (docs/fidelity/apigee.md#apigee-app-names)', () => {
  const apps = [
    { name: 'web', developer: 'dev@example.com' },
    { name: 'web', developer: 'other@example.com' },
    { name: 'mobile', developer: 'dev@example.com' },
  ];
  const match = (ref: string) =>
    matchAppRef(
      apps,
      ref,
      (a) => a.name,
      (a) => a.developer,
    );

  it('splits developer/app at the last slash', () => {
    expect(parseAppRef('odd/name@example.com/web')).toEqual({
      developer: 'odd/name@example.com',
      name: 'web',
    });
    expect(parseAppRef('web')).toEqual({ developer: undefined, name: 'web' });
  });

  it('finds a unique bare name, a developer/app without regard to the email case, and reports ambiguity', () => {
    expect(match('mobile')).toEqual({ kind: 'found', app: apps[2] });
    expect(match('Other@Example.com/web')).toEqual({ kind: 'found', app: apps[1] });
    expect(match('web')).toEqual({ kind: 'ambiguous', candidates: [apps[0], apps[1]] });
    expect(match('nobody@example.com/web')).toEqual({ kind: 'none' });
  });
});

describe('developers, apps and keys in the domain', () => {
  it('keeps app names unique per developer, not per organization', () => {
    const org = apigeeOrg();
    const other = developerOwner(org, 'other@example.com');
    const app = createApp(org, other, { ...APP, name: 'web' }, 'me', 'x');
    expect(org.apps.find(app.developerId, 'web')).toBe(app);
    expect(refusal(() => createApp(org, other, { ...APP, name: 'web' }, 'me', 'x'))).toBe(
      'keymanagement.service.app_already_exists',
    );
    expect([...org.apps.values()].filter((a) => a.name === 'web')).toHaveLength(2);
  });

  it('indexes keys added and removed through the registry, and forgets every key of a deleted developer', () => {
    const org = apigeeOrg();
    const owner = developerOwner(org, 'dev@example.com');
    importKey(
      org,
      owner,
      'web',
      { consumerKey: 'k1', consumerSecret: 's', expiresInSeconds: 60, attributes: [], scopes: [] },
      'me',
      'edge',
    );
    expect(org.keyOf('k1')?.key.expiresAt).toBe(org.now() + 60_000);
    deleteDeveloper(org, 'dev@example.com');
    expect(org.keyOf('k1')).toBeUndefined();
    expect(org.keyOf('web-key')).toBeUndefined();
    expect(org.keyOf('jwt-key')).toBeDefined();
  });

  it('gives products no key holds a new key holding only them, generated at the dialect length', () => {
    const org = apigeeOrg();
    const owner = developerOwner(org, 'dev@example.com');
    const app = updateApp(
      org,
      owner,
      'mobile',
      { name: undefined, apiProducts: ['orders', 'inventory'], callbackUrl: undefined, attributes: [] },
      'me',
      'edge',
    );
    expect(app.credentials.map((k) => k.apiProducts.map((p) => p.apiproduct))).toEqual([
      ['orders'],
      ['inventory'],
    ]);
    expect(app.credentials[1]?.consumerKey).toHaveLength(32);
    expect(app.credentials[1]?.consumerSecret).toHaveLength(16);
  });

  it('checks everything before changing anything: a bad attribute leaves the app as it was', () => {
    const org = apigeeOrg();
    const owner = developerOwner(org, 'dev@example.com');
    const before = structuredClone([...org.apps.values()]);
    const duplicate = [
      { name: 'a', value: '1' },
      { name: 'a', value: '2' },
    ];
    expect(
      refusal(() =>
        updateApp(
          org,
          owner,
          'mobile',
          { name: undefined, apiProducts: ['inventory'], callbackUrl: 'x', attributes: duplicate },
          'me',
          'x',
        ),
      ),
    ).toBe('keymanagement.service.InvalidRequest');
    expect([...org.apps.values()]).toEqual(before);
  });

  it('stores X developer emails in lower case and keeps Edge ones as given; either is found in any case', () => {
    const org = apigeeOrg();
    const input = { firstName: 'A', lastName: 'B', userName: 'ab', attributes: [] };
    expect(createDeveloper(org, { ...input, email: 'Mixed@Example.com' }, 'me', 'x').email).toBe(
      'mixed@example.com',
    );
    expect(createDeveloper(org, { ...input, email: 'Edge@Example.com' }, 'me', 'edge').email).toBe(
      'Edge@Example.com',
    );
    expect(refusal(() => createDeveloper(org, { ...input, email: 'EDGE@example.com' }, 'me', 'edge'))).toBe(
      'developer.service.DeveloperAlreadyExists',
    );
  });

  it('makes a product without apiResources cover every path, and shows the resources as given', () => {
    const org = apigeeOrg();
    const product = createProduct(
      org,
      {
        name: 'all',
        displayName: undefined,
        description: undefined,
        approvalType: undefined,
        apiResources: undefined,
        environments: undefined,
        proxies: undefined,
        scopes: undefined,
        quota: undefined,
        quotaInterval: undefined,
        quotaTimeUnit: undefined,
        attributes: undefined,
        operationGroup: undefined,
      },
      'me',
    );
    expect(product).toMatchObject({
      resources: ['/**'],
      apiResources: [],
      approvalType: 'auto',
      displayName: 'all',
    });
  });
});

describe("Edge's token search", () => {
  it('pages from `start` (inclusive), naming the next token', async () => {
    const org = apigeeOrg();
    const values = [(await pair(org, 'a')).access.value, (await pair(org, 'b')).access.value];
    const appId = org.keyOf('web-key')?.app.appId;
    const first = searchTokens(org, { appId, endUser: undefined, limit: '1', start: null });
    expect(first).toEqual({ list: [values[0]], limit: 1, next: values[1], start: '', totalResults: 2 });
    const second = searchTokens(org, { appId, endUser: undefined, limit: '1', start: values[1] ?? '' });
    expect(second).toMatchObject({ list: [values[1]], next: '' });
  });

  it('forgets a deleted access token in every index', async () => {
    const org = apigeeOrg();
    const { access } = await pair(org, 'ada');
    expect(org.tokens.deleteAccess(access.value)).toBe(true);
    expect(org.tokens.access(access.value)).toBeUndefined();
    expect([...org.tokens.ofEndUser('ada')].map((t) => t.value)).not.toContain(access.value);
    expect(org.tokens.deleteAccess(access.value)).toBe(false);
  });
});

describe('scenario references to apps of two developers (docs/fidelity/apigee.md#apigee-app-names)', () => {
  const twoWebs = withApigee({
    apps: [
      ...apigeeScenario.apigee.apps,
      {
        name: 'web',
        developer: 'other@example.com',
        keys: [{ consumerKey: 'other-web', products: ['orders'] }],
      },
    ],
  });

  const issues = (scenario: unknown): string[] => {
    try {
      validateScenario(scenario);
      return [];
    } catch (error) {
      return (error as { issues: { path: string; message: string }[] }).issues.map(
        (i) => `${i.path}: ${i.message}`,
      );
    }
  };

  it('accepts an app name per developer, and refuses one developer with two apps of a name', () => {
    expect(issues(twoWebs)).toEqual([]);
    const twice = withApigee({
      apps: [
        ...apigeeScenario.apigee.apps,
        { name: 'web', developer: 'DEV@example.com', keys: [{ products: ['orders'] }] },
      ],
    });
    expect(issues(twice)).toEqual(['apigee.apps.3.name: Duplicate app web of DEV@example.com']);
  });

  it('reports an ambiguous bare name in issued tokens, actions and templates, and accepts developer/app', () => {
    const ambiguous =
      'App name web is ambiguous: dev@example.com/web, other@example.com/web; write developer/app';
    expect(
      issues({
        ...twoWebs,
        apigee: { ...twoWebs.apigee, issuedTokens: [{ app: 'web' }] },
        timeline: [{ at: '1m', do: { action: 'apigee.revokeApp', app: 'web' } }],
        steps: [{ request: { url: '{{apigee}}/x', headers: { Authorization: '{{basic web}}' } } }],
      }),
    ).toEqual([
      `apigee.issuedTokens.0.app: ${ambiguous}`,
      `timeline.0.do: ${ambiguous}`,
      `steps.0: ${ambiguous}`,
    ]);
    expect(
      issues({
        ...twoWebs,
        apigee: { ...twoWebs.apigee, issuedTokens: [{ app: 'other@example.com/web', key: 'other-web' }] },
        timeline: [{ at: '1m', do: { action: 'apigee.revokeApp', app: 'dev@example.com/web' } }],
        steps: [
          { request: { url: '{{apigee}}/x', headers: { Authorization: '{{basic other@example.com/web}}' } } },
        ],
      }),
    ).toEqual([]);
  });

  it('acts on developer/app, and refuses a bare name two developers share', () => {
    const sim = new SimulatorCore(twoWebs);
    sim.apigee.revokeApp('other@example.com/web');
    expect(
      sim.state.apigee?.apps.find((a) => a.developer === 'other@example.com' && a.name === 'web')?.status,
    ).toBe('revoked');
    expect(
      sim.state.apigee?.apps.find((a) => a.developer === 'dev@example.com' && a.name === 'web')?.status,
    ).toBe('approved');
    expect(() => sim.apigee.credentials('web')).toThrow(/ambiguous/);
    expect(sim.apigee.credentials('other@example.com/web').clientId).toBe('other-web');
  });
});
