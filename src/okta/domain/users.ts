import { oneOf } from '../../core/guards.ts';
import {
  invalidSession,
  notAllowedInStatus,
  OktaError,
  resourceNotFound,
  validationFailed,
} from './errors.ts';
import type {
  ActivationGrant,
  ApiToken,
  Group,
  ProfileValue,
  User,
  UserProfile,
  UserStatus,
} from './model.ts';
import type { AccessTokenRecord } from './oidc-model.ts';
import type { OktaOrg } from './org.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';
import {
  ADMIN_SET,
  type PasswordChecks,
  passwordViolation,
  setLocked,
  storePassword,
  USER_CHANGE,
} from './protections.ts';
import { type Dialect, matches, type Operator, parseExpression } from './search.ts';
import { endUserSessions, liveSession } from './sessions.ts';

/**
 * The Users API's rules (docs/fidelity/okta.md#okta-admin-users): creating users with or without
 * credentials, profile updates, the lifecycle (activate, deactivate, suspend, unlock, reset and expire the
 * password, delete), the credential operations and listing. Every function checks everything before it
 * changes anything, so that a refused request leaves the org as it was.
 */

/** How long an activation token lasts (docs/fidelity/okta.md#okta-activation-token). */
const ACTIVATION_TOKEN_LIFETIME = 7 * 24 * 3_600_000;
/** How long a reset-password or forgot-password token lasts, as the authn recovery tokens. */
const RECOVERY_TOKEN_LIFETIME = 60 * 60_000;

/**
 * Bounds on what a profile may hold (docs/fidelity/okta.md#okta-admin-input-bounds): Okta's own for the
 * default schema's attributes, generous ones of the simulator's for the rest.
 */
export const PROFILE_LIMITS = {
  attributes: 100,
  nameLength: 100,
  stringLength: 1024,
  arrayLength: 100,
  passwordLength: 72,
  groupIds: 100,
} as const;

/** Okta's own length rules for the default schema (docs/fidelity/okta.md#okta-admin-user-validation). */
const LENGTHS = new Map<string, [number, number]>([
  ['login', [5, 100]],
  ['email', [5, 100]],
  ['firstName', [1, 50]],
  ['lastName', [1, 50]],
]);

const REQUIRED = ['login', 'email', 'firstName', 'lastName'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A profile as a request sent it: attribute name to value (types already checked). */
export type ProfileInput = Readonly<Record<string, ProfileValue | undefined>>;

export interface CredentialsInput {
  /** `credentials.password.value`; `{}` (as the SDK echoes a user back) sets nothing. */
  password?: string | undefined;
  /** The password came as a hash or a hook, which the simulator does not import. */
  passwordImport?: boolean | undefined;
  recoveryQuestion?: { question?: string | undefined; answer?: string | undefined } | undefined;
  /** `credentials.provider.type`; only `OKTA` users are simulated. */
  provider?: string | undefined;
}

export interface CreateUserInput {
  profile: ProfileInput | undefined;
  credentials: CredentialsInput | undefined;
  groupIds: readonly string[] | undefined;
  typeId: string | undefined;
  activate: boolean;
  nextLogin: string | undefined;
}

/**
 * `POST /api/v1/users` (docs/fidelity/okta.md#okta-admin-create-user): STAGED without activation, ACTIVE
 * with a password, PROVISIONED (and an activation email) without one; PASSWORD_EXPIRED with
 * `nextLogin=changePassword`.
 */
export function createUser(org: OktaOrg, input: CreateUserInput): User {
  const expireNow = input.nextLogin === 'changePassword';
  if (input.nextLogin !== undefined && !expireNow) {
    throw validationFailed('nextLogin', [`nextLogin: ${input.nextLogin} is not one of changePassword`]);
  }
  if (expireNow && !input.activate) {
    throw new OktaError('E0000125', { causes: [summaryOf('E0000125')] });
  }
  if (expireNow && input.credentials?.password === undefined) {
    throw new OktaError('E0000124', { causes: [summaryOf('E0000124')] });
  }
  const profile = checkedProfile(org, input.profile ?? {}, undefined, 'full');
  checkType(org, input.typeId);
  const groups = groupsOf(org, input.groupIds ?? []);
  const now = org.now();
  const user: User = {
    id: `00u${org.ids.chars(17)}`,
    login: profile.login,
    password: undefined,
    status: 'STAGED',
    profile,
    created: now,
    activated: null,
    lastLogin: null,
    lastUpdated: now,
    statusChanged: null,
    passwordChanged: null,
    passwordResetPending: false,
    mfa: undefined,
    factors: [],
    enrollment: {},
    recoveryQuestion: undefined,
    failedPasswordAttempts: 0,
    failedFactorAttempts: 0,
    passwordHistory: [],
    lockedAt: null,
    autoPush: false,
  };
  const credentials = checkedCredentials(org, user, input.credentials, false, ADMIN_SET);
  if (credentials.password !== undefined) {
    user.password = credentials.password;
    user.passwordChanged = now;
  }
  user.recoveryQuestion = credentials.recoveryQuestion;
  org.users.add(user);
  joinEveryone(org, user);
  for (const group of groups) addMember(org, group, user);
  if (input.activate) {
    if (user.password === undefined) {
      setStatus(org, user, 'PROVISIONED');
      const grant = grantActivation(org, user);
      org.send({
        userId: user.id,
        channel: 'email',
        to: user.profile.email,
        purpose: 'activation',
        activationToken: grant.token,
      });
    } else {
      setStatus(org, user, expireNow ? 'PASSWORD_EXPIRED' : 'ACTIVE');
    }
  }
  return user;
}

export interface UpdateUserInput {
  profile: ProfileInput | undefined;
  credentials: CredentialsInput | undefined;
  typeId: string | undefined;
  /** `strict=true`: the password also meets the history and minimum-age rules. */
  strict: boolean;
}

/**
 * `POST /api/v1/users/{id}` (`partial`: given attributes replace, the rest stay) and `PUT` (`full`: the
 * profile is replaced, attributes left out are gone); `credentials.password.value` is an admin's "set
 * password" (docs/fidelity/okta.md#okta-admin-update-user).
 */
export function updateUser(org: OktaOrg, user: User, input: UpdateUserInput, mode: 'partial' | 'full'): User {
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus(user.status, 'profile update');
  const profile =
    input.profile === undefined && mode === 'partial'
      ? undefined
      : checkedProfile(org, input.profile ?? {}, user, mode);
  if (mode === 'full') checkType(org, input.typeId);
  // An admin's set password meets the complexity rules only, unless `strict=true`
  // (docs/fidelity/okta.md#okta-password-history).
  const credentials = checkedCredentials(
    org,
    profile ? { ...user, login: profile.login } : user,
    input.credentials,
    true,
    input.strict ? USER_CHANGE : ADMIN_SET,
  );
  const now = org.now();
  if (profile) {
    if (profile.login !== user.login) org.users.relogin(user, profile.login);
    user.profile = profile;
  }
  if (credentials.password !== undefined) {
    storePassword(org, user, credentials.password);
    user.passwordResetPending = false;
    if (user.status === 'PASSWORD_EXPIRED' || user.status === 'RECOVERY') setStatus(org, user, 'ACTIVE');
  }
  if (credentials.recoveryQuestion) user.recoveryQuestion = credentials.recoveryQuestion;
  user.lastUpdated = now;
  return user;
}

/** What an activation or reactivation hands back: the token, which `sendEmail=false` shows the caller. */
export interface ActivationResult {
  token: string;
  sent: boolean;
}

/**
 * `POST .../lifecycle/activate` (docs/fidelity/okta.md#okta-admin-lifecycle): STAGED or DEPROVISIONED to
 * ACTIVE (with a password) or PROVISIONED; an ACTIVE user is 403 E0000016, another status 403 E0000038.
 */
export function activateUser(org: OktaOrg, user: User, sendEmail: boolean): ActivationResult {
  if (user.status === 'ACTIVE') throw new OktaError('E0000016', { detail: 'user is already ACTIVE' });
  if (user.status !== 'STAGED' && user.status !== 'DEPROVISIONED') {
    throw notAllowedInStatus(user.status, 'activate');
  }
  if (user.password !== undefined && !user.passwordResetPending) {
    setStatus(org, user, 'ACTIVE');
    user.activated = org.now();
  } else {
    setStatus(org, user, 'PROVISIONED');
  }
  return handOutActivation(org, user, sendEmail);
}

/**
 * `POST .../lifecycle/reactivate`: a PROVISIONED or RECOVERY user gets a new activation token (earlier ones
 * stop working); other statuses are 403 E0000038.
 */
export function reactivateUser(org: OktaOrg, user: User, sendEmail: boolean): ActivationResult {
  if (user.status !== 'PROVISIONED' && user.status !== 'RECOVERY') {
    throw notAllowedInStatus(user.status, 'reactivate');
  }
  return handOutActivation(org, user, sendEmail);
}

/**
 * `POST .../lifecycle/deactivate`: any status but DEPROVISIONED; the user's sessions, transactions and
 * tokens end (docs/fidelity/okta.md#okta-admin-deactivate).
 */
export function deactivateUser(org: OktaOrg, user: User): void {
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus(user.status, 'deactivate');
  forgetActivity(org, user.id);
  setStatus(org, user, 'DEPROVISIONED');
}

/**
 * `DELETE /api/v1/users/{id}`: the first call deactivates, the second (on a DEPROVISIONED user) deletes
 * the user for good (docs/fidelity/okta.md#okta-admin-delete-user).
 */
export function deleteUser(org: OktaOrg, user: User): 'deactivated' | 'deleted' {
  if (user.status !== 'DEPROVISIONED') {
    deactivateUser(org, user);
    return 'deactivated';
  }
  forgetActivity(org, user.id);
  for (const group of org.groups.values()) {
    if (group.members.delete(user.id)) group.lastMembershipUpdated = org.now();
  }
  org.users.delete(user);
  return 'deleted';
}

/** `POST .../lifecycle/suspend`: ACTIVE only, else 400 E0000001 (docs/fidelity/okta.md#okta-admin-lifecycle). */
export function suspendUser(org: OktaOrg, user: User): void {
  if (user.status !== 'ACTIVE')
    throw validationFailed('user', [`user: ${user.status} users cannot be suspended`]);
  endUserSessions(org, user.id);
  setStatus(org, user, 'SUSPENDED');
}

/** `POST .../lifecycle/unsuspend`: SUSPENDED only, else 400 E0000001. */
export function unsuspendUser(org: OktaOrg, user: User): void {
  if (user.status !== 'SUSPENDED') {
    throw validationFailed('user', [`user: ${user.status} users cannot be unsuspended`]);
  }
  setStatus(org, user, 'ACTIVE');
}

/** `POST .../lifecycle/unlock`: LOCKED_OUT only, else 403 E0000032. */
export function unlockUser(org: OktaOrg, user: User): void {
  if (user.status !== 'LOCKED_OUT') throw new OktaError('E0000032', { detail: `user is ${user.status}` });
  setLocked(org, user, false);
}

/** `POST .../lifecycle/reset_factors`: every factor enrollment removed. */
export function resetFactors(org: OktaOrg, user: User): void {
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus(user.status, 'reset factors');
  user.factors = [];
  for (const [id, tx] of [...org.factorTransactions.entries()]) {
    if (tx.userId === user.id) org.factorTransactions.delete(id);
  }
  user.lastUpdated = org.now();
}

const RESETTABLE = new Set<UserStatus>([
  'ACTIVE',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'RECOVERY',
  'PROVISIONED',
]);

/**
 * `POST .../lifecycle/reset_password`: a one-time recovery token, the user in RECOVERY and unable to sign in
 * with the old password until the reset is done (docs/fidelity/okta.md#okta-admin-reset-password).
 */
export function resetPasswordToken(
  org: OktaOrg,
  user: User,
  sendEmail: boolean,
  revokeSessions: boolean,
): string {
  if (!RESETTABLE.has(user.status)) throw notAllowedInStatus(user.status, 'reset password');
  const token = grantRecovery(org, user, sendEmail);
  if (user.status === 'LOCKED_OUT') {
    user.lockedAt = null;
    user.failedFactorAttempts = 0;
  }
  user.failedPasswordAttempts = 0;
  user.passwordResetPending = user.password !== undefined;
  setStatus(org, user, 'RECOVERY');
  if (revokeSessions) endUserSessions(org, user.id);
  return token;
}

const PASSWORD_STATUSES = new Set<UserStatus>(['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY', 'LOCKED_OUT']);

/**
 * `POST .../lifecycle/expire_password` and `expire_password_with_temp_password`: PASSWORD_EXPIRED; with a
 * temporary password, that password replaces the old one and is returned
 * (docs/fidelity/okta.md#okta-admin-expire-password).
 */
export function expirePassword(
  org: OktaOrg,
  user: User,
  options: { tempPassword: boolean; revokeSessions: boolean },
): string | undefined {
  if (!PASSWORD_STATUSES.has(user.status) || user.password === undefined) {
    throw notAllowedInStatus(user.status, 'expire password');
  }
  let temporary: string | undefined;
  if (options.tempPassword) {
    temporary = temporaryPassword(org);
    storePassword(org, user, temporary);
    user.passwordResetPending = false;
  }
  if (user.status === 'LOCKED_OUT') user.lockedAt = null;
  setStatus(org, user, 'PASSWORD_EXPIRED');
  if (options.revokeSessions) endUserSessions(org, user.id);
  return temporary;
}

const CHANGE_PASSWORD_STATUSES = new Set<UserStatus>(['STAGED', 'ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY']);

/**
 * `POST .../credentials/change_password` (docs/fidelity/okta.md#okta-admin-change-password): the old
 * password must match (403 E0000014), the new one meet the policy and its history, and with
 * `strict=true` its minimum age (403 E0000014, docs/fidelity/okta.md#okta-password-history); RECOVERY and
 * PASSWORD_EXPIRED users become ACTIVE.
 */
export function changeUserPassword(
  org: OktaOrg,
  user: User,
  input: {
    oldPassword: string | undefined;
    newPassword: string | undefined;
    revokeSessions: boolean;
    strict?: boolean | undefined;
  },
): User {
  if (!CHANGE_PASSWORD_STATUSES.has(user.status) || user.password === undefined) {
    throw notAllowedInStatus(user.status, 'change password');
  }
  if (input.oldPassword === undefined || input.oldPassword !== user.password) {
    throw new OktaError('E0000014', {
      causes: ['oldPassword: The credentials provided were incorrect.'],
      detail: 'wrong oldPassword',
    });
  }
  setUserPassword(org, user, input.newPassword, 'newPassword', {
    history: true,
    minAge: input.strict === true,
  });
  if (input.revokeSessions) endUserSessions(org, user.id);
  return user;
}

/**
 * `POST .../credentials/change_recovery_question`: the current password must match; STAGED, ACTIVE and
 * RECOVERY users with a password.
 */
export function changeRecoveryQuestion(
  org: OktaOrg,
  user: User,
  input: { password: string | undefined; question: string | undefined; answer: string | undefined },
): User {
  if (!['STAGED', 'ACTIVE', 'RECOVERY'].includes(user.status) || user.password === undefined) {
    throw notAllowedInStatus(user.status, 'change recovery question');
  }
  if (input.password === undefined || input.password !== user.password) {
    throw new OktaError('E0000014', {
      causes: ['password: The credentials provided were incorrect.'],
      detail: 'wrong password',
    });
  }
  user.recoveryQuestion = checkedRecoveryQuestion({ question: input.question, answer: input.answer });
  user.lastUpdated = org.now();
  return user;
}

/**
 * `POST .../credentials/forgot_password`: a reset token for an ACTIVE user with a recovery question (else 403
 * E0000034); the status does not change (docs/fidelity/okta.md#okta-admin-forgot-password).
 */
export function forgotPassword(org: OktaOrg, user: User, sendEmail: boolean): string {
  if (user.status !== 'ACTIVE' || !user.recoveryQuestion) {
    throw new OktaError('E0000034', {
      detail: `${user.status} user, recovery question: ${!!user.recoveryQuestion}`,
    });
  }
  return grantRecovery(org, user, sendEmail);
}

/**
 * `POST .../credentials/forgot_password_recovery_question`: the recovery answer (403 E0000087 when wrong)
 * sets a new password.
 */
export function forgotPasswordSetNewPassword(
  org: OktaOrg,
  user: User,
  input: { answer: string | undefined; newPassword: string | undefined },
): User {
  if (user.status !== 'ACTIVE' || !user.recoveryQuestion) {
    throw new OktaError('E0000034', {
      detail: `${user.status} user, recovery question: ${!!user.recoveryQuestion}`,
    });
  }
  if (
    input.answer === undefined ||
    input.answer.toLowerCase() !== user.recoveryQuestion.answer.toLowerCase()
  ) {
    throw new OktaError('E0000087', { detail: 'wrong recovery answer' });
  }
  setUserPassword(org, user, input.newPassword, 'password', USER_CHANGE);
  return user;
}

/**
 * `DELETE /api/v1/users/{id}/sessions` (docs/fidelity/okta.md#okta-admin-user-sessions): every session
 * of the user ends; `forgetDevices=true` also forgets its remembered devices.
 */
export function revokeUserSessions(org: OktaOrg, user: User, forgetDevices: boolean): void {
  endUserSessions(org, user.id);
  if (forgetDevices) forgetDevicesOf(org, user.id);
}

/**
 * `POST /api/v1/users/me/lifecycle/delete_sessions`: the sid cookie's user ends its other sessions (and
 * this one unless `keepCurrent`); a missing session is 403 E0000005.
 */
export function endCurrentUserSessions(org: OktaOrg, sid: string | undefined, keepCurrent: boolean): void {
  const session = liveSession(org, sid);
  if (!session) throw invalidSession('no live session for the sid cookie');
  for (const [id, other] of [...org.sessions.entries()]) {
    if (other.userId === session.userId && (id !== session.id || !keepCurrent)) org.sessions.delete(id);
  }
}

/** Who `/api/v1/users/me` is asked by: an API credential that authenticated, or the sid cookie. */
export type MeCaller =
  | { kind: 'token'; token: ApiToken | AccessTokenRecord }
  | { kind: 'session'; sid: string | undefined };

/**
 * `GET /api/v1/users/me` (docs/fidelity/okta.md#okta-users-me-api-token): the token's owner, 404 E0000007
 * for a token without one; with the cookie, the session's user, 403 E0000005 without a live session.
 */
export function currentUser(org: OktaOrg, caller: MeCaller): User {
  if (caller.kind === 'token') {
    // An API token's owner, or the user an OAuth access token was issued to.
    const owner = caller.token.userId === undefined ? undefined : org.users.get(caller.token.userId);
    if (!owner) throw resourceNotFound('me', 'User');
    return owner;
  }
  // Cookie-authenticated like /sessions/me, but a missing session is "Invalid session", not 404
  // (docs/fidelity/okta.md#okta-users-me-without-session).
  const session = liveSession(org, caller.sid);
  if (!session) throw invalidSession('no live session for the sid cookie');
  return org.user(session.userId);
}

/** The user `{userId}` names (id, login or unambiguous short name), or 404 E0000007. */
export function userNamed(org: OktaOrg, idOrLogin: string): User {
  const user = org.users.resolve(idOrLogin);
  if (!user) throw resourceNotFound(idOrLogin, 'User');
  return user;
}

/** What `GET /api/v1/users` was asked (docs/fidelity/okta.md#okta-admin-list-users). */
export interface UserQuery {
  q: string | undefined;
  filter: string | undefined;
  search: string | undefined;
  sortBy: string | undefined;
  sortOrder: string | undefined;
  page: PageRequest;
}

/**
 * `GET /api/v1/users`: all but DEPROVISIONED users, in the order created; `q` (a prefix of the first name,
 * last name or email, one page at most) likewise; `filter` and `search` every status. `search` alone may
 * sort (`sortBy`, `sortOrder`), ties by id.
 */
export function listUsers(org: OktaOrg, query: UserQuery): Page<User> {
  if (query.search !== undefined || query.filter !== undefined) {
    const dialect = query.search !== undefined ? USER_SEARCH : USER_FILTER;
    const expression = parseExpression(query.search ?? query.filter ?? '', dialect);
    const found = [...org.users.values()].filter((user) =>
      matches(expression, userAttribute(org, user), dialect),
    );
    if (query.search !== undefined && query.sortBy !== undefined) {
      return sortedPage(org, found, query.sortBy, query.sortOrder, query.page);
    }
    return pageOf(
      found,
      query.page,
      (user) => user.id,
      (id) => org.users.position(id),
    );
  }
  const live = [...org.users.values()].filter((user) => user.status !== 'DEPROVISIONED');
  if (query.q !== undefined) {
    const prefix = query.q.toLowerCase();
    const found = live.filter((user) =>
      [user.profile.firstName, user.profile.lastName, user.profile.email].some((value) =>
        value.toLowerCase().startsWith(prefix),
      ),
    );
    return { items: found.slice(0, query.page.limit), next: undefined };
  }
  return pageOf(
    live,
    query.page,
    (user) => user.id,
    (id) => org.users.position(id),
  );
}

const USER_DATES = new Set(['created', 'activated', 'statusChanged', 'lastUpdated']);
const ORDERED: readonly Operator[] = ['eq', 'gt', 'ge', 'lt', 'le'];
const FILTER_EQ = new Set([
  'status',
  'id',
  'profile.login',
  'profile.email',
  'profile.firstName',
  'profile.lastName',
]);

/**
 * The Users API's `filter`: `eq` on status, id, login, email, first and last name, and comparisons of
 * `lastUpdated`; `and` / `or` without `not`; values compare exactly.
 */
export const USER_FILTER: Dialect = {
  name: 'filter',
  operators: (attribute) =>
    attribute === 'lastUpdated' ? ORDERED : FILTER_EQ.has(attribute) ? ['eq'] : undefined,
  allowsNot: false,
  ignoreCase: false,
  isDate: (attribute) => attribute === 'lastUpdated',
};

const SEARCH_OPERATORS: readonly Operator[] = ['eq', 'sw', 'gt', 'ge', 'lt', 'le', 'pr'];
const SEARCH_CONTAINS = new Set(['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login']);

/**
 * The Users API's `search`: any profile attribute, `id`, `status`, the dates and `type.id`; `eq`, `sw`, the
 * comparisons and `pr`, `co` on the four names only, no `ne`; values compare without regard to case.
 */
export const USER_SEARCH: Dialect = {
  name: 'search',
  operators(attribute) {
    if (SEARCH_CONTAINS.has(attribute)) return [...SEARCH_OPERATORS, 'co'];
    if (attribute.startsWith('profile.') || attribute === 'id' || attribute === 'status')
      return SEARCH_OPERATORS;
    if (attribute === 'type.id') return SEARCH_OPERATORS;
    if (USER_DATES.has(attribute)) return [...ORDERED, 'pr'];
    return undefined;
  },
  allowsNot: true,
  ignoreCase: true,
  isDate: (attribute) => USER_DATES.has(attribute),
};

/** An attribute of a user as filters see it; instants as epoch milliseconds. */
function userAttribute(org: OktaOrg, user: User): (attribute: string) => unknown {
  return (attribute) => {
    switch (attribute) {
      case 'id':
        return user.id;
      case 'status':
        return user.status;
      case 'created':
        return user.created;
      case 'activated':
        return user.activated;
      case 'statusChanged':
        return user.statusChanged;
      case 'lastUpdated':
        return user.lastUpdated;
      case 'type.id':
        return org.userTypeId;
    }
    if (!attribute.startsWith('profile.')) return undefined;
    return profileValue(user.profile, attribute.slice('profile.'.length));
  };
}

/** One attribute of a profile by Okta's name. */
export function profileValue(profile: UserProfile, name: string): ProfileValue | undefined {
  switch (name) {
    case 'login':
    case 'email':
    case 'firstName':
    case 'lastName':
      return profile[name];
    default:
      return profile.attributes.get(name);
  }
}

function sortedPage(
  org: OktaOrg,
  found: User[],
  sortBy: string,
  sortOrder: string | undefined,
  page: PageRequest,
): Page<User> {
  const attribute = userAttribute;
  const direction = sortOrder?.toLowerCase() === 'desc' ? -1 : 1;
  const keyed = found.map((user) => ({ user, key: attribute(org, user)(sortBy) }));
  keyed.sort((a, b) => {
    const order = compareValues(a.key, b.key) * direction;
    return order !== 0 ? order : a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0;
  });
  const ordered = keyed.map(({ user }) => user);
  const index = new Map(ordered.map((user, i) => [user.id, i]));
  return pageOf(
    ordered,
    page,
    (user) => user.id,
    (id) => index.get(id),
  );
}

/** Sort order of attribute values: missing values last, numbers by value, anything else as text. */
function compareValues(a: unknown, b: unknown): number {
  const missing = (value: unknown) => value === undefined || value === null;
  if (missing(a) || missing(b)) return missing(a) === missing(b) ? 0 : missing(a) ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Checks a profile as a whole: for `full` (create, `PUT`) the given attributes are all there is; for
 * `partial` they replace the current user's. 400 E0000001 "Api validation failed: <first field>" with one
 * cause per problem (docs/fidelity/okta.md#okta-admin-user-validation).
 */
function checkedProfile(
  org: OktaOrg,
  input: ProfileInput,
  current: User | undefined,
  mode: 'partial' | 'full',
): UserProfile {
  const problems: [string, string][] = [];
  const merged = new Map<string, ProfileValue>();
  if (mode === 'partial' && current) {
    for (const name of REQUIRED) merged.set(name, current.profile[name]);
    for (const [name, value] of current.profile.attributes) merged.set(name, value);
  }
  const names = Object.keys(input);
  if (names.length > PROFILE_LIMITS.attributes + REQUIRED.length) {
    problems.push(['profile', `profile: more than ${PROFILE_LIMITS.attributes} attributes`]);
  }
  for (const name of names) {
    const value = input[name];
    if (value === undefined) continue;
    if (name.length > PROFILE_LIMITS.nameLength || !ATTRIBUTE_NAME.test(name)) {
      problems.push([name.slice(0, 40), `${name.slice(0, 100)}: Property name is not valid`]);
      continue;
    }
    const sizeProblem = valueProblem(name, value);
    if (sizeProblem) problems.push([name, sizeProblem]);
    merged.set(name, value);
  }
  // Each required attribute's text; a blank or non-string one is a problem, so these are only read without any.
  const required = { login: '', email: '', firstName: '', lastName: '' };
  for (const name of REQUIRED) {
    const value = merged.get(name);
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      problems.push([name, `${name}: The field cannot be left blank`]);
    } else if (typeof value !== 'string') {
      problems.push([name, `${name}: The field must be a string`]);
    } else {
      required[name] = value;
    }
  }
  const login = merged.get('login');
  const email = merged.get('email');
  if (typeof login === 'string' && login.trim() !== '') {
    if (!EMAIL.test(login))
      problems.push(['login', 'login: Username must be in the form of an email address']);
    const holder = org.users.findByIdOrLogin(login);
    if (holder && holder.id !== current?.id) {
      problems.push(['login', 'login: An object with this field already exists in the current organization']);
    }
  }
  if (typeof email === 'string' && email.trim() !== '' && !EMAIL.test(email)) {
    problems.push(['email', 'email: Does not match required pattern']);
  }
  if (problems.length > 0) {
    throw validationFailed(
      problems[0]?.[0] ?? 'profile',
      problems.map(([, cause]) => cause),
    );
  }
  const attributes = new Map<string, ProfileValue>();
  for (const [name, value] of merged) {
    if (!oneOf(REQUIRED, name)) attributes.set(name, value);
  }
  return { ...required, attributes };
}

function valueProblem(name: string, value: ProfileValue): string | undefined {
  const [min, max] = LENGTHS.get(name) ?? [0, PROFILE_LIMITS.stringLength];
  if (typeof value === 'string' && value !== '' && (value.length < min || value.length > max)) {
    return `${name}: size must be between ${min} and ${max}`;
  }
  if (Array.isArray(value)) {
    if (value.length > PROFILE_LIMITS.arrayLength) {
      return `${name}: at most ${PROFILE_LIMITS.arrayLength} values`;
    }
    if (value.some((item) => typeof item === 'string' && item.length > PROFILE_LIMITS.stringLength)) {
      return `${name}: size must be between 0 and ${PROFILE_LIMITS.stringLength}`;
    }
  }
  return undefined;
}

interface CheckedCredentials {
  password: string | undefined;
  recoveryQuestion: { question: string; answer: string } | undefined;
}

/** Checks `credentials` for `user` (whose login the password may not contain); changes nothing. */
function checkedCredentials(
  org: OktaOrg,
  user: User,
  input: CredentialsInput | undefined,
  updating: boolean,
  checks: PasswordChecks,
): CheckedCredentials {
  if (!input) return { password: undefined, recoveryQuestion: undefined };
  if (input.provider !== undefined && input.provider !== 'OKTA') {
    throw validationFailed('provider', [`provider: ${input.provider.slice(0, 40)} users are not simulated`]);
  }
  if (input.passwordImport) {
    throw validationFailed('password', ['password: hashed or hooked passwords are not simulated']);
  }
  let password: string | undefined;
  if (input.password !== undefined) {
    const problem = passwordProblem(org, user, input.password, 'password', checks);
    if (problem) throw validationFailed('password', [problem]);
    password = input.password;
  }
  const question = input.recoveryQuestion;
  // The SDK echoes `recovery_question: { question }` back when it updates a user it read: nothing to set.
  const recoveryQuestion =
    question && !(updating && question.answer === undefined) ? checkedRecoveryQuestion(question) : undefined;
  return { password, recoveryQuestion };
}

function checkedRecoveryQuestion(input: { question?: string | undefined; answer?: string | undefined }): {
  question: string;
  answer: string;
} {
  const causes: string[] = [];
  const question = input.question?.trim() ?? '';
  const answer = input.answer?.trim() ?? '';
  if (question === '') causes.push('recovery_question.question: The field cannot be left blank');
  else if (question.length > 255) causes.push('recovery_question.question: size must be between 1 and 255');
  if (answer.length < 4) {
    causes.push(
      'recovery_question.answer: The security question answer must be at least 4 characters in length',
    );
  } else if (answer.length > 255) {
    causes.push('recovery_question.answer: size must be between 4 and 255');
  }
  if (causes.length > 0) throw validationFailed('recovery_question', causes);
  return { question, answer };
}

/**
 * Why `password` may not be set for `user` under `checks`, as the cause Okta gives on `field` (the one
 * sentence naming every rule, docs/fidelity/okta.md#okta-complexity-cause), or undefined.
 */
function passwordProblem(
  org: OktaOrg,
  user: User,
  password: string,
  field: string,
  checks: PasswordChecks,
): string | undefined {
  if (password.length > PROFILE_LIMITS.passwordLength) {
    return `${field}: size must be between 0 and ${PROFILE_LIMITS.passwordLength}`;
  }
  const violation = passwordViolation(org, user, password, checks);
  return violation === null ? undefined : `${field}: ${violation}`;
}

/** A user-initiated password change: 403 E0000014 with the cause on `field` when the password is refused. */
function setUserPassword(
  org: OktaOrg,
  user: User,
  password: string | undefined,
  field: string,
  checks: PasswordChecks,
): void {
  const problem =
    password === undefined || password === ''
      ? `${field}: The field cannot be left blank`
      : passwordProblem(org, user, password, field, checks);
  if (problem || password === undefined) {
    throw new OktaError('E0000014', { causes: [problem ?? ''], detail: 'new password refused' });
  }
  storePassword(org, user, password);
  user.passwordResetPending = false;
  if (user.status === 'PASSWORD_EXPIRED' || user.status === 'RECOVERY') setStatus(org, user, 'ACTIVE');
}

function checkType(org: OktaOrg, typeId: string | undefined): void {
  if (typeId !== undefined && typeId !== org.userTypeId) {
    throw validationFailed('type', [`type: No user type with id ${typeId.slice(0, 40)}`]);
  }
}

/** The groups of `groupIds` (docs/fidelity/okta.md#okta-admin-create-user). */
function groupsOf(org: OktaOrg, groupIds: readonly string[]): Group[] {
  if (groupIds.length > PROFILE_LIMITS.groupIds) {
    throw new OktaError('E0000093', { causes: ['The number of group targets is too large'] });
  }
  return groupIds.map((id) => {
    const group = org.groups.get(id);
    if (group?.type !== 'OKTA_GROUP') {
      throw validationFailed('groupIds', [`groupIds: No OKTA_GROUP with id ${id.slice(0, 40)}`]);
    }
    return group;
  });
}

/** Adds a member, as creating a user with `groupIds` and the Groups API do. */
export function addMember(org: OktaOrg, group: Group, user: User): void {
  if (group.members.has(user.id)) return;
  group.members.add(user.id);
  group.lastMembershipUpdated = org.now();
}

/** Every user is a member of the built-in Everyone (docs/fidelity/okta.md#okta-groups). */
function joinEveryone(org: OktaOrg, user: User): void {
  for (const group of org.groups.values()) if (group.type === 'BUILT_IN') addMember(org, group, user);
}

function setStatus(org: OktaOrg, user: User, status: UserStatus): void {
  const now = org.now();
  if (user.status !== status) user.statusChanged = now;
  user.status = status;
  user.lastUpdated = now;
  if (status !== 'LOCKED_OUT') user.lockedAt = null;
}

/** A new activation token for the user (earlier ones stop working); "emailed" when `sendEmail`. */
function handOutActivation(org: OktaOrg, user: User, sendEmail: boolean): ActivationResult {
  const grant = grantActivation(org, user);
  if (sendEmail) {
    org.send({
      userId: user.id,
      channel: 'email',
      to: user.profile.email,
      purpose: 'activation',
      activationToken: grant.token,
    });
  }
  return { token: grant.token, sent: sendEmail };
}

function grantActivation(org: OktaOrg, user: User): ActivationGrant {
  for (const [token, grant] of [...org.activationGrants.entries()]) {
    if (grant.userId === user.id) org.activationGrants.delete(token);
  }
  const grant = {
    token: org.ids.chars(20),
    userId: user.id,
    expiresAt: org.now() + ACTIVATION_TOKEN_LIFETIME,
  };
  org.activationGrants.set(grant.token, grant);
  return grant;
}

/** A recovery token for `/api/v1/authn/recovery/token`, "emailed" when `sendEmail`. */
function grantRecovery(org: OktaOrg, user: User, sendEmail: boolean): string {
  const grant = {
    token: org.ids.chars(20),
    userId: user.id,
    type: 'PASSWORD' as const,
    expiresAt: org.now() + RECOVERY_TOKEN_LIFETIME,
  };
  org.recoveryGrants.set(grant.token, grant);
  if (sendEmail) {
    org.send({
      userId: user.id,
      channel: 'email',
      to: user.profile.email,
      purpose: 'recovery',
      recoveryToken: grant.token,
    });
  }
  return grant.token;
}

/** A temporary password that meets the policy, as `expire_password_with_temp_password` hands out. */
function temporaryPassword(org: OktaOrg): string {
  const rules = org.config.policy.password.complexity;
  const upper = org.ids.chars(Math.max(1, rules.minUpperCase), 'ABCDEFGHJKLMNPQRSTUVWXYZ');
  const digits = org.ids.chars(Math.max(1, rules.minNumber), '23456789');
  const symbols = org.ids.chars(rules.minSymbol, '!#$%&*+=?@');
  const fixed = upper.length + digits.length + symbols.length;
  const lower = org.ids.chars(
    Math.max(1, rules.minLowerCase, rules.minLength - fixed, 8 - fixed),
    'abcdefghijkmnpqrstuvwxyz',
  );
  return `${upper}${lower}${digits}${symbols}`;
}

/** Ends everything a user has going: sessions, transactions, tokens (deactivation and deletion). */
function forgetActivity(org: OktaOrg, userId: string): void {
  endUserSessions(org, userId);
  for (const [key, tx] of [...org.transactions.entries()]) {
    if (tx.kind === 'user' && tx.userId === userId) org.transactions.delete(key);
  }
  for (const [key, token] of [...org.sessionTokens.entries()])
    if (token.userId === userId) org.sessionTokens.delete(key);
  for (const [key, grant] of [...org.recoveryGrants.entries()])
    if (grant.userId === userId) org.recoveryGrants.delete(key);
  for (const [key, grant] of [...org.activationGrants.entries()]) {
    if (grant.userId === userId) org.activationGrants.delete(key);
  }
  for (const [key, tx] of [...org.factorTransactions.entries()])
    if (tx.userId === userId) org.factorTransactions.delete(key);
  forgetDevicesOf(org, userId);
}

function forgetDevicesOf(org: OktaOrg, userId: string): void {
  for (const [key] of [...org.rememberedDevices.entries()]) {
    if (key.startsWith(`${userId} `)) org.rememberedDevices.delete(key);
  }
}

function summaryOf(code: 'E0000124' | 'E0000125'): string {
  return new OktaError(code).summary;
}
