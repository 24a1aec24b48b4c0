import { OktaError, resourceNotFound, validationFailed } from './errors.ts';
import type { Session, SessionToken, Transaction } from './model.ts';
import { type OktaOrg, sessionExpiresAt } from './org.ts';

/** Issues the one-time sessionToken of a finished transaction (docs/fidelity/okta.md#okta-session-token). */
export function issueSessionToken(org: OktaOrg, tx: Transaction): SessionToken {
  const token: SessionToken = {
    token: `20111${org.ids.urlSafe(37)}`,
    userId: tx.userId,
    expiresAt: org.now() + org.config.policy.sessionTokenLifetime,
    amr: tx.progress.mfa && tx.factorVerifiedAt !== null ? [...tx.amr, 'mfa'] : [...tx.amr],
    passwordVerifiedAt: tx.passwordVerifiedAt,
    factorVerifiedAt: tx.factorVerifiedAt,
  };
  org.sessionTokens.set(token.token, token);
  return token;
}

/**
 * Exchanges a sessionToken for a session, exactly once and within its lifetime
 * (docs/fidelity/okta.md#okta-session-token-errors). The error code for a reused, expired or unknown token is
 * undocumented: `quirks.sessionTokenErrorCode`.
 */
export function redeemSessionToken(org: OktaOrg, sessionToken: string | undefined): Session {
  if (!sessionToken) {
    throw validationFailed('createSessionRequest', ['sessionToken: The field cannot be left blank']);
  }
  const token = org.sessionTokens.get(sessionToken);
  const code = org.config.quirks.sessionTokenErrorCode;
  // A redeemed token is deleted at once: a second use finds nothing, as an unknown token does.
  if (!token) throw new OktaError(code, { detail: 'unknown or already used sessionToken' });
  if (org.now() >= token.expiresAt) throw new OktaError(code, { detail: 'sessionToken expired' });
  org.sessionTokens.delete(token.token);
  const now = org.now();
  const session: Session = {
    id: `102${org.ids.chars(22)}`,
    userId: token.userId,
    createdAt: now,
    lastActivity: now,
    amr: token.amr,
    passwordVerifiedAt: token.passwordVerifiedAt,
    factorVerifiedAt: token.factorVerifiedAt,
  };
  org.sessions.set(session.id, session);
  return session;
}

/**
 * The live session `id`, or `undefined`; a session past its expiry is removed
 * (docs/fidelity/okta.md#okta-session-expiry).
 */
export function liveSession(org: OktaOrg, id: string | undefined): Session | undefined {
  if (!id) return undefined;
  const session = org.sessions.get(id);
  if (!session) return undefined;
  if (org.now() >= sessionExpiresAt(org.config, session)) {
    org.sessions.delete(id);
    return undefined;
  }
  return session;
}

/**
 * The live session, or 404 E0000007 naming `label` (the id, or `me`) as Okta does
 * (docs/fidelity/okta.md#okta-sessions-me).
 */
export function getSession(org: OktaOrg, id: string | undefined, label: string): Session {
  const session = liveSession(org, id);
  if (!session) throw resourceNotFound(label, 'Session');
  return session;
}

/** Resets the idle clock (docs/fidelity/okta.md#okta-session-refresh). */
export function refreshSession(org: OktaOrg, id: string | undefined, label: string): Session {
  const session = getSession(org, id, label);
  session.lastActivity = org.now();
  return session;
}

/**
 * Ends a session (logout); a second call is a 404 (docs/fidelity/okta.md#okta-sessions-me-delete,
 * docs/fidelity/okta.md#okta-session-revoke-twice).
 */
export function endSession(org: OktaOrg, id: string | undefined, label: string): void {
  const session = getSession(org, id, label);
  org.sessions.delete(session.id);
}

/** Ends every session of a user (`revokeSessions: true` on a password change). */
export function endUserSessions(org: OktaOrg, userId: string): void {
  for (const [id, session] of [...org.sessions.entries()])
    if (session.userId === userId) org.sessions.delete(id);
}
