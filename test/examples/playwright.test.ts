/**
 * The Playwright example (examples/playwright) as issue 17 asks it to run: four workers in parallel
 * against one `okta-apigee-sim serve --tenants 4`, each in a tenant of its own, each locking out the same
 * login and revoking the same app; then the fixture's own behaviours (a tenant per test, the journal
 * attached to a failing test's report) with a suite that fails on purpose (fixture-run/).
 *
 * Playwright Test runs in its own process, as users run it; Chromium comes from test/support/chromium.ts.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findChromium } from '../support/chromium.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PLAYWRIGHT = join(ROOT, 'node_modules/@playwright/test/cli.js');

let serve: ChildProcess | undefined;
let server = '';
let work = '';
/** Found once here, so that Playwright's processes need not look (the example's config reads it). */
let chromiumPath = '';

/** The environment of the Playwright process: no trace of the outer vitest. */
function playwrightEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|PLAYWRIGHT_|CI$)/.test(name)) env[name] = value;
  }
  return { ...env, NO_COLOR: '1', OKTA_APIGEE_SIM_URL: server, CHROMIUM_PATH: chromiumPath, ...extra };
}

interface Report {
  suites: Suite[];
  stats: { expected: number; unexpected: number };
}
interface Suite {
  suites?: Suite[];
  specs: {
    title: string;
    tests: { annotations: { type: string; description: string }[]; results: Result[] }[];
  }[];
}
interface Result {
  status: string;
  parallelIndex: number;
  attachments: { name: string; contentType: string; body?: string }[];
}

/** Runs Playwright Test with a config; resolves to its JSON report, whether the tests passed or not. */
async function playwright(config: string, name: string, extra: Record<string, string> = {}): Promise<Report> {
  const report = join(work, `${name}.json`);
  await run(process.execPath, [PLAYWRIGHT, 'test', '-c', config], {
    cwd: ROOT,
    env: playwrightEnv({
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      PLAYWRIGHT_OUTPUT_DIR: join(work, `${name}-results`),
      ...extra,
    }),
    timeout: 110_000,
    maxBuffer: 16 << 20,
  }).catch((error: { code?: number }) => {
    // Playwright exits 1 when a test fails; the report says which.
    if (error.code !== 1) throw error;
  });
  return JSON.parse(await readFile(report, 'utf8')) as Report;
}

const tests = (suite: Suite): Suite['specs'][number]['tests'] => [
  ...suite.specs.flatMap((spec) => spec.tests),
  ...(suite.suites ?? []).flatMap(tests),
];

const tenantOf = (test: Suite['specs'][number]['tests'][number]) =>
  test.annotations
    .find((annotation) => annotation.type === 'okta-apigee-sim tenant')
    ?.description.split(' ')[0];

beforeAll(async () => {
  const found = await findChromium();
  if ('reason' in found) throw new Error(found.reason);
  chromiumPath = found.executablePath;
  work = await mkdtemp(join(tmpdir(), 'okta-apigee-sim-playwright-'));
  serve = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--tenants', '4'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  server = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    serve?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (found && out.includes('ready in the pool')) resolveUrl(found[1]!);
    });
    serve?.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}, 30_000);

afterAll(async () => {
  serve?.kill();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Listed {
  id: string;
  pooled: boolean;
}
const listTenants = async () => (await (await fetch(`${server}/__sim/tenants`)).json()) as Listed[];

describe('the Playwright example against one serve', () => {
  it('runs four workers at once, each locking out the same login and revoking the same app in its own tenant', async () => {
    const pooled = (await listTenants()).filter((tenant) => tenant.pooled).map((tenant) => tenant.id);
    expect(pooled).toHaveLength(4);
    const barrier = join(work, 'barrier');
    await run('mkdir', [barrier]);
    const report = await playwright('examples/playwright/playwright.config.ts', 'example', {
      EXAMPLE_BARRIER_DIR: barrier,
    });

    const ran = report.suites.flatMap(tests);
    expect(ran.map((test) => test.results[0]?.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
    // Four workers at once (the barrier made them wait for each other), four tenants: the pool's.
    expect(new Set(ran.map((test) => test.results[0]?.parallelIndex)).size).toBe(4);
    const used = ran.map(tenantOf);
    expect(new Set(used).size).toBe(4);
    expect([...used].sort()).toEqual([...pooled].sort());

    // The fixture ended them with their workers; the pool fills again (in the background, after the
    // answers that emptied it); the server's own org is untouched.
    const after = await listTenants();
    expect(after.filter((tenant) => used.includes(tenant.id))).toEqual([]);
    await vi.waitFor(
      async () => expect((await listTenants()).filter((tenant) => tenant.pooled)).toHaveLength(4),
      // Generous: with the whole suite's workers on two CPUs, one tenant's server took over 10 s to start.
      { timeout: 30_000, interval: 50 },
    );
    const state = await (await fetch(`${server}/__sim/state`)).json();
    expect(
      state.okta.users.find((user: { login: string }) => user.login === 'password@example.com').status,
    ).toBe('ACTIVE');
    expect(state.apigee.apps.find((app: { name: string }) => app.name === 'web').status).toBe('approved');
  }, 120_000);

  it("gives each test its own tenant under simIsolation 'test', and attaches the journal of a failing one", async () => {
    const report = await playwright('test/examples/fixture-run/playwright.config.ts', 'fixture');
    const ran = report.suites.flatMap(tests);
    expect(ran.map((test) => test.results[0]?.status)).toEqual(['passed', 'failed']);
    expect(new Set(ran.map(tenantOf)).size).toBe(2);
    const [passed, failed] = ran.map((test) => test.results[0]);
    expect(passed?.attachments.filter((a) => a.name === 'okta-apigee-sim requests')).toEqual([]);
    const attached = failed?.attachments.find((a) => a.name === 'okta-apigee-sim requests');
    expect(attached?.contentType).toBe('application/json');
    const journal = JSON.parse(Buffer.from(attached?.body ?? '', 'base64').toString('utf8'));
    expect(journal).toEqual([
      expect.objectContaining({ operation: 'primaryAuthentication', status: 401, errorCode: 'E0000004' }),
    ]);
    // Tests of their own: both ended after them.
    const left = (await listTenants()).map((tenant) => tenant.id);
    for (const id of ran.map(tenantOf)) expect(left).not.toContain(id);
  }, 120_000);
});
