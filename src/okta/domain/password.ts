import { proceed, transactionFor } from './authn.ts';
import { OktaError } from './errors.ts';
import type { Transaction, User } from './model.ts';
import type { OktaOrg } from './org.ts';
import { type PasswordChecks, passwordViolation, storePassword, USER_CHANGE } from './protections.ts';
import { endUserSessions } from './sessions.ts';

/** The change of an expired password: the history holds, the minimum age does not. */
const EXPIRED_CHANGE: PasswordChecks = { history: true, minAge: false };

export interface ChangePasswordInput {
  stateToken: string | undefined;
  oldPassword: string | undefined;
  newPassword: string | undefined;
  revokeSessions?: boolean | undefined;
}

/**
 * `POST /api/v1/authn/credentials/change_password` in PASSWORD_EXPIRED / PASSWORD_WARN
 * (docs/fidelity/okta.md#okta-change-password).
 */
export function changePassword(org: OktaOrg, input: ChangePasswordInput): Transaction {
  const tx = transactionFor(org, input.stateToken, 'changePassword');
  const user = org.user(tx.userId);
  if (input.oldPassword === undefined || input.oldPassword !== user.password) {
    throw new OktaError('E0000014', {
      causes: ['oldPassword: The credentials provided were incorrect.'],
      detail: 'wrong oldPassword',
    });
  }
  // An expired password must be replaced: the minimum age does not hold the user back
  // (docs/fidelity/okta.md#okta-password-history).
  const checks = tx.status === 'PASSWORD_EXPIRED' ? EXPIRED_CHANGE : USER_CHANGE;
  setPassword(org, user, input.newPassword, input.revokeSessions === true, checks);
  tx.progress.passwordChanged = true;
  return proceed(org, tx);
}

/**
 * `POST /api/v1/authn/credentials/reset_password` in PASSWORD_RESET
 * (docs/fidelity/okta.md#okta-reset-password).
 */
export function resetPassword(
  org: OktaOrg,
  stateToken: string | undefined,
  newPassword: string | undefined,
  revokeSessions: boolean,
): Transaction {
  const tx = transactionFor(org, stateToken, 'resetPassword');
  const user = org.user(tx.userId);
  setPassword(org, user, newPassword, revokeSessions, USER_CHANGE);
  // The reset unlocks a locked user, and with the lock goes the MFA failure count.
  if (user.status === 'LOCKED_OUT') {
    user.lockedAt = null;
    user.failedFactorAttempts = 0;
  }
  const now = org.now();
  if (user.status !== 'ACTIVE') user.statusChanged = now;
  // An activation token finishes the user's activation here (docs/fidelity/okta.md#okta-activation-token).
  if (tx.recovery?.type === 'ACCOUNT_ACTIVATION' && user.status === 'PROVISIONED') user.activated = now;
  user.status = 'ACTIVE';
  user.passwordResetPending = false;
  user.failedPasswordAttempts = 0;
  tx.progress.passwordChanged = true;
  // The recovery already proved the user's identity: no MFA prompt after the reset.
  tx.progress.mfa = true;
  return proceed(org, tx);
}

/**
 * A user's own change or reset: the policy's complexity, history and minimum age
 * (docs/fidelity/okta.md#okta-password-history); a refused password is 403 E0000080 (or
 * `quirks.passwordComplexityErrorCode`) with the one sentence naming every rule.
 */
function setPassword(
  org: OktaOrg,
  user: User,
  newPassword: string | undefined,
  revokeSessions: boolean,
  checks: PasswordChecks,
): void {
  const violation = newPassword === undefined ? null : passwordViolation(org, user, newPassword, checks);
  if (newPassword === undefined || violation !== null) {
    throw new OktaError(org.config.quirks.passwordComplexityErrorCode, {
      causes: [violation ?? 'newPassword: The field cannot be left blank'],
      detail: 'new password fails the policy',
    });
  }
  storePassword(org, user, newPassword);
  if (user.status === 'PASSWORD_EXPIRED') {
    user.status = 'ACTIVE';
    user.statusChanged = org.now();
  }
  if (revokeSessions) endUserSessions(org, user.id);
}
