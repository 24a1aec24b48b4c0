import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../../src/scenario/schema.ts';
import type { Harness, Reply } from '../../support/harness.ts';
import { expectOktaError, follow, signIn } from '../../support/okta.ts';
import { adminScenario, OWNERLESS_TOKEN, SSWS, T0, withOkta } from '../../support/scenarios.ts';

type Make = (scenario: ScenarioInput) => Promise<Harness>;

const NEW_PASSWORD = 'Abcd1234#@';

/** The `Link` header lines of a reply (fetch joins repeated lines with ", "). */
function links(reply: Reply): Record<string, string> {
  const header = reply.headers.get('link') ?? '';
  const found: Record<string, string> = {};
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^<([^>]+)>;\s*rel="(\w+)"$/.exec(part.trim());
    if (match) found[match[2] as string] = match[1] as string;
  }
  return found;
}

async function createUser(h: Harness, login: string, extra: Record<string, unknown> = {}, query = '') {
  const reply = await h.post(
    `/api/v1/users${query}`,
    {
      profile: { firstName: login.split('@')[0], lastName: 'Tester', email: login, login, ...extra },
      credentials: { password: { value: NEW_PASSWORD } },
    },
    SSWS,
  );
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

async function logins(h: Harness, query: string): Promise<string[]> {
  const reply = await h.get(`/api/v1/users?${query}`, SSWS);
  expect(reply.status, reply.text).toBe(200);
  return reply.body.map((user: { profile: { login: string } }) => user.profile.login);
}

/**
 * The admin API with raw requests (docs/fidelity/okta.md#okta-admin-api): pagination headers, filter and
 * search expressions, the user object, lifecycle answers, hostile input.
 */
export function adminContract(harness: Make): void {
  describe('admin API: users', () => {
    it('creates a user with 200 and the user object, links by status (docs/fidelity/okta.md#okta-admin-user-object, docs/fidelity/okta.md#okta-admin-user-links)', async () => {
      const h = await harness(adminScenario);
      const body = await createUser(h, 'new@example.org', { mobilePhone: '555-415-1337' }, '?activate=false');
      const self = `${h.base}/api/v1/users/${body.id}`;
      expect(body).toEqual({
        id: expect.stringMatching(/^00u\w{17}$/),
        status: 'STAGED',
        created: T0,
        activated: null,
        statusChanged: null,
        lastLogin: null,
        lastUpdated: T0,
        passwordChanged: T0,
        type: { id: expect.stringMatching(/^oty\w+$/) },
        profile: {
          firstName: 'new',
          lastName: 'Tester',
          mobilePhone: '555-415-1337',
          secondEmail: null,
          login: 'new@example.org',
          email: 'new@example.org',
        },
        credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
        _links: {
          activate: { href: `${self}/lifecycle/activate`, method: 'POST' },
          deactivate: { href: `${self}/lifecycle/deactivate`, method: 'POST' },
          self: { href: self },
        },
      });
      const activated = await h.post(
        `/api/v1/users/${body.id}/lifecycle/activate?sendEmail=true`,
        undefined,
        SSWS,
      );
      expect(activated.status).toBe(200);
      expect(activated.body).toEqual({});
      const user = (await h.get(`/api/v1/users/${body.id}`, SSWS)).body;
      expect(Object.keys(user._links)).toEqual([
        'suspend',
        'resetPassword',
        'expirePassword',
        'changeRecoveryQuestion',
        'deactivate',
        'changePassword',
        'self',
      ]);
      // Every link a user publishes is an operation the simulator answers.
      for (const [rel, link] of Object.entries(user._links) as [string, { href: string }][]) {
        if (rel === 'self') continue;
        const answer = await h.post(new URL(link.href).pathname, undefined, SSWS);
        expect([200, 204, 400, 403], `${rel} ${answer.text}`).toContain(answer.status);
        expect(answer.body?.errorCode, rel).not.toBe('E0000008');
      }
    });

    it('pages with limit and after, Link self and next as absolute URLs, no next on the last page (docs/fidelity/okta.md#okta-pagination)', async () => {
      const h = await harness(adminScenario);
      const first = await h.get('/api/v1/users?limit=10', SSWS);
      const ids = first.body.map((user: { id: string }) => user.id);
      expect(ids).toHaveLength(10);
      expect(links(first)).toEqual({
        self: `${h.base}/api/v1/users?limit=10`,
        next: `${h.base}/api/v1/users?after=${ids[9]}&limit=10`,
      });
      const next = new URL(links(first).next as string);
      const second = await h.get(next.pathname + next.search, SSWS);
      expect(second.body).toHaveLength(7);
      expect(links(second)).toEqual({ self: `${h.base}${next.pathname}${next.search}` });
      // The cursor keeps its place when the record it names is deleted meanwhile.
      await h.del(`/api/v1/users/${ids[9]}`, SSWS);
      await h.del(`/api/v1/users/${ids[9]}`, SSWS);
      const after = await h.get(next.pathname + next.search, SSWS);
      expect(after.body.map((user: { id: string }) => user.id)).toEqual(
        second.body.map((user: { id: string }) => user.id),
      );
      // A query string keeps its other parameters in the next link.
      const filtered = await h.get(
        `/api/v1/users?filter=${encodeURIComponent('status eq "ACTIVE"')}&limit=3`,
        SSWS,
      );
      const nextFiltered = new URL(links(filtered).next as string);
      expect(nextFiltered.searchParams.get('filter')).toBe('status eq "ACTIVE"');
      expect(nextFiltered.searchParams.get('limit')).toBe('3');
    });

    it('caps limit at 200 and refuses a limit or cursor that is not one with 400 E0000029 (docs/fidelity/okta.md#okta-admin-input-bounds)', async () => {
      const h = await harness(adminScenario);
      const big = await h.get('/api/v1/users?limit=100000', SSWS);
      expect(big.status).toBe(200);
      expect(links(big).next).toBeUndefined();
      for (const query of [
        'limit=0',
        'limit=-1',
        'limit=abc',
        'limit=1.5',
        'after=00unknown',
        `after=${'x'.repeat(300)}`,
      ]) {
        expectOktaError(
          await h.get(`/api/v1/users?${query}`, SSWS),
          400,
          'E0000029',
          'Invalid paging request.',
        );
      }
      for (const path of ['/api/v1/groups?limit=0', '/api/v1/groups/00gnone/users?limit=x']) {
        expect((await h.get(path, SSWS)).body.errorCode).toBe('E0000029');
      }
    });

    it('leaves DEPROVISIONED users out of plain lists and q, not out of filter and search (docs/fidelity/okta.md#okta-admin-list-users)', async () => {
      const h = await harness(adminScenario);
      const gone = await createUser(h, 'gone@example.org');
      await h.post(`/api/v1/users/${gone.id}/lifecycle/deactivate`, undefined, SSWS);
      expect(await logins(h, 'limit=200')).not.toContain('gone@example.org');
      expect(await logins(h, 'q=gone')).toEqual([]);
      expect(await logins(h, `filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`)).toEqual([
        'gone@example.org',
      ]);
      expect(await logins(h, `search=${encodeURIComponent('profile.login sw "gone"')}`)).toEqual([
        'gone@example.org',
      ]);
    });

    it('evaluates filter and search expressions (docs/fidelity/okta.md#okta-filter-search)', async () => {
      const h = await harness(adminScenario);
      await createUser(h, 'ann@example.org', {
        department: 'Engineering',
        costCenter: 'R&D',
        tags: ['blue', 'green'],
      });
      h.sim.clock.advance('1h');
      await createUser(h, 'bob@example.org', { department: 'Sales', title: 'Boss' });
      const cases: [string, string[]][] = [
        ['filter=profile.login eq "ann@example.org"', ['ann@example.org']],
        ['filter=profile.login eq "ANN@example.org"', []],
        [
          'filter=profile.lastName eq "Tester" and lastUpdated gt "2026-01-01T00:30:00.000Z"',
          ['bob@example.org'],
        ],
        [
          'filter=lastUpdated lt "2026-01-01T00:30:00Z" AND profile.lastName eq "Tester"',
          ['ann@example.org'],
        ],
        [
          'filter=(profile.login eq "ann@example.org" or profile.login eq "bob@example.org") and status eq "ACTIVE"',
          ['ann@example.org', 'bob@example.org'],
        ],
        ['search=profile.department eq "engineering"', ['ann@example.org']],
        ['search=profile.department sw "SAL"', ['bob@example.org']],
        ['search=profile.title pr', ['bob@example.org']],
        ['search=profile.tags eq "green"', ['ann@example.org']],
        ['search=profile.email co "nn@ex"', ['ann@example.org']],
        [
          'search=profile.costCenter eq "R&D" or profile.department eq "Sales"',
          ['ann@example.org', 'bob@example.org'],
        ],
        ['search=profile.lastName eq "Tester" and not (profile.department eq "Sales")', ['ann@example.org']],
        [
          'search=created ge "2026-01-01T01:00:00.000Z" and profile.lastName eq "Tester"',
          ['bob@example.org'],
        ],
        [
          'search=profile.lastName eq "Tester" and (status lt "STAGED" or status gt "STAGED")',
          ['ann@example.org', 'bob@example.org'],
        ],
        ['search=profile.department eq "Sales\\" or 1"', []],
      ];
      for (const [query, expected] of cases) {
        const [name, expression] = query.split(/=(.*)/s) as [string, string];
        expect(await logins(h, `${name}=${encodeURIComponent(expression)}`), query).toEqual(expected);
      }
    });

    it('answers a malformed, unsupported or oversized expression with 400 E0000031 and never a 500 (docs/fidelity/okta.md#okta-filter-search, docs/fidelity/okta.md#okta-admin-input-bounds)', async () => {
      const h = await harness(adminScenario);
      const deep = `${'('.repeat(40)}status eq "ACTIVE"${')'.repeat(40)}`;
      const many = Array.from({ length: 300 }, (_, i) => `id eq "00u${i}"`).join(' or ');
      const cases = [
        ['filter', 'status eq "ACTIVE'],
        ['filter', 'status eq'],
        ['filter', 'status equals "ACTIVE"'],
        ['filter', 'status eq ACTIVE'],
        ['filter', 'status eq "ACTIVE" and'],
        ['filter', '(status eq "ACTIVE"'],
        ['filter', 'status eq "ACTIVE")'],
        ['filter', 'profile.department eq "x"'],
        ['filter', 'not (status eq "ACTIVE")'],
        ['filter', 'status sw "A"'],
        ['filter', 'lastUpdated gt "not a date"'],
        ['filter', 'lastUpdated gt "2026-13-45T00:00:00Z"'],
        ['filter', 'status eq "ACTIVE" ; drop'],
        ['filter', ''],
        ['search', 'status ne "ACTIVE"'],
        ['search', 'profile.department co "x"'],
        ['search', 'created sw "2026"'],
        ['search', 'password eq "x"'],
        ['search', 'profile.x eq "\\q"'],
        ['search', deep],
        ['search', many],
        ['search', `profile.x eq "${'a'.repeat(5000)}"`],
      ];
      for (const [name, expression] of cases) {
        const reply = await h.get(`/api/v1/users?${name}=${encodeURIComponent(expression as string)}`, SSWS);
        expectOktaError(reply, 400, 'E0000031', 'Invalid search criteria.');
      }
      expectOktaError(
        await h.get(`/api/v1/groups?search=${encodeURIComponent('profile.name eq')}`, SSWS),
        400,
        'E0000031',
      );
    });

    it('bounds profile attributes, names and password length with 400 E0000001 and changes nothing (docs/fidelity/okta.md#okta-admin-input-bounds, docs/fidelity/okta.md#okta-admin-user-validation)', async () => {
      const h = await harness(adminScenario);
      const count = h.sim.state.okta?.users.length;
      const base = { firstName: 'F', lastName: 'L', email: 'b@example.org', login: 'b@example.org' };
      const attributes = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, 'x']));
      const cases: [Record<string, unknown>, string][] = [
        [{ profile: { ...base, login: `${'l'.repeat(95)}@example.org` } }, 'login'],
        [{ profile: { ...base, login: 'not-an-email' } }, 'login'],
        [{ profile: { ...base, firstName: 'f'.repeat(51) } }, 'firstName'],
        [{ profile: { ...base, firstName: '' } }, 'firstName'],
        [{ profile: { ...base, email: 'nope' } }, 'email'],
        [{ profile: { ...base, nickName: 'n'.repeat(1025) } }, 'nickName'],
        [{ profile: { ...base, tags: Array.from({ length: 101 }, () => 't') } }, 'tags'],
        [{ profile: { ...base, 'bad name': 'x' } }, 'bad name'],
        [{ profile: { ...base, ...attributes } }, 'profile'],
        [{ profile: base, credentials: { password: { value: `Aa1${'x'.repeat(70)}` } } }, 'password'],
        [
          { profile: base, credentials: { recovery_question: { question: 'Q?', answer: 'no' } } },
          'recovery_question',
        ],
        [{ profile: base, groupIds: ['00gnothere'] }, 'groupIds'],
      ];
      for (const [body, field] of cases) {
        const reply = await h.post('/api/v1/users', body, SSWS);
        expectOktaError(reply, 400, 'E0000001', `Api validation failed: ${field}`);
      }
      const mistyped = await h.post('/api/v1/users', { profile: { ...base, nested: { a: 1 } } }, SSWS);
      expectOktaError(mistyped, 400, 'E0000003');
      expectOktaError(await h.post('/api/v1/users', { profile: 'x' }, SSWS), 400, 'E0000003');
      expectOktaError(
        await h.post(
          '/api/v1/users',
          { profile: base, groupIds: Array.from({ length: 101 }, (_, i) => `00g${i}`) },
          SSWS,
        ),
        400,
        'E0000093',
        'Target count limit exceeded',
      );
      expect(h.sim.state.okta?.users.length).toBe(count);
      // Attribute names that are also names of every JavaScript object are plain attributes.
      const inherited = { constructor: 'c', toString: 't', hasOwnProperty: 'h', valueOf: 'v' };
      const odd = await h.post('/api/v1/users', { profile: { ...base, ...inherited } }, SSWS);
      expect(odd.status, odd.text).toBe(200);
      expect(odd.body.profile).toMatchObject(inherited);
      const found = await h.get(
        `/api/v1/users?search=${encodeURIComponent('profile.constructor eq "c"')}`,
        SSWS,
      );
      expect(found.body.map((u: { id: string }) => u.id)).toEqual([odd.body.id]);
    });

    it('answers /users/me for a sid cookie and for an API token, and limits it per user (docs/fidelity/okta.md#okta-users-me-api-token, docs/fidelity/okta.md#okta-admin-rate-limits)', async () => {
      const h = await harness(withOkta({ ...adminScenario.okta, rateLimits: { usersMe: 3 } }));
      const signed = await signIn(h, 'ada@example.com');
      const session = await h.post('/api/v1/sessions', { sessionToken: signed.body.sessionToken }, SSWS);
      const cookie = { Cookie: `sid=${session.body.id}` };

      expect((await h.get('/api/v1/users/me', cookie)).body.profile.login).toBe('ada@example.com');
      const owner = await h.get('/api/v1/users/me', SSWS);
      expect(owner.body.profile.login).toBe('admin@example.com');
      expect(owner.headers.get('x-rate-limit-limit')).toBe('3');
      // The token's owner wins over the cookie.
      expect((await h.get('/api/v1/users/me', { ...SSWS, ...cookie })).body.profile.login).toBe(
        'admin@example.com',
      );
      expectOktaError(
        await h.get('/api/v1/users/me', { Authorization: `SSWS ${OWNERLESS_TOKEN}` }),
        404,
        'E0000007',
        'Not found: Resource not found: me (User)',
      );
      // ada's window had 1 request, the admin's 2: one more each is the last.
      await h.get('/api/v1/users/me', cookie);
      await h.get('/api/v1/users/me', cookie);
      expectOktaError(await h.get('/api/v1/users/me', cookie), 429, 'E0000047');
      expect((await h.get('/api/v1/users/me', SSWS)).status).toBe(200);
      h.sim.clock.advance('10s');
      expect((await h.get('/api/v1/users/me', cookie)).status).toBe(200);
    });

    it('keeps the cookie-only /users/me under quirks.usersMeWithApiToken session (docs/fidelity/okta.md#okta-users-me-api-token)', async () => {
      const h = await harness(
        withOkta({ ...adminScenario.okta, quirks: { usersMeWithApiToken: 'session' } }),
      );
      expectOktaError(await h.get('/api/v1/users/me', SSWS), 403, 'E0000005', 'Invalid session');
    });

    it('puts each admin endpoint in its rate-limit bucket (docs/fidelity/okta.md#okta-admin-rate-limits)', async () => {
      const h = await harness(adminScenario);
      const user = await createUser(h, 'bucket@example.org');
      const group = await h.post('/api/v1/groups', { profile: { name: 'Bucket' } }, SSWS);
      const limits = {
        users: (await h.get('/api/v1/users', SSWS)).headers.get('x-rate-limit-limit'),
        user: (await h.get(`/api/v1/users/${user.id}`, SSWS)).headers.get('x-rate-limit-limit'),
        userWrite: (await h.post(`/api/v1/users/${user.id}`, { profile: { title: 'T' } }, SSWS)).headers.get(
          'x-rate-limit-limit',
        ),
        lifecycle: (await h.post(`/api/v1/users/${user.id}/lifecycle/suspend`, undefined, SSWS)).headers.get(
          'x-rate-limit-limit',
        ),
        groups: group.headers.get('x-rate-limit-limit'),
        group: (await h.get(`/api/v1/groups/${group.body.id}`, SSWS)).headers.get('x-rate-limit-limit'),
      };
      expect(limits).toEqual({
        users: '600',
        user: '1000',
        userWrite: '600',
        lifecycle: '600',
        groups: '600',
        group: '600',
      });
      const h2 = await harness(withOkta({ ...adminScenario.okta, rateLimits: { user: 1 } }));
      await h2.get('/api/v1/users/ada@example.com', SSWS);
      expectOktaError(await h2.get('/api/v1/users/ada@example.com', SSWS), 429, 'E0000047');
      expect((await h2.get('/api/v1/users', SSWS)).status).toBe(200);
    });

    it('takes an activation token at /api/v1/authn once: PASSWORD_RESET for a user without a password (docs/fidelity/okta.md#okta-activation-token)', async () => {
      const h = await harness(adminScenario);
      const created = await h.post(
        '/api/v1/users?activate=false',
        { profile: { firstName: 'P', lastName: 'R', email: 'p@example.org', login: 'p@example.org' } },
        SSWS,
      );
      const activation = await h.post(
        `/api/v1/users/${created.body.id}/lifecycle/activate?sendEmail=false`,
        undefined,
        SSWS,
      );
      expect(activation.body).toEqual({
        activationUrl: `${h.base}/welcome/${activation.body.activationToken}`,
        activationToken: expect.stringMatching(/^\w{20}$/),
      });

      const reset = await h.post('/api/v1/authn', { token: activation.body.activationToken });
      expect(reset.body).toMatchObject({
        status: 'PASSWORD_RESET',
        recoveryType: 'ACCOUNT_ACTIVATION',
        _embedded: { user: { profile: { login: 'p@example.org' } } },
        _links: {
          next: { name: 'resetPassword', href: `${h.base}/api/v1/authn/credentials/reset_password` },
        },
      });
      expectOktaError(
        await h.post('/api/v1/authn', { token: activation.body.activationToken }),
        401,
        'E0000004',
      );
      const done = await follow(h, reset.body._links.next.href, {
        stateToken: reset.body.stateToken,
        newPassword: NEW_PASSWORD,
      });
      expect(done.body.status).toBe('SUCCESS');
      expect((await signIn(h, 'p@example.org', NEW_PASSWORD)).body.status).toBe('SUCCESS');
      expectOktaError(
        await h.post('/api/v1/authn', { token: 'made-up-activation-token' }),
        401,
        'E0000004',
        'Authentication failed',
      );
    });

    it('redeems a reset_password link at /authn/recovery/token; the old password is dead until then (docs/fidelity/okta.md#okta-admin-reset-password)', async () => {
      const h = await harness(adminScenario);
      const user = (await h.get('/api/v1/users/ada@example.com', SSWS)).body;
      const reset = await h.post(
        `/api/v1/users/${user.id}/lifecycle/reset_password?sendEmail=false`,
        undefined,
        SSWS,
      );
      const token = (reset.body.resetPasswordUrl as string).split('/').at(-1);
      expect(reset.body.resetPasswordUrl).toBe(`${h.base}/reset_password/${token}`);
      expectOktaError(await signIn(h, 'ada@example.com'), 401, 'E0000004');

      const recovery = await h.post('/api/v1/authn/recovery/token', { recoveryToken: token });
      expect(recovery.body.status).toBe('PASSWORD_RESET');
      const done = await follow(h, recovery.body._links.next.href, {
        stateToken: recovery.body.stateToken,
        newPassword: NEW_PASSWORD,
      });
      expect(done.body.status).toBe('SUCCESS');
      expect((await h.get(`/api/v1/users/${user.id}`, SSWS)).body.status).toBe('ACTIVE');
    });

    it('answers lifecycle operations on an unknown user with 404 E0000007 and in the wrong status with Okta codes (docs/fidelity/okta.md#okta-admin-lifecycle)', async () => {
      const h = await harness(adminScenario);
      expectOktaError(
        await h.post('/api/v1/users/00unobody/lifecycle/suspend', undefined, SSWS),
        404,
        'E0000007',
        'Not found: Resource not found: 00unobody (User)',
      );
      const locked = (await h.get('/api/v1/users/locked@example.com', SSWS)).body;
      expect(locked._links.unlock).toBeDefined();
      const unlocked = await h.post(`/api/v1/users/${locked.id}/lifecycle/unlock`, undefined, SSWS);
      expect(unlocked.status).toBe(200);
      expect(unlocked.text).toBe('');
      expect((await signIn(h, 'locked@example.com')).body.status).toBe('SUCCESS');
      const gone = await createUser(h, 'gone@example.org');
      await h.post(`/api/v1/users/${gone.id}/lifecycle/deactivate`, undefined, SSWS);
      expectOktaError(
        await h.post(`/api/v1/users/${gone.id}/lifecycle/deactivate`, undefined, SSWS),
        403,
        'E0000038',
        "This operation is not allowed in the user's current status.",
      );
      expectOktaError(
        await h.post(`/api/v1/users/${gone.id}`, { profile: { title: 'x' } }, SSWS),
        403,
        'E0000038',
      );
      const staged = await createUser(h, 'staged@example.org', {}, '?activate=false');
      expectOktaError(
        await h.post(`/api/v1/users/${staged.id}/credentials/forgot_password`, undefined, SSWS),
        403,
        'E0000034',
      );
    });

    it('refuses an API token whose owner is deactivated with 401 E0000011 (docs/fidelity/okta.md#okta-api-token-owner)', async () => {
      const h = await harness(adminScenario);
      const admin = (await h.get('/api/v1/users/admin@example.com', SSWS)).body;
      await h.post(`/api/v1/users/${admin.id}/lifecycle/deactivate`, undefined, SSWS);
      expectOktaError(await h.get('/api/v1/users', SSWS), 401, 'E0000011', 'Invalid token provided');
      const ownerless = await h.get('/api/v1/api-tokens', { Authorization: `SSWS ${OWNERLESS_TOKEN}` });
      expect(ownerless.body.map((token: { name: string }) => token.name)).toEqual(['ownerless']);
    });

    it('journals each admin operation by name, and fault rules match them (docs/operations.md)', async () => {
      const h = await harness(adminScenario);
      h.sim.faults.inject({
        match: { operation: 'createUser' },
        effect: { type: 'vendor-error', code: 'E0000009' },
      });
      expectOktaError(await h.post('/api/v1/users', { profile: {} }, SSWS), 500, 'E0000009');
      await h.get('/api/v1/users?limit=1', SSWS);
      await h.get('/api/v1/groups', SSWS);
      expect(h.sim.requests.all().map((entry) => entry.operation)).toEqual([
        'createUser',
        'listUsers',
        'listGroups',
      ]);
      expect(h.sim.requests.last({ operation: 'listUsers' })).toMatchObject({ status: 200 });
    });
  });

  describe('admin API: factors, groups, API tokens', () => {
    it('challenges an sms factor without a code, verifies the code, and throttles a second challenge (docs/fidelity/okta.md#okta-admin-factor-verify, docs/fidelity/okta.md#okta-resend-throttles)', async () => {
      const h = await harness(adminScenario);
      const user = (await h.get('/api/v1/users/sms@example.com', SSWS)).body;
      const factors = (await h.get(`/api/v1/users/${user.id}/factors`, SSWS)).body;
      expect(factors[0].profile).toEqual({ phoneNumber: '+15555550100' });
      const verify = `/api/v1/users/${user.id}/factors/${factors[0].id}/verify`;

      const challenge = await h.post(verify, undefined, SSWS);
      expect(challenge.body).toMatchObject({
        factorResult: 'CHALLENGE',
        _links: { verify: { href: `${h.base}${verify}`, hints: { allow: ['POST'] } } },
      });
      expectOktaError(await h.post(verify, undefined, SSWS), 429, 'E0000109');
      expectOktaError(
        await h.post(verify, { passCode: '000000' }, SSWS),
        403,
        'E0000068',
        'Invalid Passcode/Answer',
      );
      expect((await h.post(verify, { passCode: '123456' }, SSWS)).body).toEqual({ factorResult: 'SUCCESS' });
    });

    it("refuses an email factor for an address that is not the user's (docs/fidelity/okta.md#okta-admin-factor-enroll)", async () => {
      const h = await harness(adminScenario);
      const reply = await h.post(
        '/api/v1/users/ada@example.com/factors',
        { factorType: 'email', profile: { email: 'x@example.net' } },
        SSWS,
      );
      expectOktaError(
        reply,
        400,
        'E0000001',
        'Api validation failed: Only verified primary or secondary email can be enrolled.',
      );
      const ok = await h.post(
        '/api/v1/users/ada@example.com/factors?activate=true',
        { factorType: 'email', profile: { email: 'ada@example.com' } },
        SSWS,
      );
      expect(ok.body).toMatchObject({
        factorType: 'email',
        status: 'ACTIVE',
        profile: { email: 'ada@example.com' },
      });
    });

    it('validates group profiles, filters groups by type, and keeps Everyone built in (docs/fidelity/okta.md#okta-admin-groups, docs/fidelity/okta.md#okta-groups)', async () => {
      const h = await harness(adminScenario);
      expectOktaError(
        await h.post('/api/v1/groups', { profile: { description: 'no name' } }, SSWS),
        400,
        'E0000001',
        'Api validation failed: name',
      );
      await h.post('/api/v1/groups', { profile: { name: 'Admins' } }, SSWS);
      const taken = await h.post('/api/v1/groups', { profile: { name: 'admins' } }, SSWS);
      expect(taken.body.errorCauses).toEqual([
        { errorSummary: 'name: An object with this field already exists in the current organization' },
      ]);
      expectOktaError(
        await h.post('/api/v1/groups', { profile: { name: 'Long', description: 'd'.repeat(1025) } }, SSWS),
        400,
        'E0000001',
      );
      const builtIn = await h.get(`/api/v1/groups?filter=${encodeURIComponent('type eq "BUILT_IN"')}`, SSWS);
      expect(builtIn.body.map((g: { profile: { name: string } }) => g.profile.name)).toEqual(['Everyone']);
      expectOktaError(
        await h.get('/api/v1/groups/00gnothere', SSWS),
        404,
        'E0000007',
        'Not found: Resource not found: 00gnothere (UserGroup)',
      );
      const created = await createUser(h, 'everyone@example.org');
      const members = await h.get(`/api/v1/groups/${builtIn.body[0].id}/users?limit=200`, SSWS);
      expect(members.body.map((u: { id: string }) => u.id)).toContain(created.id);
    });

    it('lists API token metadata without secrets and 404s an unknown id (docs/fidelity/okta.md#okta-admin-api-tokens)', async () => {
      const h = await harness(adminScenario);
      const list = await h.get('/api/v1/api-tokens', SSWS);
      const admin = h.sim.state.okta?.users.find((u) => u.login === 'admin@example.com');
      expect(list.body[0]).toEqual({
        id: expect.stringMatching(/^00T\w{17}$/),
        name: 'ci',
        userId: admin?.id,
        clientName: 'Okta API',
        tokenWindow: 'P30D',
        network: { connection: 'ANYWHERE' },
        created: T0,
        lastUpdated: T0,
        expiresAt: '2026-01-31T00:00:00.000Z',
        _links: {
          self: {
            href: `${h.base}/api/v1/api-tokens/${list.body[0].id}`,
            hints: { allow: ['GET', 'DELETE'] },
          },
          user: { href: `${h.base}/api/v1/users/${admin?.id}`, hints: { allow: ['GET'] } },
        },
      });
      expect(list.text).not.toContain('00test-api-token');
      expectOktaError(
        await h.get('/api/v1/api-tokens/00Tnothere', SSWS),
        404,
        'E0000007',
        'Not found: Resource not found: 00Tnothere (ApiToken)',
      );
      expectOktaError(await h.get('/api/v1/api-tokens'), 403, 'E0000005');
      const revoked = await h.del('/api/v1/api-tokens/current', SSWS);
      expect(revoked.status).toBe(204);
      expectOktaError(await h.get('/api/v1/api-tokens', SSWS), 401, 'E0000011');
    });
  });
}
