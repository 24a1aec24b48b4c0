import { z } from 'zod';
import { ActionSchema } from '../scenario/actions.ts';
import type { FaultRuleInput } from '../scenario/faults.ts';
import { formatIssues, ScenarioError } from '../scenario/issues.ts';
import { parseScenario } from '../scenario/parse.ts';
import type { Simulator } from '../simulator.ts';

const MAX_SCENARIO_BYTES = 1024 * 1024;

const ClockCommand = z.union([
  z.strictObject({ advance: z.union([z.string(), z.number()]) }),
  z.strictObject({ set: z.union([z.string(), z.number()]) }),
  z.strictObject({ freeze: z.boolean() }),
  z.strictObject({ resume: z.literal(true) }),
]);

function reply(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function problem(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return reply({ error: { code, message, ...extra } }, status);
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
 * The control plane (product.md §4): the instance API over HTTP, for the standalone server and for
 * browser tests. Answers in its own small JSON dialect, `{ "error": { code, message } }` on failure.
 */
export async function handleControlPlane(sim: Simulator, request: Request, url: URL): Promise<Response> {
  const route = `${request.method} ${url.pathname}`;
  try {
    switch (route) {
      case 'GET /__sim/health':
        return reply({ ok: true });
      case 'GET /__sim/clock':
        return reply(sim.clock.toJSON());
      case 'POST /__sim/clock':
        return moveClock(sim, await readText(request));
      case 'GET /__sim/state':
        return reply(sim.state);
      case 'POST /__sim/reset':
        sim.reset();
        return reply({ ok: true });
      case 'PUT /__sim/scenario':
        return replaceScenario(sim, request, await readText(request));
      case 'GET /__sim/requests':
        return reply(sim.requests.all());
      case 'GET /__sim/faults':
        return reply(sim.faults.list());
      case 'POST /__sim/faults': {
        // inject() validates the rule: anything else is a 400 listing the problems.
        const rule = parseBody(await readText(request), 'a fault rule') as FaultRuleInput;
        return reply({ ok: true, id: sim.faults.inject(rule).id }, 201);
      }
      case 'DELETE /__sim/faults':
        sim.faults.clear();
        return reply({ ok: true });
      case 'POST /__sim/actions':
        return runAction(sim, await readText(request));
      default:
        if (request.method === 'DELETE' && url.pathname.startsWith('/__sim/faults/')) {
          const removed = sim.faults.remove(Number(url.pathname.slice('/__sim/faults/'.length)));
          return removed ? reply({ ok: true }) : problem(404, 'not_found', 'No fault rule with that id');
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

async function readText(request: Request): Promise<string> {
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_SCENARIO_BYTES) throw new BadRequest(`Body exceeds ${MAX_SCENARIO_BYTES} bytes`);
  return new TextDecoder().decode(bytes);
}

function parseBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest(`Expected ${what} as JSON`);
  }
}

/** Runs one action now; a failing action (an unknown app ...) is a 400 and changes nothing. */
function runAction(sim: Simulator, text: string): Response {
  const parsed = ActionSchema.safeParse(parseBody(text, 'an action'));
  if (!parsed.success) {
    throw new ScenarioError(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  try {
    return reply({ ok: true, result: sim.run(parsed.data) ?? null });
  } catch (error) {
    throw new BadRequest(error instanceof Error ? error.message : String(error));
  }
}

function moveClock(sim: Simulator, text: string): Response {
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
  return reply(sim.clock.toJSON());
}

function replaceScenario(sim: Simulator, request: Request, text: string): Response {
  const json = /json/i.test(request.headers.get('content-type') ?? '') || text.trimStart().startsWith('{');
  try {
    const scenario = parseScenario(text, json ? 'json' : 'yaml');
    sim.load(scenario);
    return reply({ ok: true, name: scenario.name });
  } catch (error) {
    if (error instanceof ScenarioError) {
      return problem(400, 'invalid_scenario', `Invalid scenario:\n${formatIssues(error.issues)}`, {
        issues: error.issues,
      });
    }
    throw error;
  }
}
