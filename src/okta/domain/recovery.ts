import { proceed, transactionFor } from './authn.ts';
import { allows } from './authn-states.ts';
import { invalidPasscode, invalidToken, notAllowedInState, OktaError, validationFailed } from './errors.ts';
import type {
  AnyTransaction,
  DecoyRecovery,
  Factor,
  RecoveryEmailSent,
  Transaction,
  TrustedRecovery,
  User,
} from './model.ts';
import type { OktaOrg } from './org.ts';
import { setLocked } from './protections.ts';
import type { RecoveryGrant } from './stores.ts';

/** How long an emailed or handed-out recovery token lasts (org policy in Okta; not published). */
const RECOVERY_TOKEN_LIFETIME = 60 * 60_000;
const RESEND_INTERVAL = 30_000;

type RecoveryType = 'PASSWORD' | 'UNLOCK';
type RecoveryFactor = 'EMAIL' | 'SMS' | 'CALL';

export interface RecoveryStartInput {
  type: RecoveryType;
  username: string | undefined;
  factorType: string | undefined;
  relayState: string | undefined;
  trusted: boolean;
}

/**
 * `POST /api/v1/authn/recovery/password` and `/recovery/unlock` (docs/fidelity/okta.md#okta-recovery-start).
 */
export function startRecovery(
  org: OktaOrg,
  input: RecoveryStartInput,
): AnyTransaction | RecoveryEmailSent | TrustedRecovery {
  if (!input.username)
    throw validationFailed('recoveryRequest', ['username: The field cannot be left blank']);
  const factorType = input.factorType?.toUpperCase();
  const user = org.users.find(input.username);
  if (factorType === undefined) {
    if (!input.trusted) {
      throw validationFailed('recoveryRequest', ['factorType: The field is required without an API token']);
    }
    if (!user) throw new OktaError('E0000095', { detail: `no user ${input.username}` });
    const grant = grantRecovery(org, user, input.type);
    return {
      kind: 'trusted-recovery',
      status: 'RECOVERY',
      recoveryToken: grant.token,
      expiresAt: grant.expiresAt,
      userId: user.id,
      recoveryType: input.type,
      relayState: input.relayState,
    };
  }
  if (factorType === 'EMAIL') {
    // The same answer whether or not the user exists, so that usernames cannot be probed
    // (docs/fidelity/okta.md#okta-recovery-email).
    if (user) {
      const grant = grantRecovery(org, user, input.type);
      org.send({
        userId: user.id,
        channel: 'email',
        to: user.profile.email,
        purpose: 'recovery',
        recoveryToken: grant.token,
      });
    }
    return {
      kind: 'recovery-email-sent',
      status: 'RECOVERY_CHALLENGE',
      recoveryType: input.type,
      relayState: input.relayState,
    };
  }
  if (factorType !== 'SMS' && factorType !== 'CALL') {
    throw validationFailed('recoveryRequest', [
      `factorType: ${input.factorType} is not one of EMAIL, SMS, CALL`,
    ]);
  }
  const factor = user ? phoneFactor(user, factorType) : undefined;
  if (!user || !factor) {
    const now = org.now();
    const decoy: DecoyRecovery = {
      kind: 'decoy',
      stateToken: org.newStateToken(),
      status: 'RECOVERY_CHALLENGE',
      createdAt: now,
      expiresAt: now,
      relayState: input.relayState,
      recovery: { type: input.type, factorType },
      sentAt: now,
    };
    return org.keep(decoy);
  }
  const tx = recoveryTransaction(org, user.id, input.type, factorType, input.relayState);
  tx.status = 'RECOVERY_CHALLENGE';
  sendRecoveryCode(org, tx, user, factor);
  return org.keep(tx);
}

/**
 * `POST /api/v1/authn/recovery/factors/{SMS|CALL}/verify`
 * (docs/fidelity/okta.md#okta-recovery-factor-verify); either case of the type is accepted.
 */
export function verifyRecoveryFactor(
  org: OktaOrg,
  stateToken: string | undefined,
  factorType: string,
  passCode: string | undefined,
): Transaction {
  const tx = recoveryChallenge(org, stateToken, factorType, 'verifyRecoveryFactor');
  if (tx.kind === 'decoy') throw invalidPasscode('token');
  const code = tx.challenge?.passCode;
  if (passCode === undefined || code === undefined || passCode !== code) throw invalidPasscode('token');
  return recoveryProven(org, tx);
}

/** `POST /api/v1/authn/recovery/factors/{SMS|CALL}/resend`. */
export function resendRecoveryFactor(
  org: OktaOrg,
  stateToken: string | undefined,
  factorType: string,
): AnyTransaction {
  const tx = recoveryChallenge(org, stateToken, factorType, 'resendRecoveryFactor');
  const sentAt = tx.kind === 'decoy' ? tx.sentAt : tx.challenge?.sentAt;
  if (sentAt !== undefined && org.now() < sentAt + RESEND_INTERVAL) {
    throw new OktaError(factorType.toUpperCase() === 'CALL' ? 'E0000133' : 'E0000109', {
      detail: 'resent within 30s',
    });
  }
  if (tx.kind === 'decoy') {
    tx.sentAt = org.now();
    return org.keep(tx);
  }
  const user = org.user(tx.userId);
  const factor = phoneFactor(user, tx.recovery?.factorType === 'CALL' ? 'CALL' : 'SMS');
  if (factor) sendRecoveryCode(org, tx, user, factor);
  return org.keep(tx);
}

/** The RECOVERY_CHALLENGE transaction (real or decoy) of a recovery by `factorType` (either case). */
function recoveryChallenge(
  org: OktaOrg,
  stateToken: string | undefined,
  factorType: string,
  operation: 'verifyRecoveryFactor' | 'resendRecoveryFactor',
): Transaction | DecoyRecovery {
  const tx = org.liveTransaction(stateToken);
  if (!allows(operation, tx.status)) throw notAllowedInState(tx.status);
  if (tx.recovery?.factorType !== factorType.toUpperCase())
    throw notAllowedInState(`${tx.status} by ${tx.recovery?.factorType}`);
  return tx;
}

/**
 * `POST /api/v1/authn/recovery/token` (docs/fidelity/okta.md#okta-recovery-token): a used, expired or made-up
 * token is 401 E0000011.
 */
export function verifyRecoveryToken(
  org: OktaOrg,
  recoveryToken: string | undefined,
  multiOptionalFactorEnroll: boolean,
): Transaction {
  const grant = recoveryToken ? org.recoveryGrants.get(recoveryToken) : undefined;
  if (!grant || org.now() >= grant.expiresAt) throw invalidToken('unknown, used or expired recoveryToken');
  // Single use: a used token is gone, and answers as an unknown one.
  org.recoveryGrants.delete(grant.token);
  const tx = recoveryTransaction(org, grant.userId, grant.type, undefined, undefined);
  tx.options.multiOptionalFactorEnroll = multiOptionalFactorEnroll;
  return recoveryProven(org, tx);
}

/** `POST /api/v1/authn/recovery/answer` (docs/fidelity/okta.md#okta-recovery-answer). */
export function answerRecoveryQuestion(
  org: OktaOrg,
  stateToken: string | undefined,
  answer: string | undefined,
): Transaction {
  const tx = transactionFor(org, stateToken, 'answerRecoveryQuestion');
  const user = org.user(tx.userId);
  if (answer === undefined || answer !== user.recoveryQuestion?.answer) {
    throw new OktaError('E0000087', { detail: 'wrong recovery answer' });
  }
  if (tx.recovery) tx.recovery.answered = true;
  return afterRecovery(org, tx, user);
}

function recoveryProven(org: OktaOrg, tx: Transaction): Transaction {
  const user = org.user(tx.userId);
  if (user.recoveryQuestion) {
    tx.status = 'RECOVERY';
    tx.challenge = undefined;
    return org.keep(tx);
  }
  return afterRecovery(org, tx, user);
}

function afterRecovery(org: OktaOrg, tx: Transaction, user: User): Transaction {
  tx.challenge = undefined;
  if (tx.recovery?.type === 'UNLOCK') {
    if (user.status === 'LOCKED_OUT') setLocked(org, user, false);
    // The unlock signs the user in: SUCCESS with a sessionToken, as the Sign-In Widget's recording
    // `SUCCESS_unlock` shows (docs/fidelity/okta.md#okta-unlock-by-answer). The recovery proved the user.
    tx.progress.mfa = true;
    return proceed(org, tx);
  }
  tx.status = 'PASSWORD_RESET';
  return org.keep(tx);
}

function recoveryTransaction(
  org: OktaOrg,
  userId: string,
  type: RecoveryType,
  factorType: RecoveryFactor | undefined,
  relayState: string | undefined,
): Transaction {
  const now = org.now();
  return {
    kind: 'user',
    stateToken: org.newStateToken(),
    userId,
    status: 'RECOVERY',
    createdAt: now,
    expiresAt: now,
    relayState,
    options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: false },
    trusted: false,
    deviceToken: undefined,
    factorId: undefined,
    factorResult: undefined,
    challenge: undefined,
    progress: {
      mfa: false,
      passwordChanged: false,
      warnSkipped: false,
      enrollSkipped: false,
      enrolledNow: false,
    },
    amr: [],
    passwordVerifiedAt: null,
    factorVerifiedAt: null,
    rememberDevice: false,
    recovery: { type, factorType, answered: false },
  };
}

function grantRecovery(org: OktaOrg, user: User, type: RecoveryType): RecoveryGrant {
  const grant = {
    token: org.ids.chars(20),
    userId: user.id,
    type,
    expiresAt: org.now() + RECOVERY_TOKEN_LIFETIME,
  };
  org.recoveryGrants.set(grant.token, grant);
  return grant;
}

function phoneFactor(user: User, factorType: RecoveryFactor): Factor | undefined {
  const type = factorType === 'CALL' ? 'call' : 'sms';
  return user.factors.find((f) => f.status === 'ACTIVE' && f.factorType === type);
}

function sendRecoveryCode(org: OktaOrg, tx: Transaction, user: User, factor: Factor): void {
  const passCode = factor.passCode ?? org.ids.digits(6);
  tx.challenge = { factorId: factor.id, passCode, sentAt: org.now(), polls: 0 };
  const channel = factor.factorType === 'call' ? 'call' : 'sms';
  org.send({ userId: user.id, channel, to: factor.phoneNumber ?? '', purpose: 'recovery', passCode });
}
