/**
 * The public API's types, as users' code sees them through the package's entries. These assertions are
 * checked by the type check of `npm test` (`tsc --noEmit` covers test/); at run time they pass trivially.
 * A change here is a change of the public API: it belongs in CHANGELOG.md.
 */
import type { RequestHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
import type { SetupServer } from 'msw/node';
import { describe, expectTypeOf, it } from 'vitest';
import type * as browser from '../../src/browser/index.ts';
import {
  type Action,
  type ApigeeActions,
  createSimulator,
  type Duration,
  defineScenario,
  type FaultControls,
  type FaultRuleInput,
  type JournalEntry,
  type OktaActions,
  type OperationName,
  parseScenario,
  type RequestJournal,
  type Scenario,
  type ScenarioError,
  type ScenarioInput,
  type ScenarioIssue,
  type SimRequest,
  type SimResponse,
  type Simulator,
  type SimulatorOptions,
  type SimulatorState,
  type UnsimulatedStrategy,
  type VirtualClock,
  validateScenario,
} from '../../src/index.ts';
import type * as node from '../../src/node/index.ts';

describe('the public types', () => {
  it('types createSimulator: a scenario as written or validated, options, a Simulator', () => {
    expectTypeOf(createSimulator).parameters.toEqualTypeOf<
      [scenario: Scenario | ScenarioInput, options?: SimulatorOptions]
    >();
    expectTypeOf(createSimulator).returns.toEqualTypeOf<Simulator>();
    expectTypeOf<SimulatorOptions>().toEqualTypeOf<{
      seed?: number;
      journalLimit?: number;
      onUnsimulated?: UnsimulatedStrategy;
    }>();
    expectTypeOf<UnsimulatedStrategy>().toEqualTypeOf<'warn' | 'error' | 'bypass'>();
  });

  it('types the Simulator instance', () => {
    expectTypeOf<Simulator['handlers']>().toEqualTypeOf<RequestHandler[]>();
    expectTypeOf<Simulator['clock']>().toEqualTypeOf<VirtualClock>();
    expectTypeOf<Simulator['requests']>().toEqualTypeOf<RequestJournal>();
    expectTypeOf<Simulator['faults']>().toEqualTypeOf<FaultControls>();
    expectTypeOf<Simulator['okta']>().toEqualTypeOf<OktaActions>();
    expectTypeOf<Simulator['apigee']>().toEqualTypeOf<ApigeeActions>();
    expectTypeOf<Simulator['state']>().toEqualTypeOf<SimulatorState>();
    expectTypeOf<Simulator['scenario']>().toEqualTypeOf<Scenario>();
    expectTypeOf<Simulator['reset']>().toEqualTypeOf<() => void>();
    expectTypeOf<Simulator['load']>().parameters.toEqualTypeOf<
      [scenario: Scenario | ScenarioInput, options?: { keepState?: boolean }]
    >();
    expectTypeOf<Simulator['run']>().parameters.toEqualTypeOf<[action: Action]>();
    expectTypeOf<Simulator['fetch']>().returns.toEqualTypeOf<Promise<Response | undefined>>();
    expectTypeOf<Simulator['answer']>().parameters.toExtend<[SimRequest, ...unknown[]]>();
    expectTypeOf<Simulator['answer']>().returns.toEqualTypeOf<Promise<SimResponse | undefined>>();
    expectTypeOf<Simulator['stateView']>().toEqualTypeOf<(limit?: number) => SimulatorState>();
    expectTypeOf<FaultControls['inject']>().parameters.toEqualTypeOf<[rule: FaultRuleInput]>();
    expectTypeOf<FaultControls['inject']>().returns.toEqualTypeOf<(() => void) & { id: number }>();
    expectTypeOf<OktaActions['totpCode']>().toEqualTypeOf<(login: string, at?: number) => string>();
    expectTypeOf<ApigeeActions['issueToken']>().returns.toEqualTypeOf<
      Promise<{ accessToken: string; refreshToken: string | undefined }>
    >();
  });

  it('types the journal entries that tests filter on', () => {
    expectTypeOf<JournalEntry>().toHaveProperty('operation').toEqualTypeOf<string | null>();
    expectTypeOf<JournalEntry>().toHaveProperty('status').toEqualTypeOf<number>();
    expectTypeOf<RequestJournal['last']>().returns.toEqualTypeOf<JournalEntry | undefined>();
    expectTypeOf<'primaryAuthentication'>().toExtend<OperationName>();
  });

  it('types scenarios as written and as validated', () => {
    const written = defineScenario({ version: 1, okta: { users: [{ login: 'a@example.com' }] } });
    expectTypeOf(written).toExtend<ScenarioInput>();
    expectTypeOf<{
      version: 1;
      okta: { policy: { session: { maxIdle: '2h' } } };
    }>().toExtend<ScenarioInput>();
    expectTypeOf<{
      version: 1;
      okta: { policy: { session: { maxIdle: 7_200_000 } } };
    }>().toExtend<ScenarioInput>();
    expectTypeOf<{ version: 2 }>().not.toExtend<ScenarioInput>();
    // Validated: defaults applied, durations in milliseconds.
    expectTypeOf<NonNullable<Scenario['okta']>['policy']['session']['maxIdle']>().toEqualTypeOf<number>();
    expectTypeOf<Scenario['seed']>().toEqualTypeOf<number>();
    expectTypeOf(parseScenario).returns.toEqualTypeOf<Scenario>();
    expectTypeOf(validateScenario).returns.toEqualTypeOf<Scenario>();
    expectTypeOf<ScenarioError['issues']>().toEqualTypeOf<ScenarioIssue[]>();
  });

  it('types the node entry: scenario files, msw/node and the HTTP server', () => {
    expectTypeOf<typeof node.loadScenarioFile>().toEqualTypeOf<(path: string | URL) => Promise<Scenario>>();
    expectTypeOf<typeof node.setupSimulatorServer>().returns.toEqualTypeOf<SetupServer>();
    expectTypeOf<typeof node.startHttpServer>().returns.toEqualTypeOf<Promise<node.RunningServer>>();
    expectTypeOf<node.HttpServerOptions>().toEqualTypeOf<{
      port?: number;
      host?: string;
      controlToken?: string;
      corsOrigins?: readonly string[];
      allowedHosts?: readonly string[];
      tls?: { cert: string; key: string };
      tenants?: node.TenantOptions | false;
    }>();
    expectTypeOf<node.TenantOptions>().toEqualTypeOf<{
      pool?: number;
      limit?: number;
      memoryBudget?: number;
      ttl?: Duration;
    }>();
    expectTypeOf<node.RunningServer['tenants']>().toEqualTypeOf<node.Tenants | undefined>();
    expectTypeOf<node.Tenants['create']>().returns.toEqualTypeOf<Promise<node.Tenant>>();
    expectTypeOf<node.RunningServer>().toHaveProperty('url').toEqualTypeOf<string>();
    expectTypeOf<typeof node.createSimulator>().toEqualTypeOf<typeof createSimulator>();
  });

  it('types the browser entry: msw/browser', () => {
    expectTypeOf<typeof browser.setupSimulatorWorker>().parameters.toEqualTypeOf<[sim: Simulator]>();
    expectTypeOf<typeof browser.setupSimulatorWorker>().returns.toEqualTypeOf<SetupWorker>();
    expectTypeOf<typeof browser.createSimulator>().toEqualTypeOf<typeof createSimulator>();
  });
});
