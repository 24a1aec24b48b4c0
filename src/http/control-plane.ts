import { z } from 'zod';
import { ActionSchema } from '../scenario/actions.ts';
import type { FaultRuleInput } from '../scenario/faults.ts';
import { formatIssues, issuesOf, ScenarioError } from '../scenario/issues.ts';
import { parseScenario } from '../scenario/parse.ts';
import type { Simulator } from '../simulator.ts';
import { bodyText, jsonResponse, MAX_BODY_BYTES, type SimRequest, type SimResponse } from './exchange.ts';

const ClockCommand = z.union([
  z.strictObject({ advance: z.union([z.string(), z.number()]) }),
  z.strictObject({ set: z.union([z.string(), z.number()]) }),
  z.strictObject({ freeze: z.boolean() }),
  z.strictObject({ resume: z.literal(true) }),
]);

function problem(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return jsonResponse({ error: { code, message, ...extra } }, status);
}

const ROUTES = [
  'GET /__sim/health',
  'GET /__sim/clock',
  'POST /__sim/clock',
  'GET /__sim/state',
  'POST /__sim/reset',
  'PUT /__sim/scenario',
  'GET /__sim/requests',
  'GET /__sim/faults',
  'POST /__sim/faults',
  'DELETE /__sim/faults',
  'DELETE /__sim/faults/{id}',
  'POST /__sim/actions',
];

/**
 * The control plane (docs/control-plane.md): the instance API over HTTP, for the standalone server and for
 * browser tests. Answers in its own small JSON dialect, `{ "error": { code, message } }` on failure.
 */
export function handleControlPlane(sim: Simulator, request: SimRequest): SimResponse {
  const { url } = request;
  const route = `${request.method} ${url.pathname}`;
  try {
    switch (route) {
      case 'GET /__sim/health':
        return jsonResponse({ ok: true });
      case 'GET /__sim/clock':
        return jsonResponse(sim.clock.toJSON());
      case 'POST /__sim/clock':
        return moveClock(sim, readText(request));
      case 'GET /__sim/state':
        // A long run holds millions of records: each collection is cut at 1,000 unless ?full=1.
        return jsonResponse(sim.stateView(flag(url, 'full') ? Number.POSITIVE_INFINITY : VIEW_LIMIT));
      case 'POST /__sim/reset':
        sim.reset();
        return jsonResponse({ ok: true });
      case 'PUT /__sim/scenario':
        return replaceScenario(sim, request, readText(request));
      case 'GET /__sim/requests':
        return jsonResponse(sim.requests.recent(count(url, 'limit', VIEW_LIMIT)));
      case 'GET /__sim/faults':
        return jsonResponse(sim.faults.list());
      case 'POST /__sim/faults': {
        // inject() validates the rule: anything else is a 400 listing the problems.
        const rule = parseBody(readText(request), 'a fault rule') as FaultRuleInput;
        return jsonResponse({ ok: true, id: sim.faults.inject(rule).id }, 201);
      }
      case 'DELETE /__sim/faults':
        sim.faults.clear();
        return jsonResponse({ ok: true });
      case 'POST /__sim/actions':
        return actionRequest(sim, readText(request));
      default:
        if (request.method === 'DELETE' && url.pathname.startsWith('/__sim/faults/')) {
          const removed = sim.faults.remove(Number(url.pathname.slice('/__sim/faults/'.length)));
          return removed
            ? jsonResponse({ ok: true })
            : problem(404, 'not_found', 'No fault rule with that id');
        }
        return problem(404, 'not_found', `No control-plane operation ${route}`, { routes: ROUTES });
    }
  } catch (error) {
    if (error instanceof BadRequest) return problem(400, 'bad_request', error.message);
    if (error instanceof ScenarioError) {
      return problem(400, 'invalid', formatIssues(error.issues), { issues: error.issues });
    }
    console.error(`[okta-apigee-sim] Failed to run ${route}:`, error);
    return problem(500, 'internal', error instanceof Error ? error.message : String(error));
  }
}

class BadRequest extends Error {}

/** The default size of a listing (`/__sim/requests`, each collection of `/__sim/state`). */
const VIEW_LIMIT = 1000;

function flag(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  return value !== null && value !== '0' && value !== 'false';
}

function count(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new BadRequest(`${name} must be a whole number, got "${text}"`);
  return Number(text);
}

function readText(request: SimRequest): string {
  if (request.body.byteLength > MAX_BODY_BYTES) throw new BadRequest(`Body exceeds ${MAX_BODY_BYTES} bytes`);
  return bodyText(request);
}

function parseBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest(`Expected ${what} as JSON`);
  }
}

/** Runs one action now; a failing action (an unknown app ...) is a 400 and changes nothing. */
function actionRequest(sim: Simulator, text: string): SimResponse {
  const parsed = ActionSchema.safeParse(parseBody(text, 'an action'));
  if (!parsed.success) {
    throw new ScenarioError(issuesOf(parsed.error.issues));
  }
  try {
    return jsonResponse({ ok: true, result: sim.run(parsed.data) ?? null });
  } catch (error) {
    throw new BadRequest(error instanceof Error ? error.message : String(error));
  }
}

function moveClock(sim: Simulator, text: string): SimResponse {
  let command: z.output<typeof ClockCommand>;
  try {
    command = ClockCommand.parse(JSON.parse(text || '{}'));
  } catch {
    throw new BadRequest(
      'Expected one of {"advance":"16m"}, {"set":"<ISO>"}, {"freeze":true}, {"resume":true}',
    );
  }
  try {
    if ('advance' in command) sim.clock.advance(command.advance);
    else if ('set' in command) sim.clock.set(command.set);
    else if ('freeze' in command && command.freeze) sim.clock.freeze();
    else sim.clock.resume();
  } catch (error) {
    throw new BadRequest((error as Error).message);
  }
  return jsonResponse(sim.clock.toJSON());
}

function replaceScenario(sim: Simulator, request: SimRequest, text: string): SimResponse {
  const json = /json/i.test(request.headers.get('content-type') ?? '') || text.trimStart().startsWith('{');
  try {
    const scenario = parseScenario(text, json ? 'json' : 'yaml');
    sim.load(scenario);
    return jsonResponse({ ok: true, name: scenario.name });
  } catch (error) {
    if (error instanceof ScenarioError) {
      return problem(400, 'invalid_scenario', `Invalid scenario:\n${formatIssues(error.issues)}`, {
        issues: error.issues,
      });
    }
    throw error;
  }
}
