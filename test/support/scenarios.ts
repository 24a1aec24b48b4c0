import { defineScenario } from '../../src/scenario/parse.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';

export const T0 = '2026-01-01T00:00:00.000Z';
export const T0_MS = Date.parse(T0);
export const PASSWORD = 'Passw0rd!';
export const API_TOKEN = '00test-api-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const SSWS = { Authorization: `SSWS ${API_TOKEN}` };

/**
 * The org most tests start from: a frozen clock and one user per kind of sign-in. Tests that need a
 * variation derive it with `withOkta`.
 */
export const baseScenario = defineScenario({
  version: 1,
  name: 'test org',
  seed: 7,
  clock: { start: T0, frozen: true },
  okta: {
    orgUrl: 'https://dev-000000.okta.com',
    apiTokens: [
      { name: 'ci', token: API_TOKEN },
      { name: 'old', token: '00revoked-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', status: 'REVOKED' },
    ],
    policy: { lockout: { maxAttempts: 3 } },
    users: [
      { login: 'ada@example.com', password: PASSWORD, firstName: 'Ada', lastName: 'Lovelace' },
      {
        login: 'totp@example.com',
        password: PASSWORD,
        firstName: 'Theo',
        lastName: 'Totp',
        factors: [{ type: 'token:software:totp', secret: TOTP_SECRET }],
      },
      {
        login: 'sms@example.com',
        password: PASSWORD,
        factors: [{ type: 'sms', phoneNumber: '+15555550100', passCode: '123456' }],
      },
      {
        login: 'sms-generated@example.com',
        password: PASSWORD,
        factors: [{ type: 'sms', phoneNumber: '+15555550101' }],
      },
      { login: 'email@example.com', password: PASSWORD, factors: [{ type: 'email' }] },
      {
        login: 'call@example.com',
        password: PASSWORD,
        factors: [{ type: 'call', phoneNumber: '+15555550102' }],
      },
      {
        login: 'push@example.com',
        password: PASSWORD,
        factors: [{ type: 'push', outcome: 'APPROVE', afterPolls: 2 }],
      },
      {
        login: 'push-reject@example.com',
        password: PASSWORD,
        factors: [{ type: 'push', outcome: 'REJECT' }],
      },
      {
        login: 'push-timeout@example.com',
        password: PASSWORD,
        factors: [{ type: 'push', outcome: 'TIMEOUT' }],
      },
      {
        login: 'question@example.com',
        password: PASSWORD,
        factors: [{ type: 'question', question: 'disliked_food', answer: 'okra' }],
      },
      { login: 'locked@example.com', password: PASSWORD, status: 'LOCKED_OUT' },
      { login: 'expired@example.com', password: PASSWORD, status: 'PASSWORD_EXPIRED' },
      {
        login: 'expired-mfa@example.com',
        password: PASSWORD,
        status: 'PASSWORD_EXPIRED',
        factors: [{ type: 'token:software:totp', secret: TOTP_SECRET }],
      },
      { login: 'suspended@example.com', password: PASSWORD, status: 'SUSPENDED' },
      {
        login: 'enroll@example.com',
        password: PASSWORD,
        enrollment: {
          sms: 'REQUIRED',
          'token:software:totp': 'OPTIONAL',
          push: 'OPTIONAL',
          question: 'OPTIONAL',
        },
      },
      {
        login: 'recover@example.com',
        password: PASSWORD,
        recoveryQuestion: { question: 'Who is a major player in the cowboy scene?', answer: 'Gordon' },
        factors: [{ type: 'sms', phoneNumber: '+15555550103', passCode: '654321' }],
      },
    ],
  },
});

type OktaInput = NonNullable<ScenarioInput['okta']>;

/** The base scenario with parts of its `okta` section replaced. */
export function withOkta(overrides: Partial<OktaInput>): ScenarioInput {
  return { ...baseScenario, okta: { ...baseScenario.okta, ...overrides } };
}

/** The base scenario with a policy section merged in. */
export function withPolicy(policy: NonNullable<OktaInput['policy']>): ScenarioInput {
  return withOkta({ policy: { ...baseScenario.okta.policy, ...policy } });
}

/** An API token of the admin scenario that acts for nobody: `/users/me` with it is 404. */
export const OWNERLESS_TOKEN = '00ownerless-token-dddddddddddddddddddddddddddd';

/**
 * The base org for the admin API: the `ci` token acts for an admin user, the `ownerless` one for nobody
 * (docs/fidelity/okta.md#okta-users-me-api-token).
 */
export const adminScenario = withOkta({
  apiTokens: [
    { name: 'ci', token: API_TOKEN, owner: 'admin@example.com' },
    { name: 'ownerless', token: OWNERLESS_TOKEN },
  ],
  users: [
    ...baseScenario.okta.users,
    { login: 'admin@example.com', password: PASSWORD, firstName: 'Ada', lastName: 'Admin' },
  ],
});

export const RUNTIME = 'https://acme-test.apigee.net';
export const MANAGEMENT = 'https://apigee.googleapis.com';
export const WEB = { clientId: 'web-key', clientSecret: 'web-secret' };
export const MOBILE = { clientId: 'mobile-key', clientSecret: 'mobile-secret' };
export const JWT_APP = { clientId: 'jwt-key', clientSecret: 'jwt-secret' };

/**
 * The Apigee organization most tests start from: a frozen clock, two products, an opaque-token app with
 * both products (`web`, with a callback for authorization codes), a second opaque app (`mobile`) and a
 * JWT-token app (`jwt-app`) of another developer. Writes to /v1/orders need the "write" scope.
 */
export const apigeeScenario = defineScenario({
  version: 1,
  name: 'test apigee org',
  seed: 11,
  clock: { start: T0, frozen: true },
  apigee: {
    runtimeUrl: RUNTIME,
    managementUrl: MANAGEMENT,
    organization: 'acme',
    tokens: { accessTokenLifetime: '30m', refreshTokenLifetime: '24h' },
    developers: [{ email: 'dev@example.com' }, { email: 'other@example.com' }],
    products: [
      { name: 'orders', scopes: ['read', 'write'], resources: ['/v1/orders/**'] },
      { name: 'inventory', scopes: ['stock'], resources: ['/v1/inventory/**'] },
    ],
    apps: [
      {
        name: 'web',
        developer: 'dev@example.com',
        callbackUrl: 'https://web.example.com/callback',
        keys: [
          { consumerKey: WEB.clientId, consumerSecret: WEB.clientSecret, products: ['orders', 'inventory'] },
        ],
      },
      {
        name: 'mobile',
        developer: 'dev@example.com',
        keys: [{ consumerKey: MOBILE.clientId, consumerSecret: MOBILE.clientSecret, products: ['orders'] }],
      },
      {
        name: 'jwt-app',
        developer: 'other@example.com',
        tokenFormat: 'jwt',
        keys: [{ consumerKey: JWT_APP.clientId, consumerSecret: JWT_APP.clientSecret, products: ['orders'] }],
      },
    ],
    proxy: {
      protected: [{ path: '/v1/orders/**', methods: ['POST', 'PUT', 'DELETE'], scope: 'write' }, '/v1/**'],
    },
  },
});

type ApigeeInput = NonNullable<ScenarioInput['apigee']>;

/** The Apigee scenario with parts of its `apigee` section replaced. */
export function withApigee(overrides: Partial<ApigeeInput>): ScenarioInput {
  return { ...apigeeScenario, apigee: { ...apigeeScenario.apigee, ...overrides } };
}

export const EDGE_MANAGEMENT = 'https://api.enterprise.apigee.com';
/** The Edge administrator of `edgeScenario` (HTTP Basic). */
export const EDGE_ADMIN = { username: 'admin@example.com', password: 'Edge-s3cret' };

/**
 * The Apigee scenario with an Edge management API (docs/fidelity/apigee.md#apigee-management-dialects): at
 * `api.enterprise.apigee.com` in-process and on the standalone server's own origin, one administrator.
 */
export const edgeScenario = withApigee({
  managementUrl: EDGE_MANAGEMENT,
  managementDialect: 'edge',
  managementUsers: [EDGE_ADMIN],
});
