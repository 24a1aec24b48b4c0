import type { JWK, JWTPayload, KeyObject } from 'jose';

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

export interface JwtSettings {
  algorithm: 'RS256' | 'HS256';
  privateKey: string | undefined;
  secret: string;
  /** A fixed `iss`, checked on verification; undefined: each token names the proxy origin it came from. */
  issuer: string | undefined;
}

/** Claims of a JWT access token (docs/fidelity/apigee.md#apigee-jwt-claims). */
export interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  scope: string;
}

export type JwtCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'expired' | 'invalid'; claims?: AccessTokenClaims };

/**
 * Signs and verifies JWT access tokens with `jose`: header `typ: at+JWT`, RS256 (JWKS served) or HS256.
 * The RSA key is made on first use and kept for the simulator's life, so `reset()` stays cheap.
 */
export class JwtSigner {
  readonly #settings: JwtSettings;
  #keys: Promise<{ sign: SigningKey; verify: SigningKey; jwk: JWK | undefined }> | undefined;

  constructor(settings: JwtSettings) {
    this.#settings = settings;
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

  /** Verifies signature, type and expiry against `nowSeconds` (the virtual clock). */
  async verify(token: string, nowSeconds: number): Promise<JwtCheck> {
    const { verify } = await this.#load();
    const { decodeJwt, errors, jwtVerify } = await jose();
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

  async #makeKeys() {
    const { exportJWK, generateKeyPair, importJWK, importPKCS8 } = await jose();
    if (this.#settings.algorithm === 'HS256') {
      const secret = new TextEncoder().encode(this.#settings.secret);
      return { sign: secret, verify: secret, jwk: undefined };
    }
    let privateKey: SigningKey;
    let publicKey: SigningKey;
    if (this.#settings.privateKey) {
      privateKey = await importPKCS8(this.#settings.privateKey, 'RS256', { extractable: true });
      const { kty, n, e } = await exportJWK(privateKey);
      publicKey = await importJWK({ kty, n, e }, 'RS256');
    } else {
      ({ privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true }));
    }
    const { kty, n, e } = await exportJWK(publicKey);
    return {
      sign: privateKey,
      verify: publicKey,
      jwk: { kty, n, e, kid: 'sim-1', alg: 'RS256', use: 'sig' },
    };
  }
}

/** Whether a bearer value has the three dot-separated parts of a JWS. */
export function looksLikeJwt(value: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value);
}
