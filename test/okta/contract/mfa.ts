import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { expectOktaError, factorOf, follow, signIn } from '../../support/okta.ts';
import { baseScenario, PASSWORD, SSWS, type withPolicy } from '../../support/scenarios.ts';

type Make = (scenario: typeof baseScenario | ReturnType<typeof withPolicy>) => Promise<Harness>;

/** Factor verification in MFA_REQUIRED / MFA_CHALLENGE (docs/fidelity/okta.md#okta-factor-verify). */
export function mfaContract(harness: Make): void {
  describe('factor verification', () => {
    it('lists enrolled factors under _embedded.factors with verify links (docs/fidelity/okta.md#okta-embedded-factors)', async () => {
      const h = await harness(baseScenario);
      const reply = await signIn(h, 'totp@example.com');
      expect(reply.body.status).toBe('MFA_REQUIRED');
      expect(reply.body._embedded).not.toHaveProperty('factor');
      expect(reply.body._embedded.factors).toEqual([
        {
          id: expect.stringMatching(/^ost/),
          factorType: 'token:software:totp',
          provider: 'OKTA',
          vendorName: 'OKTA',
          profile: { credentialId: 'totp@example.com' },
          _links: {
            verify: {
              href: `${h.base}/api/v1/authn/factors/${reply.body._embedded.factors[0].id}/verify`,
              hints: { allow: ['POST'] },
            },
          },
        },
      ]);
      expect(reply.body._links).toEqual({
        cancel: { href: `${h.base}/api/v1/authn/cancel`, hints: { allow: ['POST'] } },
      });
    });

    it('verifies a TOTP code computed for the virtual clock', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      h.sim.clock.advance('2m');
      const done = await follow(h, factorOf(start, 'token:software:totp')._links.verify.href, {
        stateToken: start.body.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      expect(done.body.status).toBe('SUCCESS');
    });

    it('rejects a wrong TOTP code with 403 E0000068 and keeps the transaction usable (docs/fidelity/okta.md#okta-factor-verify)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      const verify = factorOf(start, 'token:software:totp')._links.verify.href;
      const stale = h.sim.okta.totpCode('totp@example.com', h.sim.clock.now() - 10 * 60_000);
      for (const passCode of ['000000', stale, 'abc', undefined]) {
        const wrong = await follow(h, verify, { stateToken: start.body.stateToken, passCode });
        expectOktaError(wrong, 403, 'E0000068', 'Invalid Passcode/Answer');
        expect(wrong.body.errorCauses).toEqual([
          { errorSummary: "Your passcode doesn't match our records. Please try again." },
        ]);
      }
      const right = await follow(h, verify, {
        stateToken: start.body.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      expect(right.body.status).toBe('SUCCESS');
    });

    it('verifies a security question answer and refuses a wrong one with the answer wording', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'question@example.com');
      const question = factorOf(start, 'question');
      expect(question.profile).toEqual({ question: 'disliked_food', questionText: 'disliked_food' });
      const wrong = await follow(h, question._links.verify.href, {
        stateToken: start.body.stateToken,
        answer: 'kale',
      });
      expectOktaError(wrong, 403, 'E0000068');
      expect(wrong.body.errorCauses).toEqual([
        { errorSummary: "Your answer doesn't match our records. Please try again." },
      ]);
      const right = await follow(h, question._links.verify.href, {
        stateToken: start.body.stateToken,
        answer: 'okra',
      });
      expect(right.body.status).toBe('SUCCESS');
    });

    it('challenges SMS without a passCode: MFA_CHALLENGE, next verify, a resend array (docs/fidelity/okta.md#okta-factor-verify)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'sms@example.com');
      const sms = factorOf(start, 'sms');
      expect(sms.profile).toEqual({ phoneNumber: '+1 XXX-XXX-0100' });
      const challenge = await follow(h, sms._links.verify.href, { stateToken: start.body.stateToken });
      expect(challenge.body.status).toBe('MFA_CHALLENGE');
      expect(challenge.body).not.toHaveProperty('factorResult');
      expect(challenge.body._embedded.factor).toMatchObject({ id: sms.id, factorType: 'sms' });
      expect(challenge.body._embedded).not.toHaveProperty('factors');
      expect(challenge.body._links).toEqual({
        next: { name: 'verify', href: sms._links.verify.href, hints: { allow: ['POST'] } },
        cancel: { href: `${h.base}/api/v1/authn/cancel`, hints: { allow: ['POST'] } },
        prev: { href: `${h.base}/api/v1/authn/previous`, hints: { allow: ['POST'] } },
        resend: [{ name: 'sms', href: `${sms._links.verify.href}/resend`, hints: { allow: ['POST'] } }],
      });
      const done = await follow(h, challenge.body._links.next.href, {
        stateToken: start.body.stateToken,
        passCode: '123456',
      });
      expect(done.body.status).toBe('SUCCESS');
    });

    it('refuses a second SMS within 30 seconds with 429 E0000109 and sends one after (docs/fidelity/okta.md#okta-resend-throttles)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'sms-generated@example.com');
      const challenge = await follow(h, factorOf(start, 'sms')._links.verify.href, {
        stateToken: start.body.stateToken,
      });
      const resend = challenge.body._links.resend[0].href;
      h.sim.clock.advance('29s');
      expectOktaError(
        await follow(h, resend, { stateToken: start.body.stateToken }),
        429,
        'E0000109',
        'An SMS message was recently sent. Please wait 30 seconds before trying again.',
      );
      const firstCode = h.sim.okta.lastPassCode('sms-generated@example.com');
      h.sim.clock.advance('2s');
      expect((await follow(h, resend, { stateToken: start.body.stateToken })).body.status).toBe(
        'MFA_CHALLENGE',
      );
      const secondCode = h.sim.okta.lastPassCode('sms-generated@example.com');
      expect(h.sim.okta.outbox().filter((m) => m.to === '+15555550101')).toHaveLength(2);
      expect(secondCode).not.toBe(firstCode);
      const next = challenge.body._links.next.href;
      expectOktaError(
        await follow(h, next, { stateToken: start.body.stateToken, passCode: firstCode }),
        403,
        'E0000068',
      );
      const done = await follow(h, next, { stateToken: start.body.stateToken, passCode: secondCode });
      expect(done.body.status).toBe('SUCCESS');
    });

    it('throttles email resends for 5 seconds with E0000118 and call resends with E0000133', async () => {
      const h = await harness(baseScenario);
      for (const [login, type, code] of [
        ['email@example.com', 'email', 'E0000118'],
        ['call@example.com', 'call', 'E0000133'],
      ] as const) {
        const start = await signIn(h, login);
        const challenge = await follow(h, factorOf(start, type)._links.verify.href, {
          stateToken: start.body.stateToken,
        });
        expect(challenge.body.status).toBe('MFA_CHALLENGE');
        const again = await follow(h, challenge.body._links.resend[0].href, {
          stateToken: start.body.stateToken,
        });
        expectOktaError(again, 429, code);
      }
    });

    it('verifies an email code read from the outbox, masking the address', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'email@example.com');
      const email = factorOf(start, 'email');
      expect(email.profile).toEqual({ email: 'e...l@example.com' });
      const challenge = await follow(h, email._links.verify.href, { stateToken: start.body.stateToken });
      expect(challenge.body.factorResult).toBe('CHALLENGE');
      const wrong = await follow(h, email._links.verify.href, {
        stateToken: start.body.stateToken,
        passCode: '000000',
      });
      expectOktaError(wrong, 403, 'E0000068');
      const done = await follow(h, email._links.verify.href, {
        stateToken: start.body.stateToken,
        passCode: h.sim.okta.lastPassCode('email@example.com'),
      });
      expect(done.body.status).toBe('SUCCESS');
    });

    it('keeps a push WAITING with a poll link until the scripted poll approves it (docs/fidelity/okta.md#okta-push-challenge)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'push@example.com');
      const push = factorOf(start, 'push');
      expect(push.profile).toMatchObject({ deviceType: 'SmartPhone_IPhone', platform: 'IOS' });
      const waiting = await follow(h, push._links.verify.href, { stateToken: start.body.stateToken });
      expect(waiting.body).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'WAITING' });
      expect(waiting.body._links.next).toEqual({
        name: 'poll',
        href: push._links.verify.href,
        hints: { allow: ['POST'] },
      });
      const poll1 = await follow(h, waiting.body._links.next.href, { stateToken: start.body.stateToken });
      expect(poll1.body.factorResult).toBe('WAITING');
      const poll2 = await follow(h, waiting.body._links.next.href, { stateToken: start.body.stateToken });
      expect(poll2.body.status).toBe('SUCCESS');
      expect(poll2.body).not.toHaveProperty('factorResult');
    });

    it('reports a rejected push as REJECTED with next verify, and a new push waits again (docs/fidelity/okta.md#okta-push-challenge)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'push-reject@example.com');
      const verify = factorOf(start, 'push')._links.verify.href;
      await follow(h, verify, { stateToken: start.body.stateToken });
      const rejected = await follow(h, verify, { stateToken: start.body.stateToken });
      expect(rejected.body).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'REJECTED' });
      expect(rejected.body._links.next.name).toBe('verify');
      const again = await follow(h, verify, { stateToken: start.body.stateToken });
      expect(again.body.factorResult).toBe('WAITING');
    });

    it('times a push out as the scenario scripts it, and after the push lifetime (docs/fidelity/okta.md#okta-push-outcome)', async () => {
      const h = await harness(baseScenario);
      const scripted = await signIn(h, 'push-timeout@example.com');
      const verify = factorOf(scripted, 'push')._links.verify.href;
      await follow(h, verify, { stateToken: scripted.body.stateToken });
      const timedOut = await follow(h, verify, { stateToken: scripted.body.stateToken });
      expect(timedOut.body).toMatchObject({ status: 'MFA_CHALLENGE', factorResult: 'TIMEOUT' });
      expect(timedOut.body._links.next.name).toBe('verify');

      h.sim.okta.setPushOutcome('push@example.com', 'APPROVE', 99);
      const slow = await signIn(h, 'push@example.com');
      const slowVerify = factorOf(slow, 'push')._links.verify.href;
      await follow(h, slowVerify, { stateToken: slow.body.stateToken });
      h.sim.clock.advance('4m');
      expect((await follow(h, slowVerify, { stateToken: slow.body.stateToken })).body.factorResult).toBe(
        'WAITING',
      );
      h.sim.clock.advance('2m');
      expect((await follow(h, slowVerify, { stateToken: slow.body.stateToken })).body.factorResult).toBe(
        'TIMEOUT',
      );
    });

    it('goes back from MFA_CHALLENGE to MFA_REQUIRED with prev', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'sms@example.com');
      const challenge = await follow(h, factorOf(start, 'sms')._links.verify.href, {
        stateToken: start.body.stateToken,
      });
      const back = await follow(h, challenge.body._links.prev.href, { stateToken: start.body.stateToken });
      expect(back.body.status).toBe('MFA_REQUIRED');
      expect(back.body._embedded.factors).toHaveLength(1);
    });

    it('answers 404 E0000007 for a factor the user does not have', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      const reply = await h.post('/api/v1/authn/factors/ostNOPE/verify', {
        stateToken: start.body.stateToken,
        passCode: '1',
      });
      expectOktaError(reply, 404, 'E0000007', 'Not found: Resource not found: ostNOPE (UserFactor)');
    });

    it('reads rememberDevice from the query string only, and remembers only trusted devices (docs/fidelity/okta.md#okta-verify-query-flags, docs/fidelity/okta.md#okta-remember-device)', async () => {
      const h = await harness(baseScenario);
      const context = { context: { deviceToken: 'device123' } };
      const viaBody = await h.post(
        '/api/v1/authn',
        { username: 'totp@example.com', password: PASSWORD, ...context },
        SSWS,
      );
      const verify = factorOf(viaBody, 'token:software:totp')._links.verify.href;
      const code = () => h.sim.okta.totpCode('totp@example.com');
      await follow(h, verify, {
        stateToken: viaBody.body.stateToken,
        passCode: code(),
        rememberDevice: true,
      });
      h.sim.clock.advance('1s');
      const notRemembered = await h.post(
        '/api/v1/authn',
        { username: 'totp@example.com', password: PASSWORD, ...context },
        SSWS,
      );
      expect(notRemembered.body.status).toBe('MFA_REQUIRED');
      // A new 30-second step: the first code cannot succeed twice (docs/fidelity/okta.md#okta-totp-replay).
      h.sim.clock.advance('30s');
      await follow(h, `${verify}?rememberDevice=true`, {
        stateToken: notRemembered.body.stateToken,
        passCode: code(),
      });
      h.sim.clock.advance('1s');
      const remembered = await h.post(
        '/api/v1/authn',
        { username: 'totp@example.com', password: PASSWORD, ...context },
        SSWS,
      );
      expect(remembered.body.status).toBe('SUCCESS');
      // Without an API token the deviceToken is ignored, so the same device is asked again.
      h.sim.clock.advance('1s');
      const publicCall = await signIn(h, 'totp@example.com', PASSWORD, context);
      expect(publicCall.body.status).toBe('MFA_REQUIRED');
    });

    it('reflects the autoPush query flag in the MFA policy (docs/fidelity/okta.md#okta-verify-query-flags)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'push@example.com');
      const push = factorOf(start, 'push');
      expect(start.body._embedded.policy.factorsPolicyInfo).toEqual({
        [push.id]: { autoPushEnabled: false },
      });
      await follow(h, `${push._links.verify.href}?autoPush=true`, { stateToken: start.body.stateToken });
      h.sim.clock.advance('1s');
      const next = await signIn(h, 'push@example.com');
      expect(next.body._embedded.policy.factorsPolicyInfo).toEqual({ [push.id]: { autoPushEnabled: true } });
    });
  });
}
