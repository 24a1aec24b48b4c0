import { isoString, parseInstant, wallClockIso } from './clock.ts';
import { isRecord } from './guards.ts';
import type { Vendor } from './vendor-error.ts';

/** Headers and body of a request or an answer, as capture keeps them (`sim.requests.capture()`). */
export interface CapturedMessage {
  /** Header names in lower case; secrets masked (`Authorization: SSWS ****`, `Cookie: sid=****`). */
  headers: Record<string, string>;
  /** The body as text, secrets masked (passwords, passcodes, answers, client secrets, tokens). */
  body?: string;
  /** The body's length in characters when it was cut at `maxBodyBytes`. */
  bodyLength?: number;
}

/** One request the simulator answered, as `sim.requests` and `GET /__sim/requests` show it. */
export interface JournalEntry {
  /** Position in the journal, from 1. */
  seq: number;
  /** Virtual time of the request (ISO-8601). */
  at: string;
  /** Wall-clock time the request arrived (ISO-8601). */
  wall: string;
  method: string;
  url: string;
  /** `null` for the control plane and for paths no vendor owns. */
  vendor: Vendor | null;
  /** The vendor operation, e.g. `primaryAuthentication`, `verifyFactor`, `getSession`. */
  operation: string | null;
  status: number;
  /** The vendor error code when the answer was an error (`E0000011`, `invalid_client` ...). */
  errorCode?: string;
  /** Who the request was about: a username, session id, client id ... */
  principal?: string;
  /** What the domain concluded: a transaction status, `session-created` ... */
  outcome?: string;
  /** Why the simulator answered as it did, when that is not obvious from the status. */
  detail?: string;
  /** The fault rule that decided the answer: its effect type and, when it has one, its name. */
  fault?: { type: string; name?: string };
  /** Real time the simulator took to answer, in milliseconds (a `latency` fault's delay included). */
  durationMs: number;
  /** The request's headers and body, when capture is on. */
  request?: CapturedMessage;
  /** The answer's headers and body, when capture is on. */
  response?: CapturedMessage;
}

/** What `record` takes: the journal numbers the entry, and stamps the wall clock when `wall` is absent. */
export type JournalRecord = Omit<JournalEntry, 'seq' | 'wall' | 'durationMs'> &
  Partial<Pick<JournalEntry, 'wall' | 'durationMs'>>;

/** The fields a test can filter the journal by; each given field must match exactly. */
export type JournalFilter = Partial<
  Omit<JournalEntry, 'seq' | 'at' | 'wall' | 'url' | 'durationMs' | 'fault' | 'request' | 'response'>
> & { path?: string };

/**
 * A journal query (`sim.requests.query()`, `GET /__sim/requests?...`): the fields of a filter, plus
 * `status` as a class (`'4xx'`), `since` and `limit`.
 */
export interface JournalQuery extends Omit<JournalFilter, 'status'> {
  /** An exact status (401) or a class (`'4xx'`, `'5xx'`). */
  status?: number | `${1 | 2 | 3 | 4 | 5}xx` | undefined;
  /**
   * Entries after this one: a sequence number (entries with a greater `seq`, so the last `seq` a test saw
   * gives what came after it) or an ISO-8601 instant (entries at or after it, virtual time).
   */
  since?: number | string | undefined;
  /** At most this many entries, the latest ones. */
  limit?: number | undefined;
}

/** Whether headers and bodies are kept, and how much of each body (`sim.requests.capture()`). */
export interface CaptureSettings {
  /** The longest body kept, in characters; longer ones are cut (and their length noted). */
  maxBodyBytes: number;
}

/** The longest body capture keeps per message, unless told otherwise; at most `MAX_CAPTURED_BODY`. */
export const DEFAULT_CAPTURED_BODY = 4096;
export const MAX_CAPTURED_BODY = 65_536;

/** Longest kept text per field: a 1 MB URL or username is noted, not kept whole. */
const FIELD_LIMITS = { url: 2048, principal: 256, detail: 512, outcome: 128, errorCode: 128 } as const;
const LIMITED_FIELDS = ['url', 'principal', 'detail', 'outcome', 'errorCode'] as const;

/**
 * The request journal. Bounded so that long runs (benchmarks, a server left running) keep a steady
 * footprint: past `limit` entries, or `maxBytes` of text, the oldest are dropped; long fields are cut.
 * Subscribers hear of every entry as it is recorded (the request log of `serve --log`).
 */
export class RequestJournal {
  readonly #limit: number;
  readonly #maxBytes: number;
  // Entries before #head are dropped; they are cut off in batches, since removing one entry from the
  // front of a 10,000-entry array on every request costs more than answering it.
  #entries: JournalEntry[] = [];
  #sizes: number[] = [];
  #head = 0;
  #seq = 0;
  #bytes = 0;
  #capture: CaptureSettings | undefined;
  readonly #listeners = new Set<(entry: JournalEntry) => void>();

  constructor(limit = 10_000, maxBytes = 16 * 1024 * 1024) {
    this.#limit = limit;
    this.#maxBytes = maxBytes;
  }

  record(entry: JournalRecord): JournalEntry {
    const full: JournalEntry = {
      seq: ++this.#seq,
      ...entry,
      wall: entry.wall ?? wallClockIso(),
      durationMs: entry.durationMs ?? 0,
    };
    let size = 128;
    for (const field of LIMITED_FIELDS) {
      const value = full[field];
      if (value === undefined) continue;
      const limit = FIELD_LIMITS[field];
      const kept = value.length > limit ? `${value.slice(0, limit)}…` : value;
      full[field] = kept;
      size += kept.length * 2;
    }
    if (full.request) size += messageSize(full.request);
    if (full.response) size += messageSize(full.response);
    this.#entries.push(full);
    this.#sizes.push(size);
    this.#bytes += size;
    while (this.#entries.length - this.#head > this.#limit || this.#bytes > this.#maxBytes) {
      this.#bytes -= this.#sizes[this.#head]!;
      this.#head++;
    }
    if (this.#head >= Math.max(1024, this.#limit >> 2)) {
      this.#entries.splice(0, this.#head);
      this.#sizes.splice(0, this.#head);
      this.#head = 0;
    }
    for (const listener of this.#listeners) {
      try {
        listener(full);
      } catch (error) {
        console.error('[okta-apigee-sim] A request-log subscriber failed:', error);
      }
    }
    return full;
  }

  /**
   * Calls `listener` with every entry as it is recorded, until the returned function is called: the
   * request log that `serve --log` prints, for a test runner to print too (say, on failure).
   *
   * @example
   * const unsubscribe = sim.requests.subscribe((entry) => lines.push(formatRequestLine(entry)));
   */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Turns capture of headers and bodies on (bounded: bodies cut at `maxBodyBytes`, 4,096 by default,
   * at most 65,536; secrets masked) or off (`false`). Off by default.
   */
  capture(settings: Partial<CaptureSettings> | boolean): CaptureSettings | undefined {
    if (settings === false) {
      this.#capture = undefined;
      return undefined;
    }
    const maxBodyBytes = (settings === true ? undefined : settings.maxBodyBytes) ?? DEFAULT_CAPTURED_BODY;
    if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0 || maxBodyBytes > MAX_CAPTURED_BODY) {
      throw new RangeError(`maxBodyBytes must be a whole number from 0 to ${MAX_CAPTURED_BODY}`);
    }
    this.#capture = { maxBodyBytes };
    return this.#capture;
  }

  /** The capture settings in force; `undefined` when capture is off. */
  get capturing(): CaptureSettings | undefined {
    return this.#capture;
  }

  /** Every entry kept, oldest first. */
  all(): readonly JournalEntry[] {
    return this.#head === 0 ? this.#entries : this.#entries.slice(this.#head);
  }

  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** The latest `limit` entries, oldest first. */
  recent(limit: number): readonly JournalEntry[] {
    const start = Math.max(this.#head, this.#entries.length - limit);
    return this.#entries.slice(start);
  }

  /** The entries matching `filter`, oldest first. */
  filter(filter: JournalFilter = {}): JournalEntry[] {
    return this.all().filter((entry) => matches(entry, filter));
  }

  /**
   * The entries a query selects, oldest first: those matching its fields, after `since`, the latest
   * `limit` of them.
   *
   * @example
   * sim.requests.query({ vendor: 'okta', status: '4xx', since: lastSeq, limit: 20 });
   */
  query(query: JournalQuery = {}): JournalEntry[] {
    const { status, since, limit, ...filter } = query;
    const statusClass = typeof status === 'string' ? Number(status.charAt(0)) : undefined;
    const sinceSeq = typeof since === 'number' ? since : undefined;
    // Journal times are ISO-8601 in UTC with milliseconds: as text they sort as the instants do.
    const sinceAt = typeof since === 'string' ? isoString(parseInstant(since)) : undefined;
    const found: JournalEntry[] = [];
    const max = limit ?? Number.POSITIVE_INFINITY;
    for (let i = this.#entries.length - 1; i >= this.#head && found.length < max; i--) {
      const entry = this.#entries[i]!;
      if (sinceSeq !== undefined && entry.seq <= sinceSeq) break;
      if (sinceAt !== undefined && entry.at < sinceAt) continue;
      if (typeof status === 'number' && entry.status !== status) continue;
      if (statusClass !== undefined && Math.floor(entry.status / 100) !== statusClass) continue;
      if (matches(entry, filter)) found.push(entry);
    }
    return found.reverse();
  }

  /** The first entry matching `filter`. */
  find(filter: JournalFilter = {}): JournalEntry | undefined {
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      if (matches(entry, filter)) return entry;
    }
    return undefined;
  }

  /** The most recent entry matching `filter`. */
  last(filter: JournalFilter = {}): JournalEntry | undefined {
    for (let i = this.#entries.length - 1; i >= this.#head; i--) {
      const entry = this.#entries[i]!;
      if (matches(entry, filter)) return entry;
    }
    return undefined;
  }

  /** Forgets every entry (numbering starts again from 1); subscribers and capture settings stay. */
  clear(): void {
    this.#entries = [];
    this.#sizes = [];
    this.#head = 0;
    this.#seq = 0;
    this.#bytes = 0;
  }

  /** Forgets every entry and every subscriber, and turns capture off. */
  dispose(): void {
    this.clear();
    this.#listeners.clear();
    this.#capture = undefined;
  }

  toJSON(): readonly JournalEntry[] {
    return this.all();
  }
}

function messageSize(message: CapturedMessage): number {
  let size = 64 + (message.body?.length ?? 0) * 2;
  for (const [name, value] of Object.entries(message.headers)) size += (name.length + value.length) * 2;
  return size;
}

/** An entry's field by a filter's key, which is only known at run time to be a string. */
function field(entry: JournalEntry, key: string): unknown {
  return isRecord(entry) ? entry[key] : undefined;
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  for (const [key, expected] of Object.entries(filter)) {
    if (expected === undefined) continue;
    const actual = key === 'path' ? new URL(entry.url).pathname : field(entry, key);
    if (actual !== expected) return false;
  }
  return true;
}
