/**
 * What an Okta org is made of, in the domain's terms: durations in milliseconds, every default applied.
 * The scenario format (`okta/scenario.ts`) maps its `okta` section onto these types; the domain knows
 * nothing of the format.
 */

/** The factor types the simulator plays, in the order Okta lists them. */
export const FACTOR_TYPES = ['token:software:totp', 'sms', 'call', 'email', 'push', 'question'] as const;
export type FactorType = (typeof FACTOR_TYPES)[number];

export const USER_STATUSES = [
  'ACTIVE',
  'LOCKED_OUT',
  'PASSWORD_EXPIRED',
  'RECOVERY',
  'STAGED',
  'PROVISIONED',
  'SUSPENDED',
  'DEPROVISIONED',
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export type PushOutcome = 'APPROVE' | 'REJECT' | 'TIMEOUT';
export type EnrollmentRequirement = 'REQUIRED' | 'OPTIONAL';

export type FactorSpec =
  | { type: 'token:software:totp'; id?: string | undefined; provider: 'OKTA' | 'GOOGLE'; secret: string }
  | {
      type: 'sms' | 'call';
      id?: string | undefined;
      phoneNumber: string;
      passCode?: string | undefined;
    }
  | { type: 'email'; id?: string | undefined; email?: string | undefined; passCode?: string | undefined }
  | {
      type: 'push';
      id?: string | undefined;
      outcome: PushOutcome;
      afterPolls: number;
      deviceName?: string | undefined;
      platform: 'IOS' | 'ANDROID';
    }
  | {
      type: 'question';
      id?: string | undefined;
      question: string;
      questionText?: string | undefined;
      answer: string;
    };

export interface UserSpec {
  id?: string | undefined;
  login: string;
  password?: string | undefined;
  status: UserStatus;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  locale: string;
  timeZone: string;
  /** ISO instant. */
  passwordChanged?: string | undefined;
  /** Milliseconds before the clock start. */
  passwordAge?: number | undefined;
  mfa?: boolean | undefined;
  factors: FactorSpec[];
  enrollment?: Partial<Record<FactorType, EnrollmentRequirement>> | undefined;
  recoveryQuestion?: { question: string; answer: string } | undefined;
  /** Names of the groups the user belongs to besides Everyone. */
  groups: string[];
}

export interface GroupSpec {
  name: string;
  description?: string | undefined;
  id?: string | undefined;
}

export interface ApiTokenSpec {
  /** `00T...`; generated when absent. */
  id?: string | undefined;
  name: string;
  token: string;
  status: 'ACTIVE' | 'REVOKED';
  /** Login or id of the user the token acts for (`/api/v1/users/me`); absent: a token without an owner. */
  owner?: string | undefined;
}

export interface PasswordComplexity {
  minLength: number;
  minLowerCase: number;
  minUpperCase: number;
  minNumber: number;
  minSymbol: number;
  excludeUsername: boolean;
}

export interface OktaPolicy {
  stateTokenLifetime: number;
  sessionTokenLifetime: number;
  session: { maxIdle: number; maxLifetime: number };
  lockout: { maxAttempts: number; showLockoutFailures: boolean; autoUnlock: number };
  password: {
    maxAge: number;
    warnBefore: number;
    complexity: PasswordComplexity;
    /** How many passwords (the current one included) a user-initiated change may not reuse; 0 = any. */
    historyCount: number;
    /** How long after a change the user may change the password again; 0 = at once. */
    minAge: number;
  };
  mfa: {
    required: boolean;
    pushLifetime: number;
    pushEnrollment: { outcome: 'ACTIVATE' | 'TIMEOUT'; afterPolls: number };
    allowRememberDevice: boolean;
    rememberDeviceByDefault: boolean;
    rememberDeviceLifetime: number;
    /** Consecutive failed factor verifications that lock the user (E0000069); 0 = never. */
    maxAttempts: number;
    /** Users with only optional factors to enroll (and none active) get MFA_ENROLL with a `skip` link. */
    promptOptionalEnrollment: boolean;
  };
}

/** Requests per minute per bucket, and primary authentications per second per username; 0 = unlimited. */
export interface RateLimitConfig {
  authn: number;
  verify: number;
  sessions: number;
  other: number;
  /** `GET`/`POST /api/v1/users` (list, create); the admin API's buckets are unlimited when unset. */
  users?: number | undefined;
  /** `GET /api/v1/users/{idOrLogin}`. */
  user?: number | undefined;
  /** `POST`/`PUT`/`DELETE /api/v1/users/{id}`. */
  userWrite?: number | undefined;
  /** `/api/v1/groups` (list, create). */
  groups?: number | undefined;
  /** `/api/v1/groups/{id}`. */
  group?: number | undefined;
  /** `/api/v1/users/me`: requests per user per 10 seconds, apart from the org-wide buckets. */
  usersMe?: number | undefined;
  /** Per authorization server: `/v1/authorize`, `/v1/token`, and its other endpoints (not keys, discovery). */
  oauth2Authorize?: number | undefined;
  oauth2Token?: number | undefined;
  oauth2Other?: number | undefined;
  authnPerUsernamePerSecond: number;
}

/** Switches for behaviour Okta's documents leave open: each is an entry of docs/fidelity/okta.md. */
export interface OktaQuirks {
  staleSidCookie: 'reject' | 'ignore';
  createSessionWithoutApiToken: 'allow' | 'reject';
  invalidApiTokenOnAuthn: 'reject' | 'ignore';
  corsOnErrors: boolean;
  sessionTokenErrorCode: 'E0000004' | 'E0000011';
  passwordComplexityErrorCode: 'E0000080' | 'E0000014';
  /** `owner`: `/api/v1/users/me` with an API token answers the token's owner; `session`: only the sid cookie counts. */
  usersMeWithApiToken: 'owner' | 'session';
  /** `reject`: a TOTP code of a step that already succeeded is 403 E0000082; `allow`: accepted again. */
  totpReplay: 'reject' | 'allow';
  /** Which requests wait out the per-device interval between codes: verifications that send one too, or resends only. */
  challengeThrottle: 'verify-and-resend' | 'resend-only';
}

/** Okta's `application_type` of an OIDC client (docs/fidelity/okta.md#okta-oidc-apps). */
export type OidcAppType = 'browser' | 'web' | 'native' | 'service';
export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
export const GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'password',
  'client_credentials',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** A public RSA or EC key of a client's JWKS (`private_key_jwt`), as JSON. */
export type PublicJwk = Readonly<Record<string, unknown>> & { kty: string };

/** An OIDC client ("application"), every default applied. */
export interface OidcAppSpec {
  /** Generated (`0oa...`) when absent. */
  clientId?: string | undefined;
  /** Defaults to the client id. */
  name?: string | undefined;
  type: OidcAppType;
  clientSecret: string | undefined;
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** Public keys for `private_key_jwt`, in the scenario's (and Okta's) `{ keys }` shape. */
  jwks?: { keys: PublicJwk[] } | undefined;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  /** PKCE at /authorize (browser and native apps, and every `none` client). */
  pkceRequired: boolean;
  refreshTokenRotation: 'rotate' | 'static';
  /** Milliseconds a rotated refresh token still works. */
  refreshTokenLeeway: number;
}

/** A scope of a custom authorization server. */
export interface ScopeSpec {
  name: string;
  /** Granted to client_credentials requests that ask for no scope. */
  default: boolean;
}

/** An RSA private key as a JWK (`kty`, `n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi`). */
export type PrivateJwk = Readonly<Record<string, string>>;

/** A custom authorization server (`default` always exists), durations in milliseconds. */
export interface AuthorizationServerSpec {
  id: string;
  name: string;
  audiences: string[];
  scopes: ScopeSpec[];
  accessTokenLifetime: number;
  idTokenLifetime: number;
  /** 0: unlimited. */
  refreshTokenLifetime: number;
  /** 0: no idle limit. */
  refreshTokenIdle: number;
  /** The key that signs its tokens; generated (once per simulator) when absent. */
  signingKey: PrivateJwk | undefined;
}

/** The org authorization server's keys: its ID tokens' (published) and its access tokens' (never published). */
export interface OrgAuthorizationServerSpec {
  signingKey: PrivateJwk | undefined;
  accessTokenSigningKey: PrivateJwk | undefined;
}

export interface OktaConfig {
  /** The origin the org answers on. */
  orgUrl: string;
  orgId?: string | undefined;
  apiTokens: ApiTokenSpec[];
  /** Origin patterns (`*` for a port or host label) that get CORS headers and may be redirected to. */
  trustedOrigins: string[];
  policy: OktaPolicy;
  rateLimits: RateLimitConfig;
  quirks: OktaQuirks;
  groups: GroupSpec[];
  users: UserSpec[];
  /** OIDC clients. */
  apps: OidcAppSpec[];
  /** Custom authorization servers; `default` is always among them. */
  authorizationServers: AuthorizationServerSpec[];
  orgAuthorizationServer: OrgAuthorizationServerSpec;
}
