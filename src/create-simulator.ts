import { http, type RequestHandler } from 'msw';
import type { Scenario, ScenarioInput } from './scenario/schema.ts';
import { SimulatorCore, type SimulatorOptions, UnsimulatedRequestError } from './simulator.ts';

/**
 * One simulated Okta org and Apigee organization, their clock, journal and msw handlers. Instances share
 * nothing: many can run side by side. Make one with `createSimulator`.
 *
 * @example
 * const sim = createSimulator(scenario);
 * const server = setupServer(...sim.handlers);
 */
export class Simulator extends SimulatorCore {
  /** msw request handlers answering on the scenario's vendor origins. */
  readonly handlers: RequestHandler[];

  constructor(scenario: Scenario | ScenarioInput, options: SimulatorOptions = {}) {
    super(scenario, options);
    this.handlers = mswHandlers(this);
  }
}

/**
 * The simulator's one msw handler: it claims requests to the scenario's vendor origins and answers them
 * with `sim.fetch`, so that none reaches the real vendor; anything else falls through to the next handler
 * (or msw's `onUnhandledFrame`), as do unsimulated paths under `onUnsimulated: 'bypass'`.
 */
function mswHandlers(sim: SimulatorCore): RequestHandler[] {
  return [
    http.all(
      ({ request }) => sim.claims(request.url, request.method),
      async ({ request, cookies }) => {
        try {
          return await sim.fetch(request, { cookies });
        } catch (error) {
          // msw turns a thrown error into a 500 answer; a request that must fail fails as a network error,
          // as msw's own onUnhandledRequest: 'error' does, with the reason on the console.
          if (!(error instanceof UnsimulatedRequestError)) throw error;
          console.error(error.message);
          return Response.error();
        }
      },
    ),
  ];
}

/**
 * Creates a simulator from a scenario object (typed with `defineScenario`, or parsed with `parseScenario`),
 * with msw handlers for `setupServer` / `setupWorker`. See `Simulator`.
 *
 * @example
 * const sim = createSimulator(scenario);
 * const server = setupServer(...sim.handlers);
 */
export function createSimulator(
  scenario: Scenario | ScenarioInput,
  options: SimulatorOptions = {},
): Simulator {
  return new Simulator(scenario, options);
}
