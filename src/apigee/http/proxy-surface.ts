import { matchesPath } from '../../core/paths.ts';
import { Router } from '../../core/router.ts';
import { corsHeaders, isTrustedOrigin, preflightResponse } from '../../http/cors.ts';
import type { Surface } from '../../http/dispatcher.ts';
import type { SimResponse } from '../../http/exchange.ts';
import type { Call, Operation } from '../../http/operation.ts';
import { ApigeeError, namedError } from '../domain/errors.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { PROXY_OPERATIONS, verifyAccessTokenOperation } from '../operations/oauth.ts';
import { errorResponse } from './error-response.ts';

/**
 * Apigee's runtime as the reference proxy exposes it: the OAuth endpoints at the scenario's proxy paths,
 * and VerifyAccessToken in front of every protected path, the more specific rule first as the scenario
 * lists them. Errors are written by `error-response.ts` in the shape each one carries.
 */
export class ApigeeProxySurface implements Surface<ApigeeOrg, Operation<ApigeeOrg>, ApigeeError, undefined> {
  readonly vendor = 'apigee' as const;
  readonly org: ApigeeOrg;
  readonly router = new Router<Operation<ApigeeOrg>>();
  /** Any path can be a proxy's: on a shared origin the runtime answers what no vendor claims. */
  readonly catchesUnknownPaths = true;
  readonly #endpoints: Set<string>;
  readonly #protected: string[];

  constructor(org: ApigeeOrg) {
    this.org = org;
    const { proxy } = org.config;
    for (const op of PROXY_OPERATIONS) this.router.add(op.method, proxy[op.pathKey], op);
    this.#endpoints = new Set(PROXY_OPERATIONS.map((op) => proxy[op.pathKey]));
    this.#protected = [];
    for (const rule of proxy.protected) {
      const { path, methods, scope } =
        typeof rule === 'string' ? { path: rule, methods: undefined, scope: undefined } : rule;
      this.router.addGlob(path, methods, verifyAccessTokenOperation(scope));
      this.#protected.push(path);
    }
  }

  get origin(): string {
    return this.org.config.runtimeUrl;
  }

  owns(path: string): boolean {
    return this.#endpoints.has(path) || this.#protected.some((pattern) => matchesPath(pattern, path));
  }

  preflight(call: Call<ApigeeOrg>): SimResponse {
    return preflightResponse(call.request, this.#trustedOrigin(call));
  }

  admit(): undefined {
    return undefined;
  }

  unknownPath(call: Call<ApigeeOrg>): ApigeeError {
    return noProxy(call.url);
  }

  /** A proxy's flows are chosen by path and verb alike: another verb is no flow at all. */
  wrongMethod(call: Call<ApigeeOrg>): ApigeeError {
    return noProxy(call.url);
  }

  injected(code: string, message: string | undefined): ApigeeError | undefined {
    return namedError(code, message);
  }

  ownError(thrown: unknown): ApigeeError | undefined {
    return thrown instanceof ApigeeError ? thrown : undefined;
  }

  internalError(detail: string): ApigeeError {
    return new ApigeeError(
      'fault',
      500,
      'messaging.runtime.UnexpectedError',
      'Internal server error',
      detail,
    );
  }

  errorResponse(error: ApigeeError): SimResponse {
    return errorResponse(error);
  }

  finish(response: SimResponse, call: Call<ApigeeOrg>): void {
    const origin = this.#trustedOrigin(call);
    if (origin)
      for (const [name, value] of Object.entries(corsHeaders(origin))) response.headers.set(name, value);
  }

  #trustedOrigin(call: Call<ApigeeOrg>): string | undefined {
    const origin = call.request.headers.get('origin');
    return origin !== null && isTrustedOrigin(origin, this.org.config.proxy.cors) ? origin : undefined;
  }
}

/** Apigee's answer when no proxy serves the path (docs/fidelity/apigee.md#apigee-unknown-proxy-path). */
function noProxy(url: URL): ApigeeError {
  return new ApigeeError(
    'fault',
    404,
    'messaging.adaptors.http.flow.ApplicationNotFound',
    `Unable to identify proxy for host: ${url.host} and url: ${url.pathname}`,
    'no reference-proxy operation at this method and path',
  );
}
