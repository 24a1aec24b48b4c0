import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../../src/scenario/schema.ts';
import type { Harness, Reply } from '../../support/harness.ts';
import { expectOktaError, factorOf, follow, signIn } from '../../support/okta.ts';
import {
  AJS_SESSION,
  SIW_ENROLL_ERROR_SUMMARY,
  SIW_MFA_CHALLENGE_SMS_FACTOR,
  SIW_MFA_ENROLL_ALL_FACTORS_LINKS,
  SIW_MFA_LOCKED,
  SIW_PASSWORD_POLICY_KEYS,
  SIW_PASSWORD_RESET_ERROR,
  SIW_SUCCESS_UNLOCK,
} from '../../support/recorded.ts';
import { baseScenario, PASSWORD, SSWS, T0_MS, withOkta, withPolicy } from '../../support/scenarios.ts';

type Make = (scenario: ScenarioInput) => Promise<Harness>;

const HISTORY_SENTENCE = 'Your password cannot be any of your last 4 passwords.';
const RULES =
  'Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.';

/** The base scenario with `okta.quirks` merged in. */
function withQuirks(quirks: Record<string, unknown>): ScenarioInput {
  return withOkta({ quirks: quirks as never });
}

/** Signs the TOTP user in and answers the verify href and stateToken of a fresh MFA_REQUIRED transaction. */
async function totpChallenge(h: Harness, login = 'totp@example.com') {
  // A second apart: primary authentications are limited to 4 a second per username.
  h.sim.clock.advance('1s');
  const start = await signIn(h, login);
  expect(start.body.status).toBe('MFA_REQUIRED');
  return {
    href: factorOf(start, 'token:software:totp')._links.verify.href,
    stateToken: start.body.stateToken,
  };
}

/** A wrong TOTP code against a fresh or given transaction. */
async function wrongCode(h: Harness, tx: { href: string; stateToken: string }): Promise<Reply> {
  return follow(h, tx.href, { stateToken: tx.stateToken, passCode: '000000' });
}

function userId(h: Harness, login: string): string {
  const user = h.sim.state.okta?.users.find((u) => u.login === login);
  if (!user) throw new Error(`no user ${login}`);
  return user.id;
}

/**
 * The protections security tests rely on, and the shapes they assert on (docs/okta-protections.md):
 * the MFA lock-out, TOTP replay, challenge throttles, password history and minimum age, each cleared by
 * `reset()`; and the shape fixes of issue 14, each against its public source.
 */
export function protectionsContract(harness: Make): void {
  describe('protections: MFA lock-out', () => {
    it('locks the user on the 5th consecutive wrong code with 403 E0000069 User Locked, even for a right code after (widget recording MFA_LOCKED_FAILED_ATEMPTS; docs/fidelity/okta.md#okta-mfa-lockout)', async () => {
      const h = await harness(baseScenario);
      const tx = await totpChallenge(h);
      for (let i = 1; i <= 4; i++) expectOktaError(await wrongCode(h, tx), 403, 'E0000068');
      const locked = await wrongCode(h, tx);
      expectOktaError(locked, SIW_MFA_LOCKED.status, SIW_MFA_LOCKED.errorCode, SIW_MFA_LOCKED.errorSummary);
      expect(locked.body.errorCauses).toEqual(SIW_MFA_LOCKED.errorCauses);
      const right = await follow(h, tx.href, {
        stateToken: tx.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      expectOktaError(right, 403, 'E0000069', 'User Locked');
      expect(h.sim.state.okta?.users.find((u) => u.login === 'totp@example.com')?.status).toBe('LOCKED_OUT');
      // A locked user signs in no more: hidden lock-out, as for too many passwords.
      expectOktaError(await signIn(h, 'totp@example.com'), 401, 'E0000004');
      // An admin's unlock lets the user in again, with a fresh count.
      const unlocked = await h.post(
        `/api/v1/users/${userId(h, 'totp@example.com')}/lifecycle/unlock`,
        {},
        SSWS,
      );
      expect(unlocked.status).toBe(200);
      const again = await totpChallenge(h);
      expectOktaError(await wrongCode(h, again), 403, 'E0000068');
    });

    it('counts consecutive failures across transactions and resets the count only on a success (docs/fidelity/okta.md#okta-mfa-lockout)', async () => {
      const h = await harness(baseScenario);
      for (let i = 0; i < 4; i++)
        expectOktaError(await wrongCode(h, await totpChallenge(h)), 403, 'E0000068');
      const tx = await totpChallenge(h);
      const done = await follow(h, tx.href, {
        stateToken: tx.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      expect(done.body.status).toBe('SUCCESS');
      const next = await totpChallenge(h);
      for (let i = 0; i < 4; i++) expectOktaError(await wrongCode(h, next), 403, 'E0000068');
      expectOktaError(await wrongCode(h, await totpChallenge(h)), 403, 'E0000069', 'User Locked');
    });

    it('counts wrong answers of the Factors API toward the same lock-out (docs/fidelity/okta.md#okta-mfa-lockout)', async () => {
      const h = await harness(baseScenario);
      const tx = await totpChallenge(h);
      for (let i = 0; i < 3; i++) expectOktaError(await wrongCode(h, tx), 403, 'E0000068');
      const id = userId(h, 'totp@example.com');
      const factors = (await h.get(`/api/v1/users/${id}/factors`, SSWS)).body;
      const verify = `/api/v1/users/${id}/factors/${factors[0].id}/verify`;
      expectOktaError(await h.post(verify, { passCode: '000000' }, SSWS), 403, 'E0000068');
      expectOktaError(await h.post(verify, { passCode: '000000' }, SSWS), 403, 'E0000069', 'User Locked');
      const right = await h.post(verify, { passCode: h.sim.okta.totpCode('totp@example.com') }, SSWS);
      expectOktaError(right, 403, 'E0000069');
    });

    it('never locks with policy.mfa.maxAttempts: 0, the earlier behaviour', async () => {
      const h = await harness(withPolicy({ mfa: { maxAttempts: 0 } }));
      const tx = await totpChallenge(h);
      for (let i = 0; i < 30; i++) expectOktaError(await wrongCode(h, tx), 403, 'E0000068');
    });
  });

  describe('protections: TOTP replay', () => {
    it('refuses a code that already succeeded with 403 E0000082, also in a new transaction, and takes the next step (docs/fidelity/okta.md#okta-totp-replay)', async () => {
      const h = await harness(baseScenario);
      const code = h.sim.okta.totpCode('totp@example.com');
      const first = await totpChallenge(h);
      expect(
        (await follow(h, first.href, { stateToken: first.stateToken, passCode: code })).body.status,
      ).toBe('SUCCESS');
      h.sim.clock.advance('10s');
      const second = await totpChallenge(h);
      const replay = await follow(h, second.href, { stateToken: second.stateToken, passCode: code });
      expectOktaError(
        replay,
        403,
        'E0000082',
        'Each code can only be used once. Please wait for a new code and try again.',
      );
      expect(replay.body.errorCauses).toEqual([]);
      h.sim.clock.advance('20s');
      const fresh = await follow(h, second.href, {
        stateToken: second.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      expect(fresh.body.status).toBe('SUCCESS');
    });

    it('refuses through the Factors API a code that succeeded at sign-in (docs/fidelity/okta.md#okta-totp-replay)', async () => {
      const h = await harness(baseScenario);
      const code = h.sim.okta.totpCode('totp@example.com');
      const tx = await totpChallenge(h);
      await follow(h, tx.href, { stateToken: tx.stateToken, passCode: code });
      const id = userId(h, 'totp@example.com');
      const factors = (await h.get(`/api/v1/users/${id}/factors`, SSWS)).body;
      const replay = await h.post(
        `/api/v1/users/${id}/factors/${factors[0].id}/verify`,
        { passCode: code },
        SSWS,
      );
      expectOktaError(replay, 403, 'E0000082');
    });

    it('accepts a code again with quirks.totpReplay: allow, the earlier behaviour', async () => {
      const h = await harness(withQuirks({ totpReplay: 'allow' }));
      const code = h.sim.okta.totpCode('totp@example.com');
      for (let i = 0; i < 2; i++) {
        const tx = await totpChallenge(h);
        expect((await follow(h, tx.href, { stateToken: tx.stateToken, passCode: code })).body.status).toBe(
          'SUCCESS',
        );
      }
    });
  });

  describe('protections: challenge throttles', () => {
    async function challenge(h: Harness, login: string, type: string): Promise<Reply> {
      const start = await signIn(h, login);
      return follow(h, factorOf(start, type)._links.verify.href, { stateToken: start.body.stateToken });
    }

    it('refuses a second SMS challenge within 30 seconds from a verify, in a new transaction too, with 429 E0000109 (docs/fidelity/okta.md#okta-resend-throttles)', async () => {
      const h = await harness(baseScenario);
      expect((await challenge(h, 'sms-generated@example.com', 'sms')).body.status).toBe('MFA_CHALLENGE');
      h.sim.clock.advance('29s');
      expectOktaError(
        await challenge(h, 'sms-generated@example.com', 'sms'),
        429,
        'E0000109',
        'An SMS message was recently sent. Please wait 30 seconds before trying again.',
      );
      h.sim.clock.advance('1s');
      expect((await challenge(h, 'sms-generated@example.com', 'sms')).body.status).toBe('MFA_CHALLENGE');
    });

    it('throttles voice calls for 30 seconds (E0000133) and emails for 5 (E0000118) (docs/fidelity/okta.md#okta-resend-throttles)', async () => {
      const h = await harness(baseScenario);
      await challenge(h, 'call@example.com', 'call');
      expectOktaError(await challenge(h, 'call@example.com', 'call'), 429, 'E0000133');
      await challenge(h, 'email@example.com', 'email');
      h.sim.clock.advance('4s');
      expectOktaError(await challenge(h, 'email@example.com', 'email'), 429, 'E0000118');
      h.sim.clock.advance('1s');
      expect((await challenge(h, 'email@example.com', 'email')).body.status).toBe('MFA_CHALLENGE');
    });

    it('throttles the Factors API challenge after a sign-in challenge of the same phone (docs/fidelity/okta.md#okta-resend-throttles)', async () => {
      const h = await harness(baseScenario);
      await challenge(h, 'sms-generated@example.com', 'sms');
      const id = userId(h, 'sms-generated@example.com');
      const factors = (await h.get(`/api/v1/users/${id}/factors`, SSWS)).body;
      expectOktaError(
        await h.post(`/api/v1/users/${id}/factors/${factors[0].id}/verify`, {}, SSWS),
        429,
        'E0000109',
      );
    });

    it('lets verifications send at will with quirks.challengeThrottle: resend-only, the earlier behaviour', async () => {
      const h = await harness(withQuirks({ challengeThrottle: 'resend-only' }));
      await challenge(h, 'sms-generated@example.com', 'sms');
      expect((await challenge(h, 'sms-generated@example.com', 'sms')).body.status).toBe('MFA_CHALLENGE');
    });
  });

  describe('protections: password history and minimum age', () => {
    it('refuses a recent password at an expired-password change with 403 E0000080 and one sentence naming every rule (widget recording PASSWORD_RESET_error; docs/fidelity/okta.md#okta-password-history)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'expired@example.com');
      const reply = await follow(h, start.body._links.next.href, {
        stateToken: start.body.stateToken,
        oldPassword: PASSWORD,
        newPassword: PASSWORD,
      });
      expectOktaError(reply, SIW_PASSWORD_RESET_ERROR.status, SIW_PASSWORD_RESET_ERROR.errorCode);
      expect(reply.body.errorSummary).toBe(SIW_PASSWORD_RESET_ERROR.errorSummary);
      expect(reply.body.errorCauses).toEqual([{ errorSummary: `${RULES} ${HISTORY_SENTENCE}` }]);
      const done = await follow(h, start.body._links.next.href, {
        stateToken: start.body.stateToken,
        oldPassword: PASSWORD,
        newPassword: 'N3wPassw0rd',
      });
      expect(done.body.status).toBe('SUCCESS');
    });

    it('refuses any of the last 4 passwords at the Users API change_password with 403 E0000014 on newPassword (docs/fidelity/okta.md#okta-password-history)', async () => {
      const h = await harness(baseScenario);
      const path = `/api/v1/users/${userId(h, 'ada@example.com')}/credentials/change_password`;
      const change = (oldPassword: string, newPassword: string) =>
        h.post(path, { oldPassword: { value: oldPassword }, newPassword: { value: newPassword } }, SSWS);
      let current = PASSWORD;
      for (const next of ['Secr3tOne', 'Secr3tTwo', 'Secr3tThree']) {
        expect((await change(current, next)).status).toBe(200);
        current = next;
      }
      const refused = await change(current, PASSWORD);
      expectOktaError(refused, 403, 'E0000014', 'Update of credentials failed');
      expect(refused.body.errorCauses).toEqual([
        { errorSummary: `newPassword: ${RULES} ${HISTORY_SENTENCE}` },
      ]);
      expect((await change(current, 'Secr3tFour')).status).toBe(200);
      // Four changes later, the first password is old enough to come back.
      expect((await change('Secr3tFour', PASSWORD)).status).toBe(200);
    });

    it('refuses a recent password at a recovery reset (docs/fidelity/okta.md#okta-password-history)', async () => {
      const h = await harness(baseScenario);
      const reset = await h.post(
        `/api/v1/users/${userId(h, 'ada@example.com')}/lifecycle/reset_password?sendEmail=false`,
        {},
        SSWS,
      );
      const token = reset.body.resetPasswordUrl.split('/').pop();
      const tx = await h.post('/api/v1/authn/recovery/token', { recoveryToken: token });
      expect(tx.body.status).toBe('PASSWORD_RESET');
      const refused = await follow(h, tx.body._links.next.href, {
        stateToken: tx.body.stateToken,
        newPassword: PASSWORD,
      });
      expectOktaError(refused, 403, 'E0000080');
      expect(refused.body.errorCauses).toEqual([{ errorSummary: `${RULES} ${HISTORY_SENTENCE}` }]);
    });

    it('holds a change within policy.password.minAge, naming the age in the sentence, and lets an admin set any compliant password (docs/fidelity/okta.md#okta-password-history)', async () => {
      const h = await harness(withPolicy({ password: { minAge: '2h' } }));
      const path = `/api/v1/users/${userId(h, 'ada@example.com')}`;
      const strict = await h.post(
        `${path}/credentials/change_password?strict=true`,
        { oldPassword: { value: PASSWORD }, newPassword: { value: 'Secr3tOne' } },
        SSWS,
      );
      expectOktaError(strict, 403, 'E0000014');
      expect(strict.body.errorCauses).toEqual([
        {
          errorSummary: `newPassword: ${RULES} ${HISTORY_SENTENCE} At least 2 hour(s) must have elapsed since you last changed your password.`,
        },
      ]);
      const strictSet = await h.post(
        `${path}?strict=true`,
        { credentials: { password: { value: 'Secr3tOne' } } },
        SSWS,
      );
      expectOktaError(strictSet, 400, 'E0000001', 'Api validation failed: password');
      const adminSet = await h.post(path, { credentials: { password: { value: 'Secr3tOne' } } }, SSWS);
      expect(adminSet.status).toBe(200);
      h.sim.clock.advance('2h');
      const later = await h.post(
        `${path}/credentials/change_password?strict=true`,
        { oldPassword: { value: 'Secr3tOne' }, newPassword: { value: 'Secr3tTwo' } },
        SSWS,
      );
      expect(later.status).toBe(200);
    });

    it('lets a password come back with policy.password.historyCount: 0, the earlier behaviour', async () => {
      const h = await harness(withPolicy({ password: { historyCount: 0 } }));
      const start = await signIn(h, 'expired@example.com');
      const done = await follow(h, start.body._links.next.href, {
        stateToken: start.body.stateToken,
        oldPassword: PASSWORD,
        newPassword: PASSWORD,
      });
      expect(done.body.status).toBe('SUCCESS');
    });
  });

  describe('protections: reset() clears their state', () => {
    it('forgets failure counts, used codes, send times and password history (docs/okta-protections.md)', async () => {
      const h = await harness(baseScenario);
      const code = h.sim.okta.totpCode('totp@example.com');
      const tx = await totpChallenge(h);
      for (let i = 0; i < 4; i++) await wrongCode(h, tx);
      await follow(h, tx.href, { stateToken: tx.stateToken, passCode: code });
      await follow(h, factorOf(await signIn(h, 'sms-generated@example.com'), 'sms')._links.verify.href, {});
      const start = await signIn(h, 'expired@example.com');
      await follow(h, start.body._links.next.href, {
        stateToken: start.body.stateToken,
        oldPassword: PASSWORD,
        newPassword: 'N3wPassw0rd',
      });
      h.sim.reset();
      const again = await totpChallenge(h);
      expect(
        (await follow(h, again.href, { stateToken: again.stateToken, passCode: code })).body.status,
      ).toBe('SUCCESS');
      const sms = await signIn(h, 'sms-generated@example.com');
      const challenged = await follow(h, factorOf(sms, 'sms')._links.verify.href, {
        stateToken: sms.body.stateToken,
      });
      expect(challenged.body.status).toBe('MFA_CHALLENGE');
      expect((await signIn(h, 'expired@example.com')).body.status).toBe('PASSWORD_EXPIRED');
      const users = h.sim.state.okta?.users ?? [];
      expect(users.every((u) => u.failedFactorAttempts === 0)).toBe(true);
    });
  });

  describe('shapes tests assert on', () => {
    it('answers an unlock finished by the recovery answer with SUCCESS, expiresAt and a sessionToken (widget recording SUCCESS_unlock; docs/fidelity/okta.md#okta-unlock-by-answer)', async () => {
      const h = await harness(
        withOkta({
          users: [
            {
              login: 'lu@example.com',
              password: PASSWORD,
              status: 'LOCKED_OUT',
              recoveryQuestion: { question: 'disliked_food', answer: 'okra' },
            },
          ],
        }),
      );
      await h.post('/api/v1/authn/recovery/unlock', { username: 'lu@example.com', factorType: 'EMAIL' });
      const tx = await h.post('/api/v1/authn/recovery/token', {
        recoveryToken: h.sim.okta.lastRecoveryToken('lu@example.com'),
      });
      const done = await follow(h, tx.body._links.next.href, {
        stateToken: tx.body.stateToken,
        answer: 'okra',
      });
      expect(Object.keys(done.body).sort()).toEqual(Object.keys(SIW_SUCCESS_UNLOCK).sort());
      expect(done.body).toMatchObject({ status: 'SUCCESS', recoveryType: 'UNLOCK' });
      expect(done.body.expiresAt).toBe(new Date(T0_MS + 5 * 60_000).toISOString());
      const session = await h.post('/api/v1/sessions', { sessionToken: done.body.sessionToken });
      expect(session.status).toBe(200);
    });

    it('asks a user offered only optional factors to enroll, with a skip link that has no name (widget recording MFA_ENROLL_allFactors; docs/fidelity/okta.md#okta-optional-enrollment)', async () => {
      const optional = {
        login: 'optional@example.com',
        password: PASSWORD,
        enrollment: { 'token:software:totp': 'OPTIONAL', sms: 'OPTIONAL' } as const,
      };
      const h = await harness(withOkta({ users: [optional] }));
      const start = await signIn(h, 'optional@example.com');
      expect(start.body.status).toBe('MFA_ENROLL');
      const origin = (href: string) => href.replace('https://foo.com', h.base);
      expect(start.body._links).toEqual({
        skip: {
          ...SIW_MFA_ENROLL_ALL_FACTORS_LINKS.skip,
          href: origin(SIW_MFA_ENROLL_ALL_FACTORS_LINKS.skip.href),
        },
        cancel: {
          ...SIW_MFA_ENROLL_ALL_FACTORS_LINKS.cancel,
          href: origin(SIW_MFA_ENROLL_ALL_FACTORS_LINKS.cancel.href),
        },
      });
      expect(
        start.body._embedded.factors.every((f: { enrollment: string }) => f.enrollment === 'OPTIONAL'),
      ).toBe(true);
      const skipped = await follow(h, start.body._links.skip.href, { stateToken: start.body.stateToken });
      expect(skipped.body.status).toBe('SUCCESS');
      const off = await harness(
        withOkta({ users: [optional], policy: { mfa: { promptOptionalEnrollment: false } } }),
      );
      expect((await signIn(off, 'optional@example.com')).body.status).toBe('SUCCESS');
    });

    it('remembers a browser by a device cookie when it verifies with rememberDevice=true (docs/fidelity/okta.md#okta-remember-device)', async () => {
      const h = await harness(baseScenario);
      const tx = await totpChallenge(h);
      const done = await follow(h, `${tx.href}?rememberDevice=true`, {
        stateToken: tx.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      expect(done.body.status).toBe('SUCCESS');
      const cookie = done.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^DT=[\w-]+; Path=\/; Max-Age=604800; HttpOnly/);
      const dt = cookie.split(';')[0] ?? '';
      h.sim.clock.advance('1m');
      expect(
        (await h.post('/api/v1/authn', { username: 'totp@example.com', password: PASSWORD }, { Cookie: dt }))
          .body.status,
      ).toBe('SUCCESS');
      expect((await signIn(h, 'totp@example.com')).body.status).toBe('MFA_REQUIRED');
    });

    it('reports mfaActive as "has an enrolled factor", whatever this session verified (legacy Sessions reference, Get session; okta-auth-js recording session; docs/fidelity/okta.md#okta-session-mfa-active)', async () => {
      const h = await harness(baseScenario);
      const noFactor = await signIn(h, 'ada@example.com');
      const plain = await h.post('/api/v1/sessions', { sessionToken: noFactor.body.sessionToken });
      expect(plain.body).toMatchObject({ amr: AJS_SESSION.amr, mfaActive: AJS_SESSION.mfaActive });
      const withFactor = await harness(
        withOkta({
          users: [
            {
              login: 'nomfa@example.com',
              password: PASSWORD,
              mfa: false,
              factors: [{ type: 'question', question: 'q', answer: 'okra' }],
            },
          ],
        }),
      );
      const token = (await signIn(withFactor, 'nomfa@example.com')).body.sessionToken;
      const session = await withFactor.post('/api/v1/sessions', { sessionToken: token });
      expect(session.body).toMatchObject({ amr: ['pwd'], lastFactorVerification: null, mfaActive: true });
    });

    it('exposes Date, Link, X-Okta-Edge-Log, the request id and the rate-limit headers to browsers (Okta release notes 2021.05.0; docs/fidelity/okta.md#okta-cors-details)', async () => {
      const h = await harness(baseScenario);
      const origin = { Origin: 'http://localhost:3000' };
      const expected =
        'Date, Link, X-Okta-Edge-Log, X-Okta-Request-Id, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset';
      const answer = await h.post(
        '/api/v1/authn',
        { username: 'ada@example.com', password: PASSWORD },
        origin,
      );
      expect(answer.headers.get('access-control-expose-headers')).toBe(expected);
      const preflight = await h.request('OPTIONS', '/api/v1/authn', {
        headers: { ...origin, 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.headers.get('access-control-expose-headers')).toBe(expected);
    });

    it('puts _embedded.verification: null on the factor of a code challenge and a finished push, not on a waiting push (widget recordings MFA_CHALLENGE_sms, MFA_CHALLENGE_push; docs/fidelity/okta.md#okta-challenge-verification)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'sms@example.com');
      const sms = await follow(h, factorOf(start, 'sms')._links.verify.href, {
        stateToken: start.body.stateToken,
      });
      expect(Object.keys(sms.body._embedded.factor).sort()).toEqual(
        [...Object.keys(SIW_MFA_CHALLENGE_SMS_FACTOR), 'vendorName'].sort(),
      );
      expect(sms.body._embedded.factor._embedded).toEqual(SIW_MFA_CHALLENGE_SMS_FACTOR._embedded);
      const push = await signIn(h, 'push-reject@example.com');
      const verify = factorOf(push, 'push')._links.verify.href;
      const waiting = await follow(h, verify, { stateToken: push.body.stateToken });
      expect(waiting.body.factorResult).toBe('WAITING');
      expect(waiting.body._embedded.factor).not.toHaveProperty('_embedded');
      const rejected = await follow(h, waiting.body._links.next.href, { stateToken: push.body.stateToken });
      expect(rejected.body.factorResult).toBe('REJECTED');
      expect(rejected.body._embedded.factor._embedded).toEqual({ verification: null });
    });

    it('publishes the password policy with expiration, complexity and age (authn reference, Password policy object; widget recording PASSWORD_RESET_withComplexity; docs/fidelity/okta.md#okta-password-policy-object)', async () => {
      const h = await harness(withPolicy({ password: { minAge: '90m' } }));
      const start = await signIn(h, 'expired@example.com');
      expect(start.body.status).toBe('PASSWORD_EXPIRED');
      const policy = start.body._embedded.policy;
      for (const key of SIW_PASSWORD_POLICY_KEYS) expect(policy).toHaveProperty(key);
      expect(policy).toEqual({
        expiration: { passwordExpireDays: 0 },
        complexity: {
          minLength: 8,
          minLowerCase: 1,
          minUpperCase: 1,
          minNumber: 1,
          minSymbol: 0,
          excludeUsername: true,
        },
        age: { minAgeMinutes: 90, historyCount: 4 },
      });
    });

    it('refuses an enrollment as a factorEnrollRequest, and a security answer under 4 characters (widget recordings MFA_ENROLL_question_error; docs/fidelity/okta.md#okta-enroll)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'enroll@example.com');
      const enroll = (body: Record<string, unknown>) =>
        h.post('/api/v1/authn/factors', { stateToken: start.body.stateToken, ...body });
      expectOktaError(
        await enroll({ factorType: 'u2f', provider: 'FIDO' }),
        400,
        'E0000001',
        SIW_ENROLL_ERROR_SUMMARY,
      );
      const short = await enroll({
        factorType: 'question',
        provider: 'OKTA',
        profile: { question: 'disliked_food', answer: 'ok' },
      });
      expectOktaError(short, 400, 'E0000001', SIW_ENROLL_ERROR_SUMMARY);
      expect(short.body.errorCauses).toEqual([
        { errorSummary: 'answer: The security question answer must be at least 4 characters in length' },
      ]);
      expect((await h.post('/api/v1/authn', { stateToken: start.body.stateToken })).body.status).toBe(
        'MFA_ENROLL',
      );
    });

    it('writes instants to the second with .000Z whatever the clock milliseconds (okta-auth-js recording session; docs/fidelity/okta.md#okta-timestamps)', async () => {
      const h = await harness({
        ...baseScenario,
        clock: { start: '2026-01-01T00:00:00.789Z', frozen: true },
      });
      const done = await signIn(h, 'ada@example.com');
      expect(done.body.expiresAt).toBe('2026-01-01T00:05:00.000Z');
      expect(done.body._embedded.user.passwordChanged).toMatch(/\.000Z$/);
      const session = await h.post('/api/v1/sessions', { sessionToken: done.body.sessionToken });
      for (const key of ['createdAt', 'expiresAt', 'lastPasswordVerification']) {
        expect(session.body[key]).toMatch(/T\d\d:\d\d:\d\d\.000Z$/);
      }
      expect(AJS_SESSION.expiresAt).toMatch(/\.000Z$/);
      const user = await h.get(`/api/v1/users/${userId(h, 'ada@example.com')}`, SSWS);
      expect(user.body.created).toMatch(/\.000Z$/);
    });

    it("links an id-based session's user with GET only and a /me session's with GET and POST (legacy Sessions reference; okta-auth-js recording session; docs/fidelity/okta.md#okta-session-user-link-hints)", async () => {
      const h = await harness(baseScenario);
      const token = (await signIn(h, 'ada@example.com')).body.sessionToken;
      const session = await h.post('/api/v1/sessions', { sessionToken: token });
      expect(session.body._links.user.hints.allow).toEqual(['GET']);
      const me = await h.get('/api/v1/sessions/me', { Cookie: `sid=${session.body.id}` });
      expect(me.body._links.user.hints.allow).toEqual(AJS_SESSION.userLinkAllow);
    });

    it('serves the QR code of a factor being activated as a PNG, and sends a push activation by email or SMS (authn reference, Send activation links; docs/fidelity/okta.md#okta-activation-links)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'enroll@example.com');
      const enrolled = await h.post('/api/v1/authn/factors', {
        stateToken: start.body.stateToken,
        factorType: 'push',
        provider: 'OKTA',
      });
      const activation = enrolled.body._embedded.factor._embedded.activation;
      const png = await h.request('GET', activation._links.qrcode.href, {
        headers: { Accept: 'image/avif,image/webp,image/png,*/*;q=0.8' },
      });
      expectPng(png);
      const [email, sms] = activation._links.send;
      expect(email).toMatchObject({ name: 'email', hints: { allow: ['POST'] } });
      expect(email.href).toBe(
        `${h.base}/api/v1/authn/factors/${enrolled.body._embedded.factor.id}/lifecycle/activate/email`,
      );
      const sentEmail = await follow(h, email.href, { stateToken: start.body.stateToken });
      expect(sentEmail.body).toMatchObject({ status: 'MFA_ENROLL_ACTIVATE', factorResult: 'WAITING' });
      const badPhone = await follow(h, sms.href, {
        stateToken: start.body.stateToken,
        profile: { phoneNumber: 'x' },
      });
      expectOktaError(badPhone, 400, 'E0000098');
      const sentSms = await follow(h, sms.href, {
        stateToken: start.body.stateToken,
        profile: { phoneNumber: '+1-555-415-1337' },
      });
      expect(sentSms.status).toBe(200);
      const sent = h.sim.okta.outbox().filter((m) => m.purpose === 'activation');
      expect(sent.map((m) => [m.channel, m.to])).toEqual([
        ['email', 'enroll@example.com'],
        ['sms', '+15554151337'],
      ]);
      const wrong = await h.request('GET', activation._links.qrcode.href.replace(/qr\/.*$/, 'qr/nope'));
      expectOktaError(wrong, 404, 'E0000007');
    });

    it('serves the QR code of a TOTP factor enrolled through the Factors API until it is activated (docs/fidelity/okta.md#okta-activation-links)', async () => {
      const h = await harness(baseScenario);
      const id = userId(h, 'ada@example.com');
      const factor = (
        await h.post(
          `/api/v1/users/${id}/factors`,
          { factorType: 'token:software:totp', provider: 'OKTA' },
          SSWS,
        )
      ).body;
      const qr = factor._embedded.activation._links.qrcode.href;
      expectPng(await h.request('GET', qr));
      const code = (await import('otplib')).generateSync({
        secret: factor._embedded.activation.sharedSecret,
        epoch: Math.floor(h.sim.clock.now() / 1000),
      });
      const activated = await h.post(
        `/api/v1/users/${id}/factors/${factor.id}/lifecycle/activate`,
        { passCode: code },
        SSWS,
      );
      expect(activated.body.status).toBe('ACTIVE');
      expectOktaError(await h.request('GET', qr), 404, 'E0000007');
    });
  });
}

/** A PNG image answer: the signature, an IHDR, and IDAT data that inflates. */
function expectPng(reply: Reply): void {
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toBe('image/png');
  const bytes = reply.bytes;
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  expect(String.fromCharCode(...bytes.subarray(12, 16))).toBe('IHDR');
  const idatLength = view.getUint32(33);
  expect(String.fromCharCode(...bytes.subarray(37, 41))).toBe('IDAT');
  expect(inflateSync(bytes.subarray(41, 41 + idatLength)).length).toBeGreaterThan(0);
}
