/**
 * The OIDC figure (docs/oidc.md): code exchanges (authorize with the sid cookie, then the token request) and
 * refresh exchanges (a rotating refresh token) per second over HTTP, against the standalone server in its own
 * process, beside a loop in this process that only signs the same two JWTs (access and ID token, RS256):
 * signing is the floor of every exchange. Both run with the same concurrency, one after the other.
 */
import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { target } from './http.ts';
import { BENCH_CALLBACK } from './http-scenario.ts';
import { count, record } from './support.ts';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const CONCURRENCY = 8;

const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** Runs `worker` on `CONCURRENCY` loops for `seconds`; answers completed iterations per second. */
async function rate(seconds: number, worker: () => Promise<void>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await worker();
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/** Requests per second of an autocannon load; any 4xx or 5xx answer fails the run. */
async function hammer(options: autocannon.Options): Promise<number> {
  const result = await autocannon(options);
  if (result['4xx'] > 0 || result['5xx'] > 0 || result.errors > 0) {
    throw new Error(`${result['4xx']} 4xx, ${result['5xx']} 5xx answers, ${result.errors} errors`);
  }
  return result.requests.total / result.duration;
}

function check(response: Response, what: string): Response {
  if (response.status !== 200 && response.status !== 302) throw new Error(`${what}: ${response.status}`);
  return response;
}

export async function oidc(quick: boolean): Promise<void> {
  const seconds = quick ? 2 : 5;
  const server = await target(['sim']);
  try {
    const { url } = server;
    const authn = await (
      await fetch(`${url}/api/v1/authn`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username: 'bench@example.com', password: 'Passw0rd!' }),
      })
    ).json();
    const authorize = (extra: Record<string, string>, scope = 'openid profile') =>
      `${url}/oauth2/default/v1/authorize?${new URLSearchParams({
        client_id: 'bench-spa',
        redirect_uri: BENCH_CALLBACK,
        response_type: 'code',
        scope,
        state: 'bench',
        nonce: 'bench',
        code_challenge: CHALLENGE,
        code_challenge_method: 'S256',
        ...extra,
      })}`;
    const first = await fetch(authorize({ sessionToken: authn.sessionToken }), { redirect: 'manual' });
    const sid = /sid=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1] ?? '';

    /** authorize (silent, with the sid cookie) then the code exchange: the token answer. */
    const exchange = async (scope?: string) => {
      const answer = check(
        await fetch(authorize({ prompt: 'none' }, scope), {
          redirect: 'manual',
          headers: { Cookie: `sid=${sid}` },
        }),
        'authorize',
      );
      const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const tokens = check(
        await fetch(`${url}/oauth2/default/v1/token`, {
          method: 'POST',
          headers: form,
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: 'bench-spa',
            redirect_uri: BENCH_CALLBACK,
            code,
            code_verifier: VERIFIER,
          }),
        }),
        'token',
      );
      return (await tokens.json()) as { access_token: string; id_token: string; refresh_token?: string };
    };

    // What the loop signs: the claims of a real answer, with a key of the same size.
    const sample = await exchange();
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
    const accessClaims: JWTPayload = claims(sample.access_token);
    const idClaims: JWTPayload = claims(sample.id_token);
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const sign = (payload: JWTPayload) =>
      new SignJWT(payload).setProtectedHeader({ kid: 'k', alg: 'RS256' }).sign(privateKey);
    const signOnly = async () => {
      await Promise.all([sign(accessClaims), sign(idClaims)]);
    };

    await rate(1, signOnly);
    const signs = await rate(seconds, signOnly);

    // autocannon (as the http section) keeps the client's cost small: fetch's would be the ceiling. The codes
    // are made first (a code lives 300 s on the frozen clock), so that the figure is the exchange alone.
    const authorizeUrl = new URL(authorize({ prompt: 'none' }));
    const codes: string[] = [];
    await autocannon({
      url,
      connections: CONCURRENCY,
      amount: quick ? 4000 : 12_000,
      requests: [
        {
          method: 'GET',
          path: `${authorizeUrl.pathname}${authorizeUrl.search}`,
          headers: { Cookie: `sid=${sid}` },
          onResponse: (_status: number, _body: string, _context: object, headers?: IncomingHttpHeaders) => {
            // autocannon hands the headers over as sent (Location, not location).
            const location = Object.entries(headers ?? {}).find(
              ([name]) => name.toLowerCase() === 'location',
            );
            const code = URL.parse(String(location?.[1]))?.searchParams.get('code');
            if (code) codes.push(code);
          },
        },
      ],
    });
    const codeLoad = (amount: number) => ({
      url,
      connections: CONCURRENCY,
      amount,
      requests: [
        {
          method: 'POST' as const,
          path: '/oauth2/default/v1/token',
          headers: form,
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            body: new URLSearchParams({
              grant_type: 'authorization_code',
              client_id: 'bench-spa',
              redirect_uri: BENCH_CALLBACK,
              code: codes.pop() ?? '',
              code_verifier: VERIFIER,
            }).toString(),
          }),
        },
      ],
    });
    // A quarter of the codes warm the token path up; the rest are the figure.
    await hammer(codeLoad(Math.floor(codes.length / 4)));
    const exchanges = await hammer(codeLoad(codes.length));
    record({
      section: 'oidc',
      figure: 'code exchanges (token, authorization_code)/s over HTTP',
      ours: count(exchanges),
      baseline: `${count(signs)} (signing the same 2 JWTs)`,
      ratio: exchanges / signs,
      target: '>= 0.5x',
      met: exchanges / signs >= 0.5,
    });

    // Each connection refreshes its own rotating refresh token (the frozen clock keeps the first one in its
    // leeway, so every connection may start from it).
    const seed = (await exchange('openid profile offline_access')).refresh_token ?? '';
    const refreshLoad = {
      url,
      connections: CONCURRENCY,
      duration: seconds,
      requests: [
        {
          method: 'POST' as const,
          path: '/oauth2/default/v1/token',
          headers: form,
          setupRequest: (request: autocannon.Request, context: object) => ({
            ...request,
            body: new URLSearchParams({
              grant_type: 'refresh_token',
              client_id: 'bench-spa',
              refresh_token: String(Reflect.get(context, 'refresh') ?? seed),
            }).toString(),
          }),
          onResponse: (_status: number, body: string, context: object) => {
            Reflect.set(context, 'refresh', JSON.parse(body).refresh_token);
          },
        },
      ],
    };
    await hammer({ ...refreshLoad, duration: 1 });
    const refreshes = await hammer(refreshLoad);
    record({
      section: 'oidc',
      figure: 'refresh exchanges/s over HTTP (rotating)',
      ours: count(refreshes),
      baseline: `${count(signs)} (signing the same 2 JWTs)`,
      ratio: refreshes / signs,
      target: '>= 0.5x',
      met: refreshes / signs >= 0.5,
    });
  } finally {
    server.stop();
  }
}
