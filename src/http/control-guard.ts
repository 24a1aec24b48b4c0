import { parseCookies } from './cookies.ts';
import { isTrustedOrigin } from './cors.ts';
import { jsonResponse, type SimRequest, type SimResponse, simResponse } from './exchange.ts';

/** Who may drive a served control plane (`/__sim/...`), and which browser origins may read its answers. */
export interface ControlPolicy {
  /** When set, `Authorization: Bearer <token>` admits a request whatever its Origin and Host. */
  token?: string | undefined;
  /** Browser origins besides loopback ones that may call the control plane; they also get CORS headers. */
  corsOrigins?: readonly string[] | undefined;
  /** Host names besides loopback ones (and `bindHost`) that requests may name; `.example.com` admits subdomains. */
  allowedHosts?: readonly string[] | undefined;
  /** The interface the server is bound to: a request naming it in `Host` is local by construction. */
  bindHost?: string | undefined;
  /**
   * With `token`: the value of the inspector's cookie (`CONTROL_COOKIE`), derived from the token, which
   * admits a request as the token does when its `Origin` is this server's own host, or when it is a GET or
   * HEAD without `Origin` (docs/inspector.md#the-control-token).
   */
  cookie?: string | undefined;
}

/** The cookie that `GET /__sim/ui?token=<token>` sets: what the inspector page and its stream send. */
export const CONTROL_COOKIE = 'okta_apigee_sim_control';

const LOOPBACK_ORIGINS = [
  'http://localhost:*',
  'https://localhost:*',
  'http://127.0.0.1:*',
  'https://127.0.0.1:*',
];

/**
 * The control plane's guard against other web pages. A page on any site can send a simple cross-origin
 * POST (text/plain, no preflight) and, through DNS rebinding, even read answers under a name of its own;
 * so requests that name a foreign Origin, or a Host that is not this machine, are refused with 403, as
 * Vite's `allowedHosts` does for its dev server. A valid control token admits any request.
 *
 * Returns the refusal, or `undefined` when the request may proceed.
 */
export function guardControlPlane(request: SimRequest, policy: ControlPolicy): SimResponse | undefined {
  const authorization = request.headers.get('authorization');
  if (policy.token !== undefined && authorization === `Bearer ${policy.token}`) return undefined;
  const origin = request.headers.get('origin');
  if (policy.token !== undefined && cookieAdmits(request, origin, policy)) return undefined;
  if (origin !== null && !isLocalOrigin(origin, policy) && !isOwnOrigin(origin, request)) {
    return refuse(403, 'forbidden_origin', `Origin ${origin} may not use the control plane`, [
      'start the server with --cors-origin for this origin, or send the --control-token',
    ]);
  }
  if (!isAllowedHost(request.url.hostname, policy)) {
    return refuse(403, 'forbidden_host', `Host ${request.url.host} is not this server's`, [
      'start the server with --allowed-host for this name, or send the --control-token',
    ]);
  }
  if (policy.token !== undefined) {
    return refuse(401, 'unauthorized', 'The control plane needs Authorization: Bearer <token>', [
      'in a browser, open /__sim/ui?token=<token> once: it sets a cookie for the inspector (docs/inspector.md)',
    ]);
  }
  return undefined;
}

/** CORS headers for a control-plane answer: only the `--cors-origin` origins may read it. */
export function controlCorsHeaders(request: SimRequest, policy: ControlPolicy): Record<string, string> {
  const origin = request.headers.get('origin');
  if (origin === null || !isTrustedOrigin(origin, policy.corsOrigins ?? [])) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  };
}

/** The answer to a control-plane preflight: allowed for `--cors-origin` origins, refused (no headers) otherwise. */
export function controlPreflight(request: SimRequest, policy: ControlPolicy): SimResponse {
  const cors = controlCorsHeaders(request, policy);
  if (!cors['Access-Control-Allow-Origin']) return simResponse(204);
  return simResponse(204, null, {
    ...cors,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': request.headers.get('access-control-request-headers') ?? 'Content-Type',
    'Access-Control-Max-Age': '600',
  });
}

/**
 * Whether the inspector's cookie admits the request. Browsers send cookies to every port of a host
 * (SameSite=Strict keeps them from other sites only), so a page of another local server could send a POST
 * with it: a request that may change something needs the server's own host in `Origin`, which browsers send
 * with every such request and no page can forge. A GET or HEAD changes nothing: without Origin (a
 * navigation, a same-origin fetch or event stream) the cookie admits it.
 */
function cookieAdmits(request: SimRequest, origin: string | null, policy: ControlPolicy): boolean {
  if (policy.cookie === undefined) return false;
  if (parseCookies(request.headers.get('cookie'))[CONTROL_COOKIE] !== policy.cookie) return false;
  if (origin !== null) return isOwnOrigin(origin, request);
  return request.method === 'GET' || request.method === 'HEAD';
}

/**
 * Whether `Origin` names the host the request was sent to: a page this server served (the inspector, on a
 * tenant's `<id>.localhost` too) calling it. The Host check still applies, so DNS rebinding gains nothing.
 */
function isOwnOrigin(origin: string, request: SimRequest): boolean {
  return URL.parse(origin)?.host === request.url.host;
}

function isLocalOrigin(origin: string, policy: ControlPolicy): boolean {
  return isTrustedOrigin(origin, LOOPBACK_ORIGINS) || isTrustedOrigin(origin, policy.corsOrigins ?? []);
}

function isAllowedHost(hostname: string, policy: ControlPolicy): boolean {
  const name = hostname.toLowerCase();
  if (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(name)
  )
    return true;
  if (policy.bindHost !== undefined && name === bracketed(policy.bindHost.toLowerCase())) return true;
  return (policy.allowedHosts ?? []).some((allowed) => {
    const entry = allowed.toLowerCase();
    return entry.startsWith('.')
      ? name === entry.slice(1) || name.endsWith(entry)
      : name === bracketed(entry);
  });
}

/** `::1` as URL hostnames write it: `[::1]`. */
function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function refuse(status: number, code: string, message: string, hints: string[]): SimResponse {
  return jsonResponse({ error: { code, message, ...(hints.length > 0 && { hint: hints[0] }) } }, status);
}
