/**
 * okta-apigee-sim in the browser: the simulator behind msw's service worker.
 *
 * @module
 */
import { type SetupWorker, setupWorker } from 'msw/browser';
import type { Simulator } from '../create-simulator.ts';

export * from '../index.ts';

/**
 * msw's `setupWorker` with the simulator's handlers. Serve `mockServiceWorker.js` from your public
 * folder (`npx msw init public/`), then `await setupSimulatorWorker(sim).start()`.
 */
export function setupSimulatorWorker(sim: Simulator): SetupWorker {
  return setupWorker(...sim.handlers);
}
