import { z } from 'zod';
import { jsonResponse } from '../../http/exchange.ts';
import type { Call, Outcome, PathParams } from '../../http/operation.ts';
import { authenticateApiCall } from '../domain/api-tokens.ts';
import type { User } from '../domain/model.ts';
import type { OktaOrg } from '../domain/org.ts';
import type { RateBucket } from '../domain/rate-limits.ts';
import {
  activateUser,
  type CredentialsInput,
  changeRecoveryQuestion,
  changeUserPassword,
  createUser,
  currentUser,
  deactivateUser,
  deleteUser,
  endCurrentUserSessions,
  expirePassword,
  forgotPassword,
  forgotPasswordSetNewPassword,
  listUsers,
  type MeCaller,
  type ProfileInput,
  reactivateUser,
  resetFactors,
  resetPasswordToken,
  revokeUserSessions,
  suspendUser,
  unlockUser,
  unsuspendUser,
  updateUser,
  userNamed,
} from '../domain/users.ts';
import { apiCredential, readJson } from '../http/request.ts';
import { credentialsBody, groupBody, userBody } from '../http/wire.ts';
import {
  admitAdmin,
  emptyObject,
  emptyOk,
  noContent,
  pageOfQuery,
  pageResponse,
  queryFlag,
  queryText,
  secret,
  text,
} from './admin.ts';
import { type OktaOperation, oktaOperation } from './define.ts';
import { sidOf } from './sessions.ts';

/**
 * The Users API (docs/fidelity/okta.md#okta-admin-users): create, read, list, update and delete users,
 * their lifecycle and credentials, their sessions and groups. Every operation but `/users/me` needs an
 * API token. Bodies: unknown fields are ignored (okta-sdk-nodejs sends a user back whole, `id`, `_links` and
 * all), a field of the wrong JSON type is a malformed body (docs/fidelity/okta.md#okta-bad-body).
 */

const profileValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);

const CredentialsBody = z
  .object({
    password: z.object({ value: text, hash: z.unknown().optional(), hook: z.unknown().optional() }).nullish(),
    recovery_question: z.object({ question: text, answer: text }).nullish(),
    provider: z.object({ type: text, name: text }).nullish(),
  })
  .nullish();

const UserBody = z.object({
  profile: z.record(z.string(), profileValue).nullish(),
  credentials: CredentialsBody,
  groupIds: z.array(z.string()).nullish(),
  type: z.object({ id: text }).nullish(),
});

type UserBodyInput = z.output<typeof UserBody>;

/** The credentials of a body, as the domain takes them. */
function credentialsOf(body: z.output<typeof CredentialsBody>): CredentialsInput | undefined {
  if (!body) return undefined;
  return {
    password: body.password?.value,
    passwordImport: body.password?.hash !== undefined || body.password?.hook !== undefined,
    recoveryQuestion: body.recovery_question ?? undefined,
    provider: body.provider?.type,
  };
}

function profileOf(body: UserBodyInput): ProfileInput | undefined {
  return body.profile ?? undefined;
}

/** The answer carrying one user with the links its status allows. */
function userAnswer(user: User, call: Call<OktaOrg, unknown>): Outcome {
  return { response: jsonResponse(userBody(call.org, user, call.base)), principal: user.login };
}

/** The `{userId}` of a path under `/api/v1/users/:userId` (the router captured it). */
function userIdOf(call: Call<OktaOrg, Readonly<Record<string, string | undefined>>>): string {
  return call.params.userId ?? '';
}

/**
 * An admin operation on one user: the API token checked, the body read (when there is one), the user named
 * by `{userId}` (404 E0000007 when none), the domain's work, its answer.
 */
function onUser<
  const Name extends string,
  const Path extends `/api/v1/users/:userId${string}`,
  Body,
  Output,
>(spec: {
  name: Name;
  method?: 'POST' | 'PUT' | 'DELETE' | 'GET';
  path: Path;
  summary: string;
  bucket?: RateBucket;
  body?: z.ZodType<Body>;
  run(org: OktaOrg, user: User, body: Body | undefined, call: Call<OktaOrg, PathParams<Path>>): Output;
  answer(output: Output, call: Call<OktaOrg, PathParams<Path>>, user: User): Outcome;
}): OktaOperation<Name> {
  return oktaOperation({
    name: spec.name,
    method: spec.method ?? 'POST',
    path: spec.path,
    summary: spec.summary,
    bucket: spec.bucket ?? 'other',
    input(call) {
      admitAdmin(call);
      return spec.body ? readJson(call.request, spec.body) : undefined;
    },
    principal: (_, call) => call.org.users.resolve(userIdOf(call))?.login,
    run(body, call) {
      const user = userNamed(call.org, userIdOf(call));
      return { user, output: spec.run(call.org, user, body, call) };
    },
    answer: ({ user, output }, call) => spec.answer(output, call, user),
  });
}

/** The answer of an activation: `{}` when the token was emailed, else the token and its URL. */
/** What `POST` (partial) and `PUT` (full) of a user ask for. */
function updateOf(body: UserBodyInput | undefined, call: Call<OktaOrg, unknown>) {
  return {
    profile: body ? profileOf(body) : undefined,
    credentials: credentialsOf(body?.credentials),
    typeId: body?.type?.id,
    strict: queryFlag(call.url, 'strict', false),
  };
}

/** A lifecycle change answered 200 with an empty body; the journal keeps the status it led to. */
function lifecycleAnswer(_result: unknown, _call: Call<OktaOrg, unknown>, user: User) {
  return { response: emptyOk(), principal: user.login, outcome: user.status };
}

function activationAnswer(
  result: { token: string; sent: boolean },
  call: Call<OktaOrg, unknown>,
  user: User,
) {
  const response = result.sent
    ? emptyObject()
    : jsonResponse({ activationUrl: `${call.base}/welcome/${result.token}`, activationToken: result.token });
  return { response, principal: user.login, outcome: user.status };
}

/** `reset_password` and `forgot_password`: `{}` when emailed, else the URL that carries the token. */
function resetAnswer(url: string | undefined, user: User) {
  return {
    response: url === undefined ? emptyObject() : jsonResponse({ resetPasswordUrl: url }),
    principal: user.login,
    outcome: user.status,
  };
}

const ChangePasswordBody = z.object({
  oldPassword: secret,
  newPassword: secret,
  revokeSessions: z.boolean().nullish(),
});
const RecoveryQuestionBody = z.object({
  password: secret,
  recovery_question: z.object({ question: text, answer: text }).nullish(),
});
const KeepCurrentBody = z.object({ keepCurrent: z.boolean().nullish() });

/** `/api/v1/users/me`: an API token's owner, or the sid cookie's user (docs/fidelity/okta.md#okta-users-me-api-token). */
const getCurrentUser = oktaOperation({
  name: 'getCurrentUser',
  method: 'GET',
  path: '/api/v1/users/me',
  summary: "The API token's owner, or the user of the sid cookie",
  bucket: 'usersMe',
  rateScope: (call) => endUserOf(call),
  input(call): MeCaller {
    const credential = apiCredential(call.request);
    const sid = sidOf(call);
    const tokenCounts = call.org.config.quirks.usersMeWithApiToken === 'owner';
    if (tokenCounts && (credential.scheme === 'SSWS' || credential.scheme === 'Bearer')) {
      return { kind: 'token', token: authenticateApiCall(call.org, credential, sid) };
    }
    return { kind: 'session', sid };
  },
  run: (caller, call) => currentUser(call.org, caller),
  answer: userAnswer,
});

/** Whose per-user window a `/users/me` request counts against (docs/fidelity/okta.md#okta-admin-rate-limits). */
function endUserOf(call: Call<OktaOrg>): string {
  const credential = apiCredential(call.request);
  if (credential.scheme === 'SSWS') {
    const owner = call.org.apiTokens.get(credential.token)?.userId;
    if (owner) return owner;
  }
  const sid = sidOf(call);
  return (sid && call.org.sessions.get(sid)?.userId) || 'anonymous';
}

export const USER_OPERATIONS = [
  getCurrentUser,
  oktaOperation({
    name: 'endUserSessions',
    method: 'POST',
    path: '/api/v1/users/me/lifecycle/delete_sessions',
    summary: "End the sid cookie's user's other sessions (and this one unless keepCurrent)",
    input: (call) => ({ sid: sidOf(call), body: readJson(call.request, KeepCurrentBody) }),
    run: ({ sid, body }, call) => endCurrentUserSessions(call.org, sid, body.keepCurrent !== false),
    answer: () => ({ response: emptyObject(), outcome: 'sessions-ended' }),
  }),
  oktaOperation({
    name: 'createUser',
    method: 'POST',
    path: '/api/v1/users',
    summary: 'Create a user, with or without credentials (activate, nextLogin)',
    bucket: 'users',
    input(call) {
      admitAdmin(call);
      return readJson(call.request, UserBody);
    },
    principal: (body) => (typeof body.profile?.login === 'string' ? body.profile.login : undefined),
    run: (body, call) =>
      createUser(call.org, {
        profile: profileOf(body),
        credentials: credentialsOf(body.credentials),
        groupIds: body.groupIds ?? undefined,
        typeId: body.type?.id,
        activate: queryFlag(call.url, 'activate', true),
        nextLogin: queryText(call.url, 'nextLogin'),
      }),
    answer: (user, call) => ({ ...userAnswer(user, call), outcome: user.status }),
  }),
  oktaOperation({
    name: 'listUsers',
    method: 'GET',
    path: '/api/v1/users',
    summary: 'List users: all but deprovisioned, q, filter or search; paged by limit and after',
    bucket: 'users',
    input(call) {
      admitAdmin(call);
      const q = queryText(call.url, 'q');
      const search = queryText(call.url, 'search');
      const filter = queryText(call.url, 'filter');
      const plainQ = q !== undefined && search === undefined && filter === undefined;
      return {
        q,
        filter,
        search,
        sortBy: queryText(call.url, 'sortBy'),
        sortOrder: queryText(call.url, 'sortOrder'),
        page: pageOfQuery(call.url, plainQ ? { default: 10, max: 200 } : { default: 200, max: 200 }),
      };
    },
    run: (query, call) => ({ page: listUsers(call.org, query), limit: query.page.limit }),
    answer: ({ page, limit }, call) => ({
      response: pageResponse(page, limit, call.url, (user) => userBody(call.org, user, call.base, 'self')),
    }),
  }),
  oktaOperation({
    name: 'getUser',
    method: 'GET',
    path: '/api/v1/users/:userId',
    summary: 'A user by id, login or short name',
    bucket: 'user',
    input(call) {
      admitAdmin(call);
      return call.params.userId;
    },
    principal: (id, call) => call.org.users.resolve(id)?.login,
    run: (id, call) => userNamed(call.org, id),
    answer: userAnswer,
  }),
  onUser({
    name: 'updateUser',
    path: '/api/v1/users/:userId',
    summary: "Update a user's profile partially (and set a password or recovery question)",
    bucket: 'userWrite',
    body: UserBody,
    run: (org, user, body, call) => updateUser(org, user, updateOf(body, call), 'partial'),
    answer: (user, call) => userAnswer(user, call),
  }),
  onUser({
    name: 'replaceUser',
    method: 'PUT',
    path: '/api/v1/users/:userId',
    summary: "Replace a user's profile: attributes left out are removed",
    bucket: 'userWrite',
    body: UserBody,
    run: (org, user, body, call) => updateUser(org, user, updateOf(body, call), 'full'),
    answer: (user, call) => userAnswer(user, call),
  }),
  onUser({
    name: 'deleteUser',
    method: 'DELETE',
    path: '/api/v1/users/:userId',
    summary: 'Deactivate a user, or delete a deactivated one',
    bucket: 'userWrite',
    run: (org, user) => deleteUser(org, user),
    answer: (result, _call, user) => ({ response: noContent(), principal: user.login, outcome: result }),
  }),
  onUser({
    name: 'activateUser',
    path: '/api/v1/users/:userId/lifecycle/activate',
    summary: 'Activate a STAGED or DEPROVISIONED user (activation token unless emailed)',
    run: (org, user, _body, call) => activateUser(org, user, queryFlag(call.url, 'sendEmail', true)),
    answer: activationAnswer,
  }),
  onUser({
    name: 'reactivateUser',
    path: '/api/v1/users/:userId/lifecycle/reactivate',
    summary: 'A new activation token for a PROVISIONED or RECOVERY user',
    run: (org, user, _body, call) => reactivateUser(org, user, queryFlag(call.url, 'sendEmail', false)),
    answer: activationAnswer,
  }),
  onUser({
    name: 'deactivateUser',
    path: '/api/v1/users/:userId/lifecycle/deactivate',
    summary: 'Deactivate a user (DEPROVISIONED): sessions and tokens end',
    run: (org, user) => deactivateUser(org, user),
    answer: lifecycleAnswer,
  }),
  onUser({
    name: 'suspendUser',
    path: '/api/v1/users/:userId/lifecycle/suspend',
    summary: 'Suspend an ACTIVE user',
    run: (org, user) => suspendUser(org, user),
    answer: lifecycleAnswer,
  }),
  onUser({
    name: 'unsuspendUser',
    path: '/api/v1/users/:userId/lifecycle/unsuspend',
    summary: 'Return a SUSPENDED user to ACTIVE',
    run: (org, user) => unsuspendUser(org, user),
    answer: lifecycleAnswer,
  }),
  onUser({
    name: 'unlockUser',
    path: '/api/v1/users/:userId/lifecycle/unlock',
    summary: 'Unlock a LOCKED_OUT user',
    run: (org, user) => unlockUser(org, user),
    answer: lifecycleAnswer,
  }),
  onUser({
    name: 'resetFactors',
    path: '/api/v1/users/:userId/lifecycle/reset_factors',
    summary: "Remove every one of a user's factors",
    run: (org, user) => resetFactors(org, user),
    answer: (_, _call, user) => ({ response: emptyOk(), principal: user.login }),
  }),
  onUser({
    name: 'generateResetPasswordToken',
    path: '/api/v1/users/:userId/lifecycle/reset_password',
    summary: 'Put a user in RECOVERY with a one-time reset token',
    run(org, user, _body, call) {
      const sendEmail = queryFlag(call.url, 'sendEmail', true);
      const token = resetPasswordToken(org, user, sendEmail, queryFlag(call.url, 'revokeSessions', false));
      return sendEmail ? undefined : `${call.base}/reset_password/${token}`;
    },
    answer: (url, _call, user) => resetAnswer(url, user),
  }),
  onUser({
    name: 'expirePassword',
    path: '/api/v1/users/:userId/lifecycle/expire_password',
    summary: "Expire a user's password (tempPassword=true: and hand out a temporary one)",
    run: (org, user, _body, call) =>
      expirePassword(org, user, {
        tempPassword: queryFlag(call.url, 'tempPassword', false),
        revokeSessions: false,
      }),
    answer: (temporary, call, user) =>
      temporary === undefined
        ? { ...userAnswer(user, call), outcome: user.status }
        : {
            response: jsonResponse({ tempPassword: temporary }),
            principal: user.login,
            outcome: user.status,
          },
  }),
  onUser({
    name: 'expirePasswordAndGetTemporaryPassword',
    path: '/api/v1/users/:userId/lifecycle/expire_password_with_temp_password',
    summary: "Expire a user's password and hand out a temporary one",
    run: (org, user, _body, call) =>
      expirePassword(org, user, {
        tempPassword: true,
        revokeSessions: queryFlag(call.url, 'revokeSessions', false),
      }),
    answer: (temporary, _call, user) => ({
      response: jsonResponse({ tempPassword: temporary }),
      principal: user.login,
      outcome: user.status,
    }),
  }),
  onUser({
    name: 'changeUserPassword',
    path: '/api/v1/users/:userId/credentials/change_password',
    summary: "Change a user's password, given the old one",
    body: ChangePasswordBody,
    run: (org, user, body, call) =>
      changeUserPassword(org, user, {
        oldPassword: body?.oldPassword,
        newPassword: body?.newPassword,
        revokeSessions: body?.revokeSessions === true,
        strict: queryFlag(call.url, 'strict', false),
      }),
    answer: (user) => ({ response: jsonResponse(credentialsBody(user)), principal: user.login }),
  }),
  onUser({
    name: 'changeRecoveryQuestion',
    path: '/api/v1/users/:userId/credentials/change_recovery_question',
    summary: "Change a user's recovery question, given the password",
    body: RecoveryQuestionBody,
    run: (org, user, body) =>
      changeRecoveryQuestion(org, user, {
        password: body?.password,
        question: body?.recovery_question?.question,
        answer: body?.recovery_question?.answer,
      }),
    answer: (user) => ({ response: jsonResponse(credentialsBody(user)), principal: user.login }),
  }),
  onUser({
    name: 'forgotUserPassword',
    path: '/api/v1/users/:userId/credentials/forgot_password',
    summary: 'A reset token for an ACTIVE user with a recovery question',
    body: RecoveryQuestionBody,
    run(org, user, body, call) {
      // The legacy form of forgot_password_recovery_question: the same path with the answer in the body.
      if (body?.password !== undefined && body.recovery_question?.answer !== undefined) {
        forgotPasswordSetNewPassword(org, user, {
          answer: body.recovery_question.answer,
          newPassword: body.password,
        });
        return { credentials: true as const };
      }
      const sendEmail = queryFlag(call.url, 'sendEmail', true);
      const token = forgotPassword(org, user, sendEmail);
      return { url: sendEmail ? undefined : `${call.base}/signin/reset-password/${token}` };
    },
    answer: (result, _call, user) =>
      'credentials' in result
        ? { response: jsonResponse(credentialsBody(user)), principal: user.login }
        : resetAnswer(result.url, user),
  }),
  onUser({
    name: 'forgotPasswordSetNewPassword',
    path: '/api/v1/users/:userId/credentials/forgot_password_recovery_question',
    summary: 'Set a new password with the answer to the recovery question',
    body: RecoveryQuestionBody,
    run: (org, user, body) =>
      forgotPasswordSetNewPassword(org, user, {
        answer: body?.recovery_question?.answer,
        newPassword: body?.password,
      }),
    answer: (user) => ({ response: jsonResponse(credentialsBody(user)), principal: user.login }),
  }),
  onUser({
    name: 'revokeUserSessions',
    method: 'DELETE',
    path: '/api/v1/users/:userId/sessions',
    summary: 'End every session of a user (forgetDevices: and its remembered devices)',
    run: (org, user, _body, call) =>
      revokeUserSessions(org, user, queryFlag(call.url, 'forgetDevices', false)),
    answer: (_, _call, user) => ({ response: noContent(), principal: user.login, outcome: 'sessions-ended' }),
  }),
  onUser({
    name: 'listUserGroups',
    method: 'GET',
    path: '/api/v1/users/:userId/groups',
    summary: 'The groups a user belongs to',
    run: (org, user) => org.groups.of(user.id),
    answer: (groups, call, user) => ({
      response: jsonResponse(groups.map((group) => groupBody(group, call.base))),
      principal: user.login,
    }),
  }),
] as const;
