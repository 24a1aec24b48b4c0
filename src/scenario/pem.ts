/**
 * A structural check of an RSA private key in PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), done when a
 * scenario is validated: importing the key is asynchronous (WebCrypto), so a bad key would otherwise only
 * show up as a failure of every request that signs a JWT. Browser-safe: `atob` and a small DER walk.
 *
 * PKCS#8 (RFC 5208): SEQUENCE { INTEGER version, SEQUENCE { OID rsaEncryption, NULL }, OCTET STRING {
 * RSAPrivateKey (RFC 8017 A.1.2): SEQUENCE { INTEGER version, n, e, d, p, q, dp, dq, qi } } }.
 */
export function rsaPkcs8Problem(pem: string): string | undefined {
  const match = /^\s*-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----\s*$/.exec(pem);
  if (!match) return 'Expected a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY----- ...)';
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob((match[1] ?? '').replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  } catch {
    return 'The PEM body is not valid base64';
  }
  const outer = element(der, 0, 0x30);
  if (!outer) return 'The key is not valid DER (truncated or corrupted)';
  const version = outer && element(der, outer.start, 0x02);
  const algorithm = version && element(der, version.end, 0x30);
  const oid = algorithm && element(der, algorithm.start, 0x06);
  if (!oid || !sameBytes(der.subarray(oid.start, oid.end), RSA_ENCRYPTION)) {
    return 'Expected an RSA private key (PKCS#8 with the rsaEncryption algorithm)';
  }
  const octets = element(der, algorithm.end, 0x04);
  const rsa = octets && element(der, octets.start, 0x30);
  let at = rsa?.start;
  for (let i = 0; i < 9 && at !== undefined; i++) at = element(der, at, 0x02)?.end;
  if (!rsa || at === undefined || at > rsa.end) {
    return 'The RSA private key is incomplete or malformed';
  }
  return undefined;
}

/** OID 1.2.840.113549.1.1.1 in DER. */
const RSA_ENCRYPTION = new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);

/** The DER element with `tag` at `offset`: where its content starts and where the element ends. */
function element(der: Uint8Array, offset: number, tag: number): { start: number; end: number } | undefined {
  if (der[offset] !== tag) return undefined;
  let length = der[offset + 1];
  let start = offset + 2;
  if (length === undefined) return undefined;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] ?? Number.NaN);
    start += bytes;
  }
  const end = start + length;
  return Number.isFinite(end) && end <= der.length ? { start, end } : undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A structural check of an RSA private key in JWK form (RFC 7518 §6.3): every member present and base64url,
 * and a modulus of at least 2048 bits, which RS256 signing requires. Browser-safe, done at validation for the
 * reason given above.
 */
export function rsaJwkProblem(jwk: Readonly<Record<string, unknown>>): string | undefined {
  for (const member of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) {
    const value = jwk[member];
    if (typeof value !== 'string' || !BASE64URL.test(value)) return memberProblem(member);
  }
  const n = jwk.n;
  // Checked in the loop; again here for the type checker.
  if (typeof n !== 'string') return memberProblem('n');
  // Leading zero octets do not count: an unsigned big-endian integer of at least 2048 bits.
  const bytes = Math.floor((n.length * 6) / 8);
  if (bytes < 256) return 'The RSA modulus (n) must be at least 2048 bits for RS256';
  return undefined;
}

function memberProblem(member: string): string {
  return `The JWK member "${member}" must be base64url (an RSA private key has n, e, d, p, q, dp, dq and qi)`;
}
