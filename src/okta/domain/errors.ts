import { VendorError } from '../../core/vendor-error.ts';
import type { RateReading } from './rate-limits.ts';

/**
 * The Okta error codes the simulator emits, with their HTTP status and exact `errorSummary`
 * (docs/fidelity/okta.md#okta-error-catalogue; `{0}` is filled per error). Only codes the simulator actually
 * answers are listed.
 */
export const OKTA_ERRORS = {
  E0000001: { status: 400, summary: 'Api validation failed: {0}' },
  E0000003: { status: 400, summary: 'The request body was not well-formed.' },
  E0000004: { status: 401, summary: 'Authentication failed' },
  E0000005: { status: 403, summary: 'Invalid session' },
  E0000006: { status: 403, summary: 'You do not have permission to perform the requested action' },
  E0000007: { status: 404, summary: 'Not found: {0}' },
  E0000008: { status: 404, summary: 'The requested path was not found' },
  E0000009: { status: 500, summary: 'Internal Server Error' },
  E0000011: { status: 401, summary: 'Invalid token provided' },
  E0000014: { status: 403, summary: 'Update of credentials failed' },
  // The catalogue has two spaces after "request." (docs/fidelity/okta.md#okta-error-catalogue;
  // okta-sdk-python#400 shows the full text).
  E0000021: {
    status: 400,
    summary: 'Bad request.  Accept and/or Content-Type headers likely do not match supported values.',
  },
  E0000022: { status: 405, summary: 'The endpoint does not support the provided HTTP method' },
  E0000047: { status: 429, summary: 'API call exceeded rate limit due to too many requests.' },
  E0000068: { status: 403, summary: 'Invalid Passcode/Answer' },
  E0000079: { status: 403, summary: 'This operation is not allowed in the current authentication state.' },
  E0000080: {
    status: 403,
    summary: 'The password does not meet the complexity requirements of the current password policy.',
  },
  E0000087: { status: 403, summary: 'The recovery question answer did not match our records.' },
  E0000095: { status: 403, summary: 'Recovery not allowed for unknown user.' },
  E0000098: { status: 400, summary: 'This phone number is invalid.' },
  E0000109: {
    status: 429,
    summary: 'An SMS message was recently sent. Please wait 30 seconds before trying again.',
  },
  E0000118: {
    status: 429,
    summary: 'An email was recently sent. Please wait 5 seconds before trying again.',
  },
  E0000122: { status: 406, summary: "Accept Header did not contain supported media type 'application/json'" },
  E0000133: {
    status: 429,
    summary: 'A phone call was recently made. Please wait 30 seconds before trying again.',
  },
} as const satisfies Record<string, { status: number; summary: string }>;

export type OktaErrorCode = keyof typeof OKTA_ERRORS;

/** Whether `code` is one of the catalogue's own codes (not a name every object inherits, such as `toString`). */
export function isOktaErrorCode(code: string): code is OktaErrorCode {
  return Object.hasOwn(OKTA_ERRORS, code);
}

export interface OktaErrorOptions {
  /** `errorCauses[].errorSummary` values. */
  causes?: string[];
  /** Fills `{0}` in the summary. */
  argument?: string;
  /** Diagnostic for the request journal; never sent. */
  detail?: string;
  /** The limit a 429 reports (per-username limits answer their own window, not the bucket's). */
  rateLimit?: RateReading;
}

/** An Okta API error; the Okta surface (`okta/http/surface.ts`) is the one place that writes its envelope. */
export class OktaError extends VendorError {
  readonly vendor = 'okta' as const;
  readonly code: OktaErrorCode;
  readonly status: number;
  readonly summary: string;
  readonly causes: readonly string[];
  readonly rateLimit: RateReading | undefined;

  constructor(code: OktaErrorCode, options: OktaErrorOptions = {}) {
    const entry = OKTA_ERRORS[code];
    const summary = entry.summary.replace('{0}', options.argument ?? '');
    super(`${code} ${summary}`, options.detail);
    this.code = code;
    this.status = entry.status;
    this.summary = summary;
    this.causes = options.causes ?? [];
    this.rateLimit = options.rateLimit;
  }
}

/**
 * 401 E0000004, the same for every credential failure so that users cannot be enumerated
 * (docs/fidelity/okta.md#okta-bad-credentials).
 */
export const authenticationFailed = (detail: string): OktaError => new OktaError('E0000004', { detail });

/**
 * 401 E0000011 for a stateToken, recoveryToken or API token that is unknown, expired or used
 * (docs/fidelity/okta.md#okta-invalid-state-token).
 */
export const invalidToken = (detail: string): OktaError => new OktaError('E0000011', { detail });

/** 403 E0000079, with the sentence repeated as the only cause (docs/fidelity/okta.md#okta-wrong-state). */
export const notAllowedInState = (state: string): OktaError =>
  new OktaError('E0000079', {
    causes: [OKTA_ERRORS.E0000079.summary],
    detail: `not allowed in ${state}`,
  });

/** 404 E0000007 `Not found: Resource not found: <id> (<Type>)`. */
export const resourceNotFound = (id: string, type: string): OktaError =>
  new OktaError('E0000007', { argument: `Resource not found: ${id} (${type})` });

/** 403 E0000068 with the cause Okta gives for the kind of secret that failed. */
export const invalidPasscode = (kind: 'passcode' | 'answer' | 'token'): OktaError =>
  new OktaError('E0000068', { causes: [`Your ${kind} doesn't match our records. Please try again.`] });

/** 400 E0000001 `Api validation failed: <what>`. */
export const validationFailed = (what: string, causes: string[]): OktaError =>
  new OktaError('E0000001', { argument: what, causes });

/**
 * 403 E0000005 `Invalid session`; the answer also clears the `sid` cookie
 * (docs/fidelity/okta.md#okta-invalid-session).
 */
export const invalidSession = (detail: string): OktaError => new OktaError('E0000005', { detail });
