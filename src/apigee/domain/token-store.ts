import { PrunedMap } from '../../core/pruned-map.ts';
import type { AccessToken, AuthorizationCode, RefreshToken } from './model.ts';

/**
 * Where tokens live. Every lookup the rules need is by key: a token's value, a refresh lineage, an app,
 * an end user. Implementations must keep these fast with a million tokens (bench/scale.ts).
 */
export interface TokenStore {
  addAccess(token: AccessToken): void;
  addRefresh(token: RefreshToken): void;
  addCode(code: AuthorizationCode): void;
  access(value: string): AccessToken | undefined;
  refresh(value: string): RefreshToken | undefined;
  code(value: string): AuthorizationCode | undefined;
  /** Spends an authorization code: it is gone at once, and a second use finds nothing. */
  spendCode(value: string): void;
  /** Access tokens minted from one refresh chain, oldest first. */
  lineageAccess(lineageId: string): Iterable<AccessToken>;
  /** Every token of an app, access and refresh. */
  ofApp(appId: string): Iterable<AccessToken | RefreshToken>;
  /** Every token of an app end user, access and refresh. */
  ofEndUser(endUser: string): Iterable<AccessToken | RefreshToken>;
  allAccess(): Iterable<AccessToken>;
  allRefresh(): Iterable<RefreshToken>;
  /** Forgets an access token (Edge's token administration API deletes them); false when unknown. */
  deleteAccess(value: string): boolean;
  /** Every authorization code not yet spent. */
  allCodes(): Iterable<AuthorizationCode>;
  readonly size: number;
  clear(): void;
}

export interface TokenStoreOptions {
  now(): number;
  /**
   * How long a token is kept after it expires: an expired token still answers `access_token_expired`
   * (not `invalid_access_token`) and shows in tokeninfo until then (docs/fidelity/apigee.md#apigee-token-retention).
   */
  retention: number;
}

/**
 * The default store: records in maps keyed by value, with secondary indexes by lineage, app and end user.
 * Records are mutated in place (status, revocation), so every index sees the same object. A token is
 * pruned, from every index, once it has been expired for the retention window; the pruning is amortised
 * over new tokens (`PrunedMap`), so a long run keeps a steady footprint. Live tokens are never pruned.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #access: PrunedMap<string, AccessToken>;
  readonly #refresh: PrunedMap<string, RefreshToken>;
  readonly #codes: PrunedMap<string, AuthorizationCode>;
  readonly #lineageAccess = new Map<string, Set<AccessToken>>();
  readonly #byApp = new Map<string, Set<AccessToken | RefreshToken>>();
  readonly #byEndUser = new Map<string, Set<AccessToken | RefreshToken>>();

  constructor(options: TokenStoreOptions) {
    const keepUntil = (token: AccessToken | RefreshToken) => token.expiresAt + options.retention;
    this.#access = new PrunedMap<string, AccessToken>(keepUntil, options.now, (_, token) =>
      this.#unindex(token),
    );
    this.#refresh = new PrunedMap<string, RefreshToken>(keepUntil, options.now, (_, token) =>
      this.#unindex(token),
    );
    this.#codes = new PrunedMap((code) => code.expiresAt, options.now);
  }

  addAccess(token: AccessToken): void {
    this.#access.set(token.value, token);
    if (token.lineageId) add(this.#lineageAccess, token.lineageId, token);
    this.#index(token);
  }

  addRefresh(token: RefreshToken): void {
    this.#refresh.set(token.value, token);
    this.#index(token);
  }

  addCode(code: AuthorizationCode): void {
    this.#codes.set(code.value, code);
  }

  access(value: string): AccessToken | undefined {
    return this.#access.get(value);
  }

  refresh(value: string): RefreshToken | undefined {
    return this.#refresh.get(value);
  }

  code(value: string): AuthorizationCode | undefined {
    return this.#codes.get(value);
  }

  spendCode(value: string): void {
    this.#codes.delete(value);
  }

  lineageAccess(lineageId: string): Iterable<AccessToken> {
    return this.#lineageAccess.get(lineageId) ?? [];
  }

  ofApp(appId: string): Iterable<AccessToken | RefreshToken> {
    return this.#byApp.get(appId) ?? [];
  }

  ofEndUser(endUser: string): Iterable<AccessToken | RefreshToken> {
    return this.#byEndUser.get(endUser) ?? [];
  }

  allAccess(): Iterable<AccessToken> {
    return this.#access.values();
  }

  allRefresh(): Iterable<RefreshToken> {
    return this.#refresh.values();
  }

  deleteAccess(value: string): boolean {
    const token = this.#access.get(value);
    if (!token) return false;
    this.#access.delete(value);
    this.#unindex(token);
    return true;
  }

  allCodes(): Iterable<AuthorizationCode> {
    return this.#codes.values();
  }

  get size(): number {
    return this.#access.size + this.#refresh.size;
  }

  clear(): void {
    this.#access.clear();
    this.#refresh.clear();
    this.#codes.clear();
    this.#lineageAccess.clear();
    this.#byApp.clear();
    this.#byEndUser.clear();
  }

  #index(token: AccessToken | RefreshToken): void {
    add(this.#byApp, token.appId, token);
    if (token.endUser !== undefined) add(this.#byEndUser, token.endUser, token);
  }

  #unindex(token: AccessToken | RefreshToken): void {
    remove(this.#byApp, token.appId, token);
    if (token.endUser !== undefined) remove(this.#byEndUser, token.endUser, token);
    if (!('pairedAccessToken' in token) && token.lineageId)
      remove(this.#lineageAccess, token.lineageId, token);
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function remove<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
