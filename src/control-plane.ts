import { z } from 'zod';
import { ActionError } from './core/action-error.ts';
import type { VirtualClock } from './core/clock.ts';
import { errorMessage } from './core/error-message.ts';
import type { RequestJournal } from './core/journal.ts';
import { Router } from './core/router.ts';
import { VendorError } from './core/vendor-error.ts';
import { oversized } from './http/body.ts';
import { bodyText, jsonResponse, type SimRequest, type SimResponse } from './http/exchange.ts';
import type { Method } from './http/operation.ts';
import { type Action, ActionSchema } from './scenario/actions.ts';
import { formatIssues, issuesOf, ScenarioError } from './scenario/issues.ts';
import { parseScenario } from './scenario/parse.ts';
import type { Scenario } from './scenario/schema.ts';

/** What the control plane drives: the simulator's instance API (`sim.clock`, `sim.faults` ...). */
export interface Controllable {
  readonly clock: VirtualClock;
  readonly requests: RequestJournal;
  readonly faults: {
    inject(rule: unknown): { id: number };
    remove(id: number): boolean;
    clear(): void;
    list(): unknown;
  };
  stateView(limit: number): unknown;
  reset(): void;
  load(scenario: Scenario): void;
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
        if ('advance' in command) sim.clock.advance(command.advance);
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
    summary: 'Replace the scenario (YAML or JSON)',
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
      sim.load(scenario);
      return ok({ name: scenario.name });
    },
  },
  {
    name: 'listRequests',
    method: 'GET',
    path: '/__sim/requests',
    summary: 'The latest requests of the journal (?limit=, default 1,000)',
    run: (sim, request) => jsonResponse(sim.requests.recent(count(request.url, 'limit', VIEW_LIMIT))),
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
];

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
