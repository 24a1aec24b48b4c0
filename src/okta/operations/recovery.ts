import { z } from 'zod';
import { isTrustedCall } from '../domain/api-tokens.ts';
import {
  answerRecoveryQuestion,
  resendRecoveryFactor,
  startRecovery,
  verifyRecoveryFactor,
  verifyRecoveryToken,
} from '../domain/recovery.ts';
import { apiCredential, optionalText, readJson } from '../http/request.ts';
import { authnAnswer, userOfStateToken } from './authn.ts';
import { type OktaOperation, oktaOperation } from './define.ts';

/** Self-service recovery: forgot password, unlock account, and the steps that prove who the user is. */

const text = optionalText;

const RecoveryBody = z.object({ username: text, factorType: text, relayState: text });
const RecoveryTokenBody = z.object({
  recoveryToken: text,
  options: z.object({ multiOptionalFactorEnroll: z.boolean().nullish() }).nullish(),
});
const AnswerBody = z.object({ stateToken: text, answer: text });
const PassCodeBody = z.object({ stateToken: text, passCode: text });
const StateTokenBody = z.object({ stateToken: text });

function start<const Name extends string, const Path extends string>(
  name: Name,
  path: Path,
  type: 'PASSWORD' | 'UNLOCK',
  summary: string,
): OktaOperation<Name> {
  return oktaOperation({
    name,
    method: 'POST',
    path,
    summary,
    bucket: 'authn',
    input: (call) => ({
      body: readJson(call.request, RecoveryBody),
      credential: apiCredential(call.request),
    }),
    principal: ({ body }) => body.username,
    run: ({ body, credential }, call) =>
      startRecovery(call.org, {
        type,
        username: body.username,
        factorType: body.factorType,
        relayState: body.relayState,
        trusted: isTrustedCall(call.org, credential),
      }),
    answer: authnAnswer,
  });
}

export const RECOVERY_OPERATIONS = [
  start('forgotPassword', '/api/v1/authn/recovery/password', 'PASSWORD', 'Start a password recovery'),
  start('unlockAccount', '/api/v1/authn/recovery/unlock', 'UNLOCK', 'Start an account unlock'),
  oktaOperation({
    name: 'verifyRecoveryToken',
    method: 'POST',
    path: '/api/v1/authn/recovery/token',
    summary: 'Redeem a recovery token',
    bucket: 'authn',
    input: (call) => readJson(call.request, RecoveryTokenBody),
    run: (body, call) =>
      verifyRecoveryToken(call.org, body.recoveryToken, body.options?.multiOptionalFactorEnroll === true),
    answer: authnAnswer,
  }),
  oktaOperation({
    name: 'answerRecoveryQuestion',
    method: 'POST',
    path: '/api/v1/authn/recovery/answer',
    summary: 'Answer the recovery question',
    bucket: 'authn',
    input: (call) => readJson(call.request, AnswerBody),
    principal: (body, call) => userOfStateToken(call.org, body.stateToken),
    run: (body, call) => answerRecoveryQuestion(call.org, body.stateToken, body.answer),
    answer: authnAnswer,
  }),
  oktaOperation({
    name: 'verifyRecoveryFactor',
    method: 'POST',
    path: '/api/v1/authn/recovery/factors/:factorType/verify',
    summary: 'Verify the SMS or voice recovery code',
    bucket: 'authn',
    input: (call) => readJson(call.request, PassCodeBody),
    principal: (body, call) => userOfStateToken(call.org, body.stateToken),
    run: (body, call) =>
      verifyRecoveryFactor(call.org, body.stateToken, call.params.factorType, body.passCode),
    answer: authnAnswer,
  }),
  oktaOperation({
    name: 'resendRecoveryFactor',
    method: 'POST',
    path: '/api/v1/authn/recovery/factors/:factorType/resend',
    summary: 'Send a new SMS or voice recovery code',
    bucket: 'authn',
    input: (call) => readJson(call.request, StateTokenBody),
    principal: (body, call) => userOfStateToken(call.org, body.stateToken),
    run: (body, call) => resendRecoveryFactor(call.org, body.stateToken, call.params.factorType),
    answer: authnAnswer,
  }),
] as const;
