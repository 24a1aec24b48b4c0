import { z } from 'zod';
import { duration, instant, origin } from '../scenario/fields.ts';
import {
  type ClientAuthMethod,
  FACTOR_TYPES,
  GRANT_TYPES,
  type GrantType,
  type OidcAppType,
  USER_STATUSES,
} from './domain/config.ts';

const BASE32 = /^[A-Z2-7]+=*$/;

/** A base32 TOTP secret of at least 16 bytes (otplib's lower bound, RFC 4226 §4). */
const totpSecret = z
  .string()
  .transform((value) => value.replaceAll(' ', '').toUpperCase())
  .refine((value) => BASE32.test(value), 'Expected a base32 secret (A-Z, 2-7)')
  .refine(
    (value) => Math.floor((value.replace(/=+$/, '').length * 5) / 8) >= 16,
    'A TOTP secret must encode at least 16 bytes (26 base32 characters)',
  );

const passCode = z
  .string()
  .regex(/^\d{4,10}$/, 'Expected a numeric passcode')
  .describe('Fixed one-time passcode; when absent a seeded code is generated per challenge (see the outbox)');

const factorId = z
  .string()
  .regex(/^[A-Za-z0-9]+$/, 'Expected letters and digits only')
  .describe('The factor id; generated with the prefix Okta gives the kind when absent');

const totpFactor = z.strictObject({
  type: z
    .literal('token:software:totp')
    .describe('A TOTP authenticator (Okta Verify or Google Authenticator)'),
  id: factorId.optional(),
  provider: z
    .enum(['OKTA', 'GOOGLE'])
    .default('OKTA')
    .describe('Okta Verify (OKTA) or Google Authenticator (GOOGLE)'),
  secret: totpSecret.describe('Base32 shared secret; codes are checked against the virtual clock'),
});

const phoneFactor = <T extends 'sms' | 'call'>(type: T) =>
  z.strictObject({
    type: z.literal(type).describe(type === 'sms' ? 'Codes by SMS' : 'Codes by voice call'),
    id: factorId.optional(),
    phoneNumber: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'Expected an E.164 phone number such as +15555550100')
      .meta({ description: 'The phone number, E.164', examples: ['+15555550100'] }),
    passCode: passCode.optional(),
  });

const emailFactor = z.strictObject({
  type: z.literal('email').describe('Codes by email'),
  id: factorId.optional(),
  email: z.email().optional().describe("Defaults to the user's email"),
  passCode: passCode.optional(),
});

const pushOutcome = z.enum(['APPROVE', 'REJECT', 'TIMEOUT']);

const pushFactor = z.strictObject({
  type: z.literal('push').describe('Okta Verify push'),
  id: factorId.optional(),
  outcome: pushOutcome.default('APPROVE').describe('What the user does with the push'),
  afterPolls: z
    .number()
    .int()
    .min(0)
    .default(1)
    .describe('The poll (after the verify) that sees the outcome; 0 gives it on the verify itself'),
  deviceName: z.string().optional().describe("The device's name; default: the user's first name's phone"),
  platform: z.enum(['IOS', 'ANDROID']).default('IOS').describe('The device platform'),
});

const questionFactor = z.strictObject({
  type: z.literal('question').describe('A security question'),
  id: factorId.optional(),
  question: z.string().min(1).describe('Question key, e.g. disliked_food'),
  questionText: z.string().optional().describe('The question as shown; default: the key'),
  answer: z.string().min(1).describe('The answer that verifies'),
});

const factor = z.discriminatedUnion('type', [
  totpFactor,
  phoneFactor('sms'),
  phoneFactor('call'),
  emailFactor,
  pushFactor,
  questionFactor,
]);

const user = z
  .strictObject({
    id: z
      .string()
      .regex(/^00u[A-Za-z0-9]+$/, 'Okta user ids start with 00u')
      .optional()
      .describe('The user id (00u...); generated when absent'),
    login: z
      .string()
      .min(1)
      .meta({ description: 'The username users sign in with', examples: ['alice@example.com'] }),
    password: z.string().min(1).optional().describe('Absent: the user cannot sign in with a password'),
    status: z.enum(USER_STATUSES).default('ACTIVE').describe('The user status the scenario starts with'),
    firstName: z.string().optional().describe('Generated from the seed when absent'),
    lastName: z.string().optional().describe('Generated from the seed when absent'),
    email: z.email().optional().describe('Defaults to the login when it is an email address'),
    locale: z.string().default('en_US').describe('profile.locale'),
    timeZone: z.string().default('America/Los_Angeles').describe('profile.timeZone'),
    passwordChanged: instant.optional().describe('When the password was last set (default: the clock start)'),
    passwordAge: duration
      .optional()
      .describe('Alternative to passwordChanged: how long before the clock start'),
    mfa: z.boolean().optional().describe("Overrides policy.mfa.required for this user's enrolled factors"),
    factors: z.array(factor).default([]).describe('Enrolled factors, at most one of each kind'),
    enrollment: z
      .partialRecord(z.enum(FACTOR_TYPES), z.enum(['REQUIRED', 'OPTIONAL']))
      .optional()
      .describe(
        'Factor types the MFA enrollment policy offers this user; a missing REQUIRED one gives MFA_ENROLL',
      ),
    recoveryQuestion: z
      .strictObject({
        question: z.string().min(1).describe('The question'),
        answer: z.string().min(1).describe('The answer'),
      })
      .optional()
      .describe('The password-recovery question and answer'),
    groups: z
      .array(z.string().min(1).max(255))
      .default([])
      .describe('Group names the user belongs to besides Everyone; a name okta.groups lacks makes the group'),
  })
  .refine((value) => !(value.passwordChanged && value.passwordAge !== undefined), {
    message: 'Give passwordChanged or passwordAge, not both',
    path: ['passwordAge'],
  });

const apiToken = z.strictObject({
  id: z
    .string()
    .regex(/^00T[A-Za-z0-9]+$/, 'Okta API token ids start with 00T')
    .optional()
    .describe('The id the API tokens API lists it under; generated when absent'),
  name: z.string().min(1).describe('A name for actions and templates ({{apiToken NAME}})'),
  token: z
    .string()
    .min(1)
    .meta({
      description: 'The value sent as Authorization: SSWS <token>',
      examples: ['00sim-local-dev-token'],
    }),
  status: z.enum(['ACTIVE', 'REVOKED']).default('ACTIVE').describe('REVOKED: calls with it get 401 E0000011'),
  owner: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Login or id of the user the token acts for: GET /api/v1/users/me with the token answers that user (docs/fidelity/okta.md#okta-users-me-api-token)',
    ),
});

const complexity = z.strictObject({
  minLength: z.number().int().min(0).default(8).describe('Fewest characters'),
  minLowerCase: z.number().int().min(0).default(1).describe('Fewest lower-case letters'),
  minUpperCase: z.number().int().min(0).default(1).describe('Fewest upper-case letters'),
  minNumber: z.number().int().min(0).default(1).describe('Fewest digits'),
  minSymbol: z.number().int().min(0).default(0).describe('Fewest symbols'),
  excludeUsername: z.boolean().default(true).describe('The password may not contain the username'),
});

const policy = z.strictObject({
  stateTokenLifetime: duration
    .prefault('5m')
    .describe('Sliding lifetime of a stateToken (docs/fidelity/okta.md#okta-state-token-lifetime)'),
  sessionTokenLifetime: duration
    .prefault('5m')
    .describe('Lifetime of a sessionToken (docs/fidelity/okta.md#okta-session-token)'),
  session: z
    .strictObject({
      maxIdle: duration.prefault('2h').describe('maxSessionIdleMinutes; 0 = no idle limit'),
      maxLifetime: duration.prefault(0).describe('maxSessionLifetimeMinutes; 0 = no limit'),
    })
    .prefault({})
    .describe('Session lifetimes (the global session policy)'),
  lockout: z
    .strictObject({
      maxAttempts: z
        .number()
        .int()
        .min(0)
        .default(10)
        .describe('Failed passwords before lock-out; 0 = never'),
      showLockoutFailures: z.boolean().default(false).describe('Answer LOCKED_OUT instead of E0000004'),
      autoUnlock: duration.prefault(0).describe('Unlock automatically after this long; 0 = never'),
    })
    .prefault({})
    .describe('Lock-out after failed passwords (the password policy)'),
  password: z
    .strictObject({
      maxAge: duration.prefault(0).describe('Password expires this long after it was set; 0 = never'),
      warnBefore: duration
        .prefault(0)
        .describe('PASSWORD_WARN window before expiry (with warnBeforePasswordExpired)'),
      complexity: complexity.prefault({}).describe('What a new password must contain'),
      historyCount: z
        .number()
        .int()
        .min(0)
        .max(30)
        .default(4)
        .describe(
          "Passwords (the current one included) a user's own change or reset may not reuse, Okta's age.historyCount; 0 = any (docs/fidelity/okta.md#okta-password-history)",
        ),
      minAge: duration
        .prefault(0)
        .describe(
          "How long after a change the user's own next change must wait, Okta's age.minAgeMinutes; 0 = at once (docs/fidelity/okta.md#okta-password-history)",
        ),
    })
    .prefault({})
    .describe('Password expiry and complexity (the password policy)'),
  mfa: z
    .strictObject({
      required: z.boolean().default(true).describe('Users with enrolled factors get MFA_REQUIRED'),
      pushLifetime: duration.prefault('5m').describe('An unanswered push turns TIMEOUT after this long'),
      pushEnrollment: z
        .strictObject({
          outcome: z
            .enum(['ACTIVATE', 'TIMEOUT'])
            .default('ACTIVATE')
            .describe('What the activation polls see'),
          afterPolls: z.number().int().min(1).default(1).describe('The poll that sees it'),
        })
        .prefault({})
        .describe('What activation polls of a newly enrolled push factor see'),
      allowRememberDevice: z
        .boolean()
        .default(true)
        .describe('Whether rememberDevice may skip MFA next time'),
      rememberDeviceByDefault: z.boolean().default(false).describe('The rememberDevice default of factors'),
      rememberDeviceLifetime: duration.prefault('7d').describe('How long a remembered device skips MFA'),
      maxAttempts: z
        .number()
        .int()
        .min(0)
        .default(5)
        .describe(
          'Consecutive failed factor verifications that lock the user (403 E0000069 User Locked); 0 = never (docs/fidelity/okta.md#okta-mfa-lockout)',
        ),
      promptOptionalEnrollment: z
        .boolean()
        .default(true)
        .describe(
          'Users offered only optional factors, none active, get MFA_ENROLL with a skip link; false = straight to SUCCESS (docs/fidelity/okta.md#okta-optional-enrollment)',
        ),
    })
    .prefault({})
    .describe('MFA: who must verify, push lifetime and enrollment, remembered devices'),
});

const rateLimits = z.strictObject({
  authn: z.number().int().min(0).default(600).describe('Requests per minute to /api/v1/authn; 0 = unlimited'),
  verify: z.number().int().min(0).default(600).describe('Per minute to /api/v1/authn/factors/{id}/verify'),
  sessions: z.number().int().min(0).default(600).describe('Per minute to /api/v1/sessions*'),
  other: z.number().int().min(0).default(600).describe('Per minute to every other /api/v1 path'),
  users: z
    .number()
    .int()
    .min(0)
    .default(600)
    .describe('Per minute to GET and POST /api/v1/users (list, create)'),
  user: z.number().int().min(0).default(1000).describe('Per minute to GET /api/v1/users/{idOrLogin}'),
  userWrite: z
    .number()
    .int()
    .min(0)
    .default(600)
    .describe('Per minute to POST, PUT and DELETE /api/v1/users/{id}'),
  groups: z.number().int().min(0).default(600).describe('Per minute to /api/v1/groups (list, create)'),
  group: z.number().int().min(0).default(600).describe('Per minute to /api/v1/groups/{id}'),
  usersMe: z
    .number()
    .int()
    .min(0)
    .default(40)
    .describe('Requests per user per 10 seconds to /api/v1/users/me (the end-user limit); 0 = unlimited'),
  authnPerUsernamePerSecond: z
    .number()
    .int()
    .min(0)
    .default(4)
    .describe(
      'Primary authentications per second for one username (docs/fidelity/okta.md#okta-per-username-limit); 0 = unlimited',
    ),
  oauth2Authorize: z
    .number()
    .int()
    .min(0)
    .default(1200)
    .describe(
      "Per minute to one authorization server's /v1/authorize (docs/fidelity/okta.md#okta-oidc-rate-limits)",
    ),
  oauth2Token: z
    .number()
    .int()
    .min(0)
    .default(1200)
    .describe("Per minute to one authorization server's /v1/token"),
  oauth2Other: z
    .number()
    .int()
    .min(0)
    .default(1200)
    .describe(
      'Per minute to its userinfo, introspect, revoke and logout; keys and discovery are never limited',
    ),
});

/** A base64url field of a JWK. */
const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url');

/** An RSA private key as a JWK: what a scenario gives so that restarts keep the signing key. */
const privateJwk = z
  .looseObject({
    kty: z.literal('RSA', 'Expected an RSA key (kty: RSA)').describe('Key type: RSA'),
    n: b64url.describe('Modulus (RFC 7518 §6.3.1.1)'),
    e: b64url.describe('Public exponent (RFC 7518 §6.3.1.2)'),
    d: b64url.describe('The private exponent: a public key cannot sign'),
    p: b64url.describe('First prime factor (RFC 7518 §6.3.2.2)'),
    q: b64url.describe('Second prime factor (RFC 7518 §6.3.2.3)'),
    dp: b64url.describe('First factor CRT exponent (RFC 7518 §6.3.2.4)'),
    dq: b64url.describe('Second factor CRT exponent (RFC 7518 §6.3.2.5)'),
    qi: b64url.describe('First CRT coefficient (RFC 7518 §6.3.2.6)'),
  })
  .transform((jwk) =>
    Object.fromEntries(
      Object.entries(jwk).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ),
  )
  .describe(
    'An RSA private key as a JWK (kty, n, e, d, p, q, dp, dq, qi); its kid is its RFC 7638 thumbprint',
  );

/** A public key of a client's JWKS (private_key_jwt). */
const publicJwk = z
  .looseObject({
    kty: z.enum(['RSA', 'EC']).describe('Key type; the other members follow RFC 7518 §6'),
    kid: z.string().optional().describe("Matched against a client assertion's kid header"),
  })
  .refine((jwk) => !('d' in jwk), 'A client JWKS holds public keys: remove "d"');

/** Okta's defaults per application type (docs/fidelity/okta.md#okta-oidc-apps). */
const APP_DEFAULTS: Record<
  OidcAppType,
  { auth: ClientAuthMethod; grants: GrantType[]; rotation: 'rotate' | 'static'; allowed: GrantType[] }
> = {
  browser: {
    auth: 'none',
    grants: ['authorization_code', 'refresh_token'],
    rotation: 'rotate',
    allowed: ['authorization_code', 'implicit', 'refresh_token'],
  },
  web: {
    auth: 'client_secret_basic',
    grants: ['authorization_code', 'refresh_token'],
    rotation: 'static',
    allowed: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials'],
  },
  native: {
    auth: 'none',
    grants: ['authorization_code', 'refresh_token'],
    rotation: 'static',
    allowed: ['authorization_code', 'implicit', 'refresh_token', 'password'],
  },
  service: {
    auth: 'client_secret_basic',
    grants: ['client_credentials'],
    rotation: 'static',
    allowed: ['client_credentials'],
  },
};

const uri = z
  .string()
  .min(1)
  .max(2048)
  .refine(
    (value) => URL.canParse(value),
    'Expected an absolute URI, e.g. http://localhost:8080/login/callback',
  );

const app = z
  .strictObject({
    clientId: z
      .string()
      .regex(/^[\w.-]{1,100}$/, 'Expected letters, digits, "_", "-" or "."')
      .optional()
      .describe('client_id; generated (0oa...) when absent'),
    name: z.string().min(1).max(255).optional().describe('The app label; defaults to the client id'),
    type: z
      .enum(['browser', 'web', 'native', 'service'])
      .default('browser')
      .describe("Okta's application_type: browser (SPA), web, native, service"),
    clientSecret: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe('For client_secret_basic / client_secret_post; none for browser apps'),
    tokenEndpointAuthMethod: z
      .enum(['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'])
      .optional()
      .describe('Default: none for browser and native apps, client_secret_basic otherwise'),
    jwks: z
      .strictObject({ keys: z.array(publicJwk).min(1).max(20).describe('1 to 20 public JWKs') })
      .optional()
      .describe('Public keys that verify private_key_jwt client assertions'),
    redirectUris: z.array(uri).max(100).default([]).describe('Login redirect URIs, matched exactly'),
    postLogoutRedirectUris: z
      .array(uri)
      .max(100)
      .default([])
      .describe('Logout redirect URIs, matched exactly'),
    grantTypes: z
      .array(z.enum(GRANT_TYPES))
      .min(1)
      .optional()
      .describe(
        'Default per type as the admin console sets it: authorization_code + refresh_token, client_credentials for service apps',
      ),
    pkceRequired: z.boolean().optional().describe('Default: true for browser and native apps and for none'),
    refreshTokenRotation: z
      .enum(['rotate', 'static'])
      .optional()
      .describe('Default: rotate for browser apps, static otherwise'),
    refreshTokenLeeway: duration
      .prefault('30s')
      .refine((ms) => ms <= 60_000, 'Okta allows 0 to 60 seconds')
      .describe('Grace period in which a rotated refresh token still works'),
  })
  .superRefine((spec, ctx) => {
    const defaults = APP_DEFAULTS[spec.type];
    const auth = spec.tokenEndpointAuthMethod ?? defaults.auth;
    for (const grant of spec.grantTypes ?? []) {
      if (!defaults.allowed.includes(grant)) {
        ctx.addIssue({
          code: 'custom',
          path: ['grantTypes'],
          message: `A ${spec.type} app cannot use ${grant}`,
        });
      }
    }
    if ((auth === 'client_secret_basic' || auth === 'client_secret_post') && !spec.clientSecret) {
      ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: `${auth} needs a clientSecret` });
    }
    if (auth === 'private_key_jwt' && !spec.jwks) {
      ctx.addIssue({ code: 'custom', path: ['jwks'], message: 'private_key_jwt needs jwks (public keys)' });
    }
    if (spec.type === 'browser' && auth !== 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['tokenEndpointAuthMethod'],
        message: 'Browser apps are public: none',
      });
    }
  })
  .transform((spec) => {
    const defaults = APP_DEFAULTS[spec.type];
    const auth = spec.tokenEndpointAuthMethod ?? defaults.auth;
    return {
      clientId: spec.clientId,
      name: spec.name,
      type: spec.type,
      clientSecret: spec.clientSecret,
      tokenEndpointAuthMethod: auth,
      jwks: spec.jwks,
      redirectUris: spec.redirectUris,
      postLogoutRedirectUris: spec.postLogoutRedirectUris,
      grantTypes: spec.grantTypes ?? defaults.grants,
      pkceRequired:
        spec.pkceRequired ?? (spec.type === 'browser' || spec.type === 'native' || auth === 'none'),
      refreshTokenRotation: spec.refreshTokenRotation ?? defaults.rotation,
      refreshTokenLeeway: spec.refreshTokenLeeway,
    };
  });

const scopeName = z
  .string()
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,1024}$/, 'Expected a scope token (RFC 6749 §3.3)');

const authorizationServer = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9]{1,40}$/, 'Expected letters and digits (default, aus...)')
      .describe('The id in /oauth2/{id}; default always exists'),
    name: z.string().min(1).max(255).optional().describe('Shown in the admin API; default: the id'),
    audiences: z.array(z.string().min(1).max(1024)).min(1).max(20).optional().describe('Default: api://{id}'),
    scopes: z
      .array(
        z.union([
          scopeName,
          z.strictObject({
            name: scopeName.describe('The scope token'),
            default: z
              .boolean()
              .default(false)
              .describe('Granted when a client asks for no scope (client credentials)'),
          }),
        ]),
      )
      .default([])
      .transform((scopes) =>
        scopes.map((scope) => (typeof scope === 'string' ? { name: scope, default: false } : scope)),
      )
      .describe('Custom scopes, beside openid profile email address phone offline_access groups'),
    accessTokenLifetime: duration
      .prefault('1h')
      .refine((ms) => ms >= 300_000 && ms <= 86_400_000, 'Okta allows 5 minutes to 24 hours')
      .describe('Access token lifetime, 5m to 24h; default 1h'),
    idTokenLifetime: duration
      .prefault('1h')
      .refine((ms) => ms >= 1000, 'At least 1s')
      .describe('ID token lifetime; default 1h'),
    refreshTokenLifetime: duration.prefault(0).describe("0 = unlimited (Okta's default)"),
    refreshTokenIdle: duration.prefault('7d').describe('Unused this long, a refresh token dies; 0 = never'),
    signingKey: privateJwk.optional(),
  })
  .transform((spec) => ({
    id: spec.id,
    name: spec.name ?? (spec.id === 'default' ? 'default' : spec.id),
    audiences: spec.audiences ?? [`api://${spec.id}`],
    scopes: spec.scopes,
    accessTokenLifetime: spec.accessTokenLifetime,
    idTokenLifetime: spec.idTokenLifetime,
    refreshTokenLifetime: spec.refreshTokenLifetime,
    refreshTokenIdle: spec.refreshTokenIdle,
    signingKey: spec.signingKey,
  }));

const DEFAULT_SERVER = {
  id: 'default',
  name: 'default',
  audiences: ['api://default'],
  scopes: [],
  accessTokenLifetime: 3_600_000,
  idTokenLifetime: 3_600_000,
  refreshTokenLifetime: 0,
  refreshTokenIdle: 7 * 86_400_000,
  signingKey: undefined,
};

/**
 * Switches for vendor behaviour the fidelity ledger marks unconfirmed: each is an entry of
 * docs/fidelity/okta.md.
 */
const quirks = z.strictObject({
  staleSidCookie: z
    .enum(['reject', 'ignore'])
    .default('reject')
    .describe(
      'An SSWS call that also sends a dead sid cookie gets 403 E0000005 (docs/fidelity/okta.md#okta-stale-sid-cookie)',
    ),
  createSessionWithoutApiToken: z
    .enum(['allow', 'reject'])
    .default('allow')
    .describe(
      'reject: POST /api/v1/sessions without SSWS gets 403 E0000005 (the 2016 bug, docs/fidelity/okta.md#okta-create-session-auth)',
    ),
  invalidApiTokenOnAuthn: z
    .enum(['reject', 'ignore'])
    .default('reject')
    .describe(
      'POST /api/v1/authn with a bad SSWS token: 401 E0000011, or treated as public (docs/fidelity/okta.md#okta-authn-bad-ssws)',
    ),
  corsOnErrors: z
    .boolean()
    .default(true)
    .describe('false: error responses carry no CORS headers (docs/fidelity/okta.md#okta-cors-on-errors)'),
  sessionTokenErrorCode: z
    .enum(['E0000004', 'E0000011'])
    .default('E0000004')
    .describe(
      'Code for a reused, expired or unknown sessionToken (docs/fidelity/okta.md#okta-session-token-errors)',
    ),
  passwordComplexityErrorCode: z
    .enum(['E0000080', 'E0000014'])
    .default('E0000080')
    .describe(
      'Code for a new password that fails the policy (docs/fidelity/okta.md#okta-password-complexity-code)',
    ),
  usersMeWithApiToken: z
    .enum(['owner', 'session'])
    .default('owner')
    .describe(
      "GET /api/v1/users/me with an API token: the token's owner (owner), or only the sid cookie counts, the simulator's earlier answer (session) (docs/fidelity/okta.md#okta-users-me-api-token)",
    ),
  totpReplay: z
    .enum(['reject', 'allow'])
    .default('reject')
    .describe(
      "A TOTP code whose step already succeeded: 403 E0000082 (reject), or accepted again, the simulator's earlier answer (allow) (docs/fidelity/okta.md#okta-totp-replay)",
    ),
  challengeThrottle: z
    .enum(['verify-and-resend', 'resend-only'])
    .default('verify-and-resend')
    .describe(
      "Which requests wait out the per-device interval between SMS, call and email codes: verifications that send one and resends, or resends only, the simulator's earlier answer (docs/fidelity/okta.md#okta-resend-throttles)",
    ),
});

export const OktaScenarioSchema = z
  .strictObject({
    orgUrl: origin.default('https://dev-000000.okta.com').meta({
      description: 'The Okta org origin the handlers answer on',
      examples: ['https://dev-000000.okta.com'],
    }),
    orgId: z.string().optional().describe('The org id (idp.id of sessions); generated when absent'),
    apiTokens: z.array(apiToken).default([]).describe('SSWS API tokens'),
    trustedOrigins: z
      .array(z.string())
      .default(['http://localhost:*', 'http://127.0.0.1:*', 'https://localhost:*'])
      .describe('Browser origins that get CORS headers; * matches any port or subdomain label'),
    policy: policy.prefault({}).describe("The org's policies: tokens, sessions, lock-out, passwords, MFA"),
    rateLimits: rateLimits.prefault({}).describe('Rate limits per minute; 0 = unlimited'),
    quirks: quirks
      .prefault({})
      .describe('Switches for vendor behaviour the fidelity ledger marks unconfirmed'),
    groups: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(255).describe('The group name (profile.name)'),
          description: z.string().max(1024).optional().describe('profile.description'),
          id: z
            .string()
            .regex(/^00g[A-Za-z0-9]+$/, 'Okta group ids start with 00g')
            .optional()
            .describe('The group id (00g...); generated when absent'),
        }),
      )
      .default([])
      .describe('Okta groups (type OKTA_GROUP); Everyone always exists and holds every user'),
    users: z.array(user).default([]).describe('The users of the org'),
    apps: z.array(app).max(1000).default([]).describe('OIDC clients ("applications" in the admin console)'),
    authorizationServers: z
      .array(authorizationServer)
      .max(100)
      .default([])
      .transform((servers) =>
        servers.some((server) => server.id === 'default') ? servers : [DEFAULT_SERVER, ...servers],
      )
      .describe('Custom authorization servers; default (audience api://default) always exists'),
    orgAuthorizationServer: z
      .strictObject({
        signingKey: privateJwk.optional().describe('Signs ID tokens; published at /oauth2/v1/keys'),
        accessTokenSigningKey: privateJwk.optional().describe('Signs access tokens; never published'),
      })
      .prefault({})
      .transform((spec) => ({
        signingKey: spec.signingKey,
        accessTokenSigningKey: spec.accessTokenSigningKey,
      }))
      .describe('The org authorization server (issuer = the org URL)'),
  })
  .superRefine((okta, ctx) => {
    const logins = new Map<string, number>();
    const ids = new Map<string, string>();
    const seen = (id: string | undefined, path: (string | number)[]) => {
      if (!id) return;
      if (ids.has(id))
        ctx.addIssue({ code: 'custom', path, message: `Duplicate id ${id} (also ${ids.get(id)})` });
      ids.set(id, path.join('.'));
    };
    okta.users.forEach((u, i) => {
      const key = u.login.toLowerCase();
      if (logins.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['users', i, 'login'], message: `Duplicate login ${u.login}` });
      }
      logins.set(key, i);
      seen(u.id, ['users', i, 'id']);
      const types = new Set<string>();
      u.factors.forEach((f, j) => {
        seen(f.id, ['users', i, 'factors', j, 'id']);
        const kind = f.type === 'token:software:totp' ? `${f.type}/${f.provider}` : f.type;
        if (types.has(kind)) {
          ctx.addIssue({
            code: 'custom',
            path: ['users', i, 'factors', j, 'type'],
            message: `A user enrolls at most one ${kind} factor`,
          });
        }
        types.add(kind);
      });
    });
    const groups = new Set<string>(['everyone']);
    okta.groups.forEach((g, i) => {
      if (groups.has(g.name.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: ['groups', i, 'name'], message: `Duplicate group ${g.name}` });
      }
      groups.add(g.name.toLowerCase());
      seen(g.id, ['groups', i, 'id']);
    });
    const clients = new Set<string>();
    okta.apps.forEach((a, i) => {
      if (a.clientId && clients.has(a.clientId))
        ctx.addIssue({
          code: 'custom',
          path: ['apps', i, 'clientId'],
          message: `Duplicate client ${a.clientId}`,
        });
      if (a.clientId) clients.add(a.clientId);
    });
    const servers = new Set<string>();
    okta.authorizationServers.forEach((server, i) => {
      if (servers.has(server.id))
        ctx.addIssue({
          code: 'custom',
          path: ['authorizationServers', i, 'id'],
          message: `Duplicate authorization server ${server.id}`,
        });
      servers.add(server.id);
    });
    const tokens = new Set<string>();
    const userKeys = new Set(okta.users.flatMap((u) => [u.login.toLowerCase(), ...(u.id ? [u.id] : [])]));
    okta.apiTokens.forEach((t, i) => {
      if (tokens.has(t.token))
        ctx.addIssue({ code: 'custom', path: ['apiTokens', i, 'token'], message: 'Duplicate token' });
      tokens.add(t.token);
      seen(t.id, ['apiTokens', i, 'id']);
      if (t.owner !== undefined && !userKeys.has(t.owner) && !userKeys.has(t.owner.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['apiTokens', i, 'owner'],
          message: `No user ${t.owner} in okta.users: a token's owner must be one of the scenario's users`,
        });
      }
    });
  });
