import { oneOf } from '../../core/guards.ts';
import { FACTOR_TYPES, type FactorType } from './config.ts';
import {
  invalidPasscode,
  notAllowedInStatus,
  OktaError,
  resourceNotFound,
  validationFailed,
} from './errors.ts';
import type { EnrollmentRequirement, Factor, FactorTransaction, User } from './model.ts';
import { newFactorId, type OktaOrg } from './org.ts';
import {
  checkTotp,
  factorFailed,
  factorSucceeded,
  passcodeReplayed,
  refuseLockedUser,
  throttle,
  totpUsed,
} from './protections.ts';

/**
 * The Factors API (`/api/v1/users/{id}/factors`, docs/fidelity/okta.md#okta-admin-factors): an admin lists,
 * enrolls, activates, verifies and removes a user's factors. They are the same factor records the authn
 * flows challenge (`user.factors`), so a factor enrolled here is asked for at the next sign-in. Unlike authn
 * answers, factor profiles here are not masked.
 */

/** The security questions a user may pick (okta-auth-js's recorded `/factors/questions`). */
export const SECURITY_QUESTIONS: readonly { question: string; questionText: string }[] = [
  { question: 'disliked_food', questionText: 'What is the food you least liked as a child?' },
  { question: 'name_of_first_plush_toy', questionText: 'What is the name of your first stuffed animal?' },
  { question: 'first_award', questionText: 'What did you earn your first medal or award for?' },
  { question: 'favorite_security_question', questionText: 'What is your favorite security question?' },
  { question: 'favorite_toy', questionText: 'What is the toy/stuffed animal you liked the most as a kid?' },
  { question: 'first_computer_game', questionText: 'What was the first computer game you played?' },
  { question: 'favorite_movie_quote', questionText: 'What is your favorite movie quote?' },
  {
    question: 'first_sports_team_mascot',
    questionText: 'What was the mascot of the first sports team you played on?',
  },
  { question: 'first_music_purchase', questionText: 'What music album or song did you first purchase?' },
  { question: 'favorite_art_piece', questionText: 'What is your favorite piece of art?' },
  { question: 'grandmother_favorite_desert', questionText: "What was your grandmother's favorite dessert?" },
  { question: 'first_thing_cooked', questionText: 'What was the first thing you learned to cook?' },
  { question: 'childhood_dream_job', questionText: 'What was your dream job as a child?' },
  { question: 'first_kiss_location', questionText: 'Where did you have your first kiss?' },
  {
    question: 'place_where_significant_other_was_met',
    questionText: 'Where did you meet your spouse/significant other?',
  },
  { question: 'favorite_vacation_location', questionText: 'Where did you go for your favorite vacation?' },
  { question: 'new_years_two_thousand', questionText: "Where were you on New Year's Eve in the year 2000?" },
  { question: 'favorite_speaker_actor', questionText: 'Who is your favorite speaker/orator?' },
  { question: 'favorite_book_movie_character', questionText: 'Who is your favorite book/movie character?' },
  { question: 'favorite_sports_player', questionText: 'Who is your favorite sports player?' },
];

/** Okta's factor providers: another one is "Invalid Provider." (docs/fidelity/okta.md#okta-admin-factor-enroll). */
const PROVIDERS = new Set(['OKTA', 'GOOGLE', 'RSA', 'SYMANTEC', 'YUBICO', 'DUO', 'FIDO', 'CUSTOM']);
/** Okta's factor types; the simulator plays `FACTOR_TYPES`, the others are "Factor not enabled.". */
const OKTA_FACTOR_TYPES = new Set<string>([
  ...FACTOR_TYPES,
  'token:hotp',
  'token',
  'token:hardware',
  'u2f',
  'webauthn',
  'web',
  'signed_nonce',
]);

const ENROLL_REQUEST = 'factorEnrollRequest';

/** One entry of `GET .../factors/catalog`. */
export interface SupportedFactor {
  factorType: FactorType;
  provider: 'OKTA' | 'GOOGLE';
  enrollment: EnrollmentRequirement;
  status: 'NOT_SETUP' | 'PENDING_ACTIVATION' | 'ACTIVE';
}

/**
 * `GET .../factors`: the user's factors, active ones first, each kind in the order enrolled
 * (docs/fidelity/okta.md#okta-admin-factor-order).
 */
export function listFactors(user: User): Factor[] {
  return [
    ...user.factors.filter((f) => f.status === 'ACTIVE'),
    ...user.factors.filter((f) => f.status !== 'ACTIVE'),
  ];
}

/**
 * `GET .../factors/catalog`: every factor kind the simulator plays, with the user's enrollment policy
 * (OPTIONAL unless the scenario says REQUIRED) and how far the user got.
 */
export function supportedFactors(user: User): SupportedFactor[] {
  return FACTOR_TYPES.flatMap((factorType) =>
    (factorType === 'token:software:totp' ? (['OKTA', 'GOOGLE'] as const) : (['OKTA'] as const)).map(
      (provider) => {
        const enrolled = user.factors.find((f) => f.factorType === factorType && f.provider === provider);
        return {
          factorType,
          provider,
          enrollment: user.enrollment[factorType] ?? 'OPTIONAL',
          status: enrolled ? enrolled.status : 'NOT_SETUP',
        };
      },
    ),
  );
}

/** The factor `{factorId}` of the user, or 404 E0000007. */
export function factorNamed(user: User, factorId: string): Factor {
  const factor = user.factors.find((f) => f.id === factorId);
  if (!factor) throw resourceNotFound(factorId, 'UserFactor');
  return factor;
}

export interface AdminEnrollInput {
  factorType: string | undefined;
  provider: string | undefined;
  profile: {
    phoneNumber?: string | undefined;
    question?: string | undefined;
    answer?: string | undefined;
    email?: string | undefined;
  };
  /** `?activate=true`: sms, call and email become ACTIVE at once. */
  activate: boolean;
}

/**
 * `POST .../factors` (docs/fidelity/okta.md#okta-admin-factor-enroll): a question is ACTIVE at once; sms,
 * call and email PENDING_ACTIVATION with a code sent (ACTIVE with `activate=true`); TOTP and push
 * PENDING_ACTIVATION. Refusals are 400 E0000001 "Api validation failed: factorEnrollRequest".
 */
export function enrollUserFactor(org: OktaOrg, user: User, input: AdminEnrollInput): Factor {
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus(user.status, 'enroll a factor');
  const provider = input.provider ?? 'OKTA';
  if (!PROVIDERS.has(provider)) throw validationFailed(ENROLL_REQUEST, ['Invalid Provider.']);
  if (input.factorType === undefined || !OKTA_FACTOR_TYPES.has(input.factorType)) {
    throw validationFailed(ENROLL_REQUEST, ['Invalid factor type.']);
  }
  const factorType = input.factorType;
  const playable =
    oneOf(FACTOR_TYPES, factorType) &&
    (provider === 'OKTA' || (provider === 'GOOGLE' && factorType === 'token:software:totp'));
  if (!playable) throw validationFailed(ENROLL_REQUEST, ['Factor not enabled.']);
  if (
    user.factors.some((f) => f.status === 'ACTIVE' && f.factorType === factorType && f.provider === provider)
  ) {
    throw validationFailed(ENROLL_REQUEST, ['A factor of this type is already set up.']);
  }
  const now = org.now();
  const factor: Factor = {
    id: newFactorId(org.ids, factorType, provider),
    factorType,
    provider,
    status: 'PENDING_ACTIVATION',
    created: now,
    lastUpdated: now,
  };
  switch (factorType) {
    case 'question': {
      const known = SECURITY_QUESTIONS.find((q) => q.question === input.profile.question);
      const answer = input.profile.answer ?? '';
      const causes: string[] = [];
      if (!known) causes.push('question: The security question is not one of the supported ones');
      if (answer.trim().length < 4) {
        causes.push('answer: The security question answer must be at least 4 characters in length');
      }
      if (answer.length > 255) causes.push('answer: size must be between 4 and 255');
      if (!known || causes.length > 0) throw validationFailed(ENROLL_REQUEST, causes);
      factor.question = known.question;
      factor.questionText = known.questionText;
      factor.answer = answer;
      factor.status = 'ACTIVE';
      break;
    }
    case 'sms':
    case 'call':
      factor.phoneNumber = normalisedPhone(input.profile.phoneNumber);
      break;
    case 'email': {
      const email = input.profile.email ?? user.profile.email;
      const secondEmail = user.profile.attributes.get('secondEmail');
      if (email.toLowerCase() !== user.profile.email.toLowerCase() && email !== secondEmail) {
        throw validationFailed('Only verified primary or secondary email can be enrolled.', []);
      }
      factor.email = email;
      break;
    }
    case 'token:software:totp':
    case 'push':
      provisionAppFactor(org, user, factor);
      break;
  }
  // A new enrollment of a kind replaces one still pending.
  user.factors = user.factors.filter(
    (f) => !(f.status === 'PENDING_ACTIVATION' && f.factorType === factorType && f.provider === provider),
  );
  user.factors.push(factor);
  if (factorType === 'sms' || factorType === 'call' || factorType === 'email') {
    if (input.activate) factor.status = 'ACTIVE';
    else sendCode(org, user, factor, 'enrollment');
  }
  user.lastUpdated = now;
  return factor;
}

/**
 * `POST .../factors/{id}/lifecycle/activate` (docs/fidelity/okta.md#okta-admin-factor-activate): the code
 * of a pending TOTP, sms, call or email factor makes it ACTIVE (a wrong one is 403 E0000068); a pending push
 * factor is taken as activated on its device.
 */
export function activateUserFactor(
  org: OktaOrg,
  user: User,
  factor: Factor,
  passCode: string | undefined,
): Factor {
  if (factor.status !== 'PENDING_ACTIVATION') {
    throw validationFailed(ENROLL_REQUEST, ['Factor is not pending activation.']);
  }
  switch (factor.factorType) {
    case 'token:software:totp': {
      const check = checkTotp(org, factor, passCode);
      if (check.kind !== 'valid') throw invalidPasscode('passcode');
      totpUsed(factor, check);
      break;
    }
    case 'sms':
    case 'call':
    case 'email':
      if (passCode === undefined || passCode !== (factor.passCode ?? factor.sentCode))
        throw invalidPasscode('passcode');
      break;
    default:
      break;
  }
  factor.status = 'ACTIVE';
  factor.sentCode = undefined;
  factor.lastUpdated = org.now();
  user.lastUpdated = org.now();
  return factor;
}

/** `POST .../factors/{id}/resend`: a new enrollment code for a pending sms, call or email factor, throttled. */
export function resendEnrollFactor(org: OktaOrg, user: User, factor: Factor): Factor {
  const sendable =
    factor.factorType === 'sms' || factor.factorType === 'call' || factor.factorType === 'email';
  if (factor.status !== 'PENDING_ACTIVATION' || !sendable) {
    throw validationFailed(ENROLL_REQUEST, ['Factor is not pending activation by a sent code.']);
  }
  throttle(org, factor);
  sendCode(org, user, factor, 'enrollment');
  return factor;
}

/** What a Factors API verification answers. */
export type AdminVerifyResult =
  | { kind: 'success' }
  | { kind: 'challenge'; factor: Factor }
  | { kind: 'waiting'; transaction: FactorTransaction };

/**
 * `POST .../factors/{id}/verify` (docs/fidelity/okta.md#okta-admin-factor-verify): a code or an answer is
 * SUCCESS or 403 E0000068; sms, call and email without a code send one (CHALLENGE); a push starts a
 * transaction (WAITING) to poll.
 */
export function verifyUserFactor(
  org: OktaOrg,
  user: User,
  factor: Factor,
  input: { passCode: string | undefined; answer: string | undefined },
): AdminVerifyResult {
  if (factor.status !== 'ACTIVE') throw resourceNotFound(factor.id, 'UserFactor');
  // The Factors API shares the MFA lock-out with sign-in (docs/fidelity/okta.md#okta-mfa-lockout).
  refuseLockedUser(org, user);
  switch (factor.factorType) {
    case 'question':
      if (input.answer === undefined || input.answer !== factor.answer) {
        throw factorFailed(org, user, invalidPasscode('answer'));
      }
      factorSucceeded(user);
      return { kind: 'success' };
    case 'token:software:totp': {
      const check = checkTotp(org, factor, input.passCode);
      if (check.kind === 'replayed') throw factorFailed(org, user, passcodeReplayed());
      if (check.kind === 'invalid') throw factorFailed(org, user, invalidPasscode('passcode'));
      totpUsed(factor, check);
      factorSucceeded(user);
      return { kind: 'success' };
    }
    case 'sms':
    case 'call':
    case 'email':
      if (input.passCode === undefined) {
        throttle(org, factor, 'challenge');
        sendCode(org, user, factor, 'challenge');
        return { kind: 'challenge', factor };
      }
      if (input.passCode !== (factor.passCode ?? factor.sentCode)) {
        throw factorFailed(org, user, invalidPasscode('passcode'));
      }
      factor.sentCode = undefined;
      factorSucceeded(user);
      return { kind: 'success' };
    case 'push': {
      const now = org.now();
      const transaction: FactorTransaction = {
        id: `v2mst.${org.ids.urlSafe(22)}`,
        userId: user.id,
        factorId: factor.id,
        startedAt: now,
        expiresAt: now + org.config.policy.mfa.pushLifetime,
        polls: 0,
      };
      org.factorTransactions.set(transaction.id, transaction);
      return { kind: 'waiting', transaction };
    }
  }
}

/**
 * What the QR code of a factor being activated encodes, for `GET .../factors/{id}/qr/{token}`
 * (docs/fidelity/okta.md#okta-activation-links): a TOTP factor's `otpauth://` key URI, a push factor's
 * Okta Verify enrollment link. An unknown or used token, or a factor no longer pending, is 404 E0000007.
 */
export function qrCodeContent(org: OktaOrg, user: User, factor: Factor, token: string): string {
  if (factor.status !== 'PENDING_ACTIVATION' || !factor.qrToken || factor.qrToken !== token) {
    throw resourceNotFound(token, 'QRCode');
  }
  const issuer = new URL(org.config.orgUrl).host;
  if (factor.factorType === 'token:software:totp' && factor.secret) {
    const label = encodeURIComponent(`${issuer}:${user.login}`);
    return `otpauth://totp/${label}?secret=${factor.secret}&issuer=${encodeURIComponent(issuer)}`;
  }
  return `oktaverify://${encodeURIComponent(user.login)}/?t=${factor.qrToken}&f=${factor.id}&s=${encodeURIComponent(org.config.orgUrl)}`;
}

/** The state of a push transaction as a poll sees it. */
export type PushTransactionState = 'WAITING' | 'SUCCESS' | 'REJECTED' | 'TIMEOUT';

/**
 * `GET .../factors/{id}/transactions/{tid}`: WAITING until the push's scripted poll, then its outcome
 * (`users[].factors[].outcome`, `afterPolls`); TIMEOUT once the push lifetime passed. An unknown transaction
 * is 404 E0000007.
 */
export function pollFactorTransaction(
  org: OktaOrg,
  user: User,
  factor: Factor,
  transactionId: string,
): { state: PushTransactionState; transaction: FactorTransaction } {
  const transaction = org.factorTransactions.get(transactionId);
  if (!transaction || transaction.userId !== user.id || transaction.factorId !== factor.id) {
    throw resourceNotFound(transactionId, 'Transaction');
  }
  if (org.now() >= transaction.expiresAt) return { state: 'TIMEOUT', transaction };
  transaction.polls += 1;
  const push = factor.push ?? { outcome: 'APPROVE', afterPolls: 1 };
  if (transaction.polls < push.afterPolls) return { state: 'WAITING', transaction };
  const state = push.outcome === 'APPROVE' ? 'SUCCESS' : push.outcome === 'REJECT' ? 'REJECTED' : 'TIMEOUT';
  if (state === 'SUCCESS') factorSucceeded(user);
  return { state, transaction };
}

/** `DELETE .../factors/{id}`: the factor is gone; a deactivated user's are kept (403 E0000038). */
export function unenrollFactor(org: OktaOrg, user: User, factor: Factor): void {
  if (user.status === 'DEPROVISIONED') throw notAllowedInStatus(user.status, 'unenroll a factor');
  user.factors = user.factors.filter((f) => f.id !== factor.id);
  for (const [id, tx] of [...org.factorTransactions.entries()]) {
    if (tx.factorId === factor.id) org.factorTransactions.delete(id);
  }
  user.lastUpdated = org.now();
}

/**
 * A phone number as Okta stores it (`+` and digits): spaces, dashes, dots, brackets and invisible
 * formatting characters are dropped; what is left must be 7 to 15 digits (400 E0000098 otherwise).
 */
function normalisedPhone(input: string | undefined): string {
  const digits = (input ?? '').replace(/[\s\p{Cf}().-]/gu, '');
  if (!/^\+?[1-9]\d{6,14}$/.test(digits)) throw new OktaError('E0000098', { detail: 'phone number' });
  return digits.startsWith('+') ? digits : `+${digits}`;
}

function sendCode(org: OktaOrg, user: User, factor: Factor, purpose: 'challenge' | 'enrollment'): void {
  const passCode = factor.passCode ?? org.ids.digits(6);
  factor.sentCode = passCode;
  factor.lastSentAt = org.now();
  const channel = factor.factorType as 'sms' | 'call' | 'email';
  org.send({ userId: user.id, channel, to: factor.phoneNumber ?? factor.email ?? '', purpose, passCode });
}

/**
 * What enrolling an app factor draws, in the Factors API and in authn's MFA_ENROLL alike: a TOTP secret and
 * the QR code's token, or the token of Okta Verify's QR code and a phone that approves on its first poll.
 * The draws' order is part of the seeded sequence (ids in users' snapshots depend on it).
 */
export function provisionAppFactor(org: OktaOrg, user: User, factor: Factor): void {
  if (factor.factorType === 'token:software:totp') {
    factor.secret = org.ids.chars(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
    factor.qrToken = org.ids.urlSafe(40);
  } else if (factor.factorType === 'push') {
    factor.qrToken = org.ids.urlSafe(40);
    factor.push = {
      outcome: 'APPROVE',
      afterPolls: 1,
      deviceName: `${user.profile.firstName}'s iPhone`,
      platform: 'IOS',
    };
  }
}
