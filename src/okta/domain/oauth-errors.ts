import { VendorError } from '../../core/vendor-error.ts';

/** The OAuth 2.0 / OIDC error codes Okta's authorization servers answer (docs/fidelity/okta.md#okta-oidc-errors). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_response_type'
  | 'unsupported_response_mode'
  | 'access_denied'
  | 'login_required'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'missing_redirect_uri'
  | 'id_token_does_not_match_session';

/** Where `/authorize` sends an error once the client and its redirect URI are known. */
export type ResponseMode = 'query' | 'fragment' | 'form_post' | 'okta_post_message';

/**
 * How an OAuth error reaches the client (docs/fidelity/okta.md#okta-oidc-errors):
 * - `json`: `{"error","error_description"}` (token, introspect, revoke);
 * - `challenge`: no body, the error in `WWW-Authenticate` (userinfo);
 * - `page`: Okta's HTML error page (`/authorize` before the redirect URI is trusted, `/logout`);
 * - `redirect`: back to the client's redirect URI in its response mode, with `state`;
 * - `envelope`: Okta's `errorCode` envelope carrying the OAuth code (discovery with a bad `client_id`).
 */
export type OAuthDelivery =
  | { kind: 'json' }
  | { kind: 'challenge'; issuer: string; resource: string }
  | { kind: 'page' }
  | { kind: 'redirect'; redirectUri: string; responseMode: ResponseMode; state: string | undefined }
  | { kind: 'envelope' };

const STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
};

export interface OAuthErrorOptions {
  status?: number;
  delivery?: OAuthDelivery;
  detail?: string;
}

/**
 * An error of an Okta authorization server. Domain code throws it; the Okta surface writes it in the shape
 * its `delivery` says, and nothing else does.
 */
export class OAuthError extends VendorError {
  readonly vendor = 'okta' as const;
  readonly code: OAuthErrorCode;
  readonly status: number;
  readonly description: string;
  readonly delivery: OAuthDelivery;

  constructor(code: OAuthErrorCode, description: string, options: OAuthErrorOptions = {}) {
    super(`${code}: ${description}`, options.detail);
    this.code = code;
    this.description = description;
    this.delivery = options.delivery ?? { kind: 'json' };
    this.status = options.status ?? (this.delivery.kind === 'page' ? 400 : (STATUS[code] ?? 400));
  }

  /** The same error, delivered another way. */
  deliveredAs(delivery: OAuthDelivery): OAuthError {
    return new OAuthError(this.code, this.description, {
      delivery,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(delivery.kind === 'json' && { status: this.status }),
    });
  }
}

/** The texts of Okta's OAuth error catalogue the simulator answers (docs/fidelity/okta.md#okta-oidc-errors). */
export const OAUTH_TEXT = {
  noCredentials: 'No client credentials found.',
  clientAuthFailed: 'Client authentication failed. Either the client or the client credentials are invalid.',
  badSecret: 'The client secret supplied for a confidential client is invalid.',
  badBasic: 'Found Authentication header but was not valid client credentials.',
  multipleCredentials:
    'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
  credentialsInQuery: 'Client credentials cannot be supplied via query parameters.',
  invalidCode: 'The authorization code is invalid or has expired.',
  redirectMismatch:
    "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
  otherClient:
    "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
  otherServer: 'The grant was issued for another authorization server.',
  pkceFailed: 'PKCE verification failed.',
  pkceVerifierRequired: 'PKCE code verifier is required by the application.',
  pkceNoChallenge: 'PKCE code challenge should be specified in the authorize request for code verification.',
  pkceBrowser: 'Browser requests to the token endpoint must use Proof Key for Code Exchange.',
  browserOrigin:
    'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.',
  invalidRefresh: 'The refresh token is invalid or expired.',
  scopeExceeds:
    'The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the resource owner.',
  scopeNotConfigured: 'One or more scopes are not configured for the authorization server resource.',
  noDefaultScopes:
    "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
  openidWithClientCredentials: "Cannot request 'openid' scopes using client credentials.",
  customScopesOnOrg: 'Custom scopes are not allowed for this request.',
  orgServiceOnly:
    "Only clients with 'application_type' of 'service' may use the client_credentials 'grant_type' with the Org Authorization Server.",
  orgPrivateKeyJwt:
    'Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.',
  badCredentials: 'The credentials provided were invalid.',
  passwordExpired: 'Password has expired.',
  rateLimited: 'API call exceeded rate limit due to too many requests.',
  tokenRequired: "The 'token' parameter is required.",
  accessTokenInvalid: 'The access token is invalid.',
  accessTokenMissing: 'The access token is missing.',
  accessTokenInQuery: 'The access token cannot be presented in a query string.',
  userinfoScope:
    'The access token must provide access to at least one of these scopes - profile, email, address or phone',
  authServerInvalid: 'The authorization server id is invalid.',
  clientIdInvalid: "Invalid value for 'client_id' parameter.",
  redirectMissing: 'redirect_uri is missing.',
  stateInvalid: "The authentication request has an invalid 'state' parameter.",
  // Two periods, as Okta's catalogue writes it.
  nonceRequired:
    "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types..",
  queryWithTokens:
    "'query' response mode cannot be used with either the 'id_token' or 'token' response types.",
  openidRequired: "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.",
  pkceMethod: 'PKCE code challenge method is not supported. Valid values: [S256].',
  pkceChallengeRequired: 'PKCE code challenge is required by the application.',
  pkceChallengeChars: 'PKCE code challenge contains illegal characters.',
  promptZeroMaxAge: "'prompt' parameter must not have the value 'none' for request with 'zero' as max_age.",
  maxAgeInvalid: "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.",
  loginRequired: 'The client specified not to prompt, but the user is not logged in.',
  duplicateParameters: 'The request contained multiple parameters with the same name.',
  logoutRedirect:
    "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.",
  idTokenHintInvalid: "The 'id_token_hint' parameter is invalid.",
  idTokenHintMissing: "The 'id_token_hint' parameter is required.",
  idTokenSession: "The ID token subject does not match the current session's user.",
} as const;

/** `The required parameter '{name}' is missing.` */
export const missingParameter = (name: string): OAuthError =>
  new OAuthError('invalid_request', `The required parameter '${name}' is missing.`);
