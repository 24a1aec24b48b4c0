/**
 * Generated malformed requests to every operation of the catalogue, over HTTP: whatever the method, path
 * parameters, headers and body, the answer is never a 5xx, an error is in its vendor's shape, and an
 * error changes nothing. Bounded to a few seconds (fast-check, a fixed seed so failures repeat).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/catalogue.ts';
import { createSimulator, type Simulator } from '../../src/create-simulator.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import { apigeeScenario, baseScenario } from '../support/scenarios.ts';

let sim: Simulator;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  // Every vendor on the one origin, as `npm start` serves them; unknown paths are answered quietly.
  sim = createSimulator({ ...apigeeScenario, okta: baseScenario.okta }, { journalLimit: 100 });
  const server = await startHttpServer(sim, { port: 0 });
  url = server.url;
  close = server.close;
});

afterAll(() => close());

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '%',
    '%zz',
    '..',
    '__proto__',
    'constructor',
    '\u0000',
    '\ud800',
    'a'.repeat(1500),
    '{}',
    '[]',
  ),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    '{"__proto__":{"x":1}}',
    '{"username":{"a":1}}',
    'grant_type=password&username=',
    '{',
    'null',
    '1e999',
  ),
  fc
    .dictionary(
      fc.constantFrom('grant_type', 'token', 'type', 'cascade', 'username', 'stateToken', 'client_id'),
      nasty,
    )
    .map((fields) => new URLSearchParams(fields).toString()),
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=x',
);

const authorization = fc.constantFrom(
  undefined,
  'Bearer ',
  'Bearer x.y.z',
  'Basic %%%',
  `Basic ${btoa('web-key:wrong')}`,
  'SSWS nope',
  'ssws lower',
  'Negotiate abc',
);

/** A request aimed at one catalogued operation, with everything else generated. */
const request = fc.record({
  entry: fc.constantFrom(...OPERATIONS),
  params: fc.array(nasty, { minLength: 4, maxLength: 4 }),
  method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), { nil: undefined }),
  query: fc.option(
    fc.dictionary(fc.constantFrom('token', 'redirectUrl', 'limit', 'action', 'expand'), nasty),
  ),
  body,
  contentType,
  authorization,
});

/** Every byte percent-encoded: lone surrogates and all (as UTF-8 replacement characters). */
const encode = (text: string) =>
  Array.from(new TextEncoder().encode(text), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

function pathOf(template: string, params: string[]): string {
  let i = 0;
  const next = () => encode(params[i++ % params.length] || 'x');
  return template.replace(/:\w+/g, next).replace(/\*\*?/g, next);
}

/**
 * Whether an error answer is one a vendor gives: its JSON error shape, Okta's HTML error pages, or an
 * RFC 6750 challenge alone (a protected resource's 401 and 403 may carry the error in `WWW-Authenticate`).
 */
function vendorShaped(status: number, headers: Headers, text: string): boolean {
  if (status < 400) return true;
  const type = headers.get('content-type');
  if (text === '' && headers.get('www-authenticate')?.startsWith('Bearer ')) return true;
  if (type?.startsWith('text/html')) return /<html/i.test(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== 'object') return false;
  return ['errorCode', 'fault', 'ErrorCode', 'error', 'code'].some((key) => key in parsed);
}

describe('generated malformed requests', () => {
  it('never answer 5xx, answer errors in the vendor shape, and change nothing when they fail', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const target = new URL(pathOf(r.entry.path, r.params), url);
        for (const [name, value] of Object.entries(r.query ?? {})) target.searchParams.set(name, value);
        const method = r.method ?? r.entry.method;
        const headers: Record<string, string> = {};
        if (r.contentType) headers['Content-Type'] = r.contentType;
        if (r.authorization) headers.Authorization = r.authorization;
        const before = JSON.stringify(sim.state);
        const reply = await fetch(target, {
          method,
          headers,
          body: method === 'GET' || r.body === undefined ? undefined : r.body,
          redirect: 'manual',
        });
        const text = await reply.text();
        expect(
          reply.status,
          `${method} ${target.pathname} answered ${reply.status}: ${text.slice(0, 200)}`,
        ).toBeLessThan(500);
        expect(vendorShaped(reply.status, reply.headers, text), text.slice(0, 200)).toBe(true);
        if (reply.status >= 400) expect(JSON.stringify(sim.state)).toBe(before);
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 400),
        seed: Number(process.env.FUZZ_SEED ?? 20261130),
        interruptAfterTimeLimit: 8_000,
      },
    );
  }, 30_000);
});
