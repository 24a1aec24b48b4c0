import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import { ScenarioError } from '../../src/scenario/issues.ts';
import { API_TOKEN, apigeeScenario, baseScenario, PASSWORD, RUNTIME, WEB } from '../support/scenarios.ts';

const ORG = 'https://dev-000000.okta.com';
const both = { ...baseScenario, apigee: apigeeScenario.apigee };

function authn(username: string, password = PASSWORD): Request {
  return new Request(`${ORG}/api/v1/authn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

function token(client = WEB): Request {
  return new Request(`${RUNTIME}/oauth/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`,
    },
    body: 'grant_type=client_credentials',
  });
}

async function answer(sim: Simulator, request: Request): Promise<Response> {
  const response = await sim.fetch(request);
  if (!response) throw new Error('unanswered');
  return response;
}

/** The two ways in: the instance API, and the control plane (POST /__sim/faults). */
const ways = {
  instance: (sim: Simulator, rule: unknown) => {
    sim.faults.inject(rule as Parameters<Simulator['faults']['inject']>[0]);
  },
  'control plane': async (sim: Simulator, rule: unknown) => {
    // The control plane answers on every vendor origin of the scenario.
    const origin = sim.scenario.okta?.orgUrl ?? RUNTIME;
    const reply = await answer(
      sim,
      new Request(`${origin}/__sim/faults`, { method: 'POST', body: JSON.stringify(rule) }),
    );
    expect(reply.status, await reply.clone().text()).toBe(201);
  },
};

for (const [way, inject] of Object.entries(ways)) {
  describe(`fault effects [${way}]`, () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('answers an Okta vendor-error in the exact envelope, with the request id, and changes nothing', async () => {
      const sim = createSimulator(baseScenario);
      await inject(sim, {
        match: { vendor: 'okta', operation: 'primaryAuthentication' },
        effect: { type: 'vendor-error', code: 'E0000009' },
      });
      const before = JSON.stringify(sim.state);
      const reply = await answer(sim, authn('ada@example.com'));
      expect(reply.status).toBe(500);
      expect(await reply.json()).toEqual({
        errorCode: 'E0000009',
        errorSummary: 'Internal Server Error',
        errorLink: 'E0000009',
        errorId: expect.stringMatching(/^oae/),
        errorCauses: [],
      });
      expect(reply.headers.get('x-okta-request-id')).toMatch(/^\w{27}$/);
      expect(JSON.stringify(sim.state)).toBe(before);
      expect(sim.requests.last()).toMatchObject({
        operation: 'primaryAuthentication',
        errorCode: 'E0000009',
        outcome: 'fault:vendor-error',
      });
    });

    it('answers Apigee vendor-errors as policy faults or token-endpoint errors, issuing nothing', async () => {
      const sim = createSimulator(apigeeScenario);
      await inject(sim, {
        match: { vendor: 'apigee', operation: 'generateAccessToken' },
        effect: { type: 'vendor-error', code: 'invalid_client' },
        times: 1,
      });
      await inject(sim, {
        match: { path: '/v1/**' },
        effect: { type: 'vendor-error', code: 'access_token_expired' },
      });
      const refused = await answer(sim, token());
      expect([refused.status, await refused.json()]).toEqual([
        401,
        { ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' },
      ]);
      expect(sim.state.apigee?.tokens).toEqual([]);
      const issued = await (await answer(sim, token())).json();
      const verify = await answer(
        sim,
        new Request(`${RUNTIME}/v1/orders/1`, {
          headers: { Authorization: `Bearer ${issued.access_token}` },
        }),
      );
      expect([verify.status, await verify.json()]).toEqual([
        401,
        {
          fault: {
            faultstring: 'Access Token expired',
            detail: { errorcode: 'keymanagement.service.access_token_expired' },
          },
        },
      ]);
    });

    it('answers a raw status, e.g. an HTML page from a gateway', async () => {
      const sim = createSimulator(baseScenario);
      await inject(sim, {
        match: { vendor: 'okta' },
        effect: {
          type: 'status',
          status: 503,
          body: '<html>Service Unavailable</html>',
          contentType: 'text/html',
        },
      });
      const reply = await answer(sim, authn('ada@example.com'));
      expect([reply.status, reply.headers.get('content-type'), await reply.text()]).toEqual([
        503,
        'text/html',
        '<html>Service Unavailable</html>',
      ]);
    });

    it('answers a malformed JSON body under a JSON content type', async () => {
      const sim = createSimulator(baseScenario);
      await inject(sim, {
        match: { operation: 'primaryAuthentication' },
        effect: { type: 'malformed-body' },
      });
      const reply = await answer(sim, authn('ada@example.com'));
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/json');
      await expect(reply.json()).rejects.toThrow(SyntaxError);
    });

    it('answers a network-error with Response.error(), which fetch through msw turns into a rejection', async () => {
      const sim = createSimulator(baseScenario);
      await inject(sim, { match: { username: 'ada@example.com' }, effect: { type: 'network-error' } });
      expect((await answer(sim, authn('ada@example.com'))).type).toBe('error');
      const msw = setupServer(...sim.handlers);
      msw.listen({ onUnhandledFrame: 'error' });
      try {
        await expect(fetch(authn('ada@example.com'))).rejects.toThrow(TypeError);
        expect((await fetch(authn('totp@example.com'))).status).toBe(200);
      } finally {
        msw.close();
      }
    });

    it('delays the answer by a latency fault, then answers normally', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const sim = createSimulator(baseScenario);
      await inject(sim, {
        match: { operation: 'primaryAuthentication' },
        effect: { type: 'latency', ms: '2s' },
      });
      let settled = false;
      const pending = answer(sim, authn('ada@example.com')).then((reply) => {
        settled = true;
        return reply;
      });
      await vi.advanceTimersByTimeAsync(1_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await pending).status).toBe(200);
    });

    it('hangs until the client gives up, and changes nothing', async () => {
      const sim = createSimulator(baseScenario);
      await inject(sim, { match: { operation: 'primaryAuthentication' }, effect: { type: 'hang' } });
      const controller = new AbortController();
      const request = new Request(authn('ada@example.com'), { signal: controller.signal });
      let settled = false;
      const pending = answer(sim, request).finally(() => {
        settled = true;
      });
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      controller.abort();
      await expect(pending).rejects.toThrow(/abort/i);
      expect(sim.state.okta?.sessionTokens).toEqual([]);
    });
  });
}

describe('fault rules', () => {
  it('lets `after` requests through, then affects `times` of them', async () => {
    const sim = createSimulator(baseScenario);
    sim.faults.inject({
      match: { operation: 'primaryAuthentication' },
      effect: { type: 'status', status: 502 },
      after: 1,
      times: 2,
    });
    const statuses = [];
    for (const user of ['ada', 'totp', 'sms', 'email'])
      statuses.push((await answer(sim, authn(`${user}@example.com`))).status);
    expect(statuses).toEqual([200, 502, 502, 200]);
  });

  it('matches on method, path, username and client_id, and the first matching rule decides', async () => {
    const sim = createSimulator(both);
    sim.faults.inject({ match: { clientId: 'mobile-key' }, effect: { type: 'status', status: 418 } });
    sim.faults.inject({
      match: { method: 'POST', path: '/api/v1/authn', username: 'totp@example.com' },
      effect: { type: 'status', status: 429 },
    });
    sim.faults.inject({ match: { username: 'TOTP@example.com' }, effect: { type: 'status', status: 451 } });
    expect((await answer(sim, authn('totp@example.com'))).status).toBe(451);
    expect((await answer(sim, authn('ada@example.com'))).status).toBe(200);
    expect((await answer(sim, token({ clientId: 'mobile-key', clientSecret: 'mobile-secret' }))).status).toBe(
      418,
    );
    expect((await answer(sim, token())).status).toBe(200);
  });

  it('tells refresh from other grants at the token endpoint', async () => {
    const sim = createSimulator(apigeeScenario);
    sim.faults.inject({
      match: { operation: 'refreshAccessToken' },
      effect: { type: 'vendor-error', code: 'invalid_request', message: 'Refresh Token expired' },
    });
    expect((await answer(sim, token())).status).toBe(200);
    const refresh = new Request(`${RUNTIME}/oauth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${btoa('web-key:web-secret')}`,
      },
      body: 'grant_type=refresh_token&refresh_token=anything',
    });
    expect(await (await answer(sim, refresh)).json()).toEqual({
      ErrorCode: 'invalid_request',
      Error: 'Refresh Token expired',
    });
  });

  it('applies scenario rules, puts injected rules first, and restores the scenario rules on reset', async () => {
    const sim = createSimulator({
      ...baseScenario,
      faults: [
        { match: { operation: 'primaryAuthentication' }, effect: { type: 'status', status: 503 }, times: 1 },
      ],
    });
    const dispose = sim.faults.inject({
      match: { operation: 'primaryAuthentication' },
      effect: { type: 'status', status: 504 },
    });
    expect((await answer(sim, authn('ada@example.com'))).status).toBe(504);
    dispose();
    expect((await answer(sim, authn('ada@example.com'))).status).toBe(503);
    expect((await answer(sim, authn('ada@example.com'))).status).toBe(200);
    sim.reset();
    expect(sim.faults.list()).toHaveLength(1);
    expect((await answer(sim, authn('ada@example.com'))).status).toBe(503);
    sim.faults.clear();
    expect((await answer(sim, authn('ada@example.com'))).status).toBe(200);
  });

  it('refuses an invalid rule, listing the problems, and keeps the others', () => {
    const sim = createSimulator(baseScenario);
    expect(() =>
      sim.faults.inject({ match: { vendor: 'okta' }, effect: { type: 'vendor-error', code: 'E9999999' } }),
    ).toThrow(ScenarioError);
    expect(() => sim.faults.inject({ effect: { type: 'teleport' } } as never)).toThrow(ScenarioError);
    expect(sim.faults.list()).toEqual([]);
  });

  it('lists, removes and clears rules over the control plane, and answers 400 to a bad rule', async () => {
    const sim = createSimulator(baseScenario);
    const post = (body: string) => answer(sim, new Request(`${ORG}/__sim/faults`, { method: 'POST', body }));
    const { id } = await (
      await post(JSON.stringify({ match: { vendor: 'okta' }, effect: { type: 'network-error' } }))
    ).json();
    await post(JSON.stringify({ effect: { type: 'hang' } }));
    const listed = await (await answer(sim, new Request(`${ORG}/__sim/faults`))).json();
    expect(listed.map((entry: { id: number }) => entry.id)).toContain(id);
    expect((await answer(sim, new Request(`${ORG}/__sim/faults/${id}`, { method: 'DELETE' }))).status).toBe(
      200,
    );
    expect((await answer(sim, new Request(`${ORG}/__sim/faults/${id}`, { method: 'DELETE' }))).status).toBe(
      404,
    );
    expect((await answer(sim, new Request(`${ORG}/__sim/faults`, { method: 'DELETE' }))).status).toBe(200);
    expect(sim.faults.list()).toEqual([]);
    const bad = await post(JSON.stringify({ effect: { type: 'vendor-error', code: 'nope' } }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe('effect.code');
    expect((await post('{')).status).toBe(400);
  });

  it('drops the connection of a network-error over the HTTP server, and answers the next request', async () => {
    const sim = createSimulator(baseScenario);
    sim.faults.inject({ match: { operation: 'getSession' }, effect: { type: 'network-error' }, times: 1 });
    const server = await startHttpServer(sim, { port: 0 });
    try {
      const get = () =>
        fetch(`${server.url}/api/v1/sessions/102x`, { headers: { Authorization: `SSWS ${API_TOKEN}` } });
      await expect(get()).rejects.toThrow(TypeError);
      expect((await get()).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
