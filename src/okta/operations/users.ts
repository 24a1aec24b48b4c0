import { jsonResponse } from '../../http/exchange.ts';
import { authenticateApiCall } from '../domain/api-tokens.ts';
import { invalidSession, resourceNotFound } from '../domain/errors.ts';
import { liveSession } from '../domain/sessions.ts';
import { apiCredential } from '../http/request.ts';
import { SECURITY_QUESTIONS, userBody } from '../http/wire.ts';
import { oktaOperation } from './define.ts';
import { sidOf } from './sessions.ts';

/** The Users API reads that sign-in flows use. */
export const USER_OPERATIONS = [
  oktaOperation({
    name: 'getCurrentUser',
    method: 'GET',
    path: '/api/v1/users/me',
    summary: 'The user of the sid cookie',
    input: sidOf,
    run(sid, call) {
      // Cookie-authenticated like /sessions/me, but a missing session is "Invalid session", not 404
      // (docs/fidelity/okta.md#okta-users-me-without-session).
      const session = liveSession(call.org, sid);
      if (!session) throw invalidSession('no live session for the sid cookie');
      return call.org.user(session.userId);
    },
    answer: (user, call) => ({ response: jsonResponse(userBody(user, call.base)), principal: user.login }),
  }),
  oktaOperation({
    name: 'getUser',
    method: 'GET',
    path: '/api/v1/users/:userId',
    summary: 'A user by id or login',
    input(call) {
      authenticateApiCall(call.org, apiCredential(call.request), sidOf(call), [
        'okta.users.read',
        'okta.users.manage',
      ]);
      return call.params.userId;
    },
    run(id, call) {
      const user = call.org.users.findByIdOrLogin(id);
      if (!user) throw resourceNotFound(id, 'User');
      return user;
    },
    answer: (user, call) => ({ response: jsonResponse(userBody(user, call.base)), principal: user.login }),
  }),
  oktaOperation({
    name: 'listSecurityQuestions',
    method: 'GET',
    path: '/api/v1/users/:userId/factors/questions',
    summary: 'The security questions a user may pick',
    input: () => undefined,
    run: () => SECURITY_QUESTIONS,
    answer: (questions) => ({ response: jsonResponse(questions) }),
  }),
] as const;
