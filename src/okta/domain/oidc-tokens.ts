import type { JWTPayload } from 'jose';
import { isRecord } from '../../core/guards.ts';
import { signJwt } from './keys.ts';
import type { User } from './model.ts';
import {
  type AccessTokenRecord,
  type AuthorizationServer,
  type Grant,
  issuerOf,
  type OidcApp,
  type RefreshToken,
} from './oidc-model.ts';
import type { OktaOrg } from './org.ts';

/** What a token request or an implicit /authorize answers (docs/fidelity/okta.md#okta-oidc-token-response). */
export interface TokenSet {
  token_type: 'Bearer';
  expires_in: number;
  access_token?: string;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface MintRequest {
  server: AuthorizationServer;
  /** The origin the client used: issuers follow it. */
  base: string;
  app: OidcApp;
  grant: Grant;
  scopes: string[];
  accessToken: boolean;
  idToken: boolean;
  /** Full scope claims in the ID token (`response_type=id_token` alone); thin otherwise. */
  fullIdToken?: boolean;
  nonce?: string | undefined;
  /** The refresh token to hand back: a new one, or the one presented (static rotation). */
  refreshToken?: RefreshToken | undefined;
  /** An authorization code answered beside an ID token (hybrid flow): its `c_hash`. */
  code?: string | undefined;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Mints access and ID tokens for a grant. Every record is stored before anything is signed, so that
 * parallel requests see each other's effects; the signing (the only slow part) comes last.
 */
export async function mintTokens(org: OktaOrg, request: MintRequest): Promise<TokenSet> {
  const { server, base, app, grant, scopes } = request;
  const now = org.now();
  const iat = seconds(now);
  const issuer = issuerOf(server, base);
  const user = grant.userId ? org.user(grant.userId) : undefined;
  const set: TokenSet = {
    token_type: 'Bearer',
    expires_in: seconds(server.accessTokenLifetime),
    scope: scopes.join(' '),
  };
  let accessClaims: JWTPayload | undefined;
  let record: AccessTokenRecord | undefined;
  if (request.accessToken) {
    const audience =
      server.kind === 'org'
        ? base
        : server.audiences.length === 1
          ? server.audiences[0]!
          : [...server.audiences];
    const jti = `AT.${org.ids.urlSafe(43)}`;
    const exp = iat + seconds(server.accessTokenLifetime);
    accessClaims = {
      ver: 1,
      jti,
      iss: issuer,
      aud: audience,
      iat,
      exp,
      cid: app.clientId,
      ...(user && { uid: user.id }),
      scp: scopes,
      ...(user && grant.authTime !== undefined && { auth_time: seconds(grant.authTime) }),
      sub: user ? user.login : app.clientId,
      ...(user && scopes.includes('groups') && { groups: groupNames(org, user) }),
    };
    record = {
      jti,
      grantId: grant.id,
      clientId: app.clientId,
      serverId: server.id,
      userId: user?.id,
      sub: user ? user.login : app.clientId,
      scopes,
      audience,
      issuer,
      issuedAt: iat * 1000,
      expiresAt: exp * 1000,
      signature: '',
      refreshToken: request.refreshToken?.token,
      revoked: false,
    };
    org.oidc.accessTokens.set(jti, record);
    grant.expiresAt = Math.max(grant.expiresAt, exp * 1000);
    org.oidc.grants.set(grant.id, grant);
  }
  if (request.refreshToken) set.refresh_token = request.refreshToken.token;
  const accessKey = request.accessToken ? org.keys.signing(server.accessKeySlot) : undefined;
  const idKey = request.idToken && user ? org.keys.signing(server.keySlot) : undefined;
  if (accessKey && accessClaims && record) {
    const token = await signJwt(await accessKey, accessClaims);
    record.signature = token.slice(token.lastIndexOf('.') + 1);
    set.access_token = token;
  }
  if (idKey && user) {
    const claims: JWTPayload = {
      sub: user.id,
      ...idTokenProfile(org, user, scopes, request.fullIdToken === true),
      ver: 1,
      iss: issuer,
      aud: app.clientId,
      iat,
      exp: iat + seconds(server.idTokenLifetime),
      jti: `ID.${org.ids.urlSafe(43)}`,
      amr: grant.amr,
      idp: org.orgId,
      ...(request.nonce !== undefined && { nonce: request.nonce }),
      ...(grant.authTime !== undefined && { auth_time: seconds(grant.authTime) }),
      ...(set.access_token && { at_hash: await halfHash(set.access_token) }),
      ...(request.code && { c_hash: await halfHash(request.code) }),
    };
    set.id_token = await signJwt(await idKey, claims);
  }
  return set;
}

/**
 * The scope claims of an ID token: thin (`name`, `preferred_username`, `email`) when an access token comes
 * with it, every claim of the scopes otherwise (docs/fidelity/okta.md#okta-oidc-id-token-claims).
 */
function idTokenProfile(org: OktaOrg, user: User, scopes: readonly string[], full: boolean): JWTPayload {
  const all = userClaims(org, user, scopes);
  const claims: JWTPayload = {};
  if (full) {
    const { sub: _sub, ...rest } = all;
    return rest;
  }
  for (const name of ['name', 'email', 'preferred_username', 'groups']) {
    if (all[name] !== undefined) claims[name] = all[name];
  }
  return claims;
}

/** The claims of `/userinfo` for the granted scopes (docs/fidelity/okta.md#okta-oidc-userinfo). */
export function userClaims(org: OktaOrg, user: User, scopes: readonly string[]): JWTPayload {
  const { profile } = user;
  const claims: JWTPayload = { sub: user.id };
  if (scopes.includes('profile')) {
    Object.assign(claims, {
      name: `${profile.firstName} ${profile.lastName}`,
      locale: String(profile.attributes.get('locale') ?? 'en_US').replace('_', '-'),
      preferred_username: user.login,
      given_name: profile.firstName,
      family_name: profile.lastName,
      zoneinfo: profile.attributes.get('timezone') ?? 'America/Los_Angeles',
      updated_at: seconds(user.lastUpdated),
    });
  }
  if (scopes.includes('email')) Object.assign(claims, { email: profile.email, email_verified: true });
  if (scopes.includes('groups')) claims.groups = groupNames(org, user);
  return claims;
}

/** The names of the user's groups, Everyone first, at most 100 (docs/fidelity/okta.md#okta-oidc-groups-claim). */
export function groupNames(org: OktaOrg, user: User): string[] {
  return org.groups
    .of(user.id)
    .slice(0, 100)
    .map((group) => group.name);
}

/** OIDC Core's `at_hash` / `c_hash`: base64url of the left half of SHA-256 over the ASCII value. */
async function halfHash(value: string): Promise<string> {
  return base64url((await sha256(value)).subarray(0, 16));
}

/** base64url of SHA-256 over `value`: the PKCE S256 transform (RFC 7636 §4.2). */
export async function s256(value: string): Promise<string> {
  return base64url(await sha256(value));
}

interface NodeHash {
  createHash(algorithm: 'sha256'): { update(data: string): { digest(): Uint8Array } };
}

/**
 * node:crypto's hash where there is one (Node 22: `process.getBuiltinModule`), synchronous and without a
 * thread-pool round trip per token; WebCrypto elsewhere (browsers).
 */
const host: { process?: { getBuiltinModule?: (name: string) => unknown } } = globalThis;
const builtin = host.process?.getBuiltinModule?.('node:crypto');
const nodeCrypto = isNodeHash(builtin) ? builtin : undefined;

function isNodeHash(value: unknown): value is NodeHash {
  return isRecord(value) && typeof value.createHash === 'function';
}

async function sha256(value: string): Promise<Uint8Array> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(value).digest();
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** A new grant (one authentication) of `app` at `server`. */
export function newGrant(
  org: OktaOrg,
  server: AuthorizationServer,
  app: OidcApp,
  fields: { userId: string | undefined; scopes: string[]; authTime: number | undefined; amr: string[] },
): Grant {
  const now = org.now();
  const grant: Grant = {
    id: `oar${org.ids.chars(17)}`,
    clientId: app.clientId,
    serverId: server.id,
    ...fields,
    createdAt: now,
    revoked: false,
    expiresAt: now,
  };
  return grant;
}

/** A new refresh token of a grant (docs/fidelity/okta.md#okta-oidc-refresh-tokens). */
export function newRefreshToken(
  org: OktaOrg,
  server: AuthorizationServer,
  grant: Grant,
  scopes: string[],
  expiresAt?: number,
): RefreshToken {
  const now = org.now();
  const token: RefreshToken = {
    token: org.ids.urlSafe(43),
    grantId: grant.id,
    clientId: grant.clientId,
    serverId: server.id,
    scopes,
    issuedAt: now,
    expiresAt:
      expiresAt ??
      (server.refreshTokenLifetime > 0 ? now + server.refreshTokenLifetime : Number.POSITIVE_INFINITY),
    lastUsedAt: now,
    rotatedAt: undefined,
    successor: undefined,
    revoked: false,
  };
  org.oidc.refreshTokens.set(token.token, token);
  grant.expiresAt = Math.max(grant.expiresAt, Math.min(token.expiresAt, refreshIdleEnd(server, now)));
  org.oidc.grants.set(grant.id, grant);
  return token;
}

function refreshIdleEnd(server: AuthorizationServer, now: number): number {
  return server.refreshTokenIdle > 0 ? now + server.refreshTokenIdle : Number.POSITIVE_INFINITY;
}

/** Marks a grant and every token minted from it revoked. */
export function revokeGrant(org: OktaOrg, grantId: string): void {
  const grant = org.oidc.grants.get(grantId);
  if (grant) grant.revoked = true;
}

export type AccessTokenCheck =
  | { ok: true; record: AccessTokenRecord; grant: Grant | undefined }
  | { ok: false; reason: string };

/**
 * Whether `token` is a live access token this org issued (at `server`, when given): its record, its exact
 * signature, not expired on the virtual clock, not revoked (nor its grant). Synchronous: the record
 * holds the signature, so no cryptography is needed to tell a forgery.
 */
export function checkAccessToken(
  org: OktaOrg,
  token: string,
  server?: AuthorizationServer,
): AccessTokenCheck {
  const payload = decodePayload(token);
  const jti = typeof payload?.jti === 'string' ? payload.jti : undefined;
  const record = jti ? org.oidc.accessTokens.get(jti) : undefined;
  if (!record) return { ok: false, reason: 'not an access token this org issued' };
  if (record.signature === '' || token.slice(token.lastIndexOf('.') + 1) !== record.signature)
    return { ok: false, reason: 'signature does not match the issued token' };
  if (server && record.serverId !== server.id) return { ok: false, reason: `issued by ${record.serverId}` };
  if (org.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
  const grant = org.oidc.grants.get(record.grantId);
  if (record.revoked || grant?.revoked) return { ok: false, reason: 'revoked' };
  return { ok: true, record, grant };
}

/** The payload of a compact JWS, unverified; `undefined` when it is not one. */
export function decodePayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 16_384) return undefined;
  try {
    const json = atob((parts[1] ?? '').replaceAll('-', '+').replaceAll('_', '/'));
    const value: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))),
    );
    return isRecord(value) && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The protected header of a compact JWS, unverified. */
export function decodeHeader(token: string): Record<string, unknown> | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  return decodePayload(`x.${token.slice(0, dot)}.x`);
}
