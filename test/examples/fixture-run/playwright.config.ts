/** A run of the fixture in a test of its own (test/examples/playwright.test.ts): no browser, one worker. */
import { defineConfig } from '@playwright/test';
import type { SimulatorTestOptions } from '../../../src/playwright/index.ts';

export default defineConfig<SimulatorTestOptions>({
  testDir: '.',
  workers: 1,
  retries: 0,
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results',
  reporter: 'json',
  use: { simIsolation: 'test', simScenario: 'okta/lockout-hidden-by-default' },
});
