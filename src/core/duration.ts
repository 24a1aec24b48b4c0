/**
 * Durations as scenario files and the clock API accept them: a number of milliseconds, or a string made
 * of one or more `<number><unit>` parts with units `ms`, `s`, `m`, `h`, `d` ("16m", "1h30m", "500ms").
 */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Milliseconds in `input`; throws a RangeError naming the bad input. Negative durations are refused. */
export function parseDuration(input: Duration): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new RangeError(`Invalid duration: ${input}`);
    return input;
  }
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match)
      throw new RangeError(`Invalid duration: "${input}" (use e.g. 500ms, 30s, 16m, 2h, 1d, 1h30m)`);
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  if (text.length === 0) throw new RangeError('Invalid duration: empty string');
  return total;
}

/** True when `input` parses as a duration. */
export function isDuration(input: unknown): input is Duration {
  if (typeof input !== 'number' && typeof input !== 'string') return false;
  try {
    parseDuration(input);
    return true;
  } catch {
    return false;
  }
}
