/**
 * What an Apigee organization is made of, in the domain's terms: durations in milliseconds, every
 * default applied. The scenario format (`apigee/scenario.ts`) maps its `apigee` section onto these types.
 */
import type { GrantType, KeyProductStatus, Status, TokenFormat } from './model.ts';

export interface DeveloperSpec {
  email: string;
  firstName: string;
  lastName: string;
  userName?: string | undefined;
  status: 'active' | 'inactive';
  developerId?: string | undefined;
}

export interface ProductSpec {
  name: string;
  displayName?: string | undefined;
  scopes: string[];
  resources: string[];
}

export interface KeySpec {
  consumerKey?: string | undefined;
  consumerSecret?: string | undefined;
  status: Status;
  /** Milliseconds from the clock start; absent: never expires. */
  expiresIn?: number | undefined;
  products: (string | { name: string; status: KeyProductStatus })[];
}

export interface AppSpec {
  name: string;
  /** The owning developer's email. */
  developer: string;
  appId?: string | undefined;
  status: Status;
  callbackUrl?: string | undefined;
  tokenFormat?: TokenFormat | undefined;
  keys: KeySpec[];
}

/** A token that exists when the org starts. */
export interface IssuedTokenSpec {
  app: string;
  key?: string | undefined;
  grantType: GrantType;
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
  scope?: string | undefined;
  endUser?: string | undefined;
  /** Milliseconds before the clock start. */
  issuedAgo: number;
  status: Status;
  refreshTokenStatus: Status;
}

/** A runtime fault with explicit parts, for behaviour Apigee's documents leave open. */
export interface FaultSpec {
  status: number;
  errorcode: string;
  faultstring: string;
}

export interface TokenPolicy {
  format: TokenFormat;
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  authorizationCodeLifetime: number;
  /** How long VerifyAccessToken keeps accepting a revoked token (docs/fidelity/apigee.md#apigee-revocation-delay). */
  revocationDelay: number;
  /** How long a token is kept after it expires, for the answers that still depend on it. */
  retention: number;
  /** `<ReuseRefreshToken>`: a refresh answers the same refresh token. */
  reuseRefreshToken: boolean;
  jwt: {
    algorithm: 'RS256' | 'HS256';
    privateKey?: string | undefined;
    secret?: string | undefined;
    issuer?: string | undefined;
  };
}

/** The reference proxy: where each OAuth endpoint is, and which paths VerifyAccessToken guards. */
export interface ProxyConfig {
  token: string;
  authorize: string;
  invalidate: string;
  validate: string;
  revoke: string;
  revokeAll: string;
  tokeninfo: string;
  jwks: string;
  protected: (string | { path: string; methods?: string[] | undefined; scope?: string | undefined })[];
  /** Origin patterns that get CORS headers. */
  cors: string[];
}

/** Switches for behaviour Apigee's documents leave open: each is an entry of docs/fidelity/apigee.md. */
export interface ApigeeQuirks {
  validateExpiredToken: 'flip' | 'fault';
  invalidateRevokedCascade: 'no-op' | 'cascade';
  jwtRevocationFault: FaultSpec;
}

export interface ApigeeConfig {
  runtimeUrl: string;
  managementUrl: string;
  organization: string;
  /** Bearer tokens the management API accepts; empty: any non-empty token. */
  managementTokens: string[];
  tokens: TokenPolicy;
  proxy: ProxyConfig;
  quirks: ApigeeQuirks;
  developers: DeveloperSpec[];
  products: ProductSpec[];
  apps: AppSpec[];
  issuedTokens: IssuedTokenSpec[];
}
