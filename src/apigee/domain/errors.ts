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

/**
 * How the management API's two dialects write one error (docs/fidelity/apigee.md#apigee-management-errors):
 * Edge `{"code","message","contexts"}` with `code` the dotted Edge code; X a Google API error whose
 * `status` is the RPC status and whose details carry the Edge code as a `PreconditionFailure` violation
 * (or, for authentication, an `ErrorInfo` reason instead).
 */
export interface ManagementErrorParts {
  /** HTTP status (both dialects unless `xStatus` says otherwise). */
  status: number;
  /** The Edge code (`developer.service.AppDoesNotExist`), also X's violation type. */
  code: string;
  message: string;
  /** X's HTTP status where it differs from Edge's. */
  xStatus?: number | undefined;
  /** X's RPC status; default: the standard one for the HTTP status. */
  rpc?: string | undefined;
  /** X's `google.rpc.ErrorInfo` reason, written instead of a violation (authentication errors). */
  reason?: string | undefined;
  /** Field problems, X's `google.rpc.BadRequest` violations (bad bodies). */
  fields?: readonly { field: string; description: string }[] | undefined;
}

/** A management API error, in terms both dialects can write. */
export class ManagementError extends ApigeeError {
  readonly parts: ManagementErrorParts;

  constructor(parts: ManagementErrorParts, detail?: string) {
    super('management', parts.status, parts.code, parts.message, detail);
    this.parts = parts;
  }
}

/** A management error of the catalogue, `{0}`, `{1}` ... filled from `args`. */
export function managementError(
  name: ManagementErrorName,
  args: readonly string[] = [],
  overrides: Partial<ManagementErrorParts> = {},
): ManagementError {
  const entry: ManagementErrorParts = MANAGEMENT_ERRORS[name];
  const message = entry.message.replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? '');
  return new ManagementError({ ...entry, message, ...overrides });
}

/** A 400 for a body, query or path value the management API refuses; nothing has changed. */
export function badManagementRequest(
  message: string,
  fields?: readonly { field: string; description: string }[],
): ManagementError {
  return managementError('InvalidRequest', [message], fields ? { fields } : {});
}

/**
 * The management API's errors, by name: the Edge code, the status, the message pattern
 * (docs/fidelity/apigee.md#apigee-management-errors). Codes marked "placeholder" were never recorded; the
 * ledger says so.
 */
export const MANAGEMENT_ERRORS = {
  DeveloperIdDoesNotExist: {
    status: 404,
    code: 'developer.service.DeveloperIdDoesNotExist',
    message: 'DeveloperId {0} does not exist in organization {1}',
  },
  DeveloperAlreadyExists: {
    status: 409,
    code: 'developer.service.DeveloperAlreadyExists',
    message: 'Developer with email {0} already exists in organization {1}',
  },
  AppDoesNotExist: {
    status: 404,
    code: 'developer.service.AppDoesNotExist',
    message: 'App named {0} does not exist under {1}',
  },
  AppAlreadyExists: {
    status: 409,
    code: 'keymanagement.service.app_already_exists',
    message: 'App with name {0} already exists',
  },
  AppIdDoesNotExist: {
    status: 404,
    code: 'keymanagement.service.app_id_not_found',
    message: 'App with id {0} does not exist',
  },
  ApiProductDoesNotExist: {
    status: 404,
    code: 'keymanagement.service.apiproduct_doesnot_exist',
    message: 'API Product [{0}] does not exist for tenant [{1}]',
  },
  ApiProductAlreadyExists: {
    status: 409,
    code: 'keymanagement.service.apiproduct_already_exists',
    message: 'API Product [{0}] already exists',
  },
  InvalidClientIdForGivenApp: {
    status: 404,
    code: 'keymanagement.service.InvalidClientIdForGivenApp',
    message: 'Invalid consumer key for Given App',
  },
  ConsumerKeyAlreadyExists: {
    status: 409,
    code: 'keymanagement.service.ConsumerKeyAlreadyExists',
    message: 'ConsumerKey already exists',
    rpc: 'ABORTED',
  },
  // Edge answers 500 and X 400; the Edge code was never recorded (placeholder).
  ApiProductNotAssociatedWithKey: {
    status: 500,
    xStatus: 400,
    code: 'keymanagement.service.ApiProductNotAssociatedWithKey',
    message: 'APIProduct is not associated with consumer key',
  },
  InvalidScopes: {
    status: 400,
    code: 'keymanagement.service.InvalidScopes',
    message: 'Invalid scopes. Scopes must be contained in [{0}]',
  },
  AppGroupDoesNotExist: {
    status: 404,
    code: 'appgroup.service.AppGroupDoesNotExist',
    message: 'AppGroup {0} does not exist in organization {1}',
  },
  AppGroupAlreadyExists: {
    status: 409,
    code: 'appgroup.service.AppGroupAlreadyExists',
    message: 'AppGroup {0} already exists in organization {1}',
  },
  AccessTokenDoesntExists: {
    status: 404,
    code: 'keymanagement.service.AccessTokenDoesntExists',
    message: 'Access Token doesnt exists',
  },
  RefreshTokenDoesntExists: {
    status: 404,
    code: 'keymanagement.service.RefreshTokenDoesntExists',
    message: 'Refresh Token doesnt exists',
  },
  ParametersMissing: {
    status: 400,
    code: 'parameters_missing',
    message: 'Either app or enduser must be given',
  },
  InvalidValueForLimitParam: {
    status: 400,
    code: 'InvalidValueForLimitParam',
    message: 'Invalid value {0} for limit',
  },
  // Placeholders: Apigee's codes for these were never recorded.
  InvalidRequest: { status: 400, code: 'keymanagement.service.InvalidRequest', message: '{0}' },
  MissingCredentials: {
    status: 401,
    code: 'security.auth.MissingCredentials',
    message:
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    reason: 'CREDENTIALS_MISSING',
  },
  InvalidCredentials: {
    status: 401,
    code: 'security.auth.InvalidCredentials',
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED',
  },
  OrganizationAccessDenied: {
    status: 403,
    code: 'security.auth.AccessDenied',
    message: "Permission denied on resource 'organizations/{0}' (or it may not exist).",
  },
  ResourceNotFound: {
    status: 404,
    code: 'management.service.ResourceNotFound',
    message: 'No resource at {0}',
  },
  MethodNotAllowed: {
    status: 405,
    code: 'management.service.MethodNotAllowed',
    message: '{0} is not allowed on {1}',
    rpc: 'METHOD_NOT_ALLOWED',
  },
  InternalError: {
    status: 500,
    code: 'management.service.InternalError',
    message: 'Internal error encountered.',
  },
} as const satisfies Record<string, ManagementErrorParts>;

export type ManagementErrorName = keyof typeof MANAGEMENT_ERRORS;

/** Whether `name` is one of the management catalogue's own names (a `vendor-error` fault may use it). */
export function isManagementErrorName(name: string): name is ManagementErrorName {
  return Object.hasOwn(MANAGEMENT_ERRORS, name);
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
