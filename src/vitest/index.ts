/**
 * okta-apigee-sim for vitest: `useSimulator(scenario)` makes a simulator for the test file, answers the
 * vendors in-process through msw's `setupServer`, and resets it after every test (docs/tenants.md#vitest).
 *
 * @example
 * import { useSimulator } from 'okta-apigee-sim/vitest';
 *
 * const sim = useSimulator('default');
 * it('signs in', async () => { ... sim.requests.last() ... });
 *
 * @module
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createSimulator, type Simulator } from '../create-simulator.ts';
import { type ScenarioSource, scenarioFrom } from '../node/scenario-library.ts';
import { setupSimulatorServer } from '../node/setup-simulator-server.ts';
import type { SimulatorOptions } from '../simulator.ts';

type SimulatorServer = ReturnType<typeof setupSimulatorServer>;

export interface UseSimulatorOptions extends SimulatorOptions {
  /**
   * msw's `server.listen()` options. Default `{ onUnhandledFrame: 'error' }`: a request that neither the
   * simulator nor a handler of yours answers fails the test, so nothing reaches the network.
   */
  listen?: Parameters<SimulatorServer['listen']>[0];
}

/** The simulator of a test file, with the msw server answering for it (`server.use(...)` adds handlers). */
export type UsedSimulator = Simulator & { readonly server: SimulatorServer };

/**
 * Registers the file's hooks and returns its simulator: msw listens before the tests, the simulator and
 * msw's handlers are reset after each test (data, clock, fault rules, journal), msw closes after them.
 * `onUnsimulated` defaults to `'error'`: a request to a simulated origin that no simulated operation answers
 * fails the test instead of getting the vendor's 404. One per test file: msw intercepts for the process.
 *
 * @param scenario a scenario object (`defineScenario`, `loadScenarioFile`) or a library name
 *   (`'default'`, `'okta/lockout-auto-unlock'`)
 */
export function useSimulator(scenario: ScenarioSource, options: UseSimulatorOptions = {}): UsedSimulator {
  const { listen = { onUnhandledFrame: 'error' }, ...simulatorOptions } = options;
  const sim = createSimulator(scenarioFrom(scenario), { onUnsimulated: 'error', ...simulatorOptions });
  const server = setupSimulatorServer(sim);
  beforeAll(() => server.listen(listen));
  afterEach(() => {
    server.resetHandlers();
    sim.reset();
  });
  afterAll(() => server.close());
  return Object.assign(sim, { server });
}

export type { ScenarioSource } from '../node/scenario-library.ts';
