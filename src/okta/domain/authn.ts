import { allows, type StatefulAuthnOperation } from './authn-states.ts';
import { authenticationFailed, notAllowedInState, OktaError, validationFailed } from './errors.ts';
import type { AnyTransaction, AuthnStatus, LockedOut, Transaction, User } from './model.ts';
import type { OktaOrg } from './org.ts';
import { missingFactorTypes, passwordExpired, passwordInWarnWindow, requiresMfa } from './policy.ts';
import { applyAutoUnlock, setLocked } from './protections.ts';
import { issueSessionToken } from './sessions.ts';

/** User statuses that may sign in with a password. */
const SIGN_IN_STATUSES = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY']);

export interface PrimaryAuthInput {
  username?: string | undefined;
  password?: string | undefined;
  stateToken?: string | undefined;
  token?: string | undefined;
  relayState?: string | undefined;
  multiOptionalFactorEnroll?: boolean | undefined;
  warnBeforePasswordExpired?: boolean | undefined;
  deviceToken?: string | undefined;
  /** The browser's device cookie (`DT`), which stands for the device of a request without an API token. */
  deviceCookie?: string | undefined;
  /** The request carried a valid SSWS token (docs/fidelity/okta.md#okta-trusted-app). */
  trusted: boolean;
}

/**
 * `POST /api/v1/authn` (docs/fidelity/okta.md#okta-transaction-states): checks credentials and opens a
 * transaction in the first state the user still has to go through, or finishes at once with a sessionToken.
 */
export function primaryAuthentication(org: OktaOrg, input: PrimaryAuthInput): AnyTransaction | LockedOut {
  if (input.stateToken && input.username === undefined && input.password === undefined) {
    return transactionState(org, input.stateToken);
  }
  if (input.token !== undefined && input.username === undefined) return activationAuthentication(org, input);
  if (!input.username || !input.password) {
    throw validationFailed('authRequest', [
      "The 'username' and 'password' attributes are required in this context.",
    ]);
  }
  const limit = org.rateLimits.takeUsername(input.username, org.now());
  if (limit?.limited) {
    throw new OktaError('E0000047', {
      detail: `more than ${limit.limit} primary authentications per second for ${input.username}`,
      rateLimit: limit,
    });
  }
  const user = org.users.find(input.username);
  if (!user) throw authenticationFailed(`no user ${input.username}`);
  applyAutoUnlock(org, user);
  if (user.status === 'LOCKED_OUT') return lockedOut(org, 'user is locked out');
  if (!SIGN_IN_STATUSES.has(user.status)) throw authenticationFailed(`user status is ${user.status}`);
  // An admin's reset_password leaves the old password unusable until the reset is done
  // (docs/fidelity/okta.md#okta-admin-reset-password).
  if (user.passwordResetPending) throw authenticationFailed('password reset by an admin is pending');
  if (user.password === undefined || user.password !== input.password) return failedPassword(org, user);

  user.failedPasswordAttempts = 0;
  const tx = newTransaction(org, user.id, input);
  tx.amr = ['pwd'];
  tx.passwordVerifiedAt = tx.createdAt;
  if (isRememberedDevice(org, user, tx.deviceToken)) tx.progress.mfa = true;
  return proceed(org, tx);
}

/**
 * `POST /api/v1/authn` with `{ token }`, an activation token (docs/fidelity/okta.md#okta-activation-token):
 * single use; a user without a password (or whose password an admin reset) goes to PASSWORD_RESET with
 * `recoveryType: ACCOUNT_ACTIVATION`, one with a password on as a sign-in would (MFA, enrollment, SUCCESS).
 * An unknown, used or expired token is 401 E0000004.
 */
function activationAuthentication(org: OktaOrg, input: PrimaryAuthInput): Transaction {
  const grant = input.token ? org.activationGrants.get(input.token) : undefined;
  if (!grant || org.now() >= grant.expiresAt)
    throw authenticationFailed('unknown, used or expired activation token');
  const user = org.users.get(grant.userId);
  if (!user || !ACTIVATION_STATUSES.has(user.status)) {
    throw authenticationFailed(`activation token of a ${user?.status ?? 'deleted'} user`);
  }
  org.activationGrants.delete(grant.token);
  const tx = newTransaction(org, user.id, input);
  if (user.password === undefined || user.passwordResetPending || user.status !== 'ACTIVE') {
    tx.status = 'PASSWORD_RESET';
    tx.recovery = { type: 'ACCOUNT_ACTIVATION', factorType: undefined, answered: false };
    return org.keep(tx);
  }
  return proceed(org, tx);
}

/** Statuses whose activation token still works: activation pending, or finished by the admin. */
const ACTIVATION_STATUSES = new Set(['PROVISIONED', 'ACTIVE', 'RECOVERY']);

/** A fresh transaction of `userId`, in no state yet (the caller moves it on). */
function newTransaction(org: OktaOrg, userId: string, input: PrimaryAuthInput): Transaction {
  const now = org.now();
  return {
    kind: 'user',
    stateToken: org.newStateToken(),
    userId,
    status: 'MFA_REQUIRED',
    createdAt: now,
    expiresAt: now,
    relayState: input.relayState,
    options: {
      multiOptionalFactorEnroll: input.multiOptionalFactorEnroll === true,
      warnBeforePasswordExpired: input.warnBeforePasswordExpired === true,
    },
    trusted: input.trusted,
    // A trusted app names the device; a browser is known by its device cookie
    // (docs/fidelity/okta.md#okta-remember-device).
    deviceToken: input.trusted ? input.deviceToken : input.deviceCookie,
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
    recovery: undefined,
  };
}

/**
 * `POST /api/v1/authn` with only a stateToken, and `/authn/introspect`: the state, unchanged
 * (docs/fidelity/okta.md#okta-get-state).
 */
export function transactionState(org: OktaOrg, stateToken: string | undefined): AnyTransaction {
  return org.keep(org.liveTransaction(stateToken));
}

/**
 * `POST /api/v1/authn/cancel` (docs/fidelity/okta.md#okta-cancel): ends the transaction; a missing
 * stateToken has nothing to end.
 */
export function cancelTransaction(org: OktaOrg, stateToken: string | undefined): { relayState?: string } {
  if (stateToken === undefined) return {};
  const tx = org.liveTransaction(stateToken);
  org.transactions.delete(tx.stateToken);
  return tx.relayState === undefined ? {} : { relayState: tx.relayState };
}

/**
 * The live transaction of a user for `operation`: 401 E0000011 when the stateToken is not live, 403
 * E0000079 when the transaction's state does not allow the operation (authn-states.ts).
 */
export function transactionFor(
  org: OktaOrg,
  stateToken: string | undefined,
  operation: StatefulAuthnOperation,
): Transaction {
  const tx = org.liveTransaction(stateToken);
  if (!allows(operation, tx.status) || tx.kind === 'decoy') throw notAllowedInState(tx.status);
  return tx;
}

/** `POST /api/v1/authn/previous` (docs/fidelity/okta.md#okta-previous). */
export function previousStep(org: OktaOrg, stateToken: string | undefined): Transaction {
  const tx = transactionFor(org, stateToken, 'previousStep');
  if (tx.status === 'MFA_CHALLENGE') {
    clearChallenge(tx);
    tx.status = 'MFA_REQUIRED';
  } else if (tx.status === 'MFA_ENROLL_ACTIVATE') {
    const user = org.user(tx.userId);
    user.factors = user.factors.filter((f) => !(f.id === tx.factorId && f.status === 'PENDING_ACTIVATION'));
    clearChallenge(tx);
    tx.status = 'MFA_ENROLL';
  }
  return org.keep(tx);
}

/** `POST /api/v1/authn/skip` (docs/fidelity/okta.md#okta-skip): only where a `skip` link is published. */
export function skipStep(org: OktaOrg, stateToken: string | undefined): Transaction {
  const tx = transactionFor(org, stateToken, 'skipStep');
  if (!canSkip(org, tx)) throw notAllowedInState(tx.status);
  if (tx.status === 'PASSWORD_WARN') tx.progress.warnSkipped = true;
  else tx.progress.enrollSkipped = true;
  return proceed(org, tx);
}

/** Whether the transaction publishes a `skip` link. */
export function canSkip(org: OktaOrg, tx: Transaction): boolean {
  if (tx.status === 'PASSWORD_WARN') return true;
  if (tx.status !== 'MFA_ENROLL') return false;
  return missingFactorTypes(org.user(tx.userId), 'REQUIRED').length === 0;
}

/**
 * Whether a user whose policy offers only optional factors is asked to enroll one: while none is active,
 * until the transaction skips (docs/fidelity/okta.md#okta-optional-enrollment).
 */
function promptsOptionalEnrollment(org: OktaOrg, tx: Transaction, user: User): boolean {
  return (
    org.config.policy.mfa.promptOptionalEnrollment &&
    !tx.progress.enrollSkipped &&
    !user.factors.some((f) => f.status === 'ACTIVE') &&
    missingFactorTypes(user, 'OPTIONAL').length > 0
  );
}

/**
 * The state a transaction moves to once its current step is done. Okta gives the order MFA first, then an
 * expired password, enrollment, the password warning, success (docs/fidelity/okta.md#okta-state-order; 4-6
 * are [M]).
 */
export function nextStatus(org: OktaOrg, tx: Transaction, user: User): AuthnStatus {
  const { progress } = tx;
  if (!progress.mfa && requiresMfa(org, user)) return 'MFA_REQUIRED';
  if (!progress.passwordChanged && passwordExpired(org, user)) return 'PASSWORD_EXPIRED';
  if (missingFactorTypes(user, 'REQUIRED').length > 0) return 'MFA_ENROLL';
  if (promptsOptionalEnrollment(org, tx, user)) return 'MFA_ENROLL';
  if (
    tx.options.multiOptionalFactorEnroll &&
    progress.enrolledNow &&
    !progress.enrollSkipped &&
    missingFactorTypes(user, 'OPTIONAL').length > 0
  ) {
    return 'MFA_ENROLL';
  }
  if (
    !progress.passwordChanged &&
    !progress.warnSkipped &&
    tx.options.warnBeforePasswordExpired &&
    passwordInWarnWindow(org, user)
  ) {
    return 'PASSWORD_WARN';
  }
  return 'SUCCESS';
}

/** Moves the transaction on: SUCCESS finishes it with a sessionToken, anything else keeps it live. */
export function proceed(org: OktaOrg, tx: Transaction): Transaction {
  const user = org.user(tx.userId);
  clearChallenge(tx);
  tx.status = nextStatus(org, tx, user);
  if (tx.status !== 'SUCCESS') return org.keep(tx);
  org.transactions.delete(tx.stateToken);
  const sessionToken = issueSessionToken(org, tx);
  tx.sessionToken = sessionToken.token;
  tx.expiresAt = sessionToken.expiresAt;
  user.lastLogin = org.now();
  return tx;
}

export function clearChallenge(tx: Transaction): void {
  tx.factorId = undefined;
  tx.factorResult = undefined;
  tx.challenge = undefined;
}

function failedPassword(org: OktaOrg, user: User): LockedOut {
  const { maxAttempts } = org.config.policy.lockout;
  user.failedPasswordAttempts += 1;
  if (maxAttempts > 0 && user.failedPasswordAttempts >= maxAttempts) {
    setLocked(org, user, true);
    return lockedOut(org, `wrong password; locked after ${maxAttempts} failures`);
  }
  throw authenticationFailed(
    `wrong password (${user.failedPasswordAttempts} of ${maxAttempts || 'unlimited'})`,
  );
}

function lockedOut(org: OktaOrg, detail: string): LockedOut {
  if (!org.config.policy.lockout.showLockoutFailures) throw authenticationFailed(detail);
  return { kind: 'locked-out', status: 'LOCKED_OUT' };
}

function isRememberedDevice(org: OktaOrg, user: User, deviceToken: string | undefined): boolean {
  if (!deviceToken) return false;
  const until = org.rememberedDevices.get(`${user.id} ${deviceToken}`);
  return until !== undefined && org.now() < until;
}
