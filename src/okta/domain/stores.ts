import type { PrunedMap } from '../../core/pruned-map.ts';
import type {
  ActivationGrant,
  AnyTransaction,
  ApiToken,
  FactorTransaction,
  Group,
  OutboxMessage,
  Session,
  SessionToken,
  User,
} from './model.ts';

/**
 * Where an Okta org keeps its records. Each store prunes what nothing can use any more as time moves
 * (docs/fidelity/okta.md#okta-state-token-lifetime): an expired stateToken, sessionToken or session
 * answers exactly as an unknown one, so keeping it would only cost memory.
 */

/** Transactions by stateToken; an expired one goes as new ones come. */
export type TransactionStore = PrunedMap<string, AnyTransaction>;
/** Unredeemed sessionTokens by value; redeemed ones are deleted at once. */
export type SessionTokenStore = PrunedMap<string, SessionToken>;
/** Sessions by id. */
export type SessionStore = PrunedMap<string, Session>;
/** Devices that skip MFA, by `${userId} ${deviceToken}`, until when. */
export type RememberedDeviceStore = PrunedMap<string, number>;

/** A recovery token handed out by a forgot-password or unlock request. */
export interface RecoveryGrant {
  token: string;
  userId: string;
  type: 'PASSWORD' | 'UNLOCK';
  expiresAt: number;
}

export type RecoveryGrantStore = PrunedMap<string, RecoveryGrant>;
/** Unredeemed activation tokens by value (docs/fidelity/okta.md#okta-activation-token). */
export type ActivationGrantStore = PrunedMap<string, ActivationGrant>;
/** Push verifications of the Factors API by transaction id. */
export type FactorTransactionStore = PrunedMap<string, FactorTransaction>;

/**
 * Where listing cursors stand: the order records were added in, remembered a while for deleted records too,
 * so that a page cursor (`after=<id>`) naming a record deleted since keeps its place
 * (docs/fidelity/okta.md#okta-pagination).
 */
class Positions {
  /** Deleted ids remembered at most; the oldest are forgotten first. */
  static readonly #kept = 10_000;
  #next = 0;
  readonly #live = new Map<string, number>();
  readonly #deleted = new Map<string, number>();

  add(id: string): void {
    this.#deleted.delete(id);
    this.#live.set(id, this.#next++);
  }

  delete(id: string): void {
    const at = this.#live.get(id);
    if (at === undefined) return;
    this.#live.delete(id);
    this.#deleted.set(id, at);
    if (this.#deleted.size > Positions.#kept) {
      const oldest = this.#deleted.keys().next().value;
      if (oldest !== undefined) this.#deleted.delete(oldest);
    }
  }

  /** Where `id` stands (or stood, if deleted lately); undefined for an id never seen. */
  of(id: string): number | undefined {
    return this.#live.get(id) ?? this.#deleted.get(id);
  }

  clear(): void {
    this.#next = 0;
    this.#live.clear();
    this.#deleted.clear();
  }
}

/** Users by id, login and unambiguous short name (docs/fidelity/okta.md#okta-login-short-name), in the order added. */
export class UserStore {
  readonly #byId = new Map<string, User>();
  readonly #byLogin = new Map<string, User>();
  /** `null` marks a short name two users share; rebuilt after a deletion or a change of login. */
  #byShortName: Map<string, User | null> | undefined = new Map();
  readonly #positions = new Positions();

  add(user: User): void {
    this.#byId.set(user.id, user);
    this.#byLogin.set(user.login.toLowerCase(), user);
    this.#positions.add(user.id);
    if (this.#byShortName) addShortName(this.#byShortName, user);
  }

  /** Removes a user for good (the second `DELETE /api/v1/users/{id}`). */
  delete(user: User): void {
    this.#byId.delete(user.id);
    this.#byLogin.delete(user.login.toLowerCase());
    this.#positions.delete(user.id);
    this.#byShortName = undefined;
  }

  /** Changes a user's login, keeping the indexes right; the caller checks that it is free. */
  relogin(user: User, login: string): void {
    this.#byLogin.delete(user.login.toLowerCase());
    user.login = login;
    user.profile.login = login;
    this.#byLogin.set(login.toLowerCase(), user);
    this.#byShortName = undefined;
  }

  get(id: string): User | undefined {
    return this.#byId.get(id);
  }

  /** The user with this login, or with this short name when it is unambiguous. */
  find(username: string): User | undefined {
    const key = username.toLowerCase();
    return this.#byLogin.get(key) ?? this.#shortNames().get(key) ?? undefined;
  }

  /** The user with this id, or with this login. */
  findByIdOrLogin(idOrLogin: string): User | undefined {
    return this.#byId.get(idOrLogin) ?? this.#byLogin.get(idOrLogin.toLowerCase());
  }

  /** The user with this id, login or unambiguous short name, as the Users API takes `{userId}`. */
  resolve(idOrLogin: string): User | undefined {
    return this.#byId.get(idOrLogin) ?? this.find(idOrLogin);
  }

  /** The position of a user in the order added (also of one deleted lately): where a page cursor stands. */
  position(id: string): number | undefined {
    return this.#positions.of(id);
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Every user, in the order added. */
  values(): IterableIterator<User> {
    return this.#byId.values();
  }

  clear(): void {
    this.#byId.clear();
    this.#byLogin.clear();
    this.#byShortName = new Map();
    this.#positions.clear();
  }

  #shortNames(): Map<string, User | null> {
    if (!this.#byShortName) {
      this.#byShortName = new Map();
      for (const user of this.#byId.values()) addShortName(this.#byShortName, user);
    }
    return this.#byShortName;
  }
}

function addShortName(index: Map<string, User | null>, user: User): void {
  const short = user.login.split('@')[0]?.toLowerCase();
  if (short && short !== user.login.toLowerCase()) index.set(short, index.has(short) ? null : user);
}

/** Groups by id and by name (names compared without regard to case), in the order added. */
export class GroupStore {
  readonly #byId = new Map<string, Group>();
  readonly #byName = new Map<string, Group>();
  readonly #positions = new Positions();

  add(group: Group): void {
    this.#byId.set(group.id, group);
    this.#byName.set(group.name.toLowerCase(), group);
    this.#positions.add(group.id);
  }

  get(id: string): Group | undefined {
    return this.#byId.get(id);
  }

  named(name: string): Group | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  delete(group: Group): void {
    this.#byId.delete(group.id);
    this.#byName.delete(group.name.toLowerCase());
    this.#positions.delete(group.id);
  }

  /** Renames a group, keeping the name index right. */
  rename(group: Group, name: string): void {
    this.#byName.delete(group.name.toLowerCase());
    group.name = name;
    this.#byName.set(name.toLowerCase(), group);
  }

  /** The groups `userId` belongs to, in the order they were made (Everyone first). */
  of(userId: string): Group[] {
    return [...this.#byId.values()].filter((group) => group.members.has(userId));
  }

  /** The position of a group in the order added (also of one deleted lately): where a page cursor stands. */
  position(id: string): number | undefined {
    return this.#positions.of(id);
  }

  get size(): number {
    return this.#byId.size;
  }

  values(): IterableIterator<Group> {
    return this.#byId.values();
  }

  clear(): void {
    this.#byId.clear();
    this.#byName.clear();
    this.#positions.clear();
  }
}

/** SSWS API tokens by value and by id. */
export class ApiTokenStore {
  readonly #byValue = new Map<string, ApiToken>();
  readonly #byId = new Map<string, ApiToken>();

  add(token: ApiToken): void {
    this.#byValue.set(token.token, token);
    this.#byId.set(token.id, token);
  }

  get(value: string): ApiToken | undefined {
    return this.#byValue.get(value);
  }

  /** The token with this id (`/api/v1/api-tokens/{id}`). */
  byId(id: string): ApiToken | undefined {
    return this.#byId.get(id);
  }

  /** The token with this name or value. */
  find(nameOrValue: string): ApiToken | undefined {
    return this.#byValue.get(nameOrValue) ?? [...this.values()].find((token) => token.name === nameOrValue);
  }

  /** The active token called `name`. */
  active(name: string): ApiToken | undefined {
    return [...this.values()].find((token) => token.name === name && token.status === 'ACTIVE');
  }

  values(): IterableIterator<ApiToken> {
    return this.#byValue.values();
  }

  clear(): void {
    this.#byValue.clear();
    this.#byId.clear();
  }
}

/** The messages the org "sent" (codes, recovery links), newest last; the oldest go past `limit`. */
export class Outbox {
  readonly #limit: number;
  #messages: OutboxMessage[] = [];

  constructor(limit = 1000) {
    this.#limit = limit;
  }

  add(message: OutboxMessage): void {
    this.#messages.push(message);
    if (this.#messages.length > this.#limit * 2) this.#messages = this.#messages.slice(-this.#limit);
  }

  /** The kept messages, oldest first. */
  all(): readonly OutboxMessage[] {
    return this.#messages.length > this.#limit ? this.#messages.slice(-this.#limit) : this.#messages;
  }

  clear(): void {
    this.#messages = [];
  }
}
