import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { chainOf, chainProblem } from '../../src/apigee/domain/app-chain.ts';
import { authorize, callbackUrls, clientCredentialsGrant } from '../../src/apigee/domain/grants.ts';
import { JwtKeyRing } from '../../src/apigee/domain/jwt.ts';
import { ApigeeOrg } from '../../src/apigee/domain/org.ts';
import { verifyApiKey } from '../../src/apigee/domain/verify-api-key.ts';
import { ApigeeScenarioSchema } from '../../src/apigee/scenario.ts';
import { VirtualClock } from '../../src/core/clock.ts';
import { IdSource } from '../../src/core/ids.ts';
import { bySpecificity } from '../../src/core/paths.ts';
import { ScenarioError } from '../../src/scenario/issues.ts';
import { validateScenario } from '../../src/scenario/parse.ts';
import { apigeeScenario, JWT_APP, MOBILE, RUNTIME, T0_MS, WEB } from '../support/scenarios.ts';
import { apigeeOrg, appNamed, outcome } from './apigee-support.ts';

type ApigeeInput = NonNullable<Parameters<typeof apigeeOrg>[0]>;

/** The scopes a client_credentials request for `scope` gets, or its error. */
async function granted(org: ApigeeOrg, scope: string | undefined): Promise<string> {
  try {
    return (await clientCredentialsGrant(org, MOBILE, scope, undefined, RUNTIME)).access.scope;
  } catch (error) {
    return outcome(() => {
      throw error;
    });
  }
}

describe('scope intersection (docs/fidelity/apigee.md#apigee-scopes-granted)', () => {
  it('grants every approved product scope when none is asked, the offered ones of those asked otherwise', async () => {
    const org = apigeeOrg();
    expect(await granted(org, undefined)).toBe('read write');
    expect(await granted(org, '  ')).toBe('read write');
    expect(await granted(org, 'write admin write read')).toBe('write read');
  });

  it('answers an empty intersection by the quirk: an empty scope, invalid_scope, or strict refusal of any lacking scope', async () => {
    const modes = { empty: [''], invalid_scope: ['invalid_scope: Invalid scope : stock admin'] } as const;
    for (const [mode, [expected]] of Object.entries(modes)) {
      const org = apigeeOrg({ quirks: { scopeIntersection: mode as 'empty' | 'invalid_scope' } });
      expect(await granted(org, 'stock admin')).toBe(expected);
      expect(await granted(org, 'read admin')).toBe('read');
    }
    const strict = apigeeOrg({ quirks: { scopeIntersection: 'strict' } });
    expect(await granted(strict, 'read admin')).toBe('invalid_scope: Invalid scope : admin');
    expect(await granted(strict, 'read')).toBe('read');
    expect([...strict.tokens.allAccess()].map((t) => t.scope)).toEqual(['read']);
  });
});

describe('callback URLs (docs/fidelity/apigee.md#apigee-callback-urls)', () => {
  const withCallback = (callbackUrl: string, quirks: ApigeeInput['quirks'] = {}) =>
    apigeeOrg({
      quirks,
      apps: apigeeScenario.apigee.apps.map((app) => (app.name === 'web' ? { ...app, callbackUrl } : app)),
    });

  it('splits a comma-separated list, trimming each URL and skipping empty ones', () => {
    const org = withCallback(' https://a.example/cb ,https://b.example/cb,');
    const app = appNamed(org, 'web');
    expect(app && callbackUrls(org, app)).toEqual(['https://a.example/cb', 'https://b.example/cb']);
  });

  it('takes the whole value, or nothing for an empty one, under quirks.callbackUrls: exact', () => {
    const org = withCallback('https://a.example/cb,https://b.example/cb', { callbackUrls: 'exact' });
    const web = appNamed(org, 'web');
    const mobile = appNamed(org, 'mobile');
    expect(web && callbackUrls(org, web)).toEqual(['https://a.example/cb,https://b.example/cb']);
    expect(mobile && callbackUrls(org, mobile)).toEqual([]);
  });

  it('redirects to the URL asked for when it is one of them', () => {
    const org = withCallback('https://a.example/cb,https://b.example/cb?x=1');
    const { location } = authorize(org, {
      responseType: 'code',
      clientId: WEB.clientId,
      redirectUri: 'https://b.example/cb?x=1',
      scope: undefined,
      state: 'z',
      endUser: undefined,
    });
    expect(location).toMatch(/^https:\/\/b\.example\/cb\?x=1&code=\w{8}&state=z$/);
  });

  it('refuses a comma-separated list in the scenario when one of its parts is not a URL', () => {
    const scenario = {
      ...apigeeScenario,
      apigee: {
        ...apigeeScenario.apigee,
        apps: [{ ...apigeeScenario.apigee.apps[0], callbackUrl: 'https://a.example/cb, not a url' }],
      },
    };
    expect(() => validateScenario(scenario)).toThrow(/Not a URL: "not a url"/);
  });
});

describe('status check order (docs/fidelity/apigee.md#apigee-status-check-order)', () => {
  /** The problem of the web key's chain after the given changes. */
  function problemAfter(
    order: 'key-first' | 'developer-first',
    change: { key?: boolean; expired?: boolean; app?: boolean; developer?: boolean },
  ) {
    const org = apigeeOrg({
      quirks: { statusCheckOrder: order },
      apps: apigeeScenario.apigee.apps.map((app) =>
        app.name === 'web' ? { ...app, keys: app.keys.map((key) => ({ ...key, expiresIn: '1m' })) } : app,
      ),
    });
    const chain = chainOf(org, WEB.clientId);
    if (!chain) throw new Error('no web chain');
    if (change.key) chain.key.status = 'revoked';
    if (change.app) chain.app.status = 'revoked';
    if (change.developer) chain.developer.status = 'inactive';
    if (change.expired) org.clock.advance('1m');
    return chainProblem(org, chain);
  }

  it('reports key, then expiry, then app, then developer by default', () => {
    const all = { key: true, expired: true, app: true, developer: true };
    expect(problemAfter('key-first', all)).toBe('key_revoked');
    expect(problemAfter('key-first', { ...all, key: false })).toBe('key_expired');
    expect(problemAfter('key-first', { app: true, developer: true })).toBe('app_not_approved');
    expect(problemAfter('key-first', { developer: true })).toBe('developer_inactive');
    expect(problemAfter('key-first', {})).toBeNull();
  });

  it('reports developer, then app, then key, then expiry under developer-first', () => {
    const all = { key: true, expired: true, app: true, developer: true };
    expect(problemAfter('developer-first', all)).toBe('developer_inactive');
    expect(problemAfter('developer-first', { ...all, developer: false })).toBe('app_not_approved');
    expect(problemAfter('developer-first', { key: true, expired: true })).toBe('key_revoked');
    expect(problemAfter('developer-first', { expired: true })).toBe('key_expired');
  });
});

describe('VerifyAPIKey (docs/fidelity/apigee.md#apigee-verify-api-key-faults)', () => {
  const check = (org: ApigeeOrg, apiKey: string | undefined, path = '/v1/orders/1') =>
    outcome(() => verifyApiKey(org, { apiKey, variable: 'request.queryparam.apikey', path }));

  it('maps each problem of the chain to its VerifyAPIKey fault, in order', async () => {
    const org = apigeeOrg();
    const chain = chainOf(org, WEB.clientId);
    if (!chain) throw new Error('no web chain');
    expect(await check(org, WEB.clientId)).toBe('ok');
    chain.developer.status = 'inactive';
    expect(await check(org, WEB.clientId)).toBe('keymanagement.service.DeveloperStatusNotActive');
    chain.app.status = 'revoked';
    expect(await check(org, WEB.clientId)).toBe('keymanagement.service.invalid_client-app_not_approved');
    chain.key.status = 'revoked';
    expect(await check(org, WEB.clientId)).toBe('oauth.v2.ApiKeyNotApproved');
  });

  it('resolves, finds and covers: no key, an unknown key, a path no product of the key covers', async () => {
    const org = apigeeOrg();
    expect(await check(org, undefined)).toBe('oauth.v2.FailedToResolveAPIKey');
    expect(await check(org, '')).toBe('oauth.v2.FailedToResolveAPIKey');
    expect(await check(org, 'nope')).toBe('oauth.v2.InvalidApiKey');
    expect(await check(org, MOBILE.clientId, '/v1/inventory/1')).toBe(
      'oauth.v2.InvalidApiKeyForGivenResource',
    );
  });

  it('answers the approved products covering the path, in the key order, skipping pending ones', () => {
    const org = apigeeOrg({
      products: [
        ...apigeeScenario.apigee.products,
        { name: 'everything', scopes: [], resources: ['/**'] },
        { name: 'later', scopes: [], resources: ['/v1/**'] },
      ],
      apps: apigeeScenario.apigee.apps.map((app) =>
        app.name === 'web'
          ? {
              ...app,
              keys: [
                {
                  consumerKey: WEB.clientId,
                  consumerSecret: WEB.clientSecret,
                  products: [
                    { name: 'later', status: 'pending' as const },
                    'inventory',
                    'everything',
                    'orders',
                  ],
                },
              ],
            }
          : app,
      ),
    });
    const { products } = verifyApiKey(org, { apiKey: WEB.clientId, variable: 'v', path: '/v1/orders/1' });
    expect(products).toEqual(['everything', 'orders']);
  });
});

describe('path specificity (docs/fidelity/apigee.md#apigee-path-specificity)', () => {
  it('orders patterns by literal segments, then fewer **, then fewer *, keeping ties in order', () => {
    const patterns = [
      '/**',
      '/v1/**',
      '/v1/*/items',
      '/v1/orders/**',
      '/v1/**/x',
      '/v1/orders',
      '/',
      '/v2/**',
    ];
    expect([...patterns].sort(bySpecificity)).toEqual([
      '/v1/orders',
      '/v1/*/items',
      '/v1/orders/**',
      '/v1/**/x',
      '/v1/**',
      '/v2/**',
      '/**',
      '/',
    ]);
    expect(['/', '/**'].sort(bySpecificity)).toEqual(['/', '/**']);
  });
});

describe('JWT signing keys (docs/fidelity/apigee.md#apigee-jwt-keys)', () => {
  const config = (jwt: Record<string, unknown> = {}) =>
    ApigeeScenarioSchema.parse({
      ...apigeeScenario.apigee,
      tokens: { ...apigeeScenario.apigee.tokens, jwt },
    });
  const org = (parsed: ReturnType<typeof config>, ring?: JwtKeyRing) =>
    new ApigeeOrg(
      parsed,
      new VirtualClock(T0_MS, { frozen: true }),
      new IdSource(1),
      new IdSource(2),
      undefined,
      ring,
    );
  const kidOf = async (target: ApigeeOrg) => {
    const { access } = await clientCredentialsGrant(target, JWT_APP, undefined, undefined, RUNTIME);
    const { kid } = decodeProtectedHeader(access.value);
    const { keys } = await target.signer.jwks();
    expect(keys.map((key) => key.kid)).toEqual([kid]);
    return kid;
  };

  it('shares one generated key, and its thumbprint kid, between the orgs of one key ring', async () => {
    const ring = new JwtKeyRing();
    const first = await kidOf(org(config(), ring));
    expect(await kidOf(org(config(), ring))).toBe(first);
    const [key] = (await org(config(), ring).signer.jwks()).keys;
    expect(first).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: key?.n, e: key?.e }));
    expect(await kidOf(org(config(), new JwtKeyRing()))).not.toBe(first);
  });

  it("signs with the scenario's JWK, its own kid kept or else its thumbprint, and with a PEM key's thumbprint", async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const thumbprint = await calculateJwkThumbprint(await exportJWK(publicKey));
    expect(await kidOf(org(config({ privateJwk: { ...jwk, kid: 'mine-1' } })))).toBe('mine-1');
    expect(await kidOf(org(config({ privateJwk: jwk })))).toBe(thumbprint);
    expect(await kidOf(org(config({ privateKey: await exportPKCS8(privateKey) })))).toBe(thumbprint);
  });

  it('refuses a JWK that is not a whole RSA private key, or one with a PEM key too, at validation', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const problems = (jwt: Record<string, unknown>) => {
      try {
        validateScenario({ ...apigeeScenario, apigee: { ...apigeeScenario.apigee, tokens: { jwt } } });
      } catch (error) {
        expect(error).toBeInstanceOf(ScenarioError);
        return (error as ScenarioError).issues.map((issue) => issue.message).join('\n');
      }
      return '';
    };
    const { d: _d, ...publicOnly } = jwk;
    expect(problems({ privateJwk: publicOnly })).toMatch(/d/);
    expect(problems({ privateJwk: { ...jwk, kty: 'EC' } })).not.toBe('');
    expect(problems({ privateJwk: { ...jwk, q: 'not base64url!' } })).toMatch(/"q" must be base64url/);
    expect(problems({ privateJwk: { ...jwk, n: 'AQAB' } })).toMatch(/at least 2048 bits/);
    expect(problems({ privateJwk: jwk, privateKey: await exportPKCS8(privateKey) })).toMatch(/not both/);
    expect(problems({ privateJwk: jwk })).toBe('');
  });
});
