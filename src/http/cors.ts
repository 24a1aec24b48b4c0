import { type SimRequest, type SimResponse, simResponse } from './exchange.ts';

/**
 * CORS as Okta answers it for Trusted Origins (docs/fidelity/okta.md#okta-cors-trusted-origins), and as the
 * Apigee reference proxy answers it: the exact origin with credentials, never `*`. Patterns may use `*` for a
 * port or a host label (`http://localhost:*`, `https://*.example.com`).
 */
export function isTrustedOrigin(origin: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => patternToRegExp(pattern).test(origin));
}

const cache = new Map<string, RegExp>();

function patternToRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (!regexp) {
    // A trailing ":*" is any port or none: an origin on the scheme's default port carries no port at all.
    const anyPort = pattern.endsWith(':*');
    const source = (anyPort ? pattern.slice(0, -2) : pattern)
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[^./:]+')
      .concat(anyPort ? '(?::\\d+)?' : '');
    regexp = new RegExp(`^${source}$`, 'i');
    cache.set(pattern, regexp);
  }
  return regexp;
}

const DEFAULT_EXPOSED = 'X-Okta-Request-Id, X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Reset';

/** Headers an answer to a trusted origin carries; `expose` lists the headers a page's script may read. */
export function corsHeaders(origin: string, expose = DEFAULT_EXPOSED): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': expose,
    Vary: 'Origin',
  };
}

/** The answer to a preflight: allowed for trusted origins, no CORS headers (so the browser refuses) otherwise. */
export function preflightResponse(
  request: SimRequest,
  origin: string | undefined,
  expose = DEFAULT_EXPOSED,
): SimResponse {
  if (!origin) return simResponse(204);
  return simResponse(204, null, {
    ...corsHeaders(origin, expose),
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    // okta-auth-js sends X-Okta-User-Agent-Extended, which must be allowed
    // (docs/fidelity/okta.md#okta-request-headers).
    'Access-Control-Allow-Headers':
      request.headers.get('access-control-request-headers') ??
      'Accept, Authorization, Content-Type, X-Okta-User-Agent-Extended, X-Device-Fingerprint',
    'Access-Control-Max-Age': '3600',
  });
}
