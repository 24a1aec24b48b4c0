/**
 * The tools around the simulator, in-process: the request log (`sim.requests.subscribe`), journal
 * queries, clearing and capture, a user's one-time codes (`sim.okta.codes`, `GET /__sim/okta/users/{login}
 * /codes`), reloads that keep state, and disposal. The served forms are in test/cli.
 */
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/core/journal.ts';
import { createSimulator, type Simulator } from '../../src/create-simulator.ts';
import { formatRequestLine } from '../../src/request-log.ts';
import { defineScenario } from '../../src/scenario/parse.ts';
import { colorsFor } from '../../src/style.ts';
import { apigeeScenario, baseScenario, PASSWORD, SSWS, T0, TOTP_SECRET, WEB } from '../support/scenarios.ts';

const ORG = 'https://dev-000000.okta.com';
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

async function send(sim: Simulator, url: string, init: RequestInit = {}) {
  const response = await sim.fetch(new Request(url, init));
  if (!response) throw new Error(`unanswered ${url}`);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const signIn = (sim: Simulator, username: string, password = PASSWORD) =>
  send(sim, `${ORG}/api/v1/authn`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ username, password }),
  });

/** Signs in and asks for the first factor's challenge (an SMS sent, a push started). */
async function challenge(sim: Simulator, username: string) {
  const { body } = await signIn(sim, username);
  const factor = body._embedded.factors[0];
  const verify = `${ORG}/api/v1/authn/factors/${factor.id}/verify`;
  const sent = await send(sim, verify, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ stateToken: body.stateToken }),
  });
  return { stateToken: body.stateToken as string, verify, sent };
}

describe('the request log', () => {
  it('tells subscribers of every request with wall and virtual time, duration and the fault applied', async () => {
    const sim = createSimulator(baseScenario);
    const seen: JournalEntry[] = [];
    const unsubscribe = sim.requests.subscribe((entry) => seen.push(entry));
    sim.faults.inject({
      name: 'slow sign-in',
      match: { username: 'ada@example.com' },
      effect: { type: 'latency', ms: 5 },
    });
    await signIn(sim, 'ada@example.com', 'wrong');
    await signIn(sim, 'totp@example.com');
    unsubscribe();
    await signIn(sim, 'ada@example.com');
    expect(seen).toHaveLength(2);
    const [faulted, plain] = seen as [JournalEntry, JournalEntry];
    expect(faulted).toMatchObject({
      seq: 1,
      at: T0,
      method: 'POST',
      vendor: 'okta',
      operation: 'primaryAuthentication',
      status: 401,
      errorCode: 'E0000004',
      principal: 'ada@example.com',
      fault: { type: 'latency', name: 'slow sign-in' },
    });
    expect(faulted.durationMs).toBeGreaterThanOrEqual(4);
    expect(Date.parse(faulted.wall)).toBeGreaterThan(Date.parse(T0));
    expect(plain.fault).toBeUndefined();
    expect(plain.request).toBeUndefined();
    expect(formatRequestLine(faulted)).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} \[2026-01-01T00:00:00\.000Z\] POST \/api\/v1\/authn 401 primaryAuthentication E0000004 ada@example\.com fault:latency\(slow sign-in\) [\d.]+ms$/,
    );
    expect(formatRequestLine(faulted, { color: true })).toContain('\u001b[33m401\u001b[39m');
  });

  it('keeps logging when a subscriber throws', async () => {
    const sim = createSimulator(baseScenario);
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      sim.requests.subscribe(() => {
        throw new Error('listener bug');
      });
      expect((await signIn(sim, 'ada@example.com')).status).toBe(200);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    expect(sim.requests.size).toBe(1);
  });
});

describe('journal queries', () => {
  async function traffic() {
    const sim = createSimulator({ ...baseScenario, apigee: apigeeScenario.apigee });
    await signIn(sim, 'ada@example.com');
    await signIn(sim, 'ada@example.com', 'wrong');
    sim.clock.advance('1m');
    await signIn(sim, 'totp@example.com');
    await send(sim, 'https://acme-test.apigee.net/oauth/token', {
      method: 'POST',
      headers: { Authorization: `Basic ${btoa(`${WEB.clientId}:nope`)}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    return sim;
  }

  it('selects by vendor, operation, status or status class, since a seq or an instant, the latest first cut by limit', async () => {
    const sim = await traffic();
    const ops = (entries: JournalEntry[]) => entries.map((e) => `${e.seq} ${e.operation} ${e.status}`);
    expect(ops(sim.requests.query({ vendor: 'okta' }))).toEqual([
      '1 primaryAuthentication 200',
      '2 primaryAuthentication 401',
      '3 primaryAuthentication 200',
    ]);
    expect(ops(sim.requests.query({ status: '4xx' }))).toEqual([
      '2 primaryAuthentication 401',
      '4 generateAccessToken 401',
    ]);
    expect(ops(sim.requests.query({ status: 200, operation: 'primaryAuthentication', limit: 1 }))).toEqual([
      '3 primaryAuthentication 200',
    ]);
    expect(ops(sim.requests.query({ since: 2 }))).toEqual([
      '3 primaryAuthentication 200',
      '4 generateAccessToken 401',
    ]);
    expect(ops(sim.requests.query({ since: '2026-01-01T00:01:00Z', vendor: 'apigee' }))).toEqual([
      '4 generateAccessToken 401',
    ]);

    const listed = await send(sim, `${ORG}/__sim/requests?vendor=okta&status=4xx`);
    expect(listed.status).toBe(200);
    expect(ops(listed.body)).toEqual(['2 primaryAuthentication 401']);
    const since = await send(sim, `${ORG}/__sim/requests?since=3&limit=5`);
    expect(ops(since.body)).toEqual(['4 generateAccessToken 401']);
    const byTime = await send(
      sim,
      `${ORG}/__sim/requests?since=2026-01-01T00:00:30Z&operation=primaryAuthentication`,
    );
    expect(ops(byTime.body)).toEqual(['3 primaryAuthentication 200']);
  });

  it('answers 400 to a query it cannot read, and clears the journal on DELETE', async () => {
    const sim = await traffic();
    for (const query of ['vendor=google', 'status=4x', 'since=yesterday', 'limit=-1', 'colour=red']) {
      const answer = await send(sim, `${ORG}/__sim/requests?${query}`);
      expect([query, answer.status, answer.body.error.code]).toEqual([query, 400, 'bad_request']);
    }
    expect(sim.requests.size).toBe(4);
    expect((await send(sim, `${ORG}/__sim/requests`, { method: 'DELETE' })).body).toEqual({ ok: true });
    expect(sim.requests.size).toBe(0);
    await signIn(sim, 'ada@example.com');
    expect(sim.requests.all().map((e) => e.seq)).toEqual([1]);
  });
});

describe('capture of headers and bodies', () => {
  it('is off by default, and once on keeps both sides with secrets masked', async () => {
    const sim = createSimulator(baseScenario);
    expect((await send(sim, `${ORG}/__sim/requests/capture`)).body).toEqual({ enabled: false });
    await signIn(sim, 'ada@example.com');
    expect(sim.requests.last()?.request).toBeUndefined();

    const on = await send(sim, `${ORG}/__sim/requests/capture`, {
      method: 'PUT',
      body: JSON.stringify({ enabled: true }),
    });
    expect(on.body).toEqual({ enabled: true, maxBodyBytes: 4096 });
    const { body } = await signIn(sim, 'ada@example.com');
    const entry = sim.requests.last()!;
    expect(entry.request?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(JSON.parse(entry.request?.body ?? '')).toEqual({ username: 'ada@example.com', password: '****' });
    expect(entry.response?.headers['x-okta-request-id']).toMatch(/^\w+$/);
    const answered = JSON.parse(entry.response?.body ?? '');
    expect(answered).toMatchObject({ status: 'SUCCESS', sessionToken: '****' });
    expect(body.sessionToken).not.toBe('****');

    await send(sim, `${ORG}/api/v1/users/me`, { headers: { ...SSWS, Cookie: 'sid=abc; other=1' } });
    expect(sim.requests.last()?.request?.headers).toMatchObject({
      authorization: 'SSWS ****',
      cookie: 'sid=****; other=****',
    });

    const apigee = createSimulator(apigeeScenario);
    apigee.requests.capture(true);
    await send(apigee, 'https://acme-test.apigee.net/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${WEB.clientId}&client_secret=${WEB.clientSecret}`,
    });
    const token = apigee.requests.last()!;
    expect(token.request?.body).toBe('grant_type=client_credentials&client_id=web-key&client_secret=****');
    expect(JSON.parse(token.response?.body ?? '')).toMatchObject({
      access_token: '****',
      token_type: 'BearerToken',
      client_id: 'web-key',
    });
  });

  it('cuts bodies at maxBodyBytes, refuses settings out of bounds and turns off again', async () => {
    const sim = createSimulator(baseScenario);
    const small = await send(sim, `${ORG}/__sim/requests/capture`, {
      method: 'PUT',
      body: JSON.stringify({ enabled: true, maxBodyBytes: 10 }),
    });
    expect(small.body).toEqual({ enabled: true, maxBodyBytes: 10 });
    await signIn(sim, 'ada@example.com');
    const request = sim.requests.last()?.request;
    expect(request?.body).toHaveLength(10);
    expect(request?.bodyLength).toBeGreaterThan(10);
    for (const settings of [{ enabled: true, maxBodyBytes: 65_537 }, { enabled: 'yes' }, {}]) {
      const refused = await send(sim, `${ORG}/__sim/requests/capture`, {
        method: 'PUT',
        body: JSON.stringify(settings),
      });
      expect(refused.status).toBe(400);
    }
    expect(sim.requests.capturing).toEqual({ maxBodyBytes: 10 });
    sim.requests.capture(false);
    await signIn(sim, 'ada@example.com');
    expect(sim.requests.last()?.request).toBeUndefined();
  });
});

describe("a user's one-time codes", () => {
  it('gives the TOTP code now and next, and follows the virtual clock', async () => {
    const sim = createSimulator(baseScenario);
    const codes = await send(sim, `${ORG}/__sim/okta/users/totp@example.com/codes`);
    expect(codes.status).toBe(200);
    expect(codes.body).toMatchObject({
      login: 'totp@example.com',
      at: T0,
      totp: {
        provider: 'OKTA',
        code: sim.okta.totpCode('totp@example.com'),
        next: sim.okta.totpCode('totp@example.com', Date.parse(T0) + 30_000),
        validUntil: '2026-01-01T00:00:29.999Z',
      },
      sms: null,
      push: null,
    });
    sim.clock.advance('30s');
    expect(sim.okta.codes('totp@example.com').totp?.code).toBe(codes.body.totp.next);
    expect(sim.okta.codes('totp@example.com').totp?.code).not.toBe(
      sim.okta.totpCode('totp@example.com', Date.parse(T0)),
    );
    expect(TOTP_SECRET).toBeTruthy();
  });

  it('gives the latest SMS code sent, which verifies the challenge', async () => {
    const sim = createSimulator(baseScenario);
    expect(sim.okta.codes('sms-generated@example.com').sms).toBeNull();
    const { stateToken, verify, sent } = await challenge(sim, 'sms-generated@example.com');
    expect(sent.body.status).toBe('MFA_CHALLENGE');
    const codes = await send(
      sim,
      `${ORG}/__sim/okta/users/${encodeURIComponent('sms-generated@example.com')}/codes`,
    );
    expect(codes.body.sms).toEqual({
      factorId: expect.stringMatching(/^sms/),
      to: '+15555550101',
      passCode: expect.stringMatching(/^\d{6}$/),
      sentAt: T0,
      purpose: 'challenge',
    });
    const done = await send(sim, verify, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ stateToken, passCode: codes.body.sms.passCode }),
    });
    expect(done.body.status).toBe('SUCCESS');
  });

  it('gives the push factor, its outcome and the state of the latest push', async () => {
    const sim = createSimulator(baseScenario);
    expect(sim.okta.codes('push@example.com').push).toEqual({
      factorId: expect.stringMatching(/^opf/),
      outcome: 'APPROVE',
      afterPolls: 2,
      challenge: null,
    });
    const { stateToken, verify } = await challenge(sim, 'push@example.com');
    await send(sim, verify, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ stateToken }) });
    expect(sim.okta.codes('push@example.com').push?.challenge).toEqual({
      factorResult: 'WAITING',
      polls: 1,
      sentAt: T0,
      expiresAt: '2026-01-01T00:05:00.000Z',
    });
  });

  it('answers 404 for a user or an Okta org that does not exist', async () => {
    const sim = createSimulator(baseScenario);
    const unknown = await send(sim, `${ORG}/__sim/okta/users/nobody@example.com/codes`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    const apigeeOnly = createSimulator(apigeeScenario);
    const none = await send(apigeeOnly, 'https://acme-test.apigee.net/__sim/okta/users/a/codes');
    expect([none.status, none.body.error.message]).toEqual([404, expect.stringContaining('no okta section')]);
  });
});

describe('reloading a scenario', () => {
  const scenario = (maxAttempts: number, extraUser = false) =>
    defineScenario({
      version: 1,
      clock: { start: T0, frozen: true },
      okta: {
        policy: { lockout: { maxAttempts } },
        users: [
          { login: 'ada@example.com', password: PASSWORD },
          ...(extraUser ? [{ login: 'bob@example.com', password: PASSWORD }] : []),
        ],
      },
      timeline: [{ at: '1m', do: { action: 'okta.lockUser', login: 'ada@example.com' } }],
    });

  it('keeps sessions, the clock and the journal when the users are the same, and applies the new policy', async () => {
    const sim = createSimulator(scenario(0));
    const { body } = await signIn(sim, 'ada@example.com');
    const created = await send(sim, `${ORG}/api/v1/sessions`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ sessionToken: body.sessionToken }),
    });
    sim.clock.advance('2m');
    sim.okta.unlockUser('ada@example.com');
    expect(sim.load(scenario(2), { keepState: true })).toEqual({ state: 'kept' });
    expect(sim.clock.now()).toBe(Date.parse(T0) + 120_000);
    expect(sim.requests.size).toBe(2);
    // The lock-out at 1m had run before the reload: it does not run again.
    const session = await send(sim, `${ORG}/api/v1/sessions/${created.body.id}`, { headers: SSWS });
    expect(session.status).not.toBe(404);
    expect(sim.state.okta?.users.find((u) => u.login === 'ada@example.com')?.status).toBe('ACTIVE');
    // The new policy: locked out after 2 failures.
    await signIn(sim, 'ada@example.com', 'wrong');
    await signIn(sim, 'ada@example.com', 'wrong');
    expect(sim.state.okta?.users.find((u) => u.login === 'ada@example.com')?.status).toBe('LOCKED_OUT');
    // New ids do not repeat the adopted ones, and reset() goes back to the new scenario's start.
    const second = await signIn(sim, 'ada@example.com');
    expect(second.status).toBe(401);
    sim.reset();
    expect(sim.clock.now()).toBe(Date.parse(T0));
    expect(sim.requests.size).toBe(0);
  });

  it('starts again, saying why, when the users changed or keeping was not asked', async () => {
    const sim = createSimulator(scenario(0));
    await signIn(sim, 'ada@example.com');
    sim.clock.advance('2m');
    expect(sim.load(scenario(0, true), { keepState: true })).toEqual({
      state: 'reset',
      reason: 'okta.users changed',
    });
    expect(sim.clock.now()).toBe(Date.parse(T0));
    expect(sim.requests.size).toBe(0);
    expect(sim.load(scenario(0, true))).toEqual({ state: 'reset' });
    const put = await send(sim, `${ORG}/__sim/scenario?keepState=1`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(scenario(3, true)),
    });
    expect(put.body).toEqual({ ok: true, name: 'unnamed scenario', state: 'kept' });
  });

  it('keeps Apigee tokens and signing keys across a reload with the same apps', async () => {
    const sim = createSimulator(apigeeScenario);
    const { accessToken } = await sim.apigee.issueToken({ app: 'web' });
    const next = {
      ...apigeeScenario,
      apigee: { ...apigeeScenario.apigee, quirks: { validateExpiredToken: 'fault' as const } },
    };
    expect(sim.load(next, { keepState: true })).toEqual({ state: 'kept' });
    expect(sim.apigee.token(accessToken)?.status).toBe('approved');
    const { accessToken: fresh } = await sim.apigee.issueToken({ app: 'web' });
    expect(fresh).not.toBe(accessToken);
  });
});

describe('disposal', () => {
  it('drops subscribers, the journal and capture', async () => {
    const sim = createSimulator(baseScenario);
    let seen = 0;
    sim.requests.subscribe(() => {
      seen += 1;
    });
    sim.requests.capture(true);
    await signIn(sim, 'ada@example.com');
    sim[Symbol.dispose]();
    expect(sim.requests.size).toBe(0);
    expect(sim.requests.capturing).toBeUndefined();
    await signIn(sim, 'ada@example.com');
    expect(seen).toBe(1);
  });
});

describe('terminal colours', () => {
  it('colours a terminal unless NO_COLOR is set or TERM is dumb, and anything with FORCE_COLOR', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorsFor(tty, {})).toBe(true);
    expect(colorsFor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorsFor(tty, { NO_COLOR: '' })).toBe(true);
    expect(colorsFor(tty, { TERM: 'dumb' })).toBe(false);
    expect(colorsFor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorsFor(pipe, {})).toBe(false);
    expect(colorsFor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorsFor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});
