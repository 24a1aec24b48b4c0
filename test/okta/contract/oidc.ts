import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../../src/scenario/schema.ts';
import type { Harness } from '../../support/harness.ts';
import {
  authorizeRequest,
  basic,
  claimsOf,
  expectOAuthError,
  oidcScenario,
  pkce,
  SERVICE_SECRET,
  SPA_CALLBACK,
  SPA_HOME,
  sessionTokenOf,
  spaCode,
  spaTokens,
  tokenPath,
  WEB_CALLBACK,
  WEB_SECRET,
} from '../../support/oidc.ts';
import { expectOktaError } from '../../support/okta.ts';
import { PASSWORD, SSWS, T0_MS } from '../../support/scenarios.ts';

type Make = (scenario: ScenarioInput) => Promise<Harness>;

const form = (h: Harness, path: string, fields: Record<string, string>, headers?: Record<string, string>) =>
  h.form(`${h.base}${path}`, fields, headers);

const refresh = (h: Harness, token: string, extra: Record<string, string> = {}) =>
  form(h, tokenPath(), { grant_type: 'refresh_token', client_id: 'spa', refresh_token: token, ...extra });

const introspect = (h: Harness, token: string, server = 'default') =>
  form(
    h,
    server === 'org' ? '/oauth2/v1/introspect' : `/oauth2/${server}/v1/introspect`,
    { token },
    { Authorization: basic('spa') },
  );

const sidOf = (reply: { headers: Headers }) =>
  /sid=([^;]+)/.exec(reply.headers.get('set-cookie') ?? '')?.[1] ?? '';

/**
 * Okta's authorization servers with raw requests (docs/fidelity/okta.md#okta-oidc and the entries it lists).
 */
export function oidcContract(harness: Make): void {
  describe('OIDC discovery and keys', () => {
    it('serves the default server document with issuer and endpoints on the origin used (docs/fidelity/okta.md#okta-oidc-discovery)', async () => {
      const h = await harness(oidcScenario);
      const reply = await h.get('/oauth2/default/.well-known/openid-configuration');
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-cache, no-store');
      expect(reply.body).toMatchObject({
        issuer: `${h.base}/oauth2/default`,
        authorization_endpoint: `${h.base}/oauth2/default/v1/authorize`,
        token_endpoint: `${h.base}/oauth2/default/v1/token`,
        userinfo_endpoint: `${h.base}/oauth2/default/v1/userinfo`,
        jwks_uri: `${h.base}/oauth2/default/v1/keys`,
        registration_endpoint: `${h.base}/oauth2/v1/clients`,
        end_session_endpoint: `${h.base}/oauth2/default/v1/logout`,
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
      expect(reply.body.grant_types_supported).not.toContain('client_credentials');
      expect(reply.body.scopes_supported).toEqual(
        expect.arrayContaining(['openid', 'groups', 'orders:read']),
      );
    });

    it('serves the org server document (issuer = org URL) and the OAuth metadata twin (docs/fidelity/okta.md#okta-oidc-discovery)', async () => {
      const h = await harness(oidcScenario);
      const org = await h.get('/.well-known/openid-configuration');
      expect(org.body.issuer).toBe(h.base);
      expect(org.body.token_endpoint).toBe(`${h.base}/oauth2/v1/token`);
      const oauth = await h.get('/oauth2/default/.well-known/oauth-authorization-server');
      expect(oauth.body.userinfo_endpoint).toBeUndefined();
      expect(oauth.body.grant_types_supported).toContain('client_credentials');
      const rfc8414 = await h.get('/.well-known/oauth-authorization-server/oauth2/default');
      expect(rfc8414.body).toEqual(oauth.body);
    });

    it('answers 404 E0000007 for an unknown server and the invalid_client envelope for an unknown client_id (docs/fidelity/okta.md#okta-oidc-servers)', async () => {
      const h = await harness(oidcScenario);
      expectOktaError(
        await h.get('/oauth2/nope/.well-known/openid-configuration'),
        404,
        'E0000007',
        'Not found: Resource not found: nope (AuthorizationServer)',
      );
      const reply = await h.get('/oauth2/default/.well-known/openid-configuration?client_id=nope');
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        errorCode: 'invalid_client',
        errorSummary: "Invalid value for 'client_id' parameter.",
      });
    });

    it('publishes RS256 keys with thumbprint kids and a long max-age; the org server hides its access-token key (docs/fidelity/okta.md#okta-oidc-keys)', async () => {
      const h = await harness(oidcScenario);
      const keys = await h.get('/oauth2/default/v1/keys');
      expect(keys.headers.get('cache-control')).toMatch(/^max-age=\d+, must-revalidate$/);
      expect(keys.body.keys).toEqual([
        {
          kty: 'RSA',
          alg: 'RS256',
          kid: expect.stringMatching(/^[\w-]{43}$/),
          use: 'sig',
          e: 'AQAB',
          n: expect.any(String),
        },
      ]);
      const { access_token } = (
        await form(
          h,
          '/oauth2/default/v1/token',
          { grant_type: 'client_credentials' },
          { Authorization: basic('service', SERVICE_SECRET) },
        )
      ).body;
      expect(JSON.parse(Buffer.from(access_token.split('.')[0], 'base64url').toString())).toEqual({
        kid: keys.body.keys[0].kid,
        alg: 'RS256',
      });
      const org = await h.get('/oauth2/v1/keys');
      expect(org.body.keys[0].kid).not.toBe(keys.body.keys[0].kid);
    });

    it('keeps its keys across reset and reloads, and never answers 429 for keys or discovery (docs/fidelity/okta.md#okta-oidc-keys, docs/fidelity/okta.md#okta-oidc-rate-limits)', async () => {
      const h = await harness({
        ...oidcScenario,
        okta: { ...oidcScenario.okta, rateLimits: { oauth2Other: 1, other: 1 } },
      });
      const before = (await h.get('/oauth2/default/v1/keys')).body.keys[0].kid;
      h.sim.reset();
      h.sim.load(oidcScenario);
      for (let i = 0; i < 3; i++) {
        expect((await h.get('/oauth2/default/v1/keys')).body.keys[0].kid).toBe(before);
        expect((await h.get('/oauth2/default/.well-known/openid-configuration')).status).toBe(200);
      }
    });

    it('serves /.well-known/okta-organization as a Classic org (docs/fidelity/okta.md#okta-oidc-org-metadata)', async () => {
      const h = await harness(oidcScenario);
      const reply = await h.get('/.well-known/okta-organization');
      expect(reply.body).toEqual({
        id: h.sim.state.okta?.orgId,
        pipeline: 'v1',
        _links: { organization: { href: h.base } },
      });
    });
  });

  describe('OIDC authorize', () => {
    const params = async (extra: Record<string, string> = {}) => ({
      client_id: 'spa',
      redirect_uri: SPA_CALLBACK,
      response_type: 'code',
      scope: 'openid profile',
      state: 'abc',
      nonce: 'n',
      code_challenge: (await pkce()).challenge,
      code_challenge_method: 'S256',
      ...extra,
    });

    it('redeems a sessionToken once, sets sid and redirects with code and state (docs/fidelity/okta.md#okta-oidc-session-decision)', async () => {
      const h = await harness(oidcScenario);
      const token = await sessionTokenOf(h);
      const reply = await authorizeRequest(h, await params({ sessionToken: token }));
      expect(reply.status).toBe(302);
      const location = new URL(reply.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe(SPA_CALLBACK);
      expect(location.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
      expect(location.searchParams.get('state')).toBe('abc');
      expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
      expect(reply.headers.get('cache-control')).toBe('no-cache, no-store');
      const sid = sidOf(reply);
      expect(h.sim.state.okta?.sessions.map((s) => s.id)).toEqual([sid]);
      const again = await authorizeRequest(h, await params({ sessionToken: token, prompt: 'none' }));
      expect(new URL(again.headers.get('location') ?? '').searchParams.get('error')).toBe('login_required');
    });

    it('signs in silently with the sid cookie, and answers login_required once the session is deleted (docs/fidelity/okta.md#okta-oidc-session-decision)', async () => {
      const h = await harness(oidcScenario);
      const sid = sidOf((await spaCode(h)).reply);
      const silent = await authorizeRequest(h, await params({ prompt: 'none' }), 'default', {
        Cookie: `sid=${sid}`,
      });
      expect(new URL(silent.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();
      expect((await h.del(`/api/v1/sessions/${sid}`, SSWS)).status).toBe(204);
      const after = await authorizeRequest(h, await params({ prompt: 'none' }), 'default', {
        Cookie: `sid=${sid}`,
      });
      const location = new URL(after.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toBe('login_required');
      expect(location.searchParams.get('error_description')).toBe(
        'The client specified not to prompt, but the user is not logged in.',
      );
    });

    it('sends a request without a session to the sign-in page, which comes back to it (docs/fidelity/okta.md#okta-oidc-sign-in-page)', async () => {
      const h = await harness(oidcScenario);
      const reply = await authorizeRequest(h, await params({ login_hint: 'ada@example.com' }));
      expect(reply.status).toBe(302);
      const signIn = new URL(reply.headers.get('location') ?? '');
      expect(signIn.pathname).toBe('/login/login.htm');
      expect(new URL(signIn.searchParams.get('fromURI') ?? '').pathname).toBe('/oauth2/default/v1/authorize');
      const page = await h.get(`${signIn.pathname}${signIn.search}`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toContain('/api/v1/authn');
      expect(page.text).toContain('value="ada@example.com"');
    });

    it("shows Okta's error page, never a redirect, for an unknown client or redirect URI (docs/fidelity/okta.md#okta-oidc-error-page)", async () => {
      const h = await harness(oidcScenario);
      const client = await authorizeRequest(h, await params({ client_id: 'nope' }));
      expect(client.status).toBe(400);
      expect(client.headers.get('location')).toBeNull();
      expect(client.text).toContain('Invalid value for &#39;client_id&#39; parameter.');
      const redirect = await authorizeRequest(h, await params({ redirect_uri: 'https://evil.example.com/' }));
      expect(redirect.status).toBe(400);
      expect(redirect.text).toContain('must be a Login redirect URI in the client app settings');
      const server = await authorizeRequest(h, await params(), 'nope');
      expect(server.text).toContain('The authorization server id is invalid.');
    });

    it('redirects the other errors with their exact descriptions (docs/fidelity/okta.md#okta-oidc-authorize)', async () => {
      const h = await harness(oidcScenario);
      const cases: [Record<string, string>, string, string][] = [
        [{ state: '' }, 'invalid_request', "The authentication request has an invalid 'state' parameter."],
        [
          { response_mode: 'nope' },
          'unsupported_response_mode',
          expect.stringContaining(
            'Valid response modes: [query, fragment, form_post, okta_post_message].',
          ) as never,
        ],
        [
          { response_type: 'token' },
          'unsupported_response_type',
          'The response type is not supported by the authorization server. Configured response types: [code].',
        ],
        [
          { scope: 'profile' },
          'invalid_scope',
          "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.",
        ],
        [
          { scope: 'openid nope' },
          'invalid_scope',
          'One or more scopes are not configured for the authorization server resource.',
        ],
        [
          { code_challenge_method: 'plain' },
          'invalid_request',
          'PKCE code challenge method is not supported. Valid values: [S256].',
        ],
        [
          { prompt: 'none', max_age: '0' },
          'invalid_request',
          "'prompt' parameter must not have the value 'none' for request with 'zero' as max_age.",
        ],
      ];
      for (const [extra, error, description] of cases) {
        const reply = await authorizeRequest(h, await params(extra));
        const url = new URL(reply.headers.get('location') ?? '');
        // Errors go back in the response mode: the fragment for implicit response types.
        const location = {
          searchParams: url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams,
        };
        expect([location.searchParams.get('error'), location.searchParams.get('error_description')]).toEqual([
          error,
          description,
        ]);
        expect(location.searchParams.get('state')).toBe(extra.state === '' ? null : 'abc');
      }
      const nonce = await authorizeRequest(h, {
        ...(await params({ client_id: 'implicit', response_type: 'id_token', response_mode: 'fragment' })),
        nonce: '',
      });
      const fragment = new URLSearchParams(new URL(nonce.headers.get('location') ?? '').hash.slice(1));
      expect(fragment.get('error_description')).toBe(
        "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types..",
      );
    });

    it('answers implicit tokens in the fragment with a full ID token for id_token alone (docs/fidelity/okta.md#okta-oidc-id-token-claims)', async () => {
      const h = await harness(oidcScenario);
      const reply = await authorizeRequest(h, {
        client_id: 'implicit',
        redirect_uri: SPA_CALLBACK,
        response_type: 'id_token',
        scope: 'openid profile email',
        state: 's',
        nonce: 'n-1',
        sessionToken: await sessionTokenOf(h),
      });
      const fragment = new URLSearchParams(new URL(reply.headers.get('location') ?? '').hash.slice(1));
      const claims = claimsOf(fragment.get('id_token') ?? '');
      expect(claims).toMatchObject({
        nonce: 'n-1',
        given_name: 'Ada',
        family_name: 'Lovelace',
        email_verified: true,
      });
      expect(claims.at_hash).toBeUndefined();
      const both = await authorizeRequest(h, {
        client_id: 'implicit',
        redirect_uri: SPA_CALLBACK,
        response_type: 'id_token token',
        scope: 'openid profile',
        state: 's',
        nonce: 'n-2',
        sessionToken: await sessionTokenOf(h),
      });
      const tokens = new URLSearchParams(new URL(both.headers.get('location') ?? '').hash.slice(1));
      expect(tokens.get('token_type')).toBe('Bearer');
      expect(tokens.get('expires_in')).toBe('3600');
      expect(claimsOf(tokens.get('id_token') ?? '').given_name).toBeUndefined();
      expect(claimsOf(tokens.get('id_token') ?? '').at_hash).toMatch(/^[\w-]{22}$/);
    });

    it('answers okta_post_message with a page that posts to the redirect URI origin, code allowed (docs/fidelity/okta.md#okta-oidc-response-modes)', async () => {
      const h = await harness(oidcScenario);
      const reply = await authorizeRequest(
        h,
        await params({ response_mode: 'okta_post_message', sessionToken: await sessionTokenOf(h) }),
      );
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/text\/html/);
      expect(reply.text).toContain('"http://localhost:8080"');
      expect(reply.text).toMatch(/"code":"[\w-]{43}"/);
      expect(reply.text).toContain('"state":"abc"');
      const failed = await authorizeRequest(
        h,
        await params({ response_mode: 'okta_post_message', prompt: 'none' }),
      );
      expect(failed.text).toContain('"error":"login_required"');
      const posted = await authorizeRequest(
        h,
        await params({ response_mode: 'form_post', sessionToken: await sessionTokenOf(h) }),
      );
      expect(posted.text).toContain(`action="${SPA_CALLBACK}"`);
      expect(posted.text).toContain('name="code"');
    });
  });

  describe('OIDC token', () => {
    it('exchanges a code with PKCE for the token set with Okta claims (docs/fidelity/okta.md#okta-oidc-token-response, docs/fidelity/okta.md#okta-oidc-access-token-claims)', async () => {
      const h = await harness(oidcScenario);
      const tokens = await spaTokens(h, { scope: 'openid profile email offline_access groups' });
      expect(tokens).toMatchObject({
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'openid profile email offline_access groups',
      });
      expect(tokens.refresh_token).toMatch(/^[\w-]{43}$/);
      const user = h.sim.state.okta?.users.find((u) => u.login === 'ada@example.com');
      const now = T0_MS / 1000;
      expect(claimsOf(tokens.access_token)).toEqual({
        ver: 1,
        jti: expect.stringMatching(/^AT\.[\w-]{43}$/),
        iss: `${h.base}/oauth2/default`,
        aud: 'api://default',
        iat: now,
        exp: now + 3600,
        cid: 'spa',
        uid: user?.id,
        scp: ['openid', 'profile', 'email', 'offline_access', 'groups'],
        auth_time: now,
        sub: 'ada@example.com',
        groups: ['Everyone', 'Admins'],
      });
      expect(claimsOf(tokens.id_token)).toEqual({
        sub: user?.id,
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        preferred_username: 'ada@example.com',
        groups: ['Everyone', 'Admins'],
        ver: 1,
        iss: `${h.base}/oauth2/default`,
        aud: 'spa',
        iat: now,
        exp: now + 3600,
        jti: expect.stringMatching(/^ID\.[\w-]{43}$/),
        amr: ['pwd'],
        idp: h.sim.state.okta?.orgId,
        nonce: 'nonce-1',
        auth_time: now,
        at_hash: expect.stringMatching(/^[\w-]{22}$/),
      });
    });

    it('refuses a reused code, a wrong verifier and another redirect URI with their descriptions (docs/fidelity/okta.md#okta-oidc-codes)', async () => {
      const h = await harness(oidcScenario);
      const { code, verifier } = await spaCode(h);
      const exchange = (fields: Record<string, string>) =>
        form(h, tokenPath(), {
          grant_type: 'authorization_code',
          client_id: 'spa',
          redirect_uri: SPA_CALLBACK,
          code,
          code_verifier: verifier,
          ...fields,
        });
      expectOAuthError(
        await exchange({ code_verifier: 'w'.repeat(43) }),
        400,
        'invalid_grant',
        'PKCE verification failed.',
      );
      expectOAuthError(
        await exchange({ redirect_uri: 'http://localhost:8080/other' }),
        400,
        'invalid_grant',
        "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
      );
      expect((await exchange({})).status).toBe(200);
      expectOAuthError(
        await exchange({}),
        400,
        'invalid_grant',
        'The authorization code is invalid or has expired.',
      );
      const late = await spaCode(h);
      h.sim.clock.advance('5m');
      expectOAuthError(
        await form(h, tokenPath(), {
          grant_type: 'authorization_code',
          client_id: 'spa',
          redirect_uri: SPA_CALLBACK,
          code: late.code,
          code_verifier: late.verifier,
        }),
        400,
        'invalid_grant',
        'The authorization code is invalid or has expired.',
      );
    });

    it('authenticates clients as Okta does (docs/fidelity/okta.md#okta-oidc-client-auth)', async () => {
      const h = await harness(oidcScenario);
      const cc = { grant_type: 'client_credentials' };
      expectOAuthError(await form(h, tokenPath(), cc), 401, 'invalid_client', 'No client credentials found.');
      expectOAuthError(
        await form(h, tokenPath(), cc, { Authorization: basic('service', 'wrong') }),
        401,
        'invalid_client',
        'The client secret supplied for a confidential client is invalid.',
      );
      expectOAuthError(
        await form(
          h,
          tokenPath(),
          { ...cc, client_id: 'service', client_secret: SERVICE_SECRET },
          { Authorization: basic('service', SERVICE_SECRET) },
        ),
        401,
        'invalid_request',
        'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
      );
      expectOAuthError(
        await form(h, `${tokenPath()}?client_secret=x`, cc),
        400,
        'invalid_request',
        'Client credentials cannot be supplied via query parameters.',
      );
      expectOAuthError(
        await form(h, tokenPath(), cc, { Authorization: basic('nope', 'x') }),
        401,
        'invalid_client',
        'Client authentication failed. Either the client or the client credentials are invalid.',
      );
      const ok = await form(h, tokenPath(), cc, { Authorization: basic('service', SERVICE_SECRET) });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({
        token_type: 'Bearer',
        expires_in: 3600,
        access_token: expect.any(String),
        scope: 'orders:write',
      });
      expect(claimsOf(ok.body.access_token)).toMatchObject({
        sub: 'service',
        cid: 'service',
        scp: ['orders:write'],
      });
      expect(claimsOf(ok.body.access_token).uid).toBeUndefined();
    });

    it('answers the grant-type errors (docs/fidelity/okta.md#okta-oidc-token)', async () => {
      const h = await harness(oidcScenario);
      const auth = { Authorization: basic('service', SERVICE_SECRET) };
      expectOAuthError(
        await form(h, tokenPath(), {}, auth),
        400,
        'invalid_request',
        expect.stringContaining("must specify a 'grant_type'") as never,
      );
      expectOAuthError(
        await form(h, tokenPath(), { grant_type: 'implicit' }, auth),
        400,
        'unsupported_grant_type',
      );
      expectOAuthError(
        await form(
          h,
          tokenPath(),
          { grant_type: 'password', username: 'ada@example.com', password: PASSWORD, scope: 'openid' },
          auth,
        ),
        400,
        'unauthorized_client',
        'The client is not authorized to use the provided grant type. Configured grant types: [client_credentials].',
      );
      expectOAuthError(
        await form(h, tokenPath(), { grant_type: 'client_credentials', scope: 'openid' }, auth),
        400,
        'invalid_scope',
        "Cannot request 'openid' scopes using client credentials.",
      );
      expectOAuthError(
        await form(h, tokenPath('aus0other'), { grant_type: 'client_credentials' }, auth),
        400,
        'invalid_scope',
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      );
    });

    it('rotates browser refresh tokens with a 30 s leeway, and a later reuse revokes the grant (docs/fidelity/okta.md#okta-oidc-refresh-tokens)', async () => {
      const h = await harness(oidcScenario);
      const first = await spaTokens(h);
      const second = await refresh(h, first.refresh_token);
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.refresh_token);
      expect(claimsOf(second.body.id_token).nonce).toBeUndefined();
      h.sim.clock.advance('30s');
      expect((await refresh(h, first.refresh_token)).status).toBe(200);
      h.sim.clock.advance('1s');
      expectOAuthError(
        await refresh(h, first.refresh_token),
        400,
        'invalid_grant',
        'The refresh token is invalid or expired.',
      );
      expectOAuthError(await refresh(h, second.body.refresh_token), 400, 'invalid_grant');
      expect((await introspect(h, second.body.access_token)).body).toEqual({ active: false });
    });

    it('keeps static refresh tokens, lets them die after 7 idle days, and refuses scope escalation (docs/fidelity/okta.md#okta-oidc-refresh-tokens)', async () => {
      const h = await harness(oidcScenario);
      const { code, verifier } = await (async () => {
        const pair = await pkce();
        const reply = await authorizeRequest(h, {
          client_id: 'web',
          redirect_uri: WEB_CALLBACK,
          response_type: 'code',
          scope: 'openid offline_access',
          state: 's',
          code_challenge: pair.challenge,
          code_challenge_method: 'S256',
          sessionToken: await sessionTokenOf(h),
        });
        return {
          code: new URL(reply.headers.get('location') ?? '').searchParams.get('code') ?? '',
          verifier: pair.verifier,
        };
      })();
      const auth = { Authorization: basic('web', WEB_SECRET) };
      const tokens = (
        await form(
          h,
          tokenPath(),
          { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: WEB_CALLBACK },
          auth,
        )
      ).body;
      const again = await form(
        h,
        tokenPath(),
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
        auth,
      );
      expect(again.body.refresh_token).toBe(tokens.refresh_token);
      expectOAuthError(
        await form(
          h,
          tokenPath(),
          { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: 'openid profile' },
          auth,
        ),
        400,
        'invalid_scope',
      );
      h.sim.clock.advance('7d');
      expectOAuthError(
        await form(
          h,
          tokenPath(),
          { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
          auth,
        ),
        400,
        'invalid_grant',
      );
    });

    it('grants passwords to apps that allow it, with Okta errors for bad ones (docs/fidelity/okta.md#okta-oidc-password-grant)', async () => {
      const h = await harness(oidcScenario);
      const auth = { Authorization: basic('web', WEB_SECRET) };
      const ok = await form(
        h,
        tokenPath(),
        {
          grant_type: 'password',
          username: 'ada@example.com',
          password: PASSWORD,
          scope: 'openid offline_access',
        },
        auth,
      );
      expect(Object.keys(ok.body).sort()).toEqual([
        'access_token',
        'expires_in',
        'id_token',
        'refresh_token',
        'scope',
        'token_type',
      ]);
      expectOAuthError(
        await form(
          h,
          tokenPath(),
          { grant_type: 'password', username: 'ada@example.com', password: 'nope', scope: 'openid' },
          auth,
        ),
        400,
        'invalid_grant',
        'The credentials provided were invalid.',
      );
    });
  });

  describe('OIDC userinfo, introspect, revoke, logout', () => {
    it('answers userinfo with every claim of the scopes, and challenges bad tokens without a body (docs/fidelity/okta.md#okta-oidc-userinfo)', async () => {
      const h = await harness(oidcScenario);
      const tokens = await spaTokens(h);
      const info = await h.get('/oauth2/default/v1/userinfo', {
        Authorization: `Bearer ${tokens.access_token}`,
      });
      expect(info.body).toMatchObject({
        sub: claimsOf(tokens.id_token).sub,
        name: 'Ada Lovelace',
        given_name: 'Ada',
        family_name: 'Lovelace',
        preferred_username: 'ada@example.com',
        locale: 'en-US',
        zoneinfo: 'America/Los_Angeles',
        email: 'ada@example.com',
        email_verified: true,
      });
      const bad = await h.get('/oauth2/default/v1/userinfo', { Authorization: 'Bearer nope' });
      expect([bad.status, bad.text]).toEqual([401, '']);
      expect(bad.headers.get('www-authenticate')).toBe(
        `Bearer authorization_uri="${h.base}/oauth2/default/v1/authorize", realm="${h.base}/oauth2/default", scope="openid", error="invalid_token", error_description="The access token is invalid.", resource="/oauth2/default/v1/userinfo"`,
      );
      const openidOnly = await spaTokens(h, { scope: 'openid' });
      const forbidden = await h.get('/oauth2/default/v1/userinfo', {
        Authorization: `Bearer ${openidOnly.access_token}`,
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      const other = await h.get('/oauth2/aus0other/v1/userinfo', {
        Authorization: `Bearer ${tokens.access_token}`,
      });
      expect(other.status).toBe(401);
    });

    it('introspects access and refresh tokens truthfully, inactive once expired (docs/fidelity/okta.md#okta-oidc-introspect)', async () => {
      const h = await harness(oidcScenario);
      const tokens = await spaTokens(h);
      const active = await introspect(h, tokens.access_token);
      expect(active.body).toMatchObject({
        active: true,
        token_type: 'Bearer',
        scope: 'openid profile email offline_access',
        client_id: 'spa',
        username: 'ada@example.com',
        sub: 'ada@example.com',
        aud: 'api://default',
        iss: `${h.base}/oauth2/default`,
      });
      expect((await introspect(h, tokens.refresh_token)).body).toMatchObject({
        active: true,
        client_id: 'spa',
      });
      expect((await introspect(h, tokens.id_token)).body).toMatchObject({ active: true, aud: 'spa' });
      expect((await introspect(h, 'garbage')).body).toEqual({ active: false });
      expectOAuthError(
        await form(h, '/oauth2/default/v1/introspect', { token: 'x' }),
        401,
        'invalid_client',
        'No client credentials found.',
      );
      h.sim.clock.advance('1h');
      expect((await introspect(h, tokens.access_token)).body).toEqual({ active: false });
    });

    it('revokes a refresh token with its access tokens, an access token alone, and answers 200 for unknown tokens (docs/fidelity/okta.md#okta-oidc-revoke)', async () => {
      const h = await harness(oidcScenario);
      const tokens = await spaTokens(h);
      const revoke = (token: string) => form(h, '/oauth2/default/v1/revoke', { token, client_id: 'spa' });
      const unknown = await revoke('nope');
      expect([unknown.status, unknown.text]).toEqual([200, '']);
      await revoke(tokens.access_token);
      expect((await introspect(h, tokens.access_token)).body.active).toBe(false);
      const renewed = await refresh(h, tokens.refresh_token);
      expect(renewed.status).toBe(200);
      await revoke(renewed.body.refresh_token);
      expect((await introspect(h, renewed.body.access_token)).body.active).toBe(false);
      expectOAuthError(await refresh(h, renewed.body.refresh_token), 400, 'invalid_grant');
    });

    it('logs out: ends the session, keeps refresh tokens, redirects with state (docs/fidelity/okta.md#okta-oidc-logout)', async () => {
      const h = await harness(oidcScenario);
      const { code, verifier, reply } = await spaCode(h);
      const sid = sidOf(reply);
      const tokens = (
        await form(h, tokenPath(), {
          grant_type: 'authorization_code',
          client_id: 'spa',
          redirect_uri: SPA_CALLBACK,
          code,
          code_verifier: verifier,
        })
      ).body;
      const out = await h.get(
        `/oauth2/default/v1/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: SPA_HOME, state: 'bye' })}`,
        { Cookie: `sid=${sid}` },
      );
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe(`${SPA_HOME}?state=bye`);
      expect(h.sim.state.okta?.sessions).toEqual([]);
      expect((await refresh(h, tokens.refresh_token)).status).toBe(200);
      const bad = await h.get(
        `/oauth2/default/v1/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: 'https://evil.example.com/' })}`,
      );
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('must be a Logout redirect URI in the client app settings.');
    });

    it('lets org-server tokens with okta.* scopes call the admin API, and refuses others (docs/fidelity/okta.md#okta-bearer-on-admin)', async () => {
      const h = await harness(oidcScenario);
      const user = h.sim.state.okta?.users.find((u) => u.login === 'ada@example.com');
      const custom = await spaTokens(h);
      expectOktaError(
        await h.get(`/api/v1/users/${user?.id}`, { Authorization: `Bearer ${custom.access_token}` }),
        401,
        'E0000011',
      );
      // The org server's user token with okta.* scopes (OAuth for Okta in a user's name).
      const org = await spaTokens(h, { scope: 'openid okta.users.read' }, 'org');
      const read = await h.get(`/api/v1/users/${user?.id}`, { Authorization: `Bearer ${org.access_token}` });
      expect([read.status, read.body.profile.login]).toEqual([200, 'ada@example.com']);
      expectOktaError(
        await h.get(`/api/v1/sessions/nope`, { Authorization: `Bearer ${org.access_token}` }),
        403,
        'E0000006',
        'You do not have permission to perform the requested action',
      );
      h.sim.clock.advance('1h');
      expectOktaError(
        await h.get(`/api/v1/users/${user?.id}`, { Authorization: `Bearer ${org.access_token}` }),
        401,
        'E0000011',
      );
    });

    it('shows grants and tokens in sim.state, clears them on reset, and names the operations in the journal (docs/oidc.md)', async () => {
      const h = await harness(oidcScenario);
      const tokens = await spaTokens(h);
      const state = h.sim.state.okta;
      expect(state?.oauthGrants).toHaveLength(1);
      expect(state?.refreshTokens.map((t) => t.token)).toEqual([tokens.refresh_token]);
      expect(state?.accessTokens).toHaveLength(1);
      expect(h.sim.requests.all().map((entry) => entry.operation)).toEqual(
        expect.arrayContaining(['authorizeCustomAS', 'tokenCustomAS']),
      );
      h.sim.reset();
      expect(h.sim.state.okta?.oauthGrants).toEqual([]);
      expect((await introspect(h, tokens.access_token)).body.active).toBe(false);
    });
  });
}
