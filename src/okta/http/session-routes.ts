import { z } from 'zod';
import { isTrustedOrigin } from '../../http/cors.ts';
import { AnswerHeaders, type SimResponse, simResponse } from '../../http/exchange.ts';
import { authenticateApiCall } from '../domain/api-tokens.ts';
import { invalidSession, resourceNotFound } from '../domain/errors.ts';
import type { Session } from '../domain/model.ts';
import {
  endSession,
  getSession,
  liveSession,
  redeemSessionToken,
  refreshSession,
} from '../domain/sessions.ts';
import { json, noContent, type OktaCall, readForm, readJson } from './call.ts';
import type { OktaRoute } from './routes.ts';
import { SECURITY_QUESTIONS, sessionBody, userBody } from './wire.ts';

const CreateSessionBody = z.object({
  sessionToken: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
});

/**
 * Okta clears its session cookie when it answers "Invalid session"
 * (docs/fidelity/okta.md#okta-invalid-session, okta-sdk-java#1608).
 */
export const CLEAR_SID_COOKIE = 'sid="";Version=1;Path=/;Max-Age=0';

function sessionAnswer(call: OktaCall, session: Session, viaMe: boolean): SimResponse {
  call.principal = call.org.users.get(session.userId)?.login;
  // `Prefer: return=minimal` on a refresh answers 204 (docs/fidelity/okta.md#okta-session-refresh).
  if (
    call.url.pathname.endsWith('/lifecycle/refresh') &&
    /return=minimal/i.test(call.request.headers.get('prefer') ?? '')
  ) {
    call.headers.set('Preference-Applied', 'return=minimal');
    return noContent();
  }
  return json(sessionBody(call.org, session, call.base, viaMe));
}

/**
 * The `sid` cookie that `/sessions/me` reads (Classic semantics: its value is the session id,
 * docs/fidelity/okta.md#okta-sessions-me).
 */
function sidOf(call: OktaCall): string | undefined {
  return call.cookies.sid || undefined;
}

/** Admin endpoints authenticate by SSWS; the session id is then the path's. */
function adminSessionId(call: OktaCall): string {
  authenticateApiCall(call.org, call.request.headers.get('authorization'), sidOf(call));
  return call.params.sessionId as string;
}

function sidCookie(call: OktaCall, session: Session): string {
  const secure = call.url.protocol === 'https:' ? '; Secure; SameSite=None' : '';
  return `sid=${session.id}; Path=/; HttpOnly${secure}`;
}

export const sessionRoutes: OktaRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/sessions',
    operation: 'createSession',
    bucket: 'sessions',
    handle(call) {
      const authorization = call.request.headers.get('authorization');
      // The legacy reference allows anonymous calls, the current spec lists apiToken
      // (docs/fidelity/okta.md#okta-create-session-auth): accept both, but a header that is there must be
      // valid.
      if (authorization !== null || call.org.config.quirks.createSessionWithoutApiToken === 'reject') {
        authenticateApiCall(call.org, authorization, sidOf(call));
      }
      const { sessionToken } = readJson(call, CreateSessionBody);
      const session = redeemSessionToken(call.org, sessionToken);
      call.outcome = 'session-created';
      // No Set-Cookie: the API hands back the session, not a browser session
      // (docs/fidelity/okta.md#okta-create-session-no-cookie).
      return sessionAnswer(call, session, false);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/sessions/me',
    operation: 'getCurrentSession',
    bucket: 'sessions',
    handle: (call) => sessionAnswer(call, getSession(call.org, sidOf(call), 'me'), true),
  },
  {
    method: 'POST',
    path: '/api/v1/sessions/me/lifecycle/refresh',
    operation: 'refreshCurrentSession',
    bucket: 'sessions',
    handle(call) {
      const session = refreshSession(call.org, sidOf(call), 'me');
      call.headers.append('Set-Cookie', sidCookie(call, session));
      return sessionAnswer(call, session, true);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/sessions/me',
    operation: 'closeCurrentSession',
    bucket: 'sessions',
    handle(call) {
      endSession(call.org, sidOf(call), 'me');
      call.outcome = 'session-ended';
      call.headers.append('Set-Cookie', 'sid=""; Path=/; Max-Age=0');
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/api/v1/sessions/:sessionId',
    operation: 'getSession',
    bucket: 'sessions',
    handle(call) {
      const id = adminSessionId(call);
      return sessionAnswer(call, getSession(call.org, id, id), false);
    },
  },
  ...(['POST /lifecycle/refresh', 'PUT '] as const).map(
    (spec): OktaRoute => ({
      method: spec.split(' ')[0] as string,
      path: `/api/v1/sessions/:sessionId${spec.split(' ')[1]}`,
      // PUT is the deprecated "extend", which behaves as a refresh
      // (docs/fidelity/okta.md#okta-session-extend).
      operation: spec.startsWith('PUT') ? 'extendSession' : 'refreshSession',
      bucket: 'sessions',
      handle(call) {
        const id = adminSessionId(call);
        return sessionAnswer(call, refreshSession(call.org, id, id), false);
      },
    }),
  ),
  {
    method: 'DELETE',
    path: '/api/v1/sessions/:sessionId',
    operation: 'revokeSession',
    bucket: 'sessions',
    handle(call) {
      const id = adminSessionId(call);
      endSession(call.org, id, id);
      call.outcome = 'session-ended';
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/api/v1/users/me',
    operation: 'getCurrentUser',
    handle(call) {
      // Cookie-authenticated like /sessions/me, but a missing session is "Invalid session", not 404
      // (docs/fidelity/okta.md#okta-users-me-without-session).
      const session = liveSession(call.org, sidOf(call));
      if (!session) throw invalidSession('no live session for the sid cookie');
      const user = call.org.user(session.userId);
      call.principal = user.login;
      return json(userBody(user, call.base));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/users/:userId',
    operation: 'getUser',
    handle(call) {
      authenticateApiCall(call.org, call.request.headers.get('authorization'), sidOf(call));
      const id = call.params.userId as string;
      const user = call.org.findUserByIdOrLogin(id);
      if (!user) throw resourceNotFound(id, 'User');
      call.principal = user.login;
      return json(userBody(user, call.base));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/users/:userId/factors/questions',
    operation: 'listSecurityQuestions',
    handle: () => json(SECURITY_QUESTIONS),
  },
  ...(['GET', 'POST'] as const).map(
    (method): OktaRoute => ({
      method,
      path: '/login/sessionCookieRedirect',
      operation: 'sessionCookieRedirect',
      handle: sessionCookieRedirect,
    }),
  ),
];

/**
 * Browser navigation (docs/fidelity/okta.md#okta-session-cookie-redirect): redeem the token, set `sid`, go
 * to `redirectUrl`; the same fields also come as a POST form for long URLs. `redirectUrl` must be on a Trusted Origin (or the org itself):
 * anything else is refused with a 403 page, no cookie, and the token left unspent. A bad token just
 * redirects without a session, as the app then finds out from /sessions/me.
 */
function sessionCookieRedirect(call: OktaCall): SimResponse {
  const fields = call.request.method === 'POST' ? readForm(call) : call.url.searchParams;
  const target = URL.parse(fields.get('redirectUrl') ?? '/', call.base);
  const allowed =
    target !== null &&
    (target.origin === call.url.origin || isTrustedOrigin(target.origin, call.org.config.trustedOrigins));
  if (!target || !allowed) {
    call.outcome = 'redirect-refused';
    return simResponse(403, REFUSED_REDIRECT_PAGE, { 'Content-Type': 'text/html;charset=utf-8' });
  }
  // The URL's own serialisation: percent-encoded ASCII, whatever the client sent (no CR, LF or NUL).
  const headers = new AnswerHeaders({ Location: target.href });
  try {
    const session = redeemSessionToken(call.org, fields.get('token') ?? undefined);
    call.principal = call.org.users.get(session.userId)?.login;
    call.outcome = 'session-created';
    headers.append('Set-Cookie', sidCookie(call, session));
  } catch {
    call.outcome = 'no-session';
  }
  return simResponse(302, null, headers);
}

/**
 * Okta's answer to an untrusted redirect is undocumented: a minimal error page
 * (docs/fidelity/okta.md#okta-session-cookie-redirect).
 */
const REFUSED_REDIRECT_PAGE =
  '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1>' +
  '<p>The redirect URL is not a Trusted Origin of this org.</p></body></html>';
