import { parseInstant, type VirtualClock } from '../../core/clock.ts';
import type { IdSource } from '../../core/ids.ts';
import { PrunedMap } from '../../core/pruned-map.ts';
import type { FactorSpec, FactorType, OktaConfig, UserSpec } from './config.ts';
import { invalidToken } from './errors.ts';
import { KeyRing } from './keys.ts';
import type { AnyTransaction, ApiToken, Factor, Group, OutboxMessage, Session, User } from './model.ts';
import { OidcStore, ORG_SERVER } from './oidc-model.ts';
import { RateLimiter } from './rate-limits.ts';
import {
  type ActivationGrantStore,
  ApiTokenStore,
  type FactorTransactionStore,
  GroupStore,
  Outbox,
  type RecoveryGrantStore,
  type RememberedDeviceStore,
  type SessionStore,
  type SessionTokenStore,
  type TransactionStore,
  UserStore,
} from './stores.ts';

/** Id prefixes Okta uses per factor kind (seen in okta-auth-js and Sign-In Widget recordings). */
const FACTOR_PREFIX: Record<string, string> = {
  'token:software:totp/OKTA': 'ost',
  'token:software:totp/GOOGLE': 'uft',
  'sms/OKTA': 'sms',
  'call/OKTA': 'clf',
  'email/OKTA': 'emf',
  'push/OKTA': 'opf',
  'question/OKTA': 'ufs',
};

/** A new factor id, with the prefix Okta gives that kind of factor. */
export function newFactorId(ids: IdSource, factorType: FactorType, provider: 'OKTA' | 'GOOGLE'): string {
  return `${FACTOR_PREFIX[`${factorType}/${provider}`] ?? 'fac'}${ids.chars(17)}`;
}

/**
 * The state of one simulated Okta org: users, transactions, tokens, sessions, API tokens and counters,
 * each in its store. Built from an `OktaConfig`; `reset()` returns it to that initial state.
 */
export class OktaOrg {
  readonly config: OktaConfig;
  readonly orgId: string;
  readonly clock: VirtualClock;
  /** Runtime ids and tokens; restarted on reset so that runs repeat. */
  readonly ids: IdSource;
  readonly rateLimits: RateLimiter;

  readonly users = new UserStore();
  readonly groups = new GroupStore();
  readonly transactions: TransactionStore;
  readonly sessionTokens: SessionTokenStore;
  readonly sessions: SessionStore;
  readonly apiTokens = new ApiTokenStore();
  readonly recoveryGrants: RecoveryGrantStore;
  readonly rememberedDevices: RememberedDeviceStore;
  readonly activationGrants: ActivationGrantStore;
  readonly factorTransactions: FactorTransactionStore;
  readonly outbox = new Outbox();
  /** The id of the org's one user type (`type.id` of every user). */
  readonly userTypeId: string;
  /** OIDC clients, authorization servers, codes, grants and tokens. */
  readonly oidc: OidcStore;
  /** Signing keys: the simulator's, kept across resets and scenario reloads. */
  readonly keys: KeyRing;

  readonly #initialUsers: readonly User[];
  readonly #initialGroups: readonly Group[];
  readonly #initialApiTokens: readonly ApiToken[];

  constructor(
    config: OktaConfig,
    clock: VirtualClock,
    setupIds: IdSource,
    runtimeIds: IdSource,
    keys: KeyRing = new KeyRing(),
  ) {
    this.config = config;
    this.clock = clock;
    this.ids = runtimeIds;
    this.orgId = config.orgId ?? `00o${setupIds.chars(17)}`;
    const now = () => clock.now();
    this.transactions = new PrunedMap((tx) => tx.expiresAt, now);
    this.sessionTokens = new PrunedMap((token) => token.expiresAt, now);
    this.sessions = new PrunedMap((session) => sessionExpiresAt(config, session), now);
    this.recoveryGrants = new PrunedMap((grant) => grant.expiresAt, now);
    this.rememberedDevices = new PrunedMap((until) => until, now);
    this.activationGrants = new PrunedMap((grant) => grant.expiresAt, now);
    this.factorTransactions = new PrunedMap((tx) => tx.expiresAt, now);
    this.userTypeId = `oty${this.orgId.slice(3)}`;
    const start = clock.now();
    this.#initialUsers = config.users.map((spec) => compileUser(spec, start, setupIds));
    this.#initialGroups = compileGroups(config, this.#initialUsers, start, setupIds);
    this.#initialApiTokens = compileApiTokens(config, this.#initialUsers, start, setupIds);
    this.rateLimits = new RateLimiter(config.rateLimits);
    this.oidc = new OidcStore(config, setupIds, now);
    this.keys = keys;
    keys.configure(ORG_SERVER.keySlot, config.orgAuthorizationServer.signingKey);
    keys.configure(ORG_SERVER.accessKeySlot, config.orgAuthorizationServer.accessTokenSigningKey);
    for (const server of config.authorizationServers) keys.configure(`as:${server.id}`, server.signingKey);
    this.reset();
  }

  /** Back to the initial state (the clock is the simulator's business). */
  reset(): void {
    this.users.clear();
    for (const initial of this.#initialUsers) this.users.add(structuredClone(initial));
    this.groups.clear();
    for (const initial of this.#initialGroups) this.groups.add(structuredClone(initial));
    this.transactions.clear();
    this.sessionTokens.clear();
    this.sessions.clear();
    this.recoveryGrants.clear();
    this.rememberedDevices.clear();
    this.activationGrants.clear();
    this.factorTransactions.clear();
    this.outbox.clear();
    this.apiTokens.clear();
    for (const token of this.#initialApiTokens) this.apiTokens.add({ ...token });
    this.rateLimits.reset();
    this.oidc.clear();
    this.ids.restart();
  }

  /**
   * Takes over the records of `previous`, an org of a scenario with the same users (a reload that keeps
   * state): users as they are now, groups, transactions, tokens, sessions, API tokens and the outbox. New
   * ids continue on another branch of the seeded sequence, so they never repeat the adopted ones; `reset()`
   * still returns to this org's own initial state.
   */
  adopt(previous: OktaOrg): void {
    this.users.clear();
    for (const user of previous.users.values()) this.users.add(user);
    this.groups.clear();
    for (const group of previous.groups.values()) this.groups.add(group);
    const move = <K, V>(from: PrunedMap<K, V>, to: PrunedMap<K, V>) => {
      to.clear();
      for (const [key, value] of from.entries()) to.set(key, value);
    };
    move(previous.transactions, this.transactions);
    move(previous.sessionTokens, this.sessionTokens);
    move(previous.sessions, this.sessions);
    move(previous.recoveryGrants, this.recoveryGrants);
    move(previous.rememberedDevices, this.rememberedDevices);
    this.apiTokens.clear();
    for (const token of previous.apiTokens.values()) this.apiTokens.add(token);
    this.outbox.clear();
    for (const message of previous.outbox.all()) this.outbox.add(message);
    this.ids.branchFrom(previous.ids);
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * The user a transaction or session names; it always exists (deleting a user ends its transactions,
   * sessions and tokens first).
   */
  user(id: string): User {
    const user = this.users.get(id);
    if (!user) throw new Error(`[okta-apigee-sim] A record refers to unknown user ${id}`);
    return user;
  }

  /**
   * The live transaction for `stateToken`; 401 E0000011 when unknown, cancelled or expired
   * (docs/fidelity/okta.md#okta-invalid-state-token).
   */
  liveTransaction(stateToken: string | undefined): AnyTransaction {
    if (!stateToken) throw invalidToken('no stateToken');
    const tx = this.transactions.get(stateToken);
    if (!tx) throw invalidToken('unknown or finished stateToken');
    if (this.now() >= tx.expiresAt) {
      this.transactions.delete(stateToken);
      throw invalidToken('stateToken expired');
    }
    return tx;
  }

  /** Stores the transaction and slides its expiry forward (docs/fidelity/okta.md#okta-state-token-lifetime). */
  keep<T extends AnyTransaction>(tx: T): T {
    tx.expiresAt = this.now() + this.config.policy.stateTokenLifetime;
    this.transactions.set(tx.stateToken, tx);
    return tx;
  }

  newStateToken(): string {
    return `00${this.ids.urlSafe(40)}`;
  }

  send(message: Omit<OutboxMessage, 'at'>): void {
    this.outbox.add({ at: this.now(), ...message });
  }
}

/**
 * When the session ends if nothing else happens: idle timeout from the last activity, capped by the
 * maximum lifetime (docs/fidelity/okta.md#okta-session-expiry); `Infinity` when the policy sets neither.
 */
export function sessionExpiresAt(config: OktaConfig, session: Session): number {
  const { maxIdle, maxLifetime } = config.policy.session;
  return Math.min(
    maxIdle > 0 ? session.lastActivity + maxIdle : Number.POSITIVE_INFINITY,
    maxLifetime > 0 ? session.createdAt + maxLifetime : Number.POSITIVE_INFINITY,
  );
}

/**
 * The org's groups: Everyone (BUILT_IN, every user), then the scenario's, then any a user names that the
 * scenario does not list (docs/fidelity/okta.md#okta-groups).
 */
function compileGroups(config: OktaConfig, users: readonly User[], start: number, ids: IdSource): Group[] {
  const group = (name: string, type: Group['type'], id?: string, description?: string): Group => ({
    id: id ?? `00g${ids.chars(17)}`,
    type,
    name,
    description,
    created: start,
    lastUpdated: start,
    lastMembershipUpdated: start,
    members: new Set(),
  });
  const everyone = group('Everyone', 'BUILT_IN', undefined, 'All users in your organization');
  const byName = new Map<string, Group>([['everyone', everyone]]);
  for (const spec of config.groups)
    byName.set(spec.name.toLowerCase(), group(spec.name, 'OKTA_GROUP', spec.id, spec.description));
  users.forEach((user, i) => {
    everyone.members.add(user.id);
    for (const name of config.users[i]?.groups ?? []) {
      let target = byName.get(name.toLowerCase());
      if (!target) {
        target = group(name, 'OKTA_GROUP');
        byName.set(name.toLowerCase(), target);
      }
      target.members.add(user.id);
    }
  });
  return [...byName.values()];
}

/** The scenario's API tokens, each with an id and its owner's user id. */
function compileApiTokens(
  config: OktaConfig,
  users: readonly User[],
  start: number,
  ids: IdSource,
): ApiToken[] {
  const ownerId = (owner: string | undefined) =>
    owner === undefined
      ? undefined
      : users.find((user) => user.id === owner || user.login.toLowerCase() === owner.toLowerCase())?.id;
  return config.apiTokens.map((spec) => ({
    id: spec.id ?? `00T${ids.chars(17)}`,
    name: spec.name,
    token: spec.token,
    status: spec.status,
    userId: ownerId(spec.owner),
    created: start,
    lastUpdated: start,
  }));
}

function compileUser(spec: UserSpec, start: number, ids: IdSource): User {
  const id = spec.id ?? `00u${ids.chars(17)}`;
  const firstName = spec.firstName ?? ids.faker.person.firstName();
  const lastName = spec.lastName ?? ids.faker.person.lastName();
  const email = spec.email ?? (spec.login.includes('@') ? spec.login : `${spec.login}@example.com`);
  const passwordChanged = spec.passwordChanged
    ? parseInstant(spec.passwordChanged)
    : start - (spec.passwordAge ?? 0);
  const created = Math.min(passwordChanged, start);
  const attributes = new Map<string, string>([
    ['locale', spec.locale],
    ['timezone', spec.timeZone],
  ]);
  return {
    id,
    login: spec.login,
    password: spec.password,
    status: spec.status,
    profile: { login: spec.login, email, firstName, lastName, attributes },
    created,
    activated: null,
    lastLogin: null,
    lastUpdated: created,
    statusChanged: spec.status === 'ACTIVE' ? null : created,
    passwordChanged: spec.password === undefined ? null : passwordChanged,
    passwordResetPending: false,
    mfa: spec.mfa,
    factors: spec.factors.map((factor) => compileFactor(factor, firstName, email, created, ids)),
    enrollment: spec.enrollment ?? {},
    recoveryQuestion: spec.recoveryQuestion,
    failedPasswordAttempts: 0,
    failedFactorAttempts: 0,
    passwordHistory: [],
    lockedAt: spec.status === 'LOCKED_OUT' ? created : null,
    autoPush: false,
  };
}

function compileFactor(
  spec: FactorSpec,
  firstName: string,
  email: string,
  created: number,
  ids: IdSource,
): Factor {
  const provider = spec.type === 'token:software:totp' ? spec.provider : 'OKTA';
  const factor: Factor = {
    id: spec.id ?? newFactorId(ids, spec.type, provider),
    factorType: spec.type,
    provider,
    status: 'ACTIVE',
    created,
  };
  switch (spec.type) {
    case 'token:software:totp':
      factor.secret = spec.secret;
      break;
    case 'sms':
    case 'call':
      factor.phoneNumber = spec.phoneNumber;
      factor.passCode = spec.passCode;
      break;
    case 'email':
      factor.email = spec.email ?? email;
      factor.passCode = spec.passCode;
      break;
    case 'push':
      factor.push = {
        outcome: spec.outcome,
        afterPolls: spec.afterPolls,
        platform: spec.platform,
        deviceName: spec.deviceName ?? `${firstName}'s ${spec.platform === 'IOS' ? 'iPhone' : 'Pixel'}`,
      };
      break;
    case 'question':
      factor.question = spec.question;
      factor.questionText = spec.questionText ?? spec.question;
      factor.answer = spec.answer;
      break;
  }
  return factor;
}
