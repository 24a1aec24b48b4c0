import { httpDate } from '../../core/clock.ts';
import type { Router } from '../../core/router.ts';
import type { VendorError } from '../../core/vendor-error.ts';
import { corsHeaders, isTrustedOrigin, preflightResponse } from '../../http/cors.ts';
import { AnswerHeaders, bodyText, type SimRequest, type SimResponse } from '../../http/exchange.ts';
import type { RequestDescription, VendorAnswer, VendorSurface } from '../../http/vendor-surface.ts';
import { OKTA_ERRORS, OktaError, type OktaErrorCode } from '../domain/errors.ts';
import type { OktaOrg } from '../domain/org.ts';
import { type RateReading, rateHeaders } from '../domain/rate-limits.ts';
import { json, type OktaCall } from './call.ts';
import { type OktaRoute, oktaRouter } from './routes.ts';
import { CLEAR_SID_COOKIE } from './session-routes.ts';
import { errorBody } from './wire.ts';

/**
 * The Okta org as HTTP: routes a request to its operation and wraps every answer the same way. Errors
 * become Okta's envelope here and nowhere else; every answer gets `X-Okta-Request-Id` and a `Date` from
 * the virtual clock, `/api/v1` answers get the `X-Rate-Limit-*` headers, trusted origins get CORS.
 *
 * LIMITATIONS (see docs/fidelity/okta.md): no OIDC endpoints, no Identity Engine, no activation
 * tokens, no step-up (UNAUTHENTICATED), no hardware or third-party factors.
 */
export class OktaSurface implements VendorSurface {
  readonly vendor = 'okta' as const;
  readonly org: OktaOrg;
  readonly #router: Router<OktaRoute> = oktaRouter();

  constructor(org: OktaOrg) {
    this.org = org;
  }

  get origin(): string {
    return this.org.config.orgUrl;
  }

  /** Okta's prefixes: the API, OAuth 2.0 and OIDC, discovery, the sign-in pages. */
  owns(path: string): boolean {
    return OKTA_PREFIXES.some((prefix) => path.startsWith(prefix));
  }

  readonly catchesUnknownPaths = false;

  knows(method: string, path: string): boolean {
    return method === 'OPTIONS' || this.#router.match(method, path).kind !== 'none';
  }

  describe(request: SimRequest, withPrincipal: boolean): RequestDescription {
    const match = this.#router.match(request.method, request.url.pathname);
    const operation = match.kind === 'found' ? match.value.operation : null;
    if (!withPrincipal) return { operation, principal: undefined };
    let body: { username?: unknown; stateToken?: unknown } | undefined;
    try {
      body = JSON.parse(bodyText(request) || 'null') ?? undefined;
    } catch {
      body = undefined;
    }
    if (typeof body?.username === 'string') return { operation, principal: body.username };
    const tx = typeof body?.stateToken === 'string' ? this.org.transactions.get(body.stateToken) : undefined;
    return { operation, principal: tx?.userId ? this.org.users.get(tx.userId)?.login : undefined };
  }

  injectedError(code: string): VendorError | undefined {
    if (!Object.hasOwn(OKTA_ERRORS, code)) return undefined;
    const error = new OktaError(code as OktaErrorCode, { detail: 'injected fault' });
    return code === 'E0000079'
      ? new OktaError('E0000079', { causes: [error.summary], detail: 'injected fault' })
      : error;
  }

  async handle(
    request: SimRequest,
    cookies: Readonly<Record<string, string>>,
    injected?: VendorError,
  ): Promise<VendorAnswer> {
    const { org } = this;
    const { url } = request;
    const origin = request.headers.get('origin');
    const trustedOrigin = origin !== null && isTrustedOrigin(origin, org.config.trustedOrigins);
    const api = url.pathname.startsWith('/api/v1/');
    const match = this.#router.match(request.method, url.pathname);
    const call: OktaCall = {
      request,
      url,
      params: match.kind === 'found' ? match.params : {},
      org,
      base: url.origin,
      cookies,
      headers: new AnswerHeaders(),
    };
    if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      return this.#finish(preflightResponse(request, trustedOrigin), call, 'corsPreflight');
    }
    let rate: RateReading | null = null;
    let response: SimResponse;
    let failure: OktaError | undefined;
    try {
      if (injected) throw injected;
      if (match.kind === 'none')
        throw new OktaError('E0000008', { detail: `no Okta operation at ${url.pathname}` });
      if (match.kind === 'wrong-method') {
        throw new OktaError('E0000022', { detail: `${request.method} not in ${match.allowed.join(', ')}` });
      }
      if (api) {
        rate = org.rateLimits.take(match.value.bucket ?? 'other', org.now());
        if (rate?.limited)
          throw new OktaError('E0000047', { detail: `${match.value.bucket ?? 'other'} bucket exhausted` });
        if (!acceptsJson(request.headers.get('accept'))) throw new OktaError('E0000122');
      }
      response = await match.value.handle(call);
    } catch (thrown) {
      failure = thrown instanceof OktaError ? thrown : internalError(thrown, request);
      response = json(errorBody(failure, `oae${org.ids.urlSafe(22)}`), failure.status);
      for (const [name, value] of Object.entries(failure.headers)) response.headers.set(name, value);
      if (failure.code === 'E0000005') response.headers.append('Set-Cookie', CLEAR_SID_COOKIE);
    }
    if (rate && !response.headers.has('X-Rate-Limit-Limit')) {
      for (const [name, value] of Object.entries(rateHeaders(rate))) response.headers.set(name, value);
    }
    if (trustedOrigin && (!failure || org.config.quirks.corsOnErrors)) {
      for (const [name, value] of Object.entries(corsHeaders(origin))) response.headers.set(name, value);
    }
    return this.#finish(response, call, match.kind === 'found' ? match.value.operation : null, failure);
  }

  /** The headers every Okta answer carries, and the journal notes. */
  #finish(
    response: SimResponse,
    call: OktaCall,
    operation: string | null,
    failure?: OktaError,
  ): VendorAnswer {
    const { headers } = response;
    for (const [name, value] of call.headers) headers.append(name, value);
    headers.set('X-Okta-Request-Id', this.org.ids.chars(27));
    headers.set('Date', httpDate(this.org.now()));
    return {
      response,
      operation,
      principal: call.principal,
      outcome: failure ? undefined : call.outcome,
      errorCode: failure?.code,
      detail: failure?.detail,
    };
  }
}

const OKTA_PREFIXES = ['/api/', '/oauth2/', '/.well-known/', '/login/'];

/**
 * Whether an `Accept` header admits JSON; a missing header does (docs/fidelity/okta.md#okta-accept-not-json:
 * E0000122 otherwise).
 */
function acceptsJson(accept: string | null): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = (part.split(';')[0] ?? '').trim().toLowerCase();
    return (
      type === '*/*' || type === 'application/*' || type === 'application/json' || type.endsWith('+json')
    );
  });
}

/** A bug in the simulator: a vendor-shaped 500 for the client, the cause for the developer. */
function internalError(thrown: unknown, request: SimRequest): OktaError {
  console.error(`[okta-apigee-sim] Failed to answer ${request.method} ${request.url.pathname}:`, thrown);
  return new OktaError('E0000009', { detail: thrown instanceof Error ? thrown.message : String(thrown) });
}
