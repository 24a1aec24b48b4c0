import { z } from 'zod';
import { parseDuration } from '../core/duration.ts';

/** A duration ("30s", "5m", "2h", "1d", "1h30m") or milliseconds; parsed to milliseconds. */
export const duration = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(/^(?:\d+|(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)$/, {
      message: 'Expected a duration like 500ms, 30s, 16m, 2h, 1d or 1h30m',
    }),
  ])
  .transform((value) => parseDuration(value));

/** An ISO-8601 instant. */
export const instant = z.iso.datetime({
  offset: true,
  message: 'Expected an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z',
});

/** An http(s) origin with no path: where a vendor is reached. */
export const origin = z
  .url({ protocol: /^https?$/, message: 'Expected an http(s) URL' })
  .refine((value) => {
    const url = new URL(value);
    return (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  }, 'Expected an origin without a path, e.g. https://dev-000000.okta.com')
  .transform((value) => new URL(value).origin);
