import { expect } from 'vitest';
import { defineScenario } from '../../src/scenario/parse.ts';
import type { Harness, Reply } from './harness.ts';
import { baseScenario, PASSWORD } from './scenarios.ts';

/**
 * An org with OIDC clients of every kind and the `default` server with custom scopes, for the OIDC contract
 * and the client tests (docs/oidc.md).
 */

export const SPA_CALLBACK = 'http://localhost:8080/login/callback';
export const SPA_HOME = 'http://localhost:8080/';
export const WEB_CALLBACK = 'https://web.example.com/callback';
export const WEB_SECRET = 'web-secret-0123456789';
export const SERVICE_SECRET = 'service-secret-0123456789';

/**
 * A test-only RSA key pair (generated for this file, used nowhere else): the private half signs
 * private_key_jwt client assertions, the public half is the `svc-jwt` app's JWKS.
 */
export const CLIENT_PRIVATE_JWK: {
  kty: 'RSA';
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
} = {
  kty: 'RSA',
  n: 'mQUNkv6CNc77kXN0mV60ugVsp1ZjlUVA4T1dg4jjohznyH90ep5I3CFVbhOUk4U7L9kx5NZhYiBwmljK63knhYeeYkqYu-jz-tk-i2f4ZlrTj9UV2mE0l_K1GjTcn2rR2dHyKKhJU42fHoIZvW8K4S-8x5qL7dsZ028-jH79LMsMu-z0HzP44WKiCL_jomI0nqc5tjuny-BNDXsfExMxbbN6ARkE9GTQXTXkxHNH7KGU9tKY0eAwgPTkddE2GTIMfwYMuIR5Sh07gPc1jnqcp-C4OqPZ0AgefwEilDDlbCZbi7LoWiOB_jDAfResK0ydgrLs7IMDW12H-U34Hl8__Q',
  e: 'AQAB',
  d: 'MuMZzQkDf2Z6hbfqDjkPDA_SvuF9U35I4b7ZEu2ameZX9HbiYwaxfzc8pFMxpU94y-REcfATSaE1ITcnIGDVklP0CYb6PP9u57yITq8ATfWlhp8b2dhat69Yp8LtnbxV1kS57ehtHjKqOGiWq8c6TIHmG1EbeLnU4FoN6IYwpszJ_r_ZqJVHeSFuDCC8P0FE3eYYXnB89Ern1zW5NsAzP9BnziK1LMGEuLRE3FA9BySAnzTBJptQqTlU6VV4KimwDwsFUHwRcbAG4hIzeCJ-Uz2xUOK7uEW-JFNRGCDigtwanE2ThloJepRsCP3i7PC0nzXbbT6jCHQJhbvLQFlN1w',
  p: 'z84SxACja0bHDTM6Yd18U7RUoy4V9tHjdyViKhS7FNSdZm9034CrXHS78Xpf0Q7Chd7Vo3pDp993jXuva-bS261gTNTV9x5cGIfeWO26HjTNUZhU_dVz7t_QvYBwUl36fdfpdRrR7vbQicwH4HCSO_oQT-X7gSA4bt4pDDzFTHM',
  q: 'vII8i3yxT_Mmnh_h9LdmylffdiXAgYTf_dMHtvN2YyIPtWrujFegImTAAlRJwC5m8L7IsKKZTmev7bTs67Tv6V1jwYEgpuFa51xKszIQKwguK2jK8xVTOy9faNMmJyWoAr6h2ayM9WmiCw_UfCVW_yTGsJrjMgQXF1XG5mrrFc8',
  dp: 'HIi4bO-FgQqD9J0PLDcEhl3hrVJ7s5uYd1jLxOl50t9rCZDOZI4_eX-R-xOJqqQzM7yoaz0zow59VREhwlg8peuFqKclBjzF-pxVfLKP9uvbMZQQP5aax7c163-CbNz4s2T9apYXM4_yjKlWf4wVmGS67q2uvklVVmvtCQAjO18',
  dq: 'S_BnNYXw5BU-zFppqyyq0v6dPbotl7-QgG8f33qqiXryOxItsQmnr9NIamfMIghPXdJthIKsIaKxg5_sBXQpZahChHRhU_japvNOAGw9iShNeR1JDK3djq0h0VemOgT4bsqe5tKVIlQAfFZPMgfUyQnmpMRwm_h72OGsM6yEsY8',
  qi: 'dDx1GtpoGJIAjhdo6Fxuj-laXaOIPX7u3PvU65Cy0cE8mQxpmuLmKxns5WjFZQwunzmnu5Xz-sAwD5SACSfeXtK5HdfuxF2cQodvSmx7pstseo6fK3VQdfTadNF0hL0UA8cd21CHK33clHfbIDnPWqTq1s0OGJeyMss1r3fzJrc',
};
const CLIENT_PUBLIC_JWK: { kty: 'RSA'; n: string; e: string } = {
  kty: 'RSA',
  n: 'mQUNkv6CNc77kXN0mV60ugVsp1ZjlUVA4T1dg4jjohznyH90ep5I3CFVbhOUk4U7L9kx5NZhYiBwmljK63knhYeeYkqYu-jz-tk-i2f4ZlrTj9UV2mE0l_K1GjTcn2rR2dHyKKhJU42fHoIZvW8K4S-8x5qL7dsZ028-jH79LMsMu-z0HzP44WKiCL_jomI0nqc5tjuny-BNDXsfExMxbbN6ARkE9GTQXTXkxHNH7KGU9tKY0eAwgPTkddE2GTIMfwYMuIR5Sh07gPc1jnqcp-C4OqPZ0AgefwEilDDlbCZbi7LoWiOB_jDAfResK0ydgrLs7IMDW12H-U34Hl8__Q',
  e: 'AQAB',
};

const okta = baseScenario.okta!;

export const oidcScenario = defineScenario({
  ...baseScenario,
  okta: {
    ...okta,
    groups: [{ name: 'Admins' }],
    users: okta.users!.map((user) =>
      user.login === 'ada@example.com' ? { ...user, groups: ['Admins'] } : user,
    ),
    apps: [
      {
        clientId: 'spa',
        name: 'Orders SPA',
        type: 'browser',
        redirectUris: [SPA_CALLBACK],
        postLogoutRedirectUris: [SPA_HOME],
      },
      {
        clientId: 'implicit',
        type: 'browser',
        grantTypes: ['implicit', 'authorization_code'],
        redirectUris: [SPA_CALLBACK],
      },
      {
        clientId: 'web',
        type: 'web',
        clientSecret: WEB_SECRET,
        redirectUris: [WEB_CALLBACK],
        postLogoutRedirectUris: ['https://web.example.com/'],
        grantTypes: ['authorization_code', 'refresh_token', 'password', 'client_credentials'],
      },
      { clientId: 'service', type: 'service', clientSecret: SERVICE_SECRET },
      {
        clientId: 'svc-jwt',
        type: 'service',
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [{ ...CLIENT_PUBLIC_JWK, kid: 'test-key' }] },
      },
    ],
    authorizationServers: [
      { id: 'default', scopes: ['orders:read', { name: 'orders:write', default: true }] },
      { id: 'aus0other', audiences: ['api://other'], scopes: ['other:read'] },
    ],
  },
});

/** A PKCE pair (RFC 7636, S256). */
export async function pkce(verifier = 'v'.repeat(20) + crypto.randomUUID().replaceAll('-', '')) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge: Buffer.from(digest).toString('base64url') };
}

export const basic = (id: string, secret?: string) =>
  `Basic ${Buffer.from(secret === undefined ? id : `${id}:${secret}`).toString('base64')}`;

/** A fresh sessionToken of a user (primary authentication). */
export async function sessionTokenOf(h: Harness, login = 'ada@example.com'): Promise<string> {
  const reply = await h.post('/api/v1/authn', { username: login, password: PASSWORD });
  expect(reply.body.status, reply.text).toBe('SUCCESS');
  return reply.body.sessionToken;
}

/** `/v1/authorize` of a server (`default`, or `org`) with `params`, redirects not followed. */
export function authorizeRequest(
  h: Harness,
  params: Record<string, string>,
  server = 'default',
  headers?: Record<string, string>,
): Promise<Reply> {
  const path = server === 'org' ? '/oauth2/v1/authorize' : `/oauth2/${server}/v1/authorize`;
  return h.request('GET', `${path}?${new URLSearchParams(params)}`, headers ? { headers } : {});
}

export const tokenPath = (server = 'default') =>
  server === 'org' ? '/oauth2/v1/token' : `/oauth2/${server}/v1/token`;

/** Signs in as the SPA with a sessionToken and PKCE: the code, verifier and the answer. */
export async function spaCode(
  h: Harness,
  extra: Record<string, string> = {},
  server = 'default',
): Promise<{ code: string; verifier: string; reply: Reply }> {
  const { verifier, challenge } = await pkce();
  const reply = await authorizeRequest(
    h,
    {
      client_id: 'spa',
      redirect_uri: SPA_CALLBACK,
      response_type: 'code',
      scope: 'openid profile email offline_access',
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      sessionToken: await sessionTokenOf(h),
      ...extra,
    },
    server,
  );
  expect(reply.status, reply.text).toBe(302);
  const code = new URL(reply.headers.get('location') ?? '').searchParams.get('code') ?? '';
  return { code, verifier, reply };
}

/** Exchanges an SPA code: the token answer. */
export async function spaTokens(h: Harness, extra: Record<string, string> = {}, server = 'default') {
  const { code, verifier } = await spaCode(h, extra, server);
  const reply = await h.form(`${h.base}${tokenPath(server)}`, {
    grant_type: 'authorization_code',
    client_id: 'spa',
    redirect_uri: SPA_CALLBACK,
    code,
    code_verifier: verifier,
  });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as {
    access_token: string;
    id_token: string;
    refresh_token: string;
    scope: string;
    expires_in: number;
  };
}

/** The claims of a JWT, unverified. */
// biome-ignore lint/suspicious/noExplicitAny: claims are arbitrary JSON
export function claimsOf(jwt: string): any {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
}

/** The OAuth error body of a reply. */
export function expectOAuthError(reply: Reply, status: number, error: string, description?: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/application\/json/);
  expect(reply.body).toEqual({ error, error_description: description ?? expect.any(String) });
}
