import type { Vendor } from './vendor-error.ts';

/** One request the simulator answered, as `sim.requests` and `GET /__sim/requests` show it. */
export interface JournalEntry {
  /** Position in the journal, from 1. */
  seq: number;
  /** Virtual time of the request (ISO-8601). */
  at: string;
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
}

/** The fields a test can filter the journal by; each given field must match exactly. */
export type JournalFilter = Partial<Omit<JournalEntry, 'seq' | 'at' | 'url'>> & { path?: string };

/** Longest kept text per field: a 1 MB URL or username is noted, not kept whole. */
const FIELD_LIMITS = { url: 2048, principal: 256, detail: 512, outcome: 128, errorCode: 128 } as const;
const LIMITED_FIELDS = ['url', 'principal', 'detail', 'outcome', 'errorCode'] as const;

/**
 * The request journal. Bounded so that long runs (benchmarks, a server left running) keep a steady
 * footprint: past `limit` entries, or `maxBytes` of text, the oldest are dropped; long fields are cut.
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

  constructor(limit = 10_000, maxBytes = 16 * 1024 * 1024) {
    this.#limit = limit;
    this.#maxBytes = maxBytes;
  }

  record(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const full: JournalEntry = { seq: ++this.#seq, ...entry };
    let size = 96;
    for (const field of LIMITED_FIELDS) {
      const value = full[field];
      if (value === undefined) continue;
      const limit = FIELD_LIMITS[field];
      const kept = value.length > limit ? `${value.slice(0, limit)}…` : value;
      full[field] = kept;
      size += kept.length * 2;
    }
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
    return full;
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

  clear(): void {
    this.#entries = [];
    this.#sizes = [];
    this.#head = 0;
    this.#seq = 0;
    this.#bytes = 0;
  }

  toJSON(): readonly JournalEntry[] {
    return this.all();
  }
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  for (const [key, expected] of Object.entries(filter)) {
    if (expected === undefined) continue;
    const actual = key === 'path' ? new URL(entry.url).pathname : entry[key as keyof JournalEntry];
    if (actual !== expected) return false;
  }
  return true;
}
