/**
 * A request's headers as node:http received them, read as a fetch `Headers` reads: names without regard to
 * case, repeated lines joined (`, `, and `; ` for `Cookie`), iteration sorted by name with each
 * `Set-Cookie` on its own. The standalone server hands the simulator these instead of a `Headers`: building
 * one validates and copies every line, and the first one in a process loads undici (about 30 ms), which a
 * VerifyAccessToken or a `serve` start-up would otherwise pay (bench/http.ts, bench/startup.ts).
 *
 * node:http has already refused invalid names and values and trimmed the values, so nothing is checked here.
 */
export class RequestHeaders implements Headers {
  readonly #raw: readonly string[];
  /** Lower-case name -> joined value, made on first use. */
  #map: Map<string, string> | undefined;
  /** Every `Set-Cookie` line (a request seldom has one). */
  #cookies: string[] | undefined;

  /** `raw` is node's `rawHeaders`: name, value, name, value ... */
  constructor(raw: readonly string[]) {
    this.#raw = raw;
  }

  #lines(): Map<string, string> {
    if (this.#map) return this.#map;
    const map = new Map<string, string>();
    const raw = this.#raw;
    for (let i = 0; i < raw.length; i += 2) this.#add(map, raw[i]!.toLowerCase(), raw[i + 1]!);
    this.#map = map;
    return map;
  }

  #add(map: Map<string, string>, name: string, value: string): void {
    if (name === 'set-cookie') {
      this.#cookies ??= [];
      this.#cookies.push(value);
    }
    const existing = map.get(name);
    map.set(name, existing === undefined ? value : `${existing}${name === 'cookie' ? '; ' : ', '}${value}`);
  }

  get(name: string): string | null {
    return this.#lines().get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.#lines().has(name.toLowerCase());
  }

  getSetCookie(): string[] {
    this.#lines();
    return [...(this.#cookies ?? [])];
  }

  append(name: string, value: string): void {
    this.#add(this.#lines(), name.toLowerCase(), value.trim());
  }

  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  delete(name: string): void {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') this.#cookies = undefined;
    this.#lines().delete(lower);
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this) callback.call(thisArg, value, name, this);
  }

  *entries(): HeadersIterator<[string, string]> {
    const names = [...this.#lines().keys()].sort();
    for (const name of names) {
      if (name === 'set-cookie') for (const cookie of this.#cookies ?? []) yield [name, cookie];
      else yield [name, this.#map!.get(name)!];
    }
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }
}
