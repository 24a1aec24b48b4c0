/**
 * okta-apigee-sim for Playwright Test: a `tenant` fixture giving each worker (or each test) an isolated
 * Okta org and Apigee organization of a running `okta-apigee-sim serve`, with its URLs and control plane;
 * the tenant's request journal is attached to the report of a test that fails (docs/tenants.md#playwright).
 *
 * @example
 * import { expect, test } from 'okta-apigee-sim/playwright';
 *
 * test('locks out after three wrong passwords', async ({ page, tenant }) => {
 *   await page.goto(`${tenant.hostUrl}/...`);
 * });
 *
 * @module
 */
import { test as base } from '@playwright/test';
import type { Duration } from '../core/duration.ts';
import type { Scenario, ScenarioInput } from '../scenario/schema.ts';
import { createTenant, type RemoteTenant } from '../tenant-client.ts';

export { expect } from '@playwright/test';
export type { ClockCommand, CreateTenantOptions, RemoteTenant } from '../tenant-client.ts';
export { createTenant } from '../tenant-client.ts';

/** Options of the fixture, set with `test.use({ ... })` or in `playwright.config.ts`'s `use`. */
export interface SimulatorTestOptions {
  /** The `serve` to make tenants on. Default: `$OKTA_APIGEE_SIM_URL`, else `http://127.0.0.1:4455`. */
  simServer: string;
  /** The tenant's scenario: an object, or a library name (`okta/lockout-auto-unlock`); default the server's. */
  simScenario: Scenario | ScenarioInput | string | undefined;
  /**
   * `'worker'` (default): one tenant per worker, reset before each test; `'test'`: a new tenant for each
   * test, ended after it.
   */
  simIsolation: 'worker' | 'test';
  /** The tenant's idle ttl (default the server's, `30m`). */
  simTtl: Duration | undefined;
  /** The server's `--control-token`, when it has one. Default: `$OKTA_APIGEE_SIM_CONTROL_TOKEN`. */
  simControlToken: string | undefined;
}

interface TenantFixtures {
  /** This test's tenant: its `url`, `hostUrl` and control plane (`reset`, `clock`, `run`, `state` ...). */
  tenant: RemoteTenant;
}

interface WorkerFixtures extends SimulatorTestOptions {
  /** The worker's tenant under `simIsolation: 'worker'`. */
  simWorkerTenant: RemoteTenant | undefined;
}

/** What the fixture adds to a test's annotations: which tenant it ran against. */
const ANNOTATION = 'okta-apigee-sim tenant';

/** Playwright's `test` with the `tenant` fixture and its options. */
export const test = base.extend<TenantFixtures, WorkerFixtures>({
  simServer: [process.env.OKTA_APIGEE_SIM_URL ?? 'http://127.0.0.1:4455', { scope: 'worker', option: true }],
  simScenario: [undefined, { scope: 'worker', option: true }],
  simIsolation: ['worker', { scope: 'worker', option: true }],
  simTtl: [undefined, { scope: 'worker', option: true }],
  simControlToken: [process.env.OKTA_APIGEE_SIM_CONTROL_TOKEN, { scope: 'worker', option: true }],
  simWorkerTenant: [
    async ({ simServer, simScenario, simIsolation, simTtl, simControlToken }, use) => {
      if (simIsolation !== 'worker') {
        await use(undefined);
        return;
      }
      const tenant = await createTenant(simServer, tenantOptions(simScenario, simTtl, simControlToken));
      await use(tenant);
      await tenant.end();
    },
    { scope: 'worker' },
  ],
  tenant: async ({ simWorkerTenant, simServer, simScenario, simTtl, simControlToken }, use, testInfo) => {
    let tenant = simWorkerTenant;
    if (tenant) await tenant.reset();
    else tenant = await createTenant(simServer, tenantOptions(simScenario, simTtl, simControlToken));
    testInfo.annotations.push({ type: ANNOTATION, description: `${tenant.id} ${tenant.url}` });
    await use(tenant);
    if (testInfo.status !== testInfo.expectedStatus) {
      // What the app under test sent the vendors, and what they answered: the first thing to read.
      const journal = await tenant.requests().catch((error: unknown) => ({ error: String(error) }));
      await testInfo.attach('okta-apigee-sim requests', {
        body: JSON.stringify(journal, null, 2),
        contentType: 'application/json',
      });
    }
    if (!simWorkerTenant) await tenant.end();
  },
});

function tenantOptions(
  scenario: Scenario | ScenarioInput | string | undefined,
  ttl: Duration | undefined,
  controlToken: string | undefined,
) {
  return {
    ...(scenario !== undefined && { scenario }),
    ...(ttl !== undefined && { ttl }),
    ...(controlToken !== undefined && { controlToken }),
  };
}
