import { isoString } from '../core/clock.ts';
import { Listing } from '../core/listing.ts';
import type { OktaOrg } from './domain/org.ts';
import { sessionExpiresAt } from './domain/org.ts';
import { liveSession } from './domain/sessions.ts';

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : isoString(ms);

/** The `okta` part of `sim.state` / `GET /__sim/state`: plain JSON, for assertions. Secrets included. */
export function oktaStateView(org: OktaOrg, listing = new Listing()) {
  const now = org.now();
  return {
    orgUrl: org.config.orgUrl,
    orgId: org.orgId,
    users: listing.list('okta.users', org.users.values(), (user) => ({
      id: user.id,
      login: user.login,
      status: user.status,
      passwordChanged: iso(user.passwordChanged),
      lastLogin: iso(user.lastLogin),
      failedPasswordAttempts: user.failedPasswordAttempts,
      failedFactorAttempts: user.failedFactorAttempts,
      factors: user.factors.map((factor) => ({
        id: factor.id,
        factorType: factor.factorType,
        provider: factor.provider,
        status: factor.status,
      })),
    })),
    groups: listing.list('okta.groups', org.groups.values(), (group) => ({
      id: group.id,
      name: group.name,
      type: group.type,
      members: [...group.members],
    })),
    transactions: listing.list(
      'okta.transactions',
      org.transactions.values(),
      (tx) => ({
        stateToken: tx.stateToken,
        status: tx.status,
        userId: tx.kind === 'user' ? tx.userId : null,
        expiresAt: iso(tx.expiresAt),
        factorId: (tx.kind === 'user' && tx.factorId) || null,
        factorResult: (tx.kind === 'user' && tx.factorResult) || null,
        passCode: (tx.kind === 'user' && tx.challenge?.passCode) || null,
      }),
      (tx) => tx.expiresAt > now,
    ),
    sessionTokens: listing.list(
      'okta.sessionTokens',
      org.sessionTokens.values(),
      (token) => ({ token: token.token, userId: token.userId, expiresAt: iso(token.expiresAt) }),
      (token) => token.expiresAt > now,
    ),
    sessions: listing.list(
      'okta.sessions',
      [...org.sessions.entries()]
        .map(([id]) => liveSession(org, id))
        .filter((session) => session !== undefined),
      (session) => {
        const expiresAt = sessionExpiresAt(org.config, session);
        return {
          id: session.id,
          userId: session.userId,
          createdAt: iso(session.createdAt),
          lastActivity: iso(session.lastActivity),
          expiresAt: Number.isFinite(expiresAt) ? iso(expiresAt) : null,
          amr: session.amr,
        };
      },
    ),
    apiTokens: listing.list('okta.apiTokens', org.apiTokens.values(), (token) => ({
      id: token.id,
      name: token.name,
      status: token.status,
      userId: token.userId ?? null,
    })),
    outbox: listing.list('okta.outbox', org.outbox.all(), (message) => ({ ...message, at: iso(message.at) })),
    apps: listing.list('okta.apps', org.oidc.apps.values(), (app) => ({
      clientId: app.clientId,
      name: app.name,
      type: app.type,
      tokenEndpointAuthMethod: app.tokenEndpointAuthMethod,
      grantTypes: app.grantTypes,
    })),
    authorizationServers: [...org.oidc.servers.values()].map((server) => ({
      id: server.id,
      audiences: server.audiences,
      scopes: server.scopes.map((scope) => scope.name),
    })),
    authorizationCodes: listing.list(
      'okta.authorizationCodes',
      org.oidc.codes.values(),
      (code) => ({
        code: code.code,
        clientId: code.clientId,
        authorizationServer: code.serverId,
        userId: code.userId,
        scopes: code.scopes,
        expiresAt: iso(code.expiresAt),
      }),
      (code) => code.expiresAt > now,
    ),
    oauthGrants: listing.list('okta.oauthGrants', org.oidc.grants.values(), (grant) => ({
      id: grant.id,
      clientId: grant.clientId,
      authorizationServer: grant.serverId,
      userId: grant.userId ?? null,
      scopes: grant.scopes,
      createdAt: iso(grant.createdAt),
      revoked: grant.revoked,
      expiresAt: Number.isFinite(grant.expiresAt) ? iso(grant.expiresAt) : null,
    })),
    refreshTokens: listing.list('okta.refreshTokens', org.oidc.refreshTokens.values(), (token) => ({
      token: token.token,
      grantId: token.grantId,
      clientId: token.clientId,
      authorizationServer: token.serverId,
      issuedAt: iso(token.issuedAt),
      lastUsedAt: iso(token.lastUsedAt),
      expiresAt: Number.isFinite(token.expiresAt) ? iso(token.expiresAt) : null,
      rotatedAt: iso(token.rotatedAt),
      successor: token.successor ?? null,
      revoked: token.revoked || org.oidc.grants.get(token.grantId)?.revoked === true,
    })),
    accessTokens: listing.list(
      'okta.accessTokens',
      org.oidc.accessTokens.values(),
      (token) => ({
        jti: token.jti,
        grantId: token.grantId,
        clientId: token.clientId,
        authorizationServer: token.serverId,
        sub: token.sub,
        userId: token.userId ?? null,
        scopes: token.scopes,
        issuedAt: iso(token.issuedAt),
        expiresAt: iso(token.expiresAt),
        refreshToken: token.refreshToken ?? null,
        revoked: token.revoked || org.oidc.grants.get(token.grantId)?.revoked === true,
      }),
      (token) => token.expiresAt > now,
    ),
  };
}

export type OktaStateView = ReturnType<typeof oktaStateView>;
