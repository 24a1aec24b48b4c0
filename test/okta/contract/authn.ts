import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { allLinks, expectOktaError, factorOf, follow, signIn } from '../../support/okta.ts';
import { baseScenario, PASSWORD, SSWS, T0_MS, withPolicy } from '../../support/scenarios.ts';

type Make = (scenario: typeof baseScenario | ReturnType<typeof withPolicy>) => Promise<Harness>;

/** Primary authentication and the transaction around it (docs/fidelity/okta.md#okta-primary-auth). */
export function authnContract(harness: Make): void {
  describe('primary authentication', () => {
    it('answers SUCCESS with a sessionToken, expiresAt and the user, and no stateToken (docs/fidelity/okta.md#okta-authn-success)', async () => {
      const h = await harness(baseScenario);
      const reply = await signIn(h, 'ada@example.com');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        expiresAt: new Date(T0_MS + 5 * 60_000).toISOString(),
        status: 'SUCCESS',
        sessionToken: expect.stringMatching(/^\S{20,}$/),
        _embedded: {
          user: {
            id: expect.stringMatching(/^00u/),
            passwordChanged: expect.any(String),
            profile: {
              login: 'ada@example.com',
              firstName: 'Ada',
              lastName: 'Lovelace',
              locale: 'en_US',
              timeZone: 'America/Los_Angeles',
            },
          },
        },
      });
      expect(reply.body).not.toHaveProperty('stateToken');
      expect(reply.body).not.toHaveProperty('_links');
    });

    it('accepts the short name of a login (docs/fidelity/okta.md#okta-login-short-name)', async () => {
      const h = await harness(baseScenario);
      expect((await signIn(h, 'ada')).body.status).toBe('SUCCESS');
    });

    it('answers a wrong password and an unknown user with the same 401 E0000004 (docs/fidelity/okta.md#okta-bad-credentials)', async () => {
      const h = await harness(baseScenario);
      const wrong = await signIn(h, 'ada@example.com', 'nope');
      const unknown = await signIn(h, 'nobody@example.com');
      const suspended = await signIn(h, 'suspended@example.com');
      for (const reply of [wrong, unknown, suspended]) {
        expectOktaError(reply, 401, 'E0000004', 'Authentication failed');
        expect(reply.body.errorCauses).toEqual([]);
      }
    });

    it('requires username and password with 400 E0000001 naming both (docs/fidelity/okta.md#okta-missing-credentials)', async () => {
      const h = await harness(baseScenario);
      for (const body of [{ username: 'ada@example.com' }, { password: PASSWORD }, {}]) {
        const reply = await h.post('/api/v1/authn', body);
        expectOktaError(reply, 400, 'E0000001', 'Api validation failed: authRequest');
        expect(reply.body.errorCauses).toEqual([
          { errorSummary: "The 'username' and 'password' attributes are required in this context." },
        ]);
      }
    });

    it('hides a lock-out behind E0000004 by default and counts failures (docs/fidelity/okta.md#okta-lockout-shown)', async () => {
      const h = await harness(baseScenario);
      for (let i = 0; i < 3; i++) {
        h.sim.clock.advance('1s');
        expectOktaError(await signIn(h, 'ada@example.com', 'wrong'), 401, 'E0000004');
      }
      h.sim.clock.advance('1s');
      expectOktaError(await signIn(h, 'ada@example.com'), 401, 'E0000004');
      expect(h.sim.state.okta?.users.find((u) => u.login === 'ada@example.com')?.status).toBe('LOCKED_OUT');
      expectOktaError(await signIn(h, 'locked@example.com'), 401, 'E0000004');
    });

    it('answers LOCKED_OUT with an unlock link when lock-out failures are shown (docs/fidelity/okta.md#okta-lockout-shown)', async () => {
      const h = await harness(withPolicy({ lockout: { maxAttempts: 2, showLockoutFailures: true } }));
      expectOktaError(await signIn(h, 'ada@example.com', 'wrong'), 401, 'E0000004');
      h.sim.clock.advance('1s');
      const locking = await signIn(h, 'ada@example.com', 'wrong');
      h.sim.clock.advance('1s');
      const after = await signIn(h, 'ada@example.com');
      for (const reply of [locking, after]) {
        expect(reply.status).toBe(200);
        expect(reply.body).toEqual({
          status: 'LOCKED_OUT',
          _embedded: {},
          _links: {
            next: {
              name: 'unlock',
              href: `${h.base}/api/v1/authn/recovery/unlock`,
              hints: { allow: ['POST'] },
            },
            cancel: { href: `${h.base}/api/v1/authn/cancel`, hints: { allow: ['POST'] } },
          },
        });
      }
    });

    it('unlocks a locked user after the policy auto-unlock period', async () => {
      const h = await harness(withPolicy({ lockout: { maxAttempts: 3, autoUnlock: '30m' } }));
      expectOktaError(await signIn(h, 'locked@example.com'), 401, 'E0000004');
      h.sim.clock.advance('31m');
      expect((await signIn(h, 'locked@example.com')).body.status).toBe('SUCCESS');
    });

    it('gives MFA_REQUIRED before PASSWORD_EXPIRED (docs/fidelity/okta.md#okta-mfa-required)', async () => {
      const h = await harness(baseScenario);
      const first = await signIn(h, 'expired-mfa@example.com');
      expect(first.body.status).toBe('MFA_REQUIRED');
      const totp = factorOf(first, 'token:software:totp');
      const verified = await follow(h, totp._links.verify.href, {
        stateToken: first.body.stateToken,
        passCode: h.sim.okta.totpCode('expired-mfa@example.com'),
      });
      expect(verified.body.status).toBe('PASSWORD_EXPIRED');
      expect(verified.body._links.next.name).toBe('changePassword');
    });

    it('warns before expiry only when warnBeforePasswordExpired is set (docs/fidelity/okta.md#okta-password-warn)', async () => {
      const scenario = withPolicy({ password: { maxAge: '90d', warnBefore: '7d' } });
      scenario.okta?.users?.push({ login: 'warn@example.com', password: PASSWORD, passwordAge: '85d' });
      const h = await harness(scenario);
      expect((await signIn(h, 'warn@example.com')).body.status).toBe('SUCCESS');
      const warned = await signIn(h, 'warn@example.com', PASSWORD, {
        options: { warnBeforePasswordExpired: true },
      });
      expect(warned.body.status).toBe('PASSWORD_WARN');
      expect(Object.keys(warned.body._links).sort()).toEqual(['cancel', 'next', 'skip']);
      expect(warned.body._links.next.name).toBe('changePassword');
      expect(warned.body._embedded.policy.expiration).toEqual({ passwordExpireDays: 5 });
      const skipped = await follow(h, warned.body._links.skip.href, { stateToken: warned.body.stateToken });
      expect(skipped.body.status).toBe('SUCCESS');
    });

    it('expires a password when the virtual clock passes its maximum age', async () => {
      const scenario = withPolicy({ password: { maxAge: '90d' } });
      const h = await harness(scenario);
      expect((await signIn(h, 'ada@example.com')).body.status).toBe('SUCCESS');
      h.sim.clock.advance('91d');
      expect((await signIn(h, 'ada@example.com')).body.status).toBe('PASSWORD_EXPIRED');
    });

    it('treats a bad SSWS token on /authn as invalid (docs/fidelity/okta.md#okta-authn-bad-ssws, quirks.invalidApiTokenOnAuthn)', async () => {
      const h = await harness(baseScenario);
      const reply = await h.post(
        '/api/v1/authn',
        { username: 'ada@example.com', password: PASSWORD },
        { Authorization: 'SSWS not-a-token' },
      );
      expectOktaError(reply, 401, 'E0000011', 'Invalid token provided');
      const trusted = await h.post(
        '/api/v1/authn',
        { username: 'ada@example.com', password: PASSWORD },
        SSWS,
      );
      expect(trusted.body.status).toBe('SUCCESS');
    });
  });

  describe('transaction state', () => {
    it('publishes only links whose hints.allow names exactly one verb (docs/fidelity/okta.md#okta-links-hints)', async () => {
      const h = await harness(baseScenario);
      const replies = [
        await signIn(h, 'totp@example.com'),
        await signIn(h, 'push@example.com'),
        await signIn(h, 'enroll@example.com'),
        await signIn(h, 'expired@example.com'),
      ];
      const push = replies[1];
      replies.push(
        await follow(h, factorOf(push!, 'push')._links.verify.href, { stateToken: push!.body.stateToken }),
      );
      const links = replies.flatMap((reply) => allLinks(reply.body));
      expect(links.length).toBeGreaterThan(8);
      for (const [where, link] of links) {
        expect(link.hints?.allow, where).toHaveLength(1);
        expect(link.href, where).toMatch(new RegExp(`^${h.base}/api/v1/`));
      }
    });

    it('returns the current state unchanged for a bare stateToken (docs/fidelity/okta.md#okta-get-state)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      const again = await h.post('/api/v1/authn', { stateToken: start.body.stateToken });
      const twice = await h.post('/api/v1/authn/introspect', { stateToken: start.body.stateToken });
      for (const reply of [again, twice]) {
        expect(reply.status).toBe(200);
        expect(reply.body).toEqual(start.body);
      }
    });

    it('slides the stateToken expiry forward with every successful call (docs/fidelity/okta.md#okta-state-token-lifetime)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      expect(start.body.expiresAt).toBe(new Date(T0_MS + 5 * 60_000).toISOString());
      h.sim.clock.advance('4m');
      const again = await h.post('/api/v1/authn', { stateToken: start.body.stateToken });
      expect(again.body.expiresAt).toBe(new Date(T0_MS + 9 * 60_000).toISOString());
      h.sim.clock.advance('4m');
      expect((await h.post('/api/v1/authn', { stateToken: start.body.stateToken })).status).toBe(200);
    });

    it('answers 401 E0000011 for an expired, cancelled or made-up stateToken (docs/fidelity/okta.md#okta-invalid-state-token)', async () => {
      const h = await harness(baseScenario);
      const expired = await signIn(h, 'totp@example.com');
      h.sim.clock.advance('5m');
      expectOktaError(
        await h.post('/api/v1/authn', { stateToken: expired.body.stateToken }),
        401,
        'E0000011',
      );
      const cancelled = await signIn(h, 'totp@example.com');
      await h.post('/api/v1/authn/cancel', { stateToken: cancelled.body.stateToken });
      expectOktaError(
        await h.post('/api/v1/authn', { stateToken: cancelled.body.stateToken }),
        401,
        'E0000011',
      );
      const madeUp = await h.post('/api/v1/authn/previous', { stateToken: '00madeup' });
      expectOktaError(madeUp, 401, 'E0000011', 'Invalid token provided');
      expect(madeUp.body.errorCauses).toEqual([]);
    });

    it('answers 403 E0000079 with the sentence repeated as the cause in the wrong state (docs/fidelity/okta.md#okta-wrong-state)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      const reply = await h.post('/api/v1/authn/skip', { stateToken: start.body.stateToken });
      const sentence = 'This operation is not allowed in the current authentication state.';
      expectOktaError(reply, 403, 'E0000079', sentence);
      expect(reply.body.errorCauses).toEqual([{ errorSummary: sentence }]);
      const prev = await h.post('/api/v1/authn/previous', { stateToken: start.body.stateToken });
      expectOktaError(prev, 403, 'E0000079', sentence);
    });

    it('cancels with 200, echoes relayState and revokes the stateToken (docs/fidelity/okta.md#okta-cancel)', async () => {
      const h = await harness(baseScenario);
      const plain = await signIn(h, 'totp@example.com');
      const cancelled = await h.post('/api/v1/authn/cancel', { stateToken: plain.body.stateToken });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toEqual({});
      const relayed = await signIn(h, 'sms@example.com', PASSWORD, { relayState: '/app/deep/link' });
      expect(relayed.body.relayState).toBe('/app/deep/link');
      const withRelay = await h.post('/api/v1/authn/cancel', { stateToken: relayed.body.stateToken });
      expect(withRelay.body).toEqual({ relayState: '/app/deep/link' });
      expectOktaError(
        await h.post('/api/v1/authn/cancel', { stateToken: relayed.body.stateToken }),
        401,
        'E0000011',
      );
    });

    it('invalidates the stateToken once the transaction succeeds (docs/fidelity/okta.md#okta-state-token-after-success)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      const done = await follow(h, factorOf(start, 'token:software:totp')._links.verify.href, {
        stateToken: start.body.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      expect(done.body.status).toBe('SUCCESS');
      expectOktaError(await h.post('/api/v1/authn', { stateToken: start.body.stateToken }), 401, 'E0000011');
    });
  });
}
