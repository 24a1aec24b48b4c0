import { verifySync } from 'otplib';
import type { FactorType } from './config.ts';
import { OktaError, type OktaErrorCode } from './errors.ts';
import type { Factor, User } from './model.ts';
import type { OktaOrg } from './org.ts';
import { meetsComplexity, passwordRequirements } from './policy.ts';

/**
 * The protections security tests lean on (docs/okta-protections.md): the MFA lock-out, TOTP replay, the
 * challenge throttles and the password history and minimum age. Their state lives on the user and factor
 * records (failure counts, used TOTP steps, send times, earlier passwords), so `reset()` clears it with the
 * users.
 */

/** Locks or unlocks a user (also the `okta.lockUser` / `okta.unlockUser` actions and the Users API's unlock). */
export function setLocked(org: OktaOrg, user: User, locked: boolean): void {
  const now = org.now();
  user.status = locked ? 'LOCKED_OUT' : 'ACTIVE';
  user.lockedAt = locked ? now : null;
  user.failedPasswordAttempts = 0;
  user.failedFactorAttempts = 0;
  user.statusChanged = now;
  user.lastUpdated = now;
}

/** Unlocks a locked user once the policy's automatic unlock time has passed (docs/fidelity/okta.md#okta-lockout-auto-unlock). */
export function applyAutoUnlock(org: OktaOrg, user: User): void {
  const { autoUnlock } = org.config.policy.lockout;
  if (
    user.status === 'LOCKED_OUT' &&
    autoUnlock > 0 &&
    user.lockedAt !== null &&
    org.now() >= user.lockedAt + autoUnlock
  ) {
    setLocked(org, user, false);
  }
}

/** 403 E0000069 "User Locked", empty causes (docs/fidelity/okta.md#okta-mfa-lockout). */
const userLocked = (detail: string): OktaError => new OktaError('E0000069', { detail });

/**
 * Before any factor verification (authn or the Factors API): a locked user gets 403 E0000069, whatever
 * the code (docs/fidelity/okta.md#okta-mfa-lockout).
 */
export function refuseLockedUser(org: OktaOrg, user: User): void {
  applyAutoUnlock(org, user);
  if (user.status === 'LOCKED_OUT') throw userLocked('the user is locked out');
}

/**
 * A failed factor verification (wrong code or answer, a replayed code): counts toward the MFA lock-out,
 * and the failure that reaches `policy.mfa.maxAttempts` locks the user and answers E0000069 instead of
 * `error` (docs/fidelity/okta.md#okta-mfa-lockout).
 */
export function factorFailed(org: OktaOrg, user: User, error: OktaError): OktaError {
  const { maxAttempts } = org.config.policy.mfa;
  user.failedFactorAttempts += 1;
  if (maxAttempts > 0 && user.failedFactorAttempts >= maxAttempts) {
    setLocked(org, user, true);
    return userLocked(`locked after ${maxAttempts} consecutive failed verifications`);
  }
  return error;
}

/** Only a successful verification resets the consecutive-failure count. */
export function factorSucceeded(user: User): void {
  user.failedFactorAttempts = 0;
}

/** TOTP codes are accepted from the current 30-second step and the ones either side of it. */
const TOTP_TOLERANCE_SECONDS = 30;

/** What a TOTP code is worth now: `valid` (and its step), `replayed`, or `invalid`. */
export type TotpCheck = { kind: 'valid'; step: number } | { kind: 'replayed' } | { kind: 'invalid' };

/**
 * Checks a TOTP code against the factor's secret at the virtual time (docs/fidelity/okta.md#okta-totp-window)
 * and against the last step that succeeded: a code of that step or an earlier one is a replay, in any
 * transaction (RFC 6238 §5.2, docs/fidelity/okta.md#okta-totp-replay).
 */
export function checkTotp(org: OktaOrg, factor: Factor, passCode: string | undefined): TotpCheck {
  if (passCode === undefined || !/^\d{6}$/.test(passCode) || !factor.secret) return { kind: 'invalid' };
  let result: ReturnType<typeof verifySync>;
  try {
    result = verifySync({
      secret: factor.secret,
      token: passCode,
      epoch: Math.floor(org.now() / 1000),
      epochTolerance: TOTP_TOLERANCE_SECONDS,
    });
  } catch {
    return { kind: 'invalid' };
  }
  if (!result.valid || !('timeStep' in result) || typeof result.timeStep !== 'number')
    return { kind: 'invalid' };
  const step = result.timeStep;
  const used = factor.lastTotpStep;
  if (used !== undefined && step <= used && org.config.quirks.totpReplay === 'reject') {
    return { kind: 'replayed' };
  }
  return { kind: 'valid', step };
}

/** Remembers the step of a TOTP code that succeeded, so that it cannot succeed again. */
export function totpUsed(factor: Factor, check: { step: number }): void {
  factor.lastTotpStep = Math.max(factor.lastTotpStep ?? Number.NEGATIVE_INFINITY, check.step);
}

/** 403 E0000082, empty causes: a TOTP code that already succeeded (docs/fidelity/okta.md#okta-totp-replay). */
export const passcodeReplayed = (): OktaError =>
  new OktaError('E0000082', { detail: 'a TOTP code of a step that already succeeded' });

/**
 * How long one device must wait between codes, and the error for a code asked for inside that time
 * (docs/fidelity/okta.md#okta-resend-throttles).
 */
const CHALLENGE_THROTTLE: Partial<Record<FactorType, { interval: number; code: OktaErrorCode }>> = {
  sms: { interval: 30_000, code: 'E0000109' },
  call: { interval: 30_000, code: 'E0000133' },
  email: { interval: 5_000, code: 'E0000118' },
};

/** Whether codes of this factor type are sent (and so throttled). */
export function sendsCodes(factor: Factor): boolean {
  return CHALLENGE_THROTTLE[factor.factorType] !== undefined;
}

/**
 * 429 when a code went to this device too recently: a resend, and (unless `quirks.challengeThrottle:
 * resend-only`) a verification that sends a challenge (docs/fidelity/okta.md#okta-resend-throttles).
 */
export function throttle(org: OktaOrg, factor: Factor, kind: 'resend' | 'challenge' = 'resend'): void {
  if (kind === 'challenge' && org.config.quirks.challengeThrottle === 'resend-only') return;
  const rule = CHALLENGE_THROTTLE[factor.factorType];
  if (rule && factor.lastSentAt !== undefined && org.now() < factor.lastSentAt + rule.interval) {
    throw new OktaError(rule.code, { detail: `${kind} within ${rule.interval / 1000}s of the last code` });
  }
}

/** Which of the policy's rules a password change is held to (docs/fidelity/okta.md#okta-password-history). */
export interface PasswordChecks {
  /** Not one of the last `historyCount` passwords (the current one included). */
  history: boolean;
  /** At least `minAge` since the last change. */
  minAge: boolean;
}

/** A user changing their own password: every rule (docs/fidelity/okta.md#okta-password-history). */
export const USER_CHANGE: PasswordChecks = { history: true, minAge: true };
/** An admin setting a password: complexity only (`strict=true` adds the others). */
export const ADMIN_SET: PasswordChecks = { history: false, minAge: false };

/**
 * The one sentence Okta gives for a refused password, naming every rule of the policy whichever failed
 * (docs/fidelity/okta.md#okta-complexity-cause): the complexity list, then the history and minimum-age
 * sentences when the policy has them.
 */
export function passwordRuleSentence(org: OktaOrg): string {
  const { historyCount, minAge } = org.config.policy.password;
  let sentence = `Password requirements were not met. Password requirements: ${passwordRequirements(org)}.`;
  if (historyCount > 0) sentence += ` Your password cannot be any of your last ${historyCount} passwords.`;
  if (minAge > 0)
    sentence += ` At least ${ageText(minAge)} must have elapsed since you last changed your password.`;
  return sentence;
}

/** `2 hour(s)`: the policy's minimum age in its highest whole unit, as the Sign-In Widget words it. */
function ageText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes % 1440 === 0) return `${minutes / 1440} day(s)`;
  if (minutes % 60 === 0) return `${minutes / 60} hour(s)`;
  return `${minutes} minute(s)`;
}

/**
 * Why `password` may not become the user's password under `checks`, as the rule sentence, or `null`:
 * complexity always, the history and minimum age as asked.
 */
export function passwordViolation(
  org: OktaOrg,
  user: User,
  password: string,
  checks: PasswordChecks,
): string | null {
  if (!meetsComplexity(org, user, password)) return passwordRuleSentence(org);
  const { historyCount, minAge } = org.config.policy.password;
  if (checks.history && historyCount > 0) {
    const recent = [user.password, ...user.passwordHistory].slice(0, historyCount);
    if (recent.includes(password)) return passwordRuleSentence(org);
  }
  if (
    checks.minAge &&
    minAge > 0 &&
    user.passwordChanged !== null &&
    org.now() < user.passwordChanged + minAge
  ) {
    return passwordRuleSentence(org);
  }
  return null;
}

/**
 * Sets a new password, keeping the old one in the history (as many as the policy remembers) and
 * stamping the change.
 */
export function storePassword(org: OktaOrg, user: User, password: string): void {
  const keep = Math.max(0, org.config.policy.password.historyCount - 1);
  if (user.password !== undefined && user.password !== password) {
    user.passwordHistory = [user.password, ...user.passwordHistory].slice(0, keep);
  } else {
    user.passwordHistory = user.passwordHistory.slice(0, keep);
  }
  const now = org.now();
  user.password = password;
  user.passwordChanged = now;
  user.lastUpdated = now;
}
