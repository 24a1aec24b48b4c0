import {
  bodyText,
  MAX_BODY_BYTES,
  type SimRequest,
  type SimResponse,
  simResponse,
} from '../../http/exchange.ts';
import { ApigeeError } from '../domain/errors.ts';
import type { ClientCredentials } from '../domain/grants.ts';
import type { ApigeeOrg } from '../domain/org.ts';

/** One request to an Apigee surface, as an operation handler sees it. */
export interface ApigeeCall {
  readonly request: SimRequest;
  readonly url: URL;
  readonly params: Record<string, string>;
  readonly org: ApigeeOrg;
  /** Journal notes; `operation` overrides the route's name (the token endpoint serves two operations). */
  operation?: string;
  principal?: string;
  outcome?: string;
}

/**
 * The request's form fields (`application/x-www-form-urlencoded`), as the OAuthV2 policy reads
 * `request.formparam.*`. A body of another type has no form fields, so the operation then finds its
 * parameters missing, as Apigee does. Oversized bodies are Apigee's `protocol.http.TooBigBody` ([L]).
 */
export function readForm(call: ApigeeCall): URLSearchParams {
  const { request } = call;
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooBig(`${declared} bytes`);
  if (request.body.byteLength > MAX_BODY_BYTES) throw tooBig(`more than ${MAX_BODY_BYTES} bytes`);
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return new URLSearchParams();
  return new URLSearchParams(bodyText(request));
}

function tooBig(size: string): ApigeeError {
  return new ApigeeError('fault', 413, 'protocol.http.TooBigBody', 'Body buffer overflow', size);
}

/**
 * A field from the form, else the query string (the samples send grant_type in the query,
 * docs/fidelity/apigee.md#apigee-token-request).
 */
export function param(call: ApigeeCall, form: URLSearchParams, name: string): string | undefined {
  return form.get(name) ?? call.url.searchParams.get(name) ?? undefined;
}

/**
 * Client credentials: HTTP Basic first, else `client_id` / `client_secret` form fields. A Basic header that
 * does not decode to `id:secret` counts as credentials that match no client.
 */
export function clientCredentials(call: ApigeeCall, form: URLSearchParams): ClientCredentials | undefined {
  const authorization = call.request.headers.get('authorization');
  if (authorization?.startsWith('Basic ')) {
    try {
      const decoded = atob(authorization.slice(6).trim());
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        return {
          clientId: safeDecode(decoded.slice(0, colon)),
          clientSecret: safeDecode(decoded.slice(colon + 1)),
        };
      }
    } catch {
      // fall through: not base64
    }
    return { clientId: '\u0000invalid', clientSecret: '' };
  }
  const clientId = form.get('client_id') ?? undefined;
  if (clientId === undefined) return undefined;
  return { clientId, clientSecret: form.get('client_secret') ?? undefined };
}

/** RFC 6749 §2.3.1 form-encodes credentials before Basic; most clients do not, so decode leniently. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

/** A JSON answer. */
export { jsonResponse as json } from '../../http/exchange.ts';

export function empty(status: number): SimResponse {
  return simResponse(status);
}
