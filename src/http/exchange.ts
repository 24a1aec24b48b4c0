/**
 * The simulator's own request and answer. Each transport converts once: `sim.fetch` (msw, `check`) from
 * and to Web Requests and Responses, the standalone server straight from and to node:http. A Web Response
 * body is a stream, and reading one costs more than the simulated operation itself, so nothing inside the
 * simulator builds them.
 */

/** Bodies above this size are refused (product.md §7); transports keep at most one byte more. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface SimRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** The body as sent, cut at MAX_BODY_BYTES + 1 bytes; empty when there is none. */
  readonly body: Uint8Array;
  /** Aborted when the client gives up: what ends a `hang` fault. */
  readonly signal?: AbortSignal | undefined;
}

export interface SimResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string | null;
  /** A `network-error` fault: no answer at all (fetch rejects, the server drops the connection). */
  readonly networkError?: boolean;
}

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

export function simResponse(status: number, body: string | null = null, headers?: HeadersInit): SimResponse {
  return { status, headers: new Headers(headers), body };
}

/** A JSON answer. */
export function jsonResponse(body: unknown, status = 200, headers?: Record<string, string>): SimResponse {
  return simResponse(status, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
}

/** The body as text (UTF-8). */
export function bodyText(request: SimRequest): string {
  return request.body.byteLength === 0 ? '' : decoder.decode(request.body);
}

/** A Web Request as the simulator reads it; the body is read here, once, up to the size limit. */
export async function fromWebRequest(request: Request, url = new URL(request.url)): Promise<SimRequest> {
  return {
    method: request.method,
    url,
    headers: request.headers,
    body: request.body ? await readCapped(request.body) : EMPTY,
    signal: request.signal,
  };
}

/** The answer as a Web Response; `Response.error()` for a network error. */
export function toWebResponse(response: SimResponse): Response {
  if (response.networkError) return Response.error();
  return new Response(response.body, { status: response.status, headers: response.headers });
}

/** Reads a stream to its end or to one byte past the limit, whichever comes first. */
async function readCapped(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    while (size <= MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (size > MAX_BODY_BYTES) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  if (chunks.length === 1) return (chunks[0] as Uint8Array).subarray(0, MAX_BODY_BYTES + 1);
  const bytes = new Uint8Array(Math.min(size, MAX_BODY_BYTES + 1));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.byteLength - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset === bytes.byteLength) break;
  }
  return bytes;
}
