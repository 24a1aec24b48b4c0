import type { Faker } from '@faker-js/faker';
import { faker as englishFaker } from '@faker-js/faker/locale/en';

// The `locale/en` entry loads one locale (about 20 ms) where the package root loads all of them (over
// 100 ms); its instance's constructor is the `Faker` class, so a private seeded instance costs nothing more.
const FakerClass = englishFaker.constructor as new (options: {
  locale: Faker['rawDefinitions'];
  seed?: number;
}) => Faker;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URL_SAFE = `${ALPHANUMERIC}-_`;

/**
 * Seeded source of every id, token and generated name of one simulator: the same seed gives the same
 * sequence, so scenario runs and snapshots repeat.
 */
export class IdSource {
  readonly #seed: number;
  /**
   * Made on first use: a Faker costs about 20 KB and a fraction of a millisecond, and many simulators
   * (tenants, docs/tenants.md) never draw from some of their sources. A fresh one starts at the seed, so
   * the sequence is the same either way.
   */
  #faker: Faker | undefined;

  constructor(seed: number) {
    this.#seed = seed;
  }

  get faker(): Faker {
    this.#faker ??= new FakerClass({ locale: englishFaker.rawDefinitions, seed: this.#seed });
    return this.#faker;
  }

  /** How many times the sequence branched (`branchFrom`) since the seed. */
  #branch = 0;

  /** Starts the sequence again from the seed. */
  restart(): void {
    this.#branch = 0;
    this.#faker?.seed(this.#seed);
  }

  /**
   * Goes on from a branch of the seeded sequence that `other` has not used: what an org that adopts
   * another's records draws from, so that its new ids never repeat the adopted ones. Deterministic too.
   */
  branchFrom(other: IdSource): void {
    this.#branch = other.#branch + 1;
    this.faker.seed([this.#seed, this.#branch]);
  }

  /** `length` characters from `alphabet` (default: letters and digits). */
  chars(length: number, alphabet: string = ALPHANUMERIC): string {
    // Several characters per draw: one seeded integer below n^k gives k uniform base-n digits. Drawing per
    // character (faker.string.fromCharacters) made ids a third of the cost of a primary authentication.
    const n = alphabet.length;
    const perDraw = Math.max(1, Math.floor(30 / Math.log2(n)));
    const limit = n ** perDraw;
    // Joined once: appending char by char leaves a rope of one heap object per character, kept as long as
    // the token is (bench/scale.ts measured 824 instead of 328 bytes per token).
    const out: string[] = [];
    while (out.length < length) {
      let value = this.faker.number.int({ max: limit - 1 });
      for (let i = 0; i < perDraw && out.length < length; i++) {
        out.push(alphabet.charAt(value % n));
        value = Math.floor(value / n);
      }
    }
    return out.join('');
  }

  /** `length` characters from the URL-safe base64 alphabet. */
  urlSafe(length: number): string {
    return this.chars(length, URL_SAFE);
  }

  /** A string of `length` decimal digits (one-time passcodes). */
  digits(length: number): string {
    return this.faker.string.numeric({ length, allowLeadingZeros: true });
  }
}
