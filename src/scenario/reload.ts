import type { Scenario } from './schema.ts';

/**
 * The parts of a scenario that the records of a running simulator are made of: while a new version of
 * the scenario keeps them, a reload can keep the simulator's state (sessions, transactions, tokens, locked
 * users, the clock) and apply the rest (policies, rate limits, quirks, proxy paths, faults, timeline,
 * steps). Each entry: a name for messages, and what to compare.
 */
const IDENTITY: [string, (scenario: Scenario) => unknown][] = [
  ['seed', (s) => s.seed],
  ['clock', (s) => s.clock],
  ['okta', (s) => s.okta !== undefined],
  ['apigee', (s) => s.apigee !== undefined],
  ['okta.orgUrl', (s) => s.okta?.orgUrl],
  ['okta.orgId', (s) => s.okta?.orgId],
  ['okta.users', (s) => s.okta?.users],
  ['okta.groups', (s) => s.okta?.groups],
  ['okta.apiTokens', (s) => s.okta?.apiTokens],
  ['apigee.runtimeUrl', (s) => s.apigee?.runtimeUrl],
  ['apigee.managementUrl', (s) => s.apigee?.managementUrl],
  ['apigee.organization', (s) => s.apigee?.organization],
  ['apigee.developers', (s) => s.apigee?.developers],
  ['apigee.products', (s) => s.apigee?.products],
  ['apigee.apps', (s) => s.apigee?.apps],
  ['apigee.issuedTokens', (s) => s.apigee?.issuedTokens],
  ['apigee.tokens.format', (s) => s.apigee?.tokens.format],
  ['apigee.tokens.jwt', (s) => s.apigee?.tokens.jwt],
];

/**
 * Why `next` cannot take over the state of a simulator running `previous` (`"okta.users changed"`), or
 * `undefined` when it can: same seed and clock settings, same users, groups and API tokens, same
 * developers, products, apps, pre-issued tokens and JWT settings.
 */
export function stateKeepingProblem(previous: Scenario, next: Scenario): string | undefined {
  for (const [name, part] of IDENTITY) {
    if (JSON.stringify(part(previous)) !== JSON.stringify(part(next))) return `${name} changed`;
  }
  return undefined;
}
