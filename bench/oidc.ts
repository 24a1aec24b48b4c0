/**
 * The OIDC figure (docs/oidc.md): code exchanges (authorize with the sid cookie, then the token request) and
 * refresh exchanges (a rotating refresh token) per second over HTTP, against the standalone server in its own
 * process, beside a loop in this process that only signs the same two JWTs (access and ID token, RS256):
 * signing is the floor of every exchange. Both keep the same number of signatures in flight (16: 16 HTTP
 * connections each waiting on one signature at a time, 8 loops each signing two at once), in alternating rounds.
 */
import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { target } from './http.ts';
import { BENCH_CALLBACK } from './http-scenario.ts';
import { count, median, record } from './support.ts';

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
  // `duration` is whole seconds; the dates are exact.
  return result.requests.total / ((result.finish.getTime() - result.start.getTime()) / 1000);
}

function check(response: Response, what: string): Response {
  if (response.status !== 200 && response.status !== 302) throw new Error(`${what}: ${response.status}`);
  return response;
}

export async function oidc(quick: boolean): Promise<void> {
  const seconds = quick ? 2 : 4;
  const rounds = quick ? 1 : 3;
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

    // autocannon (as the http section) keeps the client's cost small: fetch's would be the ceiling. The codes
    // are made first (a code lives 300 s on the frozen clock), so that the figure is the exchange alone.
    const authorizeUrl = new URL(authorize({ prompt: 'none' }));
    const codes: string[] = [];
    const makeCodes = (amount: number) =>
      autocannon({
        url,
        connections: 2 * CONCURRENCY,
        amount,
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
      connections: 2 * CONCURRENCY,
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
    // Rounds alternate with the signing loop, so that a busy neighbour on the machine weighs on both alike;
    // the figures are the medians of the rounds (as in the http section).
    const perRound = quick ? 2000 : 8000;
    await makeCodes(1000);
    await hammer(codeLoad(codes.length));
    const codeRounds: number[] = [];
    const signRounds: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await makeCodes(perRound);
      codeRounds.push(await hammer(codeLoad(codes.length)));
      signRounds.push(await rate(seconds, signOnly));
    }
    const exchanges = median(codeRounds);
    const signs = median(signRounds);
    record({
      section: 'oidc',
      figure: 'code exchanges (token, authorization_code)/s over HTTP',
      ours: count(exchanges),
      baseline: `${count(signs)} (signing the same 2 JWTs)`,
      ratio: median(codeRounds.map((value, i) => value / (signRounds[i] ?? 1))),
      target: '>= 0.5x',
      met: median(codeRounds.map((value, i) => value / (signRounds[i] ?? 1))) >= 0.5,
    });

    // Each connection refreshes its own rotating refresh token (the frozen clock keeps the first one in its
    // leeway, so every connection may start from it).
    const seed = (await exchange('openid profile offline_access')).refresh_token ?? '';
    const refreshLoad = {
      url,
      connections: 2 * CONCURRENCY,
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
    const refreshRounds: number[] = [];
    const refreshSigns: number[] = [];
    for (let round = 0; round < rounds; round++) {
      refreshRounds.push(await hammer(refreshLoad));
      refreshSigns.push(await rate(seconds, signOnly));
    }
    const refreshes = median(refreshRounds);
    const refreshRatio = median(refreshRounds.map((value, i) => value / (refreshSigns[i] ?? 1)));
    record({
      section: 'oidc',
      figure: 'refresh exchanges/s over HTTP (rotating)',
      ours: count(refreshes),
      baseline: `${count(median(refreshSigns))} (signing the same 2 JWTs)`,
      ratio: refreshRatio,
      target: '>= 0.5x',
      met: refreshRatio >= 0.5,
    });
  } finally {
    server.stop();
  }
}
