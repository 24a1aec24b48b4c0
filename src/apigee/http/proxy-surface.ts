import { matchesPath } from '../../core/paths.ts';
import { Router } from '../../core/router.ts';
import type { VendorError } from '../../core/vendor-error.ts';
import { corsHeaders, isTrustedOrigin, preflightResponse } from '../../http/cors.ts';
import { bodyText, type SimRequest, type SimResponse } from '../../http/exchange.ts';
import type { RequestDescription, VendorAnswer, VendorSurface } from '../../http/vendor-surface.ts';
import { ApigeeError, namedError } from '../domain/errors.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { verifyAccessToken } from '../domain/verify.ts';
import { type ApigeeCall, json } from './call.ts';
import { errorResponse } from './error-response.ts';
import { type ProxyRoute, proxyRoutes } from './proxy-routes.ts';
import { verificationBody } from './wire.ts';

interface ProtectedRule {
  path: string;
  methods: string[] | undefined;
  scope: string | undefined;
}

/**
 * Apigee's runtime as the reference proxy of docs/apigee-proxy.md exposes it: the OAuth endpoints at the
 * scenario's proxy paths, and VerifyAccessToken in front of every protected path. Errors are written by
 * `error-response.ts` in the shape each one carries.
 */
export class ApigeeProxySurface implements VendorSurface {
  readonly vendor = 'apigee' as const;
  readonly org: ApigeeOrg;
  readonly #router = new Router<ProxyRoute>();
  readonly #endpoints: Set<string>;
  readonly #protected: ProtectedRule[];

  constructor(org: ApigeeOrg) {
    this.org = org;
    const routes = proxyRoutes(org.config.proxy);
    for (const route of routes) this.#router.add(route.method, route.path, route);
    this.#endpoints = new Set(routes.map((route) => route.path));
    this.#protected = org.config.proxy.protected.map((rule) =>
      typeof rule === 'string'
        ? { path: rule, methods: undefined, scope: undefined }
        : { path: rule.path, methods: rule.methods, scope: rule.scope },
    );
  }

  get origin(): string {
    return this.org.config.runtimeUrl;
  }

  owns(path: string): boolean {
    return this.#endpoints.has(path) || this.#protected.some((rule) => matchesPath(rule.path, path));
  }

  /** Any path can be a proxy's: on a shared origin the runtime answers what no vendor claims. */
  readonly catchesUnknownPaths = true;

  knows(method: string, path: string): boolean {
    if (method === 'OPTIONS') return true;
    return (
      this.#router.match(method, path).kind !== 'none' || this.#protectedRule(method, path) !== undefined
    );
  }

  describe(request: SimRequest, withPrincipal: boolean): RequestDescription {
    const { url } = request;
    const match = this.#router.match(request.method, url.pathname);
    let operation: string | null = null;
    if (match.kind === 'found') operation = match.value.operation;
    else if (match.kind === 'none' && this.#protectedRule(request.method, url.pathname))
      operation = 'verifyAccessToken';
    const isToken = operation === 'generateAccessToken';
    if (!withPrincipal && !isToken) return { operation, principal: undefined };
    const form = /^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')
      ? new URLSearchParams(bodyText(request))
      : new URLSearchParams();
    if (isToken && (form.get('grant_type') ?? url.searchParams.get('grant_type')) === 'refresh_token') {
      operation = 'refreshAccessToken';
    }
    const authorization = request.headers.get('authorization') ?? '';
    let principal = form.get('client_id') ?? url.searchParams.get('client_id') ?? undefined;
    if (authorization.startsWith('Basic ')) {
      try {
        principal = atob(authorization.slice(6).trim()).split(':')[0];
      } catch {
        principal = undefined;
      }
    } else if (authorization.startsWith('Bearer ')) {
      principal = this.org.tokens.access(authorization.slice(7).trim())?.clientId;
    }
    return { operation, principal };
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
    const origin = request.headers.get('origin');
    const trusted = origin !== null && isTrustedOrigin(origin, this.org.config.proxy.cors);
    const call: ApigeeCall = { request, url, params: {}, org: this.org };
    let operation: string | null = null;
    let response: SimResponse;
    let failure: ApigeeError | undefined;
    try {
      if (injected) throw injected;
      if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
        return { response: preflightResponse(request, trusted), operation: 'corsPreflight' };
      }
      const match = this.#router.match(request.method, url.pathname);
      if (match.kind === 'found') {
        operation = match.value.operation;
        response = await match.value.handle(call);
        if (operation === 'generateAccessToken' && call.outcome === 'refreshed')
          operation = 'refreshAccessToken';
      } else {
        const rule = match.kind === 'none' ? this.#protectedRule(request.method, url.pathname) : undefined;
        if (!rule) throw noProxy(url);
        operation = 'verifyAccessToken';
        const verification = await verifyAccessToken(this.org, {
          authorization: request.headers.get('authorization'),
          path: url.pathname,
          requiredScope: rule.scope,
        });
        call.principal = verification.token.clientId;
        call.outcome = 'verified';
        response = json(verificationBody(verification));
      }
    } catch (thrown) {
      failure = thrown instanceof ApigeeError ? thrown : internalError(thrown, request);
      response = errorResponse(failure);
    }
    if (trusted)
      for (const [name, value] of Object.entries(corsHeaders(origin))) response.headers.set(name, value);
    return {
      response,
      operation: call.operation ?? operation,
      principal: call.principal,
      outcome: failure ? undefined : call.outcome,
      errorCode: failure?.code,
      detail: failure?.detail,
    };
  }

  #protectedRule(method: string, path: string): ProtectedRule | undefined {
    return this.#protected.find(
      (rule) => matchesPath(rule.path, path) && (!rule.methods || rule.methods.includes(method)),
    );
  }
}

/** Apigee's answer when no proxy serves the path (messaging.adaptors.http.flow.ApplicationNotFound, [L]). */
function noProxy(url: URL): ApigeeError {
  return new ApigeeError(
    'fault',
    404,
    'messaging.adaptors.http.flow.ApplicationNotFound',
    `Unable to identify proxy for host: ${url.host} and url: ${url.pathname}`,
    'no reference-proxy operation at this method and path',
  );
}

/** A bug in the simulator: a vendor-shaped 500 for the client, the cause for the developer. */
export function internalError(thrown: unknown, request: SimRequest): ApigeeError {
  console.error(`[okta-apigee-sim] Failed to answer ${request.method} ${request.url.pathname}:`, thrown);
  return new ApigeeError(
    'fault',
    500,
    'messaging.runtime.UnexpectedError',
    'Internal server error',
    thrown instanceof Error ? thrown.message : String(thrown),
  );
}
