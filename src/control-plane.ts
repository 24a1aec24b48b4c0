import { z } from 'zod';
import { ActionError } from './core/action-error.ts';
import type { VirtualClock } from './core/clock.ts';
import { parseDuration } from './core/duration.ts';
import { errorMessage } from './core/error-message.ts';
import { type JournalQuery, MAX_CAPTURED_BODY, type RequestJournal } from './core/journal.ts';
import { Router } from './core/router.ts';
import { VendorError } from './core/vendor-error.ts';
import { oversized } from './http/body.ts';
import { bodyText, jsonResponse, type SimRequest, type SimResponse } from './http/exchange.ts';
import type { Method } from './http/operation.ts';
import type { OktaCodes } from './okta/actions.ts';
import { type Action, ActionSchema } from './scenario/actions.ts';
import { formatIssues, issuesOf, ScenarioError } from './scenario/issues.ts';
import { parseScenario } from './scenario/parse.ts';
import type { Scenario } from './scenario/schema.ts';

/** What the control plane drives: the simulator's instance API (`sim.clock`, `sim.faults` ...). */
export interface Controllable {
  readonly clock: VirtualClock;
  readonly requests: RequestJournal;
  readonly okta: { codes(login: string): OktaCodes };
  readonly faults: {
    inject(rule: unknown): { id: number };
    remove(id: number): boolean;
    clear(): void;
    list(): unknown;
  };
  stateView(limit: number): unknown;
  reset(): void;
  load(scenario: Scenario, options?: { keepState?: boolean }): { state: 'kept' | 'reset'; reason?: string };
  run(action: Action): unknown;
}

/** A request the caller got wrong: answered with its status and nothing changed. */
class ControlError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

interface ControlOperation {
  name: string;
  method: Method;
  path: string;
  summary: string;
  run(sim: Controllable, request: SimRequest, params: Readonly<Record<string, string>>): SimResponse;
}

/** The default size of a listing (`/__sim/requests`, each collection of `/__sim/state`). */
const VIEW_LIMIT = 1000;

const ClockCommand = z.union([
  z.strictObject({ advance: z.union([z.string(), z.number()]) }),
  z.strictObject({ set: z.union([z.string(), z.number()]) }),
  z.strictObject({ freeze: z.boolean() }),
  z.strictObject({ resume: z.literal(true) }),
]);

const CaptureCommand = z.strictObject({
  enabled: z.boolean(),
  maxBodyBytes: z.number().int().min(0).max(MAX_CAPTURED_BODY).optional(),
});

const ok = (extra: Record<string, unknown> = {}, status = 200) =>
  jsonResponse({ ok: true, ...extra }, status);

/**
 * The control plane: the instance API over HTTP, for the standalone server and for browser tests
 * (docs/control-plane.md). Answers in its own small JSON dialect, `{ "error": { code, message } }` on failure.
 */
export const CONTROL_OPERATIONS: readonly ControlOperation[] = [
  { name: 'health', method: 'GET', path: '/__sim/health', summary: 'Liveness', run: () => ok() },
  {
    name: 'getClock',
    method: 'GET',
    path: '/__sim/clock',
    summary: 'The virtual time and whether it is frozen',
    run: (sim) => jsonResponse(sim.clock.toJSON()),
  },
  {
    name: 'moveClock',
    method: 'POST',
    path: '/__sim/clock',
    summary: 'Advance, set, freeze or resume the clock',
    run(sim, request) {
      const parsed = ClockCommand.safeParse(parseJson(request, 'a clock command', '{}'));
      if (!parsed.success) {
        throw new ControlError(
          400,
          'bad_request',
          'Expected one of {"advance":"16m"}, {"set":"<ISO>"}, {"freeze":true}, {"resume":true}',
        );
      }
      const command = parsed.data;
      try {
        if ('advance' in command) sim.clock.advance(parseDuration(command.advance));
        else if ('set' in command) sim.clock.set(command.set);
        else if ('freeze' in command && command.freeze) sim.clock.freeze();
        else sim.clock.resume();
      } catch (error) {
        if (error instanceof RangeError) throw new ControlError(400, 'bad_request', error.message);
        throw error;
      }
      return jsonResponse(sim.clock.toJSON());
    },
  },
  {
    name: 'getState',
    method: 'GET',
    path: '/__sim/state',
    summary: 'Users, transactions, sessions, apps and tokens (each list cut at 1,000 unless ?full=1)',
    run: (sim, request) =>
      jsonResponse(sim.stateView(flag(request.url, 'full') ? Number.POSITIVE_INFINITY : VIEW_LIMIT)),
  },
  {
    name: 'reset',
    method: 'POST',
    path: '/__sim/reset',
    summary: "Back to the scenario's initial state",
    run(sim) {
      sim.reset();
      return ok();
    },
  },
  {
    name: 'replaceScenario',
    method: 'PUT',
    path: '/__sim/scenario',
    summary:
      'Replace the scenario (YAML or JSON); ?keepState=1 keeps the state when users and apps are the same',
    run(sim, request) {
      const text = readText(request);
      const json =
        /json/i.test(request.headers.get('content-type') ?? '') || text.trimStart().startsWith('{');
      let scenario: Scenario;
      try {
        scenario = parseScenario(text, json ? 'json' : 'yaml');
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        throw Object.assign(
          new ControlError(400, 'invalid_scenario', `Invalid scenario:\n${formatIssues(error.issues)}`),
          {
            issues: error.issues,
          },
        );
      }
      return ok({
        name: scenario.name,
        ...sim.load(scenario, { keepState: flag(request.url, 'keepState') }),
      });
    },
  },
  {
    name: 'listRequests',
    method: 'GET',
    path: '/__sim/requests',
    summary:
      'The latest requests of the journal (?vendor=, operation=, status= (401 or 4xx), since= (seq or ISO), limit= (default 1,000), principal=, errorCode=, path=)',
    run: (sim, request) => jsonResponse(queryRequests(sim.requests, request.url)),
  },
  {
    name: 'clearRequests',
    method: 'DELETE',
    path: '/__sim/requests',
    summary: 'Forget every request of the journal',
    run(sim) {
      sim.requests.clear();
      return ok();
    },
  },
  {
    name: 'getCapture',
    method: 'GET',
    path: '/__sim/requests/capture',
    summary: 'Whether the journal keeps headers and bodies',
    run: (sim) => jsonResponse(captureView(sim.requests)),
  },
  {
    name: 'setCapture',
    method: 'PUT',
    path: '/__sim/requests/capture',
    summary: 'Turn capture of headers and bodies on or off ({"enabled":true,"maxBodyBytes":4096})',
    run(sim, request) {
      const parsed = CaptureCommand.safeParse(parseJson(request, 'capture settings'));
      if (!parsed.success) {
        throw new ControlError(
          400,
          'bad_request',
          'Expected {"enabled":true} or {"enabled":true,"maxBodyBytes":N} (N at most 65536), or {"enabled":false}',
        );
      }
      const { enabled, maxBodyBytes } = parsed.data;
      sim.requests.capture(enabled ? { ...(maxBodyBytes !== undefined && { maxBodyBytes }) } : false);
      return jsonResponse(captureView(sim.requests));
    },
  },
  {
    name: 'getOktaCodes',
    method: 'GET',
    path: '/__sim/okta/users/:login/codes',
    summary: "A user's one-time codes now: TOTP, the latest SMS, call and email codes, push state",
    run(sim, _, params) {
      try {
        return jsonResponse(sim.okta.codes(params.login ?? ''));
      } catch (error) {
        if (error instanceof ActionError) throw new ControlError(404, 'not_found', error.message);
        throw error;
      }
    },
  },
  {
    name: 'listFaults',
    method: 'GET',
    path: '/__sim/faults',
    summary: 'The fault rules in force',
    run: (sim) => jsonResponse(sim.faults.list()),
  },
  {
    name: 'injectFault',
    method: 'POST',
    path: '/__sim/faults',
    summary: 'Add a fault rule',
    // inject() validates the rule: anything else is a 400 listing the problems.
    run: (sim, request) => ok({ id: sim.faults.inject(parseJson(request, 'a fault rule')).id }, 201),
  },
  {
    name: 'clearFaults',
    method: 'DELETE',
    path: '/__sim/faults',
    summary: "Remove every fault rule, the scenario's too",
    run(sim) {
      sim.faults.clear();
      return ok();
    },
  },
  {
    name: 'removeFault',
    method: 'DELETE',
    path: '/__sim/faults/:id',
    summary: 'Remove one fault rule',
    run(sim, _, params) {
      if (!sim.faults.remove(Number(params.id)))
        throw new ControlError(404, 'not_found', 'No fault rule with that id');
      return ok();
    },
  },
  {
    name: 'runAction',
    method: 'POST',
    path: '/__sim/actions',
    summary: 'Run one timeline action now',
    run(sim, request) {
      const parsed = ActionSchema.safeParse(parseJson(request, 'an action'));
      if (!parsed.success) throw new ScenarioError(issuesOf(parsed.error.issues));
      return ok({ result: sim.run(parsed.data) ?? null });
    },
  },
  // The standalone server answers these itself (src/node/inspector.ts): in-process there is no page.
  {
    name: 'inspector',
    method: 'GET',
    path: '/__sim/ui',
    summary:
      'The inspector: a live page of the state, token lineages, clock, faults and requests (standalone server; ?token= signs in)',
    run: standaloneOnly,
  },
  {
    name: 'inspectorFile',
    method: 'GET',
    path: '/__sim/ui/:file',
    summary: "The inspector's files: inspector.js, inspector.css, favicon.svg, operations.json",
    run: standaloneOnly,
  },
  {
    name: 'events',
    method: 'GET',
    path: '/__sim/events',
    summary:
      'Server-sent events: each request as the journal records it, and a hint when the state changed (standalone server)',
    run: standaloneOnly,
  },
];

function standaloneOnly(): never {
  throw new ControlError(
    404,
    'standalone_only',
    'The inspector and its event stream are served by the standalone server (okta-apigee-sim serve, startHttpServer); in-process, read sim.state and sim.requests (docs/inspector.md)',
  );
}

const router = new Router<ControlOperation>();
for (const op of CONTROL_OPERATIONS) router.add(op.method, op.path, op);
const ROUTES = CONTROL_OPERATIONS.map((op) => `${op.method} ${op.path.replace(/:(\w+)/g, '{$1}')}`);

/**
 * Answers a control-plane request. The caller's mistakes (bad JSON, an invalid rule, an action naming a
 * user the scenario lacks, a vendor refusing an action) are 400s that change nothing; anything else is a
 * bug in the simulator: a 500 with its message, and the cause on the console.
 */
export async function answerControl(sim: Controllable, request: SimRequest): Promise<SimResponse> {
  const { url, method } = request;
  const match = router.match(method, url.pathname);
  try {
    if (match.kind === 'none') {
      throw Object.assign(
        new ControlError(404, 'not_found', `No control-plane operation ${method} ${url.pathname}`),
        {
          routes: ROUTES,
        },
      );
    }
    if (match.kind === 'wrong-method') {
      throw new ControlError(
        405,
        'method_not_allowed',
        `${method} is not allowed on ${url.pathname}; try ${match.allowed.join(', ')}`,
      );
    }
    return match.value.run(sim, request, match.params);
  } catch (error) {
    if (error instanceof ControlError) {
      const { status, code, message, ...extra } = error;
      return problem(status, code, message, extra);
    }
    if (error instanceof ScenarioError) {
      return problem(400, 'invalid', formatIssues(error.issues), { issues: error.issues });
    }
    if (error instanceof ActionError || error instanceof VendorError) {
      return problem(400, 'action_failed', error.message);
    }
    console.error(`[okta-apigee-sim] Failed to run ${method} ${url.pathname}:`, error);
    return problem(500, 'internal', errorMessage(error));
  }
}

function problem(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return jsonResponse({ error: { code, message, ...extra } }, status);
}

function readText(request: SimRequest): string {
  const tooBig = oversized(request);
  if (tooBig) throw new ControlError(400, 'bad_request', tooBig);
  return bodyText(request);
}

function parseJson(request: SimRequest, what: string, empty?: string): unknown {
  const text = readText(request);
  try {
    return JSON.parse(text || empty || '');
  } catch {
    throw new ControlError(400, 'bad_request', `Expected ${what} as JSON`);
  }
}

function flag(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  return value !== null && value !== '0' && value !== 'false';
}

function count(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text))
    throw new ControlError(400, 'bad_request', `${name} must be a whole number, got "${text}"`);
  return Number(text);
}

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
const QUERY_FIELDS = ['vendor', 'operation', 'status', 'since', 'limit', 'principal', 'errorCode', 'path'];

/** `GET /__sim/requests?vendor=okta&status=4xx&since=12&limit=50` as a journal query. */
function queryRequests(journal: RequestJournal, url: URL) {
  for (const name of url.searchParams.keys()) {
    if (!QUERY_FIELDS.includes(name)) {
      throw new ControlError(400, 'bad_request', `Unknown parameter ${name}; use ${QUERY_FIELDS.join(', ')}`);
    }
  }
  const text = (name: string) => url.searchParams.get(name) ?? undefined;
  const query: JournalQuery = { limit: count(url, 'limit', VIEW_LIMIT) };
  const vendor = text('vendor');
  if (vendor !== undefined) {
    if (vendor !== 'okta' && vendor !== 'apigee')
      throw new ControlError(400, 'bad_request', `vendor must be okta or apigee, got "${vendor}"`);
    query.vendor = vendor;
  }
  const status = text('status');
  if (status !== undefined) {
    const statusClass = STATUS_CLASSES.find((known) => known === status);
    if (!statusClass && !/^[1-5]\d\d$/.test(status))
      throw new ControlError(
        400,
        'bad_request',
        `status must be a status (401) or a class (4xx), got "${status}"`,
      );
    query.status = statusClass ?? Number(status);
  }
  const since = text('since');
  if (since !== undefined) {
    if (/^\d{1,15}$/.test(since)) query.since = Number(since);
    else if (Number.isNaN(Date.parse(since)))
      throw new ControlError(
        400,
        'bad_request',
        `since must be a sequence number or an ISO-8601 instant, got "${since}"`,
      );
    else query.since = since;
  }
  for (const name of ['operation', 'principal', 'errorCode', 'path'] as const) {
    const value = text(name);
    if (value !== undefined) query[name] = value;
  }
  try {
    return journal.query(query);
  } catch (error) {
    if (error instanceof RangeError) throw new ControlError(400, 'bad_request', error.message);
    throw error;
  }
}

function captureView(journal: RequestJournal) {
  const settings = journal.capturing;
  return settings ? { enabled: true, ...settings } : { enabled: false };
}
