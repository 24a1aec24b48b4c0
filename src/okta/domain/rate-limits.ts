import type { OktaScenario } from '../scenario.ts';

/** The org-wide per-minute buckets of docs/fidelity/okta.md#okta-rate-limit-buckets. */
export type RateBucket = 'authn' | 'verify' | 'sessions' | 'other';

/** What the `X-Rate-Limit-*` headers report for one request. */
export interface RateReading {
  limit: number;
  remaining: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  limited: boolean;
}

interface Window {
  start: number;
  count: number;
}

const MINUTE = 60_000;
const SECOND = 1_000;

/**
 * Okta's rate limits on the virtual clock: a 60-second window per bucket that opens with its first request
 * (Okta's windows are not aligned to wall-clock minutes, docs/fidelity/okta.md#okta-rate-limit-buckets), and
 * a 1-second window per username for primary authentication.
 */
export class RateLimiter {
  readonly #limits: OktaScenario['rateLimits'];
  readonly #buckets = new Map<RateBucket, Window>();
  readonly #usernames = new Map<string, Window>();

  constructor(limits: OktaScenario['rateLimits']) {
    this.#limits = limits;
  }

  reset(): void {
    this.#buckets.clear();
    this.#usernames.clear();
  }

  /** Counts a request against `bucket`; `null` when the bucket is unlimited. */
  take(bucket: RateBucket, now: number): RateReading | null {
    const limit = this.#limits[bucket];
    if (limit === 0) return null;
    return count(this.#buckets, bucket, now, MINUTE, limit);
  }

  /**
   * Counts a primary authentication for `username` (docs/fidelity/okta.md#okta-per-username-limit); `null`
   * when unlimited.
   */
  takeUsername(username: string, now: number): RateReading | null {
    const limit = this.#limits.authnPerUsernamePerSecond;
    if (limit === 0) return null;
    return count(this.#usernames, username.toLowerCase(), now, SECOND, limit);
  }
}

function count<K>(windows: Map<K, Window>, key: K, now: number, length: number, limit: number): RateReading {
  let window = windows.get(key);
  if (!window || now >= window.start + length || now < window.start) {
    window = { start: now, count: 0 };
    windows.set(key, window);
  }
  window.count += 1;
  return {
    limit,
    remaining: Math.max(0, limit - window.count),
    reset: Math.ceil((window.start + length) / 1000),
    limited: window.count > limit,
  };
}

/** The `X-Rate-Limit-*` headers that report a reading (docs/fidelity/okta.md#okta-rate-limit-headers). */
export function rateHeaders(reading: RateReading): Record<string, string> {
  return {
    'X-Rate-Limit-Limit': String(reading.limit),
    'X-Rate-Limit-Remaining': String(reading.remaining),
    'X-Rate-Limit-Reset': String(reading.reset),
  };
}
