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

/** A custom attribute of a developer, app, key, product or app group (docs/fidelity/apigee.md#apigee-attributes). */
export interface Attribute {
  name: string;
  value: string;
}

/** Who made or last changed a management entity (Edge's `createdBy`, `lastModifiedBy`); X reports neither. */
export interface Authorship {
  createdAt: number;
  lastModifiedAt: number;
  createdBy: string;
  lastModifiedBy: string;
}

export interface Developer extends Authorship {
  developerId: string;
  email: string;
  firstName: string;
  lastName: string;
  userName: string;
  status: 'active' | 'inactive';
  attributes: Attribute[];
}

export type ApprovalType = 'auto' | 'manual';

export interface Product extends Authorship {
  name: string;
  displayName: string;
  description: string;
  scopes: string[];
  /** The paths the runtime matches: `apiResources`, or every path when that is empty. */
  resources: string[];
  /** The resource paths as the management API was given them (empty: all). */
  apiResources: string[];
  /** `manual`: new key-product entries start `pending`. */
  approvalType: ApprovalType;
  environments: string[];
  proxies: string[];
  quota: string | undefined;
  quotaInterval: string | undefined;
  quotaTimeUnit: string | undefined;
  attributes: Attribute[];
  /** X's `operationGroup`, kept as given and answered back. */
  operationGroup: unknown;
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
  attributes: Attribute[];
  scopes: string[];
}

export interface App extends Authorship {
  appId: string;
  name: string;
  /** The owning developer's email; empty for an app group's app. */
  developerEmail: string;
  /** The owning developer's id; empty for an app group's app. */
  developerId: string;
  /** The owning app group (Apigee X), for an app group's app. */
  appGroup: string | undefined;
  status: Status;
  callbackUrl: string;
  tokenFormat: TokenFormat;
  credentials: AppKey[];
  attributes: Attribute[];
  scopes: string[];
  /** The key lifetime the app was created with, in ms (-1: never), as X echoes it. */
  keyExpiresIn: number | undefined;
}

/** An Apigee X app group: apps owned by a group rather than a developer (docs/fidelity/apigee.md#apigee-app-groups). */
export interface AppGroup extends Authorship {
  appGroupId: string;
  name: string;
  displayName: string;
  channelUri: string;
  channelId: string;
  status: 'active' | 'inactive';
  attributes: Attribute[];
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
  /** Custom attributes set through Edge's token administration API. */
  attributes?: Attribute[] | undefined;
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
