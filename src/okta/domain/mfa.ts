import { generateSync } from 'otplib';
import { proceed, transactionFor } from './authn.ts';
import type { FactorType } from './config.ts';
import {
  invalidPasscode,
  notAllowedInState,
  OktaError,
  resourceNotFound,
  validationFailed,
} from './errors.ts';
import { provisionAppFactor } from './factors.ts';
import type { Factor, Transaction, User } from './model.ts';
import { newFactorId, type OktaOrg } from './org.ts';
import { enrollableFactors } from './policy.ts';
import {
  checkTotp,
  factorFailed,
  factorSucceeded,
  passcodeReplayed,
  refuseLockedUser,
  sendsCodes,
  throttle,
  totpUsed,
} from './protections.ts';

/** What Okta calls an enrollment request in its validation errors (widget recording `MFA_ENROLL_question_error`). */
const ENROLL_REQUEST = 'factorEnrollRequest';

/** `amr` value a verified factor adds to the session (docs/fidelity/okta.md#okta-amr). */
const AMR: Record<FactorType, string> = {
  'token:software:totp': 'otp',
  sms: 'sms',
  call: 'tel',
  email: 'otp',
  push: 'swk',
  question: 'kba',
};

export interface VerifyInput {
  stateToken: string | undefined;
  factorId: string;
  passCode?: string | undefined;
  answer?: string | undefined;
  /** From the query string only (docs/fidelity/okta.md#okta-verify-query-flags). */
  rememberDevice?: boolean | undefined;
  autoPush?: boolean | undefined;
}

/**
 * `POST /api/v1/authn/factors/{factorId}/verify` (docs/fidelity/okta.md#okta-factor-verify): checks a code or
 * answer, sends an OTP, starts a push, or polls one.
 */
export function verifyFactor(org: OktaOrg, input: VerifyInput): Transaction {
  const tx = transactionFor(org, input.stateToken, 'verifyFactor');
  const user = org.user(tx.userId);
  const factor = activeFactor(user, input.factorId);
  // A locked user verifies nothing, not even with the right code (docs/fidelity/okta.md#okta-mfa-lockout).
  refuseLockedUser(org, user);
  if (input.rememberDevice !== undefined) tx.rememberDevice = input.rememberDevice;
  if (input.autoPush !== undefined && factor.factorType === 'push') user.autoPush = input.autoPush;

  switch (factor.factorType) {
    case 'token:software:totp': {
      const check = checkTotp(org, factor, input.passCode);
      if (check.kind === 'replayed') throw factorFailed(org, user, passcodeReplayed());
      if (check.kind === 'invalid') throw factorFailed(org, user, invalidPasscode('passcode'));
      totpUsed(factor, check);
      return factorVerified(org, tx, user, factor);
    }
    case 'question':
      if (input.answer === undefined || input.answer !== factor.answer) {
        throw factorFailed(org, user, invalidPasscode('answer'));
      }
      return factorVerified(org, tx, user, factor);
    case 'sms':
    case 'call':
    case 'email':
      if (input.passCode === undefined) {
        // One code per device per interval, whether a verification or a resend asks for it
        // (docs/fidelity/okta.md#okta-resend-throttles).
        throttle(org, factor, 'challenge');
        sendCode(org, tx, user, factor, 'challenge');
        tx.status = 'MFA_CHALLENGE';
        return org.keep(tx);
      }
      if (!passCodeMatches(tx, factor, input.passCode))
        throw factorFailed(org, user, invalidPasscode('passcode'));
      return factorVerified(org, tx, user, factor);
    case 'push':
      if (tx.status === 'MFA_CHALLENGE' && tx.factorId === factor.id && tx.factorResult === 'WAITING') {
        return pollPush(org, tx, user, factor);
      }
      return startPush(org, tx, user, factor);
  }
}

/** `POST /api/v1/authn/factors/{factorId}/verify/resend`: a new code or a new push, throttled per device. */
export function resendChallenge(org: OktaOrg, stateToken: string | undefined, factorId: string): Transaction {
  const tx = transactionFor(org, stateToken, 'resendChallenge');
  if (tx.factorId !== factorId) throw notAllowedInState(`${tx.status} for another factor`);
  const user = org.user(tx.userId);
  const factor = activeFactor(user, factorId);
  refuseLockedUser(org, user);
  if (factor.factorType === 'push') return startPush(org, tx, user, factor);
  throttle(org, factor);
  sendCode(org, tx, user, factor, 'challenge');
  return org.keep(tx);
}

export interface EnrollInput {
  stateToken: string | undefined;
  factorType: string | undefined;
  provider: string | undefined;
  profile: { phoneNumber?: string | undefined; question?: string | undefined; answer?: string | undefined };
}

/** `POST /api/v1/authn/factors` in MFA_ENROLL (docs/fidelity/okta.md#okta-enroll). */
export function enrollFactor(org: OktaOrg, input: EnrollInput): Transaction {
  const tx = transactionFor(org, input.stateToken, 'enrollFactor');
  const user = org.user(tx.userId);
  const provider = input.provider ?? 'OKTA';
  const offer = enrollableFactors(user).find(
    (f) => f.factorType === input.factorType && f.provider === provider,
  );
  if (!offer) throw validationFailed(ENROLL_REQUEST, ['Factor not enabled.']);
  if (offer.status === 'ACTIVE') throw notAllowedInState(`MFA_ENROLL (${offer.factorType} already enrolled)`);
  user.factors = user.factors.filter(
    (f) => !(f.status === 'PENDING_ACTIVATION' && f.factorType === offer.factorType),
  );
  const factor: Factor = {
    id: newFactorId(org.ids, offer.factorType, offer.provider),
    factorType: offer.factorType,
    provider: offer.provider,
    status: 'PENDING_ACTIVATION',
    created: org.now(),
  };
  switch (offer.factorType) {
    case 'question': {
      const { question, answer } = input.profile;
      const causes = securityAnswerProblems(question, answer);
      if (!question || !answer || causes.length > 0) throw validationFailed(ENROLL_REQUEST, causes);
      factor.question = question;
      factor.questionText = question;
      factor.answer = answer;
      user.factors.push(factor);
      return factorActivated(org, tx, user, factor);
    }
    case 'sms':
    case 'call': {
      const phone = input.profile.phoneNumber?.replace(/[\s()-]/g, '');
      if (!phone || !/^\+?[1-9]\d{6,14}$/.test(phone))
        throw new OktaError('E0000098', { detail: `phone ${phone}` });
      factor.phoneNumber = phone.startsWith('+') ? phone : `+${phone}`;
      break;
    }
    case 'email':
      factor.email = user.profile.email;
      break;
    case 'token:software:totp':
    case 'push':
      provisionAppFactor(org, user, factor);
      break;
  }
  user.factors.push(factor);
  tx.status = 'MFA_ENROLL_ACTIVATE';
  tx.factorId = factor.id;
  tx.factorResult = undefined;
  if (factor.factorType === 'push') {
    tx.challenge = { factorId: factor.id, passCode: undefined, sentAt: org.now(), polls: 0 };
    tx.factorResult = 'WAITING';
  } else if (factor.factorType !== 'token:software:totp') {
    sendCode(org, tx, user, factor, 'enrollment');
  }
  return org.keep(tx);
}

/** `POST /api/v1/authn/factors/{factorId}/lifecycle/activate` (docs/fidelity/okta.md#okta-activate). */
export function activateFactor(
  org: OktaOrg,
  stateToken: string | undefined,
  factorId: string,
  passCode: string | undefined,
): Transaction {
  const { tx, user, factor } = pendingFactor(org, stateToken, factorId, 'activateFactor');
  switch (factor.factorType) {
    case 'push':
      tx.challenge = { factorId: factor.id, passCode: undefined, sentAt: org.now(), polls: 0 };
      tx.factorResult = 'WAITING';
      return org.keep(tx);
    case 'token:software:totp': {
      const check = checkTotp(org, factor, passCode);
      if (check.kind !== 'valid') throw invalidPasscode('passcode');
      totpUsed(factor, check);
      return factorActivated(org, tx, user, factor);
    }
    default:
      if (passCode === undefined || !passCodeMatches(tx, factor, passCode)) throw invalidPasscode('passcode');
      return factorActivated(org, tx, user, factor);
  }
}

/** `POST .../lifecycle/activate/poll`: the new push factor's activation, as `policy.mfa.pushEnrollment` scripts it. */
export function pollActivation(org: OktaOrg, stateToken: string | undefined, factorId: string): Transaction {
  const { tx, user, factor } = pendingFactor(org, stateToken, factorId, 'pollFactorActivation');
  if (factor.factorType !== 'push' || tx.factorResult !== 'WAITING' || !tx.challenge) {
    throw notAllowedInState(`${tx.status} (no activation to poll)`);
  }
  tx.challenge.polls += 1;
  const { outcome, afterPolls } = org.config.policy.mfa.pushEnrollment;
  const expired = org.now() >= tx.challenge.sentAt + org.config.policy.mfa.pushLifetime;
  if (expired || (tx.challenge.polls >= afterPolls && outcome === 'TIMEOUT')) {
    tx.factorResult = 'TIMEOUT';
    tx.challenge = undefined;
    return org.keep(tx);
  }
  if (tx.challenge.polls >= afterPolls) return factorActivated(org, tx, user, factor);
  return org.keep(tx);
}

/** `POST .../lifecycle/resend`: a new enrollment code, throttled like a challenge resend. */
export function resendActivation(
  org: OktaOrg,
  stateToken: string | undefined,
  factorId: string,
): Transaction {
  const { tx, user, factor } = pendingFactor(org, stateToken, factorId, 'resendActivation');
  if (!sendsCodes(factor)) throw notAllowedInState(`${tx.status} (nothing to resend)`);
  throttle(org, factor);
  sendCode(org, tx, user, factor, 'enrollment');
  return org.keep(tx);
}

/**
 * `POST /api/v1/authn/factors/{factorId}/lifecycle/activate/email|sms` (docs/fidelity/okta.md#okta-activation-links):
 * sends the push factor's activation link to the user's email, or by SMS to `phoneNumber` (400 E0000098 when
 * it is not a phone number); the transaction waits on as before.
 */
export function sendActivationLink(
  org: OktaOrg,
  stateToken: string | undefined,
  factorId: string,
  channel: 'email' | 'sms',
  phoneNumber: string | undefined,
): Transaction {
  const { tx, user, factor } = pendingFactor(org, stateToken, factorId, 'sendActivationLink');
  if (factor.factorType !== 'push' || tx.factorResult !== 'WAITING') {
    throw notAllowedInState(`${tx.status} (no push activation waiting)`);
  }
  let to = user.profile.email;
  if (channel === 'sms') {
    const phone = phoneNumber?.replace(/[\s().-]/g, '');
    if (!phone || !/^\+?[1-9]\d{6,14}$/.test(phone))
      throw new OktaError('E0000098', { detail: `phone ${phone}` });
    to = phone.startsWith('+') ? phone : `+${phone}`;
  }
  org.send({
    userId: user.id,
    channel,
    to,
    purpose: 'activation',
    activationToken: factor.qrToken ?? factor.id,
  });
  return org.keep(tx);
}

/** The current TOTP code of a secret at the virtual time (for tests and the banner). */
export function totpCodeAt(secret: string, epochMs: number): string {
  return generateSync({ secret, epoch: Math.floor(epochMs / 1000) });
}

function activeFactor(user: User, factorId: string): Factor {
  const factor = user.factors.find((f) => f.id === factorId && f.status === 'ACTIVE');
  if (!factor) throw resourceNotFound(factorId, 'UserFactor');
  return factor;
}

function pendingFactor(
  org: OktaOrg,
  stateToken: string | undefined,
  factorId: string,
  operation: 'activateFactor' | 'pollFactorActivation' | 'resendActivation' | 'sendActivationLink',
): { tx: Transaction; user: User; factor: Factor } {
  const tx = transactionFor(org, stateToken, operation);
  const user = org.user(tx.userId);
  const factor = user.factors.find((f) => f.id === factorId && f.status === 'PENDING_ACTIVATION');
  if (!factor || tx.factorId !== factorId) throw resourceNotFound(factorId, 'UserFactor');
  return { tx, user, factor };
}

function passCodeMatches(tx: Transaction, factor: Factor, passCode: string): boolean {
  if (factor.passCode !== undefined) return passCode === factor.passCode;
  return tx.challenge?.factorId === factor.id && tx.challenge.passCode === passCode;
}

function sendCode(
  org: OktaOrg,
  tx: Transaction,
  user: User,
  factor: Factor,
  purpose: 'challenge' | 'enrollment',
): void {
  const passCode = factor.passCode ?? org.ids.digits(6);
  const now = org.now();
  factor.lastSentAt = now;
  tx.factorId = factor.id;
  tx.challenge = { factorId: factor.id, passCode, sentAt: now, polls: 0 };
  // The Sign-In Widget's email challenge recording carries factorResult CHALLENGE; sms/call ones carry none.
  tx.factorResult = factor.factorType === 'email' && purpose === 'challenge' ? 'CHALLENGE' : undefined;
  const channel = factor.factorType as 'sms' | 'call' | 'email';
  org.send({ userId: user.id, channel, to: factor.phoneNumber ?? factor.email ?? '', purpose, passCode });
}

/**
 * What is wrong with a security question and answer, as Okta's causes word it: the answer must be 4 to
 * 255 characters (the Sign-In Widget's recording of the error; docs/fidelity/okta.md#okta-enroll).
 */
export function securityAnswerProblems(question: string | undefined, answer: string | undefined): string[] {
  const causes: string[] = [];
  if (!question?.trim()) causes.push('question: The field cannot be left blank');
  const length = answer?.trim().length ?? 0;
  if (length < 4) causes.push('answer: The security question answer must be at least 4 characters in length');
  else if (length > 255) causes.push('answer: size must be between 4 and 255');
  return causes;
}

function startPush(org: OktaOrg, tx: Transaction, user: User, factor: Factor): Transaction {
  tx.status = 'MFA_CHALLENGE';
  tx.factorId = factor.id;
  tx.factorResult = 'WAITING';
  tx.challenge = { factorId: factor.id, passCode: undefined, sentAt: org.now(), polls: 0 };
  if (factor.push?.afterPolls === 0) return resolvePush(org, tx, user, factor);
  return org.keep(tx);
}

function pollPush(org: OktaOrg, tx: Transaction, user: User, factor: Factor): Transaction {
  const challenge = tx.challenge;
  if (!challenge) return startPush(org, tx, user, factor);
  challenge.polls += 1;
  if (org.now() >= challenge.sentAt + org.config.policy.mfa.pushLifetime) {
    tx.factorResult = 'TIMEOUT';
    return org.keep(tx);
  }
  if (challenge.polls >= (factor.push?.afterPolls ?? 1)) return resolvePush(org, tx, user, factor);
  return org.keep(tx);
}

function resolvePush(org: OktaOrg, tx: Transaction, user: User, factor: Factor): Transaction {
  switch (factor.push?.outcome ?? 'APPROVE') {
    case 'APPROVE':
      return factorVerified(org, tx, user, factor);
    case 'REJECT':
      tx.factorResult = 'REJECTED';
      return org.keep(tx);
    case 'TIMEOUT':
      tx.factorResult = 'TIMEOUT';
      return org.keep(tx);
  }
}

function factorVerified(org: OktaOrg, tx: Transaction, user: User, factor: Factor): Transaction {
  const now = org.now();
  factorSucceeded(user);
  tx.progress.mfa = true;
  if (!tx.amr.includes(AMR[factor.factorType])) tx.amr.push(AMR[factor.factorType]);
  tx.factorVerifiedAt = now;
  const { allowRememberDevice, rememberDeviceLifetime } = org.config.policy.mfa;
  if (tx.rememberDevice && allowRememberDevice) {
    // A browser without a device cookie gets one now: the answer sets it
    // (docs/fidelity/okta.md#okta-remember-device).
    if (!tx.deviceToken && !tx.trusted) {
      tx.deviceToken = org.ids.urlSafe(32);
      tx.newDeviceCookie = tx.deviceToken;
    }
    if (tx.deviceToken)
      org.rememberedDevices.set(`${user.id} ${tx.deviceToken}`, now + rememberDeviceLifetime);
  }
  return proceed(org, tx);
}

/** A finished enrollment counts as proof of the factor, so the user is not asked to verify it again. */
function factorActivated(org: OktaOrg, tx: Transaction, user: User, factor: Factor): Transaction {
  factor.status = 'ACTIVE';
  tx.progress.enrolledNow = true;
  return factorVerified(org, tx, user, factor);
}
