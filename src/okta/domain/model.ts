import type { EnrollmentRequirement, FactorType, PushOutcome, UserStatus } from './config.ts';

export type { EnrollmentRequirement, FactorType, PushOutcome, UserStatus };

/**
 * Okta's transaction states (docs/fidelity/okta.md#okta-transaction-states); UNAUTHENTICATED belongs to
 * step-up flows, not simulated.
 */
export type AuthnStatus =
  | 'PASSWORD_WARN'
  | 'PASSWORD_EXPIRED'
  | 'RECOVERY'
  | 'RECOVERY_CHALLENGE'
  | 'PASSWORD_RESET'
  | 'LOCKED_OUT'
  | 'MFA_ENROLL'
  | 'MFA_ENROLL_ACTIVATE'
  | 'MFA_REQUIRED'
  | 'MFA_CHALLENGE'
  | 'SUCCESS';

/**
 * `factorResult` values the simulator produces (docs/fidelity/okta.md#okta-factor-result), plus the email
 * challenge's `CHALLENGE`.
 */
export type FactorResult = 'WAITING' | 'REJECTED' | 'TIMEOUT' | 'CHALLENGE';

/** A profile attribute's value: Okta's profile attributes are strings, numbers, booleans or arrays of them. */
export type ProfileValue = string | number | boolean | null | readonly (string | number | boolean)[];

/**
 * A user's profile: the four attributes Okta's default schema requires, and every other one (`locale`,
 * `timezone`, `mobilePhone`, custom attributes) by Okta's name.
 */
export interface UserProfile {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  attributes: Map<string, ProfileValue>;
}

/** An enrolled (or enrolling) factor, with the secrets the simulator checks against. */
export interface Factor {
  id: string;
  factorType: FactorType;
  provider: 'OKTA' | 'GOOGLE';
  status: 'ACTIVE' | 'PENDING_ACTIVATION';
  created: number;
  /** When the factor last changed (enrolled, activated); the creation time when absent. */
  lastUpdated?: number;
  /** TOTP: base32 shared secret. */
  secret?: string;
  /** sms / call. */
  phoneNumber?: string;
  /** email. */
  email?: string;
  /** sms / call / email: fixed passcode from the scenario; otherwise one is generated per challenge. */
  passCode?: string;
  /** question. */
  question?: string;
  questionText?: string;
  answer?: string;
  /** push: what the user does and on which poll the simulator reports it. */
  push?: { outcome: PushOutcome; afterPolls: number; deviceName: string; platform: 'IOS' | 'ANDROID' };
  /**
   * When a code was last sent to this device (resend throttling,
   * docs/fidelity/okta.md#okta-resend-throttles).
   */
  lastSentAt?: number;
  /** The code the Factors API last sent (enrollment or challenge), outside any authn transaction. */
  sentCode?: string;
  /**
   * TOTP: the latest time step whose code succeeded; that code and older ones are replays
   * (docs/fidelity/okta.md#okta-totp-replay).
   */
  lastTotpStep?: number;
  /** TOTP and push being activated: the token of the QR code's URL (docs/fidelity/okta.md#okta-activation-links). */
  qrToken?: string;
}

export interface User {
  id: string;
  login: string;
  password: string | undefined;
  status: UserStatus;
  profile: UserProfile;
  created: number;
  /** When an activation (lifecycle or activation token) made the user ACTIVE; null otherwise. */
  activated: number | null;
  lastLogin: number | null;
  lastUpdated: number;
  statusChanged: number | null;
  /** When the password was set; null for a user without one. */
  passwordChanged: number | null;
  /**
   * An admin reset the password (`lifecycle/reset_password`): no sign-in with the old password until the
   * user sets a new one with the recovery token.
   */
  passwordResetPending: boolean;
  /** Per-user override of `policy.mfa.required`. */
  mfa: boolean | undefined;
  factors: Factor[];
  enrollment: Partial<Record<FactorType, EnrollmentRequirement>>;
  recoveryQuestion: { question: string; answer: string } | undefined;
  failedPasswordAttempts: number;
  /** Consecutive failed factor verifications (docs/fidelity/okta.md#okta-mfa-lockout); a success resets it. */
  failedFactorAttempts: number;
  /** Earlier passwords, latest first, as many as the policy's history needs (docs/fidelity/okta.md#okta-password-history). */
  passwordHistory: string[];
  lockedAt: number | null;
  /**
   * The push "auto-push" preference (`autoPush` query parameter,
   * docs/fidelity/okta.md#okta-verify-query-flags).
   */
  autoPush: boolean;
}

/** An outstanding factor challenge: a code sent, or a push waiting for an answer. */
export interface Challenge {
  factorId: string;
  passCode: string | undefined;
  sentAt: number;
  polls: number;
}

/** An authentication transaction, addressed by its stateToken. */
export interface Transaction {
  kind: 'user';
  stateToken: string;
  userId: string;
  status: AuthnStatus;
  createdAt: number;
  expiresAt: number;
  relayState: string | undefined;
  options: { multiOptionalFactorEnroll: boolean; warnBeforePasswordExpired: boolean };
  /** Started with a valid SSWS token (docs/fidelity/okta.md#okta-trusted-app). */
  trusted: boolean;
  /**
   * The device: `context.deviceToken` of a trusted request, or the browser's device cookie
   * (docs/fidelity/okta.md#okta-remember-device).
   */
  deviceToken: string | undefined;
  /** The device cookie to set: a browser that asked to be remembered and had none yet. */
  newDeviceCookie?: string;
  /** The factor in play in MFA_CHALLENGE / MFA_ENROLL_ACTIVATE. */
  factorId: string | undefined;
  factorResult: FactorResult | undefined;
  challenge: Challenge | undefined;
  /** What the user has done so far; the next state is derived from it (see `nextStatus`). */
  progress: {
    mfa: boolean;
    passwordChanged: boolean;
    warnSkipped: boolean;
    enrollSkipped: boolean;
    enrolledNow: boolean;
  };
  amr: string[];
  passwordVerifiedAt: number | null;
  factorVerifiedAt: number | null;
  rememberDevice: boolean;
  recovery:
    | {
        /** ACCOUNT_ACTIVATION: an activation token of a user who has no password yet. */
        type: 'PASSWORD' | 'UNLOCK' | 'ACCOUNT_ACTIVATION';
        factorType: 'EMAIL' | 'SMS' | 'CALL' | undefined;
        answered: boolean;
      }
    | undefined;
  /** Set on SUCCESS. */
  sessionToken?: string;
  /** Set on a trusted recovery start (docs/fidelity/okta.md#okta-trusted-recovery). */
  recoveryToken?: string;
}

/**
 * The recovery challenge a public SMS or voice recovery opens for a username that matches no user: it
 * looks like any other RECOVERY_CHALLENGE and can never verify, so that usernames cannot be probed
 * (docs/fidelity/okta.md#okta-recovery-sms-unknown-user).
 */
export interface DecoyRecovery {
  kind: 'decoy';
  stateToken: string;
  status: 'RECOVERY_CHALLENGE';
  createdAt: number;
  expiresAt: number;
  relayState: string | undefined;
  recovery: { type: 'PASSWORD' | 'UNLOCK'; factorType: 'SMS' | 'CALL' };
  /** When the last (pretend) code was sent: resends are throttled all the same. */
  sentAt: number;
}

/** What a stateToken can address. */
export type AnyTransaction = Transaction | DecoyRecovery;

/** A one-time proof of authentication, exchanged for a session (docs/fidelity/okta.md#okta-session-token). */
export interface SessionToken {
  token: string;
  userId: string;
  expiresAt: number;
  amr: string[];
  passwordVerifiedAt: number | null;
  factorVerifiedAt: number | null;
}

export interface Session {
  id: string;
  userId: string;
  createdAt: number;
  lastActivity: number;
  amr: string[];
  passwordVerifiedAt: number | null;
  factorVerifiedAt: number | null;
}

/**
 * An Okta group. `Everyone` (BUILT_IN) holds every user; membership is kept on the group, by user id,
 * and feeds the Groups API and the `groups` claim.
 */
export interface Group {
  id: string;
  type: 'OKTA_GROUP' | 'BUILT_IN';
  name: string;
  description: string | undefined;
  created: number;
  lastUpdated: number;
  lastMembershipUpdated: number;
  members: Set<string>;
}

export interface ApiToken {
  /** `00T...`, what the API tokens API names it by. */
  id: string;
  name: string;
  token: string;
  status: 'ACTIVE' | 'REVOKED';
  /** The user the token acts for (`/users/me`); undefined for a scenario token without an owner. */
  userId: string | undefined;
  created: number;
  lastUpdated: number;
}

/**
 * A one-time activation token (`lifecycle/activate`, `reactivate`), redeemed by `POST /api/v1/authn`
 * with `{ token }` (docs/fidelity/okta.md#okta-activation-token).
 */
export interface ActivationGrant {
  token: string;
  userId: string;
  expiresAt: number;
}

/**
 * A push verification started by the Factors API (`POST .../factors/{id}/verify`), polled at
 * `.../transactions/{id}` (docs/fidelity/okta.md#okta-admin-factor-verify).
 */
export interface FactorTransaction {
  id: string;
  userId: string;
  factorId: string;
  startedAt: number;
  expiresAt: number;
  polls: number;
}

/** A message the simulator "sent": a factor passcode or a recovery link. Tests read codes from here. */
export interface OutboxMessage {
  at: number;
  userId: string | null;
  channel: 'sms' | 'call' | 'email';
  to: string;
  purpose: 'challenge' | 'enrollment' | 'recovery' | 'activation';
  passCode?: string;
  recoveryToken?: string;
  activationToken?: string;
}

/**
 * Primary authentication of a locked-out user when the policy shows lock-out failures
 * (docs/fidelity/okta.md#okta-lockout-shown).
 */
export interface LockedOut {
  kind: 'locked-out';
  status: 'LOCKED_OUT';
}

/**
 * A public email recovery: same answer for known and unknown users, no stateToken
 * (docs/fidelity/okta.md#okta-recovery-email).
 */
export interface RecoveryEmailSent {
  kind: 'recovery-email-sent';
  status: 'RECOVERY_CHALLENGE';
  recoveryType: 'PASSWORD' | 'UNLOCK';
  relayState: string | undefined;
}

/**
 * A trusted (SSWS) recovery start: the recoveryToken comes back directly
 * (docs/fidelity/okta.md#okta-trusted-recovery).
 */
export interface TrustedRecovery {
  kind: 'trusted-recovery';
  status: 'RECOVERY';
  recoveryToken: string;
  expiresAt: number;
  userId: string;
  recoveryType: 'PASSWORD' | 'UNLOCK';
  relayState: string | undefined;
}

/** Anything an authn operation can answer with besides a live or finished transaction. */
export type AuthnAnswer = AnyTransaction | LockedOut | RecoveryEmailSent | TrustedRecovery;
