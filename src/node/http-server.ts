import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES, type SimResponse } from '../http/exchange.ts';
import type { Simulator } from '../simulator.ts';

export interface HttpServerOptions {
  /** Default 4455; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, the control plane (`/__sim/...`) requires `Authorization: Bearer <controlToken>`. */
  controlToken?: string;
}

export interface RunningServer {
  /** The base URL: the Okta org URL, the Apigee runtime and management URL, all at once. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves the simulator over real HTTP (docs/server.md): one port for every vendor at its real paths, plus
 * the control plane. Built on `node:http` alone; the simulator answers through `sim.answer`.
 *
 * @example
 * const { url, close } = await startHttpServer(sim, { port: 4455 });
 */
export async function startHttpServer(
  sim: Simulator,
  options: HttpServerOptions = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    serve(sim, req, res, options.controlToken).catch((error: unknown) => {
      console.error('[okta-apigee-sim] Failed to answer a request:', error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: String(error) } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4455, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  controlToken: string | undefined,
) {
  const body = await readBody(req);
  const origin = `http://${req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`}`;
  const url = new URL(req.url ?? '/', origin);
  if (controlToken !== undefined && url.pathname.startsWith('/__sim/')) {
    if (req.headers.authorization !== `Bearer ${controlToken}`) {
      sendJson(res, 401, {
        error: { code: 'unauthorized', message: 'The control plane needs Authorization: Bearer <token>' },
      });
      return;
    }
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const method = req.method ?? 'GET';
  // A client that gives up (a `hang` fault) aborts the request, so nothing waits forever. Only a client
  // that leaves before its answer: an AbortError for every answered request would cost time.
  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  // Straight to the simulator's own request: no Web Request or Response, whose streams cost more than
  // the simulated operation (bench/http.ts measures it).
  let response: SimResponse | undefined;
  try {
    response = await sim.answer({ method, url, headers, body, signal: aborter.signal }, { anyOrigin: true });
  } catch (error) {
    if (aborter.signal.aborted) return;
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
  const outgoing: string[] = [];
  for (const [name, value] of response.headers) outgoing.push(name, value);
  res.writeHead(response.status, outgoing);
  res.end(response.body ?? undefined);
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
