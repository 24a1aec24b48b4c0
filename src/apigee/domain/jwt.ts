import type { JWK, JWTPayload, KeyObject } from 'jose';
import type { RsaPrivateJwk } from './config.ts';

/**
 * jose is loaded on first use: most scenarios never sign a JWT, and `serve` starts faster without it.
 * Every caller is async anyway.
 */
let joseModule: Promise<typeof import('jose')> | undefined;
const jose = () => {
  joseModule ??= import('jose');
  return joseModule;
};

type SigningKey = CryptoKey | KeyObject | Uint8Array;

interface RsaKeys {
  sign: SigningKey;
  verify: SigningKey;
  jwk: JWK;
}

export interface JwtSettings {
  algorithm: 'RS256' | 'HS256';
  /** The scenario's RSA key as PKCS#8 PEM, or as a JWK; neither: the key ring's. */
  privateKey: string | undefined;
  privateJwk?: RsaPrivateJwk | undefined;
  secret: string;
  /** A fixed `iss`, checked on verification; undefined: each token names the proxy origin it came from. */
  issuer: string | undefined;
}

/**
 * The RSA key a simulator signs JWTs with when the scenario gives none: made on first use (so creating and
 * resetting a simulator stay cheap) and kept for the simulator's life, across `reset()` and `load()`, so a
 * verifier that cached the key keeps verifying (docs/fidelity/apigee.md#apigee-jwt-keys).
 */
export class JwtKeyRing {
  #keys: Promise<RsaKeys> | undefined;

  rsa(): Promise<RsaKeys> {
    this.#keys ??= generatedKeys();
    return this.#keys;
  }
}

/** Claims of a JWT access token (docs/fidelity/apigee.md#apigee-jwt-claims). */
export interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  scope: string;
}

export type JwtCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'expired' | 'invalid' | 'undecodable'; claims?: AccessTokenClaims };

/**
 * Signs and verifies JWT access tokens with `jose`: header `typ: at+JWT` and `kid`, RS256 (JWKS served) or
 * HS256. The RSA key is the scenario's, else the key ring's.
 */
export class JwtSigner {
  readonly #settings: JwtSettings;
  readonly #ring: JwtKeyRing;
  #keys: Promise<{ sign: SigningKey; verify: SigningKey; jwk: JWK | undefined }> | undefined;

  constructor(settings: JwtSettings, ring: JwtKeyRing) {
    this.#settings = settings;
    this.#ring = ring;
  }

  /**
   * Signs an access token. `iss` is the fixed issuer, else `proxyIssuer`: the proxy's own scheme, host and
   * base path (docs/fidelity/apigee.md#apigee-jwt-claims), so that tokens from the standalone server name the
   * server.
   */
  async sign(
    claims: AccessTokenClaims & { sub: string; jti: string; iat: number; exp: number },
    proxyIssuer: string,
  ): Promise<string> {
    const { sign, jwk } = await this.#load();
    const { SignJWT } = await jose();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: this.#settings.algorithm, typ: 'at+JWT', ...(jwk?.kid && { kid: jwk.kid }) })
      .setIssuer(this.#settings.issuer ?? proxyIssuer)
      .sign(sign);
  }

  /**
   * Verifies signature, type and expiry against `nowSeconds` (the virtual clock); `undecodable` when the value
   * is no JWS with a JSON header and claims at all.
   */
  async verify(token: string, nowSeconds: number): Promise<JwtCheck> {
    const { decodeJwt, decodeProtectedHeader, errors, jwtVerify } = await jose();
    try {
      decodeProtectedHeader(token);
      decodeJwt(token);
    } catch {
      return { ok: false, reason: 'undecodable' };
    }
    const { verify } = await this.#load();
    try {
      const { payload } = await jwtVerify<AccessTokenClaims>(token, verify, {
        algorithms: [this.#settings.algorithm],
        typ: 'at+JWT',
        ...(this.#settings.issuer !== undefined && { issuer: this.#settings.issuer }),
        // biome-ignore lint/style/noRestrictedGlobals: jose takes the virtual time as a Date
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: 0,
      });
      return { ok: true, claims: payload };
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        return { ok: false, reason: 'expired', claims: decodeJwt<AccessTokenClaims>(token) };
      return { ok: false, reason: 'invalid' };
    }
  }

  /** The public keys, for `GET /oauth/jwks`; empty for HS256. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { jwk } = await this.#load();
    return { keys: jwk ? [jwk] : [] };
  }

  #load() {
    this.#keys ??= this.#makeKeys();
    return this.#keys;
  }

  async #makeKeys(): Promise<{ sign: SigningKey; verify: SigningKey; jwk: JWK | undefined }> {
    const { importJWK, importPKCS8 } = await jose();
    const { algorithm, privateKey, privateJwk } = this.#settings;
    if (algorithm === 'HS256') {
      const secret = new TextEncoder().encode(this.#settings.secret);
      return { sign: secret, verify: secret, jwk: undefined };
    }
    if (privateKey) return rsaKeys(await importPKCS8(privateKey, 'RS256', { extractable: true }));
    if (privateJwk) {
      const { kid, ...key } = privateJwk;
      return rsaKeys(await importJWK(key, 'RS256'), { n: key.n, e: key.e }, kid);
    }
    return this.#ring.rsa();
  }
}

async function generatedKeys(): Promise<RsaKeys> {
  const { generateKeyPair } = await jose();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return rsaKeys(privateKey);
}

/**
 * A private key with its public half and public JWK, whose `kid` is the one given or else the key's RFC 7638
 * thumbprint: a new key has a new `kid`, so a verifier that cached the old one fetches the JWKS again
 * (docs/fidelity/apigee.md#apigee-jwt-keys).
 */
async function rsaKeys(
  privateKey: SigningKey,
  known?: { n: string; e: string },
  kid?: string,
): Promise<RsaKeys> {
  const { calculateJwkThumbprint, exportJWK, importJWK } = await jose();
  const { n, e } = known ?? (await exportJWK(privateKey));
  const publicJwk = { kty: 'RSA', n, e };
  const verify = await importJWK(publicJwk, 'RS256');
  return {
    sign: privateKey,
    verify,
    jwk: {
      ...publicJwk,
      kid: kid ?? (await calculateJwkThumbprint(publicJwk, 'sha256')),
      alg: 'RS256',
      use: 'sig',
    },
  };
}

/** Whether a bearer value has the three dot-separated parts of a JWS. */
export function looksLikeJwt(value: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);
}
