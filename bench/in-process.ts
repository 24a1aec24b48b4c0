import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { generateSync } from 'otplib';
import { createSimulator } from '../src/index.ts';
import { median, ms, record, timeBatch } from './support.ts';

const ORG = 'https://dev-000000.okta.com';
const API_TOKEN = '00bench-api-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const START = '2026-01-01T00:00:00Z';
const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
const admin = { ...json, Authorization: `SSWS ${API_TOKEN}` };

/** An org with one TOTP user and no rate limits: the benchmark signs the same user in thousands of times. */
const scenario = {
  version: 1 as const,
  clock: { start: START, frozen: true },
  okta: {
    apiTokens: [{ name: 'bench', token: API_TOKEN }],
    rateLimits: { authn: 0, verify: 0, sessions: 0, other: 0, authnPerUsernamePerSecond: 0 },
    // One TOTP code on a frozen clock, thousands of times: the replay protection and the MFA lock-out would
    // refuse all but the first (docs/okta-protections.md).
    quirks: { totpReplay: 'allow' as const },
    policy: { mfa: { maxAttempts: 0 } },
    users: [
      {
        login: 'totp@example.com',
        password: 'Passw0rd!',
        firstName: 'Theo',
        lastName: 'Totp',
        factors: [{ type: 'token:software:totp' as const, secret: SECRET }],
      },
    ],
  },
};

/**
 * One full MFA sign-in as an app does it, with real fetch: authn, TOTP verify (following the link),
 * create the session, read it, end it. Five requests.
 */
async function signInFlow(passCode: string): Promise<void> {
  const started = await (
    await fetch(`${ORG}/api/v1/authn`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'totp@example.com', password: 'Passw0rd!' }),
    })
  ).json();
  const done = await (
    await fetch(started._embedded.factors[0]._links.verify.href, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ stateToken: started.stateToken, passCode }),
    })
  ).json();
  const session = await (
    await fetch(`${ORG}/api/v1/sessions`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ sessionToken: done.sessionToken }),
    })
  ).json();
  await (await fetch(`${ORG}/api/v1/sessions/${session.id}`, { headers: admin })).json();
  await (
    await fetch(`${ORG}/api/v1/sessions/${session.id}`, { method: 'DELETE', headers: admin })
  ).arrayBuffer();
}

/**
 * The in-process figure: time per sign-in flow through msw/node, against msw's own floor (the same five
 * requests answered by trivial handlers with the same bodies).
 */
export async function inProcess(quick: boolean): Promise<void> {
  const sim = createSimulator(scenario);
  const passCode = generateSync({ secret: SECRET, epoch: Date.parse(START) / 1000 });

  // Record one real flow's bodies for the trivial handlers.
  const server = setupServer(...sim.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const recorded: unknown[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (...args) => {
    const response = await original(...args);
    recorded.push(response.status === 204 ? null : await response.clone().json());
    return response;
  };
  await signInFlow(passCode);
  globalThis.fetch = original;
  server.close();
  const [mfa, success, session] = recorded as [
    { _embedded: { factors: { id: string }[] } },
    Record<string, unknown>,
    { id: string },
  ];
  const floor = setupServer(
    http.post(`${ORG}/api/v1/authn`, () => HttpResponse.json(mfa)),
    http.post(`${ORG}/api/v1/authn/factors/:id/verify`, () => HttpResponse.json(success)),
    http.post(`${ORG}/api/v1/sessions`, () => HttpResponse.json(session)),
    http.get(`${ORG}/api/v1/sessions/:id`, () => HttpResponse.json(session)),
    http.delete(`${ORG}/api/v1/sessions/:id`, () => new HttpResponse(null, { status: 204 })),
  );

  const flows = quick ? 100 : 500;
  const rounds = quick ? 3 : 7;
  const timeFlows = async (target: ReturnType<typeof setupServer>) => {
    target.listen({ onUnhandledFrame: 'error' });
    try {
      return (await timeBatch(flows, () => signInFlow(passCode))) / flows;
    } finally {
      target.close();
    }
  };
  const ours = setupServer(...sim.handlers);
  await timeFlows(ours);
  await timeFlows(floor);
  const oursSamples: number[] = [];
  const floorSamples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    floorSamples.push(await timeFlows(floor));
    oursSamples.push(await timeFlows(ours));
  }
  const perFlow = median(oursSamples);
  const floorPerFlow = median(floorSamples);
  record({
    section: 'in-process',
    figure: 'Okta MFA sign-in flow (5 requests) via msw/node',
    ours: `${ms(perFlow)} / flow`,
    baseline: `${ms(floorPerFlow)} (static msw handlers)`,
    ratio: perFlow / floorPerFlow,
    target: '<= 1.3x',
    met: perFlow / floorPerFlow <= 1.3,
  });
}
