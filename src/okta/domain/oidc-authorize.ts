import type { Session } from './model.ts';
import { OAUTH_TEXT, OAuthError, type OAuthErrorCode, type ResponseMode } from './oauth-errors.ts';
import { type AuthorizationServer, OIDC_SCOPES, type OidcApp } from './oidc-model.ts';
import { mintTokens, newGrant } from './oidc-tokens.ts';
import type { OktaOrg } from './org.ts';
import { liveSession, redeemSessionToken } from './sessions.ts';

/** The parameters of `/v1/authorize` as read from the query (docs/fidelity/okta.md#okta-oidc-authorize). */
export interface AuthorizeParams {
  clientId: string | undefined;
  redirectUri: string | undefined;
  responseType: string | undefined;
  responseMode: string | undefined;
  scope: string | undefined;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  prompt: string | undefined;
  maxAge: string | undefined;
  sessionToken: string | undefined;
  /** A parameter came twice. */
  duplicated: boolean;
}

export type AuthorizeOutcome =
  /** No usable session: the browser goes to the org's sign-in page and comes back. */
  | { kind: 'sign-in' }
  | {
      kind: 'granted';
      redirectUri: string;
      responseMode: ResponseMode;
      params: Record<string, string>;
      /** A session made from the request's sessionToken: its cookie goes with the answer. */
      created: Session | undefined;
      userId: string;
    };

const RESPONSE_MODES: readonly ResponseMode[] = ['query', 'fragment', 'form_post', 'okta_post_message'];
const STATE = /^[A-Za-z0-9,._-]+$/;
const PKCE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;
const CODE_LIFETIME = 300_000;

/**
 * `/v1/authorize` (docs/fidelity/okta.md#okta-oidc-authorize): checks in Okta's order, errors on Okta's
 * page until the client and redirect URI are known, then back to the redirect URI; the user from the
 * `sid` cookie or a `sessionToken` (redeemed once, a session made); a code, tokens or both.
 */
export async function authorize(
  org: OktaOrg,
  server: AuthorizationServer | undefined,
  params: AuthorizeParams,
  sid: string | undefined,
  base: string,
): Promise<AuthorizeOutcome> {
  const page = (code: OAuthErrorCode, text: string) =>
    new OAuthError(code, text, { delivery: { kind: 'page' } });
  if (!server) throw page('invalid_request', OAUTH_TEXT.authServerInvalid);
  const app = params.clientId ? org.oidc.apps.get(params.clientId) : undefined;
  if (!app) throw page('invalid_client', OAUTH_TEXT.clientIdInvalid);
  if (!params.redirectUri) throw page('missing_redirect_uri', OAUTH_TEXT.redirectMissing);
  const redirectUri = params.redirectUri;
  if (!app.redirectUris.includes(redirectUri)) {
    throw page(
      'invalid_request',
      `The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: ${adminUrl(base, app)}`,
    );
  }

  const types = new Set((params.responseType ?? '').split(' ').filter(Boolean));
  const implicit = types.has('token') || types.has('id_token');
  const requestedMode = params.responseMode;
  const validMode = RESPONSE_MODES.find((mode) => mode === requestedMode);
  const responseMode: ResponseMode = validMode ?? (implicit ? 'fragment' : 'query');
  let state = params.state;
  const fail = (code: OAuthErrorCode, text: string) =>
    new OAuthError(code, text, { delivery: { kind: 'redirect', redirectUri, responseMode, state } });

  if (params.duplicated) throw fail('invalid_request', OAUTH_TEXT.duplicateParameters);
  if (requestedMode !== undefined && !validMode) {
    throw fail(
      'unsupported_response_mode',
      `The response mode is not supported by the authorization server. Valid response modes: [${RESPONSE_MODES.join(', ')}].`,
    );
  }
  const configured = configuredResponseTypes(app);
  if (types.size === 0 || [...types].some((type) => !configured.includes(type))) {
    throw fail(
      'unsupported_response_type',
      `The response type is not supported by the authorization server. Configured response types: [${configured.join(', ')}].`,
    );
  }
  if (responseMode === 'query' && implicit)
    throw fail('unsupported_response_mode', OAUTH_TEXT.queryWithTokens);
  if (!state || !STATE.test(state) || state.length > 2048) {
    state = undefined;
    throw fail('invalid_request', OAUTH_TEXT.stateInvalid);
  }
  if (implicit && !params.nonce) throw fail('invalid_request', OAUTH_TEXT.nonceRequired);

  const scopes = [...new Set((params.scope ?? '').split(' ').filter(Boolean))];
  if (scopes.length === 0) throw fail('invalid_scope', OAUTH_TEXT.scopeExceeds);
  const openid = scopes.includes('openid');
  if (!openid && (types.has('id_token') || scopes.some((scope) => OIDC_SCOPES.includes(scope)))) {
    throw fail('invalid_scope', OAUTH_TEXT.openidRequired);
  }
  const unknown = scopes.filter((scope) => !OIDC_SCOPES.includes(scope));
  if (server.kind === 'org') {
    if (unknown.some((scope) => !scope.startsWith('okta.')))
      throw fail('invalid_scope', OAUTH_TEXT.customScopesOnOrg);
  } else if (unknown.some((scope) => !server.scopes.some((known) => known.name === scope))) {
    throw fail('invalid_scope', OAUTH_TEXT.scopeNotConfigured);
  }

  if (params.codeChallenge !== undefined || params.codeChallengeMethod !== undefined) {
    if (params.codeChallengeMethod !== 'S256') throw fail('invalid_request', OAUTH_TEXT.pkceMethod);
    if (!params.codeChallenge) throw fail('invalid_request', OAUTH_TEXT.pkceChallengeRequired);
    if (!PKCE_CHALLENGE.test(params.codeChallenge))
      throw fail('invalid_request', OAUTH_TEXT.pkceChallengeChars);
  } else if (types.has('code') && app.pkceRequired) {
    throw fail('invalid_request', OAUTH_TEXT.pkceChallengeRequired);
  }

  const prompts = new Set((params.prompt ?? '').split(' ').filter(Boolean));
  const promptOk =
    [...prompts].every((prompt) => prompt === 'none' || prompt === 'login' || prompt === 'consent') &&
    !(prompts.has('none') && prompts.size > 1);
  if (!promptOk) {
    throw fail(
      'invalid_request',
      "Invalid value for 'prompt' parameter. Supported values: [none, login, consent, login consent].",
    );
  }
  let maxAge: number | undefined;
  if (params.maxAge !== undefined) {
    maxAge = /^\d{1,10}$/.test(params.maxAge) ? Number(params.maxAge) : Number.NaN;
    if (!(maxAge <= 2 ** 31 - 1)) throw fail('invalid_request', OAUTH_TEXT.maxAgeInvalid);
    if (maxAge === 0 && prompts.has('none')) throw fail('invalid_request', OAUTH_TEXT.promptZeroMaxAge);
  }

  // Who the user is: the sid cookie's session (a sessionToken beside it is ignored), else the sessionToken
  // (docs/fidelity/okta.md#okta-oidc-session-decision).
  const now = org.now();
  let session = prompts.has('login') ? undefined : liveSession(org, sid);
  if (session && maxAge !== undefined && now - authTimeOf(session) > maxAge * 1000) session = undefined;
  let created: Session | undefined;
  if (!session && params.sessionToken) {
    const token = org.sessionTokens.get(params.sessionToken);
    if (token && now < token.expiresAt) {
      created = redeemSessionToken(org, params.sessionToken);
      session = created;
    }
  }
  if (!session) {
    if (prompts.has('none')) throw fail('login_required', OAUTH_TEXT.loginRequired);
    return { kind: 'sign-in' };
  }
  session.lastActivity = now;

  const answer: Record<string, string> = {};
  const authTime = authTimeOf(session);
  let code: string | undefined;
  if (types.has('code')) {
    code = org.ids.urlSafe(43);
    org.oidc.codes.set(code, {
      code,
      clientId: app.clientId,
      serverId: server.id,
      redirectUri,
      userId: session.userId,
      sessionId: session.id,
      authTime,
      amr: [...session.amr],
      scopes,
      nonce: params.nonce,
      codeChallenge: params.codeChallenge,
      expiresAt: now + CODE_LIFETIME,
    });
    answer.code = code;
  }
  if (implicit) {
    // Implicit responses never carry a refresh token (docs/fidelity/okta.md#okta-oidc-refresh-tokens).
    const granted = scopes.filter((scope) => scope !== 'offline_access');
    const grant = newGrant(org, server, app, {
      userId: session.userId,
      scopes: granted,
      authTime,
      amr: [...session.amr],
    });
    const set = await mintTokens(org, {
      server,
      base,
      app,
      grant,
      scopes: granted,
      accessToken: types.has('token'),
      idToken: types.has('id_token') && openid,
      fullIdToken: !types.has('token'),
      nonce: params.nonce,
      code,
    });
    if (set.access_token) {
      Object.assign(answer, {
        access_token: set.access_token,
        token_type: set.token_type,
        expires_in: String(set.expires_in),
        scope: set.scope,
      });
    }
    if (set.id_token) answer.id_token = set.id_token;
  }
  answer.state = state;
  return { kind: 'granted', redirectUri, responseMode, params: answer, created, userId: session.userId };
}

/** When the session's user authenticated: what `auth_time` says (docs/fidelity/okta.md#okta-oidc-session-decision). */
export function authTimeOf(session: Session): number {
  return session.passwordVerifiedAt ?? session.createdAt;
}

/** The response types an app may ask for: `code`, and `token`/`id_token` with the implicit grant. */
function configuredResponseTypes(app: OidcApp): string[] {
  const types: string[] = [];
  if (app.grantTypes.includes('authorization_code')) types.push('code');
  if (app.grantTypes.includes('implicit')) types.push('token', 'id_token');
  return types;
}

/** The admin-console link Okta's redirect-URI error names: `{org}-admin.okta.com` for an Okta host. */
function adminUrl(base: string, app: OidcApp): string {
  const url = new URL(base);
  const match = /^([^.]+)\.(okta|oktapreview|okta-emea)\.com$/.exec(url.hostname);
  const admin = match ? `${url.protocol}//${match[1]}-admin.${match[2]}.com` : base;
  return `${admin}/admin/app/oidc_client/instance/${app.clientId}#tab-general`;
}
