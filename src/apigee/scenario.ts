import { z } from 'zod';
import { duration, origin } from '../scenario/fields.ts';
import { rsaJwkProblem, rsaPkcs8Problem } from '../scenario/pem.ts';
import { ambiguousAppMessage, matchAppRef } from './domain/app-ref.ts';
import { MANAGEMENT_HOSTS } from './domain/config.ts';

const status = z.enum(['approved', 'revoked']).describe('approved or revoked');
const tokenFormat = z
  .enum(['opaque', 'jwt'])
  .describe('opaque tokens, or JWT access tokens (OAuthV2 GenerateJWTAccessToken)');

/** A path pattern as Apigee products and proxies write them: `*` one segment, `**` any depth. */
const pathPattern = z
  .string()
  .regex(/^\/[^\s?#]*$/, 'Expected a path pattern such as /v1/orders/** or /v1/*');

/** Custom attributes: at most 18, as Apigee allows (docs/fidelity/apigee.md#apigee-attributes). */
const attributes = z
  .array(
    z.strictObject({
      name: z.string().min(1).max(1024).describe('The attribute name'),
      value: z.string().max(8192).describe('The attribute value'),
    }),
  )
  .max(18)
  .optional()
  .describe('Custom attributes, {name, value}; at most 18');

const developer = z.strictObject({
  email: z.email().meta({
    description: "The developer's email (its id in the management API)",
    examples: ['dev@example.com'],
  }),
  firstName: z.string().default('Sim').describe('firstName'),
  lastName: z.string().default('Developer').describe('lastName'),
  userName: z.string().optional().describe('Defaults to the part of the email before @'),
  status: z
    .enum(['active', 'inactive'])
    .default('active')
    .describe("An inactive developer's apps get no tokens"),
  developerId: z.string().optional().describe('Generated (a UUID) when absent'),
  attributes,
});

const product = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'Letters, digits, ".", "-" and "_" only')
    .meta({ description: 'The API product name', examples: ['orders'] }),
  displayName: z.string().optional().describe('displayName; default: the name'),
  description: z.string().optional().describe("The product's description"),
  scopes: z
    .array(z.string().regex(/^\S+$/, 'A scope has no spaces'))
    .default([])
    .describe('OAuth scopes the product grants'),
  resources: z.array(pathPattern).default(['/**']).describe('Proxy paths the product covers'),
  approvalType: z
    .enum(['auto', 'manual'])
    .default('auto')
    .describe('manual: keys that get the product through the management API start pending'),
  environments: z.array(z.string()).optional().describe('Environment names; empty: all (not enforced)'),
  proxies: z.array(z.string()).optional().describe('API proxy names; empty: all (not enforced)'),
  quota: z
    .string()
    .optional()
    .describe('Requests per quotaInterval quotaTimeUnit, as the management API shows it'),
  quotaInterval: z
    .string()
    .optional()
    .describe('The quota interval, a number of quotaTimeUnit (not enforced)'),
  quotaTimeUnit: z
    .enum(['minute', 'hour', 'day', 'month'])
    .optional()
    .describe('The unit of quotaInterval (not enforced)'),
  attributes,
});

const appGroup = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'Letters, digits, ".", "-" and "_" only')
    .describe('The app group name (Apigee X)'),
  displayName: z.string().optional().describe('displayName; default: the name'),
  status: z.enum(['active', 'inactive']).default('active').describe("The app group's status"),
  attributes,
});

const keyProduct = z.union([
  z.string(),
  z.strictObject({
    name: z.string().describe('The API product, by name'),
    status: z
      .enum(['approved', 'pending', 'revoked'])
      .default('approved')
      .describe("The product's status on this key"),
  }),
]);

const key = z.strictObject({
  consumerKey: z.string().min(1).optional().describe('client_id; 48 generated characters when absent'),
  consumerSecret: z.string().min(1).optional().describe('client_secret; generated when absent'),
  status: status.default('approved').describe("The key's status"),
  expiresIn: duration.optional().describe('Key lifetime from the clock start; absent: never expires'),
  products: z
    .array(keyProduct)
    .min(1, 'A key needs at least one API product')
    .describe('API products on the key: a name, or a name and its status on the key'),
  attributes,
  scopes: z.array(z.string()).optional().describe("Key scopes, among its products' scopes"),
});

const app = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'Letters, digits, ".", "-" and "_" only')
    .meta({ description: 'The app name', examples: ['web'] }),
  developer: z.email().describe("The owning developer's email"),
  appId: z.string().optional().describe('Generated (a UUID) when absent'),
  status: status.default('approved').describe("The app's status"),
  callbackUrl: z
    .string()
    .superRefine((value, ctx) => {
      for (const part of value.split(',')) {
        const url = part.trim();
        if (url !== '' && !URL.canParse(url))
          ctx.addIssue({ code: 'custom', message: `Not a URL: "${url}"` });
      }
    })
    .optional()
    .describe(
      'The redirect_uri authorization_code requests must use; several as a comma-separated list (Apigee X)',
    ),
  tokenFormat: tokenFormat.optional().describe('Overrides apigee.tokens.format for this app'),
  keys: z.array(key).min(1, 'An app needs at least one key').describe("The app's keys (credentials)"),
  attributes,
  scopes: z.array(z.string()).optional().describe("The app's scopes, among its products' scopes"),
});

const issuedToken = z.strictObject({
  app: z
    .string()
    .describe(
      'App name, or developer/app (dev@example.com/web) when two developers have an app of that name',
    ),
  key: z.string().optional().describe("consumerKey; default: the app's first key"),
  grantType: z
    .enum(['client_credentials', 'password', 'authorization_code'])
    .default('client_credentials')
    .describe('The grant it was issued by'),
  accessToken: z.string().min(1).optional().describe('Fixed value; generated when absent'),
  refreshToken: z.string().min(1).optional().describe('Fixed value (password / authorization_code grants)'),
  scope: z
    .string()
    .optional()
    .describe("Granted scopes, space-separated; default: all the key's product scopes"),
  endUser: z.string().optional().describe('app_enduser, for RevokeOAuthV2 by end user'),
  issuedAgo: duration.prefault(0).describe('Issued this long before the clock start'),
  status: status.default('approved').describe('Access-token status'),
  refreshTokenStatus: status.default('approved').describe('Refresh-token status'),
});

const faultOverride = z.strictObject({
  status: z.number().int().min(400).max(599).describe('The HTTP status'),
  errorcode: z.string().describe('fault.detail.errorcode'),
  faultstring: z.string().describe('fault.faultstring'),
});

const defaultProxy = {
  token: '/oauth/token',
  authorize: '/oauth/authorize',
  invalidate: '/oauth/invalidate',
  validate: '/oauth/validate',
  revoke: '/oauth/revoke',
  revokeAll: '/oauth/revoke-all',
  tokeninfo: '/oauth/tokeninfo',
  jwks: '/oauth/jwks',
};

const protectedPath = z.union([
  pathPattern,
  z.strictObject({
    path: pathPattern.describe('The path pattern'),
    methods: z.array(z.string().toUpperCase()).optional().describe('Default: every method'),
    scope: z
      .string()
      .optional()
      .describe('VerifyAccessToken <Scope>: space-separated scopes, any one suffices'),
    verifier: z
      .enum(['auto', 'opaque', 'jwt'])
      .optional()
      .describe(
        "VerifyAccessToken (opaque), VerifyJWTAccessToken (jwt), or by the token's shape (auto, the default)",
      ),
  }),
]);

const apiKeyPath = z.union([
  pathPattern,
  z.strictObject({
    path: pathPattern.describe('A path pattern behind VerifyAPIKey'),
    methods: z.array(z.string().toUpperCase()).optional().describe('Default: every method'),
  }),
]);

/** An RSA private key as a JWK: checked here, since importing it is asynchronous. */
const privateJwk = z
  .looseObject({
    kty: z.literal('RSA').describe('Key type: RSA'),
    n: z.string().describe('Modulus (base64url)'),
    e: z.string().describe('Public exponent (base64url)'),
    d: z.string().describe('Private exponent (base64url)'),
    p: z.string().describe('First prime factor (base64url)'),
    q: z.string().describe('Second prime factor (base64url)'),
    dp: z.string().describe('First factor CRT exponent (base64url)'),
    dq: z.string().describe('Second factor CRT exponent (base64url)'),
    qi: z.string().describe('First CRT coefficient (base64url)'),
    kid: z.string().min(1).optional().describe("The key id; default: the key's RFC 7638 thumbprint"),
  })
  .superRefine((jwk, ctx) => {
    const problem = rsaJwkProblem(jwk);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(({ kty, n, e, d, p, q, dp, dq, qi, kid }) => ({ kty, n, e, d, p, q, dp, dq, qi, kid }));

export const ApigeeScenarioSchema = z
  .strictObject({
    runtimeUrl: origin.default('https://acme-test.apigee.net').describe('Where the reference proxy answers'),
    managementUrl: origin
      .optional()
      .describe(
        "Where the management API answers; default: Apigee X's host (https://apigee.googleapis.com), or Edge's (https://api.enterprise.apigee.com) with managementDialect edge",
      ),
    managementDialect: z
      .enum(['x', 'edge'])
      .default('x')
      .describe(
        "The management API's dialect at managementUrl (Apigee's own hosts always speak their own): x (Bearer, Google errors) or edge (Basic, {code,message,contexts})",
      ),
    managementUsers: z
      .array(
        z.strictObject({
          username: z.string().min(1).describe('The Basic user name'),
          password: z.string().min(1).describe('The Basic password'),
        }),
      )
      .default([])
      .describe('Basic credentials the Edge management API accepts; empty: any user and password'),
    organization: z
      .string()
      .regex(/^[\w-]+$/)
      .default('acme')
      .describe('The organization name in management API paths (/v1/organizations/{org})'),
    managementTokens: z
      .array(z.string().min(1))
      .default([])
      .describe('Bearer tokens the management API accepts; empty: any non-empty token'),
    tokens: z
      .strictObject({
        format: tokenFormat.default('opaque'),
        accessTokenLifetime: duration.prefault('30m').describe('<ExpiresIn> of access tokens'),
        refreshTokenLifetime: duration.prefault('24h').describe('<RefreshTokenExpiresIn>'),
        authorizationCodeLifetime: duration
          .prefault('10m')
          .describe('How long an authorization code may be redeemed'),
        revocationDelay: duration
          .prefault(0)
          .describe(
            'How long VerifyAccessToken keeps accepting a revoked token (Apigee X caches up to 180s)',
          ),
        retention: duration
          .prefault('1h')
          .describe(
            'How long an expired token is kept: it answers access_token_expired and shows in tokeninfo until then, and is forgotten after',
          ),
        reuseRefreshToken: z
          .boolean()
          .default(false)
          .describe('<ReuseRefreshToken>: refresh returns the same RT'),
        jwt: z
          .strictObject({
            algorithm: z.enum(['RS256', 'HS256']).default('RS256').describe('The signing algorithm'),
            privateKey: z
              .string()
              .superRefine((pem, ctx) => {
                const problem = rsaPkcs8Problem(pem);
                if (problem) ctx.addIssue({ code: 'custom', message: problem });
              })
              .optional()
              .describe(
                'PKCS#8 PEM for RS256; absent (and no privateJwk): a key made once per simulator, kept across reset and load',
              ),
            privateJwk: privateJwk
              .optional()
              .describe(
                'An RSA private key as a JWK for RS256, its kid kept (default kid: the RFC 7638 thumbprint)',
              ),
            secret: z.string().min(32).optional().describe('HS256 secret; derived from the seed when absent'),
            issuer: z.string().optional().describe('iss claim; default: runtimeUrl + the token path base'),
          })
          .prefault({})
          .describe('How JWT access tokens are signed'),
      })
      .prefault({})
      .describe('Token formats, lifetimes and retention (the OAuthV2 policies of the proxy)'),
    proxy: z
      .strictObject({
        token: pathPattern.default(defaultProxy.token).describe('The token endpoint (GenerateAccessToken)'),
        authorize: pathPattern
          .default(defaultProxy.authorize)
          .describe('The authorization endpoint (GenerateAuthorizationCode)'),
        invalidate: pathPattern.default(defaultProxy.invalidate).describe('InvalidateToken'),
        validate: pathPattern.default(defaultProxy.validate).describe('ValidateToken'),
        revoke: pathPattern.default(defaultProxy.revoke).describe('RFC 7009 revocation'),
        revokeAll: pathPattern.default(defaultProxy.revokeAll).describe('RevokeOAuthV2'),
        tokeninfo: pathPattern.default(defaultProxy.tokeninfo).describe('Token information'),
        jwks: pathPattern.default(defaultProxy.jwks).describe('The JWKS of JWT access tokens'),
        protected: z
          .array(protectedPath)
          .default(['/v1/**'])
          .describe('Paths behind VerifyAccessToken; the most specific pattern wins'),
        apiKey: z
          .array(apiKeyPath)
          .default([])
          .describe(
            'Paths behind VerifyAPIKey (key in the x-apikey header or the apikey query parameter); the most specific pattern wins, also over protected paths',
          ),
        rfcCompliant: z
          .boolean()
          .default(false)
          .describe(
            '<RFCCompliantRequestResponse>: token_type Bearer, numeric expires_in, no-store, RFC 6749 error bodies',
          ),
        requireClientAuth: z
          .boolean()
          .default(false)
          .describe(
            'invalidate, validate, revoke-all and tokeninfo require client credentials (default: checked when sent)',
          ),
        appEndUser: z
          .boolean()
          .default(true)
          .describe(
            "<AppEndUser>: tokens carry app_enduser (the field, else the password grant's username); false: none",
          ),
        cors: z
          .array(z.string())
          .default(['http://localhost:*', 'http://127.0.0.1:*', 'https://localhost:*'])
          .describe('Browser origins the proxy answers with CORS headers; * matches a port or host label'),
      })
      .prefault({})
      .describe("The reference proxy's paths, protected paths and CORS"),
    quirks: z
      .strictObject({
        validateExpiredToken: z
          .enum(['flip', 'fault'])
          .default('flip')
          .describe('ValidateToken on an expired token: re-approve silently, or fault access_token_expired'),
        invalidateRevokedCascade: z
          .enum(['no-op', 'cascade'])
          .default('no-op')
          .describe('InvalidateToken cascade on an already-revoked token: nothing, or still revoke its pair'),
        jwtRevocationFault: faultOverride
          .prefault({
            status: 500,
            errorcode: 'steps.oauth.v2.UnsupportedOperation',
            faultstring: 'InvalidateToken and ValidateToken do not support JWT access tokens',
          })
          .describe(
            'The runtime fault for InvalidateToken/ValidateToken on a JWT access token (docs/fidelity/apigee.md#apigee-jwt-revocation-fault)',
          ),
        scopeIntersection: z
          .enum(['empty', 'invalid_scope', 'strict'])
          .default('empty')
          .describe(
            'Requested scopes the products lack are dropped; nothing left: an empty scope (empty) or 400 invalid_scope; strict: any lacking scope is 400 invalid_scope',
          ),
        insufficientScopeChallenge: z
          .enum(['none', 'rfc6750'])
          .default('none')
          .describe('WWW-Authenticate on 403 InsufficientScope: none, or error="insufficient_scope"'),
        callbackUrls: z
          .enum(['list', 'exact'])
          .default('list')
          .describe("An app's callbackUrl: a comma-separated list (X), or one URL compared whole (Edge)"),
        rfcCompliantErrors: z
          .enum(['rfc6749', 'apigee'])
          .default('rfc6749')
          .describe(
            'Token-endpoint errors under proxy.rfcCompliant: {error, error_description}, or {ErrorCode, Error}',
          ),
        jwtSignatureFault: faultOverride
          .prefault({
            status: 401,
            errorcode: 'oauth.v2.JWTDecodingFailed',
            faultstring: 'JWT Access token decoding failed',
          })
          .describe(
            'The fault for a JWT whose signature, type or issuer does not verify (docs/fidelity/apigee.md#apigee-jwt-verify)',
          ),
        statusCheckOrder: z
          .enum(['key-first', 'developer-first'])
          .default('key-first')
          .describe('Which fault wins: key, key expiry, app, developer (key-first), or developer, app, key'),
        productStatusAt: z
          .enum(['use', 'issue'])
          .default('use')
          .describe(
            'Key-product status judged when a token is used, or frozen at issue (a product pending then is left out for good)',
          ),
      })
      .prefault({})
      .describe('Switches for vendor behaviour the fidelity ledger marks unconfirmed'),
    developers: z.array(developer).default([]).describe('Developers (they own apps)'),
    products: z.array(product).default([]).describe('API products'),
    apps: z.array(app).default([]).describe('Developer apps and their keys; names are unique per developer'),
    appGroups: z.array(appGroup).default([]).describe('Apigee X app groups'),
    issuedTokens: z.array(issuedToken).default([]).describe('Tokens that exist when the scenario starts'),
  })
  .superRefine((apigee, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const developers = new Set<string>();
    apigee.developers.forEach((d, i) => {
      if (developers.has(d.email.toLowerCase()))
        issue(['developers', i, 'email'], `Duplicate developer ${d.email}`);
      developers.add(d.email.toLowerCase());
    });
    const own = Object.entries(MANAGEMENT_HOSTS).find(([, host]) => host === apigee.managementUrl)?.[0];
    if (own && own !== apigee.managementDialect) {
      issue(
        ['managementDialect'],
        `${apigee.managementUrl} is Apigee ${own === 'x' ? 'X' : 'Edge'}'s host: it speaks ${own}, not ${apigee.managementDialect}`,
      );
    }
    const products = new Set(apigee.products.map((p) => p.name));
    const appNames = new Set<string>();
    const keys = new Map<string, { app: number; jwt: boolean }>();
    apigee.apps.forEach((a, i) => {
      if (!developers.has(a.developer.toLowerCase())) {
        issue(['apps', i, 'developer'], `No developer ${a.developer} in apigee.developers`);
      }
      // App names are unique per developer (docs/fidelity/apigee.md#apigee-app-names).
      const owned = `${a.developer.toLowerCase()}/${a.name}`;
      if (appNames.has(owned)) issue(['apps', i, 'name'], `Duplicate app ${a.name} of ${a.developer}`);
      appNames.add(owned);
      a.keys.forEach((k, j) => {
        if (k.consumerKey && keys.has(k.consumerKey))
          issue(['apps', i, 'keys', j, 'consumerKey'], 'Duplicate consumerKey');
        if (k.consumerKey)
          keys.set(k.consumerKey, { app: i, jwt: (a.tokenFormat ?? apigee.tokens.format) === 'jwt' });
        k.products.forEach((p, n) => {
          const name = typeof p === 'string' ? p : p.name;
          if (!products.has(name))
            issue(['apps', i, 'keys', j, 'products', n], `No product ${name} in apigee.products`);
        });
      });
    });
    if (apigee.tokens.jwt.privateKey && apigee.tokens.jwt.privateJwk) {
      issue(['tokens', 'jwt', 'privateJwk'], 'Give privateKey or privateJwk, not both');
    }
    const appGroups = new Set<string>();
    apigee.appGroups.forEach((g, i) => {
      if (appGroups.has(g.name)) issue(['appGroups', i, 'name'], `Duplicate app group ${g.name}`);
      appGroups.add(g.name);
    });
    const tokens = new Set<string>();
    apigee.issuedTokens.forEach((t, i) => {
      const match = matchAppRef(
        apigee.apps,
        t.app,
        (a) => a.name,
        (a) => a.developer,
      );
      const owner = match.kind === 'found' ? match.app : undefined;
      if (match.kind === 'none') issue(['issuedTokens', i, 'app'], `No app ${t.app} in apigee.apps`);
      if (match.kind === 'ambiguous') {
        issue(
          ['issuedTokens', i, 'app'],
          ambiguousAppMessage(
            t.app,
            match.candidates.map((a) => a.developer),
          ),
        );
      }
      if (owner && (owner.tokenFormat ?? apigee.tokens.format) === 'jwt') {
        issue(
          ['issuedTokens', i, 'app'],
          'Pre-issued tokens must be opaque: JWTs are signed when issued at runtime',
        );
      }
      if (t.key && owner && keys.get(t.key)?.app !== apigee.apps.indexOf(owner))
        issue(['issuedTokens', i, 'key'], `No key ${t.key} on app ${t.app}`);
      if (t.refreshToken && t.grantType === 'client_credentials') {
        issue(
          ['issuedTokens', i, 'refreshToken'],
          'client_credentials never yields a refresh token (docs/fidelity/apigee.md#apigee-client-credentials-grant)',
        );
      }
      for (const [field, value] of [
        ['accessToken', t.accessToken],
        ['refreshToken', t.refreshToken],
      ] as const) {
        if (value && tokens.has(value)) issue(['issuedTokens', i, field], 'Duplicate token value');
        if (value) tokens.add(value);
      }
    });
  })
  .transform((apigee) => ({
    ...apigee,
    managementUrl: apigee.managementUrl ?? MANAGEMENT_HOSTS[apigee.managementDialect],
  }));
