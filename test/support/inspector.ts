/**
 * The inspector's scenario and the requests that give it something to show: an Okta sign-in with a session
 * that idles out after 15 minutes, and an Apigee refresh-token lineage that a revocation cascades through.
 * Shared by the inspector's tests (test/inspector) and the docs' screenshot (scripts/inspector-screenshot.ts).
 */
import type { ScenarioInput } from '../../src/scenario/schema.ts';

/** A login that would run script if the page ever wrote state as markup. */
export const HOSTILE_LOGIN = '<img src=x onerror="window.pwned=1">';

export const INSPECTOR_SCENARIO = {
  version: 1,
  name: 'Inspector demo',
  seed: 7,
  clock: { start: '2026-01-01T09:00:00Z', frozen: true },
  okta: {
    policy: { session: { maxIdle: '15m', maxLifetime: 0 } },
    users: [
      { login: 'ada@example.com', password: 'Passw0rd!', firstName: 'Ada', lastName: 'Lovelace' },
      { login: HOSTILE_LOGIN, password: 'Passw0rd!', firstName: 'Mallory', lastName: 'Markup' },
    ],
    apps: [
      {
        clientId: 'web',
        name: 'Web app',
        type: 'web',
        clientSecret: 'web-secret-0000000000000000000000',
        redirectUris: ['http://localhost:8080/callback'],
        grantTypes: ['authorization_code', 'refresh_token', 'password'],
      },
    ],
    authorizationServers: [{ id: 'default', audiences: ['api://default'], scopes: ['orders:read'] }],
  },
  apigee: {
    tokens: { accessTokenLifetime: '30m', refreshTokenLifetime: '24h' },
    developers: [{ email: 'dev@example.com', firstName: 'Dana', lastName: 'Developer' }],
    products: [{ name: 'orders', scopes: ['read'], resources: ['/v1/orders/**'] }],
    apps: [
      {
        name: 'web',
        developer: 'dev@example.com',
        keys: [{ consumerKey: 'web-key', consumerSecret: 'web-secret', products: ['orders'] }],
      },
    ],
  },
} satisfies ScenarioInput;

const APIGEE_CLIENT = `Basic ${btoa('web-key:web-secret')}`;

async function ok(response: Response): Promise<Record<string, string>> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, string>) : {};
}

/** Signs a user in (authn, then a session from its session token); answers the session id. */
export async function signIn(url: string, login = 'ada@example.com'): Promise<string> {
  const authn = await ok(
    await fetch(`${url}/api/v1/authn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: login, password: 'Passw0rd!' }),
    }),
  );
  const session = await ok(
    await fetch(`${url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sessionToken: authn.sessionToken }),
    }),
  );
  return session.id ?? '';
}

/** An Apigee password grant: an access token and the refresh token of a new lineage. */
export async function apigeeToken(url: string): Promise<{ access: string; refresh: string }> {
  const body = await ok(
    await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { Authorization: APIGEE_CLIENT },
      body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: 'any' }),
    }),
  );
  return { access: body.access_token ?? '', refresh: body.refresh_token ?? '' };
}

/** RefreshAccessToken: the lineage's next access token (and, rotating, its next refresh token). */
export async function apigeeRefresh(
  url: string,
  refresh: string,
): Promise<{ access: string; refresh: string }> {
  const body = await ok(
    await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { Authorization: APIGEE_CLIENT },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh }),
    }),
  );
  return { access: body.access_token ?? '', refresh: body.refresh_token ?? '' };
}

/** InvalidateToken on an access token; with cascade (the default) its refresh token dies too. */
export async function apigeeInvalidate(url: string, token: string, cascade = true): Promise<void> {
  await ok(
    await fetch(`${url}/oauth/invalidate`, {
      method: 'POST',
      headers: { Authorization: APIGEE_CLIENT },
      body: new URLSearchParams({ token, type: 'accesstoken', cascade: String(cascade) }),
    }),
  );
}

/** An Okta password grant with offline_access at the default server, then one refresh (rotation). */
export async function oktaGrantWithRefresh(url: string): Promise<void> {
  const client = `Basic ${btoa('web:web-secret-0000000000000000000000')}`;
  const token = async (fields: Record<string, string>) =>
    ok(
      await fetch(`${url}/oauth2/default/v1/token`, {
        method: 'POST',
        headers: { Authorization: client, Accept: 'application/json' },
        body: new URLSearchParams(fields),
      }),
    );
  const first = await token({
    grant_type: 'password',
    username: 'ada@example.com',
    password: 'Passw0rd!',
    scope: 'openid offline_access orders:read',
  });
  await token({
    grant_type: 'refresh_token',
    refresh_token: first.refresh_token ?? '',
    scope: 'openid offline_access orders:read',
  });
}
