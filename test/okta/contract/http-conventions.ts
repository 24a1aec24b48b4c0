import { describe, expect, it } from 'vitest';
import type { Harness } from '../../support/harness.ts';
import { expectOktaError, signIn } from '../../support/okta.ts';
import { baseScenario, PASSWORD, withOkta, type withPolicy } from '../../support/scenarios.ts';

type Make = (scenario: typeof baseScenario | ReturnType<typeof withPolicy>) => Promise<Harness>;

/**
 * Okta's HTTP conventions: headers, the error envelope, rate limits, CORS, bad input
 * (docs/fidelity/okta.md#okta-http, docs/fidelity/okta.md#okta-errors,
 * docs/fidelity/okta.md#okta-rate-limit-buckets).
 */
export function httpConventionsContract(harness: Make): void {
  describe('http conventions', () => {
    it('puts X-Okta-Request-Id on every answer, success or error (docs/fidelity/okta.md#okta-request-id)', async () => {
      const h = await harness(baseScenario);
      const replies = [
        await signIn(h, 'ada@example.com'),
        await signIn(h, 'ada@example.com', 'wrong'),
        await h.get('/api/v1/sessions/me'),
        await h.get('/api/v1/nothing-here'),
      ];
      const ids = replies.map((reply) => reply.headers.get('x-okta-request-id'));
      for (const id of ids) expect(id).toMatch(/^\w{27}$/);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('reports the rate-limit window in X-Rate-Limit-* headers (docs/fidelity/okta.md#okta-rate-limit-headers)', async () => {
      const h = await harness(withOkta({ rateLimits: { authn: 3 } }));
      const first = await signIn(h, 'ada@example.com');
      expect(first.headers.get('x-rate-limit-limit')).toBe('3');
      expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
      expect(first.headers.get('x-rate-limit-reset')).toBe(
        String(Math.ceil((h.sim.clock.now() + 60_000) / 1000)),
      );
      h.sim.clock.advance('1s');
      await signIn(h, 'totp@example.com');
      await signIn(h, 'sms@example.com');
      const limited = await signIn(h, 'email@example.com');
      expectOktaError(limited, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(Date.parse(limited.headers.get('date') ?? '')).toBe(Math.floor(h.sim.clock.now() / 1000) * 1000);
      // The window is 60 seconds from its first request, on the virtual clock.
      h.sim.clock.advance('59s');
      expect((await signIn(h, 'ada@example.com')).status).toBe(200);
    });

    it('limits primary authentication to 4 per second per username with 429 E0000047 (docs/fidelity/okta.md#okta-per-username-limit)', async () => {
      const h = await harness(baseScenario);
      for (let i = 0; i < 4; i++) expect((await signIn(h, 'ada@example.com')).status).toBe(200);
      const limited = await signIn(h, 'ada@example.com');
      expectOktaError(limited, 429, 'E0000047');
      expect(limited.headers.get('x-rate-limit-limit')).toBe('4');
      // Another user is not affected, and the same user may go on a second later.
      expect((await signIn(h, 'totp@example.com')).status).toBe(200);
      h.sim.clock.advance('1s');
      expect((await signIn(h, 'ada@example.com')).status).toBe(200);
    });

    it('answers an unknown /api/v1 path with 404 E0000008 and a wrong method with 405 E0000022', async () => {
      const h = await harness(baseScenario);
      expectOktaError(
        await h.get('/api/v1/nothing-here'),
        404,
        'E0000008',
        'The requested path was not found',
      );
      expectOktaError(
        await h.get('/api/v1/authn'),
        405,
        'E0000022',
        'The endpoint does not support the provided HTTP method',
      );
    });

    it('refuses an Accept header without JSON with 406 E0000122', async () => {
      const h = await harness(baseScenario);
      const reply = await h.request('POST', '/api/v1/authn', {
        json: { username: 'ada@example.com', password: PASSWORD },
        headers: { Accept: 'text/html' },
      });
      expectOktaError(reply, 406, 'E0000122');
    });

    it('answers trusted origins with CORS headers and credentials, others without (docs/fidelity/okta.md#okta-cors-trusted-origins)', async () => {
      const h = await harness(baseScenario);
      const origin = 'http://localhost:5173';
      const preflight = await h.request('OPTIONS', '/api/v1/authn', {
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-okta-user-agent-extended',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('x-okta-request-id')).toMatch(/^\w{27}$/);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('x-okta-user-agent-extended');
      const ok = await h.request('POST', '/api/v1/authn', {
        json: { username: 'ada@example.com', password: PASSWORD },
        headers: { Origin: origin },
      });
      expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
      const untrusted = await h.request('POST', '/api/v1/authn', {
        json: { username: 'ada@example.com', password: PASSWORD },
        headers: { Origin: 'https://evil.example' },
      });
      expect(untrusted.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('leaves CORS headers off error answers under quirks.corsOnErrors false (docs/fidelity/okta.md#okta-cors-on-errors)', async () => {
      const h = await harness(withOkta({ quirks: { corsOnErrors: false } }));
      const headers = { Origin: 'http://localhost:5173' };
      const error = await h.request('POST', '/api/v1/authn', {
        json: { username: 'ada@example.com', password: 'x' },
        headers,
      });
      expect(error.status).toBe(401);
      expect(error.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('bad input (docs/errors.md)', () => {
    const badBodies: [string, { body?: string; headers?: Record<string, string> }, string][] = [
      [
        'malformed JSON',
        { body: '{"username": "ada@example.com",', headers: { 'Content-Type': 'application/json' } },
        'E0000003',
      ],
      ['a JSON array', { body: '[1,2]', headers: { 'Content-Type': 'application/json' } }, 'E0000003'],
      [
        'a wrong type',
        { body: '{"username": 42, "password": "x"}', headers: { 'Content-Type': 'application/json' } },
        'E0000003',
      ],
      [
        'a __proto__ key',
        {
          body: '{"username":"ada@example.com","password":"Passw0rd!","__proto__":{"admin":true}}',
          headers: { 'Content-Type': 'application/json' },
        },
        'E0000003',
      ],
      [
        'a __proto__ key spelt with a JSON escape',
        {
          body: '{"username":"ada@example.com","password":"Passw0rd!","\\u005f_proto__":{"admin":true}}',
          headers: { 'Content-Type': 'application/json' },
        },
        'E0000003',
      ],
      [
        'a form body',
        {
          body: 'username=ada%40example.com&password=x',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        },
        'E0000021',
      ],
      [
        'a body over 1 MiB',
        {
          body: JSON.stringify({ username: 'a'.repeat(1024 * 1024 + 10), password: 'x' }),
          headers: { 'Content-Type': 'application/json' },
        },
        'E0000003',
      ],
    ];

    for (const [what, init, code] of badBodies) {
      it(`answers ${what} with 400 ${code} and changes nothing`, async () => {
        const h = await harness(baseScenario);
        const before = JSON.stringify(h.sim.state);
        const reply = await h.request('POST', '/api/v1/authn', {
          ...(init.body !== undefined && { body: init.body }),
          headers: init.headers ?? {},
        });
        expectOktaError(reply, 400, code);
        expect(JSON.stringify(h.sim.state)).toBe(before);
        expect(Object.prototype).not.toHaveProperty('admin');
      });
    }

    it('reports the bad-input cause in the request journal', async () => {
      const h = await harness(baseScenario);
      await h.request('POST', '/api/v1/authn', {
        body: '{',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(h.sim.requests.last()).toMatchObject({
        vendor: 'okta',
        operation: 'primaryAuthentication',
        status: 400,
        errorCode: 'E0000003',
        detail: expect.stringContaining('invalid JSON'),
      });
    });
  });
}
