/**
 * okta-apigee-sim: an msw-based simulator of Okta classic authentication and the Sessions API.
 * Browser-safe entry; `okta-apigee-sim/node` adds file loading, msw/node and the HTTP server.
 *
 * @module
 */
export type { ApigeeActions, IssueTokenInput } from './apigee/actions.ts';
export type { ApigeeStateView, TokenView } from './apigee/state-view.ts';
export type { ClockReading } from './core/clock.ts';
export { VirtualClock } from './core/clock.ts';
export type { Duration } from './core/duration.ts';
export type { JournalEntry, JournalFilter } from './core/journal.ts';
export { RequestJournal } from './core/journal.ts';
export { createSimulator } from './create-simulator.ts';
export type { SimRequest, SimResponse } from './http/exchange.ts';
export type { OktaActions } from './okta/actions.ts';
export type { OktaStateView } from './okta/state-view.ts';
export type { ScenarioIssue } from './scenario/issues.ts';
export { formatIssues, ScenarioError } from './scenario/issues.ts';
export type { ScenarioFormat } from './scenario/parse.ts';
export { defineScenario, parseScenario, validateScenario } from './scenario/parse.ts';
export type { Scenario, ScenarioInput } from './scenario/schema.ts';
export { scenarioJsonSchema } from './scenario/schema.ts';
export type {
  FetchOptions,
  HandlerFactory,
  SimulatorOptions,
  SimulatorState,
  UnsimulatedStrategy,
} from './simulator.ts';
export { Simulator, UnsimulatedRequestError } from './simulator.ts';
