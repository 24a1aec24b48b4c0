import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../src/create-simulator.ts';
import { KeyRing } from '../../src/okta/domain/keys.ts';
import { OAuthError } from '../../src/okta/domain/oauth-errors.ts';
import { CLIENT_PRIVATE_JWK, oidcScenario } from '../support/oidc.ts';

const ORG = 'https://dev-000000.okta.com';

async function kids(sim: ReturnType<typeof createSimulator>, server = 'default'): Promise<string[]> {
  const path = server === 'org' ? '/oauth2/v1/keys' : `/oauth2/${server}/v1/keys`;
  const response = await sim.fetch(new Request(`${ORG}${path}`));
  if (!response) throw new Error('unanswered');
  return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
}

describe('the key ring (docs/fidelity/okta.md#okta-oidc-keys)', () => {
  it('names each key by its RFC 7638 thumbprint and makes it once', async () => {
    const ring = new KeyRing();
    const key = await ring.signing('as:default');
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: key.jwk.n, e: key.jwk.e }, 'sha256'));
    expect(await ring.signing('as:default')).toBe(key);
    expect((await ring.signing('org')).kid).not.toBe(key.kid);
    expect(ring.byKid(key.kid)).toBe(key);
  });

  it('signs with a new key after a rotation, keeps the previous one published and retires the one before', async () => {
    const ring = new KeyRing();
    const first = (await ring.signing('s')).kid;
    ring.rotate('s');
    const second = (await ring.signing('s')).kid;
    expect((await ring.published('s')).map((key) => key.kid)).toEqual([second, first]);
    ring.rotate('s');
    const third = (await ring.signing('s')).kid;
    expect((await ring.published('s')).map((key) => key.kid)).toEqual([third, second]);
  });

  it("uses a scenario's private JWK, so that two simulators publish the same kid", async () => {
    const scenario = {
      ...oidcScenario,
      okta: {
        ...oidcScenario.okta,
        authorizationServers: [{ id: 'default', signingKey: CLIENT_PRIVATE_JWK }],
      },
    };
    const one = createSimulator(scenario);
    const two = createSimulator(scenario);
    const expected = await calculateJwkThumbprint(
      { kty: 'RSA', n: CLIENT_PRIVATE_JWK.n, e: CLIENT_PRIVATE_JWK.e },
      'sha256',
    );
    expect(await kids(one)).toEqual([expected]);
    expect(await kids(two)).toEqual([expected]);
  });

  it('keeps the keys of a simulator across reset() and a scenario reload (bench/startup.ts times reset)', async () => {
    const sim = createSimulator(oidcScenario);
    const before = await kids(sim);
    sim.reset();
    expect(await kids(sim)).toEqual(before);
    sim.load({ ...oidcScenario, seed: 99 });
    expect(await kids(sim)).toEqual(before);
  });

  it('refuses a public key or another key type as a signing key, at validation', () => {
    const { d: _d, ...publicOnly } = CLIENT_PRIVATE_JWK;
    expect(() =>
      createSimulator({
        ...oidcScenario,
        okta: {
          ...oidcScenario.okta,
          authorizationServers: [{ id: 'default', signingKey: publicOnly as never }],
        },
      }),
    ).toThrow(/signingKey/);
  });
});

describe('OIDC errors and faults (docs/fidelity/okta.md#okta-oidc-errors)', () => {
  it('gives invalid_client and invalid_token 401, insufficient_scope 403, page errors 400', () => {
    expect(new OAuthError('invalid_client', 'x').status).toBe(401);
    expect(new OAuthError('invalid_grant', 'x').status).toBe(400);
    expect(new OAuthError('insufficient_scope', 'x').status).toBe(403);
    expect(new OAuthError('invalid_client', 'x', { delivery: { kind: 'page' } }).status).toBe(400);
  });

  it('lets fault rules match the OIDC operations by name, and the journal names them', async () => {
    const sim = createSimulator(oidcScenario);
    sim.faults.inject({ match: { operation: 'tokenCustomAS' }, effect: { type: 'status', status: 503 } });
    const token = await sim.fetch(
      new Request(`${ORG}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }),
    );
    expect(token?.status).toBe(503);
    const keys = await sim.fetch(new Request(`${ORG}/oauth2/default/v1/keys`));
    expect(keys?.status).toBe(200);
    expect(sim.requests.all().map((entry) => [entry.operation, entry.status])).toEqual([
      ['tokenCustomAS', 503],
      ['oauthKeysCustomAS', 200],
    ]);
  });
});
