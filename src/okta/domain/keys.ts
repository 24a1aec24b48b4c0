import type { JWK, JWTPayload } from 'jose';
import type { PrivateJwk } from './config.ts';

/**
 * jose is loaded on first use: most scenarios never sign a JWT, and `createSimulator` and `serve` start
 * faster without it.
 */
let joseModule: Promise<typeof import('jose')> | undefined;
export const jose = (): Promise<typeof import('jose')> => {
  joseModule ??= import('jose');
  return joseModule;
};

/** One RS256 key pair: the private half signs, the public JWK is what `/v1/keys` publishes. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** `{kty, alg, kid, use, e, n}` as Okta publishes keys (docs/fidelity/okta.md#okta-oidc-keys). */
  readonly jwk: JWK;
}

interface Slot {
  /** Newest first: the first signs, all are published. */
  keys: Promise<SigningKey>[];
  /** The scenario's key, when it gave one: a reload with the same key keeps the slot as it is. */
  given: string | undefined;
}

/**
 * The signing keys of every authorization server, made once per simulator (not per scenario) and kept
 * across `reset()` and scenario reloads, so that a verifier that cached a key by `kid` stays right. Keys
 * are made on first use (RSA generation takes tens of milliseconds). A `kid` is the key's RFC 7638
 * thumbprint, so no two keys ever share one (docs/fidelity/okta.md#okta-oidc-keys).
 */
export class KeyRing {
  readonly #slots = new Map<string, Slot>();
  /** Public keys by kid, of every key this ring ever made (verification of tokens it signed). */
  readonly #byKid = new Map<string, SigningKey>();

  /**
   * Uses the scenario's private key for `slot` (or, with `undefined`, keeps whatever the slot has). A
   * different key than the slot had becomes the signing key; the old one stays published.
   */
  configure(slot: string, given: PrivateJwk | undefined): void {
    if (!given) return;
    const fingerprint = JSON.stringify([given.n, given.e, given.d]);
    const current = this.#slots.get(slot);
    if (current?.given === fingerprint) return;
    const key = this.#track(importKey(given));
    this.#slots.set(slot, { keys: [key, ...(current?.keys.slice(0, 1) ?? [])], given: fingerprint });
  }

  /** The key that signs for `slot`; made on first use. */
  signing(slot: string): Promise<SigningKey> {
    return this.#slot(slot).keys[0]!;
  }

  /** Every published key of `slot`, the signing one first. */
  published(slot: string): Promise<SigningKey[]> {
    return Promise.all(this.#slot(slot).keys);
  }

  /**
   * A new key signs for `slot` from now on; the previous one stays published (tokens it signed still
   * verify), the one before it is retired. Generation starts at once.
   */
  rotate(slot: string): void {
    const current = this.#slot(slot);
    this.#slots.set(slot, {
      keys: [this.#track(generateKey()), ...current.keys.slice(0, 1)],
      given: undefined,
    });
  }

  /** The key with this kid, if this ring made it. */
  byKid(kid: string): SigningKey | undefined {
    return this.#byKid.get(kid);
  }

  #slot(slot: string): Slot {
    let found = this.#slots.get(slot);
    if (!found) {
      found = { keys: [this.#track(generateKey())], given: undefined };
      this.#slots.set(slot, found);
    }
    return found;
  }

  #track(key: Promise<SigningKey>): Promise<SigningKey> {
    void key.then(
      (made) => this.#byKid.set(made.kid, made),
      () => undefined,
    );
    return key;
  }
}

async function generateKey(): Promise<SigningKey> {
  const { generateKeyPair } = await jose();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return describe(privateKey, publicKey);
}

async function importKey(given: PrivateJwk): Promise<SigningKey> {
  const { importJWK } = await jose();
  const { kty, n, e, d, p, q, dp, dq, qi } = given;
  const privateKey = await importJWK({ kty, n, e, d, p, q, dp, dq, qi }, 'RS256', { extractable: true });
  const publicKey = await importJWK({ kty, n, e }, 'RS256');
  return describe(rsaKey(privateKey), rsaKey(publicKey));
}

/** An imported key: `importJWK` answers bytes only for a symmetric (`kty: oct`) key, which validation refuses. */
function rsaKey(key: CryptoKey | Uint8Array): CryptoKey {
  if (key instanceof Uint8Array) throw new TypeError('Expected an RSA key (kty: RSA), got a symmetric one');
  return key;
}

async function describe(privateKey: CryptoKey, publicKey: CryptoKey): Promise<SigningKey> {
  const { calculateJwkThumbprint, exportJWK } = await jose();
  const { kty, n, e } = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint({ kty: kty ?? 'RSA', n, e }, 'sha256');
  return { kid, privateKey, publicKey, jwk: { kty, alg: 'RS256', kid, use: 'sig', e, n } };
}

/** Signs claims with a key: header `{kid, alg: RS256}` and no `typ`, as Okta's (docs/fidelity/okta.md#okta-oidc-jwt-header). */
export async function signJwt(key: SigningKey, claims: JWTPayload): Promise<string> {
  const { SignJWT } = await jose();
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}
