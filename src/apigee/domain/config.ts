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
  /** How long a token is kept after it expires, for the answers that still depend on it. */
  retention: number;
  /** `<ReuseRefreshToken>`: a refresh answers the same refresh token. */
  reuseRefreshToken: boolean;
  jwt: {
    algorithm: 'RS256' | 'HS256';
    privateKey?: string | undefined;
    /** An RSA private key as a JWK (its `kid` kept); absent with `privateKey`: the simulator's own key. */
    privateJwk?: RsaPrivateJwk | undefined;
    secret?: string | undefined;
    issuer?: string | undefined;
  };
}

/** An RSA private key in JWK form (RFC 7517, RFC 7518 §6.3): the public and private members, base64url. */
export interface RsaPrivateJwk {
  kty: 'RSA';
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
  kid?: string | undefined;
}

/**
 * Which verifier a protected path runs: VerifyJWTAccessToken (`jwt`), VerifyAccessToken (`opaque`), or
 * either by the token's shape (`auto`: three dot-separated parts make a JWT).
 */
export type VerifierKind = 'auto' | 'opaque' | 'jwt';

/** A path behind VerifyAccessToken. */
export interface ProtectedPath {
  path: string;
  methods?: string[] | undefined;
  /** `<Scope>`: space-separated, any one suffices. */
  scope?: string | undefined;
  verifier?: VerifierKind | undefined;
}

/** A path behind VerifyAPIKey. */
export interface ApiKeyPath {
  path: string;
  methods?: string[] | undefined;
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
  protected: (string | ProtectedPath)[];
  /** Paths behind VerifyAPIKey (the key in `x-apikey` or `?apikey=`). */
  apiKey: (string | ApiKeyPath)[];
  /** Origin patterns that get CORS headers. */
  cors: string[];
  /** `<RFCCompliantRequestResponse>true</RFCCompliantRequestResponse>` on the token endpoint. */
  rfcCompliant: boolean;
  /** Whether invalidate, validate, revoke-all and tokeninfo require client credentials (else: checked when sent). */
  requireClientAuth: boolean;
  /** `<AppEndUser>`: tokens carry the `app_enduser` field, else the password grant's username. */
  appEndUser: boolean;
}

/** Switches for behaviour Apigee's documents leave open: each is an entry of docs/fidelity/apigee.md. */
export interface ApigeeQuirks {
  validateExpiredToken: 'flip' | 'fault';
  invalidateRevokedCascade: 'no-op' | 'cascade';
  jwtRevocationFault: FaultSpec;
  /** Requested scopes the key's products lack: dropped (an empty result is `empty` or `invalid_scope`), or `strict`ly refused. */
  scopeIntersection: 'empty' | 'invalid_scope' | 'strict';
  /** `WWW-Authenticate` on a 403 InsufficientScope: none, or RFC 6750's `insufficient_scope` challenge. */
  insufficientScopeChallenge: 'none' | 'rfc6750';
  /** An app's `callbackUrl`: a comma-separated list (X), or one URL compared whole (Edge's documented rule). */
  callbackUrls: 'list' | 'exact';
  /** Token-endpoint errors under `proxy.rfcCompliant`: RFC 6749 `{error, error_description}`, or Apigee's own. */
  rfcCompliantErrors: 'rfc6749' | 'apigee';
  /** VerifyJWTAccessToken on a JWT whose signature, type or issuer does not verify. */
  jwtSignatureFault: FaultSpec;
  /** Which fails first when several do: the key (then its expiry, the app, the developer), or the developer. */
  statusCheckOrder: 'key-first' | 'developer-first';
  /** Key-product status: judged when a token is used (`use`), or frozen when it is issued (`issue`). */
  productStatusAt: 'use' | 'issue';
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
