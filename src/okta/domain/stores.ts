import type { PrunedMap } from '../../core/pruned-map.ts';
import type { AnyTransaction, ApiToken, Group, OutboxMessage, Session, SessionToken, User } from './model.ts';

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

/** Users by id, login and unambiguous short name (docs/fidelity/okta.md#okta-login-short-name). */
export class UserStore {
  readonly #byId = new Map<string, User>();
  readonly #byLogin = new Map<string, User>();
  /** `null` marks a short name two users share. */
  readonly #byShortName = new Map<string, User | null>();

  add(user: User): void {
    this.#byId.set(user.id, user);
    this.#byLogin.set(user.login.toLowerCase(), user);
    const short = user.login.split('@')[0]?.toLowerCase();
    if (short && short !== user.login.toLowerCase()) {
      this.#byShortName.set(short, this.#byShortName.has(short) ? null : user);
    }
  }

  get(id: string): User | undefined {
    return this.#byId.get(id);
  }

  /** The user with this login, or with this short name when it is unambiguous. */
  find(username: string): User | undefined {
    const key = username.toLowerCase();
    return this.#byLogin.get(key) ?? this.#byShortName.get(key) ?? undefined;
  }

  /** The user with this id, or with this login. */
  findByIdOrLogin(idOrLogin: string): User | undefined {
    return this.#byId.get(idOrLogin) ?? this.#byLogin.get(idOrLogin.toLowerCase());
  }

  values(): IterableIterator<User> {
    return this.#byId.values();
  }

  clear(): void {
    this.#byId.clear();
    this.#byLogin.clear();
    this.#byShortName.clear();
  }
}

/** Groups by id and by name (names compared without regard to case). */
export class GroupStore {
  readonly #byId = new Map<string, Group>();
  readonly #byName = new Map<string, Group>();

  add(group: Group): void {
    this.#byId.set(group.id, group);
    this.#byName.set(group.name.toLowerCase(), group);
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

  values(): IterableIterator<Group> {
    return this.#byId.values();
  }

  clear(): void {
    this.#byId.clear();
    this.#byName.clear();
  }
}

/** SSWS API tokens by value. */
export class ApiTokenStore {
  readonly #byValue = new Map<string, ApiToken>();

  add(token: ApiToken): void {
    this.#byValue.set(token.token, token);
  }

  get(value: string): ApiToken | undefined {
    return this.#byValue.get(value);
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
