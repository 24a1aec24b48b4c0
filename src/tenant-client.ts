/**
 * A tenant of a running `serve`, over HTTP (docs/tenants.md#from-code): what the Playwright
 * fixture hands each test, and what a jest or other runner's setup can call. Uses `fetch` only.
 */
import type { ClockReading } from './core/clock.ts';
import type { Duration } from './core/duration.ts';
import { isRecord } from './core/guards.ts';
import type { JournalEntry } from './core/journal.ts';
import type { Action } from './scenario/actions.ts';
import type { FaultRuleInput } from './scenario/faults.ts';
import type { Scenario, ScenarioInput } from './scenario/schema.ts';
import type { SimulatorState } from './simulator.ts';

export interface CreateTenantOptions {
  /** A scenario object, or the name of one in the library (`okta/lockout-auto-unlock`); default the server's. */
  scenario?: Scenario | ScenarioInput | string;
  /** Idle time after which the tenant ends by itself (default the server's, `30m`). */
  ttl?: Duration;
  /** The server's `--control-token`, when it has one. */
  controlToken?: string;
}

/** A clock command of `POST /__sim/clock`. */
export type ClockCommand =
  | { advance: Duration }
  | { set: string | number }
  | { freeze: true }
  | { resume: true };

/** One tenant of a server, and its control plane. */
export interface RemoteTenant {
  readonly id: string;
  /** The tenant on its own port: the Okta org URL, the Apigee runtime and management URL. */
  readonly url: string;
  /** The tenant on the server's main port by Host `<id>.localhost` (browsers resolve it; Node may not). */
  readonly hostUrl: string;
  /** Back to the scenario's start: data, clock, fault rules and journal. */
  reset(): Promise<void>;
  /** The virtual clock; with a command, moves it first (`{ advance: '16m' }`). */
  clock(command?: ClockCommand): Promise<ClockReading>;
  /** Runs one action now (`{ action: 'apigee.revokeApp', app: 'web' }`) and answers its result. */
  run(action: Action): Promise<unknown>;
  /** `GET /__sim/state` (each collection cut at 1,000 entries). */
  state(): Promise<SimulatorState>;
  /** The latest entries of its request journal (default 1,000). */
  requests(limit?: number): Promise<JournalEntry[]>;
  /** Adds a fault rule; answers its id. */
  injectFault(rule: FaultRuleInput): Promise<number>;
  /** Ends the tenant (`DELETE /__sim/tenants/{id}`); a tenant that already ended is no error. */
  end(): Promise<void>;
}

/**
 * Makes a tenant on a running server (`POST /__sim/tenants`): an isolated simulator with its own URLs.
 *
 * @example
 * const tenant = await createTenant('http://127.0.0.1:4455', { scenario: 'okta/lockout-auto-unlock' });
 * await fetch(`${tenant.url}/api/v1/authn`, { ... });
 * await tenant.end();
 */
export async function createTenant(server: string, options: CreateTenantOptions = {}): Promise<RemoteTenant> {
  const base = server.replace(/\/+$/, '');
  const auth: Record<string, string> = options.controlToken
    ? { Authorization: `Bearer ${options.controlToken}` }
    : {};
  const send = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(url, {
      method,
      headers: { ...auth, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const value: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const error = isRecord(value) && isRecord(value.error) ? value.error : undefined;
      throw new Error(
        `[okta-apigee-sim] ${method} ${url} answered ${response.status}` +
          (error ? ` ${error.code}: ${error.message}` : ''),
      );
    }
    return value;
  };
  /** `send`, its answer checked to be what the control plane answers there. */
  const call = async <T>(
    method: string,
    url: string,
    expected: (value: unknown) => value is T,
    body?: unknown,
  ): Promise<T> => {
    const value = await send(method, url, body);
    if (!expected(value)) {
      throw new Error(`[okta-apigee-sim] ${method} ${url} answered ${JSON.stringify(value)?.slice(0, 200)}`);
    }
    return value;
  };
  const made = await call('POST', `${base}/__sim/tenants`, isTenantBody, {
    ...(options.scenario !== undefined && { scenario: options.scenario }),
    ...(options.ttl !== undefined && { ttl: options.ttl }),
  });
  const control = (path: string) => `${made.url}/__sim${path}`;
  return {
    id: made.id,
    url: made.url,
    hostUrl: made.hostUrl,
    reset: async () => {
      await send('POST', control('/reset'));
    },
    clock: async (command) =>
      command === undefined
        ? await call('GET', control('/clock'), isClockReading)
        : await call('POST', control('/clock'), isClockReading, command),
    run: async (action) => (await call('POST', control('/actions'), isRecord, action)).result,
    state: async () => await call('GET', control('/state'), isState),
    requests: async (limit) =>
      await call('GET', control(`/requests${limit === undefined ? '' : `?limit=${limit}`}`), isJournal),
    injectFault: async (rule) => (await call('POST', control('/faults'), isFaultId, rule)).id,
    end: async () => {
      const response = await fetch(`${base}/__sim/tenants/${made.id}`, { method: 'DELETE', headers: auth });
      await response.body?.cancel();
      if (!response.ok && response.status !== 404) {
        throw new Error(
          `[okta-apigee-sim] DELETE ${base}/__sim/tenants/${made.id} answered ${response.status}`,
        );
      }
    },
  };
}

// What the control plane answers, checked at the top level: enough to tell its answer from another server's
// page or a wrong URL. The server is this package's own, so deeper checks would only repeat its types.

function isTenantBody(value: unknown): value is { id: string; url: string; hostUrl: string } {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.url === 'string' &&
    typeof value.hostUrl === 'string'
  );
}

function isClockReading(value: unknown): value is ClockReading {
  return isRecord(value) && typeof value.now === 'string' && typeof value.frozen === 'boolean';
}

function isState(value: unknown): value is SimulatorState {
  return isRecord(value) && typeof value.now === 'string' && 'okta' in value && 'apigee' in value;
}

function isJournal(value: unknown): value is JournalEntry[] {
  return Array.isArray(value) && value.every((entry) => isRecord(entry) && typeof entry.seq === 'number');
}

function isFaultId(value: unknown): value is { id: number } {
  return isRecord(value) && typeof value.id === 'number';
}
