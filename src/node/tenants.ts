/**
 * Tenants: many isolated simulators in one server (docs/tenants.md). Each tenant is a simulator of its own
 * (clock, state, journal, fault rules, control plane) served on a port of its own, and on the main port
 * under the Host `<id>.localhost`. `POST /__sim/tenants` makes one; one idle for its ttl ends by itself.
 * The HTTP server hands this module the requests that are its (`answererFor`) and nothing else changes.
 */
import { randomBytes } from 'node:crypto';
import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { checkedDuration, type Duration, parseDuration } from '../core/duration.ts';
import { errorMessage } from '../core/error-message.ts';
import { Router } from '../core/router.ts';
import { oversized } from '../http/body.ts';
import { bodyText, jsonResponse, type SimRequest, type SimResponse } from '../http/exchange.ts';
import { formatIssues, ScenarioError, type ScenarioIssue } from '../scenario/issues.ts';
import { validateScenario } from '../scenario/parse.ts';
import type { Scenario } from '../scenario/schema.ts';
import { type FetchOptions, SimulatorCore } from '../simulator.ts';
import { type ScenarioSource, scenarioFrom, UnknownScenarioError } from './scenario-library.ts';

/** Settings of the tenants of one server: `startHttpServer(sim, { tenants })`, `serve --tenants ...`. */
export interface TenantOptions {
  /**
   * Tenants of the server's own scenario made at start-up and kept ready: a `POST /__sim/tenants` that
   * names no scenario takes one (reset), and another is made in the background. Default 0.
   */
  pool?: number;
  /** The most tenants at once, pooled ones included; past it `POST` answers `429 tenant_limit`. Default 200. */
  limit?: number;
  /**
   * Bytes of V8 heap in use by the whole process past which no tenant is made (`429 memory_budget`).
   * Default: 1 GiB, or half of V8's heap limit when that is less.
   */
  memoryBudget?: number;
  /** Idle time after which a tenant ends when its `POST` gives no `ttl`. Default `30m`. */
  ttl?: Duration;
}

/** One tenant as `GET /__sim/tenants` lists it. */
export interface TenantInfo {
  id: string;
  /** The tenant on its own port: every vendor at its real paths, and its own `/__sim/`. */
  url: string;
  /** The tenant on the main port, by Host: `http://<id>.localhost:<port>` (browsers resolve it to loopback). */
  hostUrl: string;
  /** The library name it was made from, else the scenario's `name`. */
  scenario: string;
  /** Idle time after which it ends, as given (`"30m"`). */
  ttl: Duration;
  /** Waiting in the pool: not handed out yet, and not ending while it waits. */
  pooled: boolean;
  createdAt: string;
  lastUsedAt: string;
  /** When it ends unless a request comes first; `null` while pooled. */
  expiresAt: string | null;
}

/** What `POST /__sim/tenants` takes, and `server.tenants.create()`. */
export interface TenantRequest {
  /** A scenario object, or the name of one in the library (`okta/lockout-auto-unlock`); default the server's. */
  scenario?: ScenarioSource;
  /** Idle time after which the tenant ends (`"30m"`, `"2h"`, milliseconds); 1s to 7d. */
  ttl?: Duration;
}

/** A tenant made in code: what the HTTP answer says, and its simulator for the test to drive. */
export interface Tenant extends TenantInfo {
  readonly sim: SimulatorCore;
}

/** `server.tenants`: the tenants of a running server, in code. */
export interface Tenants {
  create(request?: TenantRequest): Promise<Tenant>;
  /** The tenant's simulator, or `undefined` when there is no such tenant (any more). */
  get(id: string): SimulatorCore | undefined;
  list(): TenantInfo[];
  /** Ends a tenant: its port closes and its Host answers 404. `false` when there was none. */
  delete(id: string): Promise<boolean>;
}

/** A server the tenant's simulator answers on: what `startHttpServer` resolves to. */
export interface Listening {
  url: string;
  server: { on(event: 'request', listener: () => void): unknown };
  close(): Promise<void>;
}

/** Real time for the idle ttl (server housekeeping, not the simulated clock); tests pass their own. */
export interface TenantTimers {
  now(): number;
  schedule(run: () => void, ms: number): { cancel(): void };
}

/** Something that answers requests as `SimulatorCore.answer` does: a tenant, or the tenants API itself. */
interface Answerer {
  answer(request: SimRequest, options?: FetchOptions): Promise<SimResponse | undefined>;
}

const DEFAULT_LIMIT = 200;
const DEFAULT_TTL = '30m';
const MIN_TTL_MS = 1_000;
const MAX_TTL_MS = 7 * 86_400_000;
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Tenant ids: `t` and ten base-32 characters, one DNS label (`tq3x7k2mf9a.localhost`). */
const ID_PATTERN = /^t[a-z2-7]{10}$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

const realTimers: TenantTimers = {
  now: () => Date.now(),
  schedule(run, ms) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** The default memory budget: 1 GiB, or half of V8's heap limit when that is less. */
export function defaultMemoryBudget(): number {
  return Math.min(2 ** 30, Math.floor(getHeapStatistics().heap_size_limit / 2));
}

/** A tenants request the caller got wrong (or past a limit): answered with its status, nothing changed. */
export class TenantError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, unknown>;

  constructor(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

interface Entry {
  readonly id: string;
  readonly sim: SimulatorCore;
  readonly listening: Listening;
  /** The scenario object it was made from: a pooled tenant serves only while the server's is the same. */
  readonly source: Scenario;
  readonly name: string;
  readonly createdAt: number;
  ttl: Duration;
  ttlMs: number;
  pooled: boolean;
  lastUsed: number;
}

interface TenantRoute {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  summary: string;
  run(
    registry: TenantRegistry,
    request: SimRequest,
    params: Readonly<Record<string, string>>,
  ): Promise<SimResponse>;
}

const TenantBody = z.strictObject({
  scenario: z.union([z.string().min(1).max(200), z.record(z.string(), z.unknown())]).optional(),
  ttl: z.union([z.string().max(40), z.number()]).optional(),
});

/** The tenants API of the main server's control plane (docs/control-plane.md#tenants). */
export const TENANT_OPERATIONS: readonly TenantRoute[] = [
  {
    name: 'createTenant',
    method: 'POST',
    path: '/__sim/tenants',
    summary: 'Make a tenant: its own simulator, port and Host (`{ "scenario", "ttl" }`)',
    async run(registry, request) {
      const body = parseBody(request);
      const tenant = await registry.create(body, request.url);
      return jsonResponse(publicInfo(tenant), 201);
    },
  },
  {
    name: 'listTenants',
    method: 'GET',
    path: '/__sim/tenants',
    summary: 'The tenants, pooled ones included',
    run: async (registry, request) => jsonResponse(registry.list(request.url)),
  },
  {
    name: 'getTenant',
    method: 'GET',
    path: '/__sim/tenants/:id',
    summary: 'One tenant',
    async run(registry, request, { id = '' }) {
      const info = registry.info(id, request.url);
      if (!info) throw unknownTenant(id);
      return jsonResponse(info);
    },
  },
  {
    name: 'deleteTenant',
    method: 'DELETE',
    path: '/__sim/tenants/:id',
    summary: 'End a tenant: its port closes, its Host answers 404',
    async run(registry, _request, { id = '' }) {
      if (!(await registry.delete(id))) throw unknownTenant(id);
      return jsonResponse({ ok: true });
    },
  },
];

const router = new Router<TenantRoute>();
for (const route of TENANT_OPERATIONS) router.add(route.method, route.path, route);

/**
 * The tenants of one server. `listen` serves a tenant's simulator on a port of its own (the server passes
 * `startHttpServer` with its own options and no tenants).
 */
export class TenantRegistry implements Tenants {
  readonly #main: SimulatorCore;
  readonly #listen: (sim: SimulatorCore) => Promise<Listening>;
  readonly #timers: TenantTimers;
  readonly #pool: number;
  readonly #limit: number;
  readonly #budget: number;
  readonly #ttl: Duration;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, Entry>();
  /** Tenants being made: they count against the limit before they exist. */
  #making = 0;
  #filling: Promise<void> | undefined;
  #timer: { cancel(): void } | undefined;
  #armedFor = Number.POSITIVE_INFINITY;
  #base = 'http://localhost';
  #closed = false;

  constructor(
    main: SimulatorCore,
    options: TenantOptions,
    listen: (sim: SimulatorCore) => Promise<Listening>,
    timers: TenantTimers = realTimers,
  ) {
    this.#main = main;
    this.#listen = listen;
    this.#timers = timers;
    this.#pool = count(options.pool ?? 0, 'pool');
    this.#limit = count(options.limit ?? DEFAULT_LIMIT, 'limit');
    this.#budget = options.memoryBudget ?? defaultMemoryBudget();
    if (!(this.#budget > 0)) throw new RangeError(`Invalid tenants memoryBudget: ${options.memoryBudget}`);
    this.#ttl = options.ttl ?? DEFAULT_TTL;
    this.#ttlMs = ttlOf(this.#ttl);
  }

  /** Called once the main server listens: its URL makes the tenants' `hostUrl`; the pool fills. */
  async start(mainUrl: string): Promise<void> {
    this.#base = mainUrl;
    await this.#fill();
  }

  /**
   * Who answers a request on the main port, when it is not the main simulator: a tenant (by Host), a 404
   * for a tenant Host that names none, or the tenants API (`/__sim/tenants...`). Every request to a tenant
   * restarts its idle time.
   */
  answererFor(url: URL): Answerer | undefined {
    const id = tenantIdOf(url.hostname);
    if (id !== undefined) {
      const entry = this.#entries.get(id);
      if (!entry) return { answer: async () => problem(unknownTenant(id)) };
      entry.lastUsed = this.#timers.now();
      return entry.sim;
    }
    if (url.pathname === '/__sim/tenants' || url.pathname.startsWith('/__sim/tenants/')) {
      return { answer: (request) => this.#answer(request) };
    }
    return undefined;
  }

  async create(request: TenantRequest = {}, via?: URL): Promise<Tenant> {
    if (this.#closed) throw new TenantError(503, 'closed', 'The server is closing');
    const ttl = request.ttl ?? this.#ttl;
    const ttlMs = request.ttl === undefined ? this.#ttlMs : ttlOf(request.ttl);
    const entry =
      (request.scenario === undefined ? this.#claimPooled() : undefined) ??
      (await this.#make(request.scenario, false));
    entry.ttl = ttl;
    entry.ttlMs = ttlMs;
    entry.lastUsed = this.#timers.now();
    this.#arm(entry.lastUsed + ttlMs);
    return { ...this.#info(entry, via), sim: entry.sim };
  }

  get(id: string): SimulatorCore | undefined {
    return this.#entries.get(id)?.sim;
  }

  list(via?: URL): TenantInfo[] {
    return [...this.#entries.values()].map((entry) => this.#info(entry, via));
  }

  info(id: string, via?: URL): TenantInfo | undefined {
    const entry = this.#entries.get(id);
    return entry && this.#info(entry, via);
  }

  async delete(id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    if (entry.pooled) this.#refill();
    await entry.listening.close();
    return true;
  }

  /** Ends every tenant (the main server is closing). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    await this.#filling;
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => entry.listening.close()));
  }

  async #answer(request: SimRequest): Promise<SimResponse> {
    const { method, url } = request;
    const match = router.match(method, url.pathname);
    try {
      if (match.kind === 'none') {
        throw new TenantError(404, 'not_found', `No tenants operation ${method} ${url.pathname}`);
      }
      if (match.kind === 'wrong-method') {
        throw new TenantError(
          405,
          'method_not_allowed',
          `${method} is not allowed on ${url.pathname}; try ${match.allowed.join(', ')}`,
        );
      }
      return await match.value.run(this, request, match.params);
    } catch (error) {
      if (error instanceof TenantError) return problem(error);
      if (error instanceof ScenarioError) {
        return problem(
          new TenantError(400, 'invalid_scenario', `Invalid scenario:\n${formatIssues(error.issues)}`, {
            issues: error.issues satisfies ScenarioIssue[],
          }),
        );
      }
      console.error(`[okta-apigee-sim] Failed to run ${method} ${url.pathname}:`, error);
      return problem(new TenantError(500, 'internal', errorMessage(error)));
    }
  }

  /** A pooled tenant of the server's current scenario, reset; the pool is topped up in the background. */
  #claimPooled(): Entry | undefined {
    let found: Entry | undefined;
    for (const entry of this.#entries.values()) {
      if (!entry.pooled) continue;
      if (entry.source !== this.#main.scenario) {
        // The server's scenario changed (`--watch`, `PUT /__sim/scenario`): the pool is stale.
        this.#entries.delete(entry.id);
        void entry.listening.close();
      } else if (!found) {
        found = entry;
      }
    }
    if (!found) return undefined;
    found.pooled = false;
    found.sim.reset();
    this.#refill();
    return found;
  }

  async #make(source: ScenarioSource | undefined, pooled: boolean): Promise<Entry> {
    if (this.#entries.size + this.#making >= this.#limit) {
      throw new TenantError(
        429,
        'tenant_limit',
        `${this.#limit} tenants exist, the limit: end some (DELETE /__sim/tenants/{id}) or let them idle out`,
        { hint: 'raise it with serve --max-tenants N (startHttpServer: tenants.limit)' },
      );
    }
    const used = getHeapStatistics().used_heap_size;
    if (used > this.#budget) {
      throw new TenantError(
        429,
        'memory_budget',
        `The server uses ${mib(used)} of heap, over its budget for tenants (${mib(this.#budget)}): end some tenants first`,
        { hint: 'raise it with serve --tenant-memory MB (startHttpServer: tenants.memoryBudget)' },
      );
    }
    let scenario: Scenario;
    try {
      scenario = validateScenario(source === undefined ? this.#main.scenario : scenarioFrom(source));
    } catch (error) {
      if (error instanceof UnknownScenarioError) {
        throw new TenantError(404, 'unknown_scenario', error.message, {
          ...(error.suggestion && { suggestion: error.suggestion }),
        });
      }
      throw error;
    }
    this.#making += 1;
    try {
      const sim = new SimulatorCore(scenario);
      const listening = await this.#listen(sim);
      const now = this.#timers.now();
      const entry: Entry = {
        id: newId(),
        sim,
        listening,
        source: scenario,
        name: typeof source === 'string' ? source : scenario.name,
        createdAt: now,
        ttl: this.#ttl,
        ttlMs: this.#ttlMs,
        pooled,
        lastUsed: now,
      };
      listening.server.on('request', () => {
        entry.lastUsed = this.#timers.now();
      });
      if (this.#closed) {
        await listening.close();
        throw new TenantError(503, 'closed', 'The server is closing');
      }
      this.#entries.set(entry.id, entry);
      return entry;
    } finally {
      this.#making -= 1;
    }
  }

  /** Tops the pool up to its size, within the limits; one fill at a time. */
  #fill(): Promise<void> {
    this.#filling ??= (async () => {
      try {
        while (!this.#closed && this.#pooledCount() < this.#pool) await this.#make(undefined, true);
      } catch (error) {
        if (!(error instanceof TenantError)) throw error;
        console.warn(`[okta-apigee-sim] The tenant pool stays at ${this.#pooledCount()}: ${error.message}`);
      } finally {
        this.#filling = undefined;
      }
    })();
    return this.#filling;
  }

  #refill(): void {
    if (this.#pool === 0) return;
    // After the answer that took the pooled tenant: making another must not delay it.
    setImmediate(() => {
      this.#fill().catch((error: unknown) =>
        console.error('[okta-apigee-sim] Failed to refill the pool:', error),
      );
    });
  }

  #pooledCount(): number {
    let pooled = 0;
    for (const entry of this.#entries.values()) if (entry.pooled) pooled += 1;
    return pooled;
  }

  /** Makes sure the sweep runs by `at` (a tenant's end); requests only ever move ends later. */
  #arm(at: number): void {
    if (at >= this.#armedFor || this.#closed) return;
    this.#timer?.cancel();
    this.#armedFor = at;
    this.#timer = this.#timers.schedule(
      () => this.#sweep(),
      Math.min(MAX_TIMER_MS, Math.max(0, at - this.#timers.now())),
    );
  }

  /** Ends the tenants idle for their ttl, and arms the next sweep for the earliest end to come. */
  #sweep(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = this.#timers.now();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of [...this.#entries.values()]) {
      if (entry.pooled) continue;
      const end = entry.lastUsed + entry.ttlMs;
      if (end <= now) void this.delete(entry.id);
      else next = Math.min(next, end);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  #info(entry: Entry, via?: URL): TenantInfo {
    const base = via ?? new URL(this.#base);
    return {
      id: entry.id,
      url: entry.listening.url,
      hostUrl: `${base.protocol}//${entry.id}.localhost${base.port ? `:${base.port}` : ''}`,
      scenario: entry.name,
      ttl: entry.ttl,
      pooled: entry.pooled,
      createdAt: new Date(entry.createdAt).toISOString(),
      lastUsedAt: new Date(entry.lastUsed).toISOString(),
      expiresAt: entry.pooled ? null : new Date(entry.lastUsed + entry.ttlMs).toISOString(),
    };
  }
}

/** The tenant id a Host names (`<id>.localhost`), when it has the shape of one. */
function tenantIdOf(hostname: string): string | undefined {
  // URL has lower-cased the name already.
  if (!hostname.endsWith('.localhost')) return undefined;
  const label = hostname.slice(0, -'.localhost'.length);
  return ID_PATTERN.test(label) ? label : undefined;
}

function newId(): string {
  const bytes = randomBytes(10);
  let id = 't';
  for (const byte of bytes) id += BASE32[byte & 31];
  return id;
}

function parseBody(request: SimRequest): TenantRequest {
  const tooBig = oversized(request);
  if (tooBig) throw new TenantError(413, 'too_large', tooBig);
  const text = bodyText(request);
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new TenantError(
        400,
        'bad_request',
        'Expected JSON: { "scenario": <object> | "<library name>", "ttl": "30m" }',
      );
    }
  }
  const parsed = TenantBody.safeParse(value);
  if (!parsed.success) {
    throw new TenantError(
      400,
      'bad_request',
      'Expected { "scenario": <object> | "<library name>", "ttl": "30m" }, both optional',
      {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      },
    );
  }
  const { scenario, ttl } = parsed.data;
  // A bad or out-of-range ttl is a 400 here; checkedDuration then only types it.
  if (ttl !== undefined) ttlOf(ttl);
  // The scenario object is validated when the tenant is made: every problem is a 400 with its path. Until
  // then it is typed as the scenario it must be, since TenantRequest is also the typed API of create().
  return {
    ...(scenario !== undefined && { scenario: scenario as ScenarioSource }),
    ...(ttl !== undefined && { ttl: checkedDuration(ttl) }),
  };
}

function ttlOf(ttl: number | string): number {
  let ms: number;
  try {
    ms = parseDuration(ttl);
  } catch (error) {
    throw new TenantError(400, 'bad_request', `Invalid ttl: ${errorMessage(error)}`);
  }
  if (ms < MIN_TTL_MS || ms > MAX_TTL_MS) {
    throw new TenantError(400, 'bad_request', `Invalid ttl ${JSON.stringify(ttl)}: from 1s to 7d`);
  }
  return ms;
}

function count(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`Invalid tenants ${name}: ${value}`);
  return value;
}

function unknownTenant(id: string): TenantError {
  return new TenantError(
    404,
    'unknown_tenant',
    `No tenant "${id.slice(0, 64)}": it never existed, was deleted, or idled out (its ttl)`,
  );
}

function problem(error: TenantError): SimResponse {
  return jsonResponse({ error: { code: error.code, message: error.message, ...error.extra } }, error.status);
}

function publicInfo(tenant: Tenant): TenantInfo {
  const { sim: _, ...info } = tenant;
  return info;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
