/**
 * Makes docs/images/inspector.png (`npm run docs:screenshot`): the inspector in headless Chromium over the
 * inspector tests' scenario after a revocation cascade. An Apigee lineage refreshed twice, ten minutes
 * apart, whose latest access token is revoked with cascade (its refresh token dies too); by then the first
 * access token has expired and the session idled out. Virtual time throughout: the picture is the same on
 * every run, but for the generated ids and values.
 */
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startHttpServer } from '../src/node/http-server.ts';
import { SimulatorCore } from '../src/simulator.ts';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.ts';
import {
  apigeeInvalidate,
  apigeeRefresh,
  apigeeToken,
  INSPECTOR_SCENARIO,
  oktaGrantWithRefresh,
  signIn,
} from '../test/support/inspector.ts';

const OUT = fileURLToPath(new URL('../docs/images/inspector.png', import.meta.url));

const sim = new SimulatorCore(INSPECTOR_SCENARIO);
const server = await startHttpServer(sim, { port: 0, tenants: false });
try {
  const { url } = server;
  const advance = (by: string) =>
    fetch(`${url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: by }) });
  await signIn(url);
  await oktaGrantWithRefresh(url);
  const first = await apigeeToken(url);
  await advance('10m');
  const second = await apigeeRefresh(url, first.refresh);
  await advance('10m');
  const third = await apigeeRefresh(url, second.refresh);
  await advance('12m');
  await apigeeInvalidate(url, third.access);

  const found = await findChromium();
  if ('reason' in found) throw new Error(found.reason);
  const browser = await chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(`${url}/__sim/ui`);
    await page.locator('#live.live').waitFor();
    await page
      .locator(`#apigee-lineages g.node[data-token="${third.access}"][data-status="revoked"]`)
      .waitFor();
    await page.getByRole('cell', { name: 'invalidateToken' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: OUT });
    console.log(`Wrote ${OUT}`);
  } finally {
    await browser.close();
  }
} finally {
  await server.close();
}
