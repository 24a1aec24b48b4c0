import { httpDate } from '../../core/clock.ts';
import { Router } from '../../core/router.ts';
import type { Surface } from '../../http/dispatcher.ts';
import { type SimResponse, simResponse } from '../../http/exchange.ts';
import type { Call, Operation } from '../../http/operation.ts';
import { ApigeeError, managementError, namedError } from '../domain/errors.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { MANAGEMENT_OPERATIONS } from '../operations/management.ts';
import { errorResponse } from './error-response.ts';
import { bearerOf } from './request.ts';

/**
 * Apigee's management API (`apigee.googleapis.com/v1`). Errors are Google API errors
 * (docs/fidelity/apigee.md#apigee-management-errors); every request needs a bearer token.
 */
export class ApigeeManagementSurface
  implements Surface<ApigeeOrg, Operation<ApigeeOrg>, ApigeeError, undefined>
{
  readonly vendor = 'apigee' as const;
  readonly org: ApigeeOrg;
  readonly router = new Router<Operation<ApigeeOrg>>();
  readonly catchesUnknownPaths = false;

  constructor(org: ApigeeOrg) {
    this.org = org;
    for (const op of MANAGEMENT_OPERATIONS) this.router.add(op.method, op.path, op);
  }

  get origin(): string {
    return this.org.config.managementUrl;
  }

  owns(path: string): boolean {
    return path.startsWith('/v1/organizations/') || path === '/v1/organizations';
  }

  preflight(): SimResponse {
    return simResponse(204);
  }

  /**
   * Any non-empty bearer token, or one of `apigee.managementTokens` when the scenario lists them; then
   * the organization must be the scenario's.
   */
  admit(call: Call<ApigeeOrg>): undefined {
    const token = bearerOf(call.request);
    if (!token) {
      throw managementError(
        401,
        'UNAUTHENTICATED',
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const allowed = this.org.config.managementTokens;
    if (allowed.length > 0 && !allowed.includes(token)) {
      throw managementError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const org = call.params.org;
    if (org !== undefined && org !== this.org.config.organization) {
      throw managementError(
        403,
        'PERMISSION_DENIED',
        `Permission denied on resource "organizations/${org}" (or it may not exist).`,
      );
    }
    return undefined;
  }

  unknownPath(call: Call<ApigeeOrg>): ApigeeError {
    return managementError(404, 'NOT_FOUND', `No resource at ${call.url.pathname}`);
  }

  wrongMethod(call: Call<ApigeeOrg>): ApigeeError {
    return managementError(
      405,
      'METHOD_NOT_ALLOWED',
      `${call.request.method} is not allowed on ${call.url.pathname}`,
    );
  }

  injected(code: string, message: string | undefined): ApigeeError | undefined {
    return namedError(code, message);
  }

  ownError(thrown: unknown): ApigeeError | undefined {
    return thrown instanceof ApigeeError ? thrown : undefined;
  }

  internalError(detail: string): ApigeeError {
    return new ApigeeError('management', 500, 'INTERNAL', 'Internal error encountered.', detail);
  }

  errorResponse(error: ApigeeError): SimResponse {
    return errorResponse(error);
  }

  /** `Date` from the virtual clock (docs/fidelity/apigee.md#apigee-date-header). */
  finish(response: SimResponse): void {
    response.headers.set('Date', httpDate(this.org.now()));
  }
}
