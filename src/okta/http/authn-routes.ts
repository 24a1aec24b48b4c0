import { z } from 'zod';
import type { SimResponse } from '../../http/exchange.ts';
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
  verifyFactor,
} from '../domain/mfa.ts';
import type { AuthnAnswer } from '../domain/model.ts';
import { changePassword, resetPassword } from '../domain/password.ts';
import {
  answerRecoveryQuestion,
  resendRecoveryFactor,
  startRecovery,
  verifyRecoveryFactor,
  verifyRecoveryToken,
} from '../domain/recovery.ts';
import { json, type OktaCall, readJson } from './call.ts';
import type { OktaRoute } from './routes.ts';
import { authnBody } from './wire.ts';

// Request bodies: unknown fields are ignored as Okta ignores them; a field of the wrong type is a
// malformed body. `null` reads as absent, as okta-auth-js sometimes sends it.
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);
const flag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? undefined);

const StateTokenBody = z.object({ stateToken: text });

const PrimaryAuthBody = z.object({
  username: text,
  password: text,
  stateToken: text,
  token: text,
  relayState: z
    .string()
    .max(2048)
    .nullish()
    .transform((value) => value ?? undefined),
  options: z.object({ multiOptionalFactorEnroll: flag, warnBeforePasswordExpired: flag }).nullish(),
  context: z.object({ deviceToken: z.string().max(32).nullish() }).nullish(),
});

const VerifyBody = z.object({ stateToken: text, passCode: text, answer: text });

const EnrollBody = z.object({
  stateToken: text,
  factorType: text,
  provider: text,
  profile: z.object({ phoneNumber: text, question: text, answer: text }).nullish(),
});

const PassCodeBody = z.object({ stateToken: text, passCode: text });
const ChangePasswordBody = z.object({
  stateToken: text,
  oldPassword: text,
  newPassword: text,
  revokeSessions: flag,
});
const ResetPasswordBody = z.object({ stateToken: text, newPassword: text, revokeSessions: flag });
const RecoveryBody = z.object({ username: text, factorType: text, relayState: text });
const RecoveryTokenBody = z.object({
  recoveryToken: text,
  options: z.object({ multiOptionalFactorEnroll: flag }).nullish(),
});
const AnswerBody = z.object({ stateToken: text, answer: text });

/** Answers with a transaction and notes the user and resulting state in the journal. */
function answer(call: OktaCall, result: AuthnAnswer): SimResponse {
  const userId = 'userId' in result ? result.userId : undefined;
  if (userId) call.principal ??= call.org.users.get(userId)?.login;
  call.outcome = result.status;
  return json(authnBody(call.org, result, call.base));
}

/** Notes the transaction's user before the operation runs, so that failures are attributed too. */
function attribute(call: OktaCall, stateToken: string | undefined): void {
  const tx = stateToken ? call.org.transactions.get(stateToken) : undefined;
  if (tx?.userId) call.principal = call.org.users.get(tx.userId)?.login;
}

/**
 * `?rememberDevice=true` style flags: read from the query string only
 * (docs/fidelity/okta.md#okta-verify-query-flags).
 */
function queryFlag(call: OktaCall, name: string): boolean | undefined {
  const value = call.url.searchParams.get(name);
  return value === null ? undefined : value === 'true';
}

export const authnRoutes: OktaRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/authn',
    operation: 'primaryAuthentication',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, PrimaryAuthBody);
      const trusted = isTrustedCall(call.org, call.request.headers.get('authorization'));
      call.principal = body.username;
      if (!body.username) attribute(call, body.stateToken);
      return answer(
        call,
        primaryAuthentication(call.org, {
          username: body.username,
          password: body.password,
          stateToken: body.stateToken,
          token: body.token,
          relayState: body.relayState,
          multiOptionalFactorEnroll: body.options?.multiOptionalFactorEnroll,
          warnBeforePasswordExpired: body.options?.warnBeforePasswordExpired,
          deviceToken: body.context?.deviceToken ?? undefined,
          trusted,
        }),
      );
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/introspect',
    operation: 'introspectTransaction',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      return answer(call, transactionState(call.org, stateToken ?? ''));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/cancel',
    operation: 'cancelTransaction',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      call.outcome = 'CANCELLED';
      return json(cancelTransaction(call.org, stateToken));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/previous',
    operation: 'previousStep',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      return answer(call, previousStep(call.org, stateToken));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/skip',
    operation: 'skipStep',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      return answer(call, skipStep(call.org, stateToken));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/factors',
    operation: 'enrollFactor',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, EnrollBody);
      attribute(call, body.stateToken);
      return answer(
        call,
        enrollFactor(call.org, {
          stateToken: body.stateToken,
          factorType: body.factorType,
          provider: body.provider,
          profile: body.profile ?? {},
        }),
      );
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/factors/:factorId/verify',
    operation: 'verifyFactor',
    bucket: 'verify',
    handle(call) {
      const body = readJson(call, VerifyBody);
      attribute(call, body.stateToken);
      return answer(
        call,
        verifyFactor(call.org, {
          stateToken: body.stateToken,
          factorId: call.params.factorId as string,
          passCode: body.passCode,
          answer: body.answer,
          rememberDevice: queryFlag(call, 'rememberDevice'),
          autoPush: queryFlag(call, 'autoPush'),
        }),
      );
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/factors/:factorId/verify/resend',
    operation: 'resendChallenge',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      return answer(call, resendChallenge(call.org, stateToken, call.params.factorId as string));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/factors/:factorId/lifecycle/activate',
    operation: 'activateFactor',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, PassCodeBody);
      attribute(call, body.stateToken);
      return answer(
        call,
        activateFactor(call.org, body.stateToken, call.params.factorId as string, body.passCode),
      );
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/factors/:factorId/lifecycle/activate/poll',
    operation: 'pollFactorActivation',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      return answer(call, pollActivation(call.org, stateToken, call.params.factorId as string));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/factors/:factorId/lifecycle/resend',
    operation: 'resendActivation',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      return answer(call, resendActivation(call.org, stateToken, call.params.factorId as string));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/credentials/change_password',
    operation: 'changePassword',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, ChangePasswordBody);
      attribute(call, body.stateToken);
      return answer(call, changePassword(call.org, body));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/credentials/reset_password',
    operation: 'resetPassword',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, ResetPasswordBody);
      attribute(call, body.stateToken);
      return answer(
        call,
        resetPassword(call.org, body.stateToken, body.newPassword, body.revokeSessions === true),
      );
    },
  },
  ...(['password', 'unlock'] as const).map(
    (kind): OktaRoute => ({
      method: 'POST',
      path: `/api/v1/authn/recovery/${kind}`,
      operation: kind === 'password' ? 'forgotPassword' : 'unlockAccount',
      bucket: 'authn',
      handle(call) {
        const body = readJson(call, RecoveryBody);
        const trusted = isTrustedCall(call.org, call.request.headers.get('authorization'));
        call.principal = body.username;
        return answer(
          call,
          startRecovery(call.org, {
            type: kind === 'password' ? 'PASSWORD' : 'UNLOCK',
            username: body.username,
            factorType: body.factorType,
            relayState: body.relayState,
            trusted,
          }),
        );
      },
    }),
  ),
  {
    method: 'POST',
    path: '/api/v1/authn/recovery/token',
    operation: 'verifyRecoveryToken',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, RecoveryTokenBody);
      return answer(
        call,
        verifyRecoveryToken(call.org, body.recoveryToken, body.options?.multiOptionalFactorEnroll === true),
      );
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/recovery/answer',
    operation: 'answerRecoveryQuestion',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, AnswerBody);
      attribute(call, body.stateToken);
      return answer(call, answerRecoveryQuestion(call.org, body.stateToken, body.answer));
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/recovery/factors/:factorType/verify',
    operation: 'verifyRecoveryFactor',
    bucket: 'authn',
    handle(call) {
      const body = readJson(call, PassCodeBody);
      attribute(call, body.stateToken);
      return answer(
        call,
        verifyRecoveryFactor(call.org, body.stateToken, call.params.factorType as string, body.passCode),
      );
    },
  },
  {
    method: 'POST',
    path: '/api/v1/authn/recovery/factors/:factorType/resend',
    operation: 'resendRecoveryFactor',
    bucket: 'authn',
    handle(call) {
      const { stateToken } = readJson(call, StateTokenBody);
      attribute(call, stateToken);
      return answer(call, resendRecoveryFactor(call.org, stateToken, call.params.factorType as string));
    },
  },
];
