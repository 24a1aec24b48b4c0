import { customFault, fault } from './errors.ts';
import type { AccessToken, RefreshToken, RevokeReason } from './model.ts';
import type { ApigeeOrg } from './org.ts';

export type TokenType = 'accesstoken' | 'refreshtoken';

type Located = { kind: 'access'; token: AccessToken } | { kind: 'refresh'; token: RefreshToken };

/** Revocations RevokeOAuthV2 made: they cannot be undone (docs/fidelity/apigee.md#apigee-validate-no-op). */
const BULK_REASONS: ReadonlySet<RevokeReason | undefined> = new Set([
  'REVOKED_BY_APP',
  'REVOKED_BY_ENDUSER',
  'REVOKED_BY_APP_ENDUSER',
]);

/**
 * OAuthV2 InvalidateToken (docs/fidelity/apigee.md#apigee-invalidate-cascade): revokes one token and, with
 * `cascade` (default true), its pair: an access token's refresh token, or every access token of a refresh
 * token's lineage. Revoking only an access token leaves its refresh token stored as approved but unusable. An
 * already revoked token is a no-op; an unknown one a fault; an expired one `access_token_expired`.
 */
export function invalidateToken(org: ApigeeOrg, value: string, type: TokenType, cascade: boolean): void {
  const found = locate(org, value, type);
  const { token } = found;
  if (org.now() >= token.expiresAt) {
    throw fault(
      found.kind === 'access' ? 'access_token_expired' : 'refresh_token_expired',
      'expired tokens cannot be revoked',
    );
  }
  if (token.status === 'revoked') {
    if (cascade && org.config.quirks.invalidateRevokedCascade === 'cascade') revokePair(org, found);
    return;
  }
  revoke(org, token, 'TOKEN_REVOKED');
  if (cascade) revokePair(org, found);
}

/**
 * OAuthV2 ValidateToken (docs/fidelity/apigee.md#apigee-validate-cascade): re-approves a revoked token and,
 * with `cascade`, its pair. Expiry is untouched, so an expired token stays unusable whatever its status;
 * RevokeOAuthV2's revocations stay.
 */
export function validateToken(org: ApigeeOrg, value: string, type: TokenType, cascade: boolean): void {
  const found = locate(org, value, type);
  const { token } = found;
  if (org.now() >= token.expiresAt && org.config.quirks.validateExpiredToken === 'fault') {
    throw fault(found.kind === 'access' ? 'access_token_expired' : 'refresh_token_expired');
  }
  // Like InvalidateToken on a revoked token, the whole call is a no-op when there is nothing to re-approve.
  if (token.status === 'approved' || BULK_REASONS.has(token.revokeReason)) return;
  approve(token);
  if (!cascade) return;
  if (found.kind === 'access') {
    const refresh = found.token.refreshToken ? org.tokens.refresh(found.token.refreshToken) : undefined;
    if (refresh) approve(refresh);
  } else {
    for (const access of org.tokens.lineageAccess(found.token.lineageId)) approve(access);
  }
}

export interface RevokeAllInput {
  appId: string | undefined;
  endUser: string | undefined;
  /** Epoch ms: only tokens issued before it. Default: every token issued until now. */
  before: number | undefined;
  cascade: boolean;
}

/**
 * RevokeOAuthV2 (docs/fidelity/apigee.md#apigee-revoke-oauth-v2): revokes the access tokens of an app, an end
 * user, or both, issued before a time; with `cascade` their refresh tokens too. JWT access tokens cannot be
 * revoked, but the refresh tokens tied to them can, and are. Returns how many tokens it revoked.
 */
export function revokeAll(org: ApigeeOrg, input: RevokeAllInput): number {
  if (!input.appId && !input.endUser) throw fault('EmptyAppAndEndUserId');
  if (input.appId && !org.appById(input.appId)) throw fault('app_id_not_found', undefined, input.appId);
  const reason: RevokeReason =
    input.appId && input.endUser
      ? 'REVOKED_BY_APP_ENDUSER'
      : input.appId
        ? 'REVOKED_BY_APP'
        : 'REVOKED_BY_ENDUSER';
  const candidates = input.appId ? org.tokens.ofApp(input.appId) : org.tokens.ofEndUser(input.endUser ?? '');
  const now = org.now();
  const issuedInTime = (issuedAt: number) =>
    input.before === undefined ? issuedAt <= now : issuedAt < input.before;
  let revoked = 0;
  for (const token of candidates) {
    if (token.status !== 'approved' || !issuedInTime(token.issuedAt)) continue;
    if (input.appId && input.endUser && token.endUser !== input.endUser) continue;
    const isRefresh = 'pairedAccessToken' in token;
    if (isRefresh ? !(input.cascade || token.jwtBound) : token.format === 'jwt') continue;
    revoke(org, token, reason);
    revoked += 1;
  }
  return revoked;
}

/**
 * Finds the token InvalidateToken/ValidateToken act on (docs/fidelity/apigee.md#apigee-token-lookup):
 * `refreshtoken` looks for a refresh token, then an access token; `accesstoken` for an access token only. JWT
 * access tokens and the refresh tokens tied to them are refused with a runtime fault
 * (docs/fidelity/apigee.md#apigee-jwt-revocation-fault).
 */
function locate(org: ApigeeOrg, value: string, type: TokenType): Located {
  if (type === 'refreshtoken') {
    const refresh = org.tokens.refresh(value);
    if (refresh) {
      if (refresh.jwtBound)
        throw customFault(org.config.quirks.jwtRevocationFault, 'refresh token tied to a JWT');
      return { kind: 'refresh', token: refresh };
    }
  }
  const access = org.tokens.access(value);
  if (!access)
    throw fault(
      'invalid_access_token',
      `no ${type === 'refreshtoken' ? 'refresh or access' : 'access'} token`,
    );
  if (access.format === 'jwt') throw customFault(org.config.quirks.jwtRevocationFault, 'JWT access token');
  return { kind: 'access', token: access };
}

function revokePair(org: ApigeeOrg, found: Located): void {
  if (found.kind === 'access') {
    const refresh = found.token.refreshToken ? org.tokens.refresh(found.token.refreshToken) : undefined;
    if (refresh?.status === 'approved') revoke(org, refresh, 'TOKEN_REVOKED');
  } else {
    for (const access of org.tokens.lineageAccess(found.token.lineageId)) {
      if (access.status === 'approved') revoke(org, access, 'TOKEN_REVOKED');
    }
  }
}

function revoke(org: ApigeeOrg, token: AccessToken | RefreshToken, reason: RevokeReason): void {
  token.status = 'revoked';
  token.revokedAt = org.now();
  token.revokeReason = reason;
}

/** Re-approves a token revoked by InvalidateToken; a no-op for approved tokens and bulk revocations. */
function approve(token: AccessToken | RefreshToken): void {
  if (token.status === 'approved' || BULK_REASONS.has(token.revokeReason)) return;
  token.status = 'approved';
  token.revokedAt = undefined;
  token.revokeReason = undefined;
}
