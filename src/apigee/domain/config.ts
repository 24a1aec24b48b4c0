/**
 * What an Apigee organization is made of, in the domain's terms: durations in milliseconds, every
 * default applied. The scenario format (`apigee/scenario.ts`) maps its `apigee` section onto these types.
 */
import type { ApprovalType, Attribute, GrantType, KeyProductStatus, Status, TokenFormat } from './model.ts';

/**
 * Which management API the organization plays where the host does not say: Apigee X
 * (`apigee.googleapis.com`) or Apigee Edge (`api.enterprise.apigee.com`)
 * (docs/fidelity/apigee.md#apigee-management-dialects).
 */
export type ManagementDialect = 'x' | 'edge';

/** Apigee X's and Apigee Edge's own management hosts, each speaking its dialect. */
export const MANAGEMENT_HOSTS = {
  x: 'https://apigee.googleapis.com',
  edge: 'https://api.enterprise.apigee.com',
} as const satisfies Record<ManagementDialect, string>;

/** An Edge administrator: HTTP Basic credentials the Edge management API accepts. */
export interface ManagementUser {
  username: string;
  password: string;
}

export interface DeveloperSpec {
  email: string;
  firstName: string;
  lastName: string;
  userName?: string | undefined;
  status: 'active' | 'inactive';
  developerId?: string | undefined;
  attributes?: Attribute[] | undefined;
}

export interface ProductSpec {
  name: string;
  displayName?: string | undefined;
  description?: string | undefined;
  scopes: string[];
  resources: string[];
  approvalType?: ApprovalType | undefined;
  environments?: string[] | undefined;
  proxies?: string[] | undefined;
  quota?: string | undefined;
  quotaInterval?: string | undefined;
  quotaTimeUnit?: string | undefined;
  attributes?: Attribute[] | undefined;
}

export interface KeySpec {
  consumerKey?: string | undefined;
  consumerSecret?: string | undefined;
  status: Status;
  /** Milliseconds from the clock start; absent: never expires. */
  expiresIn?: number | undefined;
  products: (string | { name: string; status: KeyProductStatus })[];
  attributes?: Attribute[] | undefined;
  scopes?: string[] | undefined;
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
  attributes?: Attribute[] | undefined;
  scopes?: string[] | undefined;
}

/** An Apigee X app group. */
export interface AppGroupSpec {
  name: string;
  displayName?: string | undefined;
  status: 'active' | 'inactive';
  attributes?: Attribute[] | undefined;
}

/** A token that exists when the org starts. */
export interface IssuedTokenSpec {
  /** App name, or `developer/app` when two developers have an app of that name. */
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
  /** The management API's dialect on `managementUrl` when its host is not Apigee's own. */
  managementDialect?: ManagementDialect | undefined;
  organization: string;
  /** Bearer tokens the management API accepts; empty: any non-empty token. */
  managementTokens: string[];
  /** Basic credentials the Edge management API accepts; empty: any non-empty user and password. */
  managementUsers?: ManagementUser[] | undefined;
  tokens: TokenPolicy;
  proxy: ProxyConfig;
  quirks: ApigeeQuirks;
  developers: DeveloperSpec[];
  products: ProductSpec[];
  apps: AppSpec[];
  appGroups?: AppGroupSpec[] | undefined;
  issuedTokens: IssuedTokenSpec[];
}
