/**
 * okta-apigee-sim: an msw-based simulator of Okta (classic authentication, Sessions, the Users API reads)
 * and Apigee (OAuth token issuance, verification, revocation and approval, the management API).
 * Browser-safe entry; `okta-apigee-sim/node` adds file loading, msw/node and the HTTP server.
 *
 * @module
 */
export type { ApigeeActions, IssueTokenInput } from './apigee/actions.ts';
export type { ApigeeStateView, TokenView } from './apigee/state-view.ts';
export { OPERATIONS, type OperationName } from './catalogue.ts';
export type { ClockReading, VirtualClock } from './core/clock.ts';
export type {
  CheckedDuration,
  Duration,
  DurationText,
  DurationUnit,
  InvalidDuration,
} from './core/duration.ts';
export type { FaultEffect, FaultMatch, FaultRule } from './core/faults.ts';
export type {
  CapturedMessage,
  CaptureSettings,
  JournalEntry,
  JournalFilter,
  JournalQuery,
  RequestJournal,
} from './core/journal.ts';
export { createSimulator, type Simulator } from './create-simulator.ts';
export type { SimRequest, SimResponse } from './http/exchange.ts';
export type { CatalogueEntry } from './http/operation.ts';
export type { OktaActions, OktaCodes, SentCode } from './okta/actions.ts';
export type { OktaStateView } from './okta/state-view.ts';
export { formatRequestLine } from './request-log.ts';
export type { Action } from './scenario/actions.ts';
export type { FaultRuleInput } from './scenario/faults.ts';
export type { ScenarioIssue } from './scenario/issues.ts';
export { formatIssues, ScenarioError } from './scenario/issues.ts';
export type { ScenarioFormat } from './scenario/parse.ts';
export { defineScenario, parseScenario, validateScenario } from './scenario/parse.ts';
export type { Scenario, ScenarioInput } from './scenario/schema.ts';
export { scenarioJsonSchema } from './scenario/schema.ts';
export type { UnknownKey } from './scenario/strict.ts';
export type {
  FaultControls,
  FetchOptions,
  LoadOptions,
  LoadResult,
  SimulatorOptions,
  SimulatorState,
  UnsimulatedStrategy,
} from './simulator.ts';
export { UnsimulatedRequestError } from './simulator.ts';
