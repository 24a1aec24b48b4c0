/**
 * The Playwright example: four workers in parallel against one `okta-apigee-sim serve`, each in a tenant
 * of its own (docs/tenants.md#playwright). From the repository root:
 *
 *   npx playwright test -c examples/playwright
 *
 * starts `serve --tenants 4` on port 4455 (or uses the server at $OKTA_APIGEE_SIM_URL).
 */
import { defineConfig } from '@playwright/test';
import type { SimulatorTestOptions } from 'okta-apigee-sim/playwright';
// This repository's Chromium: CHROMIUM_PATH, else the one @sparticuz/chromium ships, else an installed one.
// In your project, `npx playwright install chromium` and no launchOptions.
import { CHROMIUM_ARGS, findChromium } from '../../test/support/chromium.ts';

const chromium = await findChromium();
const server = process.env.OKTA_APIGEE_SIM_URL;

export default defineConfig<SimulatorTestOptions>({
  testDir: '.',
  workers: 4,
  fullyParallel: true,
  retries: 0,
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results',
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? 'json' : 'list',
  use: {
    simServer: server ?? 'http://127.0.0.1:4455',
    launchOptions:
      'executablePath' in chromium ? { executablePath: chromium.executablePath, args: CHROMIUM_ARGS } : {},
  },
  ...(!server && {
    webServer: {
      command: 'npx tsx src/cli/main.ts serve --port 4455 --tenants 4',
      cwd: '../..',
      url: 'http://127.0.0.1:4455/__sim/health',
      reuseExistingServer: true,
    },
  }),
});
