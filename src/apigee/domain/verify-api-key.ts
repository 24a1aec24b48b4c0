import { matchesPath } from '../../core/paths.ts';
import { type Chain, type ChainProblem, chainOf, chainProblem } from './app-chain.ts';
import { type ApigeeFaultName, fault } from './errors.ts';
import type { ApigeeOrg } from './org.ts';

export interface ApiKeyInput {
  /** The key the request sent; undefined when it sent none. */
  apiKey: string | undefined;
  /** The flow variable the policy reads the key from, for `FailedToResolveAPIKey`. */
  variable: string;
  path: string;
}

/** What a successful VerifyAPIKey learned: the key's app, developer and the products covering the call. */
export interface ApiKeyVerification extends Chain {
  /** The key's approved products that cover the request, in the key's order. */
  products: string[];
}

/** The VerifyAPIKey fault of each problem of the key's chain (docs/fidelity/apigee.md#apigee-verify-api-key-faults). */
const API_KEY_FAULTS = {
  key_revoked: 'ApiKeyNotApproved',
  key_expired: 'consumer_key_expired',
  app_not_approved: 'app_not_approved',
  developer_inactive: 'developer_inactive',
} as const satisfies Record<ChainProblem, ApigeeFaultName>;

/**
 * VerifyAPIKey (docs/fidelity/apigee.md#apigee-verify-api-key): the key must be sent, known, approved and
 * unexpired, its app approved and its developer active (checked in that order,
 * docs/fidelity/apigee.md#apigee-status-check-order), and one of its products must cover the path and be
 * approved for the key now: a product pending or revoked for the key, or none covering the path, is
 * `InvalidApiKeyForGivenResource`. Every fault is a 401 in the default envelope.
 */
export function verifyApiKey(org: ApigeeOrg, input: ApiKeyInput): ApiKeyVerification {
  if (!input.apiKey) throw fault('FailedToResolveAPIKey', 'no API key in the request', input.variable);
  const chain = chainOf(org, input.apiKey);
  if (!chain) throw fault('InvalidApiKey', 'unknown API key');
  const problem = chainProblem(org, chain);
  if (problem) throw fault(API_KEY_FAULTS[problem], `${problem} for ${chain.app.name}`);
  const covering = chain.key.apiProducts.filter(
    (entry) =>
      org.products.get(entry.apiproduct)?.resources.some((pattern) => matchesPath(pattern, input.path)) ??
      false,
  );
  const products = covering.filter((entry) => entry.status === 'approved').map((entry) => entry.apiproduct);
  if (products.length === 0) {
    throw fault(
      'InvalidApiKeyForGivenResource',
      covering.length === 0
        ? `no product of the key covers ${input.path}`
        : `${covering.map((entry) => `${entry.apiproduct} (${entry.status})`).join(', ')} not approved for the key`,
    );
  }
  return { ...chain, products };
}
