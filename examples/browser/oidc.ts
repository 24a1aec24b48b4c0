/**
 * OIDC in the browser against a running `okta-apigee-sim serve` (not the service worker: a worker sees
 * neither the top-level navigation of a redirect sign-in nor the cross-origin iframe of getWithoutPrompt, see
 * docs/oidc.md). okta-auth-js is pointed at the server's issuer, as it would be at a real org:
 *
 * - "Sign in with redirect": `signInWithRedirect` (PKCE) to the org's sign-in page and back with a code;
 * - "Sign in with credentials": `signInWithCredentials`, then `token.getWithoutPrompt({ sessionToken })` in a
 *   hidden iframe (`response_mode=okta_post_message`);
 * - the tokens live in `tokenManager`, which renews them with the refresh token; "Sign out" revokes them and
 *   ends the Okta session through `/v1/logout`.
 *
 * Start the server with the example's scenario (`npx okta-apigee-sim serve examples/browser/oidc-scenario.yaml`),
 * then open http://localhost:5173/oidc.html (`npm run example:browser`). `?okta=<server origin>` points the
 * page at another server (the test's, on a free port).
 */
import { OktaAuth, type Tokens } from '@okta/okta-auth-js';

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector(selector) as T;
const status = $<HTMLParagraphElement>('#status');
const signedOut = $<HTMLElement>('#signed-out');
const signedIn = $<HTMLElement>('#signed-in');
const who = $<HTMLParagraphElement>('#who');
const output = $<HTMLPreElement>('#output');

// The server's origin survives the redirect round trip in sessionStorage.
const okta =
  new URLSearchParams(location.search).get('okta') ??
  sessionStorage.getItem('okta') ??
  'http://127.0.0.1:4455';
sessionStorage.setItem('okta', okta);
const here = `${location.origin}/oidc.html`;
$<HTMLElement>('#issuer').textContent = `${okta}/oauth2/default`;

const authClient = new OktaAuth({
  issuer: `${okta}/oauth2/default`,
  clientId: 'spa',
  redirectUri: here,
  postLogoutRedirectUri: here,
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  pkce: true,
  tokenManager: { autoRenew: false },
  // Back on this page without reloading it.
  restoreOriginalUri: async () => history.replaceState(null, '', here),
});

function show(title: string, value: unknown): void {
  output.textContent = `${title}\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`;
}

function guarded(run: () => Promise<void>): () => void {
  return () => {
    run().catch((error: { errorCode?: string; errorSummary?: string; message?: string }) => {
      show('Error', error.errorCode ? `${error.errorCode}: ${error.errorSummary}` : String(error.message));
    });
  };
}

async function render(how: string): Promise<void> {
  const { idToken, accessToken } = await authClient.tokenManager.getTokens();
  signedOut.hidden = Boolean(idToken);
  signedIn.hidden = !idToken;
  if (!idToken || !accessToken) {
    status.textContent = 'Signed out.';
    return;
  }
  status.textContent = `Signed in (${how}).`;
  who.textContent = `Signed in as ${idToken.claims.preferred_username}`;
  show('Access token', {
    signature: accessToken.accessToken.slice(-22),
    scopes: accessToken.scopes,
    expiresAt: new Date(accessToken.expiresAt * 1000).toISOString(),
  });
}

async function keep(tokens: Tokens, how: string): Promise<void> {
  authClient.tokenManager.setTokens(tokens);
  await render(how);
}

if (authClient.isLoginRedirect()) {
  // Back from the sign-in page with ?code=...&state=...: exchange the code (PKCE verifier from storage).
  await authClient.handleLoginRedirect();
  await render('redirect');
} else {
  await render('stored tokens');
}

$<HTMLButtonElement>('#redirect').addEventListener(
  'click',
  guarded(() => authClient.signInWithRedirect({ originalUri: here })),
);

$<HTMLFormElement>('#credentials').addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(async () => {
    const form = new FormData(event.target as HTMLFormElement);
    const tx = await authClient.signInWithCredentials({
      username: String(form.get('username')),
      password: String(form.get('password')),
    });
    if (tx.status !== 'SUCCESS') throw new Error(`Unexpected status ${tx.status}`);
    const { tokens } = await authClient.token.getWithoutPrompt({ sessionToken: tx.sessionToken });
    await keep(tokens, 'credentials');
  })();
});

$<HTMLButtonElement>('#renew').addEventListener(
  'click',
  guarded(async () => {
    await authClient.tokenManager.renew('accessToken');
    await render('renewed');
  }),
);

$<HTMLButtonElement>('#sign-out').addEventListener(
  'click',
  // Revokes both tokens, clears them here, then ends the Okta session at /v1/logout and comes back.
  guarded(() => authClient.signOut({ clearTokensBeforeRedirect: true }).then(() => undefined)),
);
