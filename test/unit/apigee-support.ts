import { ApigeeError } from '../../src/apigee/domain/errors.ts';
import { type Issued, passwordGrant, refreshGrant } from '../../src/apigee/domain/grants.ts';
import { ApigeeOrg } from '../../src/apigee/domain/org.ts';
import { verifyAccessToken } from '../../src/apigee/domain/verify.ts';
import { ApigeeScenarioSchema } from '../../src/apigee/scenario.ts';
import { VirtualClock } from '../../src/core/clock.ts';
import { IdSource } from '../../src/core/ids.ts';
import type { ScenarioInput } from '../../src/scenario/schema.ts';
import { apigeeScenario, RUNTIME, T0_MS, WEB } from '../support/scenarios.ts';

type ApigeeInput = NonNullable<ScenarioInput['apigee']>;

/** An Apigee org straight from the domain: no HTTP, no msw. */
export function apigeeOrg(overrides: Partial<ApigeeInput> = {}): ApigeeOrg {
  const config = ApigeeScenarioSchema.parse({ ...apigeeScenario.apigee, ...overrides });
  return new ApigeeOrg(config, new VirtualClock(T0_MS, { frozen: true }), new IdSource(1), new IdSource(2));
}

/** A password-grant pair (AT₁, RT₁) for the `web` app. */
export function pair(org: ApigeeOrg, endUser = 'ada'): Promise<Issued> {
  return passwordGrant(org, WEB, endUser, 'secret', undefined, undefined, RUNTIME);
}

/** What VerifyAccessToken says of a token on /v1/orders: 'ok' or the fault's errorcode. */
export async function verifies(org: ApigeeOrg, token: string, path = '/v1/orders/1'): Promise<string> {
  return outcome(() => verifyAccessToken(org, { bearer: token, path }));
}

/** What RefreshAccessToken says of a refresh token: 'ok' or the error text. */
export async function refreshes(org: ApigeeOrg, refreshToken: string): Promise<string> {
  return outcome(() => refreshGrant(org, WEB, refreshToken, RUNTIME));
}

/** 'ok', or the errorcode (faults) / Error text (token-endpoint errors) of an ApigeeError. */
export async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (!(error instanceof ApigeeError)) throw error;
    return error.shape === 'fault' ? error.code : `${error.code}: ${error.text}`;
  }
}

/** The app of that name (the scenarios used here have one per name). */
export function appNamed(org: ApigeeOrg, name: string) {
  return [...org.apps.values()].find((app) => app.name === name);
}
