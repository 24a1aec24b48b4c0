import { isTrustedOrigin } from '../../http/cors.ts';
import { AnswerHeaders, simResponse } from '../../http/exchange.ts';
import { redeemSessionToken } from '../domain/sessions.ts';
import { readForm } from '../http/request.ts';
import { oktaOperation } from './define.ts';
import { sidCookie } from './sessions.ts';

/** Okta's error page for an untrusted redirect is undocumented: a minimal one (docs/fidelity/okta.md#okta-session-cookie-redirect). */
const REFUSED_REDIRECT_PAGE =
  '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1>' +
  '<p>The redirect URL is not a Trusted Origin of this org.</p></body></html>';

/**
 * Browser navigation (docs/fidelity/okta.md#okta-session-cookie-redirect): redeem the token, set `sid`,
 * go to `redirectUrl`; the same fields also come as a POST form for long URLs. `redirectUrl` must be on
 * a Trusted Origin (or the org itself): anything else is refused with a 403 page, no cookie, and the
 * token left unspent. A bad token just redirects without a session, as the app then finds out from
 * /sessions/me.
 */
function sessionCookieRedirect<const Method extends 'GET' | 'POST'>(method: Method) {
  return oktaOperation({
    name: 'sessionCookieRedirect',
    method,
    path: '/login/sessionCookieRedirect',
    summary: 'Set the sid cookie from a sessionToken and redirect (a browser navigation)',
    input(call) {
      const fields = method === 'POST' ? readForm(call.request) : call.url.searchParams;
      const target = URL.parse(fields.get('redirectUrl') ?? '/', call.base);
      const trusted =
        target !== null &&
        (target.origin === call.url.origin || isTrustedOrigin(target.origin, call.org.config.trustedOrigins));
      return { token: fields.get('token') ?? undefined, target: trusted ? target : undefined };
    },
    run({ token, target }, call) {
      if (!target) return { target };
      try {
        return { target, session: redeemSessionToken(call.org, token) };
      } catch {
        return { target };
      }
    },
    answer({ target, session }, call) {
      if (!target) {
        return {
          response: simResponse(403, REFUSED_REDIRECT_PAGE, { 'Content-Type': 'text/html;charset=utf-8' }),
          outcome: 'redirect-refused',
        };
      }
      // The URL's own serialisation: percent-encoded ASCII, whatever the client sent (no CR, LF or NUL).
      const headers = new AnswerHeaders({ Location: target.href });
      if (!session) return { response: simResponse(302, null, headers), outcome: 'no-session' };
      headers.append('Set-Cookie', sidCookie(call, session));
      return {
        response: simResponse(302, null, headers),
        principal: call.org.users.get(session.userId)?.login,
        outcome: 'session-created',
      };
    },
  });
}

export const LOGIN_OPERATIONS = [sessionCookieRedirect('GET'), sessionCookieRedirect('POST')] as const;
