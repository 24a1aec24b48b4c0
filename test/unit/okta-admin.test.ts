import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.ts';
import { IdSource } from '../../src/core/ids.ts';
import { OktaError } from '../../src/okta/domain/errors.ts';
import type { User } from '../../src/okta/domain/model.ts';
import { OktaOrg } from '../../src/okta/domain/org.ts';
import { pageOf, pageRequest } from '../../src/okta/domain/paging.ts';
import { type Dialect, EXPRESSION_LIMITS, matches, parseExpression } from '../../src/okta/domain/search.ts';
import {
  activateUser,
  createUser,
  deactivateUser,
  deleteUser,
  expirePassword,
  reactivateUser,
  resetPasswordToken,
  suspendUser,
  USER_FILTER,
  USER_SEARCH,
  unlockUser,
  unsuspendUser,
  updateUser,
} from '../../src/okta/domain/users.ts';
import { OktaScenarioSchema } from '../../src/okta/scenario.ts';
import { PASSWORD, T0_MS } from '../support/scenarios.ts';

function org() {
  const clock = new VirtualClock(T0_MS, { frozen: true });
  const okta = OktaScenarioSchema.parse({
    users: [
      { login: 'ada@example.com', password: PASSWORD, firstName: 'Ada', lastName: 'Lovelace' },
      { login: 'locked@example.com', password: PASSWORD, status: 'LOCKED_OUT' },
    ],
  });
  return new OktaOrg(okta, clock, new IdSource(1), new IdSource(2));
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OktaError);
    return (error as OktaError).code;
  }
  throw new Error('expected an OktaError');
}

/** A dialect that takes every attribute and operator, strings exactly, `at` as a date. */
const ANY: Dialect = {
  name: 'test',
  operators: () => ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'ew', 'pr'],
  allowsNot: true,
  ignoreCase: false,
  isDate: (attribute) => attribute === 'at',
};

const record: Record<string, unknown> = {
  a: 'x',
  b: 'y',
  c: 'z',
  n: 42,
  flag: true,
  tags: ['red', 'blue'],
  at: Date.parse('2026-01-01T00:00:00.000Z'),
  empty: '',
};
const holds = (expression: string, dialect = ANY) =>
  matches(parseExpression(expression, dialect), (name) => record[name], dialect);

describe('the filter and search grammar (docs/fidelity/okta.md#okta-filter-search)', () => {
  it('binds and tighter than or, and parentheses tightest', () => {
    // a eq "x" or (b eq "no" and c eq "no"): true; (a eq "x" or b eq "no") and c eq "no": false.
    expect(holds('a eq "x" or b eq "no" and c eq "no"')).toBe(true);
    expect(holds('(a eq "x" or b eq "no") and c eq "no"')).toBe(false);
    expect(parseExpression('a eq "x" or b eq "y" and c eq "z"', ANY)).toEqual({
      kind: 'or',
      terms: [
        { kind: 'compare', attribute: 'a', operator: 'eq', value: 'x' },
        {
          kind: 'and',
          terms: [
            { kind: 'compare', attribute: 'b', operator: 'eq', value: 'y' },
            { kind: 'compare', attribute: 'c', operator: 'eq', value: 'z' },
          ],
        },
      ],
    });
  });

  it('reads operators and logical words in any case, attribute names exactly', () => {
    expect(holds('a EQ "x" AND b Eq "y" Or c eq "no"')).toBe(true);
    expect(holds('A eq "x"')).toBe(false);
  });

  it('compares numbers, booleans, dates as instants, and any element of an array', () => {
    expect(holds('n gt 41 and n le 42 and n ne 7')).toBe(true);
    expect(holds('n eq "42"')).toBe(true);
    expect(holds('flag eq true and not (flag eq false)')).toBe(true);
    expect(holds('at eq "2026-01-01T00:00:00Z" and at lt "2026-01-01T00:00:00.001Z"')).toBe(true);
    expect(holds('at gt "2025-12-31"')).toBe(true);
    expect(holds('tags eq "blue" and tags sw "r" and tags ew "ue"')).toBe(true);
    expect(holds('a pr and missing pr')).toBe(false);
    expect(holds('empty pr')).toBe(false);
    expect(holds('missing eq null')).toBe(true);
  });

  it('unescapes strings as JSON does', () => {
    expect(parseExpression('a eq "q\\"uote\\\\ \\u00e9"', ANY)).toMatchObject({ value: 'q"uote\\ é' });
  });

  it.each([
    ['', 'empty'],
    ['a eq', 'no value'],
    ['a eq "x', 'unterminated'],
    ['a eq x', 'bare word'],
    ['a is "x"', 'unknown operator'],
    ['a eq "x" b eq "y"', 'no logical word'],
    ['(a eq "x"', 'unclosed'],
    ['a eq "x")', 'unopened'],
    ['a eq "\\x"', 'bad escape'],
    ['a eq "\\u12"', 'bad unicode escape'],
    ['a eq "x" & b eq "y"', 'stray character'],
    ['at gt "soon"', 'not a date'],
    ['at gt 5', 'a date without quotes'],
    ['a sw 5', 'sw on a number'],
    ['1a eq "x"', 'not an attribute'],
  ])('refuses %j (%s) with 400 E0000031', (expression) => {
    expect(codeOf(() => parseExpression(expression, ANY))).toBe('E0000031');
  });

  it('refuses expressions past its length, depth and term bounds (docs/fidelity/okta.md#okta-admin-input-bounds)', () => {
    const within = `${'('.repeat(EXPRESSION_LIMITS.depth - 1)}a eq "x"${')'.repeat(EXPRESSION_LIMITS.depth - 1)}`;
    expect(holds(within)).toBe(true);
    const deep = `${'('.repeat(EXPRESSION_LIMITS.depth)}a eq "x"${')'.repeat(EXPRESSION_LIMITS.depth)}`;
    expect(codeOf(() => parseExpression(deep, ANY))).toBe('E0000031');
    const terms = (n: number) => Array.from({ length: n }, () => 'a eq "x"').join(' or ');
    expect(holds(terms(EXPRESSION_LIMITS.terms))).toBe(true);
    expect(codeOf(() => parseExpression(terms(EXPRESSION_LIMITS.terms + 1), ANY))).toBe('E0000031');
    expect(codeOf(() => parseExpression(`a eq "${'x'.repeat(EXPRESSION_LIMITS.length)}"`, ANY))).toBe(
      'E0000031',
    );
  });

  it('parses any text into an expression or refuses it with E0000031, never another error', () => {
    const pieces = [
      'a',
      'n',
      'tags',
      'at',
      ' ',
      'eq',
      'sw',
      'pr',
      'gt',
      'and',
      'OR',
      'not',
      '(',
      ')',
      '"x"',
      '"',
      '\\',
      '42',
      'true',
      'null',
      '"2026-01-01"',
      '&',
      'é',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 30 }),
        fc.string({ maxLength: 8 }),
        (parts, noise) => {
          const text = parts.join(' ') + noise;
          try {
            const expression = parseExpression(text, ANY);
            matches(expression, (name) => record[name], ANY);
          } catch (error) {
            expect(error).toBeInstanceOf(OktaError);
            expect((error as OktaError).code).toBe('E0000031');
          }
        },
      ),
      { numRuns: 500, seed: 13 },
    );
  });

  it("applies the Users API's dialects: filter exact and eq-only, search case-insensitive without ne", () => {
    const o = org();
    const ada = o.users.find('ada@example.com') as User;
    const userMatches = (expression: string, dialect: Dialect) =>
      matches(
        parseExpression(expression, dialect),
        (name) => {
          if (name === 'status') return ada.status;
          if (name === 'profile.login') return ada.profile.login;
          if (name === 'lastUpdated') return ada.lastUpdated;
          return undefined;
        },
        dialect,
      );
    expect(userMatches('status eq "ACTIVE"', USER_FILTER)).toBe(true);
    expect(userMatches('status eq "active"', USER_FILTER)).toBe(false);
    expect(userMatches('status eq "active"', USER_SEARCH)).toBe(true);
    expect(userMatches('lastUpdated ge "2026-01-01T00:00:00.000Z"', USER_FILTER)).toBe(true);
    for (const refused of ['status sw "A"', 'profile.nickName eq "x"', 'not (status eq "ACTIVE")']) {
      expect(
        codeOf(() => parseExpression(refused, USER_FILTER)),
        refused,
      ).toBe('E0000031');
    }
    for (const refused of [
      'status ne "ACTIVE"',
      'profile.title co "x"',
      'created sw "2026"',
      'credentials.password pr',
    ]) {
      expect(
        codeOf(() => parseExpression(refused, USER_SEARCH)),
        refused,
      ).toBe('E0000031');
    }
  });
});

describe('cursor pagination (docs/fidelity/okta.md#okta-pagination)', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const position = (id: string) =>
    id === 'gone' ? 1.5 : items.indexOf(id) === -1 ? undefined : items.indexOf(id);

  it('pages from just after the cursor and gives a next cursor only while more follow', () => {
    const first = pageOf(items, { after: undefined, limit: 2 }, (x) => x, position);
    expect(first).toEqual({ items: ['a', 'b'], next: 'b' });
    expect(pageOf(items, { after: 'b', limit: 2 }, (x) => x, position)).toEqual({
      items: ['c', 'd'],
      next: 'd',
    });
    expect(pageOf(items, { after: 'd', limit: 2 }, (x) => x, position)).toEqual({
      items: ['e'],
      next: undefined,
    });
    expect(pageOf(items, { after: 'gone', limit: 2 }, (x) => x, position)).toEqual({
      items: ['c', 'd'],
      next: 'd',
    });
    expect(codeOf(() => pageOf(items, { after: 'never', limit: 2 }, (x) => x, position))).toBe('E0000029');
  });

  it('defaults and caps limit, and refuses one that is not a count with 400 E0000029', () => {
    expect(pageRequest(null, null, { default: 200, max: 200 })).toEqual({ after: undefined, limit: 200 });
    expect(pageRequest('5000', 'x', { default: 10, max: 200 })).toEqual({ after: 'x', limit: 200 });
    for (const limit of ['0', '-3', 'ten', '2.5', '', '9999999999']) {
      expect(
        codeOf(() => pageRequest(limit, null, { default: 10, max: 200 })),
        limit,
      ).toBe('E0000029');
    }
  });
});

describe('the user lifecycle (docs/fidelity/okta.md#okta-admin-lifecycle)', () => {
  const create = (o: OktaOrg, login: string, activate = true, password: string | undefined = 'Abcd1234#@') =>
    createUser(o, {
      profile: { login, email: login, firstName: 'F', lastName: 'L' },
      credentials: password === undefined ? undefined : { password },
      groupIds: undefined,
      typeId: undefined,
      activate,
      nextLogin: undefined,
    });

  it('moves a user through the statuses of the lifecycle table', () => {
    const o = org();
    const user = create(o, 'cycle@example.org', false);
    const seen: string[] = [user.status];
    activateUser(o, user, false);
    seen.push(user.status);
    suspendUser(o, user);
    seen.push(user.status);
    unsuspendUser(o, user);
    seen.push(user.status);
    expirePassword(o, user, { tempPassword: false, revokeSessions: false });
    seen.push(user.status);
    resetPasswordToken(o, user, false, false);
    seen.push(user.status);
    reactivateUser(o, user, false);
    seen.push(user.status);
    deactivateUser(o, user);
    seen.push(user.status);
    activateUser(o, user, true);
    seen.push(user.status);
    expect(seen).toEqual([
      'STAGED',
      'ACTIVE',
      'SUSPENDED',
      'ACTIVE',
      'PASSWORD_EXPIRED',
      'RECOVERY',
      'RECOVERY',
      'DEPROVISIONED',
      'PROVISIONED',
    ]);
  });

  it("answers each operation in a status it does not allow with Okta's code", () => {
    const o = org();
    const active = create(o, 'active@example.org');
    const locked = o.users.find('locked@example.com') as User;
    expect(codeOf(() => activateUser(o, active, false))).toBe('E0000016');
    expect(codeOf(() => reactivateUser(o, active, false))).toBe('E0000038');
    expect(codeOf(() => unsuspendUser(o, active))).toBe('E0000001');
    expect(codeOf(() => unlockUser(o, active))).toBe('E0000032');
    expect(codeOf(() => suspendUser(o, locked))).toBe('E0000001');
    deactivateUser(o, active);
    expect(codeOf(() => deactivateUser(o, active))).toBe('E0000038');
    expect(codeOf(() => expirePassword(o, active, { tempPassword: true, revokeSessions: false }))).toBe(
      'E0000038',
    );
  });

  it('hands out a temporary password that meets the policy and signs in', () => {
    const o = org();
    const user = create(o, 'temp@example.org');
    const temporary = expirePassword(o, user, { tempPassword: true, revokeSessions: false });
    expect(temporary).toMatch(/^[A-Z]+[a-z]+[0-9]+$/);
    expect(temporary?.length).toBeGreaterThanOrEqual(8);
    expect(user.password).toBe(temporary);
  });

  it('changes nothing when an update is refused', () => {
    const o = org();
    const user = create(o, 'keep@example.org');
    const before = structuredClone(user);
    expect(
      codeOf(() =>
        updateUser(
          o,
          user,
          {
            profile: { login: 'ada@example.com', nickName: 'Nope' },
            credentials: undefined,
            typeId: undefined,
            strict: false,
          },
          'partial',
        ),
      ),
    ).toBe('E0000001');
    expect(
      codeOf(() =>
        updateUser(
          o,
          user,
          {
            profile: { nickName: 'Nope' },
            credentials: { password: 'weak' },
            typeId: undefined,
            strict: false,
          },
          'partial',
        ),
      ),
    ).toBe('E0000001');
    expect(user).toEqual(before);
    expect(o.users.find('keep@example.org')).toBe(user);
  });

  it('deletes a user only after deactivation, ending its sessions, tokens and memberships', () => {
    const o = org();
    const user = create(o, 'del@example.org');
    const everyone = [...o.groups.values()].find((g) => g.type === 'BUILT_IN');
    expect(everyone?.members.has(user.id)).toBe(true);
    o.sessions.set('102s', {
      id: '102s',
      userId: user.id,
      createdAt: 0,
      lastActivity: o.now(),
      amr: [],
      passwordVerifiedAt: null,
      factorVerifiedAt: null,
    });
    expect(deleteUser(o, user)).toBe('deactivated');
    expect(o.sessions.get('102s')).toBeUndefined();
    expect(deleteUser(o, user)).toBe('deleted');
    expect(o.users.get(user.id)).toBeUndefined();
    expect(everyone?.members.has(user.id)).toBe(false);
    // The login is free again.
    expect(create(o, 'del@example.org').status).toBe('ACTIVE');
  });
});
