import { type CheckedDuration, type Duration, parseDuration } from './duration.ts';

/** What `GET /__sim/clock` and `sim.clock.toJSON()` answer. */
export interface ClockReading {
  now: string;
  frozen: boolean;
}

/** Reads the machine's monotonic time; the only real-time source of the simulator. */
export type RealTime = () => number;

const realTime: RealTime = () => performance.now();

/**
 * The simulator's one clock. Every expiry, timeout and rate-limit window is judged against it.
 *
 * Frozen, it moves only when told to (`advance`, `set`); running, it follows real time from the instant
 * it was last set. Listeners hear every jump so that timed events can fire in order.
 */
export class VirtualClock {
  #base: number;
  #anchor: number;
  #frozen: boolean;
  readonly #real: RealTime;
  readonly #listeners = new Set<(now: number, previous: number) => void>();

  constructor(start: number, options: { frozen?: boolean; realTime?: RealTime } = {}) {
    this.#real = options.realTime ?? realTime;
    this.#base = start;
    this.#anchor = this.#real();
    this.#frozen = options.frozen ?? true;
  }

  /** Virtual time in epoch milliseconds. */
  now(): number {
    return this.#frozen ? this.#base : this.#base + Math.floor(this.#real() - this.#anchor);
  }

  get frozen(): boolean {
    return this.#frozen;
  }

  /**
   * Moves time forward by `by` ("16m", 90_000 ...). Returns the new time. A RangeError, with the clock
   * unchanged, when `by` is not a duration or would carry the clock past `MAX_INSTANT`.
   */
  advance<const D extends Duration>(by: CheckedDuration<D>): number {
    const to = this.now() + parseDuration(by);
    checkInstant(to, `now + ${by}`);
    return this.#jump(to);
  }

  /** Sets time to an ISO instant or epoch milliseconds; may move backwards. Returns the new time. */
  set(to: string | number): number {
    return this.#jump(parseInstant(to));
  }

  /** Stops time at the current instant. */
  freeze(): void {
    this.#rebase(this.now());
    this.#frozen = true;
  }

  /** Lets time flow with real time from the current instant. */
  resume(): void {
    this.#rebase(this.now());
    this.#frozen = false;
  }

  /** Calls `listener(now, previous)` after every `advance` or `set`; returns an unsubscribe function. */
  onJump(listener: (now: number, previous: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Puts the clock back to `start` with the given mode, without notifying listeners. */
  restart(start: number, frozen: boolean): void {
    this.#rebase(start);
    this.#frozen = frozen;
  }

  toJSON(): ClockReading {
    return { now: isoString(this.now()), frozen: this.#frozen };
  }

  #jump(to: number): number {
    const previous = this.now();
    this.#rebase(to);
    for (const listener of this.#listeners) listener(to, previous);
    return to;
  }

  #rebase(to: number): void {
    this.#base = to;
    this.#anchor = this.#real();
  }
}

/**
 * The range of instants the clock accepts: 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z. Both
 * vendors write four-digit years, and every expiry (an instant plus at most `MAX_DURATION_MS`) stays
 * within what a Date can hold, so nothing downstream meets an invalid date.
 */
export const MIN_INSTANT = 0;
export const MAX_INSTANT = 253_402_300_799_999;

/**
 * Epoch milliseconds of an ISO-8601 string or a number; throws a RangeError for anything else and for
 * instants outside `MIN_INSTANT`..`MAX_INSTANT`.
 */
export function parseInstant(value: string | number): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid instant: ${JSON.stringify(value)} (use ISO-8601)`);
  checkInstant(ms, value);
  return ms;
}

function checkInstant(ms: number, input: unknown): void {
  if (ms < MIN_INSTANT || ms > MAX_INSTANT) {
    throw new RangeError(
      `Instant ${JSON.stringify(input)} is outside the clock's range, 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z`,
    );
  }
}

/** The real current time, for `clock.start: now`. */
export function realNow(): number {
  return Date.now();
}

/** The real current time as ISO-8601, for the journal's wall-clock stamp. */
export function wallClockIso(): string {
  return new Date().toISOString();
}

// An answer formats the same few instants several times (now in the journal and the Date header, expiries
// in bodies), and under a frozen clock every answer formats the same ones: formatting costs more than a
// VerifyAccessToken's lookup, so recent results are kept.
const isoCache = new Map<number, string>();
const httpCache = new Map<number, string>();

function cached(cache: Map<number, string>, ms: number, format: (this: Date) => string): string {
  let text = cache.get(ms);
  if (text === undefined) {
    text = format.call(new Date(ms));
    if (cache.size >= 64) cache.clear();
    cache.set(ms, text);
  }
  return text;
}

/** ISO-8601 with milliseconds, as both vendors write dates. */
export function isoString(ms: number): string {
  return cached(isoCache, ms, Date.prototype.toISOString);
}

/** An RFC 7231 `Date` header value. */
export function httpDate(ms: number): string {
  return cached(httpCache, ms, Date.prototype.toUTCString);
}
