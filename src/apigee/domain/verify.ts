import { matchesPath } from '../../core/paths.ts';
import { type Chain, verifiedChain } from './app-chain.ts';
import type { VerifierKind } from './config.ts';
import { customFault, fault } from './errors.ts';
import { looksLikeJwt } from './jwt.ts';
import type { AccessToken, Verification } from './model.ts';
import type { ApigeeOrg } from './org.ts';

export interface VerifyInput {
  /** The token of `Authorization: Bearer <token>`; undefined when the header is missing, empty or another scheme. */
  bearer: string | undefined;
  path: string;
  /** VerifyAccessToken `<Scope>`: space-separated, any one of them suffices. */
  requiredScope?: string | undefined;
  /** Which policy the path runs (default `auto`: a JWT by its shape, else an opaque token). */
  verifier?: VerifierKind | undefined;
}

/**
 * VerifyAccessToken on a protected path (docs/fidelity/apigee.md#apigee-verify-faults): the bearer token must
 * exist, be unexpired and approved (expiry judged first), its app chain approved, a product of the token must
 * cover the path and be approved for the key now, and the token must carry a required scope. JWT access
 * tokens (VerifyJWTAccessToken) are checked by signature and expiry only: their revocation state is never
 * consulted (docs/fidelity/apigee.md#apigee-jwt-verify); a value that is no JWT at all is `JWTDecodingFailed`
 * (docs/fidelity/apigee.md#apigee-jwt-decoding-failed).
 */
export async function verifyAccessToken(org: ApigeeOrg, input: VerifyInput): Promise<Verification> {
  const value = input.bearer;
  if (!value) throw fault('InvalidAccessToken', 'no "Authorization: Bearer <token>" header');
  const verifier = input.verifier ?? 'auto';
  const asJwt = verifier === 'jwt' || (verifier === 'auto' && looksLikeJwt(value));
  const token = asJwt ? await jwtToken(org, value) : opaqueToken(org, value);
  const chain = verifiedChain(org, token.clientId);
  const products = coveringProducts(org, token, chain, input.path);
  if (input.requiredScope) {
    const granted = new Set(token.scope.split(' '));
    if (!input.requiredScope.split(/\s+/).some((scope) => granted.has(scope))) {
      throw fault('InsufficientScope', `token scope "${token.scope}"`, input.requiredScope);
    }
  }
  return { token, ...chain, products };
}

function opaqueToken(org: ApigeeOrg, value: string): AccessToken {
  const token = org.tokens.access(value);
  if (!token || token.format === 'jwt') throw fault('invalid_access_token', 'unknown access token');
  const now = org.now();
  if (now >= token.expiresAt) throw fault('access_token_expired');
  // Apigee X caches tokens: a revocation may go unseen for `revocationDelay`
  // (docs/fidelity/apigee.md#apigee-revocation-delay).
  const revokedAndSeen =
    token.status === 'revoked' && now >= (token.revokedAt ?? now) + org.config.tokens.revocationDelay;
  if (revokedAndSeen) throw fault('access_token_not_approved', token.revokeReason);
  return token;
}

async function jwtToken(org: ApigeeOrg, value: string): Promise<AccessToken> {
  const check = await org.signer.verify(value, Math.floor(org.now() / 1000));
  if (!check.ok && check.reason === 'expired') throw fault('access_token_expired', 'JWT exp has passed');
  if (!check.ok && check.reason === 'undecodable') throw fault('JWTDecodingFailed', 'not a decodable JWT');
  if (!check.ok) {
    throw customFault(org.config.quirks.jwtSignatureFault, 'JWT signature, type or issuer does not verify');
  }
  const stored = org.tokens.access(value);
  if (stored) return stored;
  // A valid JWT this store does not hold (issued before a reset): its claims say all there is to know.
  const { client_id: clientId, scope, iat = 0, exp = 0, sub } = check.claims;
  const found = org.keyOf(clientId);
  return {
    value,
    format: 'jwt',
    clientId,
    appId: found?.app.appId ?? '',
    grantType: 'client_credentials',
    apiProducts: found ? found.key.apiProducts.map((p) => p.apiproduct) : [],
    scope,
    endUser: sub === clientId ? undefined : sub,
    issuedAt: iat * 1000,
    expiresAt: exp * 1000,
    status: 'approved',
    revokedAt: undefined,
    revokeReason: undefined,
    refreshToken: undefined,
    lineageId: undefined,
    refreshCount: 0,
  };
}

/**
 * The token's products covering `path` that are approved for the key now. None covering it at all is
 * `apiresource_doesnot_exist`; covering but not approved (revoked or pending) is
 * `InvalidAPICallAsNoApiProductMatchFound` (docs/fidelity/apigee.md#apigee-product-checks).
 */
function coveringProducts(org: ApigeeOrg, token: AccessToken, chain: Chain, path: string): string[] {
  const covering = token.apiProducts.filter((name) =>
    org.products.get(name)?.resources.some((pattern) => matchesPath(pattern, path)),
  );
  if (covering.length === 0)
    throw fault('apiresource_doesnot_exist', `products ${token.apiProducts.join(', ')}`, path);
  const approved = covering.filter(
    (name) => chain.key.apiProducts.find((p) => p.apiproduct === name)?.status === 'approved',
  );
  if (approved.length === 0) {
    throw fault('InvalidAPICallAsNoApiProductMatchFound', `${covering.join(', ')} not approved for the key`);
  }
  return approved;
}
