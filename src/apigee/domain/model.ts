/** Approve/revoke status shared by apps, keys and tokens (docs/fidelity/apigee.md#apigee-status-model). */
export type Status = 'approved' | 'revoked';
export type KeyProductStatus = 'approved' | 'pending' | 'revoked';
export type TokenFormat = 'opaque' | 'jwt';
export type GrantType = 'client_credentials' | 'password' | 'authorization_code';

/**
 * Why a token was revoked: InvalidateToken, or one of RevokeOAuthV2's reasons
 * (docs/fidelity/apigee.md#apigee-revoke-reason).
 */
export type RevokeReason =
  | 'TOKEN_REVOKED'
  | 'REVOKED_BY_APP'
  | 'REVOKED_BY_ENDUSER'
  | 'REVOKED_BY_APP_ENDUSER';

export interface Developer {
  developerId: string;
  email: string;
  firstName: string;
  lastName: string;
  userName: string;
  status: 'active' | 'inactive';
  createdAt: number;
  lastModifiedAt: number;
}

export interface Product {
  name: string;
  displayName: string;
  scopes: string[];
  resources: string[];
}

export interface KeyProduct {
  apiproduct: string;
  status: KeyProductStatus;
}

export interface AppKey {
  consumerKey: string;
  consumerSecret: string;
  status: Status;
  issuedAt: number;
  /** -1: never. */
  expiresAt: number;
  apiProducts: KeyProduct[];
}

export interface App {
  appId: string;
  name: string;
  developerEmail: string;
  status: Status;
  callbackUrl: string;
  tokenFormat: TokenFormat;
  createdAt: number;
  lastModifiedAt: number;
  credentials: AppKey[];
}

/**
 * An access token. Expiry is a fact fixed at issue; status is approved or revoked, independently
 * (docs/fidelity/apigee.md#apigee-token-attributes). Tokens minted from one refresh chain share a
 * `lineageId`.
 */
export interface AccessToken {
  value: string;
  format: TokenFormat;
  clientId: string;
  appId: string;
  grantType: GrantType;
  /** The API products of the key when the token was issued. */
  apiProducts: readonly string[];
  /** Granted scopes, space-separated. */
  scope: string;
  endUser: string | undefined;
  issuedAt: number;
  expiresAt: number;
  status: Status;
  revokedAt: number | undefined;
  revokeReason: RevokeReason | undefined;
  /** The refresh token issued alongside this access token. */
  refreshToken: string | undefined;
  lineageId: string | undefined;
  refreshCount: number;
}

/**
 * A refresh token: always opaque, also when it was issued with a JWT access token
 * (docs/fidelity/apigee.md#apigee-jwt-refresh-token).
 */
export interface RefreshToken {
  value: string;
  lineageId: string;
  clientId: string;
  appId: string;
  grantType: GrantType;
  apiProducts: readonly string[];
  scope: string;
  endUser: string | undefined;
  /** The latest access token issued with this refresh token. */
  pairedAccessToken: string;
  issuedAt: number;
  expiresAt: number;
  status: Status;
  revokedAt: number | undefined;
  revokeReason: RevokeReason | undefined;
  /** Set when a refresh replaced this token (ReuseRefreshToken false): it can no longer be used. */
  supersededBy: string | undefined;
  jwtBound: boolean;
}

export interface AuthorizationCode {
  value: string;
  clientId: string;
  appId: string;
  redirectUri: string;
  scope: string;
  endUser: string | undefined;
  issuedAt: number;
  expiresAt: number;
}

/** What a successful VerifyAccessToken learned, as the reference proxy answers it. */
export interface Verification {
  token: AccessToken;
  app: App;
  key: AppKey;
  developer: Developer;
  /** The approved products of the key that cover the request. */
  products: string[];
}
