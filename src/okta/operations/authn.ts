import { z } from 'zod';
import { jsonResponse } from '../../http/exchange.ts';
import type { Call, Outcome, PathParams } from '../../http/operation.ts';
import { isTrustedCall } from '../domain/api-tokens.ts';
import {
  cancelTransaction,
  previousStep,
  primaryAuthentication,
  skipStep,
  transactionState,
} from '../domain/authn.ts';
import {
  activateFactor,
  enrollFactor,
  pollActivation,
  resendActivation,
  resendChallenge,
  sendActivationLink,
  verifyFactor,
} from '../domain/mfa.ts';
import type { AuthnAnswer } from '../domain/model.ts';
import type { OktaOrg } from '../domain/org.ts';
import { changePassword, resetPassword } from '../domain/password.ts';
import type { RateBucket } from '../domain/rate-limits.ts';
import { apiCredential, optionalFlag, optionalText, readJson } from '../http/request.ts';
import { authnBody } from '../http/wire.ts';
import { type OktaOperation, oktaOperation } from './define.ts';

/**
 * The authentication transaction (`/api/v1/authn`): primary authentication, the state machine's steps,
 * MFA challenges and enrollment, password changes. Request bodies: unknown fields are ignored as Okta
 * ignores them; a field of the wrong type is a malformed body; `null` reads as absent, as okta-auth-js
 * sometimes sends it (docs/fidelity/okta.md#okta-bad-body).
 */

const text = optionalText;
const flag = optionalFlag;

const StateTokenBody = z.object({ stateToken: text });
const PassCodeBody = z.object({ stateToken: text, passCode: text });

type StateTokenInput = { stateToken?: string | undefined };

/** Who a stateToken's transaction is about, for the journal and fault rules (nothing changes). */
export function userOfStateToken(org: OktaOrg, stateToken: string | undefined): string | undefined {
  const tx = stateToken ? org.transactions.get(stateToken) : undefined;
  return tx?.kind === 'user' ? org.users.get(tx.userId)?.login : undefined;
}

/** The browser's device cookie (docs/fidelity/okta.md#okta-remember-device). */
const DEVICE_COOKIE = 'DT';

/**
 * The answer to any authn operation: the transaction (or what stands for it), its status in the journal;
 * a browser that asked to be remembered gets its device cookie.
 */
export function authnAnswer(result: AuthnAnswer, call: Call<OktaOrg, unknown>): Outcome {
  const userId = 'userId' in result ? result.userId : undefined;
  const response = jsonResponse(authnBody(call.org, result, call.base));
  if (result.kind === 'user' && result.newDeviceCookie) {
    const maxAge = Math.round(call.org.config.policy.mfa.rememberDeviceLifetime / 1000);
    const secure = call.url.protocol === 'https:' ? '; Secure; SameSite=None' : '';
    response.headers.append(
      'Set-Cookie',
      `${DEVICE_COOKIE}=${result.newDeviceCookie}; Path=/; Max-Age=${maxAge}; HttpOnly${secure}`,
    );
    result.newDeviceCookie = undefined;
  }
  return {
    response,
    principal: userId ? call.org.users.get(userId)?.login : undefined,
    outcome: result.status,
  };
}

/** A `?rememberDevice=true` style flag: read from the query string only (docs/fidelity/okta.md#okta-verify-query-flags). */
function queryFlag(url: URL, name: string): boolean | undefined {
  const value = url.searchParams.get(name);
  return value === null ? undefined : value === 'true';
}

/**
 * An authn step on a live transaction: a JSON body with a stateToken, the transaction's user as the
 * principal, the transaction as the answer.
 */
function step<const Name extends string, const Path extends string, Body extends StateTokenInput>(spec: {
  name: Name;
  path: Path;
  summary: string;
  bucket?: RateBucket;
  body: z.ZodType<Body>;
  run(org: OktaOrg, body: Body, call: Call<OktaOrg, PathParams<Path>>): AuthnAnswer;
}): OktaOperation<Name> {
  return oktaOperation({
    name: spec.name,
    method: 'POST',
    path: spec.path,
    summary: spec.summary,
    bucket: spec.bucket ?? 'authn',
    input: (call) => readJson(call.request, spec.body),
    principal: (body, call) => userOfStateToken(call.org, body.stateToken),
    run: (body, call) => spec.run(call.org, body, call),
    answer: authnAnswer,
  });
}

const PrimaryAuthBody = z.object({
  username: text,
  password: text,
  stateToken: text,
  token: text,
  relayState: z
    .string()
    .max(2048, 'The field is longer than 2048 characters')
    .nullish()
    .transform((value) => value ?? undefined),
  options: z.object({ multiOptionalFactorEnroll: flag, warnBeforePasswordExpired: flag }).nullish(),
  context: z
    .object({ deviceToken: z.string().max(32, 'The field is longer than 32 characters').nullish() })
    .nullish(),
});

const primary = oktaOperation({
  name: 'primaryAuthentication',
  method: 'POST',
  path: '/api/v1/authn',
  summary: 'Primary authentication with username and password, or the state of a stateToken',
  bucket: 'authn',
  input: (call) => ({
    body: readJson(call.request, PrimaryAuthBody),
    credential: apiCredential(call.request),
  }),
  principal: ({ body }, call) => body.username ?? userOfStateToken(call.org, body.stateToken),
  run: ({ body, credential }, call) =>
    primaryAuthentication(call.org, {
      username: body.username,
      password: body.password,
      stateToken: body.stateToken,
      token: body.token,
      relayState: body.relayState,
      multiOptionalFactorEnroll: body.options?.multiOptionalFactorEnroll,
      warnBeforePasswordExpired: body.options?.warnBeforePasswordExpired,
      deviceToken: body.context?.deviceToken ?? undefined,
      deviceCookie: call.cookies[DEVICE_COOKIE] || undefined,
      trusted: isTrustedCall(call.org, credential),
    }),
  answer: authnAnswer,
});

const cancel = oktaOperation({
  name: 'cancelTransaction',
  method: 'POST',
  path: '/api/v1/authn/cancel',
  summary: 'Cancel the transaction',
  bucket: 'authn',
  input: (call) => readJson(call.request, StateTokenBody),
  principal: (body, call) => userOfStateToken(call.org, body.stateToken),
  run: (body, call) => cancelTransaction(call.org, body.stateToken),
  answer: (result) => ({ response: jsonResponse(result), outcome: 'CANCELLED' }),
});

const EnrollBody = z.object({
  stateToken: text,
  factorType: text,
  provider: text,
  profile: z.object({ phoneNumber: text, question: text, answer: text }).nullish(),
});
const VerifyBody = z.object({ stateToken: text, passCode: text, answer: text });
const ChangePasswordBody = z.object({
  stateToken: text,
  oldPassword: text,
  newPassword: text,
  revokeSessions: flag,
});
const ResetPasswordBody = z.object({ stateToken: text, newPassword: text, revokeSessions: flag });
const SendActivationBody = z.object({ stateToken: text, profile: z.object({ phoneNumber: text }).nullish() });

export const AUTHN_OPERATIONS = [
  primary,
  step({
    name: 'introspectTransaction',
    path: '/api/v1/authn/introspect',
    summary: 'The current state of a transaction',
    body: StateTokenBody,
    run: (org, body) => transactionState(org, body.stateToken),
  }),
  cancel,
  step({
    name: 'previousStep',
    path: '/api/v1/authn/previous',
    summary: 'Back from a challenge or an activation',
    body: StateTokenBody,
    run: (org, body) => previousStep(org, body.stateToken),
  }),
  step({
    name: 'skipStep',
    path: '/api/v1/authn/skip',
    summary: 'Skip the password warning or optional enrollment',
    body: StateTokenBody,
    run: (org, body) => skipStep(org, body.stateToken),
  }),
  step({
    name: 'enrollFactor',
    path: '/api/v1/authn/factors',
    summary: 'Enroll a factor in MFA_ENROLL',
    body: EnrollBody,
    run: (org, body) =>
      enrollFactor(org, {
        stateToken: body.stateToken,
        factorType: body.factorType,
        provider: body.provider,
        profile: body.profile ?? {},
      }),
  }),
  step({
    name: 'verifyFactor',
    path: '/api/v1/authn/factors/:factorId/verify',
    summary: 'Verify a factor: a code, an answer, a push (and its polls)',
    bucket: 'verify',
    body: VerifyBody,
    run: (org, body, call) =>
      verifyFactor(org, {
        stateToken: body.stateToken,
        factorId: call.params.factorId,
        passCode: body.passCode,
        answer: body.answer,
        rememberDevice: queryFlag(call.url, 'rememberDevice'),
        autoPush: queryFlag(call.url, 'autoPush'),
      }),
  }),
  step({
    name: 'resendChallenge',
    path: '/api/v1/authn/factors/:factorId/verify/resend',
    summary: 'Send a new SMS, call or email code, or a new push',
    body: StateTokenBody,
    run: (org, body, call) => resendChallenge(org, body.stateToken, call.params.factorId),
  }),
  step({
    name: 'activateFactor',
    path: '/api/v1/authn/factors/:factorId/lifecycle/activate',
    summary: 'Activate an enrolled factor with its code',
    body: PassCodeBody,
    run: (org, body, call) => activateFactor(org, body.stateToken, call.params.factorId, body.passCode),
  }),
  step({
    name: 'pollFactorActivation',
    path: '/api/v1/authn/factors/:factorId/lifecycle/activate/poll',
    summary: "Poll a push factor's activation",
    body: StateTokenBody,
    run: (org, body, call) => pollActivation(org, body.stateToken, call.params.factorId),
  }),
  step({
    name: 'resendActivation',
    path: '/api/v1/authn/factors/:factorId/lifecycle/resend',
    summary: 'Send a new activation code',
    body: StateTokenBody,
    run: (org, body, call) => resendActivation(org, body.stateToken, call.params.factorId),
  }),
  step({
    name: 'sendActivationEmail',
    path: '/api/v1/authn/factors/:factorId/lifecycle/activate/email',
    summary: "Email the push factor's activation link",
    body: SendActivationBody,
    run: (org, body, call) =>
      sendActivationLink(org, body.stateToken, call.params.factorId, 'email', undefined),
  }),
  step({
    name: 'sendActivationSms',
    path: '/api/v1/authn/factors/:factorId/lifecycle/activate/sms',
    summary: "Text the push factor's activation link to a phone",
    body: SendActivationBody,
    run: (org, body, call) =>
      sendActivationLink(org, body.stateToken, call.params.factorId, 'sms', body.profile?.phoneNumber),
  }),
  step({
    name: 'changePassword',
    path: '/api/v1/authn/credentials/change_password',
    summary: 'Change an expired (or expiring) password',
    body: ChangePasswordBody,
    run: (org, body) => changePassword(org, body),
  }),
  step({
    name: 'resetPassword',
    path: '/api/v1/authn/credentials/reset_password',
    summary: 'Set a new password after recovery',
    body: ResetPasswordBody,
    run: (org, body) => resetPassword(org, body.stateToken, body.newPassword, body.revokeSessions === true),
  }),
] as const;
