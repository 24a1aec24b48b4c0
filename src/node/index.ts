/**
 * okta-apigee-sim for Node: scenario files, msw/node, and the standalone HTTP server.
 *
 * @module
 */
export * from '../index.ts';
export { type HttpServerOptions, type RunningServer, startHttpServer } from './http-server.ts';
export { loadScenarioFile } from './load-scenario-file.ts';
export { setupSimulatorServer } from './setup-simulator-server.ts';
