import { AnswerHeaders, jsonResponse, type SimResponse, simResponse } from '../../http/exchange.ts';
import type { ResponseMode } from '../domain/oauth-errors.ts';
import { type AuthorizationServer, endpointBase, issuerOf, OIDC_SCOPES } from '../domain/oidc-model.ts';

/**
 * The shapes of Okta's authorization servers: discovery documents (docs/fidelity/okta.md#okta-oidc-discovery),
 * the key set, `/authorize` answers in each response mode (docs/fidelity/okta.md#okta-oidc-response-modes),
 * and the HTML pages (error, sign-in, `okta_post_message`).
 */

type Json = Record<string, unknown>;

/** No caching of OAuth answers, as Okta's recorded ones say (docs/fidelity/okta.md#okta-oidc-no-cache). */
export const NO_CACHE = { 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache', Expires: '0' } as const;

const JSON_UTF8 = 'application/json;charset=UTF-8';
const HTML = 'text/html;charset=utf-8';

/** JSON with Okta's OAuth content type and no-cache headers. */
export function oauthJson(body: unknown, status = 200): SimResponse {
  return jsonResponse(body, status, { 'Content-Type': JSON_UTF8, ...NO_CACHE });
}

const RESPONSE_TYPES = [
  'code',
  'id_token',
  'code id_token',
  'code token',
  'id_token token',
  'code id_token token',
];
const AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
];
const ID_CLAIMS = [
  'iss ver sub aud iat exp jti auth_time amr idp nonce name nickname preferred_username given_name middle_name',
  'family_name email email_verified profile zoneinfo locale address phone_number picture website gender',
  'birthdate updated_at at_hash c_hash',
]
  .join(' ')
  .split(' ');

/**
 * `/.well-known/openid-configuration` (`oidc`) or `/.well-known/oauth-authorization-server` (`oauth`) of a
 * server, its links on the origin the client used.
 */
export function discoveryDocument(server: AuthorizationServer, base: string, kind: 'oidc' | 'oauth'): Json {
  const v1 = endpointBase(server, base);
  const custom = server.kind === 'custom';
  const published = custom ? server.scopes.map((scope) => scope.name) : [];
  const grants = ['authorization_code', 'implicit', 'refresh_token', 'password'];
  if (kind === 'oauth' && custom) grants.push('client_credentials');
  return {
    issuer: issuerOf(server, base),
    authorization_endpoint: `${v1}/authorize`,
    token_endpoint: `${v1}/token`,
    ...(kind === 'oidc' && { userinfo_endpoint: `${v1}/userinfo` }),
    registration_endpoint: `${base}/oauth2/v1/clients`,
    jwks_uri: `${v1}/keys`,
    response_types_supported:
      kind === 'oauth' && custom ? ['code', 'token', ...RESPONSE_TYPES.slice(1)] : RESPONSE_TYPES,
    response_modes_supported: ['query', 'fragment', 'form_post', 'okta_post_message'],
    grant_types_supported: grants,
    subject_types_supported: ['public'],
    ...(kind === 'oidc' && { id_token_signing_alg_values_supported: ['RS256'] }),
    scopes_supported: [...OIDC_SCOPES, ...published],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    claims_supported:
      kind === 'oauth' && custom
        ? ['ver', 'jti', 'iss', 'aud', 'iat', 'exp', 'cid', 'uid', 'scp', 'sub']
        : ID_CLAIMS,
    code_challenge_methods_supported: ['S256'],
    introspection_endpoint: `${v1}/introspect`,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint: `${v1}/revoke`,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    end_session_endpoint: `${v1}/logout`,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: [
      'HS256',
      'HS384',
      'HS512',
      'RS256',
      'RS384',
      'RS512',
      'ES256',
      'ES384',
      'ES512',
    ],
  };
}

/** Escapes text for HTML. */
export function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a `<script>`: nothing in it can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * `/authorize`'s answer in a response mode (docs/fidelity/okta.md#okta-oidc-response-modes): a 302 with the
 * fields in the query or fragment, an auto-posting form, or the `okta_post_message` page that posts them to
 * the window that opened it, at the redirect URI's origin.
 */
export function authorizeAnswer(
  redirectUri: string,
  mode: ResponseMode,
  fields: Record<string, string>,
): SimResponse {
  const headers = new AnswerHeaders(NO_CACHE);
  switch (mode) {
    case 'query':
    case 'fragment': {
      const url = new URL(redirectUri);
      const encoded = new URLSearchParams(fields);
      if (mode === 'query') {
        for (const [name, value] of encoded) url.searchParams.append(name, value);
      } else {
        url.hash = encoded.toString();
      }
      headers.set('Location', url.href);
      headers.set('Referrer-Policy', 'no-referrer');
      return simResponse(302, null, headers);
    }
    case 'form_post': {
      const inputs = Object.entries(fields)
        .map(([name, value]) => `<input type="hidden" name="${html(name)}" value="${html(value)}"/>`)
        .join('');
      headers.set('Content-Type', HTML);
      return simResponse(
        200,
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Submit This Form</title></head>' +
          `<body onload="document.forms[0].submit()"><form method="post" action="${html(redirectUri)}">${inputs}` +
          '<noscript><button type="submit">Continue</button></noscript></form></body></html>',
        headers,
      );
    }
    case 'okta_post_message': {
      const origin = new URL(redirectUri).origin;
      headers.set('Content-Type', HTML);
      return simResponse(
        200,
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>OAuth 2.0</title></head><body><script>' +
          `(function(){var data=${scriptJson(fields)};var target=window.opener||window.parent;` +
          `if(data.error){console.log('error.errorCode: '+data.error+', error.description: '+data.error_description);}` +
          `target.postMessage(data,${scriptJson(origin)});})();</script></body></html>`,
        headers,
      );
    }
  }
}

/**
 * Okta's HTML error page for `/authorize` and `/logout` errors that cannot go back to the client
 * (docs/fidelity/okta.md#okta-oidc-error-page).
 */
export function errorPage(error: string, description: string, status = 400): SimResponse {
  return simResponse(
    status,
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bad Request</title></head><body>' +
      '<h1>400 Bad Request</h1><p>Your request resulted in an error.</p>' +
      `<p>Identity Provider: Unknown</p><p>Error Code: <span id="error-code">${html(error)}</span></p>` +
      `<p>Description: <span id="error-description">${html(description)}</span></p></body></html>`,
    { 'Content-Type': HTML, 'X-Frame-Options': 'SAMEORIGIN', ...NO_CACHE },
  );
}

/**
 * The org's sign-in page (docs/fidelity/okta.md#okta-oidc-sign-in-page): a minimal form that signs in through
 * `/api/v1/authn` and, on SUCCESS, trades the sessionToken for the `sid` cookie through
 * `/login/sessionCookieRedirect` on its way back to `fromURI`.
 */
export function signInPage(fromUri: string, loginHint: string | undefined): SimResponse {
  return simResponse(
    200,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign In</title></head><body>
<h1>Sign In</h1>
<form id="okta-sign-in">
<label>Username <input id="okta-signin-username" name="username" autocomplete="username" value="${html(loginHint ?? '')}"></label>
<label>Password <input id="okta-signin-password" name="password" type="password" autocomplete="current-password"></label>
<button id="okta-signin-submit" type="submit">Sign In</button>
<p id="okta-signin-error" role="alert"></p>
</form>
<script>
(function(){
var fromURI=${scriptJson(fromUri)};
var form=document.getElementById('okta-sign-in');
form.addEventListener('submit',function(event){
event.preventDefault();
var error=document.getElementById('okta-signin-error');
error.textContent='';
fetch('/api/v1/authn',{method:'POST',headers:{'Content-Type':'application/json',Accept:'application/json'},
body:JSON.stringify({username:form.username.value,password:form.password.value})})
.then(function(r){return r.json();})
.then(function(body){
if(body.status==='SUCCESS'){location.assign('/login/sessionCookieRedirect?token='+encodeURIComponent(body.sessionToken)+'&redirectUrl='+encodeURIComponent(fromURI));}
else{error.textContent=body.errorSummary||('This page signs in with a password only; got '+body.status);}
});
});
})();
</script></body></html>`,
    { 'Content-Type': HTML, ...NO_CACHE },
  );
}

/** `/.well-known/okta-organization` (docs/fidelity/okta.md#okta-oidc-org-metadata): a Classic org. */
export function organizationBody(orgId: string, base: string): Json {
  return { id: orgId, pipeline: 'v1', _links: { organization: { href: base } } };
}
