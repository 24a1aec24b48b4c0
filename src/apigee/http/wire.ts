import type { Issued } from '../domain/grants.ts';
import type { AccessToken, RefreshToken, Verification } from '../domain/model.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import type { ApiKeyVerification } from '../domain/verify-api-key.ts';

/**
 * Apigee's JSON shapes: the default GenerateAccessToken answer
 * (docs/fidelity/apigee.md#apigee-token-response: every scalar a string, `issued_at` in ms, `expires_in` in
 * seconds). The reference proxy's own answers (tokeninfo, protected paths) are ours; the management API's
 * shapes are in `management-wire.ts`.
 */

type Json = Record<string, unknown>;

/** Seconds left, as Apigee reports it: computed from remaining time, so one less than the lifetime at issue. */
function secondsLeft(org: ApigeeOrg, expiresAt: number): string {
  return String(remaining(org, expiresAt));
}

function remaining(org: ApigeeOrg, expiresAt: number): number {
  return Math.max(0, Math.floor((expiresAt - org.now() - 1) / 1000));
}

/**
 * `[A, B]`: the bracketed list Apigee writes in `api_product_list`
 * (docs/fidelity/apigee.md#apigee-token-response).
 */
function productList(products: readonly string[]): string {
  return `[${products.join(', ')}]`;
}

function developerEmail(org: ApigeeOrg, appId: string): string {
  return org.appById(appId)?.developerEmail ?? '';
}

/**
 * The GenerateAccessToken / RefreshAccessToken answer. With `<RFCCompliantRequestResponse>` (`rfcCompliant`),
 * `token_type` is `Bearer` and `expires_in` and `refresh_token_expires_in` are numbers; the other fields stay
 * (docs/fidelity/apigee.md#apigee-rfc-compliant).
 */
export function tokenBody(org: ApigeeOrg, { access, refresh }: Issued, rfcCompliant = false): Json {
  const seconds = (expiresAt: number) =>
    rfcCompliant ? remaining(org, expiresAt) : secondsLeft(org, expiresAt);
  const body: Json = {
    refresh_token_expires_in: refresh ? seconds(refresh.expiresAt) : rfcCompliant ? 0 : '0',
    ...(refresh && { refresh_token_status: refresh.status }),
    api_product_list: productList(access.apiProducts),
    api_product_list_json: [...access.apiProducts],
    organization_name: org.config.organization,
    'developer.email': developerEmail(org, access.appId),
    token_type: rfcCompliant ? 'Bearer' : 'BearerToken',
    issued_at: String(access.issuedAt),
    client_id: access.clientId,
    access_token: access.value,
    ...(refresh && { refresh_token: refresh.value, refresh_token_issued_at: String(refresh.issuedAt) }),
    application_name: access.appId,
    scope: access.scope,
    expires_in: seconds(access.expiresAt),
    refresh_count: String(access.refreshCount),
    status: access.status,
  };
  if (access.endUser !== undefined) body.app_enduser = access.endUser;
  return body;
}

/**
 * GetOAuthV2Info as the reference proxy reports it: the token's attributes, whatever its status
 * (docs/fidelity/apigee.md#apigee-tokeninfo). The token paired with it (an access token's refresh token, a
 * refresh token's access token) only when `revealPair`: the caller authenticated as a client
 * (docs/fidelity/apigee.md#apigee-tokeninfo-pair). A refresh token replaced by rotation reports `revoked`
 * and `rotated: true` (docs/fidelity/apigee.md#apigee-tokeninfo-rotated).
 */
export function tokenInfoBody(org: ApigeeOrg, token: AccessToken | RefreshToken, revealPair: boolean): Json {
  const common = {
    client_id: token.clientId,
    application_name: token.appId,
    'developer.email': developerEmail(org, token.appId),
    api_product_list: productList(token.apiProducts),
    api_product_list_json: [...token.apiProducts],
    scope: token.scope,
    ...(token.endUser !== undefined && { app_enduser: token.endUser }),
    ...(token.revokeReason && { revoke_reason: token.revokeReason }),
  };
  if ('pairedAccessToken' in token) {
    const rotated = token.supersededBy !== undefined;
    return {
      token_type: 'refresh_token',
      refresh_token: token.value,
      refresh_token_issued_at: String(token.issuedAt),
      refresh_token_expires_in: secondsLeft(org, token.expiresAt),
      refresh_token_status: rotated ? 'revoked' : token.status,
      ...(rotated && { rotated: true }),
      ...(revealPair && { access_token: token.pairedAccessToken }),
      ...common,
    };
  }
  return {
    token_type: 'access_token',
    access_token: token.value,
    format: token.format,
    issued_at: String(token.issuedAt),
    expires_in: secondsLeft(org, token.expiresAt),
    status: token.status,
    refresh_count: String(token.refreshCount),
    ...(revealPair && token.refreshToken && { refresh_token: token.refreshToken }),
    ...common,
  };
}

/** What a protected path answers once VerifyAccessToken passed (docs/fidelity/apigee.md#apigee-verify-answer). */
export function verificationBody(verification: Verification): Json {
  const { token, app, developer, products } = verification;
  return {
    client_id: token.clientId,
    developer_email: developer.email,
    app_id: app.appId,
    app_name: app.name,
    scope: token.scope,
    api_product: products[0],
    ...(token.endUser !== undefined && { end_user: token.endUser }),
  };
}

/**
 * What a path behind VerifyAPIKey answers once the key passed: the `verifyapikey.*` variables a proxy could
 * return (docs/fidelity/apigee.md#apigee-verify-api-key).
 */
export function apiKeyVerificationBody(verification: ApiKeyVerification): Json {
  const { key, app, developer, products } = verification;
  return {
    client_id: key.consumerKey,
    developer_email: developer.email,
    app_id: app.appId,
    app_name: app.name,
    api_product: products[0],
  };
}
