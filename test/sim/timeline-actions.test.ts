import { describe, expect, it, vi } from 'vitest';
import type { Duration } from '../../src/core/duration.ts';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import type { Action } from '../../src/scenario/actions.ts';
import { ScenarioError } from '../../src/scenario/issues.ts';
import { validateScenario } from '../../src/scenario/parse.ts';
import { basic, oidcScenario, WEB_SECRET } from '../support/oidc.ts';
import { API_TOKEN, apigeeScenario, PASSWORD, RUNTIME } from '../support/scenarios.ts';

const ORG = 'https://dev-000000.okta.com';
const both = { ...oidcScenario, apigee: apigeeScenario.apigee };

/** A password-grant token of ada from the `web` OIDC client, and what introspection says of it. */
async function oidcToken(sim: Simulator): Promise<string> {
  const { body } = await send(sim, `${ORG}/oauth2/default/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic('web', WEB_SECRET) },
    body: new URLSearchParams({
      grant_type: 'password',
      username: 'ada@example.com',
      password: PASSWORD,
      scope: 'openid',
    }),
  });
  return body.access_token;
}

const introspection = async (sim: Simulator, token: string) =>
  (
    await send(sim, `${ORG}/oauth2/default/v1/introspect`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basic('web', WEB_SECRET),
      },
      body: new URLSearchParams({ token }),
    })
  ).body.active;

const publishedKids = async (sim: Simulator) =>
  (await send(sim, `${ORG}/oauth2/default/v1/keys`)).body.keys.map((key: { kid: string }) => key.kid);

async function send(sim: Simulator, url: string, init: RequestInit = {}) {
  const response = await sim.fetch(new Request(url, init));
  if (!response) throw new Error(`unanswered ${url}`);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const signIn = (sim: Simulator, username: string) =>
  send(sim, `${ORG}/api/v1/authn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });

async function session(sim: Simulator, username = 'ada@example.com'): Promise<string> {
  const { body } = await signIn(sim, username);
  const created = await send(sim, `${ORG}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sessionToken: body.sessionToken }),
  });
  return created.body.id;
}

const getSession = (sim: Simulator, id: string, token = API_TOKEN) =>
  send(sim, `${ORG}/api/v1/sessions/${id}`, { headers: { Authorization: `SSWS ${token}` } });

const verify = (sim: Simulator, token: string) =>
  send(sim, `${RUNTIME}/v1/orders/1`, { headers: { Authorization: `Bearer ${token}` } });

const errorcode = (reply: { body: { fault?: { detail: { errorcode: string } } } }) =>
  reply.body.fault?.detail.errorcode;

interface ActionCase {
  /** Builds the action once the org is set up (some name tokens or sessions made at run time). */
  action(context: Record<string, string>): Action;
  setup?(sim: Simulator): Promise<Record<string, string>>;
  effect(sim: Simulator, context: Record<string, string>): Promise<void>;
}

const issue = async (sim: Simulator) => ({
  token: (await sim.apigee.issueToken({ app: 'web', grantType: 'password' })).accessToken,
});

const CASES: Record<Action['action'], ActionCase> = {
  'okta.lockUser': {
    action: () => ({ action: 'okta.lockUser', login: 'ada@example.com' }),
    async effect(sim) {
      expect((await signIn(sim, 'ada@example.com')).body.errorCode).toBe('E0000004');
    },
  },
  'okta.unlockUser': {
    action: () => ({ action: 'okta.unlockUser', login: 'locked@example.com' }),
    async effect(sim) {
      expect((await signIn(sim, 'locked@example.com')).body.status).toBe('SUCCESS');
    },
  },
  'okta.expirePassword': {
    action: () => ({ action: 'okta.expirePassword', login: 'ada@example.com' }),
    async effect(sim) {
      expect((await signIn(sim, 'ada@example.com')).body.status).toBe('PASSWORD_EXPIRED');
    },
  },
  'okta.endSessions': {
    setup: async (sim) => ({ id: await session(sim) }),
    action: () => ({ action: 'okta.endSessions', login: 'ada@example.com' }),
    async effect(sim, { id }) {
      expect((await getSession(sim, id as string)).body.errorCode).toBe('E0000007');
    },
  },
  'okta.endSession': {
    setup: async (sim) => ({ id: await session(sim) }),
    action: ({ id }) => ({ action: 'okta.endSession', sessionId: id as string }),
    async effect(sim, { id }) {
      expect((await getSession(sim, id as string)).status).toBe(404);
    },
  },
  'okta.setPushOutcome': {
    action: () => ({
      action: 'okta.setPushOutcome',
      login: 'push@example.com',
      outcome: 'REJECT',
      afterPolls: 0,
    }),
    async effect(sim) {
      const start = await signIn(sim, 'push@example.com');
      const verifyHref = new URL(start.body._embedded.factors[0]._links.verify.href);
      const pushed = await send(sim, `${ORG}${verifyHref.pathname}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ stateToken: start.body.stateToken }),
      });
      expect(pushed.body.factorResult).toBe('REJECTED');
    },
  },
  'okta.revokeApiToken': {
    setup: async (sim) => ({ id: await session(sim) }),
    action: () => ({ action: 'okta.revokeApiToken', token: 'ci' }),
    async effect(sim, { id }) {
      expect((await getSession(sim, id as string)).body.errorCode).toBe('E0000011');
    },
  },
  'okta.rotateApiToken': {
    setup: async (sim) => ({ id: await session(sim) }),
    action: () => ({
      action: 'okta.rotateApiToken',
      name: 'ci',
      token: '00rotated-token-cccccccccccccccccccccccccccccc',
    }),
    async effect(sim, { id }) {
      expect((await getSession(sim, id as string)).body.errorCode).toBe('E0000011');
      expect(
        (await getSession(sim, id as string, '00rotated-token-cccccccccccccccccccccccccccccc')).status,
      ).toBe(200);
      expect(sim.okta.apiToken('ci')).toBe('00rotated-token-cccccccccccccccccccccccccccccc');
    },
  },
  'okta.revokeUserTokens': {
    setup: async (sim) => ({ token: await oidcToken(sim) }),
    action: () => ({ action: 'okta.revokeUserTokens', login: 'ada@example.com' }),
    async effect(sim, { token }) {
      expect(await introspection(sim, token as string)).toBe(false);
    },
  },
  'okta.rotateKeys': {
    setup: async (sim) => ({ kid: (await publishedKids(sim))[0] }),
    action: () => ({ action: 'okta.rotateKeys', authorizationServer: 'default' }),
    async effect(sim, { kid }) {
      const kids = await publishedKids(sim);
      expect(kids).toHaveLength(2);
      expect(kids[0]).not.toBe(kid);
      expect(kids[1]).toBe(kid);
    },
  },
  'apigee.revokeApp': {
    setup: issue,
    action: () => ({ action: 'apigee.revokeApp', app: 'web' }),
    async effect(sim, { token }) {
      expect(errorcode(await verify(sim, token as string))).toBe(
        'keymanagement.service.invalid_client-app_not_approved',
      );
    },
  },
  'apigee.approveApp': {
    setup: async (sim) => {
      const context = await issue(sim);
      sim.apigee.revokeApp('web');
      return context;
    },
    action: () => ({ action: 'apigee.approveApp', app: 'web' }),
    async effect(sim, { token }) {
      expect((await verify(sim, token as string)).status).toBe(200);
    },
  },
  'apigee.revokeKey': {
    setup: issue,
    action: () => ({ action: 'apigee.revokeKey', key: 'web-key' }),
    async effect(sim, { token }) {
      expect(errorcode(await verify(sim, token as string))).toBe(
        'keymanagement.service.invalid_client-client_id_not_approved',
      );
    },
  },
  'apigee.approveKey': {
    setup: async (sim) => {
      const context = await issue(sim);
      sim.apigee.revokeKey('web-key');
      return context;
    },
    action: () => ({ action: 'apigee.approveKey', key: 'web-key' }),
    async effect(sim, { token }) {
      expect((await verify(sim, token as string)).status).toBe(200);
    },
  },
  'apigee.revokeKeyProduct': {
    setup: issue,
    action: () => ({ action: 'apigee.revokeKeyProduct', key: 'web-key', product: 'orders' }),
    async effect(sim, { token }) {
      expect(errorcode(await verify(sim, token as string))).toBe(
        'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
      );
    },
  },
  'apigee.approveKeyProduct': {
    setup: async (sim) => {
      const context = await issue(sim);
      sim.apigee.revokeKeyProduct('web-key', 'orders');
      return context;
    },
    action: () => ({ action: 'apigee.approveKeyProduct', key: 'web-key', product: 'orders' }),
    async effect(sim, { token }) {
      expect((await verify(sim, token as string)).status).toBe(200);
    },
  },
  'apigee.setDeveloperStatus': {
    setup: issue,
    action: () => ({ action: 'apigee.setDeveloperStatus', developer: 'dev@example.com', status: 'inactive' }),
    async effect(sim, { token }) {
      expect(errorcode(await verify(sim, token as string))).toBe(
        'keymanagement.service.DeveloperStatusNotActive',
      );
    },
  },
  'apigee.invalidateToken': {
    setup: issue,
    action: ({ token }) => ({
      action: 'apigee.invalidateToken',
      token: token as string,
      type: 'accesstoken',
      cascade: true,
    }),
    async effect(sim, { token }) {
      expect(errorcode(await verify(sim, token as string))).toBe(
        'keymanagement.service.access_token_not_approved',
      );
    },
  },
  'apigee.validateToken': {
    setup: async (sim) => {
      const context = await issue(sim);
      sim.apigee.invalidateToken(context.token);
      return context;
    },
    action: ({ token }) => ({
      action: 'apigee.validateToken',
      token: token as string,
      type: 'accesstoken',
      cascade: true,
    }),
    async effect(sim, { token }) {
      expect((await verify(sim, token as string)).status).toBe(200);
    },
  },
  'apigee.revokeAll': {
    setup: issue,
    action: () => ({ action: 'apigee.revokeAll', app: 'web', cascade: false }),
    async effect(sim, { token }) {
      expect(sim.apigee.token(token as string)?.revokeReason).toBe('REVOKED_BY_APP');
      expect(errorcode(await verify(sim, token as string))).toBe(
        'keymanagement.service.access_token_not_approved',
      );
    },
  },
};

const ways: Record<string, (sim: Simulator, action: Action) => Promise<unknown>> = {
  instance: async (sim, action) => sim.run(action),
  'control plane': async (sim, action) => {
    const reply = await send(sim, `${ORG}/__sim/actions`, { method: 'POST', body: JSON.stringify(action) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body.result;
  },
};

for (const [way, run] of Object.entries(ways)) {
  describe(`actions [${way}]`, () => {
    for (const [name, test] of Object.entries(CASES)) {
      it(`runs ${name}`, async () => {
        const sim = createSimulator(both);
        const context = (await test.setup?.(sim)) ?? {};
        await run(sim, test.action(context));
        await test.effect(sim, context);
      });
    }
  });
}

describe('POST /__sim/actions', () => {
  it('answers 400 to an unknown action and to an action on something that does not exist, changing nothing', async () => {
    const sim = createSimulator(both);
    const before = JSON.stringify(sim.state);
    const unknown = await send(sim, `${ORG}/__sim/actions`, {
      method: 'POST',
      body: JSON.stringify({ action: 'okta.fly' }),
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'invalid']);
    const missing = await send(sim, `${ORG}/__sim/actions`, {
      method: 'POST',
      body: JSON.stringify({ action: 'apigee.revokeApp', app: 'nope' }),
    });
    expect([missing.status, missing.body.error.message]).toEqual([
      400,
      expect.stringContaining('No Apigee app "nope"'),
    ]);
    expect(JSON.stringify(sim.state)).toBe(before);
  });
});

describe('timeline', () => {
  const timed = (timeline: { at: Duration; do: Action }[]) => ({ ...both, timeline });

  it('runs an action once the clock passes its time, not before', async () => {
    const sim = createSimulator(
      timed([{ at: '10m', do: { action: 'okta.lockUser', login: 'ada@example.com' } }]),
    );
    sim.clock.advance('9m59s');
    expect(sim.state.okta?.users.find((u) => u.login === 'ada@example.com')?.status).toBe('ACTIVE');
    sim.clock.advance('1s');
    expect(sim.state.okta?.users.find((u) => u.login === 'ada@example.com')?.status).toBe('LOCKED_OUT');
  });

  it('runs due actions in time order, ties in scenario order, each once, also on a jump by set()', async () => {
    const sim = createSimulator(
      timed([
        { at: '20m', do: { action: 'apigee.approveApp', app: 'web' } },
        { at: '10m', do: { action: 'apigee.revokeApp', app: 'web' } },
        { at: '10m', do: { action: 'apigee.approveApp', app: 'web' } },
        { at: '15m', do: { action: 'apigee.revokeApp', app: 'web' } },
      ]),
    );
    const seen: string[] = [];
    const original = sim.run.bind(sim);
    sim.run = (action) => {
      seen.push(`${action.action}@${(sim.clock.now() - Date.parse('2026-01-01T00:00:00Z')) / 60_000}m`);
      return original(action);
    };
    sim.clock.set('2026-01-01T00:16:00Z');
    expect(sim.state.apigee?.apps.find((a) => a.name === 'web')?.status).toBe('revoked');
    sim.clock.advance('1h');
    expect(seen).toEqual([
      'apigee.revokeApp@16m',
      'apigee.approveApp@16m',
      'apigee.revokeApp@16m',
      'apigee.approveApp@76m',
    ]);
    expect(sim.state.apigee?.apps.find((a) => a.name === 'web')?.status).toBe('approved');
  });

  it('runs actions at 0 at once, and runs them all again after reset', () => {
    const sim = createSimulator(
      timed([{ at: 0, do: { action: 'okta.lockUser', login: 'ada@example.com' } }] as never),
    );
    const status = () => sim.state.okta?.users.find((u) => u.login === 'ada@example.com')?.status;
    expect(status()).toBe('LOCKED_OUT');
    sim.okta.unlockUser('ada@example.com');
    sim.reset();
    expect(status()).toBe('LOCKED_OUT');
  });

  it('reports an action that fails when it runs, and goes on with the next', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const sim = createSimulator(
        timed([
          { at: '1m', do: { action: 'okta.endSession', sessionId: '102doesnotexist' } },
          { at: '1m', do: { action: 'okta.lockUser', login: 'ada@example.com' } },
        ]),
      );
      sim.clock.advance('1m');
      expect(error).toHaveBeenCalledWith(
        '[okta-apigee-sim] Failed to run a timeline action:',
        expect.anything(),
        expect.any(Error),
      );
      expect(sim.state.okta?.users.find((u) => u.login === 'ada@example.com')?.status).toBe('LOCKED_OUT');
    } finally {
      error.mockRestore();
    }
  });

  it('refuses at load an action on a user, app, key or product the scenario does not have', () => {
    try {
      validateScenario(
        timed([
          { at: '1m', do: { action: 'okta.lockUser', login: 'nobody@example.com' } },
          { at: '2m', do: { action: 'apigee.revokeKeyProduct', key: 'nokey', product: 'noproduct' } },
        ]),
      );
      expect.unreachable('the scenario is invalid');
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
        'timeline.0.do: No Okta user nobody@example.com',
        'timeline.1.do: No Apigee key nokey (give keys a consumerKey)',
        'timeline.1.do: No Apigee product noproduct',
      ]);
    }
  });
});
