import { fault, invalidClient } from './errors.ts';
import type { App, AppKey, Developer } from './model.ts';
import type { ApigeeOrg } from './org.ts';

export interface Chain {
  app: App;
  key: AppKey;
  developer: Developer;
}

/**
 * Why a key cannot be used now: developer inactive, app revoked, key revoked or expired. Revoking any of them
 * never touches token records; it is checked here, at use time
 * (docs/fidelity/apigee.md#apigee-app-chain-at-use-time).
 */
export function chainProblem(
  org: ApigeeOrg,
  chain: Chain,
): 'developer_inactive' | 'app_not_approved' | 'client_id_not_approved' | null {
  if (chain.developer.status !== 'active') return 'developer_inactive';
  if (chain.app.status !== 'approved') return 'app_not_approved';
  if (chain.key.status !== 'approved') return 'client_id_not_approved';
  if (chain.key.expiresAt !== -1 && org.now() >= chain.key.expiresAt) return 'client_id_not_approved';
  return null;
}

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
  if (problem) throw fault(problem, `${problem} for ${chain.app.name}`);
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
