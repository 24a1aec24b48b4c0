import { z } from 'zod';
import { MAX_INSTANT, MIN_INSTANT } from '../core/clock.ts';
import { DURATION_PATTERN, type DurationText, parseDuration } from '../core/duration.ts';
import { errorMessage } from '../core/error-message.ts';

/**
 * A duration ("30s", "5m", "2h", "1d", "1h30m") or milliseconds; parsed to milliseconds. Longer than
 * 36500d is refused here, with the scenario's line and column, rather than when the clock overflows.
 */
export const duration = z
  .union([
    z.number().int().nonnegative(),
    // Typed as DurationText, so that scenarios in code are checked as they are written (defineScenario).
    z
      .custom<DurationText>((value) => typeof value === 'string' && DURATION_PATTERN.test(value), {
        message: 'Expected a duration like 500ms, 30s, 16m, 2h, 1d or 1h30m',
      })
      .meta({ type: 'string', pattern: DURATION_PATTERN.source }),
  ])
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: errorMessage(error) });
      return z.NEVER;
    }
  });

/** An ISO-8601 instant within the clock's range (1970 to 9999). */
export const instant = z.iso
  .datetime({ offset: true, message: 'Expected an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z' })
  .refine((value) => {
    const ms = Date.parse(value);
    return ms >= MIN_INSTANT && ms <= MAX_INSTANT;
  }, 'Expected an instant between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z');

/** An http(s) origin with no path: where a vendor is reached. */
export const origin = z.string().transform((value, ctx) => {
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    ctx.addIssue({ code: 'custom', message: 'Expected an http(s) URL, e.g. https://dev-000000.okta.com' });
    return z.NEVER;
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    ctx.addIssue({
      code: 'custom',
      message: 'Expected an origin without a path, e.g. https://dev-000000.okta.com',
    });
    return z.NEVER;
  }
  return url.origin;
});
