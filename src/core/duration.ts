/** The units of a duration: milliseconds, seconds, minutes, hours, days. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/**
 * A duration as text, broadly: digits alone (milliseconds), or `<number><unit>` parts ("16m", "1h30m",
 * "500ms"). TypeScript's `${number}` also admits "-5s" or "1e3s", which the parser refuses: where a
 * duration is a literal (`defineScenario`, `sim.clock.advance`), `CheckedDuration` checks it exactly.
 */
export type DurationText =
  | `${number}`
  | `${number}${DurationUnit}`
  | `${number}${DurationUnit}${number}${string}`;

/**
 * Durations as scenario files and the clock API accept them: a whole number of milliseconds, or a string
 * made of one or more `<number><unit>` parts with units `ms`, `s`, `m`, `h`, `d` ("16m", "1h30m", "500ms",
 * "1.5h"), or of digits alone (milliseconds). Exactly `DURATION_PATTERN`; nothing else, no spaces.
 */
export type Duration = number | DurationText;

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type AfterDigits<S extends string> = S extends `${Digit}${infer Rest}` ? AfterDigits<Rest> : S;
/** What follows `\d+(\.\d+)?` at the start of S; `never` when S does not start with a digit. */
type AfterNumber<S extends string> = S extends `${Digit}${infer Rest}`
  ? AfterDigits<Rest> extends `.${Digit}${infer Fraction}`
    ? AfterDigits<Fraction>
    : AfterDigits<Rest>
  : never;
type AfterUnit<S extends string> = S extends `ms${infer Rest}`
  ? Rest
  : S extends `${'s' | 'm' | 'h' | 'd'}${infer Rest}`
    ? Rest
    : never;
type Parts<S extends string> = S extends ''
  ? true
  : [AfterUnit<AfterNumber<S>>] extends [never]
    ? false
    : Parts<AfterUnit<AfterNumber<S>>>;
/** Whether the literal `S` matches `DURATION_PATTERN`, checked by the type system. */
type IsDurationText<S extends string> = S extends `${Digit}${string}`
  ? AfterDigits<S> extends ''
    ? true
    : Parts<S>
  : false;

/** The message a wrong literal duration meets in the type checker. */
export interface InvalidDuration {
  'Expected a duration such as 500ms, 30s, 16m, 2h, 1d or 1h30m, or whole milliseconds': true;
}

/**
 * `D` when it is a duration exactly as the parser accepts it, else `D & InvalidDuration` (which no value
 * is, so the type checker reports it, with that message). Types that are not literals (`number`, a
 * `Duration` from elsewhere) are let through: the parser checks them when they arrive.
 *
 * @example
 * function wait<const D extends Duration>(by: CheckedDuration<D>) {}
 * wait('1h30m'); // ok
 * wait('16 minutes'); // error
 */
export type CheckedDuration<D> = D extends number
  ? number extends D
    ? D
    : `${D}` extends `-${string}` | `${string}.${string}` | `${string}e${string}`
      ? D & InvalidDuration
      : D
  : D extends string
    ? Record<never, never> extends Record<D, 1>
      ? D
      : IsDurationText<D> extends true
        ? D
        : D & InvalidDuration
    : D & InvalidDuration;

/** The text form of a duration, as scenario files and `parseDuration` accept it. */
export const DURATION_PATTERN = /^(?:\d+|(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * The longest duration accepted anywhere: 100 years (36,500 days). Every expiry is an instant plus a
 * duration, and instants stay within `MAX_INSTANT` (clock.ts), so their sum stays a valid date.
 */
export const MAX_DURATION_MS = 36_500 * 86_400_000;

/**
 * Milliseconds in `input`; throws a RangeError naming the bad input. Negative durations and durations
 * over `MAX_DURATION_MS` are refused.
 */
export function parseDuration(input: number | string): number {
  const ms = typeof input === 'number' ? input : parseText(input);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid duration: ${input}`);
  if (ms > MAX_DURATION_MS) {
    throw new RangeError(`Duration ${JSON.stringify(input)} is longer than the maximum, 36500d (100 years)`);
  }
  return ms;
}

function parseText(text: string): number {
  if (text.length === 0) throw new RangeError('Invalid duration: empty string');
  if (!DURATION_PATTERN.test(text)) {
    throw new RangeError(`Invalid duration: "${text}" (use e.g. 500ms, 30s, 16m, 2h, 1d, 1h30m)`);
  }
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) throw new RangeError(`Invalid duration: "${text}" (use e.g. 500ms, 30s, 16m, 2h, 1d, 1h30m)`);
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
  }
  return total;
}

/** `input`, typed as the duration it is, when `parseDuration` accepts it; its RangeError otherwise. */
export function checkedDuration(input: number | string): Duration {
  parseDuration(input);
  // parseDuration accepts exactly DURATION_PATTERN's text, which is what DurationText spells.
  return input as Duration;
}
