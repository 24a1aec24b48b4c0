/**
 * okta-apigee-sim for Node: scenario files, msw/node, and the standalone HTTP server.
 *
 * @module
 */
export * from '../index.ts';
export {
  type ClockCommand,
  type CreateTenantOptions,
  createTenant,
  type RemoteTenant,
} from '../tenant-client.ts';
export { type HttpServerOptions, type RunningServer, startHttpServer } from './http-server.ts';
export { loadScenarioFile } from './load-scenario-file.ts';
export { setupSimulatorServer } from './setup-simulator-server.ts';
export {
  type Tenant,
  TenantError,
  type TenantInfo,
  type TenantOptions,
  type TenantRequest,
  type Tenants,
} from './tenants.ts';
