/**
 * okta-sdk-nodejs (8.1.0) against the simulator: its SessionApi and its error type, over msw and real HTTP.
 *
 * What the SDK does on the wire (read from node_modules/@okta/okta-sdk-nodejs):
 * - it sends every request with node-fetch 2 (src/request-executor.js), i.e. through `node:http`/`node:https`,
 *   not global fetch; msw/node intercepts that with its ClientRequest interceptor;
 * - `Authorization: SSWS <token>` is a default header on every request (src/client.js), and a token is
 *   mandatory ("Okta API token not provided"), so no client option sends no Authorization header or another
 *   scheme. The documented hook for "global logic for all HTTP requests" is a custom request executor (README
 *   "Building a Custom Request Executor"); `ScriptedExecutor` below uses it for
 *   docs/fidelity/okta.md#okta-no-ssws-token;
 * - any non-2xx answer with a JSON body rejects with `OktaApiError` (src/http.js `errorFilter`), whose
 *   fields come straight from the envelope (src/api-error.js);
 * - GETs are cached by `_links.self.href` unless `cacheMiddleware: null` (src/default-cache-middleware.js),
 *   and a 429 is retried after a real-time wait unless `maxRetries: 0` (src/default-request-executor.js);
 * - the org URL is not checked for https in 8.x (there is no config checker), so the HTTP server's
 *   http://127.0.0.1:PORT is used as is.
 */
import http from 'node:http';
import { Client, DefaultRequestExecutor, OktaApiError } from '@okta/okta-sdk-nodejs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { setupSimulatorServer, startHttpServer } from '../../src/node/index.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { API_TOKEN, baseScenario, PASSWORD, withOkta, withPolicy } from '../support/scenarios.ts';

// The SDK sends every request through https_proxy when one is set (src/http.js); the simulator is local,
// so a CI machine's proxy for the npm registry must not apply here.
delete process.env.https_proxy;
delete process.env.HTTPS_PROXY;

const REVOKED_TOKEN = '00revoked-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const UNKNOWN_TOKEN = '00unknown-token-cccccccccccccccccccccccccccccc';

/** `http.ClientRequest` before any msw interceptor patched it: the HTTP tests check msw is not listening. */
const PRISTINE_CLIENT_REQUEST = http.ClientRequest;

type ExecutorRequest = Parameters<DefaultRequestExecutor['fetch']>[0];

/**
 * The fields of an executor request this file touches. The SDK types `RequestOptions` as node-fetch's
 * `RequestInit`, but node-fetch 2 ships no types (and @types/node-fetch is not installed), so they are
 * invisible to TypeScript; at run time src/http.js always sets them.
 */
interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * The SDK's default executor with its 429 retry off, which records what the SDK sends and can rewrite the
 * Authorization header the client put on a request: `null` drops it.
 */
class ScriptedExecutor extends DefaultRequestExecutor {
  /** Every request as the SDK handed it to node-fetch. */
  readonly sent: WireRequest[] = [];
  readonly #authorization: ((value: string) => string | null) | undefined;

  constructor(authorization?: (value: string) => string | null) {
    super({ maxRetries: 0, requestTimeout: 0 });
    this.#authorization = authorization;
  }

  override fetch(request: ExecutorRequest) {
    // Http#http builds a fresh plain headers object per request, so editing it touches no shared state.
    const { method, url, headers } = request as unknown as WireRequest;
    if (this.#authorization && headers.Authorization !== undefined) {
      const rewritten = this.#authorization(headers.Authorization);
      if (rewritten === null) delete headers.Authorization;
      else headers.Authorization = rewritten;
    }
    this.sent.push({ method: method.toUpperCase(), url, headers: { ...headers } });
    return super.fetch(request);
  }
}

interface ClientOptions {
  /** The SSWS token (default: the scenario's valid `API_TOKEN`). */
  token?: string;
  /** Rewrites the Authorization header on the wire; `null` drops it. */
  authorization?: (value: string) => string | null;
}

interface SdkClient {
  client: Client;
  executor: ScriptedExecutor;
}

interface Org {
  sim: Simulator;
  /** The org URL the SDK is configured with. */
  orgUrl: string;
  /** A fresh okta-sdk-nodejs client: no cache, no 429 retry. */
  sdk(options?: ClientOptions): SdkClient;
  /** Primary authentication the way the SDK's integration tests do it; resolves to the sessionToken. */
  sessionToken(login?: string): Promise<string>;
}

/**
 * The request argument of `Http#postJson`. Its `body` comes from node-fetch's `RequestInit`, which has no
 * types here (see `WireRequest`), so it is added back.
 */
type AuthnRequest = NonNullable<Parameters<Client['http']['postJson']>[1]> & { body: unknown };

/** The `POST /api/v1/authn` answer fields this file reads. */
interface AuthnAnswer {
  status?: string;
  sessionToken?: string;
}

/**
 * Registers per-test teardown for `transport` and returns a factory of orgs. msw listens only inside an msw
 * test (it is closed after each one), and every HTTP server is closed after its test.
 */
function useOrg(transport: 'msw' | 'http'): (scenario?: ScenarioInput) => Promise<Org> {
  const closers: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  return async (scenario = baseScenario) => {
    const sim = createSimulator(scenario);
    let orgUrl: string;
    if (transport === 'msw') {
      const server = setupSimulatorServer(sim);
      // msw 3 names the option onUnhandledFrame (msw 2: onUnhandledRequest); 'error' fails unclaimed requests.
      server.listen({ onUnhandledFrame: 'error' });
      closers.push(() => server.close());
      orgUrl = sim.scenario.okta?.orgUrl ?? 'https://dev-000000.okta.com';
    } else {
      if (http.ClientRequest !== PRISTINE_CLIENT_REQUEST)
        throw new Error('msw is still intercepting node:http');
      const server = await startHttpServer(sim, { port: 0 });
      closers.push(server.close);
      orgUrl = server.url;
    }

    const sdk = (options: ClientOptions = {}): SdkClient => {
      const executor = new ScriptedExecutor(options.authorization);
      const client = new Client({
        orgUrl,
        token: options.token ?? API_TOKEN,
        requestExecutor: executor,
        cacheMiddleware: null,
      });
      return { client, executor };
    };
    const admin = sdk().client;

    return {
      sim,
      orgUrl,
      sdk,
      async sessionToken(login = 'ada@example.com') {
        // `Http#postJson(uri, request)` JSON-encodes `request.body` and resolves to the parsed JSON answer
        // (src/http.js), though its typings say Response.
        const request: AuthnRequest = { body: { username: login, password: PASSWORD } };
        const answer = (await admin.http.postJson(
          `${orgUrl}/api/v1/authn`,
          request,
        )) as unknown as AuthnAnswer;
        expect(answer.status).toBe('SUCCESS');
        expect(answer.sessionToken).toEqual(expect.any(String));
        return answer.sessionToken as string;
      },
    };
  };
}

/** The rejection of `promise`, which must be an `OktaApiError`. */
async function oktaError(promise: Promise<unknown>): Promise<OktaApiError> {
  const error = await promise.then(
    () => {
      throw new Error('Expected the call to reject with an OktaApiError, but it resolved');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(OktaApiError);
  return error as OktaApiError;
}

/**
 * Checks the parsed Okta error envelope (docs/fidelity/okta.md#okta-error-envelope): every field the SDK
 * copies is populated.
 */
function expectOktaError(error: OktaApiError, status: number, errorCode: string, errorSummary: string): void {
  expect(error.status).toBe(status);
  expect(error.errorCode).toBe(errorCode);
  expect(error.errorSummary).toBe(errorSummary);
  expect(error.errorLink).toBe(errorCode);
  // Okta error ids are `oae` and ~22 URL-safe characters (docs/fidelity/okta.md#okta-request-id).
  expect(error.errorId).toMatch(/^oae[\w-]{20,}$/);
  expect(error.errorCauses).toEqual([]);
  // The SDK keeps the response headers (node-fetch Headers) on the error
  // (docs/fidelity/okta.md#okta-rate-limit-headers).
  expect(error.headers.get('x-okta-request-id')).toMatch(/^\w+$/);
  expect(error.message).toBe(`Okta HTTP ${status} ${errorCode} ${errorSummary}. `);
}

for (const transport of ['msw', 'http'] as const) {
  describe(`okta-sdk-nodejs SessionApi [${transport}]`, () => {
    const org = useOrg(transport);

    it('creates a session from a sessionToken (docs/fidelity/okta.md#okta-session-object, docs/fidelity/okta.md#okta-create-session-no-cookie)', async () => {
      const { sim, orgUrl, sdk, sessionToken } = await org();
      const { client, executor } = sdk();
      const token = await sessionToken();

      const session = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: token },
      });

      const user = sim.state.okta?.users.find((u) => u.login === 'ada@example.com');
      expect(session.id).toMatch(/^102\w+$/);
      expect(session.userId).toBe(user?.id);
      expect(session.login).toBe('ada@example.com');
      expect(session.status).toBe('ACTIVE');
      expect(session.amr).toEqual(['pwd']);
      // The SDK deserialises date-times into Dates; the default idle window is 2 hours
      // (docs/fidelity/okta.md#okta-session-expiry).
      expect(session.createdAt).toEqual(new Date('2026-01-01T00:00:00.000Z'));
      expect(session.expiresAt).toEqual(new Date('2026-01-01T02:00:00.000Z'));
      expect(session.idp).toMatchObject({ type: 'OKTA' });
      expect(sim.state.okta?.sessions.map((s) => s.id)).toEqual([session.id]);
      // The simulator answered the SDK's request (over msw: at the org's made-up https origin, which only an
      // in-process interception can reach), and saw the SDK's own headers.
      const url = `${orgUrl}/api/v1/sessions`;
      expect(sim.requests.last({ operation: 'createSession' })).toMatchObject({
        url,
        status: 200,
        outcome: 'session-created',
        principal: 'ada@example.com',
      });
      expect(executor.sent).toEqual([
        expect.objectContaining({
          method: 'POST',
          url,
          headers: expect.objectContaining({
            Authorization: `SSWS ${API_TOKEN}`,
            'Content-Type': 'application/json',
            'User-Agent': expect.stringMatching(/^@okta\/okta-sdk-nodejs\/8\.1\.0 /),
          }),
        }),
      ]);
    });

    it('gets a session by id (docs/fidelity/okta.md#okta-session-admin-auth)', async () => {
      const { sdk, sessionToken } = await org();
      const { client } = sdk();
      const created = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });

      const session = await client.sessionApi.getSession({ sessionId: created.id as string });

      expect(session).toMatchObject({
        id: created.id,
        userId: created.userId,
        login: 'ada@example.com',
        status: 'ACTIVE',
        expiresAt: created.expiresAt,
      });
    });

    it('refreshes a session to a later expiresAt after time passes (docs/fidelity/okta.md#okta-session-refresh)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const { client } = sdk();
      const created = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });

      sim.clock.advance('90m');
      const refreshed = await client.sessionApi.refreshSession({ sessionId: created.id as string });

      expect(refreshed.id).toBe(created.id);
      expect(refreshed.expiresAt).toEqual(new Date('2026-01-01T03:30:00.000Z'));
      expect(refreshed.expiresAt?.getTime()).toBeGreaterThan(created.expiresAt?.getTime() ?? Infinity);
      // The refresh reset the idle clock: 90 more minutes would have ended the unrefreshed session.
      sim.clock.advance('90m');
      await expect(client.sessionApi.getSession({ sessionId: created.id as string })).resolves.toMatchObject({
        id: created.id,
      });
    });

    it('revokes a session, after which get and a second revoke answer 404 E0000007 (docs/fidelity/okta.md#okta-session-revoke-twice)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const { client } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;

      await expect(client.sessionApi.revokeSession({ sessionId })).resolves.toBeUndefined();
      expect(sim.state.okta?.sessions).toEqual([]);

      const summary = `Not found: Resource not found: ${sessionId} (Session)`;
      expectOktaError(await oktaError(client.sessionApi.getSession({ sessionId })), 404, 'E0000007', summary);
      expectOktaError(
        await oktaError(client.sessionApi.revokeSession({ sessionId })),
        404,
        'E0000007',
        summary,
      );
    });

    it('rejects a reused sessionToken with 401 (docs/fidelity/okta.md#okta-session-token-errors)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const { client } = sdk();
      const token = await sessionToken();
      await client.sessionApi.createSession({ createSessionRequest: { sessionToken: token } });

      const error = await oktaError(
        client.sessionApi.createSession({ createSessionRequest: { sessionToken: token } }),
      );

      // The code is undocumented; the scenario default (quirks.sessionTokenErrorCode) is E0000004.
      expectOktaError(error, 401, 'E0000004', 'Authentication failed');
      expect(sim.state.okta?.sessions).toHaveLength(1);
    });

    it('forgets a session idle past maxIdle: getSession answers 404 E0000007 (docs/fidelity/okta.md#okta-session-expiry)', async () => {
      const { sim, sdk, sessionToken } = await org(
        withPolicy({ session: { maxIdle: '2h', maxLifetime: '24h' } }),
      );
      const { client } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;

      sim.clock.advance('119m');
      await expect(client.sessionApi.getSession({ sessionId })).resolves.toMatchObject({ id: sessionId });
      // getSession is not activity: the idle window still runs from the sign-in.
      sim.clock.advance('1m');
      const error = await oktaError(client.sessionApi.getSession({ sessionId }));

      expectOktaError(error, 404, 'E0000007', `Not found: Resource not found: ${sessionId} (Session)`);
      expect(sim.state.okta?.sessions).toEqual([]);
    });

    it('ends a session at maxLifetime even when it is refreshed (docs/fidelity/okta.md#okta-session-refresh, docs/fidelity/okta.md#okta-session-expiry)', async () => {
      const { sim, sdk, sessionToken } = await org(
        withPolicy({ session: { maxIdle: '2h', maxLifetime: '3h' } }),
      );
      const { client } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;

      sim.clock.advance('90m');
      const refreshed = await client.sessionApi.refreshSession({ sessionId });
      // The idle window would reach 03:30; the lifetime caps it at 03:00.
      expect(refreshed.expiresAt).toEqual(new Date('2026-01-01T03:00:00.000Z'));
      sim.clock.advance('90m');

      expectOktaError(
        await oktaError(client.sessionApi.refreshSession({ sessionId })),
        404,
        'E0000007',
        `Not found: Resource not found: ${sessionId} (Session)`,
      );
    });

    it('answers 404 E0000007 for a session id that never existed (docs/fidelity/okta.md#okta-session-admin-auth)', async () => {
      const { sdk } = await org();
      const { client } = sdk();

      const error = await oktaError(client.sessionApi.getSession({ sessionId: '102doesNotExist000000000' }));

      expectOktaError(
        error,
        404,
        'E0000007',
        'Not found: Resource not found: 102doesNotExist000000000 (Session)',
      );
    });

    it.each([
      ['an unknown', UNKNOWN_TOKEN],
      ['a revoked', REVOKED_TOKEN],
    ])(
      'rejects %s API token with 401 E0000011 (docs/fidelity/okta.md#okta-api-token-auth, docs/fidelity/okta.md#okta-session-admin-auth)',
      async (_kind, badToken) => {
        const { sim, sdk, sessionToken } = await org();
        const { id } = await sdk().client.sessionApi.createSession({
          createSessionRequest: { sessionToken: await sessionToken() },
        });
        const sessionId = id as string;
        const { client, executor } = sdk({ token: badToken });

        for (const call of [
          () => client.sessionApi.getSession({ sessionId }),
          () => client.sessionApi.refreshSession({ sessionId }),
          () => client.sessionApi.revokeSession({ sessionId }),
        ]) {
          expectOktaError(await oktaError(call()), 401, 'E0000011', 'Invalid token provided');
        }

        expect(executor.sent.map((request) => request.headers.Authorization)).toEqual(
          Array(3).fill(`SSWS ${badToken}`),
        );
        // Nothing happened to the session.
        expect(sim.state.okta?.sessions.map((s) => s.id)).toEqual([sessionId]);
      },
    );

    it('refuses createSession with a revoked API token (401 E0000011) without spending the sessionToken (docs/fidelity/okta.md#okta-api-token-auth)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const token = await sessionToken();
      const revoked = sdk({ token: REVOKED_TOKEN }).client;

      const error = await oktaError(
        revoked.sessionApi.createSession({ createSessionRequest: { sessionToken: token } }),
      );

      expectOktaError(error, 401, 'E0000011', 'Invalid token provided');
      expect(sim.state.okta?.sessions).toEqual([]);
      // The refused call did not spend the one-time sessionToken.
      await expect(
        sdk().client.sessionApi.createSession({ createSessionRequest: { sessionToken: token } }),
      ).resolves.toMatchObject({ login: 'ada@example.com' });
    });

    it('answers 403 E0000005 Invalid session to a call without an Authorization header (docs/fidelity/okta.md#okta-no-ssws-token, docs/fidelity/okta.md#okta-session-admin-auth)', async () => {
      const { sdk, sessionToken } = await org();
      const { id } = await sdk().client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;
      // No client option drops the header: the executor removes it on the wire.
      const { client, executor } = sdk({ authorization: () => null });

      const error = await oktaError(client.sessionApi.getSession({ sessionId }));
      expectOktaError(error, 403, 'E0000005', 'Invalid session');
      // Okta clears its session cookie when it answers "Invalid session"
      // (docs/fidelity/okta.md#okta-invalid-session).
      expect(error.headers.get('set-cookie')).toMatch(/^sid="";.*Max-Age=0/);
      expectOktaError(
        await oktaError(client.sessionApi.revokeSession({ sessionId })),
        403,
        'E0000005',
        'Invalid session',
      );

      expect(executor.sent).toHaveLength(2);
      for (const request of executor.sent) expect(request.headers).not.toHaveProperty('Authorization');
      // The session is untouched: a proper client still sees it.
      await expect(sdk().client.sessionApi.getSession({ sessionId })).resolves.toMatchObject({
        id: sessionId,
      });
    });

    it('answers 403 E0000005 to an Authorization header that is not "SSWS <token>" (docs/fidelity/okta.md#okta-no-ssws-token)', async () => {
      const { sdk, sessionToken } = await org();
      const { id } = await sdk().client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;
      // The bare token, as Postman's "API Key" helper sends it.
      const { client, executor } = sdk({ authorization: (value) => value.replace(/^SSWS /, '') });

      const error = await oktaError(client.sessionApi.getSession({ sessionId }));

      expectOktaError(error, 403, 'E0000005', 'Invalid session');
      expect(executor.sent.at(-1)?.headers.Authorization).toBe(API_TOKEN);
    });

    it('gets the current session by sid cookie, then 404s after closeCurrentSession (docs/fidelity/okta.md#okta-sessions-me, docs/fidelity/okta.md#okta-sessions-me-delete)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const { client, executor } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const cookie = `sid=${id}`;

      const current = await client.sessionApi.getCurrentSession({ cookie });

      expect(current).toMatchObject({ id, login: 'ada@example.com', status: 'ACTIVE' });
      // The SDK sends its SSWS header to /sessions/me as well; the simulator goes by the cookie
      // (docs/fidelity/okta.md#okta-sessions-me-ssws-ignored), so even a client with an unknown token gets
      // the session.
      expect(executor.sent.at(-1)).toMatchObject({
        method: 'GET',
        headers: { Cookie: cookie, Authorization: `SSWS ${API_TOKEN}` },
      });
      await expect(
        sdk({ token: UNKNOWN_TOKEN }).client.sessionApi.getCurrentSession({ cookie }),
      ).resolves.toMatchObject({ id });

      await expect(client.sessionApi.closeCurrentSession({ cookie })).resolves.toBeUndefined();
      expect(sim.state.okta?.sessions).toEqual([]);

      const summary = 'Not found: Resource not found: me (Session)';
      expectOktaError(
        await oktaError(client.sessionApi.getCurrentSession({ cookie })),
        404,
        'E0000007',
        summary,
      );
      expectOktaError(
        await oktaError(client.sessionApi.closeCurrentSession({ cookie })),
        404,
        'E0000007',
        summary,
      );
    });

    it('refreshes the current session by sid cookie (docs/fidelity/okta.md#okta-sessions-me, docs/fidelity/okta.md#okta-session-refresh)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const { client } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });

      sim.clock.advance('1h');
      const refreshed = await client.sessionApi.refreshCurrentSession({ cookie: `sid=${id}` });

      expect(refreshed).toMatchObject({ id, expiresAt: new Date('2026-01-01T03:00:00.000Z') });
    });

    it('rejects calls with 401 E0000011 once the API token is revoked (docs/fidelity/okta.md#okta-api-token-auth)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const { client } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;
      await expect(client.sessionApi.getSession({ sessionId })).resolves.toMatchObject({ id: sessionId });

      sim.okta.revokeApiToken('ci');

      expectOktaError(
        await oktaError(client.sessionApi.getSession({ sessionId })),
        401,
        'E0000011',
        'Invalid token provided',
      );
    });

    it('rejects a call over the sessions rate limit with 429 E0000047 and no retry (docs/fidelity/okta.md#okta-rate-limit-buckets, docs/fidelity/okta.md#okta-rate-limit-headers)', async () => {
      const { sim, sdk, sessionToken } = await org(withOkta({ rateLimits: { sessions: 2 } }));
      const { client, executor } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;
      await client.sessionApi.getSession({ sessionId });

      const error = await oktaError(client.sessionApi.getSession({ sessionId }));

      expectOktaError(error, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
      // The headers the SDK's retry logic reads: exactly one reset value, and a Date to measure it against.
      expect(error.headers.get('x-rate-limit-limit')).toBe('2');
      expect(error.headers.get('x-rate-limit-remaining')).toBe('0');
      const reset = error.headers.get('x-rate-limit-reset');
      expect(reset).toMatch(/^\d+$/);
      const resetMs = Number(reset) * 1000;
      expect(resetMs).toBeGreaterThan(sim.clock.now());
      expect(resetMs).toBeLessThanOrEqual(sim.clock.now() + 60_000);
      expect(Date.parse(error.headers.get('date'))).toBe(sim.clock.now());
      // maxRetries: 0, so the 429 came straight back: create, get, get, and no fourth request.
      expect(executor.sent.map((request) => request.method)).toEqual(['POST', 'GET', 'GET']);
      sim.clock.advance('1m');
      await expect(client.sessionApi.getSession({ sessionId })).resolves.toMatchObject({ id: sessionId });
    });

    it('ends a session the org ended: getSession answers 404 E0000007 (docs/fidelity/okta.md#okta-session-ended-server-side)', async () => {
      const { sim, sdk, sessionToken } = await org();
      const { client } = sdk();
      const { id } = await client.sessionApi.createSession({
        createSessionRequest: { sessionToken: await sessionToken() },
      });
      const sessionId = id as string;

      sim.okta.endSession(sessionId);

      expectOktaError(
        await oktaError(client.sessionApi.getSession({ sessionId })),
        404,
        'E0000007',
        `Not found: Resource not found: ${sessionId} (Session)`,
      );
    });
  });
}
