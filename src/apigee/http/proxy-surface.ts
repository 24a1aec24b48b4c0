import { httpDate } from '../../core/clock.ts';
import { bySpecificity, matchesPath } from '../../core/paths.ts';
import { Router } from '../../core/router.ts';
import { corsHeaders, isTrustedOrigin, preflightResponse } from '../../http/cors.ts';
import type { Surface } from '../../http/dispatcher.ts';
import type { SimResponse } from '../../http/exchange.ts';
import type { Call, Operation } from '../../http/operation.ts';
import { ApigeeError, namedError } from '../domain/errors.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { PROXY_OPERATIONS, verifyAccessTokenOperation, verifyApiKeyOperation } from '../operations/oauth.ts';
import { errorResponse } from './error-response.ts';

/**
 * Apigee's runtime as the reference proxy exposes it: the OAuth endpoints at the scenario's proxy paths,
 * VerifyAccessToken in front of every protected path and VerifyAPIKey in front of every API-key path. Where
 * patterns overlap the most specific one answers, whichever list it is in (`/v1/keyed/**` before `/v1/**`,
 * docs/fidelity/apigee.md#apigee-path-specificity); equally specific ones in the order listed, protected
 * paths first. Errors are written by `error-response.ts` in the shape each one carries.
 */
export class ApigeeProxySurface implements Surface<ApigeeOrg, Operation<ApigeeOrg>, ApigeeError, undefined> {
  readonly vendor = 'apigee' as const;
  readonly org: ApigeeOrg;
  readonly router = new Router<Operation<ApigeeOrg>>();
  /** Any path can be a proxy's: on a shared origin the runtime answers what no vendor claims. */
  readonly catchesUnknownPaths = true;
  readonly #endpoints: Set<string>;
  readonly #guarded: string[];

  constructor(org: ApigeeOrg) {
    this.org = org;
    const { proxy } = org.config;
    for (const op of PROXY_OPERATIONS) this.router.add(op.method, proxy[op.pathKey], op);
    this.#endpoints = new Set(PROXY_OPERATIONS.map((op) => proxy[op.pathKey]));
    const rules = [
      ...proxy.protected.map((rule) => {
        const { path, methods, ...policy } = typeof rule === 'string' ? { path: rule } : rule;
        return { path, methods, operation: verifyAccessTokenOperation(policy) };
      }),
      ...proxy.apiKey.map((rule) => {
        const { path, methods } = typeof rule === 'string' ? { path: rule, methods: undefined } : rule;
        return { path, methods, operation: verifyApiKeyOperation() };
      }),
    ].sort((a, b) => bySpecificity(a.path, b.path));
    for (const { path, methods, operation } of rules) this.router.addGlob(path, methods, operation);
    this.#guarded = rules.map((rule) => rule.path);
  }

  get origin(): string {
    return this.org.config.runtimeUrl;
  }

  owns(path: string): boolean {
    return this.#endpoints.has(path) || this.#guarded.some((pattern) => matchesPath(pattern, path));
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

  /** CORS for trusted origins, and `Date` from the virtual clock (docs/fidelity/apigee.md#apigee-date-header). */
  finish(response: SimResponse, call: Call<ApigeeOrg>): void {
    const origin = this.#trustedOrigin(call);
    if (origin)
      for (const [name, value] of Object.entries(corsHeaders(origin))) response.headers.set(name, value);
    response.headers.set('Date', httpDate(this.org.now()));
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
