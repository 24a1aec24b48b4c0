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
