/**
 * The simulator driven by the real okta-auth-js client (8.x, classic authn API): every flow a browser
 * or Node app would run with `signInWithCredentials` and the AuthnTransaction methods okta-auth-js builds
 * from the `_links` of each answer. Each test runs over msw in-process and over the real HTTP server.
 *
 * References: each test name ends with the docs/fidelity/okta.md entries (anchors) of what it checks.
 */
import {
  AuthApiError,
  type AuthnTransaction,
  type AuthnTransactionState,
  AuthSdkError,
  type HttpRequestClient,
  OktaAuth,
  STATE_TOKEN_KEY_NAME,
} from '@okta/okta-auth-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { setupSimulatorServer, startHttpServer } from '../../src/node/index.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { baseScenario, PASSWORD, withOkta, withPolicy } from '../support/scenarios.ts';

type Transport = 'msw' | 'http';

/** The global fetch before msw ever patched it: okta-auth-js sends every request through global fetch. */
const PRISTINE_FETCH = globalThis.fetch;

interface Rig {
  sim: Simulator;
  /** The Okta org URL as okta-auth-js sees it (the msw origin, or the HTTP server's URL). */
  orgUrl: string;
  authClient: OktaAuth;
}

/**
 * Registers per-test teardown for `transport` and returns a factory that builds a simulator, makes it
 * reachable (msw listening, or an HTTP server on a free port) and creates an OktaAuth client for it.
 * msw listens only for the duration of one msw test, so HTTP tests really go over the network.
 */
function useRig(transport: Transport): (scenario?: ScenarioInput) => Promise<Rig> {
  const teardown: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of teardown.splice(0).reverse()) await step();
  });
  return async (scenario = baseScenario) => {
    const sim = createSimulator(scenario);
    let orgUrl: string;
    if (transport === 'msw') {
      const server = setupSimulatorServer(sim);
      // msw 3 renamed msw 2's onUnhandledRequest: a request the simulator does not answer fails the test.
      server.listen({ onUnhandledFrame: 'error' });
      teardown.push(() => server.close());
      orgUrl = sim.scenario.okta?.orgUrl ?? 'https://dev-000000.okta.com';
    } else {
      if (globalThis.fetch !== PRISTINE_FETCH) throw new Error('msw is still intercepting fetch');
      const server = await startHttpServer(sim, { port: 0 });
      teardown.push(() => server.close());
      orgUrl = server.url;
    }
    const authClient = new OktaAuth({ issuer: `${orgUrl}/oauth2/default` });
    // In Node okta-auth-js keeps the stateToken in one node-cache shared by every OktaAuth instance of the
    // process (server/serverStorage.js): clear it so that no test sees another's transaction.
    teardown.push(() => authClient.options.storageUtil?.storage.delete(STATE_TOKEN_KEY_NAME));
    return { sim, orgUrl, authClient };
  };
}

/**
 * okta-auth-js stores the stateToken in Node with a TTL of `expiresAt - Date.now()` (real time), so with
 * the base scenario's clock (2026-01-01) it expires at once and `tx.exists()` / `tx.resume()` never see
 * it. Tests of the stored stateToken start the frozen virtual clock at the real time instead.
 */
const atRealNow: ScenarioInput = { ...baseScenario, clock: { start: 'now', frozen: true } };

/** A factor of an MFA_REQUIRED transaction, with the `verify` method okta-auth-js builds from its link. */
interface AuthnFactor {
  id: string;
  factorType: string;
  provider: string;
  profile: Record<string, unknown>;
  verify?: (options?: { passCode?: string; autoPush?: boolean }) => Promise<AuthnTransaction>;
}

function factorOf(tx: AuthnTransaction, factorType: string): AuthnFactor {
  const factor = tx.factors?.find((f) => f.factorType === factorType);
  if (!factor) throw new Error(`No ${factorType} factor in ${tx.status}`);
  return factor as AuthnFactor;
}

/** Verifies a factor through the method okta-auth-js built for it (failing clearly if it did not). */
function verify(factor: AuthnFactor, options?: { passCode?: string }): Promise<AuthnTransaction> {
  if (!factor.verify) throw new Error(`okta-auth-js built no verify() for the ${factor.factorType} factor`);
  return factor.verify(options);
}

/** The raw authn answer okta-auth-js keeps as `AuthnTransactionImpl.data` (absent from the public type). */
function rawOf(tx: AuthnTransaction): AuthnTransactionState {
  const { data } = tx as AuthnTransaction & { data?: AuthnTransactionState };
  if (!data) throw new Error('The transaction carries no raw answer');
  return data;
}

/** Awaits a promise that must reject with an AuthApiError, and returns the error. */
async function apiError(promise: Promise<unknown>): Promise<AuthApiError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    throw new Error(`Expected an AuthApiError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(AuthApiError);
  return outcome.error as AuthApiError;
}

/** okta-auth-js has no stored stateToken: `tx.resume()` fails before sending anything. */
async function expectNothingToResume(authClient: OktaAuth): Promise<void> {
  expect(authClient.tx.exists()).toBe(false);
  const resumed = authClient.tx.resume();
  await expect(resumed).rejects.toBeInstanceOf(AuthSdkError);
  await expect(resumed).rejects.toThrow('No transaction to resume');
}

/** Signs a user in with the scenario password and expects MFA_REQUIRED. */
async function mfaRequired(authClient: OktaAuth, username: string): Promise<AuthnTransaction> {
  const tx = await authClient.signInWithCredentials({ username, password: PASSWORD });
  expect(tx.status).toBe('MFA_REQUIRED');
  return tx;
}

for (const transport of ['msw', 'http'] as const) {
  describe(`okta-auth-js 8 against the simulator [${transport}]`, () => {
    const rig = useRig(transport);

    it('signs a password-only user in with a sessionToken (docs/fidelity/okta.md#okta-authn-success)', async () => {
      const { sim, orgUrl, authClient } = await rig();
      const tx = await authClient.signInWithCredentials({ username: 'ada@example.com', password: PASSWORD });

      expect(tx.status).toBe('SUCCESS');
      expect(tx.sessionToken).toMatch(/^\S{10,}$/);
      expect(tx.user).toMatchObject({ profile: { login: 'ada@example.com', firstName: 'Ada' } });
      // A finished transaction has no stateToken for okta-auth-js to keep.
      expect(authClient.tx.exists()).toBe(false);
      const entry = sim.requests.last({ operation: 'primaryAuthentication' });
      expect(entry).toMatchObject({ status: 200, principal: 'ada@example.com', outcome: 'SUCCESS' });
      // The request reached the simulator through this transport's origin.
      expect(new URL(entry?.url ?? '').origin).toBe(orgUrl);
    });

    it('rejects bad credentials with AuthApiError E0000004 and status 401 (docs/fidelity/okta.md#okta-bad-credentials)', async () => {
      const { sim, authClient } = await rig();

      const wrongPassword = await apiError(
        authClient.signInWithCredentials({ username: 'ada@example.com', password: 'wrong-password' }),
      );
      expect(wrongPassword).toMatchObject({
        errorCode: 'E0000004',
        errorSummary: 'Authentication failed',
        xhr: { status: 401 },
      });
      // An unknown user gets the very same answer, so that usernames cannot be probed.
      const unknownUser = await apiError(
        authClient.signInWithCredentials({ username: 'nobody@example.com', password: PASSWORD }),
      );
      expect(unknownUser).toMatchObject({ errorCode: 'E0000004', xhr: { status: 401 } });
      expect(sim.requests.filter({ operation: 'primaryAuthentication', errorCode: 'E0000004' })).toHaveLength(
        2,
      );
    });

    it('lists the factors with verify methods built from single-verb links (docs/fidelity/okta.md#okta-links-hints, docs/fidelity/okta.md#okta-embedded-factors)', async () => {
      const { orgUrl, authClient } = await rig();
      const tx = await mfaRequired(authClient, 'totp@example.com');

      const factor = factorOf(tx, 'token:software:totp');
      expect(factor).toMatchObject({ provider: 'OKTA', profile: { credentialId: 'totp@example.com' } });
      expect(factor.id).toMatch(/^\w+$/);
      // okta-auth-js only turns a link into a method when hints.allow names exactly one verb.
      expect(typeof factor.verify).toBe('function');
      expect(typeof tx.cancel).toBe('function');
      const raw = rawOf(tx);
      expect(raw.stateToken).toMatch(/^00/);
      expect(raw._links?.cancel).toEqual({
        href: `${orgUrl}/api/v1/authn/cancel`,
        hints: { allow: ['POST'] },
      });
      expect(tx.user).toMatchObject({ profile: { login: 'totp@example.com' } });
    });

    it('signs in with TOTP using the code at the virtual time (docs/fidelity/okta.md#okta-authn-success, docs/fidelity/okta.md#okta-embedded-factors)', async () => {
      const { sim, authClient } = await rig();
      const tx = await mfaRequired(authClient, 'totp@example.com');

      const done = await verify(factorOf(tx, 'token:software:totp'), {
        passCode: sim.okta.totpCode('totp@example.com'),
      });

      expect(done.status).toBe('SUCCESS');
      expect(done.sessionToken).toBeTruthy();
      expect(sim.requests.filter({ operation: 'verifyFactor' })).toMatchObject([
        { status: 200, principal: 'totp@example.com', outcome: 'SUCCESS' },
      ]);
    });

    it('rejects a wrong TOTP code with E0000068 and keeps the transaction usable (docs/fidelity/okta.md#okta-factor-verify)', async () => {
      const { sim, authClient } = await rig();
      const tx = await mfaRequired(authClient, 'totp@example.com');
      const factor = factorOf(tx, 'token:software:totp');
      // A stale code: the one the authenticator showed ten minutes ago.
      const stale = sim.okta.totpCode('totp@example.com', sim.clock.now() - 10 * 60_000);

      const error = await apiError(verify(factor, { passCode: stale }));
      expect(error).toMatchObject({
        errorCode: 'E0000068',
        errorSummary: 'Invalid Passcode/Answer',
        xhr: { status: 403 },
      });
      expect(error.errorCauses).toEqual([
        { errorSummary: "Your passcode doesn't match our records. Please try again." },
      ]);

      // The same transaction (same stateToken, same verify method) still accepts the right code.
      const done = await verify(factor, { passCode: sim.okta.totpCode('totp@example.com') });
      expect(done.status).toBe('SUCCESS');
      expect(done.sessionToken).toBeTruthy();
      expect(sim.requests.filter({ operation: 'verifyFactor' })).toMatchObject([
        { status: 403, errorCode: 'E0000068' },
        { status: 200, outcome: 'SUCCESS' },
      ]);
    });

    it('signs in with SMS: verify without a passCode challenges, then the code verifies (docs/fidelity/okta.md#okta-factor-verify)', async () => {
      const { sim, authClient } = await rig();
      const tx = await mfaRequired(authClient, 'sms@example.com');

      const challenge = await verify(factorOf(tx, 'sms'));
      expect(challenge.status).toBe('MFA_CHALLENGE');
      expect(challenge.factor).toMatchObject({
        factorType: 'sms',
        profile: { phoneNumber: '+1 XXX-XXX-0100' },
      });
      // The `next` link of the challenge becomes transaction.verify().
      expect(typeof challenge.verify).toBe('function');
      expect(sim.okta.outbox()).toMatchObject([{ channel: 'sms', to: '+15555550100', passCode: '123456' }]);

      const done = await challenge.verify?.({ passCode: '123456' });
      expect(done?.status).toBe('SUCCESS');
      expect(done?.sessionToken).toBeTruthy();
      expect(sim.requests.filter({ operation: 'verifyFactor' })).toMatchObject([
        { status: 200, outcome: 'MFA_CHALLENGE' },
        { status: 200, outcome: 'SUCCESS' },
      ]);
    });

    it('signs in with a generated SMS code read from the outbox (docs/fidelity/okta.md#okta-factor-verify)', async () => {
      const { sim, authClient } = await rig();
      const tx = await mfaRequired(authClient, 'sms-generated@example.com');

      const challenge = await verify(factorOf(tx, 'sms'));
      expect(challenge.status).toBe('MFA_CHALLENGE');
      const code = sim.okta.lastPassCode('sms-generated@example.com');
      expect(code).toMatch(/^\d{6}$/);

      const done = await challenge.verify?.({ passCode: code });
      expect(done?.status).toBe('SUCCESS');
      expect(done?.sessionToken).toBeTruthy();
    });

    it('approves a push after polling with transaction.poll() (docs/fidelity/okta.md#okta-push-challenge)', async () => {
      const { sim, authClient } = await rig();
      const tx = await mfaRequired(authClient, 'push@example.com');

      const challenge = await verify(factorOf(tx, 'push'));
      expect(challenge).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'WAITING' });
      expect(typeof challenge.poll).toBe('function');

      const waiting: string[] = [];
      const done = await challenge.poll?.({
        delay: 1,
        transactionCallBack: (res: AuthnTransactionState) => waiting.push(res.factorResult ?? ''),
      });
      expect(done?.status).toBe('SUCCESS');
      expect(done?.sessionToken).toBeTruthy();
      // The scenario approves on the 2nd poll: one WAITING answer came back before it.
      expect(waiting).toEqual(['WAITING']);
      expect(sim.requests.filter({ operation: 'verifyFactor' }).map((e) => e.outcome)).toEqual([
        'MFA_CHALLENGE',
        'MFA_CHALLENGE',
        'SUCCESS',
      ]);
    });

    it('ends a rejected push with factorResult REJECTED (docs/fidelity/okta.md#okta-push-challenge)', async () => {
      const { authClient } = await rig();
      const tx = await mfaRequired(authClient, 'push-reject@example.com');

      const challenge = await verify(factorOf(tx, 'push'));
      const done = await challenge.poll?.({ delay: 1 });

      expect(done).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'REJECTED' });
      expect(done?.sessionToken).toBeUndefined();
    });

    it('ends an unanswered push with factorResult TIMEOUT (docs/fidelity/okta.md#okta-push-challenge)', async () => {
      const { authClient } = await rig();
      const tx = await mfaRequired(authClient, 'push-timeout@example.com');

      const challenge = await verify(factorOf(tx, 'push'));
      const done = await challenge.poll?.({ delay: 1 });

      expect(done).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'TIMEOUT' });
      expect(done?.sessionToken).toBeUndefined();
    });

    it('times a push out once the virtual clock passes its lifetime while polling (docs/fidelity/okta.md#okta-push-outcome)', async () => {
      const { sim, authClient } = await rig(withPolicy({ mfa: { pushLifetime: '1m' } }));
      const tx = await mfaRequired(authClient, 'push@example.com');

      const challenge = await verify(factorOf(tx, 'push'));
      // push@example.com would approve on the 2nd poll; two virtual minutes pass before it.
      const done = await challenge.poll?.({ delay: 1, transactionCallBack: () => sim.clock.advance('2m') });

      expect(done).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'TIMEOUT' });
      expect(done?.sessionToken).toBeUndefined();
    });

    it('resumes the stored transaction with tx.resume() and finishes it (docs/fidelity/okta.md#okta-embedded-factors)', async () => {
      const { sim, authClient } = await rig(atRealNow);
      await mfaRequired(authClient, 'totp@example.com');
      expect(authClient.tx.exists()).toBe(true);

      const resumed = await authClient.tx.resume();
      expect(resumed.status).toBe('MFA_REQUIRED');
      expect(sim.requests.last()).toMatchObject({
        operation: 'primaryAuthentication',
        status: 200,
        principal: 'totp@example.com',
        outcome: 'MFA_REQUIRED',
      });

      const done = await verify(factorOf(resumed, 'token:software:totp'), {
        passCode: sim.okta.totpCode('totp@example.com'),
      });
      expect(done.status).toBe('SUCCESS');
      // SUCCESS carries no stateToken, so okta-auth-js drops the stored one.
      expect(authClient.tx.exists()).toBe(false);
    });

    it('cancels after MFA_REQUIRED, after which the stateToken fails with E0000011 (docs/fidelity/okta.md#okta-invalid-state-token, docs/fidelity/okta.md#okta-cancel)', async () => {
      const { sim, authClient } = await rig(atRealNow);
      const tx = await mfaRequired(authClient, 'totp@example.com');
      const { stateToken } = rawOf(tx);
      expect(authClient.tx.exists()).toBe(true);

      await tx.cancel?.();
      expect(sim.requests.last()).toMatchObject({
        operation: 'cancelTransaction',
        status: 200,
        principal: 'totp@example.com',
        outcome: 'CANCELLED',
      });
      // The cancel answer has no stateToken, so okta-auth-js forgets the stored one ...
      await expectNothingToResume(authClient);

      // ... and the simulator has ended the transaction: resuming it by its stateToken fails,
      const resumed = await apiError(authClient.tx.resume({ stateToken }));
      expect(resumed).toMatchObject({
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
        xhr: { status: 401 },
      });
      // as does verifying with the right code through the old transaction.
      const verified = await apiError(
        verify(factorOf(tx, 'token:software:totp'), { passCode: sim.okta.totpCode('totp@example.com') }),
      );
      expect(verified).toMatchObject({ errorCode: 'E0000011', xhr: { status: 401 } });
      expect(sim.requests.last()).toMatchObject({
        operation: 'verifyFactor',
        status: 401,
        errorCode: 'E0000011',
      });
    });

    it('rejects a stateToken past its 5-minute lifetime with E0000011 and drops it from storage (docs/fidelity/okta.md#okta-invalid-state-token)', async () => {
      const { sim, authClient } = await rig(atRealNow);
      const tx = await mfaRequired(authClient, 'totp@example.com');
      expect(authClient.tx.exists()).toBe(true);

      sim.clock.advance('6m');
      const error = await apiError(
        verify(factorOf(tx, 'token:software:totp'), { passCode: sim.okta.totpCode('totp@example.com') }),
      );

      expect(error).toMatchObject({
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
        xhr: { status: 401 },
      });
      // okta-auth-js deletes its stored stateToken on any E0000011 (http/request.js).
      await expectNothingToResume(authClient);
      expect(sim.requests.last()).toMatchObject({
        operation: 'verifyFactor',
        status: 401,
        errorCode: 'E0000011',
        principal: 'totp@example.com',
      });
    });
  });
}

/** The raw answer of a transaction as plain JSON, for the parts okta-auth-js's types leave out. */
// biome-ignore lint/suspicious/noExplicitAny: vendor JSON
function rawJson(tx: AuthnTransaction): any {
  return rawOf(tx);
}

/**
 * A browser's cookie jar for okta-auth-js in Node (its `httpRequestClient` option): cookies an answer sets
 * go back with every later request, as a browser sends them with `credentials: 'include'`.
 */
function cookieJarClient(): { client: HttpRequestClient; cookies: Map<string, string> } {
  const cookies = new Map<string, string>();
  const client: HttpRequestClient = async (method, url, options) => {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    if (cookies.size > 0) headers.Cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const body =
      options.data === undefined || typeof options.data === 'string'
        ? options.data
        : JSON.stringify(options.data);
    const response = await fetch(url, { method, headers, body: body ?? null });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    const result = {
      status: response.status,
      responseText: text,
      responseType: 'json' as const,
      responseJSON: json,
      headers: Object.fromEntries(response.headers),
    };
    if (!response.ok) throw result;
    return result;
  };
  return { client, cookies };
}

for (const transport of ['msw', 'http'] as const) {
  describe(`okta-auth-js 8 against the protections [${transport}] (docs/okta-protections.md)`, () => {
    const rig = useRig(transport);

    it('locks the user on the 5th wrong code: AuthApiError E0000069 User Locked, then the right code fails too (docs/fidelity/okta.md#okta-mfa-lockout)', async () => {
      const { sim, authClient } = await rig();
      const factor = factorOf(await mfaRequired(authClient, 'totp@example.com'), 'token:software:totp');
      for (let i = 0; i < 4; i++) {
        expect(await apiError(verify(factor, { passCode: '000000' }))).toMatchObject({
          errorCode: 'E0000068',
        });
      }
      expect(await apiError(verify(factor, { passCode: '000000' }))).toMatchObject({
        errorCode: 'E0000069',
        errorSummary: 'User Locked',
        errorCauses: [],
        xhr: { status: 403 },
      });
      const right = await apiError(verify(factor, { passCode: sim.okta.totpCode('totp@example.com') }));
      expect(right.errorCode).toBe('E0000069');
    });

    it('refuses a TOTP code that already succeeded with E0000082, in a new transaction (docs/fidelity/okta.md#okta-totp-replay)', async () => {
      const { sim, authClient } = await rig();
      const code = sim.okta.totpCode('totp@example.com');
      const first = factorOf(await mfaRequired(authClient, 'totp@example.com'), 'token:software:totp');
      expect((await verify(first, { passCode: code })).status).toBe('SUCCESS');
      sim.clock.advance('1s');
      const second = factorOf(await mfaRequired(authClient, 'totp@example.com'), 'token:software:totp');
      expect(await apiError(verify(second, { passCode: code }))).toMatchObject({
        errorCode: 'E0000082',
        errorSummary: 'Each code can only be used once. Please wait for a new code and try again.',
        xhr: { status: 403 },
      });
    });

    it('refuses a second SMS challenge within 30 seconds, after prev() too, with E0000109 (docs/fidelity/okta.md#okta-resend-throttles)', async () => {
      const { sim, authClient } = await rig();
      const tx = await mfaRequired(authClient, 'sms-generated@example.com');
      const challenge = await verify(factorOf(tx, 'sms'));
      expect(challenge.status).toBe('MFA_CHALLENGE');
      if (!challenge.prev) throw new Error('okta-auth-js built no prev()');
      const back = await challenge.prev();
      expect(await apiError(verify(factorOf(back, 'sms')))).toMatchObject({
        errorCode: 'E0000109',
        xhr: { status: 429 },
      });
      sim.clock.advance('30s');
      expect((await verify(factorOf(back, 'sms'))).status).toBe('MFA_CHALLENGE');
    });

    it('refuses a recent password at changePassword() with E0000080 and the one rule sentence (docs/fidelity/okta.md#okta-password-history)', async () => {
      const { authClient } = await rig();
      const tx = await authClient.signInWithCredentials({
        username: 'expired@example.com',
        password: PASSWORD,
      });
      expect(tx.status).toBe('PASSWORD_EXPIRED');
      expect(tx.policy).toMatchObject({ age: { minAgeMinutes: 0, historyCount: 4 } });
      if (!tx.changePassword) throw new Error('okta-auth-js built no changePassword()');
      const refused = await apiError(tx.changePassword({ oldPassword: PASSWORD, newPassword: PASSWORD }));
      expect(refused).toMatchObject({ errorCode: 'E0000080', xhr: { status: 403 } });
      expect(refused.errorCauses).toEqual([
        {
          errorSummary:
            'Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords.',
        },
      ]);
    });

    it('finishes an unlock with SUCCESS and a sessionToken (widget recording SUCCESS_unlock; docs/fidelity/okta.md#okta-unlock-by-answer)', async () => {
      const { sim, authClient } = await rig();
      sim.okta.lockUser('recover@example.com');
      await authClient.unlockAccount({ username: 'recover@example.com', factorType: 'EMAIL' });
      const tx = await authClient.verifyRecoveryToken({
        recoveryToken: sim.okta.lastRecoveryToken('recover@example.com'),
      });
      expect(tx.status).toBe('RECOVERY');
      if (!tx.answer) throw new Error('okta-auth-js built no answer()');
      const done = await tx.answer({ answer: 'Gordon' });
      expect(done.status).toBe('SUCCESS');
      expect(done.sessionToken).toMatch(/^\S{10,}$/);
      expect(rawOf(done)).toMatchObject({
        recoveryType: 'UNLOCK',
        expiresAt: expect.stringMatching(/\.000Z$/),
      });
    });

    it('offers an optional-only enrollment with skip(), which finishes the sign-in (widget recording MFA_ENROLL_allFactors; docs/fidelity/okta.md#okta-optional-enrollment)', async () => {
      const { authClient } = await rig(
        withOkta({
          users: [{ login: 'optional@example.com', password: PASSWORD, enrollment: { sms: 'OPTIONAL' } }],
        }),
      );
      const tx = await authClient.signInWithCredentials({
        username: 'optional@example.com',
        password: PASSWORD,
      });
      expect(tx.status).toBe('MFA_ENROLL');
      if (!tx.skip) throw new Error('okta-auth-js built no skip()');
      expect((await tx.skip()).status).toBe('SUCCESS');
    });

    it('reads the /me session with mfaActive false for a user without a factor, whole-second instants and a user() method (docs/fidelity/okta.md#okta-session-mfa-active, docs/fidelity/okta.md#okta-timestamps)', async () => {
      const { orgUrl } = await rig({
        ...baseScenario,
        clock: { start: '2026-01-01T00:00:00.250Z', frozen: true },
      });
      const jar = cookieJarClient();
      const authClient = new OktaAuth({ issuer: `${orgUrl}/oauth2/default`, httpRequestClient: jar.client });
      const tx = await authClient.signInWithCredentials({ username: 'ada@example.com', password: PASSWORD });
      // The browser navigation that sets the sid cookie (session.setCookieAndRedirect), made by hand.
      const redirect = await fetch(
        `${orgUrl}/login/sessionCookieRedirect?token=${tx.sessionToken}&redirectUrl=${encodeURIComponent(`${orgUrl}/app`)}`,
        { redirect: 'manual' },
      );
      const sid = /sid=([^;]+)/.exec(redirect.headers.get('set-cookie') ?? '')?.[1];
      if (!sid) throw new Error('no sid cookie');
      jar.cookies.set('sid', sid);
      // okta-auth-js drops `_links` and builds `user()` from the user link (lib/session/api.ts).
      const session = (await authClient.session.get()) as unknown as Record<string, unknown>;
      expect(session).toMatchObject({ status: 'ACTIVE', amr: ['pwd'], mfaActive: false });
      expect(session.createdAt).toBe('2026-01-01T00:00:00.000Z');
      expect(typeof session.user).toBe('function');
    });

    it('sees verification: null on the challenged factor, and a factorEnrollRequest refusal of a short answer (widget recordings MFA_CHALLENGE_sms, MFA_ENROLL_question_error; docs/fidelity/okta.md#okta-challenge-verification, docs/fidelity/okta.md#okta-enroll)', async () => {
      const { authClient } = await rig();
      const challenge = await verify(factorOf(await mfaRequired(authClient, 'sms@example.com'), 'sms'));
      expect(rawJson(challenge)._embedded.factor).toMatchObject({ _embedded: { verification: null } });
      const enroll = await authClient.signInWithCredentials({
        username: 'enroll@example.com',
        password: PASSWORD,
      });
      const question = enroll.factors?.find((f) => f.factorType === 'question') as
        | (AuthnFactor & {
            enroll?: (options: { profile: Record<string, string> }) => Promise<AuthnTransaction>;
          })
        | undefined;
      if (!question?.enroll) throw new Error('okta-auth-js built no enroll() for the question');
      const refused = await apiError(
        question.enroll({ profile: { question: 'disliked_food', answer: 'ok' } }),
      );
      expect(refused).toMatchObject({
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: factorEnrollRequest',
        xhr: { status: 400 },
      });
    });

    it('links a push activation to its QR code (a PNG) and to send operations that answer the transaction (docs/fidelity/okta.md#okta-activation-links)', async () => {
      const { sim, authClient } = await rig();
      const tx = await authClient.signInWithCredentials({
        username: 'enroll@example.com',
        password: PASSWORD,
      });
      const push = tx.factors?.find((f) => f.factorType === 'push') as
        | (AuthnFactor & { enroll?: () => Promise<AuthnTransaction> })
        | undefined;
      if (!push?.enroll) throw new Error('okta-auth-js built no enroll() for push');
      const activating = await push.enroll();
      expect(activating.status).toBe('MFA_ENROLL_ACTIVATE');
      const activation = rawJson(activating)._embedded.factor._embedded.activation;
      const png = await fetch(activation._links.qrcode.href, { headers: { Accept: '*/*' } });
      expect(png.headers.get('content-type')).toBe('image/png');
      expect([...new Uint8Array(await png.arrayBuffer()).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      const [email] = activation._links.send;
      if (!email) throw new Error('no send link');
      const sent = await fetch(email.href, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ stateToken: rawJson(activating).stateToken }),
      });
      expect(((await sent.json()) as { status: string }).status).toBe('MFA_ENROLL_ACTIVATE');
      expect(sim.okta.outbox().at(-1)).toMatchObject({ channel: 'email', purpose: 'activation' });
    });

    it('remembers a browser that verifies with rememberDevice by its device cookie (docs/fidelity/okta.md#okta-remember-device)', async () => {
      const { sim, orgUrl } = await rig();
      const jar = cookieJarClient();
      const authClient = new OktaAuth({ issuer: `${orgUrl}/oauth2/default`, httpRequestClient: jar.client });
      const tx = await mfaRequired(authClient, 'totp@example.com');
      const factor = factorOf(tx, 'token:software:totp') as AuthnFactor & {
        verify: (options: { passCode: string; rememberDevice: boolean }) => Promise<AuthnTransaction>;
      };
      const done = await factor.verify({
        passCode: sim.okta.totpCode('totp@example.com'),
        rememberDevice: true,
      });
      expect(done.status).toBe('SUCCESS');
      expect(jar.cookies.has('DT')).toBe(true);
      sim.clock.advance('1m');
      const again = await authClient.signInWithCredentials({
        username: 'totp@example.com',
        password: PASSWORD,
      });
      expect(again.status).toBe('SUCCESS');
      authClient.options.storageUtil?.storage.delete(STATE_TOKEN_KEY_NAME);
    });
  });
}
