import { VendorError } from '../../core/vendor-error.ts';

/**
 * Apigee answers errors in three shapes (docs/fidelity/apigee.md#apigee-error-shapes), plus the Google API
 * error of the management plane and the RFC 6749 body of the RFC 7009 endpoint. Each catalogue entry names
 * its shape; the only place that writes bodies is `apigee/http/error-response.ts`.
 */
export type ApigeeErrorShape = 'fault' | 'oauth' | 'rfc6749' | 'management';

/**
 * Policy faults in the default envelope `{"fault":{"faultstring","detail":{"errorcode"}}}`
 * (docs/fidelity/apigee.md#apigee-policy-faults).
 */
export const APIGEE_FAULTS = {
  InvalidAccessToken: {
    status: 401,
    errorcode: 'oauth.v2.InvalidAccessToken',
    faultstring: 'Invalid access token',
  },
  invalid_access_token: {
    status: 401,
    errorcode: 'keymanagement.service.invalid_access_token',
    faultstring: 'Invalid Access Token',
  },
  access_token_expired: {
    status: 401,
    errorcode: 'keymanagement.service.access_token_expired',
    faultstring: 'Access Token expired',
  },
  access_token_not_approved: {
    status: 401,
    errorcode: 'keymanagement.service.access_token_not_approved',
    faultstring: 'Access Token not approved',
  },
  refresh_token_expired: {
    status: 401,
    errorcode: 'keymanagement.service.refresh_token_expired',
    faultstring: 'Refresh Token expired',
  },
  apiresource_doesnot_exist: {
    status: 401,
    errorcode: 'keymanagement.service.apiresource_doesnot_exist',
    faultstring: 'APIResource {0} does not exist',
  },
  InvalidAPICallAsNoApiProductMatchFound: {
    status: 401,
    errorcode: 'keymanagement.service.InvalidAPICallAsNoApiProductMatchFound',
    faultstring: 'Invalid API call as no apiproduct match found',
  },
  InsufficientScope: {
    status: 403,
    errorcode: 'steps.oauth.v2.InsufficientScope',
    faultstring: 'Required scope(s) : {0}',
  },
  // The app-chain faults of VerifyAccessToken are unconfirmed
  // (docs/fidelity/apigee.md#apigee-app-chain-faults, [L]): VerifyAPIKey's codes.
  app_not_approved: {
    status: 401,
    errorcode: 'keymanagement.service.invalid_client-app_not_approved',
    faultstring: 'App not Approved',
  },
  client_id_not_approved: {
    status: 401,
    errorcode: 'keymanagement.service.invalid_client-client_id_not_approved',
    faultstring: 'Client Id not Approved',
  },
  developer_inactive: {
    status: 401,
    errorcode: 'keymanagement.service.DeveloperStatusNotActive',
    faultstring: 'Developer Status not Active',
  },
  // An expired key, at VerifyAccessToken and VerifyAPIKey (docs/fidelity/apigee.md#apigee-key-expired).
  consumer_key_expired: {
    status: 401,
    errorcode: 'keymanagement.service.consumer_key_expired',
    faultstring: 'Key Expired',
  },
  // VerifyJWTAccessToken on a value that is not a JWT (docs/fidelity/apigee.md#apigee-jwt-decoding-failed).
  JWTDecodingFailed: {
    status: 401,
    errorcode: 'oauth.v2.JWTDecodingFailed',
    faultstring: 'JWT Access token decoding failed',
  },
  // VerifyAPIKey (docs/fidelity/apigee.md#apigee-verify-api-key-faults).
  FailedToResolveAPIKey: {
    status: 401,
    errorcode: 'oauth.v2.FailedToResolveAPIKey',
    faultstring: 'Failed to resolve API Key variable {0}',
  },
  InvalidApiKey: {
    status: 401,
    errorcode: 'oauth.v2.InvalidApiKey',
    faultstring: 'Invalid ApiKey',
  },
  ApiKeyNotApproved: {
    status: 401,
    errorcode: 'oauth.v2.ApiKeyNotApproved',
    faultstring: 'ApiKey not approved',
  },
  InvalidApiKeyForGivenResource: {
    status: 401,
    errorcode: 'oauth.v2.InvalidApiKeyForGivenResource',
    faultstring: 'Invalid ApiKey for given resource',
  },
  // RevokeOAuthV2 (docs/fidelity/apigee.md#apigee-revoke-oauth-v2-faults): names confirmed, statuses are what
  // the devrel proxy maps them to.
  EmptyAppAndEndUserId: {
    status: 400,
    errorcode: 'steps.oauth.v2.EmptyAppAndEndUserId',
    faultstring: 'Both AppId and EndUserId are empty',
  },
  app_id_not_found: {
    status: 400,
    errorcode: 'steps.oauth.v2.app_id_not_found',
    faultstring: 'AppId {0} not found',
  },
} as const satisfies Record<string, { status: number; errorcode: string; faultstring: string }>;

export type ApigeeFaultName = keyof typeof APIGEE_FAULTS;

/** Whether `name` is one of the catalogue's own fault names (not `toString` and the like). */
export function isApigeeFaultName(name: string): name is ApigeeFaultName {
  return Object.hasOwn(APIGEE_FAULTS, name);
}

export class ApigeeError extends VendorError {
  readonly vendor = 'apigee' as const;
  readonly shape: ApigeeErrorShape;
  readonly status: number;
  /** fault: the errorcode; oauth/rfc6749: the error code; management: the Google status. */
  readonly code: string;
  /** fault: faultstring; oauth: Error; rfc6749: error_description; management: message. */
  readonly text: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    shape: ApigeeErrorShape,
    status: number,
    code: string,
    text: string | undefined,
    detail?: string,
    headers: Record<string, string> = {},
  ) {
    super(`${status} ${code}${text ? ` ${text}` : ''}`, detail);
    this.shape = shape;
    this.status = status;
    this.code = code;
    this.text = text;
    this.headers = headers;
  }

  /** The same error with `headers` added (a challenge on a VerifyAccessToken fault). */
  withHeaders(headers: Record<string, string>): ApigeeError {
    return new ApigeeError(this.shape, this.status, this.code, this.text, this.detail, {
      ...this.headers,
      ...headers,
    });
  }

  /**
   * A token-endpoint error `{"ErrorCode","Error"}` as RFC 6749 §5.2 writes it, `{"error","error_description"}`
   * (docs/fidelity/apigee.md#apigee-rfc-compliant); other shapes stay as they are.
   */
  asRfc6749(): ApigeeError {
    if (this.shape !== 'oauth') return this;
    return new ApigeeError('rfc6749', this.status, this.code, this.text, this.detail, { ...this.headers });
  }
}

/** A policy fault from the catalogue; `argument` fills `{0}`. */
export function fault(name: ApigeeFaultName, detail?: string, argument = ''): ApigeeError {
  const entry = APIGEE_FAULTS[name];
  return new ApigeeError(
    'fault',
    entry.status,
    entry.errorcode,
    entry.faultstring.replace('{0}', argument),
    detail,
  );
}

/** A fault with explicit parts (the configurable JWT refusal). */
export function customFault(
  entry: { status: number; errorcode: string; faultstring: string },
  detail?: string,
): ApigeeError {
  return new ApigeeError('fault', entry.status, entry.errorcode, entry.faultstring, detail);
}

/** Token-endpoint errors `{"ErrorCode","Error"}` (docs/fidelity/apigee.md#apigee-token-errors). */
export function oauthError(
  status: 400 | 401,
  errorCode: string,
  message: string,
  detail?: string,
): ApigeeError {
  return new ApigeeError('oauth', status, errorCode, message, detail);
}

export const invalidRequest = (message: string, detail?: string): ApigeeError =>
  oauthError(400, 'invalid_request', message, detail);

/**
 * 401 `{"ErrorCode":"invalid_client","Error":"ClientId is Invalid"}`
 * (docs/fidelity/apigee.md#apigee-client-authentication).
 */
export const invalidClient = (detail: string): ApigeeError =>
  oauthError(401, 'invalid_client', 'ClientId is Invalid', detail);

/** RFC 6749 §5.2 errors of the RFC 7009 endpoint (docs/fidelity/apigee.md#apigee-rfc7009-errors). */
export function rfc6749Error(
  status: number,
  error: string,
  description?: string,
  detail?: string,
): ApigeeError {
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Basic realm="oauth"' } : {};
  return new ApigeeError('rfc6749', status, error, description, detail, headers);
}

/** Google API errors of the management plane: `{"error":{"code","message","status"}}`. */
export function managementError(status: number, googleStatus: string, message: string): ApigeeError {
  return new ApigeeError('management', status, googleStatus, message);
}

/** The error a `vendor-error` fault names: a policy fault, or an OAuth code of the token endpoint. */
export function namedError(code: string, message?: string): ApigeeError | undefined {
  if (isApigeeFaultName(code)) return fault(code, 'injected fault');
  if (code === 'invalid_client') return invalidClient('injected fault');
  if (code === 'invalid_request' || code === 'invalid_scope') {
    return oauthError(
      400,
      code,
      message ?? (code === 'invalid_scope' ? 'Invalid scope' : 'Invalid request'),
      'injected fault',
    );
  }
  return undefined;
}
