import { OktaError } from './errors.ts';

/**
 * Cursor pagination as Okta's collections page (docs/fidelity/okta.md#okta-pagination): `limit` records from
 * just after the record named by `after`; a `next` cursor (the last record's id) only when more follow.
 */

/** What a listing request asks for; `limit` already checked and capped. */
export interface PageRequest {
  after: string | undefined;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; undefined on the last. */
  next: string | undefined;
}

/** A listing's default and largest `limit` (docs/fidelity/okta.md#okta-admin-input-bounds). */
export interface LimitRule {
  default: number;
  max: number;
}

/**
 * Reads `limit` and `after` as they came in the query string. A `limit` that is not a whole number of at
 * least 1 is 400 E0000029; above the maximum it is capped.
 */
export function pageRequest(limit: string | null, after: string | null, rule: LimitRule): PageRequest {
  let count = rule.default;
  if (limit !== null) {
    if (!/^\d{1,9}$/.test(limit.trim()) || Number(limit) < 1) {
      throw new OktaError('E0000029', {
        detail: `limit ${JSON.stringify(limit.slice(0, 40))} is not a count`,
      });
    }
    count = Math.min(Number(limit), rule.max);
  }
  if (after !== null && after.length > 256) throw new OktaError('E0000029', { detail: 'after is too long' });
  return { after: after === null || after === '' ? undefined : after, limit: count };
}

/**
 * One page of `ordered` (already in listing order). `position` tells where a record stands in that order
 * (also one deleted since, while remembered); a cursor naming nothing known is 400 E0000029.
 */
export function pageOf<T>(
  ordered: readonly T[],
  request: PageRequest,
  idOf: (item: T) => string,
  position: (id: string) => number | undefined,
): Page<T> {
  let start = 0;
  if (request.after !== undefined) {
    const after = position(request.after);
    if (after === undefined) throw new OktaError('E0000029', { detail: `unknown cursor ${request.after}` });
    start = ordered.findIndex((item) => (position(idOf(item)) ?? -1) > after);
    if (start === -1) start = ordered.length;
  }
  const items = ordered.slice(start, start + request.limit);
  const last = items.at(-1);
  const more = start + request.limit < ordered.length;
  return { items, next: more && last !== undefined ? idOf(last) : undefined };
}
