/**
 * A map whose records drop out once their prune time has passed, so that a long run keeps a steady
 * footprint. The work is amortised: every `set` drops at most a few records that are due, found through
 * a min-heap of prune times, never by scanning the map. A record whose prune time moved later (a sliding
 * expiry) is put back with its new time when its old one comes up. Records with no prune time
 * (`Infinity`) stay until deleted: live state is never pruned.
 */
export class PrunedMap<K, V> {
  readonly #map = new Map<K, V>();
  readonly #pruneAt: (value: V) => number;
  readonly #now: () => number;
  readonly #onPrune: ((key: K, value: V) => void) | undefined;
  // The heap: parallel arrays of times and keys, smallest time at index 0.
  #times: number[] = [];
  #keys: K[] = [];

  /** `onPrune` hears of every record pruned (not of deletes), so that indexes elsewhere can follow. */
  constructor(pruneAt: (value: V) => number, now: () => number, onPrune?: (key: K, value: V) => void) {
    this.#pruneAt = pruneAt;
    this.#now = now;
    this.#onPrune = onPrune;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Stores `value` under `key`, then drops up to four records that are due. */
  set(key: K, value: V): this {
    const known = this.#map.has(key);
    this.#map.set(key, value);
    if (!known) this.#schedule(key, this.#pruneAt(value));
    this.prune(4);
    return this;
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }

  clear(): void {
    this.#map.clear();
    this.#times = [];
    this.#keys = [];
  }

  /** Drops up to `max` due records; returns how many it dropped. */
  prune(max = Number.POSITIVE_INFINITY): number {
    const now = this.#now();
    let dropped = 0;
    let looked = 0;
    while (this.#times.length > 0 && this.#times[0]! <= now && looked < max * 2) {
      looked += 1;
      const key = this.#pop();
      const value = this.#map.get(key);
      if (value === undefined) continue;
      const at = this.#pruneAt(value);
      if (at <= now) {
        this.#map.delete(key);
        this.#onPrune?.(key, value);
        dropped += 1;
        if (dropped >= max) break;
      } else {
        this.#schedule(key, at);
      }
    }
    return dropped;
  }

  #schedule(key: K, at: number): void {
    if (!Number.isFinite(at)) return;
    const times = this.#times;
    const keys = this.#keys;
    let i = times.length;
    times.push(at);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= at) break;
      times[i] = times[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    times[i] = at;
    keys[i] = key;
  }

  #pop(): K {
    const times = this.#times;
    const keys = this.#keys;
    const top = keys[0]!;
    const lastTime = times.pop()!;
    const lastKey = keys.pop()!;
    const n = times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && times[right]! < times[left]! ? right : left;
        if (times[child]! >= lastTime) break;
        times[i] = times[child]!;
        keys[i] = keys[child]!;
        i = child;
      }
      times[i] = lastTime;
      keys[i] = lastKey;
    }
    return top;
  }
}
