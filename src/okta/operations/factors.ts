import { z } from 'zod';
import { bytesResponse, jsonResponse } from '../../http/exchange.ts';
import type { Call, Outcome, PathParams } from '../../http/operation.ts';
import {
  activateUserFactor,
  enrollUserFactor,
  factorNamed,
  listFactors,
  pollFactorTransaction,
  qrCodeContent,
  resendEnrollFactor,
  SECURITY_QUESTIONS,
  supportedFactors,
  unenrollFactor,
  verifyUserFactor,
} from '../domain/factors.ts';
import type { Factor, User } from '../domain/model.ts';
import type { OktaOrg } from '../domain/org.ts';
import { userNamed } from '../domain/users.ts';
import { qrCodePng } from '../http/qr-png.ts';
import { readJson } from '../http/request.ts';
import { factorVerifyBody, supportedFactorBody, userFactorBody } from '../http/wire.ts';
import { admitAdmin, noContent, queryFlag, text } from './admin.ts';
import { type OktaOperation, oktaOperation } from './define.ts';

/**
 * The Factors API (`/api/v1/users/{userId}/factors`, docs/fidelity/okta.md#okta-admin-factors): the same
 * factor records the authn flows challenge. Every operation needs an API token but the security questions,
 * which okta-auth-js fetches during MFA_ENROLL without one.
 */

type FactorPath = `/api/v1/users/:userId/factors/:factorId${string}`;

/** The `{userId}` and `{factorId}` of a factor path (the router captured them). */
function idsOf(call: Call<OktaOrg, Readonly<Record<string, string | undefined>>>): {
  userId: string;
  factorId: string;
} {
  const params = call.params;
  return { userId: params.userId ?? '', factorId: params.factorId ?? '' };
}

/** An admin operation on one factor of one user: the API token, the body, the user and factor (404s), the work. */
function onFactor<const Name extends string, const Path extends FactorPath, Body, Output>(spec: {
  name: Name;
  method: 'GET' | 'POST' | 'DELETE';
  path: Path;
  summary: string;
  body?: z.ZodType<Body>;
  run(
    org: OktaOrg,
    user: User,
    factor: Factor,
    body: Body | undefined,
    call: Call<OktaOrg, PathParams<Path>>,
  ): Output;
  answer(output: Output, user: User, factor: Factor, call: Call<OktaOrg, PathParams<Path>>): Outcome;
}): OktaOperation<Name> {
  return oktaOperation({
    name: spec.name,
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    input(call) {
      admitAdmin(call);
      return spec.body ? readJson(call.request, spec.body) : undefined;
    },
    principal: (_, call) => call.org.users.resolve(idsOf(call).userId)?.login,
    run(body, call) {
      const ids = idsOf(call);
      const user = userNamed(call.org, ids.userId);
      const factor = factorNamed(user, ids.factorId);
      return { user, factor, output: spec.run(call.org, user, factor, body, call) };
    },
    answer: ({ user, factor, output }, call) => spec.answer(output, user, factor, call),
  });
}

function factorAnswer(user: User, factor: Factor, call: Call<OktaOrg, unknown>): Outcome {
  return {
    response: jsonResponse(userFactorBody(user, factor, call.base)),
    principal: user.login,
    outcome: factor.status,
  };
}

const EnrollBody = z.object({
  factorType: text,
  provider: text,
  profile: z.object({ phoneNumber: text, question: text, answer: text, email: text }).nullish(),
});
const CodeBody = z.object({ passCode: text, answer: text });

export const FACTOR_OPERATIONS = [
  oktaOperation({
    name: 'listSecurityQuestions',
    method: 'GET',
    path: '/api/v1/users/:userId/factors/questions',
    summary: 'The security questions a user may pick',
    input: () => undefined,
    run: () => SECURITY_QUESTIONS,
    answer: (questions) => ({ response: jsonResponse(questions) }),
  }),
  oktaOperation({
    name: 'listSupportedFactors',
    method: 'GET',
    path: '/api/v1/users/:userId/factors/catalog',
    summary: 'The factors a user may enroll, with their enrollment policy',
    input(call) {
      admitAdmin(call);
      return call.params.userId;
    },
    principal: (id, call) => call.org.users.resolve(id)?.login,
    run: (id, call) => userNamed(call.org, id),
    answer: (user, call) => ({
      response: jsonResponse(
        supportedFactors(user).map((offer) => supportedFactorBody(user, offer, call.base)),
      ),
      principal: user.login,
    }),
  }),
  oktaOperation({
    name: 'listFactors',
    method: 'GET',
    path: '/api/v1/users/:userId/factors',
    summary: "A user's enrolled factors, pending ones included",
    input(call) {
      admitAdmin(call);
      return call.params.userId;
    },
    principal: (id, call) => call.org.users.resolve(id)?.login,
    run: (id, call) => userNamed(call.org, id),
    answer: (user, call) => ({
      response: jsonResponse(listFactors(user).map((factor) => userFactorBody(user, factor, call.base))),
      principal: user.login,
    }),
  }),
  oktaOperation({
    name: 'enrollUserFactor',
    method: 'POST',
    path: '/api/v1/users/:userId/factors',
    summary: 'Enroll a factor for a user (activate=true: sms, call and email at once)',
    input(call) {
      admitAdmin(call);
      return readJson(call.request, EnrollBody);
    },
    principal: (_, call) => call.org.users.resolve(call.params.userId)?.login,
    run(body, call) {
      const user = userNamed(call.org, call.params.userId);
      const factor = enrollUserFactor(call.org, user, {
        factorType: body.factorType,
        provider: body.provider,
        profile: body.profile ?? {},
        activate: queryFlag(call.url, 'activate', false),
      });
      return { user, factor };
    },
    answer: ({ user, factor }, call) => factorAnswer(user, factor, call),
  }),
  onFactor({
    name: 'getFactor',
    method: 'GET',
    path: '/api/v1/users/:userId/factors/:factorId',
    summary: "One of a user's factors",
    run: () => undefined,
    answer: (_, user, factor, call) => factorAnswer(user, factor, call),
  }),
  onFactor({
    name: 'unenrollFactor',
    method: 'DELETE',
    path: '/api/v1/users/:userId/factors/:factorId',
    summary: "Remove one of a user's factors",
    run: (org, user, factor) => unenrollFactor(org, user, factor),
    answer: (_, user) => ({ response: noContent(), principal: user.login, outcome: 'unenrolled' }),
  }),
  onFactor({
    name: 'activateUserFactor',
    method: 'POST',
    path: '/api/v1/users/:userId/factors/:factorId/lifecycle/activate',
    summary: 'Activate a pending factor with its code',
    body: CodeBody,
    run: (org, user, factor, body) => activateUserFactor(org, user, factor, body?.passCode),
    answer: (_, user, factor, call) => factorAnswer(user, factor, call),
  }),
  onFactor({
    name: 'resendEnrollFactor',
    method: 'POST',
    path: '/api/v1/users/:userId/factors/:factorId/resend',
    summary: 'Send a new enrollment code to a pending sms, call or email factor',
    run: (org, user, factor) => resendEnrollFactor(org, user, factor),
    answer: (_, user, factor, call) => factorAnswer(user, factor, call),
  }),
  onFactor({
    name: 'verifyUserFactor',
    method: 'POST',
    path: '/api/v1/users/:userId/factors/:factorId/verify',
    summary: 'Verify a factor: a code or an answer, a challenge sent, a push started',
    body: CodeBody,
    run: (org, user, factor, body) =>
      verifyUserFactor(org, user, factor, { passCode: body?.passCode, answer: body?.answer }),
    answer(result, user, factor, call) {
      const outcome =
        result.kind === 'success' ? 'SUCCESS' : result.kind === 'challenge' ? 'CHALLENGE' : 'WAITING';
      const transaction = result.kind === 'waiting' ? result.transaction : undefined;
      const body = factorVerifyBody(call.org, user, factor, outcome, call.base, transaction);
      // A push answers 201 Created: a transaction to poll (docs/fidelity/okta.md#okta-admin-factor-verify).
      return {
        response: jsonResponse(body, outcome === 'WAITING' ? 201 : 200),
        principal: user.login,
        outcome,
      };
    },
  }),
  oktaOperation({
    name: 'getFactorQrCode',
    method: 'GET',
    path: '/api/v1/users/:userId/factors/:factorId/qr/:token',
    summary: 'The QR code of a TOTP or push factor being activated (an image; its token is the credential)',
    // An <img> loads it: no API token, the one-time token in the URL is what grants it
    // (docs/fidelity/okta.md#okta-activation-links).
    input: (call) => call.params,
    principal: (params, call) => call.org.users.resolve(params.userId)?.login,
    run(params, call) {
      const user = userNamed(call.org, params.userId);
      return qrCodeContent(call.org, user, factorNamed(user, params.factorId), params.token);
    },
    answer: (content) => ({
      response: bytesResponse(qrCodePng(content), 'image/png', { 'Cache-Control': 'no-store' }),
    }),
  }),
  onFactor({
    name: 'getFactorTransactionStatus',
    method: 'GET',
    path: '/api/v1/users/:userId/factors/:factorId/transactions/:transactionId',
    summary: 'Poll a push verification',
    run: (org, user, factor, _body, call) =>
      pollFactorTransaction(org, user, factor, call.params.transactionId),
    answer: ({ state, transaction }, user, factor, call) => ({
      response: jsonResponse(factorVerifyBody(call.org, user, factor, state, call.base, transaction)),
      principal: user.login,
      outcome: state,
    }),
  }),
] as const;
