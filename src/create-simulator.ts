import { http } from 'msw';
import type { Scenario, ScenarioInput } from './scenario/schema.ts';
import { type HandlerFactory, Simulator, type SimulatorOptions } from './simulator.ts';

/**
 * The simulator's one msw handler: it claims requests to the scenario's vendor origins and answers them
 * with `sim.fetch`; anything else falls through to the next handler (or msw's `onUnhandledFrame`).
 */
export const mswHandlers: HandlerFactory = (sim) => [
  http.all(
    ({ request }) => sim.claims(request.url),
    async ({ request, cookies }) => sim.fetch(request, { cookies }),
  ),
];

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
  return new Simulator(scenario, { handlers: mswHandlers, ...options });
}
