import { jsonResponse, type SimResponse } from '../../http/exchange.ts';
import type { ApigeeError } from '../domain/errors.ts';

/** The one place that writes Apigee error bodies, in the shape the error carries (docs/fidelity/apigee.md#apigee-error-shapes). */
export function errorResponse(error: ApigeeError): SimResponse {
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
      return jsonResponse(
        { error: { code: error.status, message: error.text, status: error.code } },
        error.status,
        error.headers,
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
