/**
 * `Authorization` headers, read once by the HTTP layer so that the domain receives credentials, never
 * header text. Schemes are kept as sent: each vendor decides how strict to be about their spelling.
 */
export interface Authorization {
  /** The scheme as sent: `SSWS`, `Bearer`, `Basic` ... */
  scheme: string;
  /** What follows the scheme, trimmed. */
  value: string;
}

/** The scheme and value of an `Authorization` header; `undefined` when there is none or it is blank. */
export function parseAuthorization(header: string | null): Authorization | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  const space = text.indexOf(' ');
  return space < 0
    ? { scheme: text, value: '' }
    : { scheme: text.slice(0, space), value: text.slice(space + 1).trim() };
}

/** The value of `Authorization: Bearer <token>` (case as RFC 6750 writes it), or `undefined`. */
export function bearerToken(authorization: Authorization | undefined): string | undefined {
  return authorization?.scheme === 'Bearer' && authorization.value !== '' ? authorization.value : undefined;
}

/**
 * The id and secret of HTTP Basic credentials (RFC 7617). RFC 6749 §2.3.1 has OAuth clients form-encode
 * both before joining them, which most clients skip, so percent-escapes and `+` are decoded where they
 * decode. `null` when the value is not base64 of `id:secret`.
 */
export function basicCredentials(value: string): { id: string; secret: string } | null {
  let decoded: string;
  try {
    decoded = atob(value);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}
