/**
 * okta-sdk-nodejs (8.1.0) driving the admin API: its UserApi, UserFactorApi, GroupApi and ApiTokenApi against
 * the simulator, in-process (msw intercepts the SDK's node-fetch) and over real HTTP (docs/okta-admin-api.md).
 *
 * Two things of the SDK shape what the simulator must answer (read from node_modules/@okta/okta-sdk-nodejs):
 * - `Collection` (src/collection.js) follows `Link: <...>; rel="next"` verbatim and stops without one, so a
 *   listing's pages are the simulator's `Link` headers;
 * - the default cache middleware (src/default-cache-middleware.js) keeps single-resource GETs under the body's
 *   `_links.self.href` and forgets a URL and its parents on any other method: these tests keep it on, as a
 *   suite would, so a stale read would show.
 * Model methods JSON-parse a 200 body (an empty one throws); `void` methods take an empty 200 or a 204
 * (src/generated/apis/UserApi.js response processors).
 */
import http from 'node:http';
import {
  Client,
  type Collection,
  DefaultRequestExecutor,
  OktaApiError,
  type User,
} from '@okta/okta-sdk-nodejs';
import { generateSync } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { setupSimulatorServer, startHttpServer } from '../../src/node/index.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import {
  API_TOKEN,
  adminScenario,
  OWNERLESS_TOKEN,
  PASSWORD,
  T0_MS,
  withOkta,
} from '../support/scenarios.ts';

// The SDK sends every request through https_proxy when one is set (src/http.js); the simulator is local.
delete process.env.https_proxy;
delete process.env.HTTPS_PROXY;

const PRISTINE_CLIENT_REQUEST = http.ClientRequest;
const NEW_PASSWORD = 'Abcd1234#@';

type ExecutorRequest = Parameters<DefaultRequestExecutor['fetch']>[0];

/** The SDK's default executor with its 429 retry off, recording the URLs it fetched. */
class RecordingExecutor extends DefaultRequestExecutor {
  readonly urls: string[] = [];

  constructor() {
    super({ maxRetries: 0, requestTimeout: 0 });
  }

  override fetch(request: ExecutorRequest) {
    // node-fetch's RequestInit has no types here; src/http.js always sets `url`.
    this.urls.push((request as unknown as { url: string }).url);
    return super.fetch(request);
  }
}

interface Org {
  sim: Simulator;
  orgUrl: string;
  /** A client with the SDK's default cache; `token` defaults to the admin's. */
  client(token?: string): { client: Client; executor: RecordingExecutor };
  /** `POST /api/v1/authn` as the SDK's own integration tests send it (SSWS attached). */
  authn(body: Record<string, unknown>): Promise<Record<string, unknown>>;
}

function useOrg(transport: 'msw' | 'http'): (scenario?: ScenarioInput) => Promise<Org> {
  const closers: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return async (scenario = adminScenario) => {
    const sim = createSimulator(scenario);
    let orgUrl: string;
    if (transport === 'msw') {
      const server = setupSimulatorServer(sim);
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
    const client = (token = API_TOKEN) => {
      const executor = new RecordingExecutor();
      return { client: new Client({ orgUrl, token, requestExecutor: executor }), executor };
    };
    const admin = client().client;
    return {
      sim,
      orgUrl,
      client,
      async authn(body) {
        // `Http#postJson` resolves to the parsed JSON answer (src/http.js), though its typings say Response.
        const request = { body } as unknown as Parameters<Client['http']['postJson']>[1];
        return (await admin.http.postJson(`${orgUrl}/api/v1/authn`, request)) as unknown as Record<
          string,
          unknown
        >;
      },
    };
  };
}

async function oktaError(promise: Promise<unknown>): Promise<OktaApiError> {
  const error = await promise.then(
    () => {
      throw new Error('Expected an OktaApiError, but the call resolved');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(OktaApiError);
  return error as OktaApiError;
}

/** Every item of a collection. */
async function all<T>(collection: Collection<T>): Promise<T[]> {
  const items: T[] = [];
  await collection.each((item) => {
    items.push(item);
  });
  return items;
}

/** A profile as okta-sdk-nodejs's own tests make one (test/utils.ts getMockProfile). */
function profile(name: string, lastName = 'okta-sdk-nodejs') {
  return { firstName: name, lastName, email: `${name}@example.org`, login: `${name}@example.org` };
}

for (const transport of ['msw', 'http'] as const) {
  describe(`okta-sdk-nodejs UserApi [${transport}]`, () => {
    const org = useOrg(transport);

    it('creates users ACTIVE with a password, STAGED without activation, PROVISIONED without credentials, and gets them by id and login (docs/fidelity/okta.md#okta-admin-create-user)', async () => {
      const { sim, client } = await org();
      const { client: okta } = client();

      const active = await okta.userApi.createUser({
        body: {
          profile: { ...profile('active'), nickName: 'Nicky', age: 33 },
          credentials: { password: { value: NEW_PASSWORD } },
        },
      });
      const staged = await okta.userApi.createUser({
        body: { profile: profile('staged'), credentials: { password: { value: NEW_PASSWORD } } },
        activate: false,
      });
      const provisioned = await okta.userApi.createUser({ body: { profile: profile('provisioned') } });
      const expired = await okta.userApi.createUser({
        body: { profile: profile('expired'), credentials: { password: { value: NEW_PASSWORD } } },
        nextLogin: 'changePassword',
      });

      expect([active.status, staged.status, provisioned.status, expired.status]).toEqual([
        'ACTIVE',
        'STAGED',
        'PROVISIONED',
        'PASSWORD_EXPIRED',
      ]);
      expect(active.id).toMatch(/^00u\w{17}$/);
      expect(active.credentials?.password).toEqual({});
      expect(provisioned.credentials?.password).toBeUndefined();
      expect(active.passwordChanged).toEqual(new Date(T0_MS));
      // An activation email went to the user without a password.
      expect(sim.okta.lastActivationToken('provisioned@example.org')).toMatch(/^\w{20}$/);

      const byId = await okta.userApi.getUser({ userId: active.id as string });
      const byLogin = await okta.userApi.getUser({ userId: 'active@example.org' });
      expect(byId.profile?.login).toBe('active@example.org');
      expect(byLogin.id).toBe(active.id);
      expect(byLogin.profile?.nickName).toBe('Nicky');
      expect((byLogin.profile as Record<string, unknown>).age).toBe(33);
      expect(byId._links?.self?.href).toMatch(new RegExp(`/api/v1/users/${active.id}$`));
    });

    it('refuses a taken login and the nextLogin combinations Okta refuses (docs/fidelity/okta.md#okta-admin-user-validation)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      const body = { profile: profile('twice'), credentials: { password: { value: NEW_PASSWORD } } };
      await okta.userApi.createUser({ body });

      const duplicate = await oktaError(okta.userApi.createUser({ body }));
      expect(duplicate).toMatchObject({
        status: 400,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: login',
      });
      expect(duplicate.errorCauses).toEqual([
        { errorSummary: 'login: An object with this field already exists in the current organization' },
      ]);
      const noPassword = await oktaError(
        okta.userApi.createUser({ body: { profile: profile('nopass') }, nextLogin: 'changePassword' }),
      );
      expect(noPassword).toMatchObject({ status: 400, errorCode: 'E0000124' });
      const notActivated = await oktaError(
        okta.userApi.createUser({ body, activate: false, nextLogin: 'changePassword' }),
      );
      expect(notActivated).toMatchObject({ status: 400, errorCode: 'E0000125' });
      const weak = await oktaError(
        okta.userApi.createUser({
          body: { profile: profile('weak'), credentials: { password: { value: 'short' } } },
        }),
      );
      expect(weak).toMatchObject({
        status: 400,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: password',
      });
      expect(weak.errorCauses?.[0]?.errorSummary).toMatch(/^password: Password requirements were not met\./);
    });

    it('pages through every user but the deprovisioned with limit, following Link headers (docs/fidelity/okta.md#okta-pagination, docs/fidelity/okta.md#okta-admin-list-users)', async () => {
      const { sim, client } = await org();
      const { client: okta, executor } = client();
      const gone = await okta.userApi.createUser({ body: { profile: profile('gone') } });
      await okta.userApi.deactivateUser({ userId: gone.id as string });
      executor.urls.length = 0;

      const users = await all(await okta.userApi.listUsers({ limit: 5 }));

      const expected = (sim.state.okta?.users ?? [])
        .filter((u) => u.status !== 'DEPROVISIONED')
        .map((u) => u.id);
      expect(users.map((user) => user.id)).toEqual(expected);
      expect(expected).toHaveLength(17);
      // 17 users, 5 a page: 4 requests, the later ones at the cursor the previous page's `next` link gave.
      expect(executor.urls).toHaveLength(4);
      expect(executor.urls[1]).toMatch(new RegExp(`/api/v1/users\\?after=${expected[4]}&limit=5$`));
    });

    it('filters and searches with and, paging by 2; q finds by name prefix (docs/fidelity/okta.md#okta-filter-search)', async () => {
      const { client } = await org();
      const { client: okta, executor } = client();
      const make = (name: string) =>
        okta.userApi.createUser({
          body: {
            profile: profile(name, 'okta-sdk-nodejs-users-filter'),
            credentials: { password: { value: NEW_PASSWORD } },
          },
        });
      const staged = await make('client-list-users-staged');
      await okta.userApi.deactivateUser({ userId: staged.id as string });
      for (const name of [
        'client-list-users',
        'client-list-users-filtered-1',
        'client-list-users-filtered-2',
      ])
        await make(name);

      for (const query of [
        { filter: 'status eq "ACTIVE" AND profile.lastName eq "okta-sdk-nodejs-users-filter"' },
        { search: 'status eq "active" and profile.lastName eq "OKTA-SDK-NODEJS-USERS-FILTER"' },
      ]) {
        executor.urls.length = 0;
        const found = await all(await okta.userApi.listUsers({ ...query, limit: 2 }));
        expect(found.map((user) => user.profile?.firstName)).toEqual([
          'client-list-users',
          'client-list-users-filtered-1',
          'client-list-users-filtered-2',
        ]);
        expect(executor.urls).toHaveLength(2);
      }
      const q = await all(await okta.userApi.listUsers({ q: 'client-list-users-filtered' }));
      expect(q.map((user) => user.profile?.firstName)).toEqual([
        'client-list-users-filtered-1',
        'client-list-users-filtered-2',
      ]);
      // filter and search include the deprovisioned user; q does not.
      const deprovisioned = await all(await okta.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' }));
      expect(deprovisioned.map((user) => user.id)).toEqual([staged.id]);
      const sorted = await all(
        await okta.userApi.listUsers({
          search: 'profile.firstName sw "client-list"',
          sortBy: 'profile.firstName',
          sortOrder: 'desc',
        }),
      );
      expect(sorted.map((user) => user.profile?.firstName)).toEqual([
        'client-list-users-staged',
        'client-list-users-filtered-2',
        'client-list-users-filtered-1',
        'client-list-users',
      ]);
    });

    it('answers a malformed or unsupported expression with 400 E0000031 (docs/fidelity/okta.md#okta-filter-search)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      for (const query of [
        { filter: 'status eq "ACTIVE" and (profile.lastName eq "x"' },
        { filter: 'profile.nickName eq "x"' },
        { filter: 'status sw "ACT"' },
        { search: 'status ne "ACTIVE"' },
        { search: 'lastUpdated gt "yesterday"' },
      ]) {
        const error = await oktaError(all(await okta.userApi.listUsers(query)));
        expect(error, JSON.stringify(query)).toMatchObject({
          status: 400,
          errorCode: 'E0000031',
          errorSummary: 'Invalid search criteria.',
        });
      }
    });

    it('updates a profile partially from the user it read, and replaces it in full (docs/fidelity/okta.md#okta-admin-update-user)', async () => {
      const { sim, client } = await org();
      const { client: okta } = client();
      const created = await okta.userApi.createUser({
        body: {
          profile: { ...profile('update'), title: 'Engineer' },
          credentials: { password: { value: NEW_PASSWORD } },
        },
        activate: false,
      });

      sim.clock.advance('1s');
      // okta-sdk-nodejs's own test sends the whole user back (test/it/user-profile-update.ts).
      (created.profile as Record<string, unknown>).nickName = 'Batman';
      const updated = await okta.userApi.updateUser({ userId: created.id as string, user: created });
      expect(updated.lastUpdated?.getTime()).toBeGreaterThan(created.lastUpdated?.getTime() ?? Infinity);
      expect((await okta.userApi.getUser({ userId: created.id as string })).profile).toMatchObject({
        nickName: 'Batman',
        title: 'Engineer',
      });

      const replaced = await okta.userApi.replaceUser({
        userId: created.id as string,
        user: { profile: { ...profile('update'), firstName: 'Replaced' } },
      });
      expect(replaced.profile).toMatchObject({ firstName: 'Replaced' });
      // The SDK's UserProfile model has every standard attribute, undefined when the JSON lacks it.
      expect(replaced.profile?.title).toBeUndefined();
      expect(replaced.profile?.nickName).toBeUndefined();
    });

    it('activates a user with a token that primary authentication accepts, up to SUCCESS (docs/fidelity/okta.md#okta-activation-token)', async () => {
      const { client, authn } = await org();
      const { client: okta } = client();
      const created = await okta.userApi.createUser({
        body: { profile: profile('welcome') },
        activate: false,
      });

      const activation = await okta.userApi.activateUser({ userId: created.id as string, sendEmail: false });
      expect(activation.activationToken).toMatch(/^\w{20}$/);
      expect(activation.activationUrl).toMatch(new RegExp(`/welcome/${activation.activationToken}$`));
      expect((await okta.userApi.getUser({ userId: created.id as string })).status).toBe('PROVISIONED');

      const reset = await authn({ token: activation.activationToken });
      expect(reset).toMatchObject({ status: 'PASSWORD_RESET', recoveryType: 'ACCOUNT_ACTIVATION' });
      const done = (await okta.http.postJson(
        ((reset._links as Record<string, { href: string }>).next as { href: string }).href,
        { body: { stateToken: reset.stateToken, newPassword: NEW_PASSWORD } } as unknown as Parameters<
          Client['http']['postJson']
        >[1],
      )) as unknown as Record<string, unknown>;
      expect(done.status).toBe('SUCCESS');
      // A fresh client: the first one cached the PROVISIONED user, and authn evicts nothing from the SDK's cache.
      const user = await client().client.userApi.getUser({ userId: created.id as string });
      expect(user.status).toBe('ACTIVE');
      expect(user.activated).toBeInstanceOf(Date);
      // The token is single use.
      expect(
        await authn({ token: activation.activationToken }).catch((error: OktaApiError) => error.errorCode),
      ).toBe('E0000004');
    });

    it('runs the lifecycle: suspend, unsuspend, expire (and its temporary password), unlock refused, reset factors (docs/fidelity/okta.md#okta-admin-lifecycle)', async () => {
      const { client, authn } = await org();
      const { client: okta } = client();
      const user = await okta.userApi.createUser({
        body: { profile: profile('life'), credentials: { password: { value: NEW_PASSWORD } } },
      });
      const userId = user.id as string;

      await expect(okta.userApi.suspendUser({ userId })).resolves.toBeUndefined();
      const suspended = await all(
        await okta.userApi.listUsers({
          filter: 'status eq "SUSPENDED" and profile.login eq "life@example.org"',
        }),
      );
      expect(suspended.map((u) => u.id)).toEqual([userId]);
      expect(await oktaError(okta.userApi.suspendUser({ userId }))).toMatchObject({
        status: 400,
        errorCode: 'E0000001',
      });
      await okta.userApi.unsuspendUser({ userId });

      const unlock = await oktaError(okta.userApi.unlockUser({ userId }));
      expect(unlock).toMatchObject({
        status: 403,
        errorCode: 'E0000032',
        errorSummary: 'Unlock is not allowed for this user.',
      });
      const activate = await oktaError(okta.userApi.activateUser({ userId, sendEmail: false }));
      expect(activate).toMatchObject({ status: 403, errorCode: 'E0000016' });

      // Read once (cached by the SDK), then expired: the expire evicts the cached user.
      expect((await okta.userApi.getUser({ userId })).status).toBe('ACTIVE');
      const expired = await okta.userApi.expirePassword({ userId });
      expect(expired.status).toBe('PASSWORD_EXPIRED');
      expect((await okta.userApi.getUser({ userId })).status).toBe('PASSWORD_EXPIRED');
      expect(await authn({ username: 'life@example.org', password: NEW_PASSWORD })).toMatchObject({
        status: 'PASSWORD_EXPIRED',
      });

      const temporary = (await okta.userApi.expirePasswordAndGetTemporaryPassword({ userId })) as unknown as {
        tempPassword?: string;
      };
      // The SDK types the answer User, which has no tempPassword; the JSON carries it, as Okta's does.
      expect(temporary).toBeDefined();
      expect(await okta.userApi.resetFactors({ userId })).toBeUndefined();
      const reactivate = await oktaError(okta.userApi.reactivateUser({ userId }));
      expect(reactivate).toMatchObject({ status: 403, errorCode: 'E0000038' });
    });

    it('deletes in two steps: the first DELETE deactivates, the second deletes; then 404 (docs/fidelity/okta.md#okta-admin-delete-user)', async () => {
      const { client, authn } = await org();
      const { client: okta } = client();
      const user = await okta.userApi.createUser({
        body: { profile: profile('doomed'), credentials: { password: { value: NEW_PASSWORD } } },
      });
      const userId = user.id as string;
      expect(await authn({ username: 'doomed@example.org', password: NEW_PASSWORD })).toMatchObject({
        status: 'SUCCESS',
      });

      await expect(okta.userApi.deleteUser({ userId })).resolves.toBeUndefined();
      expect((await okta.userApi.getUser({ userId: 'doomed@example.org' })).status).toBe('DEPROVISIONED');
      expect(
        await authn({ username: 'doomed@example.org', password: NEW_PASSWORD }).catch(
          (e: OktaApiError) => e.errorCode,
        ),
      ).toBe('E0000004');
      await okta.userApi.deleteUser({ userId });

      const error = await oktaError(okta.userApi.getUser({ userId: 'doomed@example.org' }));
      expect(error).toMatchObject({
        status: 404,
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: doomed@example.org (User)',
      });
      expect(error.message).toContain('Okta HTTP 404');
    });

    it('changes the password and the recovery question, and sets a new password by the answer (docs/fidelity/okta.md#okta-admin-change-password, docs/fidelity/okta.md#okta-admin-forgot-password)', async () => {
      const { sim, client, authn } = await org();
      const { client: okta } = client();
      const created = await okta.userApi.createUser({
        body: { profile: profile('creds'), credentials: { password: { value: NEW_PASSWORD } } },
      });
      const userId = created.id as string;

      const wrong = await oktaError(
        okta.userApi.changePassword({
          userId,
          changePasswordRequest: { oldPassword: { value: 'nope' }, newPassword: { value: '1234Abcd@#' } },
        }),
      );
      expect(wrong).toMatchObject({
        status: 403,
        errorCode: 'E0000014',
        errorSummary: 'Update of credentials failed',
      });
      expect(wrong.errorCauses).toEqual([
        { errorSummary: 'oldPassword: The credentials provided were incorrect.' },
      ]);

      sim.clock.advance('1s');
      const credentials = await okta.userApi.changePassword({
        userId,
        changePasswordRequest: { oldPassword: { value: NEW_PASSWORD }, newPassword: { value: '1234Abcd@#' } },
      });
      expect(credentials.provider?.type).toBe('OKTA');
      const changed = await okta.userApi.getUser({ userId });
      expect(changed.passwordChanged?.getTime()).toBeGreaterThan(
        created.passwordChanged?.getTime() ?? Infinity,
      );

      const question = await okta.userApi.changeRecoveryQuestion({
        userId,
        userCredentials: {
          password: { value: '1234Abcd@#' },
          recovery_question: { question: 'How many roads must a man walk down?', answer: 'forty two' },
        },
      });
      expect(question.recovery_question?.question).toBe('How many roads must a man walk down?');
      const link = await okta.userApi.forgotPassword({ userId, sendEmail: false });
      expect(link.resetPasswordUrl).toMatch(/\/signin\/reset-password\/\w{20}$/);
      await okta.userApi.forgotPasswordSetNewPassword({
        userId,
        userCredentials: { password: { value: '1234Abcd#@$' }, recovery_question: { answer: 'forty two' } },
      });
      expect(await authn({ username: 'creds@example.org', password: '1234Abcd#@$' })).toMatchObject({
        status: 'SUCCESS',
      });
    });

    it('hands out a reset link; the user is in RECOVERY until the token resets the password (docs/fidelity/okta.md#okta-admin-reset-password)', async () => {
      const { client, authn } = await org();
      const { client: okta } = client();
      const created = await okta.userApi.createUser({
        body: { profile: profile('reset'), credentials: { password: { value: NEW_PASSWORD } } },
      });

      const reset = await okta.userApi.generateResetPasswordToken({
        userId: created.id as string,
        sendEmail: false,
      });

      expect(reset.resetPasswordUrl).toMatch(/\/reset_password\/\w{20}$/);
      expect((await okta.userApi.getUser({ userId: created.id as string })).status).toBe('RECOVERY');
      expect(
        await authn({ username: 'reset@example.org', password: NEW_PASSWORD }).catch(
          (e: OktaApiError) => e.errorCode,
        ),
      ).toBe('E0000004');
    });

    it('ends every session of a user (docs/fidelity/okta.md#okta-admin-user-sessions)', async () => {
      const { client, authn } = await org();
      const { client: okta } = client();
      const sessions = [];
      for (let i = 0; i < 2; i++) {
        const { sessionToken } = await authn({ username: 'ada@example.com', password: PASSWORD });
        sessions.push(
          await okta.sessionApi.createSession({
            createSessionRequest: { sessionToken: sessionToken as string },
          }),
        );
      }

      await expect(
        okta.userApi.revokeUserSessions({ userId: sessions[0]?.userId as string }),
      ).resolves.toBeUndefined();

      for (const session of sessions) {
        expect(
          await oktaError(okta.sessionApi.getSession({ sessionId: session.id as string })),
        ).toMatchObject({ status: 404 });
      }
    });

    it("answers /users/me with the API token's owner, and 404 for a token without one (docs/fidelity/okta.md#okta-users-me-api-token)", async () => {
      const { client } = await org();

      const me = await client().client.userApi.getUser({ userId: 'me' });
      expect(me.profile?.login).toBe('admin@example.com');
      const error = await oktaError(client(OWNERLESS_TOKEN).client.userApi.getUser({ userId: 'me' }));
      expect(error).toMatchObject({
        status: 404,
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: me (User)',
      });
    });

    it('counts list and create, reads by id, and writes by id in their own rate-limit buckets (docs/fidelity/okta.md#okta-admin-rate-limits)', async () => {
      const { client } = await org(withOkta({ ...adminScenario.okta, rateLimits: { users: 2, user: 5 } }));
      const { client: okta } = client();
      await all(await okta.userApi.listUsers({ limit: 200 }));
      await okta.userApi.createUser({ body: { profile: profile('rl') } });

      const error = await oktaError(all(await okta.userApi.listUsers()));
      expect(error).toMatchObject({ status: 429, errorCode: 'E0000047' });
      expect(error.headers.get('x-rate-limit-limit')).toBe('2');
      const user = await okta.userApi.getUser({ userId: 'rl@example.org' });
      expect(user.status).toBe('PROVISIONED');
    });
  });

  describe(`okta-sdk-nodejs UserFactorApi [${transport}]`, () => {
    const org = useOrg(transport);

    async function newUser(okta: Client, name: string): Promise<User> {
      return okta.userApi.createUser({
        body: { profile: profile(name), credentials: { password: { value: NEW_PASSWORD } } },
      });
    }

    it('enrolls a question (ACTIVE at once) and verifies its answer; a wrong answer is 403 E0000068 (docs/fidelity/okta.md#okta-admin-factor-verify)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      const user = await newUser(okta, 'question');
      const userId = user.id as string;

      const factor = await okta.userFactorApi.enrollFactor({
        userId,
        body: {
          factorType: 'question',
          provider: 'OKTA',
          profile: { question: 'disliked_food', answer: 'pizza' },
        } as never,
      });
      expect(factor).toMatchObject({ factorType: 'question', provider: 'OKTA', status: 'ACTIVE' });

      const verified = await okta.userFactorApi.verifyFactor({
        userId,
        factorId: factor.id as string,
        body: { answer: 'pizza' },
      });
      expect(verified.factorResult).toBe('SUCCESS');
      const wrong = await oktaError(
        okta.userFactorApi.verifyFactor({ userId, factorId: factor.id as string, body: { answer: 'kale' } }),
      );
      expect(wrong).toMatchObject({
        status: 403,
        errorCode: 'E0000068',
        errorSummary: 'Invalid Passcode/Answer',
      });
    });

    it('enrolls TOTP pending with a shared secret and activates it with the current code; the next sign-in asks for it (docs/fidelity/okta.md#okta-admin-factor-activate)', async () => {
      const { sim, client, authn } = await org();
      const { client: okta } = client();
      const user = await newUser(okta, 'totp-admin');
      const userId = user.id as string;

      const factor = await okta.userFactorApi.enrollFactor({
        userId,
        body: { factorType: 'token:software:totp', provider: 'OKTA' },
      });
      expect(factor.status).toBe('PENDING_ACTIVATION');
      const secret = (factor._embedded as { activation: { sharedSecret: string } }).activation.sharedSecret;
      const passCode = generateSync({ secret, epoch: Math.floor(sim.clock.now() / 1000) });
      const activated = await okta.userFactorApi.activateFactor({
        userId,
        factorId: factor.id as string,
        body: { passCode } as never,
      });
      expect(activated.factorType).toBe('token:software:totp');
      expect((await okta.userFactorApi.getFactor({ userId, factorId: factor.id as string })).status).toBe(
        'ACTIVE',
      );

      expect(await authn({ username: 'totp-admin@example.org', password: NEW_PASSWORD })).toMatchObject({
        status: 'MFA_REQUIRED',
      });
    });

    it('enrolls sms and call, lists them (active first), activates sms with the sent code, and unenrolls (docs/fidelity/okta.md#okta-admin-factor-enroll, docs/fidelity/okta.md#okta-admin-factor-order)', async () => {
      const { sim, client } = await org();
      const { client: okta } = client();
      const user = await newUser(okta, 'phones');
      const userId = user.id as string;

      // okta-sdk-nodejs's own test number, with its invisible formatting character (test/it/factor-create.ts).
      const call = await okta.userFactorApi.enrollFactor({
        userId,
        body: {
          factorType: 'call',
          provider: 'OKTA',
          profile: { phoneNumber: '162 840 01133\u202c' },
        } as never,
      });
      const question = await okta.userFactorApi.enrollFactor({
        userId,
        body: {
          factorType: 'question',
          provider: 'OKTA',
          profile: { question: 'favorite_art_piece', answer: 'starry night' },
        } as never,
      });
      expect(call.profile).toEqual({ phoneNumber: '+16284001133' });
      const listed = await all(await okta.userFactorApi.listFactors({ userId }));
      expect(listed.map((f) => f.id)).toEqual([question.id, call.id]);

      const sms = await okta.userFactorApi.enrollFactor({
        userId,
        body: { factorType: 'sms', provider: 'OKTA', profile: { phoneNumber: '+14155550100' } } as never,
      });
      const code = sim.okta.lastPassCode('phones@example.org');
      const wrong = await oktaError(
        okta.userFactorApi.activateFactor({
          userId,
          factorId: sms.id as string,
          body: { passCode: '000000' } as never,
        }),
      );
      expect(wrong).toMatchObject({ status: 403, errorCode: 'E0000068' });
      const active = await okta.userFactorApi.activateFactor({
        userId,
        factorId: sms.id as string,
        body: { passCode: code } as never,
      });
      expect(active).toMatchObject({ status: 'ACTIVE' });

      await expect(
        okta.userFactorApi.unenrollFactor({ userId, factorId: call.id as string }),
      ).resolves.toBeUndefined();
      const gone = await oktaError(okta.userFactorApi.getFactor({ userId, factorId: call.id as string }));
      expect(gone).toMatchObject({ status: 404, errorCode: 'E0000007' });
    });

    it('refuses an unknown provider and a factor the simulator does not play with the causes okta-sdk-nodejs expects (docs/fidelity/okta.md#okta-admin-factor-enroll)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      const userId = (await newUser(okta, 'refused')).id as string;

      const invalid = await oktaError(
        okta.userFactorApi.enrollFactor({
          userId,
          body: { factorType: 'push', provider: 'UNSUPPORTED_PROVIDER' } as never,
        }),
      );
      expect(invalid.errorCauses?.[0]?.errorSummary).toBe('Invalid Provider.');
      const disabled = await oktaError(
        okta.userFactorApi.enrollFactor({
          userId,
          body: { factorType: 'push', provider: 'YUBICO' } as never,
        }),
      );
      expect(disabled).toMatchObject({
        status: 400,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: factorEnrollRequest',
      });
      expect(disabled.errorCauses?.[0]?.errorSummary).toBe('Factor not enabled.');
    });

    it('lists the factor catalog and the security questions (docs/fidelity/okta.md#okta-admin-factors)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      const userId = (await newUser(okta, 'catalog')).id as string;

      const catalog = await all(await okta.userFactorApi.listSupportedFactors({ userId }));
      expect(catalog.map((f) => `${f.factorType}/${f.provider}`)).toContain('question/OKTA');
      expect(catalog.every((f) => f.status === 'NOT_SETUP')).toBe(true);
      const questions = await all(await okta.userFactorApi.listSupportedSecurityQuestions({ userId }));
      expect(questions).toHaveLength(20);
      expect(questions[0]).toMatchObject({ question: 'disliked_food' });
    });

    it('verifies a push: 201 WAITING, then the poll sees it approved (docs/fidelity/okta.md#okta-admin-factor-verify)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      const userId = (await okta.userApi.getUser({ userId: 'push@example.com' })).id as string;
      const push = (await all(await okta.userFactorApi.listFactors({ userId })))[0];

      const waiting = await okta.userFactorApi.verifyFactor({ userId, factorId: push?.id as string });
      expect(waiting.factorResult).toBe('WAITING');
      const poll = (waiting._links as { poll: { href: string } }).poll.href;
      const transactionId = poll.split('/').at(-1) as string;
      // The scenario's push is approved on the second poll.
      const first = await okta.userFactorApi.getFactorTransactionStatus({
        userId,
        factorId: push?.id as string,
        transactionId,
      });
      const second = await okta.userFactorApi.getFactorTransactionStatus({
        userId,
        factorId: push?.id as string,
        transactionId,
      });
      expect([first.factorResult, second.factorResult]).toEqual(['WAITING', 'SUCCESS']);
    });
  });

  describe(`okta-sdk-nodejs GroupApi [${transport}]`, () => {
    const org = useOrg(transport);

    it('creates, gets, renames and deletes a group; then 404 (docs/fidelity/okta.md#okta-admin-groups)', async () => {
      const { client } = await org();
      const { client: okta } = client();

      const group = await okta.groupApi.createGroup({
        group: { profile: { name: 'node-sdk: Get test Group' } },
      });
      expect(group).toMatchObject({ type: 'OKTA_GROUP', profile: { name: 'node-sdk: Get test Group' } });
      expect((await okta.groupApi.getGroup({ groupId: group.id as string })).profile?.name).toBe(
        'node-sdk: Get test Group',
      );
      group.profile = { name: 'Update Test Group - Updated', description: 'Description updated' };
      // The group as read, sent back whole as okta-sdk-nodejs's own test does (test/it/group-update.ts).
      const updated = await okta.groupApi.replaceGroup({
        groupId: group.id as string,
        group: group as never,
      });
      expect(updated.profile).toEqual({
        name: 'Update Test Group - Updated',
        description: 'Description updated',
      });

      await expect(okta.groupApi.deleteGroup({ groupId: group.id as string })).resolves.toBeUndefined();
      const error = await oktaError(okta.groupApi.getGroup({ groupId: group.id as string }));
      expect(error.message).toContain('Okta HTTP 404');
    });

    it('adds and removes members, as listGroupUsers and listUserGroups show (docs/fidelity/okta.md#okta-admin-groups)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      const user = await okta.userApi.createUser({ body: { profile: profile('member') }, activate: false });
      const group = await okta.groupApi.createGroup({
        group: { profile: { name: 'node-sdk: GroupMember' } },
      });
      const groupId = group.id as string;
      const userId = user.id as string;

      await okta.groupApi.assignUserToGroup({ groupId, userId });
      expect((await all(await okta.groupApi.listGroupUsers({ groupId }))).map((u) => u.id)).toEqual([userId]);
      const groups = await all(await okta.userApi.listUserGroups({ userId }));
      expect(groups.map((g) => g.profile?.name)).toEqual(['Everyone', 'node-sdk: GroupMember']);
      await okta.groupApi.unassignUserFromGroup({ groupId, userId });
      expect(await all(await okta.groupApi.listGroupUsers({ groupId }))).toEqual([]);

      const everyone = groups[0]?.id as string;
      const builtIn = await oktaError(okta.groupApi.deleteGroup({ groupId: everyone }));
      expect(builtIn).toMatchObject({ status: 403, errorCode: 'E0000006' });
    });

    it('pages groups by limit, finds them by q and by search (docs/fidelity/okta.md#okta-admin-list-groups)', async () => {
      const { client } = await org();
      const { client: okta, executor } = client();
      for (const prefix of ['GROUP_AB', 'GROUP_XY'])
        for (const i of [0, 1])
          await okta.groupApi.createGroup({
            group: { profile: { name: `node-sdk: Search ${prefix} ${i}` } },
          });
      executor.urls.length = 0;

      const paged = await all(await okta.groupApi.listGroups({ limit: 2 }));
      expect(paged.map((g) => g.profile?.name)).toEqual([
        'Everyone',
        'node-sdk: Search GROUP_AB 0',
        'node-sdk: Search GROUP_AB 1',
        'node-sdk: Search GROUP_XY 0',
        'node-sdk: Search GROUP_XY 1',
      ]);
      expect(executor.urls).toHaveLength(3);
      const q = await all(await okta.groupApi.listGroups({ q: 'node-sdk: Search GROUP_AB' }));
      expect(q).toHaveLength(2);
      const search = await all(
        await okta.groupApi.listGroups({ search: 'profile.name sw "node-sdk: Search GROUP_XY"' }),
      );
      expect(search.map((g) => g.profile?.name)).toEqual([
        'node-sdk: Search GROUP_XY 0',
        'node-sdk: Search GROUP_XY 1',
      ]);
    });
  });

  describe(`okta-sdk-nodejs ApiTokenApi [${transport}]`, () => {
    const org = useOrg(transport);

    it('lists the active tokens and gets one by id, never with its secret (docs/fidelity/okta.md#okta-admin-api-tokens)', async () => {
      const { sim, client } = await org();
      const { client: okta } = client();

      const tokens = await okta.apiTokenApi.listApiTokens();
      const { value } = await tokens.next();
      const token = await okta.apiTokenApi.getApiToken({ apiTokenId: value?.id as string });

      expect(token.name).toBe('ci');
      expect(token.userId).toBe(sim.state.okta?.users.find((u) => u.login === 'admin@example.com')?.id);
      expect(JSON.stringify(token)).not.toContain(API_TOKEN);
      expect((await all(await okta.apiTokenApi.listApiTokens())).map((t) => t.name)).toEqual([
        'ci',
        'ownerless',
      ]);
    });

    it('revokes a token by id and the current one: both then answer 401 E0000011 (docs/fidelity/okta.md#okta-admin-api-tokens)', async () => {
      const { client } = await org();
      const { client: okta } = client();
      const ownerless = (await all(await okta.apiTokenApi.listApiTokens())).find(
        (t) => t.name === 'ownerless',
      );

      await expect(
        okta.apiTokenApi.revokeApiToken({ apiTokenId: ownerless?.id as string }),
      ).resolves.toBeUndefined();
      const revoked = await oktaError(
        client(OWNERLESS_TOKEN).client.userApi.getUser({ userId: 'ada@example.com' }),
      );
      expect(revoked).toMatchObject({
        status: 401,
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
      });

      await expect(okta.apiTokenApi.revokeCurrentApiToken()).resolves.toBeUndefined();
      const self = await oktaError(client().client.userApi.getUser({ userId: 'ada@example.com' }));
      expect(self).toMatchObject({ status: 401, errorCode: 'E0000011' });
    });
  });
}
