import { isoString } from '../core/clock.ts';
import { Listing } from '../core/listing.ts';
import type { AccessToken, RefreshToken } from './domain/model.ts';
import type { ApigeeOrg } from './domain/org.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined || ms < 0 ? null : isoString(ms));

/** A token as `sim.state` shows it: what the rules act on, with times in ISO. */
export function tokenView(token: AccessToken | RefreshToken) {
  const refresh = 'pairedAccessToken' in token;
  return {
    kind: refresh ? ('refresh' as const) : ('access' as const),
    value: token.value,
    format: refresh ? ('opaque' as const) : token.format,
    clientId: token.clientId,
    appId: token.appId,
    endUser: token.endUser ?? null,
    scope: token.scope,
    status: token.status,
    revokeReason: token.revokeReason ?? null,
    issuedAt: iso(token.issuedAt),
    expiresAt: iso(token.expiresAt),
    lineageId: token.lineageId ?? null,
    pairedWith: refresh ? token.pairedAccessToken : (token.refreshToken ?? null),
    grantType: token.grantType,
    revokedAt: iso(token.revokedAt),
    /** Access tokens: how many refreshes of the lineage came before this token (0: the first grant). */
    refreshCount: refresh ? null : token.refreshCount,
    /** Refresh tokens: the refresh token that replaced this one when it was used (rotation). */
    supersededBy: refresh ? (token.supersededBy ?? null) : null,
  };
}

/** The `apigee` part of `sim.state` / `GET /__sim/state`. */
export function apigeeStateView(org: ApigeeOrg, listing = new Listing()) {
  return {
    organization: org.config.organization,
    runtimeUrl: org.config.runtimeUrl,
    managementUrl: org.config.managementUrl,
    developers: listing.list('apigee.developers', org.developers.values(), (d) => ({
      email: d.email,
      developerId: d.developerId,
      status: d.status,
    })),
    products: listing.list('apigee.products', org.products.values(), (p) => ({
      name: p.name,
      approvalType: p.approvalType,
      scopes: [...p.scopes],
      resources: [...p.resources],
    })),
    appGroups: listing.list('apigee.appGroups', org.appGroups.values(), (g) => ({
      name: g.name,
      status: g.status,
    })),
    apps: listing.list('apigee.apps', org.apps.values(), (app) => ({
      name: app.name,
      appId: app.appId,
      developer: app.developerEmail,
      ...(app.appGroup !== undefined && { appGroup: app.appGroup }),
      status: app.status,
      tokenFormat: app.tokenFormat,
      keys: app.credentials.map((key) => ({
        consumerKey: key.consumerKey,
        consumerSecret: key.consumerSecret,
        status: key.status,
        expiresAt: iso(key.expiresAt),
        products: key.apiProducts.map((p) => ({ name: p.apiproduct, status: p.status })),
      })),
    })),
    tokens: listing.list('apigee.tokens', allTokens(org), tokenView),
  };
}

export type ApigeeStateView = ReturnType<typeof apigeeStateView>;
export type TokenView = ReturnType<typeof tokenView>;

function* allTokens(org: ApigeeOrg): Iterable<AccessToken | RefreshToken> {
  yield* org.tokens.allAccess();
  yield* org.tokens.allRefresh();
}
