import type { AccessToken, AuthorizationCode, RefreshToken } from './model.ts';

/**
 * Where tokens live. Every lookup the rules need is by key: a token's value, a refresh lineage, an app,
 * an end user. Implementations must keep these fast with a million tokens (issue 5's benchmark).
 */
export interface TokenStore {
  addAccess(token: AccessToken): void;
  addRefresh(token: RefreshToken): void;
  addCode(code: AuthorizationCode): void;
  access(value: string): AccessToken | undefined;
  refresh(value: string): RefreshToken | undefined;
  code(value: string): AuthorizationCode | undefined;
  /** Access tokens minted from one refresh chain, oldest first. */
  lineageAccess(lineageId: string): readonly AccessToken[];
  /** The refresh tokens of one chain, oldest first (one, unless refreshes rotated it). */
  lineageRefresh(lineageId: string): readonly RefreshToken[];
  /** Every token of an app, access and refresh. */
  ofApp(appId: string): Iterable<AccessToken | RefreshToken>;
  /** Every token of an app end user, access and refresh. */
  ofEndUser(endUser: string): Iterable<AccessToken | RefreshToken>;
  allAccess(): Iterable<AccessToken>;
  allRefresh(): Iterable<RefreshToken>;
  /** Forgets an access token (Edge's token administration API deletes them); false when unknown. */
  deleteAccess(value: string): boolean;
  readonly size: number;
  clear(): void;
}

/**
 * The default store: records in maps keyed by value, with secondary indexes by lineage, app and end user.
 * Records are mutated in place (status, revocation), so every index sees the same object.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #access = new Map<string, AccessToken>();
  readonly #refresh = new Map<string, RefreshToken>();
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #lineageAccess = new Map<string, AccessToken[]>();
  readonly #lineageRefresh = new Map<string, RefreshToken[]>();
  readonly #byApp = new Map<string, (AccessToken | RefreshToken)[]>();
  readonly #byEndUser = new Map<string, (AccessToken | RefreshToken)[]>();

  addAccess(token: AccessToken): void {
    this.#access.set(token.value, token);
    if (token.lineageId) push(this.#lineageAccess, token.lineageId, token);
    this.#index(token);
  }

  addRefresh(token: RefreshToken): void {
    this.#refresh.set(token.value, token);
    push(this.#lineageRefresh, token.lineageId, token);
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

  lineageAccess(lineageId: string): readonly AccessToken[] {
    return this.#lineageAccess.get(lineageId) ?? [];
  }

  lineageRefresh(lineageId: string): readonly RefreshToken[] {
    return this.#lineageRefresh.get(lineageId) ?? [];
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
    if (token.lineageId) pull(this.#lineageAccess, token.lineageId, token);
    pull(this.#byApp, token.appId, token);
    if (token.endUser !== undefined) pull(this.#byEndUser, token.endUser, token);
    return true;
  }

  get size(): number {
    return this.#access.size + this.#refresh.size;
  }

  clear(): void {
    for (const map of [
      this.#access,
      this.#refresh,
      this.#codes,
      this.#lineageAccess,
      this.#lineageRefresh,
      this.#byApp,
      this.#byEndUser,
    ]) {
      map.clear();
    }
  }

  #index(token: AccessToken | RefreshToken): void {
    push(this.#byApp, token.appId, token);
    if (token.endUser !== undefined) push(this.#byEndUser, token.endUser, token);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)?.filter((item) => item !== value);
  if (!list || list.length === 0) map.delete(key);
  else map.set(key, list);
}
