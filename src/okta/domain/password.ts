import { proceed, transactionFor } from './authn.ts';
import { OktaError } from './errors.ts';
import type { Transaction, User } from './model.ts';
import type { OktaOrg } from './org.ts';
import { complexityViolation } from './policy.ts';
import { endUserSessions } from './sessions.ts';

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
  setPassword(org, user, input.newPassword, input.revokeSessions === true);
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
  setPassword(org, user, newPassword, revokeSessions);
  if (user.status === 'LOCKED_OUT') user.lockedAt = null;
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

function setPassword(
  org: OktaOrg,
  user: User,
  newPassword: string | undefined,
  revokeSessions: boolean,
): void {
  const violation = complexityViolation(org, user, newPassword ?? '');
  if (newPassword === undefined || violation !== null) {
    throw new OktaError(org.config.quirks.passwordComplexityErrorCode, {
      causes: [violation ?? 'newPassword: The field cannot be left blank'],
      detail: 'new password fails the policy',
    });
  }
  const now = org.now();
  user.password = newPassword;
  user.passwordChanged = now;
  user.lastUpdated = now;
  if (user.status === 'PASSWORD_EXPIRED') {
    user.status = 'ACTIVE';
    user.statusChanged = now;
  }
  if (revokeSessions) endUserSessions(org, user.id);
}
