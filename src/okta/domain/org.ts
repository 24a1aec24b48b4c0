import { parseInstant, type VirtualClock } from '../../core/clock.ts';
import type { IdSource } from '../../core/ids.ts';
import type { OktaFactorSpec, OktaScenario, OktaUserSpec } from '../scenario.ts';
import { invalidToken } from './errors.ts';
import type {
  ApiToken,
  Factor,
  FactorType,
  OutboxMessage,
  Session,
  SessionToken,
  Transaction,
  User,
} from './model.ts';
import { RateLimiter } from './rate-limits.ts';

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
  return `${FACTOR_PREFIX[`${factorType}/${provider}`] as string}${ids.chars(17)}`;
}

/**
 * A recovery token handed out by a forgot-password / unlock request
 * (docs/fidelity/okta.md#okta-recovery-token-lifetime).
 */
export interface RecoveryGrant {
  token: string;
  userId: string;
  type: 'PASSWORD' | 'UNLOCK';
  expiresAt: number;
  used: boolean;
}

/**
 * The state of one simulated Okta org: users, transactions, tokens, sessions, API tokens and counters.
 * Built from the scenario's `okta` section; `reset()` returns it to that initial state.
 */
export class OktaOrg {
  readonly config: OktaScenario;
  readonly orgId: string;
  readonly clock: VirtualClock;
  /** Runtime ids and tokens; restarted on reset so that runs repeat. */
  readonly ids: IdSource;
  readonly rateLimits: RateLimiter;

  readonly users = new Map<string, User>();
  readonly transactions = new Map<string, Transaction>();
  readonly sessionTokens = new Map<string, SessionToken>();
  readonly sessions = new Map<string, Session>();
  readonly apiTokens = new Map<string, ApiToken>();
  readonly recoveryGrants = new Map<string, RecoveryGrant>();
  /** `${userId} ${deviceToken}` → when the remembered device must verify again. */
  readonly rememberedDevices = new Map<string, number>();
  outbox: OutboxMessage[] = [];

  readonly #initialUsers: readonly User[];
  readonly #byLogin = new Map<string, User>();
  readonly #byShortName = new Map<string, User | null>();

  constructor(config: OktaScenario, clock: VirtualClock, setupIds: IdSource, runtimeIds: IdSource) {
    this.config = config;
    this.clock = clock;
    this.ids = runtimeIds;
    this.orgId = config.orgId ?? `00o${setupIds.chars(17)}`;
    const start = clock.now();
    this.#initialUsers = config.users.map((spec) => compileUser(spec, start, setupIds));
    this.rateLimits = new RateLimiter(config.rateLimits);
    this.reset();
  }

  /** Back to the scenario's initial state (the clock is the simulator's business). */
  reset(): void {
    this.users.clear();
    this.#byLogin.clear();
    this.#byShortName.clear();
    for (const initial of this.#initialUsers) this.addUser(structuredClone(initial));
    this.transactions.clear();
    this.sessionTokens.clear();
    this.#sweepAt = 1024;
    this.sessions.clear();
    this.recoveryGrants.clear();
    this.rememberedDevices.clear();
    this.outbox = [];
    this.apiTokens.clear();
    for (const token of this.config.apiTokens) this.apiTokens.set(token.token, { ...token });
    this.rateLimits.reset();
    this.ids.restart();
  }

  now(): number {
    return this.clock.now();
  }

  addUser(user: User): void {
    this.users.set(user.id, user);
    this.#byLogin.set(user.login.toLowerCase(), user);
    const short = user.login.split('@')[0]?.toLowerCase();
    if (short && short !== user.login.toLowerCase()) {
      this.#byShortName.set(short, this.#byShortName.has(short) ? null : user);
    }
  }

  /**
   * The user with this login, or with this short name when it is unambiguous
   * (docs/fidelity/okta.md#okta-login-short-name).
   */
  findUser(username: string): User | undefined {
    const key = username.toLowerCase();
    return this.#byLogin.get(key) ?? this.#byShortName.get(key) ?? undefined;
  }

  /** The user with this id, or with this login. */
  findUserByIdOrLogin(idOrLogin: string): User | undefined {
    return this.users.get(idOrLogin) ?? this.#byLogin.get(idOrLogin.toLowerCase());
  }

  user(id: string): User {
    const user = this.users.get(id);
    if (!user) throw new Error(`[okta-apigee-sim] Transaction refers to unknown user ${id}`);
    return user;
  }

  /**
   * The live transaction for `stateToken`; 401 E0000011 when unknown, cancelled or expired
   * (docs/fidelity/okta.md#okta-invalid-state-token).
   */
  liveTransaction(stateToken: string | undefined): Transaction {
    if (!stateToken) throw invalidToken('no stateToken');
    const tx = this.transactions.get(stateToken);
    if (!tx) throw invalidToken('unknown or finished stateToken');
    if (this.now() >= tx.expiresAt) {
      this.transactions.delete(stateToken);
      throw invalidToken('stateToken expired');
    }
    return tx;
  }

  /**
   * Stores the transaction and slides its expiry forward (docs/fidelity/okta.md#okta-state-token-lifetime).
   */
  keep(tx: Transaction): Transaction {
    tx.expiresAt = this.now() + this.config.policy.stateTokenLifetime;
    if (!this.transactions.has(tx.stateToken)) this.#grew();
    this.transactions.set(tx.stateToken, tx);
    return tx;
  }

  /** Stores a new sessionToken (see `issueSessionToken`). */
  addSessionToken(token: SessionToken): void {
    this.#grew();
    this.sessionTokens.set(token.token, token);
  }

  /** The size the transaction and sessionToken maps may reach before the next sweep. */
  #sweepAt = 1024;

  /**
   * Drops transactions and sessionTokens past their expiry once the maps have doubled since the last
   * sweep (at least 1,024 entries): nothing can use them any more (they answer E0000011 / the sessionToken
   * error either way), and a server left running would otherwise keep every one it ever issued. Doubling
   * keeps the sweeps' cost constant per request even when nothing expires (a frozen clock).
   */
  #grew(): void {
    if (this.transactions.size + this.sessionTokens.size < this.#sweepAt) return;
    const now = this.now();
    for (const [key, tx] of this.transactions) if (now >= tx.expiresAt) this.transactions.delete(key);
    for (const [key, token] of this.sessionTokens) if (now >= token.expiresAt) this.sessionTokens.delete(key);
    this.#sweepAt = Math.max(1024, 2 * (this.transactions.size + this.sessionTokens.size));
  }

  newStateToken(): string {
    return `00${this.ids.urlSafe(40)}`;
  }

  send(message: Omit<OutboxMessage, 'at'>): void {
    this.outbox.push({ at: this.now(), ...message });
  }
}

function compileUser(spec: OktaUserSpec, start: number, ids: IdSource): User {
  const id = spec.id ?? `00u${ids.chars(17)}`;
  const firstName = spec.firstName ?? ids.faker.person.firstName();
  const lastName = spec.lastName ?? ids.faker.person.lastName();
  const email = spec.email ?? (spec.login.includes('@') ? spec.login : `${spec.login}@example.com`);
  const passwordChanged = spec.passwordChanged
    ? parseInstant(spec.passwordChanged)
    : start - (spec.passwordAge ?? 0);
  const created = Math.min(passwordChanged, start);
  return {
    id,
    login: spec.login,
    password: spec.password,
    status: spec.status,
    profile: { login: spec.login, email, firstName, lastName, locale: spec.locale, timeZone: spec.timeZone },
    created,
    lastLogin: null,
    lastUpdated: created,
    statusChanged: spec.status === 'ACTIVE' ? null : created,
    passwordChanged,
    mfa: spec.mfa,
    factors: spec.factors.map((factor) => compileFactor(factor, firstName, email, created, ids)),
    enrollment: spec.enrollment ?? {},
    recoveryQuestion: spec.recoveryQuestion,
    failedPasswordAttempts: 0,
    lockedAt: spec.status === 'LOCKED_OUT' ? created : null,
    autoPush: false,
  };
}

function compileFactor(
  spec: OktaFactorSpec,
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
