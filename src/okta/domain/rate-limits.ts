import { PrunedMap } from '../../core/pruned-map.ts';
import type { RateLimitConfig } from './config.ts';

/**
 * The org-wide per-minute buckets of docs/fidelity/okta.md#okta-rate-limit-buckets, `usersMe`, the per-user
 * 10-second window of `/api/v1/users/me` (docs/fidelity/okta.md#okta-admin-rate-limits), and the OAuth
 * buckets, one set per authorization server.
 */
export type RateBucket =
  | 'authn'
  | 'verify'
  | 'sessions'
  | 'other'
  | 'users'
  | 'user'
  | 'userWrite'
  | 'groups'
  | 'group'
  | 'usersMe'
  | 'oauth2Authorize'
  | 'oauth2Token'
  | 'oauth2Other';

/** Window lengths that are not a minute. */
const WINDOW: Partial<Record<RateBucket, number>> = { usersMe: 10_000 };

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
/** Usernames whose one-second window is remembered at once. */
const MAX_USERNAMES = 10_000;

/**
 * Okta's rate limits on the virtual clock: a 60-second window per bucket that opens with its first request
 * (Okta's windows are not aligned to wall-clock minutes, docs/fidelity/okta.md#okta-rate-limit-buckets), and
 * a 1-second window per username for primary authentication.
 */
export class RateLimiter {
  readonly #limits: RateLimitConfig;
  readonly #buckets = new Map<string, Window>();
  // One window per username that signed in within the last second: stale ones go as new ones come.
  readonly #usernames: PrunedMap<string, Window>;
  /** The time of the latest count: what the per-username windows are pruned against. */
  #now = 0;

  constructor(limits: RateLimitConfig) {
    this.#limits = limits;
    this.#usernames = new PrunedMap(
      (window) => window.start + SECOND,
      () => this.#now,
    );
  }

  reset(): void {
    this.#buckets.clear();
    this.#usernames.clear();
  }

  /**
   * Counts a request against `bucket` (of one user for the per-user `usersMe`, of one authorization server
   * for the OAuth buckets: `scope`); `null` when the bucket is unlimited.
   */
  take(bucket: RateBucket, now: number, scope = ''): RateReading | null {
    const limit = this.#limits[bucket] ?? 0;
    if (limit === 0) return null;
    const key = scope ? `${bucket} ${scope}` : bucket;
    return count(this.#buckets, key, now, WINDOW[bucket] ?? MINUTE, limit);
  }

  /**
   * Counts a primary authentication for `username` (docs/fidelity/okta.md#okta-per-username-limit); `null`
   * when unlimited.
   */
  takeUsername(username: string, now: number): RateReading | null {
    const limit = this.#limits.authnPerUsernamePerSecond;
    if (limit === 0) return null;
    this.#now = now;
    // With a frozen clock no window ever ends: past MAX_USERNAMES the oldest is forgotten instead.
    const key = username.toLowerCase();
    if (this.#usernames.size >= MAX_USERNAMES && !this.#usernames.has(key)) {
      const oldest = this.#usernames.entries().next().value;
      if (oldest) this.#usernames.delete(oldest[0]);
    }
    return count(this.#usernames, key, now, SECOND, limit);
  }
}

function count<K>(
  windows: Map<K, Window> | PrunedMap<K, Window>,
  key: K,
  now: number,
  length: number,
  limit: number,
): RateReading {
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
