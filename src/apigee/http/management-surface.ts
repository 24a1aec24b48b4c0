import { httpDate } from '../../core/clock.ts';
import { Router } from '../../core/router.ts';
import { basicCredentials, parseAuthorization } from '../../http/credentials.ts';
import type { Surface } from '../../http/dispatcher.ts';
import { type SimResponse, simResponse } from '../../http/exchange.ts';
import type { Call, Operation } from '../../http/operation.ts';
import type { ManagementDialect } from '../domain/config.ts';
import {
  type ApigeeError,
  isManagementErrorName,
  ManagementError,
  managementError,
} from '../domain/errors.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { MANAGEMENT_OPERATIONS } from '../operations/management.ts';
import type { ManagementContext } from '../operations/management-define.ts';
import { errorResponse } from './error-response.ts';

/**
 * Apigee's management API in one dialect (docs/apigee-management.md): X (`apigee.googleapis.com`, Bearer
 * tokens, Google API errors) or Edge (`api.enterprise.apigee.com`, Basic or Bearer, `{code,message,contexts}`
 * errors, also under `/v1/o/{org}`). Both share the organization; the operations are declared once and each
 * answers in the surface's dialect.
 */
export class ApigeeManagementSurface
  implements Surface<ManagementContext, Operation<ManagementContext>, ApigeeError, undefined>
{
  readonly vendor = 'apigee' as const;
  readonly org: ManagementContext;
  readonly origin: string;
  readonly router = new Router<Operation<ManagementContext>>();
  readonly catchesUnknownPaths = false;

  constructor(apigee: ApigeeOrg, dialect: ManagementDialect, origin: string) {
    this.org = { apigee, dialect };
    this.origin = origin;
    for (const op of MANAGEMENT_OPERATIONS) {
      if (!op.dialects.includes(dialect)) continue;
      const routes = [
        { method: op.method, path: op.path },
        ...op.aliases.filter((alias) => !alias.dialects || alias.dialects.includes(dialect)),
      ];
      for (const { method, path } of routes) {
        this.router.add(method, path, op);
        // Edge accepts /v1/o/{org} as well as /v1/organizations/{org} (docs/fidelity/apigee.md#apigee-management-dialects).
        if (dialect === 'edge') this.router.add(method, path.replace('/v1/organizations/', '/v1/o/'), op);
      }
    }
  }

  /**
   * Its paths, in both dialects: `/v1/organizations/...` and `/v1/o/...` (X answers the latter with 404), so
   * that the reference proxy's `/v1/**` never takes them.
   */
  owns(path: string): boolean {
    return /^\/v1\/(organizations|o)(\/|$)/.test(path);
  }

  preflight(): SimResponse {
    return simResponse(204);
  }

  /**
   * X: a bearer token (any, or one of `apigee.managementTokens`). Edge: Basic credentials (any, or one of
   * `apigee.managementUsers`) or a bearer token. Then the organization must be the scenario's
   * (docs/fidelity/apigee.md#apigee-management-auth).
   */
  admit(call: Call<ManagementContext>): undefined {
    const { apigee, dialect } = this.org;
    const authorization = parseAuthorization(call.request.headers.get('authorization'));
    if (!authorization || authorization.value === '') {
      throw managementError('MissingCredentials', [], dialect === 'edge' ? EDGE_MESSAGES.missing : {});
    }
    if (!this.#accepts(authorization.scheme, authorization.value)) {
      throw managementError('InvalidCredentials', [], dialect === 'edge' ? EDGE_MESSAGES.invalid : {});
    }
    const org = call.params.org;
    if (org !== undefined && org !== apigee.config.organization) {
      throw managementError('OrganizationAccessDenied', [org]);
    }
    return undefined;
  }

  #accepts(scheme: string, value: string): boolean {
    const { apigee, dialect } = this.org;
    if (scheme === 'Bearer') {
      const tokens = apigee.config.managementTokens;
      return tokens.length === 0 || tokens.includes(value);
    }
    if (scheme !== 'Basic' || dialect !== 'edge') return false;
    const pair = basicCredentials(value);
    if (!pair || pair.secret === '') return false;
    const users = apigee.config.managementUsers ?? [];
    return users.length === 0 || users.some((u) => u.username === pair.id && u.password === pair.secret);
  }

  unknownPath(call: Call<ManagementContext>): ApigeeError {
    return managementError('ResourceNotFound', [call.url.pathname]);
  }

  wrongMethod(call: Call<ManagementContext>): ApigeeError {
    return managementError('MethodNotAllowed', [call.request.method, call.url.pathname]);
  }

  /** A `vendor-error` fault: a name of the management error catalogue (`AppDoesNotExist` ...). */
  injected(code: string, message: string | undefined): ApigeeError | undefined {
    if (!isManagementErrorName(code)) return undefined;
    const args = ['injected', this.org.apigee.config.organization];
    return managementError(code, args, message === undefined ? {} : { message });
  }

  ownError(thrown: unknown): ApigeeError | undefined {
    return thrown instanceof ManagementError ? thrown : undefined;
  }

  internalError(detail: string): ApigeeError {
    return new ManagementError(
      { status: 500, code: 'management.service.InternalError', message: 'Internal error encountered.' },
      detail,
    );
  }

  errorResponse(error: ApigeeError, call: Call<ManagementContext>): SimResponse {
    return errorResponse(error, {
      dialect: this.org.dialect,
      subject: call.url.pathname.replace(/^\/v1\//, ''),
      requestId: this.org.apigee.ids.digits(19),
    });
  }

  /** `Date` from the virtual clock (docs/fidelity/apigee.md#apigee-date-header). */
  finish(response: SimResponse): void {
    response.headers.set('Date', httpDate(this.org.apigee.now()));
  }
}

/**
 * Edge's authentication messages: Edge's documents record neither the codes nor the texts
 * (docs/fidelity/apigee.md#apigee-management-auth).
 */
const EDGE_MESSAGES = {
  missing: { message: 'Authentication required: HTTP Basic credentials or a Bearer token' },
  invalid: { message: 'Invalid credentials' },
} as const;
