import type { AuthnStatus } from './model.ts';

const EVERY_STATE: readonly AuthnStatus[] = [
  'PASSWORD_WARN',
  'PASSWORD_EXPIRED',
  'RECOVERY',
  'RECOVERY_CHALLENGE',
  'PASSWORD_RESET',
  'LOCKED_OUT',
  'MFA_ENROLL',
  'MFA_ENROLL_ACTIVATE',
  'MFA_REQUIRED',
  'MFA_CHALLENGE',
];

/**
 * Which authn operations on a stateToken each transaction state allows: the links each state publishes
 * (docs/fidelity/okta.md#okta-transaction-states). Any other operation on the stateToken is 403 E0000079
 * (docs/fidelity/okta.md#okta-wrong-state). `skipStep` in MFA_ENROLL also needs every required factor
 * enrolled, which only the transaction can tell.
 */
export const ALLOWED_STATES = {
  introspectTransaction: EVERY_STATE,
  /** `POST /api/v1/authn` with only a stateToken: the transaction as it is. */
  resumeTransaction: EVERY_STATE,
  cancelTransaction: EVERY_STATE,
  previousStep: ['MFA_CHALLENGE', 'MFA_ENROLL_ACTIVATE'],
  skipStep: ['PASSWORD_WARN', 'MFA_ENROLL'],
  enrollFactor: ['MFA_ENROLL'],
  verifyFactor: ['MFA_REQUIRED', 'MFA_CHALLENGE'],
  resendChallenge: ['MFA_CHALLENGE'],
  activateFactor: ['MFA_ENROLL_ACTIVATE'],
  pollFactorActivation: ['MFA_ENROLL_ACTIVATE'],
  resendActivation: ['MFA_ENROLL_ACTIVATE'],
  sendActivationLink: ['MFA_ENROLL_ACTIVATE'],
  changePassword: ['PASSWORD_EXPIRED', 'PASSWORD_WARN'],
  resetPassword: ['PASSWORD_RESET'],
  answerRecoveryQuestion: ['RECOVERY'],
  verifyRecoveryFactor: ['RECOVERY_CHALLENGE'],
  resendRecoveryFactor: ['RECOVERY_CHALLENGE'],
} as const satisfies Record<string, readonly AuthnStatus[]>;

/** An authn operation that acts on a live transaction. */
export type StatefulAuthnOperation = keyof typeof ALLOWED_STATES;

export function allows(operation: StatefulAuthnOperation, status: AuthnStatus): boolean {
  const states: readonly AuthnStatus[] = ALLOWED_STATES[operation];
  return states.includes(status);
}
