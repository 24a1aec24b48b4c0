import { isoString } from '../core/clock.ts';
import type { OktaOrg } from './domain/org.ts';
import { liveSession, sessionExpiresAt } from './domain/sessions.ts';

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : isoString(ms);

/** The `okta` part of `sim.state` / `GET /__sim/state`: plain JSON, for assertions. Secrets included. */
export function oktaStateView(org: OktaOrg) {
  const now = org.now();
  return {
    orgUrl: org.config.orgUrl,
    orgId: org.orgId,
    users: [...org.users.values()].map((user) => ({
      id: user.id,
      login: user.login,
      status: user.status,
      passwordChanged: iso(user.passwordChanged),
      lastLogin: iso(user.lastLogin),
      failedPasswordAttempts: user.failedPasswordAttempts,
      factors: user.factors.map((factor) => ({
        id: factor.id,
        factorType: factor.factorType,
        provider: factor.provider,
        status: factor.status,
      })),
    })),
    transactions: [...org.transactions.values()]
      .filter((tx) => tx.expiresAt > now)
      .map((tx) => ({
        stateToken: tx.stateToken,
        status: tx.status,
        userId: tx.userId || null,
        expiresAt: iso(tx.expiresAt),
        factorId: tx.factorId ?? null,
        factorResult: tx.factorResult ?? null,
        passCode: tx.challenge?.passCode ?? null,
      })),
    sessionTokens: [...org.sessionTokens.values()]
      .filter((token) => !token.used && token.expiresAt > now)
      .map((token) => ({ token: token.token, userId: token.userId, expiresAt: iso(token.expiresAt) })),
    sessions: [...org.sessions.keys()]
      .map((id) => liveSession(org, id))
      .filter((session) => session !== undefined)
      .map((session) => {
        const expiresAt = sessionExpiresAt(org, session);
        return {
          id: session.id,
          userId: session.userId,
          createdAt: iso(session.createdAt),
          lastActivity: iso(session.lastActivity),
          expiresAt: Number.isFinite(expiresAt) ? iso(expiresAt) : null,
          amr: session.amr,
        };
      }),
    apiTokens: [...org.apiTokens.values()].map((token) => ({ name: token.name, status: token.status })),
    outbox: org.outbox.map((message) => ({ ...message, at: iso(message.at) })),
  };
}

export type OktaStateView = ReturnType<typeof oktaStateView>;
