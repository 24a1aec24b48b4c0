import { jsonResponse, type SimResponse } from '../../http/exchange.ts';
import type { ManagementDialect } from '../domain/config.ts';
import { type ApigeeError, ManagementError, type ManagementErrorParts } from '../domain/errors.ts';

/** The one place that writes Apigee error bodies, in the shape the error carries (docs/fidelity/apigee.md#apigee-error-shapes). */
export function errorResponse(error: ApigeeError, management?: ManagementContextOfError): SimResponse {
  switch (error.shape) {
    case 'fault':
      return jsonResponse(
        { fault: { faultstring: error.text, detail: { errorcode: error.code } } },
        error.status,
        error.headers,
      );
    case 'oauth':
      return jsonResponse({ ErrorCode: error.code, Error: error.text }, error.status, error.headers);
    case 'rfc6749':
      return jsonResponse(
        { error: error.code, ...(error.text !== undefined && { error_description: error.text }) },
        error.status,
        error.headers,
      );
    case 'management':
      return managementErrorResponse(
        error instanceof ManagementError
          ? error.parts
          : { status: error.status, code: error.code, message: error.text ?? '' },
        management ?? { dialect: 'x', subject: '', requestId: '' },
      );
  }
}

/**
 * The challenge Apigee adds to a VerifyAccessToken / VerifyJWTAccessToken 401:
 * `Bearer realm="null",error="invalid_token",error_description="<errorcode>: <faultstring>"`, without spaces
 * after the commas (docs/fidelity/apigee.md#apigee-www-authenticate); `error` is `insufficient_scope` for a 403
 * under `quirks.insufficientScopeChallenge: rfc6750`.
 */
export function bearerChallenge(error: ApigeeError, kind = 'invalid_token'): string {
  const description = `${error.code}: ${error.text ?? ''}`
    .replace(/[\\"]/g, '\\$&')
    .replace(/[^\x20-\x7e]/g, '?');
  return `Bearer realm="null",error="${kind}",error_description="${description}"`;
}

/** What a management error's body needs besides the error: the dialect, and X's subject and request id. */
export interface ManagementContextOfError {
  dialect: ManagementDialect;
  /** The resource the request named (`organizations/acme/developers/...`), X's violation subject. */
  subject: string;
  requestId: string;
}

/** The standard RPC status of an HTTP status (https://cloud.google.com/apis/design/errors). */
const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * Edge: `{"code","message","contexts":[]}`. X: a Google API error whose details carry the Edge code as a
 * `PreconditionFailure` violation first (where clients read it), field problems as `BadRequest`, and the
 * request id; authentication errors carry an `ErrorInfo` reason instead
 * (docs/fidelity/apigee.md#apigee-management-errors).
 */
function managementErrorResponse(
  parts: ManagementErrorParts,
  context: ManagementContextOfError,
): SimResponse {
  if (context.dialect === 'edge') {
    return jsonResponse({ code: parts.code, message: parts.message, contexts: [] }, parts.status);
  }
  const status = parts.xStatus ?? parts.status;
  const details: unknown[] =
    parts.reason === undefined
      ? [
          {
            '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
            violations: [{ type: parts.code, subject: context.subject, description: parts.message }],
          },
          ...(parts.fields
            ? [
                {
                  '@type': 'type.googleapis.com/google.rpc.BadRequest',
                  fieldViolations: parts.fields.map(({ field, description }) => ({ field, description })),
                },
              ]
            : []),
          { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: context.requestId },
        ]
      : [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: parts.reason,
            domain: 'googleapis.com',
            metadata: { service: 'apigee.googleapis.com' },
          },
        ];
  return jsonResponse(
    {
      error: {
        code: status,
        message: parts.message,
        status: parts.rpc ?? RPC_STATUS[status] ?? 'UNKNOWN',
        details,
      },
    },
    status,
    { 'Content-Type': 'application/json; charset=UTF-8' },
  );
}
