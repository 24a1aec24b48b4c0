import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Simulator } from '../../src/create-simulator.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';

/** How a test reaches the simulator: `sim.fetch` directly, global fetch through msw, or real HTTP. */
export type TransportName = 'direct' | 'msw' | 'http';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body as sent, for binary answers (images). */
  bytes: Uint8Array;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary vendor JSON
  body: any;
}

export interface RequestOptions {
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface Harness {
  sim: Simulator;
  /** The Okta org URL as the client sees it. */
  base: string;
  /** The Apigee runtime (reference proxy) and management URLs as the client sees them. */
  runtime: string;
  management: string;
  /** `path` is relative to the Okta org URL, or an absolute URL (e.g. `${h.runtime}/oauth/token`). */
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  /** A form POST (`application/x-www-form-urlencoded`) to an absolute URL. */
  form(url: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, json?: unknown, headers?: Record<string, string>): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  del(path: string, headers?: Record<string, string>): Promise<Reply>;
}

/**
 * Registers the hooks a transport needs in the calling test file and returns a factory of harnesses, one
 * per scenario. Servers and msw handlers are torn down after each test.
 */
export function useTransport(transport: TransportName): (scenario: ScenarioInput) => Promise<Harness> {
  const msw = transport === 'msw' ? setupServer() : undefined;
  const closers: (() => Promise<void>)[] = [];
  if (msw) {
    beforeAll(() => msw.listen({ onUnhandledFrame: 'error' }));
    afterAll(() => msw.close());
  }
  afterEach(async () => {
    msw?.resetHandlers();
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  return async (scenario) => {
    const sim = createSimulator(scenario);
    let base = sim.scenario.okta?.orgUrl ?? 'https://dev-000000.okta.com';
    let runtime = sim.scenario.apigee?.runtimeUrl ?? 'https://acme-test.apigee.net';
    let management = sim.scenario.apigee?.managementUrl ?? 'https://apigee.googleapis.com';
    let send: (request: Request) => Promise<Response>;
    if (transport === 'direct') {
      send = async (request) => {
        const response = await sim.fetch(request);
        if (!response) throw new Error(`No simulator answer for ${request.method} ${request.url}`);
        return response;
      };
    } else if (transport === 'msw') {
      msw?.use(...sim.handlers);
      send = (request) => fetch(request);
    } else {
      const server = await startHttpServer(sim, { port: 0 });
      closers.push(server.close);
      base = server.url;
      runtime = server.url;
      management = server.url;
      send = (request) => fetch(request);
    }
    const request = async (method: string, path: string, options: RequestOptions = {}): Promise<Reply> => {
      const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
      let body = options.body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['Content-Type'] ??= 'application/json';
      }
      // Redirects are part of what is under test (sessionCookieRedirect), so they are never followed.
      const response = await send(
        new Request(new URL(path, base), { method, headers, body: body ?? null, redirect: 'manual' }),
      );
      const bytes = new Uint8Array(await response.arrayBuffer());
      const text = new TextDecoder().decode(bytes);
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, bytes, body: parsed };
    };
    return {
      sim,
      base,
      runtime,
      management,
      request,
      form: (url, fields, headers) =>
        request('POST', url, {
          body: new URLSearchParams(fields).toString(),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        }),
      post: (path, json, headers) => request('POST', path, { json: json ?? {}, ...(headers && { headers }) }),
      get: (path, headers) => request('GET', path, headers ? { headers } : {}),
      del: (path, headers) => request('DELETE', path, headers ? { headers } : {}),
    };
  };
}
