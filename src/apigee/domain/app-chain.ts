import { type ApigeeFaultName, fault, invalidClient } from './errors.ts';
import type { App, AppKey, Developer } from './model.ts';
import type { ApigeeOrg } from './org.ts';

export interface Chain {
  app: App;
  key: AppKey;
  developer: Developer;
}

/** Why a key cannot be used now. */
export type ChainProblem = 'key_revoked' | 'key_expired' | 'app_not_approved' | 'developer_inactive';

/**
 * Why a key cannot be used now: key revoked, key expired, app revoked, developer inactive, the first that
 * holds in Apigee's own order (key, expiry, app, developer: docs/fidelity/apigee.md#apigee-status-check-order),
 * or with `quirks.statusCheckOrder: developer-first` developer, app, key, expiry. Revoking any of them never
 * touches token records; it is checked here, at use time (docs/fidelity/apigee.md#apigee-app-chain-at-use-time).
 */
export function chainProblem(org: ApigeeOrg, chain: Chain): ChainProblem | null {
  const keyProblem =
    chain.key.status !== 'approved'
      ? 'key_revoked'
      : chain.key.expiresAt !== -1 && org.now() >= chain.key.expiresAt
        ? 'key_expired'
        : null;
  const appProblem = chain.app.status !== 'approved' ? 'app_not_approved' : null;
  const developerProblem = chain.developer.status !== 'active' ? 'developer_inactive' : null;
  return org.config.quirks.statusCheckOrder === 'developer-first'
    ? (developerProblem ?? appProblem ?? keyProblem)
    : (keyProblem ?? appProblem ?? developerProblem);
}

/** The VerifyAccessToken fault of each problem (docs/fidelity/apigee.md#apigee-app-chain-faults). */
const VERIFY_FAULTS = {
  key_revoked: 'client_id_not_approved',
  key_expired: 'consumer_key_expired',
  app_not_approved: 'app_not_approved',
  developer_inactive: 'developer_inactive',
} as const satisfies Record<ChainProblem, ApigeeFaultName>;

/** The key, app and developer behind a client_id, or undefined when any is unknown. */
export function chainOf(org: ApigeeOrg, clientId: string): Chain | undefined {
  const found = org.keyOf(clientId);
  if (!found) return undefined;
  const developer = org.developer(found.app.developerEmail);
  return developer ? { app: found.app, key: found.key, developer } : undefined;
}

/**
 * The chain of a token at verification: a revoked link is a VerifyAccessToken fault
 * (docs/fidelity/apigee.md#apigee-app-chain-faults, [L]).
 */
export function verifiedChain(org: ApigeeOrg, clientId: string): Chain {
  const chain = chainOf(org, clientId);
  if (!chain) throw fault('invalid_access_token', `client ${clientId} no longer exists`);
  const problem = chainProblem(org, chain);
  if (problem) throw fault(VERIFY_FAULTS[problem], `${problem} for ${chain.app.name}`);
  return chain;
}

/**
 * Client authentication at the token endpoint: unknown client, wrong secret, or a revoked app, key or
 * developer all answer `invalid_client` (docs/fidelity/apigee.md#apigee-client-authentication; the revoked
 * cases are [L]).
 */
export function authenticatedClient(
  org: ApigeeOrg,
  clientId: string | undefined,
  clientSecret: string | undefined,
): Chain {
  if (!clientId) throw invalidClient('no client_id');
  const chain = chainOf(org, clientId);
  if (!chain) throw invalidClient(`unknown client_id ${clientId}`);
  if (clientSecret !== undefined && clientSecret !== chain.key.consumerSecret)
    throw invalidClient('wrong client_secret');
  const problem = chainProblem(org, chain);
  if (problem) throw invalidClient(`${problem} for ${chain.app.name}`);
  return chain;
}

/** The key's products approved for it, in the key's order. */
export function approvedProducts(key: AppKey): string[] {
  return key.apiProducts.filter((p) => p.status === 'approved').map((p) => p.apiproduct);
}

/**
 * The products a token issued now carries: every product of the key, whatever its status, which is judged
 * when the token is used (docs/fidelity/apigee.md#apigee-product-status-at-use); with
 * `quirks.productStatusAt: issue`, only those approved now.
 */
export function tokenProducts(org: ApigeeOrg, key: AppKey): string[] {
  return org.config.quirks.productStatusAt === 'issue'
    ? approvedProducts(key)
    : key.apiProducts.map((p) => p.apiproduct);
}
