import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { expectOktaError, factorOf, follow, signIn } from '../../support/okta.ts';
import { baseScenario, SSWS, T0_MS, withOkta, withPolicy } from '../../support/scenarios.ts';

type Make = (scenario: typeof baseScenario | ReturnType<typeof withPolicy>) => Promise<Harness>;

async function sessionTokenFor(h: Harness, login = 'ada@example.com'): Promise<string> {
  const reply = await signIn(h, login);
  expect(reply.body.status).toBe('SUCCESS');
  return reply.body.sessionToken;
}

async function createSession(h: Harness, login = 'ada@example.com') {
  const reply = await h.post('/api/v1/sessions', { sessionToken: await sessionTokenFor(h, login) }, SSWS);
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

/**
 * sessionTokens and the Sessions API (docs/fidelity/okta.md#okta-session-token,
 * docs/fidelity/okta.md#okta-sessions).
 */
export function sessionsContract(harness: Make): void {
  describe('sessions', () => {
    it('creates a session from a sessionToken with the Session fields and no cookie (docs/fidelity/okta.md#okta-create-session-no-cookie, docs/fidelity/okta.md#okta-session-object)', async () => {
      const h = await harness(baseScenario);
      const token = await sessionTokenFor(h);
      const reply = await h.post('/api/v1/sessions', { sessionToken: token }, SSWS);
      expect(reply.headers.get('set-cookie')).toBeNull();
      const id = reply.body.id;
      expect(reply.body).toEqual({
        id: expect.stringMatching(/^102\w{22}$/),
        userId: expect.stringMatching(/^00u/),
        login: 'ada@example.com',
        createdAt: new Date(T0_MS).toISOString(),
        expiresAt: new Date(T0_MS + 2 * 3_600_000).toISOString(),
        status: 'ACTIVE',
        lastPasswordVerification: new Date(T0_MS).toISOString(),
        lastFactorVerification: null,
        amr: ['pwd'],
        idp: { id: expect.stringMatching(/^00o/), type: 'OKTA' },
        mfaActive: false,
        _links: {
          self: { href: `${h.base}/api/v1/sessions/${id}`, hints: { allow: ['GET', 'DELETE'] } },
          refresh: { href: `${h.base}/api/v1/sessions/${id}/lifecycle/refresh`, hints: { allow: ['POST'] } },
          user: {
            name: 'Ada Lovelace',
            href: `${h.base}/api/v1/users/${reply.body.userId}`,
            // An id-based session's user link allows GET (legacy Sessions reference, Get session).
            hints: { allow: ['GET'] },
          },
        },
      });
    });

    it('records the verified factor in amr and lastFactorVerification (docs/fidelity/okta.md#okta-session-object)', async () => {
      const h = await harness(baseScenario);
      const start = await signIn(h, 'totp@example.com');
      h.sim.clock.advance('10s');
      const done = await follow(h, factorOf(start, 'token:software:totp')._links.verify.href, {
        stateToken: start.body.stateToken,
        passCode: h.sim.okta.totpCode('totp@example.com'),
      });
      const session = await h.post('/api/v1/sessions', { sessionToken: done.body.sessionToken });
      expect(session.body).toMatchObject({
        amr: ['pwd', 'otp', 'mfa'],
        mfaActive: true,
        lastFactorVerification: new Date(T0_MS + 10_000).toISOString(),
      });
    });

    it('exchanges a sessionToken once; reuse is 401 E0000004 (docs/fidelity/okta.md#okta-session-token-errors)', async () => {
      const h = await harness(baseScenario);
      const token = await sessionTokenFor(h);
      expect((await h.post('/api/v1/sessions', { sessionToken: token })).status).toBe(200);
      expectOktaError(await h.post('/api/v1/sessions', { sessionToken: token }), 401, 'E0000004');
      expectOktaError(await h.post('/api/v1/sessions', { sessionToken: 'made-up' }), 401, 'E0000004');
    });

    it('uses the configured code for a bad sessionToken (quirks.sessionTokenErrorCode)', async () => {
      const h = await harness(withOkta({ quirks: { sessionTokenErrorCode: 'E0000011' } }));
      expectOktaError(await h.post('/api/v1/sessions', { sessionToken: 'made-up' }), 401, 'E0000011');
    });

    it('expires a sessionToken 5 minutes after issuance, as SUCCESS.expiresAt says (docs/fidelity/okta.md#okta-session-token)', async () => {
      const h = await harness(baseScenario);
      const success = await signIn(h, 'ada@example.com');
      expect(Date.parse(success.body.expiresAt) - h.sim.clock.now()).toBe(5 * 60_000);
      h.sim.clock.advance('5m');
      expectOktaError(
        await h.post('/api/v1/sessions', { sessionToken: success.body.sessionToken }),
        401,
        'E0000004',
      );
    });

    it('answers /sessions/me without a live sid cookie with 404 E0000007 naming me (docs/fidelity/okta.md#okta-sessions-me)', async () => {
      const h = await harness(baseScenario);
      const reply = await h.get('/api/v1/sessions/me');
      expectOktaError(reply, 404, 'E0000007', 'Not found: Resource not found: me (Session)');
      expect(reply.body.errorCauses).toEqual([]);
      expectOktaError(await h.get('/api/v1/sessions/me', { Cookie: 'sid=102nope' }), 404, 'E0000007');
    });

    it('reads the session of the sid cookie at /sessions/me, linking to /me paths (docs/fidelity/okta.md#okta-session-object)', async () => {
      const h = await harness(baseScenario);
      const session = await createSession(h);
      const me = await h.get('/api/v1/sessions/me', { Cookie: `sid=${session.id}` });
      expect(me.status).toBe(200);
      expect(me.body._links.self.href).toBe(`${h.base}/api/v1/sessions/me`);
      expect(me.body._links.refresh.href).toBe(`${h.base}/api/v1/sessions/me/lifecycle/refresh`);
      expect(me.body._links.user.href).toBe(`${h.base}/api/v1/users/me`);
      const user = await h.get('/api/v1/users/me', { Cookie: `sid=${session.id}` });
      expect(user.body).toMatchObject({
        id: session.userId,
        status: 'ACTIVE',
        profile: { login: 'ada@example.com' },
      });
    });

    it('closes the cookie session with 204, then answers 404 E0000007 (docs/fidelity/okta.md#okta-sessions-me-delete)', async () => {
      const h = await harness(baseScenario);
      const session = await createSession(h);
      const cookie = { Cookie: `sid=${session.id}` };
      const closed = await h.del('/api/v1/sessions/me', cookie);
      expect(closed.status).toBe(204);
      expect(closed.text).toBe('');
      expect(closed.headers.get('content-type')).toBeNull();
      expect(closed.headers.get('set-cookie')).toMatch(/^sid=""; Path=\/; Max-Age=0/);
      expectOktaError(await h.del('/api/v1/sessions/me', cookie), 404, 'E0000007');
      expectOktaError(await h.get(`/api/v1/sessions/${session.id}`, SSWS), 404, 'E0000007');
    });

    it('guards /sessions/{id}: no header 403 E0000005, bad token 401 E0000011, unknown id 404 (docs/fidelity/okta.md#okta-session-admin-auth)', async () => {
      const h = await harness(baseScenario);
      const session = await createSession(h);
      const path = `/api/v1/sessions/${session.id}`;
      const none = await h.get(path);
      expectOktaError(none, 403, 'E0000005', 'Invalid session');
      expect(none.headers.get('set-cookie')).toBe('sid="";Version=1;Path=/;Max-Age=0');
      expectOktaError(
        await h.get(path, { Authorization: 'SSWS unknown' }),
        401,
        'E0000011',
        'Invalid token provided',
      );
      expectOktaError(
        await h.get(path, { Authorization: 'SSWS 00revoked-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }),
        401,
        'E0000011',
      );
      // docs/fidelity/okta.md#okta-no-ssws-token: a bare token or another scheme is not an API token at all.
      expectOktaError(await h.get(path, { Authorization: SSWS.Authorization.slice(5) }), 403, 'E0000005');
      expectOktaError(
        await h.get(path, { Authorization: `ssws ${SSWS.Authorization.slice(5)}` }),
        403,
        'E0000005',
      );
      expectOktaError(
        await h.get('/api/v1/sessions/102unknown', SSWS),
        404,
        'E0000007',
        'Not found: Resource not found: 102unknown (Session)',
      );
      expect((await h.get(path, SSWS)).body.id).toBe(session.id);
    });

    it('refreshes a session with a later expiresAt, capped by its maximum lifetime (docs/fidelity/okta.md#okta-session-refresh)', async () => {
      const h = await harness(withPolicy({ session: { maxIdle: '2h', maxLifetime: '3h' } }));
      const session = await createSession(h);
      expect(session.expiresAt).toBe(new Date(T0_MS + 2 * 3_600_000).toISOString());
      h.sim.clock.advance('30m');
      const refreshed = await h.post(`/api/v1/sessions/${session.id}/lifecycle/refresh`, undefined, SSWS);
      expect(refreshed.body.expiresAt).toBe(new Date(T0_MS + 2.5 * 3_600_000).toISOString());
      h.sim.clock.advance('90m');
      const capped = await h.post(`/api/v1/sessions/${session.id}/lifecycle/refresh`, undefined, SSWS);
      expect(capped.body.expiresAt).toBe(new Date(T0_MS + 3 * 3_600_000).toISOString());
    });

    it('answers a refresh with Prefer: return=minimal with 204 and Preference-Applied (docs/fidelity/okta.md#okta-session-refresh)', async () => {
      const h = await harness(baseScenario);
      const session = await createSession(h);
      const reply = await h.request('POST', '/api/v1/sessions/me/lifecycle/refresh', {
        json: {},
        headers: { Cookie: `sid=${session.id}`, Prefer: 'return=minimal' },
      });
      expect(reply.status).toBe(204);
      expect(reply.headers.get('preference-applied')).toBe('return=minimal');
    });

    it('ends a session idle past maxIdle and one past its maximum lifetime (docs/fidelity/okta.md#okta-session-expiry)', async () => {
      const h = await harness(withPolicy({ session: { maxIdle: '2h', maxLifetime: '3h' } }));
      const idle = await createSession(h);
      h.sim.clock.advance('2h');
      expectOktaError(await h.get(`/api/v1/sessions/${idle.id}`, SSWS), 404, 'E0000007');
      const old = await createSession(h);
      for (let i = 0; i < 3; i++) {
        h.sim.clock.advance('59m');
        expect((await h.post(`/api/v1/sessions/${old.id}/lifecycle/refresh`, undefined, SSWS)).status).toBe(
          200,
        );
      }
      h.sim.clock.advance('4m');
      expectOktaError(await h.get('/api/v1/sessions/me', { Cookie: `sid=${old.id}` }), 404, 'E0000007');
    });

    it('revokes a session by id with 204; a second revoke is 404 E0000007 (docs/fidelity/okta.md#okta-session-revoke-twice)', async () => {
      const h = await harness(baseScenario);
      const session = await createSession(h);
      expect((await h.del(`/api/v1/sessions/${session.id}`, SSWS)).status).toBe(204);
      expectOktaError(await h.del(`/api/v1/sessions/${session.id}`, SSWS), 404, 'E0000007');
    });

    it('keeps refusing API calls that carry a dead sid cookie with 403 E0000005 (docs/fidelity/okta.md#okta-stale-sid-cookie)', async () => {
      const h = await harness(baseScenario);
      const session = await createSession(h);
      const other = await createSession(h, 'ada@example.com');
      await h.del(`/api/v1/sessions/${session.id}`, SSWS);
      const withCookie = { ...SSWS, Cookie: `sid=${session.id}` };
      for (let i = 0; i < 2; i++) {
        const reply = await h.get(`/api/v1/sessions/${other.id}`, withCookie);
        expectOktaError(reply, 403, 'E0000005');
        expect(reply.headers.get('set-cookie')).toContain('sid="";');
      }
      expect((await h.get(`/api/v1/sessions/${other.id}`, SSWS)).status).toBe(200);
    });

    it('lets a dead sid cookie through when quirks.staleSidCookie is ignore', async () => {
      const h = await harness(withOkta({ quirks: { staleSidCookie: 'ignore' } }));
      const session = await createSession(h);
      const reply = await h.get(`/api/v1/sessions/${session.id}`, { ...SSWS, Cookie: 'sid=102dead' });
      expect(reply.status).toBe(200);
    });

    it('answers /users/me without a session with 403 E0000005 (docs/fidelity/okta.md#okta-users-me-without-session)', async () => {
      const h = await harness(baseScenario);
      expectOktaError(await h.get('/api/v1/users/me'), 403, 'E0000005');
    });

    it('refuses a token-less POST /api/v1/sessions under quirks.createSessionWithoutApiToken reject (docs/fidelity/okta.md#okta-create-session-auth)', async () => {
      const h = await harness(withOkta({ quirks: { createSessionWithoutApiToken: 'reject' } }));
      const token = await sessionTokenFor(h);
      expectOktaError(await h.post('/api/v1/sessions', { sessionToken: token }), 403, 'E0000005');
      expect((await h.post('/api/v1/sessions', { sessionToken: token }, SSWS)).status).toBe(200);
    });

    it('sets the sid cookie and redirects on /login/sessionCookieRedirect', async () => {
      const h = await harness(baseScenario);
      const token = await sessionTokenFor(h);
      const reply = await h.request(
        'GET',
        `/login/sessionCookieRedirect?token=${token}&redirectUrl=${encodeURIComponent('http://localhost:3000/app')}`,
        { headers: { Accept: 'text/html' } },
      );
      expect(reply.status).toBe(302);
      expect(reply.headers.get('location')).toBe('http://localhost:3000/app');
      const sid = /sid=(\w+)/.exec(reply.headers.get('set-cookie') ?? '')?.[1];
      expect((await h.get('/api/v1/sessions/me', { Cookie: `sid=${sid}` })).body.login).toBe(
        'ada@example.com',
      );
    });
  });
}
