import { describe, expect, it } from 'vitest';
import {
  AnswerHeaders,
  fromWebRequest,
  MAX_BODY_BYTES,
  simResponse,
  toWebResponse,
} from '../../src/http/exchange.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import { baseScenario, PASSWORD } from '../support/scenarios.ts';

/** A body streamed in 64 KiB chunks, with no Content-Length: only reading it tells its size. */
function streamed(bytes: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const chunk = new Uint8Array(Math.min(64 * 1024, bytes - sent)).fill(97);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

describe('the simulator request and answer', () => {
  it('reads a Web Request body whole when it is within the limit', async () => {
    const request = new Request('https://example.com/x', { method: 'POST', body: 'grant_type=x' });
    const read = await fromWebRequest(request);
    expect(new TextDecoder().decode(read.body)).toBe('grant_type=x');
    expect(read.url.pathname).toBe('/x');
  });

  it('stops reading a streamed body one byte past the limit, so oversized bodies are refused unread', async () => {
    const { stream, pulled } = streamed(8 * MAX_BODY_BYTES);
    // `duplex` is required for a stream body, and missing from TypeScript's RequestInit.
    const init = { method: 'POST', body: stream, duplex: 'half' } as RequestInit;
    const request = new Request('https://example.com/x', init);
    const read = await fromWebRequest(request);
    expect(read.body.byteLength).toBe(MAX_BODY_BYTES + 1);
    expect(pulled()).toBeLessThan(2 * MAX_BODY_BYTES);
  });

  it('matches header names without regard to case, replaces on set and keeps every appended Set-Cookie', () => {
    const headers = new AnswerHeaders({ 'Content-Type': 'application/json', Vary: 'Origin' });
    headers.set('content-type', 'text/plain');
    headers.append('Set-Cookie', 'sid=a; Path=/');
    headers.append('Set-Cookie', 'DT=b; Path=/');
    expect(headers.get('CONTENT-TYPE')).toBe('text/plain');
    expect(headers.has('vary')).toBe(true);
    expect([...headers]).toEqual([
      ['Vary', 'Origin'],
      ['content-type', 'text/plain'],
      ['Set-Cookie', 'sid=a; Path=/'],
      ['Set-Cookie', 'DT=b; Path=/'],
    ]);
    headers.delete('vary');
    expect(headers.get('Vary')).toBeNull();
    expect(toWebResponse(simResponse(200, null, headers)).headers.getSetCookie()).toEqual([
      'sid=a; Path=/',
      'DT=b; Path=/',
    ]);
  });

  it('turns a network-error answer into a failed fetch and others into Responses', async () => {
    expect(toWebResponse({ ...simResponse(0), networkError: true }).type).toBe('error');
    const answer = toWebResponse(simResponse(201, '{"a":1}', { 'Content-Type': 'application/json' }));
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ a: 1 });
  });

  it('answers a request given in its own terms, as the standalone server sends it', async () => {
    const sim = new SimulatorCore(baseScenario);
    const answer = await sim.answer(
      {
        method: 'POST',
        url: new URL('http://127.0.0.1:4455/api/v1/authn'),
        headers: new Headers({ 'Content-Type': 'application/json' }),
        body: new TextEncoder().encode(JSON.stringify({ username: 'ada@example.com', password: PASSWORD })),
      },
      { anyOrigin: true },
    );
    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer?.body ?? '{}').status).toBe('SUCCESS');
    expect(sim.requests.last()?.operation).toBe('primaryAuthentication');
  });

  it('leaves requests to origins it does not simulate unanswered and unread', async () => {
    const sim = new SimulatorCore(baseScenario);
    const request = new Request('https://elsewhere.example/api/v1/authn', { method: 'POST', body: '{}' });
    expect(await sim.fetch(request)).toBeUndefined();
    expect(request.bodyUsed).toBe(false);
  });
});
