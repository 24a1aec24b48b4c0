import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { expectOktaError, follow, signIn } from '../../support/okta.ts';
import { baseScenario, PASSWORD, SSWS, withOkta, type withPolicy } from '../../support/scenarios.ts';

type Make = (scenario: typeof baseScenario | ReturnType<typeof withPolicy>) => Promise<Harness>;

// biome-ignore lint/suspicious/noExplicitAny: vendor JSON
const offer = (reply: { body: any }, factorType: string, provider = 'OKTA') =>
  // biome-ignore lint/suspicious/noExplicitAny: vendor JSON
  reply.body._embedded.factors.find((f: any) => f.factorType === factorType && f.provider === provider);

/** `POST /api/v1/authn/factors` for an SMS factor on `phoneNumber`. */
const enrollSms = (h: Harness, stateToken: string, phoneNumber = '+15555550199') =>
  h.post('/api/v1/authn/factors', {
    stateToken,
    factorType: 'sms',
    provider: 'OKTA',
    profile: { phoneNumber },
  });

/**
 * Enrollment (docs/fidelity/okta.md#okta-enroll), password change and reset
 * (docs/fidelity/okta.md#okta-change-password), recovery (docs/fidelity/okta.md#okta-recovery).
 */
export function enrollPasswordRecoveryContract(harness: Make): void {
  describe('factor enrollment', () => {
    it('lists enrollable factors with status, enrollment and enroll links in MFA_ENROLL (docs/fidelity/okta.md#okta-embedded-factors)', async () => {
      const h = await harness(baseScenario);
      const reply = await signIn(h, 'enroll@example.com');
      expect(reply.body.status).toBe('MFA_ENROLL');
      expect(offer(reply, 'sms')).toEqual({
        factorType: 'sms',
        provider: 'OKTA',
        vendorName: 'OKTA',
        status: 'NOT_SETUP',
        enrollment: 'REQUIRED',
        _links: { enroll: { href: `${h.base}/api/v1/authn/factors`, hints: { allow: ['POST'] } } },
      });
      expect(offer(reply, 'token:software:totp', 'GOOGLE').enrollment).toBe('OPTIONAL');
      expect(offer(reply, 'question')._links.questions.hints.allow).toEqual(['GET']);
      // A required factor is missing, so there is no way to skip.
      expect(reply.body._links).not.toHaveProperty('skip');
      const questions = await h.get(new URL(offer(reply, 'question')._links.questions.href).pathname);
      expect(questions.body[0]).toEqual({ question: 'disliked_food', questionText: expect.any(String) });
    });

    it('enrolls SMS into MFA_ENROLL_ACTIVATE and activates it with the sent code (docs/fidelity/okta.md#okta-enroll)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'enroll@example.com');
      const enrolled = await enrollSms(h, start.body.stateToken, '+1 555 555 0199');
      expect(enrolled.body.status).toBe('MFA_ENROLL_ACTIVATE');
      expect(enrolled.body._embedded.factor.profile).toEqual({ phoneNumber: '+1 XXX-XXX-0199' });
      expect(enrolled.body._links.next.name).toBe('activate');
      expect(enrolled.body._links.resend[0].name).toBe('sms');
      const wrong = await follow(h, enrolled.body._links.next.href, {
        stateToken: start.body.stateToken,
        passCode: '0',
      });
      expectOktaError(wrong, 403, 'E0000068');
      const done = await follow(h, enrolled.body._links.next.href, {
        stateToken: start.body.stateToken,
        passCode: h.sim.okta.lastPassCode('enroll@example.com'),
      });
      expect(done.body.status).toBe('SUCCESS');
    });

    it('refuses an invalid phone number with 400 E0000098', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'enroll@example.com');
      const reply = await enrollSms(h, start.body.stateToken, '12');
      expectOktaError(reply, 400, 'E0000098', 'This phone number is invalid.');
    });

    it('enrolls TOTP with a base32 shared secret that activates with a real code (docs/fidelity/okta.md#okta-enroll)', async () => {
      const h = await harness(
        withOkta({
          users: [
            {
              login: 'new@example.com',
              password: PASSWORD,
              enrollment: { 'token:software:totp': 'REQUIRED' },
            },
          ],
        }),
      );
      const start = await signIn(h, 'new@example.com');
      const enrolled = await h.post('/api/v1/authn/factors', {
        stateToken: start.body.stateToken,
        factorType: 'token:software:totp',
        provider: 'GOOGLE',
      });
      const activation = enrolled.body._embedded.factor._embedded.activation;
      expect(activation).toMatchObject({ timeStep: 30, encoding: 'base32', keyLength: 6 });
      expect(activation.sharedSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(activation._links.qrcode.type).toBe('image/png');
      const passCode = generateSync({
        secret: activation.sharedSecret,
        epoch: Math.floor(h.sim.clock.now() / 1000),
      });
      const done = await follow(h, enrolled.body._links.next.href, {
        stateToken: start.body.stateToken,
        passCode,
      });
      expect(done.body.status).toBe('SUCCESS');
      expect(h.sim.state.okta?.users[0]?.factors).toEqual([
        expect.objectContaining({ factorType: 'token:software:totp', provider: 'GOOGLE', status: 'ACTIVE' }),
      ]);
    });

    it('enrolls a security question without activation (docs/fidelity/okta.md#okta-enroll)', async () => {
      const h = await harness(
        withOkta({
          users: [{ login: 'q@example.com', password: PASSWORD, enrollment: { question: 'REQUIRED' } }],
        }),
      );
      const start = await signIn(h, 'q@example.com');
      const done = await h.post('/api/v1/authn/factors', {
        stateToken: start.body.stateToken,
        factorType: 'question',
        provider: 'OKTA',
        profile: { question: 'disliked_food', answer: 'okra' },
      });
      expect(done.body.status).toBe('SUCCESS');
    });

    it('polls a push enrollment to activation, or to TIMEOUT with next activate', async () => {
      const h = await harness(
        withOkta({
          policy: { mfa: { pushEnrollment: { outcome: 'TIMEOUT', afterPolls: 1 } } },
          users: [{ login: 'p@example.com', password: PASSWORD, enrollment: { push: 'REQUIRED' } }],
        }),
      );
      const start = await signIn(h, 'p@example.com');
      const enrolled = await h.post('/api/v1/authn/factors', {
        stateToken: start.body.stateToken,
        factorType: 'push',
        provider: 'OKTA',
      });
      expect(enrolled.body).toMatchObject({ status: 'MFA_ENROLL_ACTIVATE', factorResult: 'WAITING' });
      expect(enrolled.body._embedded.factor.profile).toEqual({});
      expect(enrolled.body._links.next.name).toBe('poll');
      expect(enrolled.body._links.next.href).toMatch(/\/lifecycle\/activate\/poll$/);
      const timedOut = await follow(h, enrolled.body._links.next.href, { stateToken: start.body.stateToken });
      expect(timedOut.body.factorResult).toBe('TIMEOUT');
      expect(timedOut.body._links.next.name).toBe('activate');
    });

    it('returns to MFA_ENROLL with skip while optional factors remain under multiOptionalFactorEnroll (docs/fidelity/okta.md#okta-multi-optional-enroll)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'enroll@example.com', PASSWORD, {
        options: { multiOptionalFactorEnroll: true },
      });
      const enrolled = await enrollSms(h, start.body.stateToken);
      const more = await follow(h, enrolled.body._links.next.href, {
        stateToken: start.body.stateToken,
        passCode: h.sim.okta.lastPassCode('enroll@example.com'),
      });
      expect(more.body.status).toBe('MFA_ENROLL');
      expect(offer(more, 'sms').status).toBe('ACTIVE');
      // No `name` on the enrollment's skip link (widget recording MFA_ENROLL_allFactors).
      expect(more.body._links.skip).toEqual({
        href: `${h.base}/api/v1/authn/skip`,
        hints: { allow: ['POST'] },
      });
      const skipped = await follow(h, more.body._links.skip.href, { stateToken: start.body.stateToken });
      expect(skipped.body.status).toBe('SUCCESS');
    });

    it('goes back from MFA_ENROLL_ACTIVATE to MFA_ENROLL and drops the pending factor', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'enroll@example.com');
      const enrolled = await enrollSms(h, start.body.stateToken);
      const back = await follow(h, enrolled.body._links.prev.href, { stateToken: start.body.stateToken });
      expect(back.body.status).toBe('MFA_ENROLL');
      expect(offer(back, 'sms').status).toBe('NOT_SETUP');
    });
  });

  describe('password change', () => {
    it('refuses a wrong old password with 403 E0000014 and its cause (docs/fidelity/okta.md#okta-change-password)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'expired@example.com');
      expect(start.body.status).toBe('PASSWORD_EXPIRED');
      expect(start.body._embedded.policy.complexity).toMatchObject({ minLength: 8, minNumber: 1 });
      const reply = await follow(h, start.body._links.next.href, {
        stateToken: start.body.stateToken,
        oldPassword: 'nope',
        newPassword: 'N3wPassword!',
      });
      expectOktaError(reply, 403, 'E0000014', 'Update of credentials failed');
      expect(reply.body.errorCauses).toEqual([
        { errorSummary: 'oldPassword: The credentials provided were incorrect.' },
      ]);
    });

    it('refuses a new password that breaks the policy with 403 E0000080 listing the rules (docs/fidelity/okta.md#okta-password-complexity-code)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'expired@example.com');
      const reply = await follow(h, start.body._links.next.href, {
        stateToken: start.body.stateToken,
        oldPassword: PASSWORD,
        newPassword: 'short',
      });
      expectOktaError(
        reply,
        403,
        'E0000080',
        'The password does not meet the complexity requirements of the current password policy.',
      );
      expect(reply.body.errorCauses).toEqual([
        {
          errorSummary:
            // The current wording (widget recording PASSWORD_RESET_error), with the policy's history rule.
            'Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. Your password cannot be any of your last 4 passwords.',
        },
      ]);
    });

    it('changes an expired password and signs in with the new one', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'expired@example.com');
      const done = await follow(h, start.body._links.next.href, {
        stateToken: start.body.stateToken,
        oldPassword: PASSWORD,
        newPassword: 'N3wPassword!',
      });
      expect(done.body.status).toBe('SUCCESS');
      h.sim.clock.advance('1s');
      expect((await signIn(h, 'expired@example.com', 'N3wPassword!')).body.status).toBe('SUCCESS');
      expectOktaError(await signIn(h, 'expired@example.com'), 401, 'E0000004');
    });
  });

  describe('recovery', () => {
    it('answers a public email recovery the same for known and unknown users, without token or links (docs/fidelity/okta.md#okta-recovery-email)', async () => {
      const h = await harness(baseScenario);
      for (const username of ['recover@example.com', 'nobody@example.com']) {
        const reply = await h.post('/api/v1/authn/recovery/password', { username, factorType: 'EMAIL' });
        expect(reply.status).toBe(200);
        expect(reply.body).toEqual({
          status: 'RECOVERY_CHALLENGE',
          factorResult: 'WAITING',
          factorType: 'EMAIL',
          recoveryType: 'PASSWORD',
        });
      }
      expect(h.sim.okta.outbox().filter((m) => m.purpose === 'recovery')).toHaveLength(1);
    });

    it('recovers a password by email link, recovery question and reset (docs/fidelity/okta.md#okta-recovery-token)', async () => {
      const h = await harness(baseScenario);
      await h.post('/api/v1/authn/recovery/password', {
        username: 'recover@example.com',
        factorType: 'EMAIL',
      });
      const recoveryToken = h.sim.okta.lastRecoveryToken('recover@example.com');
      const recovery = await h.post('/api/v1/authn/recovery/token', { recoveryToken });
      expect(recovery.body.status).toBe('RECOVERY');
      expect(recovery.body._embedded.user.recovery_question).toEqual({
        question: 'Who is a major player in the cowboy scene?',
      });
      expect(recovery.body._links.next.name).toBe('answer');
      const wrong = await follow(h, recovery.body._links.next.href, {
        stateToken: recovery.body.stateToken,
        answer: 'x',
      });
      expectOktaError(wrong, 403, 'E0000087', 'The recovery question answer did not match our records.');
      expect(wrong.body.errorCauses).toEqual([]);
      const reset = await follow(h, recovery.body._links.next.href, {
        stateToken: recovery.body.stateToken,
        answer: 'Gordon',
      });
      expect(reset.body.status).toBe('PASSWORD_RESET');
      expect(reset.body._links.next.name).toBe('resetPassword');
      const done = await follow(h, reset.body._links.next.href, {
        stateToken: recovery.body.stateToken,
        newPassword: 'Rec0vered!',
      });
      expect(done.body.status).toBe('SUCCESS');
      expect(done.body.sessionToken).toBeTruthy();
    });

    it('refuses a used or made-up recoveryToken with 401 E0000011 (docs/fidelity/okta.md#okta-recovery-token)', async () => {
      const h = await harness(baseScenario);
      await h.post('/api/v1/authn/recovery/password', {
        username: 'recover@example.com',
        factorType: 'EMAIL',
      });
      const recoveryToken = h.sim.okta.lastRecoveryToken('recover@example.com');
      expect((await h.post('/api/v1/authn/recovery/token', { recoveryToken })).status).toBe(200);
      expectOktaError(await h.post('/api/v1/authn/recovery/token', { recoveryToken }), 401, 'E0000011');
      expectOktaError(
        await h.post('/api/v1/authn/recovery/token', { recoveryToken: 'bogus' }),
        401,
        'E0000011',
      );
    });

    it('hands a trusted app the recoveryToken directly and refuses unknown users with E0000095 (docs/fidelity/okta.md#okta-trusted-recovery)', async () => {
      const h = await harness(baseScenario);
      const trusted = await h.post(
        '/api/v1/authn/recovery/password',
        { username: 'recover@example.com' },
        SSWS,
      );
      expect(trusted.body).toMatchObject({ status: 'RECOVERY', recoveryType: 'PASSWORD' });
      expect(trusted.body.recoveryToken).toMatch(/^\w{20}$/);
      expect(trusted.body._links.next).toMatchObject({
        name: 'recovery',
        href: `${h.base}/api/v1/authn/recovery/token`,
      });
      const unknown = await h.post(
        '/api/v1/authn/recovery/password',
        { username: 'nobody@example.com' },
        SSWS,
      );
      expectOktaError(unknown, 403, 'E0000095', 'Recovery not allowed for unknown user.');
    });

    it('recovers by SMS code with a RECOVERY_CHALLENGE that carries a stateToken and a single resend link', async () => {
      const h = await harness(baseScenario);
      const challenge = await h.post('/api/v1/authn/recovery/password', {
        username: 'recover@example.com',
        factorType: 'SMS',
      });
      expect(challenge.body).toMatchObject({
        status: 'RECOVERY_CHALLENGE',
        factorType: 'SMS',
        recoveryType: 'PASSWORD',
      });
      expect(challenge.body._links.next.href).toBe(`${h.base}/api/v1/authn/recovery/factors/SMS/verify`);
      expect(Array.isArray(challenge.body._links.resend)).toBe(false);
      const wrong = await follow(h, challenge.body._links.next.href, {
        stateToken: challenge.body.stateToken,
        passCode: '1',
      });
      expectOktaError(wrong, 403, 'E0000068');
      expect(wrong.body.errorCauses).toEqual([
        { errorSummary: "Your token doesn't match our records. Please try again." },
      ]);
      const recovery = await h.post('/api/v1/authn/recovery/factors/sms/verify', {
        stateToken: challenge.body.stateToken,
        passCode: '654321',
      });
      expect(recovery.body.status).toBe('RECOVERY');
    });

    it('unlocks a locked user through email recovery and the recovery question', async () => {
      const scenario = withOkta({
        users: [
          {
            login: 'lu@example.com',
            password: PASSWORD,
            status: 'LOCKED_OUT',
            recoveryQuestion: { question: 'q', answer: 'a' },
          },
        ],
      });
      const h = await harness(scenario);
      await h.post('/api/v1/authn/recovery/unlock', { username: 'lu@example.com', factorType: 'EMAIL' });
      const recovery = await h.post('/api/v1/authn/recovery/token', {
        recoveryToken: h.sim.okta.lastRecoveryToken('lu@example.com'),
      });
      const unlocked = await follow(h, recovery.body._links.next.href, {
        stateToken: recovery.body.stateToken,
        answer: 'a',
      });
      expect(unlocked.body).toMatchObject({ status: 'SUCCESS', recoveryType: 'UNLOCK' });
      expect((await signIn(h, 'lu@example.com')).body.status).toBe('SUCCESS');
    });
  });
}
