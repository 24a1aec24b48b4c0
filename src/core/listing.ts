/**
 * Lists for views of state that can grow large (`GET /__sim/state` after a long run holds a million
 * tokens): each list keeps at most `limit` items and the listing counts what it left out, by list name.
 */
export class Listing {
  readonly limit: number;
  /** Items left out, per list; empty when nothing was. */
  readonly truncated: Record<string, number> = {};

  constructor(limit = Number.POSITIVE_INFINITY) {
    this.limit = limit;
  }

  /** The first `limit` items that pass `keep`, mapped; the rest are only counted. */
  list<T, R>(name: string, items: Iterable<T>, map: (item: T) => R, keep?: (item: T) => boolean): R[] {
    const out: R[] = [];
    let omitted = 0;
    for (const item of items) {
      if (keep && !keep(item)) continue;
      if (out.length < this.limit) out.push(map(item));
      else omitted += 1;
    }
    if (omitted > 0) this.truncated[name] = omitted;
    return out;
  }
}
