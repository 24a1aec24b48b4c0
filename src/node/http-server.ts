import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ControlPolicy,
  controlCorsHeaders,
  controlPreflight,
  guardControlPlane,
} from '../http/control-guard.ts';
import { MAX_BODY_BYTES, type SimRequest, type SimResponse } from '../http/exchange.ts';
import type { SimulatorCore } from '../simulator.ts';
import { controlCookieValue, Inspector, isInspectorPath, stateChanged } from './inspector.ts';
import { RequestHeaders } from './request-headers.ts';
import { type TenantOptions, TenantRegistry, type Tenants } from './tenants.ts';

export interface HttpServerOptions {
  /** Default 4455; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, the control plane (`/__sim/...`) requires `Authorization: Bearer <controlToken>`. */
  controlToken?: string;
  /**
   * Browser origins (besides loopback ones) allowed to call the control plane, and the only ones that get
   * CORS headers from it; `*` matches a port or a host label (`http://localhost:*`).
   */
  corsOrigins?: readonly string[];
  /** Host names (besides loopback and `host`) the control plane answers to; `.example.com` admits subdomains. */
  allowedHosts?: readonly string[];
  /** Serve https with this certificate and key (PEM), e.g. from `serve --https`; the URL says `https:`. */
  tls?: { cert: string; key: string };
  /**
   * Tenants: isolated simulators made with `POST /__sim/tenants`, each on its own port and on this one by
   * Host `<id>.localhost` (docs/tenants.md); their pool, limits and default ttl. `false` turns them off.
   */
  tenants?: TenantOptions | false;
}

export interface RunningServer {
  /** The base URL: the Okta org URL, the Apigee runtime and management URL, all at once. */
  url: string;
  port: number;
  server: Server;
  /** The server's tenants (docs/tenants.md); `undefined` with `tenants: false`. */
  tenants: Tenants | undefined;
  close(): Promise<void>;
  /** `await using server = await startHttpServer(sim)` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves the simulator over real HTTP (docs/server.md): one port for every vendor at its real paths, plus
 * the control plane. Built on `node:http` alone; the simulator answers through `sim.answer`.
 *
 * @example
 * const { url, close } = await startHttpServer(sim, { port: 4455 });
 */
export async function startHttpServer(
  sim: SimulatorCore,
  options: HttpServerOptions = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const policy: ControlPolicy = {
    token: options.controlToken,
    corsOrigins: options.corsOrigins,
    allowedHosts: options.allowedHosts,
    bindHost: host,
    cookie: options.controlToken === undefined ? undefined : controlCookieValue(options.controlToken),
  };
  const inspector = new Inspector(policy, { secure: Boolean(options.tls) });
  const tenants =
    options.tenants === false
      ? undefined
      : new TenantRegistry(sim, options.tenants ?? {}, (tenant) =>
          startHttpServer(tenant, { ...options, port: 0, tenants: false }),
        );
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    serve(sim, req, res, policy, tenants, inspector).catch((error: unknown) => {
      console.error('[okta-apigee-sim] Failed to answer a request:', error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: String(error) } });
      else res.destroy();
    });
  };
  // node:https (and tls under it) only for https: loading them costs a plain `serve` some 10 ms of start-up.
  const server: Server = options.tls
    ? (await import('node:https')).createServer(options.tls, listener)
    : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4455, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await tenants?.start(url).catch(async (error: unknown) => {
    await tenants.close();
    server.close();
    throw error;
  });
  const close = async () => {
    inspector.close();
    await tenants?.close();
    await new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return { url, port, server, tenants, close, [Symbol.asyncDispose]: close };
}

async function serve(
  sim: SimulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
  policy: ControlPolicy,
  tenants: TenantRegistry | undefined,
  inspector: Inspector,
) {
  const body = await readBody(req);
  const url = requestUrl(req);
  if (!url) {
    sendJson(res, 400, { error: { code: 'bad_request', message: 'Invalid Host header or request target' } });
    return;
  }
  const headers = new RequestHeaders(req.rawHeaders);
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/__sim/')) {
    const request = { method, url, headers, body };
    if (method === 'OPTIONS' && headers.has('access-control-request-method')) {
      send(res, controlPreflight(request, policy));
      return;
    }
    if (isInspectorPath(url.pathname)) {
      // The inspector's page and event stream (docs/inspector.md): guarded there, for the simulator named
      // by the port or by a tenant's Host; a stream on a tenant's Host ends with the tenant.
      const target = tenants?.answererFor(url) ?? sim;
      const tenantId = target === sim ? undefined : url.hostname.slice(0, -'.localhost'.length);
      await inspector.serve(request, res, target, () => !tenantId || tenants?.get(tenantId) === target);
      return;
    }
    const refusal = guardControlPlane(request, policy);
    if (refusal) {
      send(res, refusal, controlCorsHeaders(request, policy));
      return;
    }
  }
  // Straight to the simulator's own request: no Web Request or Response, whose streams cost more than
  // the simulated operation (bench/http.ts measures it).
  const request = new ServerRequest(method, url, headers, body, res);
  let response: SimResponse | undefined;
  // A tenant's Host, or the tenants API: the tenants module answers (docs/tenants.md).
  const answerer = tenants?.answererFor(url) ?? sim;
  try {
    response = await answerer.answer(request, ANY_ORIGIN);
  } catch (error) {
    if (request.aborted) return;
    throw error;
  }
  if (response?.networkError) {
    // A `network-error` fault: drop the connection without an answer.
    req.socket.destroy();
    return;
  }
  if (!response) {
    sendJson(res, 404, {
      error: {
        code: 'not_found',
        message: `No simulated vendor answers ${method} ${url.pathname}`,
        hint: 'Okta: /api/v1/..., control plane: /__sim/health, /__sim/state, /__sim/clock, /__sim/requests',
      },
    });
    return;
  }
  // The inspector's streams refetch after a control-plane request that may have changed something.
  if (url.pathname.startsWith('/__sim/') && method !== 'GET' && method !== 'HEAD') stateChanged(answerer);
  send(
    res,
    response,
    url.pathname.startsWith('/__sim/')
      ? controlCorsHeaders({ method, url, headers, body }, policy)
      : undefined,
  );
}

const ANY_ORIGIN = { anyOrigin: true } as const;

/**
 * A request of the server as the simulator reads it. Its `signal` aborts when the client gives up (what
 * ends a `hang` fault, so that nothing waits forever), and is made only when something asks for it: an
 * AbortController and a close listener for every request cost more than a VerifyAccessToken.
 */
class ServerRequest implements SimRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: RequestHeaders;
  readonly body: Uint8Array;
  readonly #res: ServerResponse;
  #aborter: AbortController | undefined;

  constructor(method: string, url: URL, headers: RequestHeaders, body: Uint8Array, res: ServerResponse) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.body = body;
    this.#res = res;
  }

  get signal(): AbortSignal {
    if (!this.#aborter) {
      const aborter = new AbortController();
      this.#aborter = aborter;
      const res = this.#res;
      // Only a client that leaves before its answer: an AbortError for every answered request would cost time.
      if (res.closed) {
        if (!res.writableFinished) aborter.abort();
      } else {
        res.on('close', () => {
          if (!res.writableFinished) aborter.abort();
        });
      }
    }
    return this.#aborter.signal;
  }

  /** Whether the client left before its answer and something was waiting on `signal`. */
  get aborted(): boolean {
    return this.#aborter?.signal.aborted ?? false;
  }
}

/**
 * The request's URL from its target and `Host`; `undefined` when they do not make one (a Host with a
 * space, an unclosed `[`, a port over 65535 ...). A missing or empty Host names the local socket.
 */
function requestUrl(req: IncomingMessage): URL | undefined {
  const host =
    req.headers.host || `${hostForUrl(req.socket.localAddress ?? '127.0.0.1')}:${req.socket.localPort}`;
  const base = baseUrl(host);
  return base ? (URL.parse(req.url ?? '/', base) ?? undefined) : undefined;
}

/** `http://<host>` of the Host values seen lately: checking and parsing one costs as much as the target. */
const bases = new Map<string, URL | null>();

function baseUrl(host: string): URL | undefined {
  let base = bases.get(host);
  if (base === undefined) {
    const parsed = /[\s/\\?#@]/.test(host) ? null : URL.parse(`http://${host}`);
    base = parsed?.pathname === '/' ? parsed : null;
    if (bases.size >= 64) bases.clear();
    bases.set(host, base);
  }
  return base ?? undefined;
}

function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function send(res: ServerResponse, response: SimResponse, extra?: Record<string, string>): void {
  const outgoing: string[] = [];
  for (const [name, value] of response.headers) outgoing.push(name, value);
  if (extra) for (const [name, value] of Object.entries(extra)) outgoing.push(name, value);
  res.writeHead(response.status, outgoing);
  res.end(response.bytes ?? response.body ?? undefined);
}

/** The request body, at most one byte over the limit: enough for the vendor to refuse it as too large. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES + 1)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
