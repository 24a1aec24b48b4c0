import { generateSync, verifySync } from 'otplib';
import { proceed, transactionFor } from './authn.ts';
import type { FactorType } from './config.ts';
import {
  invalidPasscode,
  notAllowedInState,
  OktaError,
  type OktaErrorCode,
  resourceNotFound,
  validationFailed,
} from './errors.ts';
import type { Factor, Transaction, User } from './model.ts';
import { newFactorId, type OktaOrg } from './org.ts';
import { enrollableFactors } from './policy.ts';

/**
 * How long one device must wait between codes, and the error for a resend inside that time
 * (docs/fidelity/okta.md#okta-resend-throttles).
 */
const RESEND_THROTTLE: Partial<Record<FactorType, { interval: number; code: OktaErrorCode }>> = {
  sms: { interval: 30_000, code: 'E0000109' },
  call: { interval: 30_000, code: 'E0000133' },
  email: { interval: 5_000, code: 'E0000118' },
};

/** `amr` value a verified factor adds to the session (docs/fidelity/okta.md#okta-amr). */
const AMR: Record<FactorType, string> = {
  'token:software:totp': 'otp',
  sms: 'sms',
  call: 'tel',
  email: 'otp',
  push: 'swk',
  question: 'kba',
};

/** TOTP codes are accepted from the current 30-second step and the ones either side of it. */
const TOTP_TOLERANCE_SECONDS = 30;

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
  if (input.rememberDevice !== undefined) tx.rememberDevice = input.rememberDevice;
  if (input.autoPush !== undefined && factor.factorType === 'push') user.autoPush = input.autoPush;

  switch (factor.factorType) {
    case 'token:software:totp':
      if (!totpMatches(org, factor.secret ?? '', input.passCode)) throw invalidPasscode('passcode');
      return factorVerified(org, tx, user, factor);
    case 'question':
      if (input.answer === undefined || input.answer !== factor.answer) throw invalidPasscode('answer');
      return factorVerified(org, tx, user, factor);
    case 'sms':
    case 'call':
    case 'email':
      if (input.passCode === undefined) {
        sendCode(org, tx, user, factor, 'challenge');
        tx.status = 'MFA_CHALLENGE';
        return org.keep(tx);
      }
      if (!passCodeMatches(tx, factor, input.passCode)) throw invalidPasscode('passcode');
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
  if (!offer) {
    throw validationFailed('factor', [
      `factorType: ${input.factorType}/${provider} is not offered to this user`,
    ]);
  }
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
      if (!question || !answer) {
        throw validationFailed('factor', [
          'answer: The security question answer must be at least 4 characters in length',
        ]);
      }
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
      factor.secret = org.ids.chars(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
      break;
    case 'push':
      factor.push = {
        outcome: 'APPROVE',
        afterPolls: 1,
        deviceName: `${user.profile.firstName}'s iPhone`,
        platform: 'IOS',
      };
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
    case 'token:software:totp':
      if (!totpMatches(org, factor.secret ?? '', passCode)) throw invalidPasscode('passcode');
      return factorActivated(org, tx, user, factor);
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
  if (!RESEND_THROTTLE[factor.factorType]) throw notAllowedInState(`${tx.status} (nothing to resend)`);
  throttle(org, factor);
  sendCode(org, tx, user, factor, 'enrollment');
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
  operation: 'activateFactor' | 'pollFactorActivation' | 'resendActivation',
): { tx: Transaction; user: User; factor: Factor } {
  const tx = transactionFor(org, stateToken, operation);
  const user = org.user(tx.userId);
  const factor = user.factors.find((f) => f.id === factorId && f.status === 'PENDING_ACTIVATION');
  if (!factor || tx.factorId !== factorId) throw resourceNotFound(factorId, 'UserFactor');
  return { tx, user, factor };
}

/** Whether `passCode` is the TOTP code of `secret` now (one step either side). */
export function totpMatches(org: OktaOrg, secret: string, passCode: string | undefined): boolean {
  if (passCode === undefined || !/^\d{6}$/.test(passCode)) return false;
  try {
    return verifySync({
      secret,
      token: passCode,
      epoch: Math.floor(org.now() / 1000),
      epochTolerance: TOTP_TOLERANCE_SECONDS,
    }).valid;
  } catch {
    return false;
  }
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

/** 429 when a code went to this device too recently (docs/fidelity/okta.md#okta-resend-throttles). */
export function throttle(org: OktaOrg, factor: Factor): void {
  const rule = RESEND_THROTTLE[factor.factorType];
  if (rule && factor.lastSentAt !== undefined && org.now() < factor.lastSentAt + rule.interval) {
    throw new OktaError(rule.code, { detail: `resent within ${rule.interval / 1000}s` });
  }
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
  tx.progress.mfa = true;
  if (!tx.amr.includes(AMR[factor.factorType])) tx.amr.push(AMR[factor.factorType]);
  tx.factorVerifiedAt = now;
  const { allowRememberDevice, rememberDeviceLifetime } = org.config.policy.mfa;
  if (tx.rememberDevice && allowRememberDevice && tx.deviceToken) {
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
