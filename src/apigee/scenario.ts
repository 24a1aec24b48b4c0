import { z } from 'zod';
import { duration, origin } from '../scenario/fields.ts';
import { rsaPkcs8Problem } from '../scenario/pem.ts';

const status = z.enum(['approved', 'revoked']).describe('approved or revoked');
const tokenFormat = z
  .enum(['opaque', 'jwt'])
  .describe('opaque tokens, or JWT access tokens (OAuthV2 GenerateJWTAccessToken)');

/** A path pattern as Apigee products and proxies write them: `*` one segment, `**` any depth. */
const pathPattern = z
  .string()
  .regex(/^\/[^\s?#]*$/, 'Expected a path pattern such as /v1/orders/** or /v1/*');

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
});

const product = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'Letters, digits, ".", "-" and "_" only')
    .meta({ description: 'The API product name', examples: ['orders'] }),
  displayName: z.string().optional().describe('displayName; default: the name'),
  scopes: z
    .array(z.string().regex(/^\S+$/, 'A scope has no spaces'))
    .default([])
    .describe('OAuth scopes the product grants'),
  resources: z.array(pathPattern).default(['/**']).describe('Proxy paths the product covers'),
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
});

const app = z.strictObject({
  name: z
    .string()
    .regex(/^[\w.-]+$/, 'Letters, digits, ".", "-" and "_" only')
    .meta({ description: 'The app name', examples: ['web'] }),
  developer: z.email().describe("The owning developer's email"),
  appId: z.string().optional().describe('Generated (a UUID) when absent'),
  status: status.default('approved').describe("The app's status"),
  callbackUrl: z.url().optional().describe('The redirect_uri authorization_code requests must use'),
  tokenFormat: tokenFormat.optional().describe('Overrides apigee.tokens.format for this app'),
  keys: z.array(key).min(1, 'An app needs at least one key').describe("The app's keys (credentials)"),
});

const issuedToken = z.strictObject({
  app: z.string().describe('App name'),
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
  }),
]);

export const ApigeeScenarioSchema = z
  .strictObject({
    runtimeUrl: origin.default('https://acme-test.apigee.net').describe('Where the reference proxy answers'),
    managementUrl: origin
      .default('https://apigee.googleapis.com')
      .describe('Where the management API answers'),
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
              .describe('PKCS#8 PEM for RS256; generated per simulator when absent'),
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
        protected: z.array(protectedPath).default(['/v1/**']).describe('Paths behind VerifyAccessToken'),
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
      })
      .prefault({})
      .describe('Switches for vendor behaviour the fidelity ledger marks unconfirmed'),
    developers: z.array(developer).default([]).describe('Developers (they own apps)'),
    products: z.array(product).default([]).describe('API products'),
    apps: z.array(app).default([]).describe('Developer apps and their keys'),
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
    const products = new Set(apigee.products.map((p) => p.name));
    const appNames = new Set<string>();
    const keys = new Map<string, { app: string; jwt: boolean }>();
    apigee.apps.forEach((a, i) => {
      if (!developers.has(a.developer.toLowerCase())) {
        issue(['apps', i, 'developer'], `No developer ${a.developer} in apigee.developers`);
      }
      if (appNames.has(a.name)) issue(['apps', i, 'name'], `Duplicate app ${a.name}`);
      appNames.add(a.name);
      a.keys.forEach((k, j) => {
        if (k.consumerKey && keys.has(k.consumerKey))
          issue(['apps', i, 'keys', j, 'consumerKey'], 'Duplicate consumerKey');
        if (k.consumerKey)
          keys.set(k.consumerKey, { app: a.name, jwt: (a.tokenFormat ?? apigee.tokens.format) === 'jwt' });
        k.products.forEach((p, n) => {
          const name = typeof p === 'string' ? p : p.name;
          if (!products.has(name))
            issue(['apps', i, 'keys', j, 'products', n], `No product ${name} in apigee.products`);
        });
      });
    });
    const tokens = new Set<string>();
    apigee.issuedTokens.forEach((t, i) => {
      const owner = apigee.apps.find((a) => a.name === t.app);
      if (!owner) issue(['issuedTokens', i, 'app'], `No app ${t.app} in apigee.apps`);
      if (owner && (owner.tokenFormat ?? apigee.tokens.format) === 'jwt') {
        issue(
          ['issuedTokens', i, 'app'],
          'Pre-issued tokens must be opaque: JWTs are signed when issued at runtime',
        );
      }
      if (t.key && keys.get(t.key)?.app !== t.app)
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
  });
