import { Router } from '../../core/router.ts';
import type { VendorError } from '../../core/vendor-error.ts';
import type { SimRequest, SimResponse } from '../../http/exchange.ts';
import type { RequestDescription, VendorAnswer, VendorSurface } from '../../http/vendor-surface.ts';
import { ApigeeError, managementError, namedError } from '../domain/errors.ts';
import {
  findApp,
  findDeveloper,
  findKey,
  setAppStatus,
  setDeveloperStatus,
  setKeyProductStatus,
  setKeyStatus,
  statusOfAction,
} from '../domain/management.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { type ApigeeCall, empty, json } from './call.ts';
import { errorResponse } from './error-response.ts';
import { internalError } from './proxy-surface.ts';
import { appBody, developerBody, keyBody } from './wire.ts';

interface ManagementRoute {
  operation: string;
  handle(call: ApigeeCall, params: Record<string, string>): SimResponse;
}

const ORG = '/v1/organizations/:org';
const DEVELOPER = `${ORG}/developers/:developer`;
const APP = `${DEVELOPER}/apps/:app`;
const KEY = `${APP}/keys/:key`;

const p = (params: Record<string, string>, name: string) => params[name] as string;

/**
 * The management operations of docs/fidelity/apigee.md#apigee-management-actions (Apigee X names), plus the
 * reads tests need.
 */
const ROUTES: [string, string, ManagementRoute][] = [
  [
    'GET',
    `${ORG}/developers`,
    {
      operation: 'listDevelopers',
      handle: (call) =>
        json({ developer: [...call.org.developers.values()].map((d) => developerBody(call.org, d)) }),
    },
  ],
  [
    'GET',
    DEVELOPER,
    {
      operation: 'getDeveloper',
      handle: (call, a) => json(developerBody(call.org, findDeveloper(call.org, p(a, 'developer')))),
    },
  ],
  [
    'POST',
    DEVELOPER,
    {
      operation: 'setDeveloperStatus',
      handle(call, a) {
        const developer = setDeveloperStatus(
          call.org,
          p(a, 'developer'),
          call.url.searchParams.get('action'),
        );
        call.outcome = developer.status;
        return empty(204);
      },
    },
  ],
  [
    'GET',
    `${DEVELOPER}/apps`,
    {
      operation: 'listDeveloperApps',
      handle(call, a) {
        const developer = findDeveloper(call.org, p(a, 'developer'));
        const apps = [...call.org.apps.values()].filter(
          (app) => app.developerEmail.toLowerCase() === developer.email.toLowerCase(),
        );
        const expand = call.url.searchParams.get('expand') === 'true';
        return json({ app: apps.map((app) => (expand ? appBody(call.org, app) : { appId: app.appId })) });
      },
    },
  ],
  [
    'GET',
    APP,
    {
      operation: 'getDeveloperApp',
      handle: (call, a) => json(appBody(call.org, findApp(call.org, p(a, 'developer'), p(a, 'app')))),
    },
  ],
  [
    'POST',
    APP,
    {
      operation: 'setDeveloperAppStatus',
      handle(call, a) {
        const status = statusOfAction(call.url.searchParams.get('action'));
        call.outcome = setAppStatus(call.org, p(a, 'developer'), p(a, 'app'), status).status;
        return empty(204);
      },
    },
  ],
  [
    'GET',
    KEY,
    {
      operation: 'getDeveloperAppKey',
      handle: (call, a) => json(keyBody(findKey(call.org, p(a, 'developer'), p(a, 'app'), p(a, 'key')).key)),
    },
  ],
  [
    'POST',
    KEY,
    {
      operation: 'updateDeveloperAppKey',
      handle(call, a) {
        const status = statusOfAction(call.url.searchParams.get('action'));
        call.outcome = setKeyStatus(call.org, p(a, 'developer'), p(a, 'app'), p(a, 'key'), status).status;
        return empty(204);
      },
    },
  ],
  [
    'POST',
    `${KEY}/apiproducts/:product`,
    {
      operation: 'updateDeveloperAppKeyApiProduct',
      handle(call, a) {
        const status = statusOfAction(call.url.searchParams.get('action'));
        const entry = setKeyProductStatus(
          call.org,
          p(a, 'developer'),
          p(a, 'app'),
          p(a, 'key'),
          p(a, 'product'),
          status,
        );
        call.outcome = entry.status;
        return empty(204);
      },
    },
  ],
];

/**
 * Apigee's management API (`apigee.googleapis.com/v1`): approve and revoke developers, apps, keys and
 * key products, and read them back in Apigee's shapes. Errors are Google API errors.
 */
export class ApigeeManagementSurface implements VendorSurface {
  readonly vendor = 'apigee' as const;
  readonly org: ApigeeOrg;
  readonly #router = new Router<ManagementRoute>();

  constructor(org: ApigeeOrg) {
    this.org = org;
    for (const [method, path, route] of ROUTES) this.#router.add(method, path, route);
  }

  get origin(): string {
    return this.org.config.managementUrl;
  }

  owns(path: string): boolean {
    return path.startsWith('/v1/organizations/') || path === '/v1/organizations';
  }

  readonly catchesUnknownPaths = false;

  knows(method: string, path: string): boolean {
    return this.#router.match(method, path).kind !== 'none';
  }

  describe(request: SimRequest): RequestDescription {
    const match = this.#router.match(request.method, request.url.pathname);
    return { operation: match.kind === 'found' ? match.value.operation : null, principal: undefined };
  }

  injectedError(code: string, message?: string): ApigeeError | undefined {
    return namedError(code, message);
  }

  async handle(
    request: SimRequest,
    _cookies?: Readonly<Record<string, string>>,
    injected?: VendorError,
  ): Promise<VendorAnswer> {
    const { url } = request;
    const call: ApigeeCall = { request, url, params: {}, org: this.org };
    const match = this.#router.match(request.method, url.pathname);
    let response: SimResponse;
    let failure: ApigeeError | undefined;
    try {
      if (injected) throw injected;
      this.#authenticate(request.headers.get('authorization'));
      if (match.kind === 'none') throw managementError(404, 'NOT_FOUND', `No resource at ${url.pathname}`);
      if (match.kind === 'wrong-method') {
        throw managementError(
          405,
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${url.pathname}`,
        );
      }
      if (match.params.org !== this.org.config.organization) {
        throw managementError(
          403,
          'PERMISSION_DENIED',
          `Permission denied on resource "organizations/${match.params.org}" (or it may not exist).`,
        );
      }
      call.principal = match.params.app ?? match.params.developer;
      response = match.value.handle(call, match.params);
    } catch (thrown) {
      failure = thrown instanceof ApigeeError ? thrown : internalError(thrown, request);
      response = errorResponse(failure);
    }
    return {
      response,
      operation: match.kind === 'found' ? match.value.operation : null,
      principal: call.principal,
      outcome: failure ? undefined : call.outcome,
      errorCode: failure?.code,
      detail: failure?.detail,
    };
  }

  /** Any non-empty bearer token, or one of `apigee.managementTokens` when the scenario lists them. */
  #authenticate(authorization: string | null): void {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
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
  }
}
