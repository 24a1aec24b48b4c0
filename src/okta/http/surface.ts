import { httpDate } from '../../core/clock.ts';
import { Router } from '../../core/router.ts';
import { corsHeaders, isTrustedOrigin, preflightResponse } from '../../http/cors.ts';
import type { Surface } from '../../http/dispatcher.ts';
import { jsonResponse, type SimResponse, simResponse } from '../../http/exchange.ts';
import type { Call } from '../../http/operation.ts';
import { isOktaErrorCode, OktaError } from '../domain/errors.ts';
import { OAuthError } from '../domain/oauth-errors.ts';
import type { OktaOrg } from '../domain/org.ts';
import type { RateReading } from '../domain/rate-limits.ts';
import type { OktaOperation } from '../operations/define.ts';
import { OKTA_OPERATIONS } from '../operations/index.ts';
import { oauthRateScope } from '../operations/oauth2.ts';
import { authorizeAnswer, errorPage, NO_CACHE, oauthJson } from './oauth-wire.ts';
import { errorBody } from './wire.ts';

/** An Okta answer's error: the API's envelope, or an authorization server's OAuth error. */
type OktaFailure = OktaError | OAuthError;

/** Okta clears its session cookie when it answers "Invalid session" (docs/fidelity/okta.md#okta-invalid-session). */
const CLEAR_SID_COOKIE = 'sid="";Version=1;Path=/;Max-Age=0';

/**
 * The headers Okta lets a page's script read, as its release notes list them
 * (docs/fidelity/okta.md#okta-cors-details).
 */
const EXPOSED_HEADERS =
  'Date, Link, X-Okta-Edge-Log, X-Okta-Request-Id, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset';

/** Okta's path prefixes: the API, OAuth 2.0 and OIDC, discovery, the sign-in pages. */
const OKTA_PREFIXES = ['/api/', '/oauth2/', '/.well-known/', '/login/'];

/**
 * The Okta org as HTTP. Errors become Okta's envelope here and nowhere else; every answer gets
 * `X-Okta-Request-Id` and a `Date` from the virtual clock, `/api/v1` answers the `X-Rate-Limit-*`
 * headers, trusted origins CORS.
 */
export class OktaSurface implements Surface<OktaOrg, OktaOperation, OktaFailure, RateReading> {
  readonly vendor = 'okta' as const;
  readonly org: OktaOrg;
  readonly router = new Router<OktaOperation>();
  readonly catchesUnknownPaths = false;

  constructor(org: OktaOrg) {
    this.org = org;
    for (const op of OKTA_OPERATIONS) this.router.add(op.method, op.path, op);
  }

  get origin(): string {
    return this.org.config.orgUrl;
  }

  owns(path: string): boolean {
    return OKTA_PREFIXES.some((prefix) => path.startsWith(prefix));
  }

  preflight(call: Call<OktaOrg>): SimResponse {
    const response = preflightResponse(call.request, this.#trustedOrigin(call), EXPOSED_HEADERS);
    this.#common(response);
    return response;
  }

  /**
   * Every `/api/v1` operation counts against its rate-limit bucket (429 E0000047 past it) and needs an
   * `Accept` that admits JSON (406 E0000122): docs/fidelity/okta.md#okta-rate-limit-buckets,
   * docs/fidelity/okta.md#okta-accept-not-json.
   */
  admit(call: Call<OktaOrg>, operation: OktaOperation | undefined): RateReading | undefined {
    if (!operation) return undefined;
    // An authorization server's buckets are its own; its keys and discovery take none, so never answer 429
    // (docs/fidelity/okta.md#okta-oidc-rate-limits).
    if (call.url.pathname.startsWith('/oauth2/') && operation.bucket) {
      const rate = this.org.rateLimits.take(
        operation.bucket,
        this.org.now(),
        oauthRateScope(call.url.pathname),
      );
      if (rate?.limited)
        throw new OktaError('E0000047', { detail: `${operation.bucket} bucket exhausted`, rateLimit: rate });
      return rate ?? undefined;
    }
    if (!call.url.pathname.startsWith('/api/v1/')) return undefined;
    const bucket = operation.bucket ?? 'other';
    const rate = this.org.rateLimits.take(bucket, this.org.now(), operation.rateScope?.(call)) ?? undefined;
    if (rate?.limited)
      throw new OktaError('E0000047', { detail: `${bucket} bucket exhausted`, rateLimit: rate });
    if (!acceptsJson(call.request.headers.get('accept'))) {
      throw new OktaError('E0000122', rate ? { rateLimit: rate } : {});
    }
    return rate;
  }

  unknownPath(call: Call<OktaOrg>): OktaError {
    return new OktaError('E0000008', { detail: `no Okta operation at ${call.url.pathname}` });
  }

  wrongMethod(call: Call<OktaOrg>, allowed: readonly string[]): OktaError {
    return new OktaError('E0000022', { detail: `${call.request.method} not in ${allowed.join(', ')}` });
  }

  injected(code: string): OktaError | undefined {
    if (!isOktaErrorCode(code)) return undefined;
    const error = new OktaError(code, { detail: 'injected fault' });
    return code === 'E0000079'
      ? new OktaError('E0000079', { causes: [error.summary], detail: 'injected fault' })
      : error;
  }

  ownError(thrown: unknown): OktaFailure | undefined {
    return thrown instanceof OktaError || thrown instanceof OAuthError ? thrown : undefined;
  }

  internalError(detail: string): OktaError {
    return new OktaError('E0000009', { detail });
  }

  /** The error envelope (docs/fidelity/okta.md#okta-error-envelope), with the headers the error calls for. */
  errorResponse(error: OktaFailure): SimResponse {
    if (error instanceof OAuthError) return this.#oauthErrorResponse(error);
    const response = jsonResponse(errorBody(error, `oae${this.org.ids.urlSafe(22)}`), error.status);
    if (error.rateLimit) setRateHeaders(response, error.rateLimit);
    if (error.code === 'E0000005') response.headers.append('Set-Cookie', CLEAR_SID_COOKIE);
    return response;
  }

  finish(
    response: SimResponse,
    call: Call<OktaOrg>,
    rate: RateReading | undefined,
    failure: OktaFailure | undefined,
  ): void {
    if (rate && !response.headers.has('X-Rate-Limit-Limit')) setRateHeaders(response, rate);
    const origin = this.#trustedOrigin(call);
    // docs/fidelity/okta.md#okta-cors-on-errors
    if (origin && (!failure || this.org.config.quirks.corsOnErrors)) {
      for (const [name, value] of Object.entries(corsHeaders(origin, EXPOSED_HEADERS))) {
        response.headers.set(name, value);
      }
    }
    this.#common(response);
  }

  /**
   * An authorization server's error in the shape its delivery says (docs/fidelity/okta.md#okta-oidc-errors):
   * OAuth JSON, a `WWW-Authenticate` challenge without a body, Okta's error page, a redirect to the client,
   * or the envelope with the OAuth code.
   */
  #oauthErrorResponse(error: OAuthError): SimResponse {
    const { delivery } = error;
    switch (delivery.kind) {
      case 'json':
        return oauthJson({ error: error.code, error_description: error.description }, error.status);
      case 'page':
        return errorPage(error.code, error.description, error.status);
      case 'redirect':
        return authorizeAnswer(delivery.redirectUri, delivery.responseMode, {
          error: error.code,
          error_description: error.description,
          ...(delivery.state !== undefined && { state: delivery.state }),
        });
      case 'envelope':
        return jsonResponse(
          {
            errorCode: error.code,
            errorSummary: error.description,
            errorLink: error.code,
            errorId: `oae${this.org.ids.urlSafe(22)}`,
            errorCauses: [],
          },
          error.status,
        );
      case 'challenge': {
        const quote = (value: string) => `"${value.replace(/["\\]/g, '')}"`;
        const parts =
          error.code === 'insufficient_scope'
            ? [`error=${quote(error.code)}`, `error_description=${quote(error.description)}`]
            : [
                `authorization_uri=${quote(`${delivery.issuer}/v1/authorize`)}`,
                `realm=${quote(delivery.issuer)}`,
                `scope=${quote('openid')}`,
                `error=${quote(error.code)}`,
                `error_description=${quote(error.description)}`,
                `resource=${quote(delivery.resource)}`,
              ];
        return simResponse(error.status, null, {
          'WWW-Authenticate': `Bearer ${parts.join(', ')}`,
          'Access-Control-Expose-Headers': 'WWW-Authenticate',
          ...NO_CACHE,
        });
      }
    }
  }

  /** The request id and `Date` every Okta answer carries (docs/fidelity/okta.md#okta-request-id). */
  #common(response: SimResponse): void {
    response.headers.set('X-Okta-Request-Id', this.org.ids.chars(27));
    response.headers.set('Date', httpDate(this.org.now()));
  }

  #trustedOrigin(call: Call<OktaOrg>): string | undefined {
    const origin = call.request.headers.get('origin');
    return origin !== null && isTrustedOrigin(origin, this.org.config.trustedOrigins) ? origin : undefined;
  }
}

/** The `X-Rate-Limit-*` headers of a reading (docs/fidelity/okta.md#okta-rate-limit-headers). */
function setRateHeaders(response: SimResponse, reading: RateReading): void {
  response.headers.set('X-Rate-Limit-Limit', String(reading.limit));
  response.headers.set('X-Rate-Limit-Remaining', String(reading.remaining));
  response.headers.set('X-Rate-Limit-Reset', String(reading.reset));
}

/** Whether an `Accept` header admits JSON; a missing header does (docs/fidelity/okta.md#okta-accept-not-json). */
function acceptsJson(accept: string | null): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = (part.split(';')[0] ?? '').trim().toLowerCase();
    return (
      type === '*/*' || type === 'application/*' || type === 'application/json' || type.endsWith('+json')
    );
  });
}
