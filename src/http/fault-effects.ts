import type { FaultEffect } from '../core/faults.ts';
import { type SimResponse, simResponse } from './exchange.ts';

/**
 * What a fault does to a request instead of (or before) the operation:
 * - `continue`: let the operation run (after the latency a `latency` fault waited);
 * - `inject`: answer the vendor's own error for the code, through the vendor surface;
 * - `answer`: answer this as it is (a network error drops the request: fetch rejects, the HTTP server
 *   closes the connection).
 * `hang` never settles, unless `signal` aborts (the client gave up).
 */
export async function applyFault(
  effect: FaultEffect,
  signal: AbortSignal | undefined,
): Promise<
  | { kind: 'continue' }
  | { kind: 'inject'; code: string; message?: string | undefined }
  | { kind: 'answer'; response: SimResponse }
> {
  switch (effect.type) {
    case 'latency':
      // A plain timer rather than msw's delay(): the standalone server does not load msw at all.
      await new Promise((resolve) => setTimeout(resolve, effect.ms));
      return { kind: 'continue' };
    case 'hang':
      return new Promise((_, reject) => {
        if (!signal) return;
        const abort = () =>
          reject(signal.reason ?? new DOMException('The request was aborted', 'AbortError'));
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      });
    case 'network-error':
      return { kind: 'answer', response: { ...simResponse(0), networkError: true } };
    case 'vendor-error':
      return { kind: 'inject', code: effect.code, message: effect.message };
    case 'status': {
      // A body without a declared type is text, as fetch's Response would label it on every transport.
      const type = effect.contentType ?? (effect.body !== undefined ? 'text/plain;charset=UTF-8' : undefined);
      return {
        kind: 'answer',
        response: simResponse(effect.status, effect.body ?? null, type ? { 'Content-Type': type } : {}),
      };
    }
    case 'malformed-body':
      // Cut mid-token: the content type promises JSON, the body is not.
      return {
        kind: 'answer',
        response: simResponse(effect.status ?? 200, '{"status":"SUCC', {
          'Content-Type': 'application/json',
        }),
      };
  }
}
