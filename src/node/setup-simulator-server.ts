import { type SetupServer, setupServer } from 'msw/node';
import type { Simulator } from '../create-simulator.ts';

/**
 * msw's `setupServer` with the simulator's handlers: requests to the scenario's vendor origins are
 * answered in-process; everything else follows msw's `onUnhandledFrame`.
 *
 * @example
 * const sim = createSimulator(scenario);
 * const server = setupSimulatorServer(sim);
 * beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
 * afterEach(() => { server.resetHandlers(); sim.reset(); });
 * afterAll(() => server.close());
 */
export function setupSimulatorServer(sim: Simulator): SetupServer {
  return setupServer(...sim.handlers);
}
