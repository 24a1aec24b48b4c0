import { z } from 'zod';
import { AnswerHeaders, jsonResponse, simResponse } from '../../http/exchange.ts';
import type { Call, Outcome } from '../../http/operation.ts';
import { authenticateApiCall } from '../domain/api-tokens.ts';
import type { Session } from '../domain/model.ts';
import type { OktaOrg } from '../domain/org.ts';
import { endSession, getSession, redeemSessionToken, refreshSession } from '../domain/sessions.ts';
import { apiCredential, optionalText, readJson } from '../http/request.ts';
import { sessionBody } from '../http/wire.ts';
import { type OktaOperation, oktaOperation } from './define.ts';

/** The Sessions API: a sessionToken exchanged for a session, the cookie session (`/me`), and admin calls. */

const CreateSessionBody = z.object({ sessionToken: optionalText });

/** The `sid` cookie that `/sessions/me` reads (docs/fidelity/okta.md#okta-sessions-me). */
export function sidOf(call: Call<OktaOrg>): string | undefined {
  return call.cookies.sid || undefined;
}

/** The `sid` cookie of a session: `Secure; SameSite=None` over https, as a cross-site iframe needs it. */
export function sidCookie(call: Call<OktaOrg>, session: Session): string {
  const secure = call.url.protocol === 'https:' ? '; Secure; SameSite=None' : '';
  return `sid=${session.id}; Path=/; HttpOnly${secure}`;
}

/**
 * A session as the answer; `Prefer: return=minimal` on a refresh answers 204
 * (docs/fidelity/okta.md#okta-session-refresh).
 */
function sessionAnswer(call: Call<OktaOrg>, session: Session, viaMe: boolean, outcome?: string): Outcome {
  const principal = call.org.users.get(session.userId)?.login;
  if (
    call.url.pathname.endsWith('/lifecycle/refresh') &&
    /return=minimal/i.test(call.request.headers.get('prefer') ?? '')
  ) {
    return {
      response: simResponse(204, null, { 'Preference-Applied': 'return=minimal' }),
      principal,
      outcome,
    };
  }
  return { response: jsonResponse(sessionBody(call.org, session, call.base, viaMe)), principal, outcome };
}

/** Admin calls authenticate by SSWS (checked before anything else); the session is the path's. */
function adminSession<const Name extends string>(
  name: Name,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: '/api/v1/sessions/:sessionId' | '/api/v1/sessions/:sessionId/lifecycle/refresh',
  summary: string,
  act: (org: OktaOrg, id: string) => Session | undefined,
): OktaOperation<Name> {
  return oktaOperation({
    name,
    method,
    path,
    summary,
    bucket: 'sessions',
    input: (call) => {
      const scopes =
        method === 'GET' ? ['okta.sessions.read', 'okta.sessions.manage'] : ['okta.sessions.manage'];
      authenticateApiCall(call.org, apiCredential(call.request), sidOf(call), scopes);
      return call.params.sessionId;
    },
    run: (id, call) => act(call.org, id),
    answer: (session, call) =>
      session
        ? sessionAnswer(call, session, false)
        : { response: simResponse(204), outcome: 'session-ended' },
  });
}

export const SESSION_OPERATIONS = [
  oktaOperation({
    name: 'createSession',
    method: 'POST',
    path: '/api/v1/sessions',
    summary: 'Exchange a sessionToken for a session',
    bucket: 'sessions',
    input: (call) => {
      const credential = apiCredential(call.request);
      // The legacy reference allows anonymous calls, the current one asks for an API token: accept both,
      // but a header that is there must be valid (docs/fidelity/okta.md#okta-create-session-auth).
      if (credential.scheme !== 'none' || call.org.config.quirks.createSessionWithoutApiToken === 'reject') {
        authenticateApiCall(call.org, credential, sidOf(call), ['okta.sessions.manage']);
      }
      return readJson(call.request, CreateSessionBody).sessionToken;
    },
    run: (sessionToken, call) => redeemSessionToken(call.org, sessionToken),
    // No Set-Cookie: the API hands back the session, not a browser session
    // (docs/fidelity/okta.md#okta-create-session-no-cookie).
    answer: (session, call) => sessionAnswer(call, session, false, 'session-created'),
  }),
  oktaOperation({
    name: 'getCurrentSession',
    method: 'GET',
    path: '/api/v1/sessions/me',
    summary: 'The session of the sid cookie',
    bucket: 'sessions',
    input: sidOf,
    run: (sid, call) => getSession(call.org, sid, 'me'),
    answer: (session, call) => sessionAnswer(call, session, true),
  }),
  oktaOperation({
    name: 'refreshCurrentSession',
    method: 'POST',
    path: '/api/v1/sessions/me/lifecycle/refresh',
    summary: 'Refresh the session of the sid cookie (and the cookie)',
    bucket: 'sessions',
    input: sidOf,
    run: (sid, call) => refreshSession(call.org, sid, 'me'),
    answer(session, call) {
      const outcome = sessionAnswer(call, session, true);
      outcome.response.headers.append('Set-Cookie', sidCookie(call, session));
      return outcome;
    },
  }),
  oktaOperation({
    name: 'closeCurrentSession',
    method: 'DELETE',
    path: '/api/v1/sessions/me',
    summary: 'End the session of the sid cookie',
    bucket: 'sessions',
    input: sidOf,
    run: (sid, call) => endSession(call.org, sid, 'me'),
    answer: () => ({
      response: simResponse(204, null, new AnswerHeaders({ 'Set-Cookie': 'sid=""; Path=/; Max-Age=0' })),
      outcome: 'session-ended',
    }),
  }),
  adminSession('getSession', 'GET', '/api/v1/sessions/:sessionId', 'A session by id', (org, id) =>
    getSession(org, id, id),
  ),
  adminSession(
    'refreshSession',
    'POST',
    '/api/v1/sessions/:sessionId/lifecycle/refresh',
    'Refresh a session by id',
    (org, id) => refreshSession(org, id, id),
  ),
  // PUT is the deprecated "extend", which behaves as a refresh (docs/fidelity/okta.md#okta-session-extend).
  adminSession(
    'extendSession',
    'PUT',
    '/api/v1/sessions/:sessionId',
    'Extend a session (deprecated)',
    (org, id) => refreshSession(org, id, id),
  ),
  adminSession('revokeSession', 'DELETE', '/api/v1/sessions/:sessionId', 'End a session by id', (org, id) => {
    endSession(org, id, id);
    return undefined;
  }),
] as const;
