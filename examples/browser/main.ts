/**
 * okta-apigee-sim in the browser: the page starts the simulator behind msw's service worker, then talks to
 * "Okta" and "Apigee" at their real URLs with ordinary code. Nothing below knows it is simulated, except
 * the two lines that start the simulator.
 *
 * 1. Sign in with @okta/okta-auth-js (classic authn API): password, then an SMS code (the scenario fixes it
 *    to 123456).
 * 2. Get an Apigee access token (password grant) and call the orders API behind VerifyAccessToken.
 * 3. Revoke the token (InvalidateToken) and call the API again: Apigee's "Access Token not approved".
 */
import { type AuthnTransaction, OktaAuth } from '@okta/okta-auth-js';
import { createSimulator, formatRequestLine, setupSimulatorWorker } from 'okta-apigee-sim/browser';
import { APP_CLIENT, scenario } from './scenario.ts';

const OKTA_ISSUER = 'https://dev-000000.okta.com/oauth2/default';
const APIGEE = 'https://acme-test.apigee.net';

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector(selector) as T;
const status = $<HTMLParagraphElement>('#status');
const signInForm = $<HTMLFormElement>('#sign-in');
const mfaForm = $<HTMLFormElement>('#mfa');
const signedIn = $<HTMLParagraphElement>('#signed-in');
const api = $<HTMLElement>('#api');
const callButton = $<HTMLButtonElement>('#call-api');
const revokeButton = $<HTMLButtonElement>('#revoke');
const output = $<HTMLPreElement>('#output');

function show(title: string, value: unknown): void {
  output.textContent = `${title}\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`;
}

/** Runs a click or submit handler and shows its error, if any (okta-auth-js errors carry Okta's summary). */
function guarded(run: () => Promise<void>): () => void {
  return () => {
    run().catch((error: { errorCode?: string; errorSummary?: string; message?: string }) => {
      show('Error', error.errorCode ? `${error.errorCode}: ${error.errorSummary}` : String(error.message));
    });
  };
}

// --- 1. Start the simulator --------------------------------------------------------------------------
// One simulator, one service worker. Requests to the scenario's origins (dev-000000.okta.com,
// acme-test.apigee.net) are answered in the page; everything else (Vite's own modules) goes to the network.
const sim = createSimulator(scenario);
try {
  await setupSimulatorWorker(sim).start({ onUnhandledFrame: 'bypass' });
  // The request log, as `okta-apigee-sim serve --log` prints it: one console line per simulated request.
  sim.requests.subscribe((entry) => console.debug(formatRequestLine(entry)));
  // The codes a user would receive are on the control plane too, as a test reads them:
  // await (await fetch('https://dev-000000.okta.com/__sim/okta/users/alice@example.com/codes')).json()
  // For poking around in DevTools: sim.state, sim.requests.all(), sim.clock.advance('16m') ...
  Object.assign(window, { sim });
  status.textContent = 'Simulator ready.';
  signInForm.hidden = false;
} catch (error) {
  // Without its service worker nothing is simulated: say so, rather than let sign-in fail on the network.
  status.classList.add('failed');
  status.textContent =
    `The simulator's service worker did not start, so Okta and Apigee are not simulated: ${String(error)}. ` +
    'Is /mockServiceWorker.js served (msw/vite plugin or `npx msw init public/`), and is the page on ' +
    'localhost or HTTPS?';
}

// --- 2. Sign in with okta-auth-js ----------------------------------------------------------------------
const authClient = new OktaAuth({ issuer: OKTA_ISSUER });
let password = '';
/** The MFA_CHALLENGE transaction, once the SMS is sent. */
let challenge: AuthnTransaction | undefined;

signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(async () => {
    const form = new FormData(signInForm);
    password = String(form.get('password'));
    const tx = await authClient.signInWithCredentials({ username: String(form.get('username')), password });
    if (tx.status === 'SUCCESS') return done(tx);
    if (tx.status !== 'MFA_REQUIRED') throw new Error(`Unexpected status ${tx.status}`);
    // Pick the SMS factor; verify() without a code sends the SMS and answers MFA_CHALLENGE.
    const sms = tx.factors?.find((factor) => factor.factorType === 'sms');
    if (!sms) throw new Error('The user has no SMS factor');
    challenge = await sms.verify();
    status.textContent = `Code sent to ${sms.profile.phoneNumber}.`;
    signInForm.hidden = true;
    mfaForm.hidden = false;
  })();
});

mfaForm.addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(async () => {
    const passCode = String(new FormData(mfaForm).get('passCode'));
    const tx = await challenge?.verify?.({ passCode });
    if (tx?.status !== 'SUCCESS') throw new Error(`Unexpected status ${tx?.status}`);
    done(tx);
  })();
});

function done(tx: AuthnTransaction): void {
  // A real app would now exchange tx.sessionToken for tokens or a session cookie.
  signedIn.textContent = `Signed in as ${tx.user?.profile.login}`;
  signInForm.hidden = true;
  mfaForm.hidden = true;
  api.hidden = false;
}

// --- 3. Apigee: a token, the API, revocation ----------------------------------------------------------
let accessToken = '';

/** A form POST to the Apigee proxy, the app authenticated with HTTP Basic. */
function apigeePost(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${APIGEE}${path}`, {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(`${APP_CLIENT.id}:${APP_CLIENT.secret}`)}` },
    body: new URLSearchParams(fields),
  });
}

async function callOrders(): Promise<string> {
  const response = await fetch(`${APIGEE}/v1/orders/42`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  return `GET /v1/orders/42: ${response.status}\n${JSON.stringify(await response.json(), null, 2)}`;
}

callButton.addEventListener(
  'click',
  guarded(async () => {
    const login = signedIn.textContent.replace('Signed in as ', '');
    const response = await apigeePost('/oauth/token', { grant_type: 'password', username: login, password });
    // Apigee's token JSON is not RFC 6749: token_type "BearerToken", every number a string.
    const token = (await response.json()) as { access_token: string; token_type: string; expires_in: string };
    if (!response.ok) return show(`POST /oauth/token: ${response.status}`, token);
    accessToken = token.access_token;
    revokeButton.disabled = false;
    show(`Token (${token.token_type}, expires in ${token.expires_in} s)`, await callOrders());
  }),
);

revokeButton.addEventListener(
  'click',
  guarded(async () => {
    // InvalidateToken, as the app would call it. From code, sim.apigee.invalidateToken(accessToken) does the same.
    const revoked = await apigeePost('/oauth/invalidate', { token: accessToken, type: 'accesstoken' });
    show(`POST /oauth/invalidate: ${revoked.status}; then`, await callOrders());
  }),
);
