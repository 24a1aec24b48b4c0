import type { IdSource } from '../../core/ids.ts';
import { PrunedMap } from '../../core/pruned-map.ts';
import type { AuthorizationServerSpec, OidcAppSpec, OktaConfig } from './config.ts';

/** An OIDC client with its id and name settled. */
export interface OidcApp extends OidcAppSpec {
  clientId: string;
  name: string;
}

/**
 * An authorization server: the org's (`id` = `org`, issuer = the org URL, `/oauth2/v1/...`) or a custom
 * one (issuer = `{org}/oauth2/{id}`) (docs/fidelity/okta.md#okta-oidc-servers).
 */
export interface AuthorizationServer {
  readonly id: string;
  readonly kind: 'org' | 'custom';
  /** The custom server's audiences; the org server's is its issuer. */
  readonly audiences: readonly string[];
  readonly scopes: AuthorizationServerSpec['scopes'];
  readonly accessTokenLifetime: number;
  readonly idTokenLifetime: number;
  readonly refreshTokenLifetime: number;
  readonly refreshTokenIdle: number;
  /** The key-ring slot of its published key (ID tokens; a custom server's access tokens too). */
  readonly keySlot: string;
  /** The slot of the key that signs its access tokens (the org server's is never published). */
  readonly accessKeySlot: string;
}

/** The OpenID Connect scopes every server knows (docs/fidelity/okta.md#okta-oidc-scopes). */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'groups'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The org authorization server: fixed 1 h tokens, 90-day refresh tokens (docs/fidelity/okta.md#okta-oidc-lifetimes). */
export const ORG_SERVER: AuthorizationServer = {
  id: 'org',
  kind: 'org',
  audiences: [],
  scopes: [],
  accessTokenLifetime: HOUR,
  idTokenLifetime: HOUR,
  refreshTokenLifetime: 90 * DAY,
  refreshTokenIdle: 0,
  keySlot: 'org',
  accessKeySlot: 'org-access',
};

export function customServer(spec: AuthorizationServerSpec): AuthorizationServer {
  return {
    id: spec.id,
    kind: 'custom',
    audiences: spec.audiences,
    scopes: spec.scopes,
    accessTokenLifetime: spec.accessTokenLifetime,
    idTokenLifetime: spec.idTokenLifetime,
    refreshTokenLifetime: spec.refreshTokenLifetime,
    refreshTokenIdle: spec.refreshTokenIdle,
    keySlot: `as:${spec.id}`,
    accessKeySlot: `as:${spec.id}`,
  };
}

/** The issuer of a server as a client reached it through `base` (docs/fidelity/okta.md#okta-oidc-servers). */
export function issuerOf(server: AuthorizationServer, base: string): string {
  return server.kind === 'org' ? base : `${base}/oauth2/${server.id}`;
}

/** Where a server's endpoints live: `{base}/oauth2/v1` or `{base}/oauth2/{id}/v1`. */
export function endpointBase(server: AuthorizationServer, base: string): string {
  return server.kind === 'org' ? `${base}/oauth2/v1` : `${base}/oauth2/${server.id}/v1`;
}

/** A one-time authorization code (docs/fidelity/okta.md#okta-oidc-codes): 300 s, bound to what /authorize saw. */
export interface AuthorizationCode {
  code: string;
  clientId: string;
  serverId: string;
  redirectUri: string;
  userId: string;
  sessionId: string | undefined;
  authTime: number;
  amr: string[];
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  expiresAt: number;
}

/**
 * One authentication of a user (or client) for a client at a server: every token minted from it, through
 * any number of refreshes, belongs to it, and a refresh-token reuse revokes all of them.
 */
export interface Grant {
  id: string;
  clientId: string;
  serverId: string;
  userId: string | undefined;
  scopes: string[];
  authTime: number | undefined;
  amr: string[];
  createdAt: number;
  revoked: boolean;
  /** When nothing of it can be used any more; moves on as tokens are minted. */
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  grantId: string;
  clientId: string;
  serverId: string;
  scopes: string[];
  issuedAt: number;
  /** The absolute end (`refreshTokenLifetime`), inherited through rotation; `Infinity` when unlimited. */
  expiresAt: number;
  lastUsedAt: number;
  /** Set once rotated: when, and what replaced it. */
  rotatedAt: number | undefined;
  successor: string | undefined;
  revoked: boolean;
}

export interface AccessTokenRecord {
  jti: string;
  grantId: string;
  clientId: string;
  serverId: string;
  userId: string | undefined;
  sub: string;
  scopes: string[];
  audience: string | string[];
  issuer: string;
  issuedAt: number;
  expiresAt: number;
  /** The JWS signature: a token is ours only if it carries exactly this one. */
  signature: string;
  /** The refresh token minted beside it, if any. */
  refreshToken: string | undefined;
  revoked: boolean;
}

/**
 * The OIDC state of an org: codes, grants, refresh and access tokens, used client assertions. Each store
 * prunes what can no longer be used, so a long run keeps a steady footprint.
 */
export class OidcStore {
  readonly apps = new Map<string, OidcApp>();
  readonly servers = new Map<string, AuthorizationServer>();
  readonly codes: PrunedMap<string, AuthorizationCode>;
  readonly grants: PrunedMap<string, Grant>;
  readonly refreshTokens: PrunedMap<string, RefreshToken>;
  readonly accessTokens: PrunedMap<string, AccessTokenRecord>;
  /** `jti`s of client assertions already used, until their `exp`. */
  readonly usedAssertions: PrunedMap<string, number>;

  constructor(config: OktaConfig, setupIds: IdSource, now: () => number) {
    for (const spec of config.apps) {
      const clientId = spec.clientId ?? `0oa${setupIds.chars(17)}`;
      this.apps.set(clientId, { ...spec, clientId, name: spec.name ?? clientId });
    }
    for (const spec of config.authorizationServers) this.servers.set(spec.id, customServer(spec));
    this.codes = new PrunedMap((code) => code.expiresAt, now);
    this.grants = new PrunedMap((grant) => grant.expiresAt, now);
    this.refreshTokens = new PrunedMap(
      (token) => refreshTokenEnd(token, this.servers.get(token.serverId)),
      now,
    );
    this.accessTokens = new PrunedMap((token) => token.expiresAt, now);
    this.usedAssertions = new PrunedMap((exp) => exp, now);
  }

  /** The server with this id: `org`, or a custom one. */
  server(id: string): AuthorizationServer | undefined {
    return id === 'org' ? ORG_SERVER : this.servers.get(id);
  }

  clear(): void {
    this.codes.clear();
    this.grants.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.usedAssertions.clear();
  }
}

/**
 * When a refresh token stops working if nothing else happens: its lifetime, or `refreshTokenIdle` after its
 * last use (for a rotated one, after its rotation: kept that long to recognise a reuse).
 */
export function refreshTokenEnd(token: RefreshToken, server: AuthorizationServer | undefined): number {
  const idle = (server ?? ORG_SERVER).refreshTokenIdle;
  return Math.min(token.expiresAt, idle > 0 ? token.lastUsedAt + idle : Number.POSITIVE_INFINITY);
}
