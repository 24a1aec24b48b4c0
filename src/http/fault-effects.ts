import type { FaultEffect } from '../core/faults.ts';

/**
 * What a fault does to a request instead of (or before) the operation:
 * - `continue`: let the operation run (after the latency a `latency` fault waited);
 * - `inject`: answer the vendor's own error for the code, through the vendor surface;
 * - a Response: answer it as it is; `Response.error()` is a network failure (fetch rejects; the HTTP
 *   server drops the connection).
 * `hang` never settles, unless the request is aborted.
 */
export async function applyFault(
  effect: FaultEffect,
  request: Request,
): Promise<{ kind: 'continue' } | { kind: 'inject'; code: string; message?: string | undefined } | Response> {
  switch (effect.type) {
    case 'latency':
      // A plain timer rather than msw's delay(): the standalone server does not load msw at all.
      await new Promise((resolve) => setTimeout(resolve, effect.ms));
      return { kind: 'continue' };
    case 'hang':
      return new Promise((_, reject) => {
        const abort = () =>
          reject(request.signal.reason ?? new DOMException('The request was aborted', 'AbortError'));
        if (request.signal.aborted) abort();
        else request.signal.addEventListener('abort', abort, { once: true });
      });
    case 'network-error':
      return Response.error();
    case 'vendor-error':
      return { kind: 'inject', code: effect.code, message: effect.message };
    case 'status':
      return new Response(effect.body ?? null, {
        status: effect.status,
        headers: effect.contentType ? { 'Content-Type': effect.contentType } : {},
      });
    case 'malformed-body':
      // Cut mid-token: the content type promises JSON, the body is not.
      return new Response('{"status":"SUCC', {
        status: effect.status ?? 200,
        headers: { 'Content-Type': 'application/json' },
      });
  }
}
