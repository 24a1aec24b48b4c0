/**
 * The simulator's own request and answer. Each transport converts once: `sim.fetch` (msw, `check`) from
 * and to Web Requests and Responses, the standalone server straight from and to node:http. A Web Response
 * body is a stream, and reading one costs more than the simulated operation itself, so nothing inside the
 * simulator builds them.
 */

/** Bodies above this size are refused (docs/errors.md); transports keep at most one byte more. */
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
  readonly headers: AnswerHeaders;
  readonly body: string | null;
  /** A binary answer (an image): sent instead of `body`. */
  readonly bytes?: Uint8Array<ArrayBuffer> | undefined;
  /** A `network-error` fault: no answer at all (fetch rejects, the server drops the connection). */
  readonly networkError?: boolean;
}

/**
 * The headers of an answer, in the order set, names matched without regard to case. A plain list rather
 * than a fetch `Headers`, which cost more to build and read than a VerifyAccessToken (bench/http.ts).
 * Every `append` is its own header line, as `Set-Cookie` needs.
 */
export class AnswerHeaders implements Iterable<[string, string]> {
  readonly #entries: [string, string][] = [];

  constructor(init?: Record<string, string> | Iterable<[string, string]>) {
    if (!init) return;
    if (Symbol.iterator in init) for (const [name, value] of init) this.append(name, value);
    else for (const [name, value] of Object.entries(init)) this.append(name, value);
  }

  get(name: string): string | null {
    const lower = name.toLowerCase();
    return this.#entries.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Replaces every line of `name`. */
  set(name: string, value: string): this {
    this.delete(name);
    return this.append(name, value);
  }

  append(name: string, value: string): this {
    this.#entries.push([name, value]);
    return this;
  }

  delete(name: string): void {
    const lower = name.toLowerCase();
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      if (this.#entries[i]![0].toLowerCase() === lower) this.#entries.splice(i, 1);
    }
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.#entries[Symbol.iterator]();
  }
}

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

export function simResponse(
  status: number,
  body: string | null = null,
  headers?: Record<string, string> | Iterable<[string, string]>,
): SimResponse {
  return { status, headers: new AnswerHeaders(headers), body };
}

/** A binary answer of `type` (an image). */
export function bytesResponse(
  bytes: Uint8Array<ArrayBuffer>,
  type: string,
  headers?: Record<string, string>,
): SimResponse {
  return { status: 200, headers: new AnswerHeaders({ 'Content-Type': type, ...headers }), body: null, bytes };
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
  return new Response(response.bytes ?? response.body, {
    status: response.status,
    headers: [...response.headers],
  });
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
  if (chunks.length === 1) return chunks[0]!.subarray(0, MAX_BODY_BYTES + 1);
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
