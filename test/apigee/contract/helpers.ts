import { expect } from 'vitest';
import type { Harness, Reply } from '../../support/harness.ts';
import { type apigeeScenario, WEB, type withApigee } from '../../support/scenarios.ts';

/** What a contract file gets from its runner: a harness per scenario, on the runner's transport. */
export type Make = (scenario: typeof apigeeScenario | ReturnType<typeof withApigee>) => Promise<Harness>;

export interface Client {
  clientId: string;
  clientSecret: string;
}

/** `Authorization: Basic` for a client's consumer key and secret. */
export const basic = (client: Client) => ({
  Authorization: `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`,
});

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A form POST to a reference-proxy path (`/oauth/...`) on the runtime origin. */
export const proxyForm = (h: Harness, path: string, fields: Record<string, string>, headers = {}) =>
  h.form(`${h.runtime}${path}`, fields, headers);

/** `POST /oauth/token` with the given fields, the client in HTTP Basic unless `client` is null. */
export const tokenRequest = (h: Harness, fields: Record<string, string>, client: Client | null = WEB) =>
  proxyForm(h, '/oauth/token', fields, client ? basic(client) : {});

/** A successful token answer's body (fails the test on any other answer). */
// biome-ignore lint/suspicious/noExplicitAny: vendor JSON
export async function issue(h: Harness, fields: Record<string, string>, client: Client = WEB): Promise<any> {
  const reply = await tokenRequest(h, fields, client);
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

/** client_credentials: an access token without a refresh token. */
export const clientCredentials = (h: Harness, client: Client = WEB, extra: Record<string, string> = {}) =>
  issue(h, { grant_type: 'client_credentials', ...extra }, client);

/** password: an access token and its refresh token, for end user `username`. */
export const passwordGrant = (
  h: Harness,
  client: Client = WEB,
  username = 'alice',
  extra: Record<string, string> = {},
) => issue(h, { grant_type: 'password', username, password: 'any-password', ...extra }, client);

/**
 * An access token / refresh token pair (AT₁, RT₁ of docs/fidelity/apigee.md#apigee-invalidate-cascade),
 * issued together by the password grant.
 */
export async function pair(h: Harness, client: Client = WEB, username = 'alice') {
  const body = await passwordGrant(h, client, username);
  return { at: body.access_token as string, rt: body.refresh_token as string };
}

export const refresh = (h: Harness, refreshToken: string, client: Client = WEB) =>
  tokenRequest(h, { grant_type: 'refresh_token', refresh_token: refreshToken }, client);

/** A call to a protected proxy path, behind VerifyAccessToken. */
export const callApi = (h: Harness, token: string, path = '/v1/orders', method = 'GET') =>
  h.request(method, `${h.runtime}${path}`, { headers: bearer(token) });

type TokenFields = { token: string; type?: string; cascade?: string };

/** `POST /oauth/invalidate` (InvalidateToken) without client authentication. */
export const invalidate = (h: Harness, fields: TokenFields) => proxyForm(h, '/oauth/invalidate', fields);

/** `POST /oauth/validate` (ValidateToken) without client authentication. */
export const validate = (h: Harness, fields: TokenFields) => proxyForm(h, '/oauth/validate', fields);

/** `POST /oauth/revoke-all` (RevokeOAuthV2). */
export const revokeAll = (h: Harness, fields: Record<string, string>) =>
  proxyForm(h, '/oauth/revoke-all', fields);

/** `GET /oauth/tokeninfo?token=` (GetOAuthV2Info), anonymous unless `client` is given (HTTP Basic). */
export const tokenInfo = (h: Harness, token: string, client?: Client) =>
  h.request('GET', `${h.runtime}/oauth/tokeninfo?token=${encodeURIComponent(token)}`, {
    headers: client ? basic(client) : {},
  });

/**
 * The challenge Apigee puts on a VerifyAccessToken 401 (docs/fidelity/apigee.md#apigee-www-authenticate):
 * `Bearer realm="null",error="invalid_token",error_description="<errorcode>: <faultstring>"`.
 */
export function expectChallenge(reply: Reply, spec: { errorcode: string; faultstring: string }): void {
  expect(reply.headers.get('www-authenticate')).toBe(
    `Bearer realm="null",error="invalid_token",error_description="${spec.errorcode}: ${spec.faultstring}"`,
  );
}

/** The developer app ID (a UUID, `application_name` in token answers) of an app named in the scenario. */
export function appIdOf(h: Harness, name: string): string {
  const id = h.sim.state.apigee?.apps.find((app) => app.name === name)?.appId;
  expect(id, `app ${name}`).toBeDefined();
  return id as string;
}

/** The stored status of a token (what GetOAuthV2Info would report), straight from the simulator. */
export const storedStatus = (h: Harness, token: string) => h.sim.apigee.token(token)?.status;

export interface FaultSpec {
  status: number;
  errorcode: string;
  faultstring?: string;
}

/**
 * Faults of the default envelope that many areas meet (docs/fidelity/apigee.md#apigee-policy-faults,
 * docs/fidelity/apigee.md#apigee-verify-faults).
 */
export const FAULTS = {
  /** Missing, empty or non-Bearer Authorization header (docs/fidelity/apigee.md#apigee-verify-faults). */
  noBearer: { status: 401, errorcode: 'oauth.v2.InvalidAccessToken', faultstring: 'Invalid access token' },
  /** Unknown token (docs/fidelity/apigee.md#apigee-verify-faults). */
  invalidToken: {
    status: 401,
    errorcode: 'keymanagement.service.invalid_access_token',
    faultstring: 'Invalid Access Token',
  },
  /** Expired token (docs/fidelity/apigee.md#apigee-verify-faults). */
  expired: {
    status: 401,
    errorcode: 'keymanagement.service.access_token_expired',
    faultstring: 'Access Token expired',
  },
  /** Revoked token (docs/fidelity/apigee.md#apigee-verify-faults). */
  notApproved: {
    status: 401,
    errorcode: 'keymanagement.service.access_token_not_approved',
    faultstring: 'Access Token not approved',
  },
  /** Not a JWT, or a JWT that does not verify (docs/fidelity/apigee.md#apigee-jwt-decoding-failed). */
  jwtDecodingFailed: {
    status: 401,
    errorcode: 'oauth.v2.JWTDecodingFailed',
    faultstring: 'JWT Access token decoding failed',
  },
} as const satisfies Record<string, FaultSpec>;

/**
 * The default policy-fault envelope `{"fault":{"faultstring","detail":{"errorcode"}}}`
 * (docs/fidelity/apigee.md#apigee-error-shapes).
 */
export function expectFault(reply: Reply, spec: FaultSpec): void {
  expect(reply.status, reply.text).toBe(spec.status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(reply.body).toEqual({
    fault: { faultstring: spec.faultstring ?? expect.any(String), detail: { errorcode: spec.errorcode } },
  });
}

/**
 * The token endpoint's OAuth-style error `{"ErrorCode","Error"}`
 * (docs/fidelity/apigee.md#apigee-token-errors).
 */
export function expectOAuthError(reply: Reply, status: number, errorCode: string, error?: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(reply.body).toEqual({ ErrorCode: errorCode, Error: error ?? expect.any(String) });
}

/**
 * 401 `{"ErrorCode":"invalid_client","Error":"ClientId is Invalid"}`
 * (docs/fidelity/apigee.md#apigee-client-authentication).
 */
export const expectInvalidClient = (reply: Reply) =>
  expectOAuthError(reply, 401, 'invalid_client', 'ClientId is Invalid');

/**
 * A RefreshAccessToken that fails because a token of the grant is revoked
 * (docs/fidelity/apigee.md#apigee-token-usable): 400 or 401 with an OAuth-style body ([L] for the status,
 * docs/fidelity/apigee.md#apigee-refresh-errors) and, where the ledger names it, the message.
 */
export function expectRefreshRefused(reply: Reply, message?: string): void {
  expect([400, 401], reply.text).toContain(reply.status);
  expect(reply.body).toEqual({ ErrorCode: expect.any(String), Error: message ?? expect.any(String) });
}

/** An answer with a status and no body at all (InvalidateToken, RevokeOAuthV2, management actions). */
export function expectEmpty(reply: Reply, status: number): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.text).toBe('');
}

/**
 * Runs `act` and checks that the simulator's state is unchanged by it (a refused request changes nothing,
 * docs/errors.md).
 */
export async function unchanged<T>(h: Harness, act: () => Promise<T>): Promise<T> {
  const before = JSON.stringify(h.sim.state);
  const result = await act();
  expect(JSON.stringify(h.sim.state)).toBe(before);
  return result;
}
