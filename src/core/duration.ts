/**
 * Durations as scenario files and the clock API accept them: a number of milliseconds, or a string made
 * of one or more `<number><unit>` parts with units `ms`, `s`, `m`, `h`, `d` ("16m", "1h30m", "500ms").
 */
export type Duration = number | string;

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
export function parseDuration(input: Duration): number {
  const ms = typeof input === 'number' ? input : parseText(input);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid duration: ${input}`);
  if (ms > MAX_DURATION_MS) {
    throw new RangeError(`Duration ${JSON.stringify(input)} is longer than the maximum, 36500d (100 years)`);
  }
  return ms;
}

function parseText(input: string): number {
  const text = input.trim();
  if (text.length === 0) throw new RangeError('Invalid duration: empty string');
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match)
      throw new RangeError(`Invalid duration: "${input}" (use e.g. 500ms, 30s, 16m, 2h, 1d, 1h30m)`);
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
  }
  return total;
}
