/**
 * The package as a user gets it. `npm pack` makes the tarball from a fresh build (what `npm publish`
 * would upload); publint and arethetypeswrong check it; it is unpacked into a new consumer project, as
 * `npm install` lays it out, next to only what it declares (its dependencies and msw) and the consumer's
 * own tools (vitest, vite, typescript). There every runnable block of README.md and docs/*.md runs as
 * pasted (test/support/markdown.ts says how each kind runs): the README's quick starts with the others.
 *
 * No network: the consumer's packages are links to this repository's node_modules.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.ts';
import { type CodeBlock, kindOf, runnableBlocks } from '../support/markdown.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = (name: string) => join(ROOT, 'node_modules', name);

/** The consumer's own tools, besides what the package declares: the docs' snippets import them. */
const CONSUMER_TOOLS = ['vitest', 'vite', 'typescript', '@types/node', '@okta/okta-auth-js'];

let work: string;
let tarball: string;
let consumer: string;
let installed: string;
const blocks = runnableBlocks(ROOT);
const ofKind = (kind: string) => blocks.filter((block) => kindOf(block) === kind);

/** The environment of commands run in the consumer: no trace of the outer vitest, Node 22 first. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$)/.test(name)) env[name] = value;
  }
  env.NO_COLOR = '1';
  env.PATH = [join(consumer, 'node_modules', '.bin'), dirname(process.execPath), env.PATH].join(delimiter);
  return env;
}

async function inConsumer(file: string, args: string[], timeout = 60_000) {
  try {
    return await run(file, args, { cwd: consumer, env: consumerEnv(), timeout, maxBuffer: 16 << 20 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}

/** A file name for a block: `README.md:42` becomes `README-md-42`. */
const nameOf = (block: CodeBlock) => block.where.replace(/[^\w]+/g, '-');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'okta-apigee-sim-package-'));
  // A fresh build: files of deleted sources must not linger in the tarball.
  await rm(join(ROOT, 'dist'), { recursive: true, force: true });
  await run(process.execPath, [BIN('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
  await run(process.execPath, ['scripts/bundle-cli.mjs'], { cwd: ROOT });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: ROOT,
  });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  tarball = join(work, packed!.filename);

  consumer = join(work, 'consumer');
  installed = join(consumer, 'node_modules', 'okta-apigee-sim');
  await mkdir(join(consumer, 'node_modules', '.bin'), { recursive: true });
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
  );
  await run('tar', ['-xzf', tarball, '-C', work]);
  await rename(join(work, 'package'), installed);
  const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  // A set: a consumer tool may be an optional peer dependency too (vitest).
  const links = new Set([
    ...Object.keys(manifest.dependencies),
    ...Object.keys(manifest.peerDependencies),
    ...CONSUMER_TOOLS,
  ]);
  for (const name of links) {
    await mkdir(dirname(join(consumer, 'node_modules', name)), { recursive: true });
    await symlink(BIN(name), join(consumer, 'node_modules', name), 'junction');
  }
  const bin = join(consumer, 'node_modules', '.bin', 'okta-apigee-sim');
  await symlink('../okta-apigee-sim/bin/okta-apigee-sim.js', bin);
  await chmod(join(installed, 'bin', 'okta-apigee-sim.js'), 0o755);
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Each check spawns processes: generous, for a busy two-core machine. */
const SLOW = { timeout: 120_000 };

describe('the packed package', SLOW, () => {
  it('passes publint', async () => {
    const { stdout } = await run(process.execPath, [BIN('publint/src/cli.js'), 'run', tarball, '--strict']);
    expect(stdout).toContain('All good!');
  });

  it('passes arethetypeswrong for ESM consumers (node16 and bundlers)', async () => {
    // An ESM-only package: CommonJS `require` and node10 resolution are out of scope by design.
    await run(process.execPath, [
      BIN('@arethetypeswrong/cli/dist/index.js'),
      tarball,
      '--profile',
      'esm-only',
      '--format',
      'table',
    ]);
  });

  it('ships the built code, the scenarios, the schema, the licence and no source maps', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    for (const file of [
      'package/LICENSE',
      'package/README.md',
      'package/CHANGELOG.md',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/playwright/index.js',
      'package/dist/vitest/index.d.ts',
      'package/dist/cli/main.js',
      'package/dist/cli/okta-apigee-sim.mjs',
      'package/scenarios/default.yaml',
      'package/scenarios/schema.json',
      'package/inspector/index.html',
      'package/inspector/inspector.js',
      'package/inspector/inspector.css',
      'package/inspector/favicon.svg',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(
      files.filter((file) => file.startsWith('package/src/') || file.startsWith('package/test/')),
    ).toEqual([]);
  });

  it('exports its entries, the demo scenario and the JSON Schema, and runs its bin', async () => {
    const probe = join(consumer, 'probe.mjs');
    await writeFile(
      probe,
      `import * as root from 'okta-apigee-sim';
import * as node from 'okta-apigee-sim/node';
import schema from 'okta-apigee-sim/schema.json' with { type: 'json' };
const demo = await node.loadScenarioFile(import.meta.resolve('okta-apigee-sim/scenarios/default.yaml'));
console.log(JSON.stringify({
  root: ['createSimulator', 'parseScenario', 'defineScenario', 'validateScenario'].filter((n) => typeof root[n] !== 'function'),
  node: ['loadScenarioFile', 'setupSimulatorServer', 'startHttpServer', 'createSimulator', 'createTenant'].filter((n) => typeof node[n] !== 'function'),
  schema: schema.title,
  demo: demo.name,
  browser: import.meta.resolve('okta-apigee-sim/browser').endsWith('/dist/browser/index.js'),
  playwright: import.meta.resolve('okta-apigee-sim/playwright').endsWith('/dist/playwright/index.js'),
  vitest: import.meta.resolve('okta-apigee-sim/vitest').endsWith('/dist/vitest/index.js'),
}));
`,
    );
    const { stdout } = await inConsumer(process.execPath, [probe]);
    expect(JSON.parse(stdout)).toEqual({
      root: [],
      node: [],
      schema: 'okta-apigee-sim scenario',
      demo: 'Default demo org',
      browser: true,
      playwright: true,
      vitest: true,
    });
    const validated = await inConsumer(process.execPath, [
      join(consumer, 'node_modules', '.bin', 'okta-apigee-sim'),
      'validate',
      'node_modules/okta-apigee-sim/scenarios/default.yaml',
    ]);
    expect(validated.stdout).toContain('1 valid, 0 invalid');
  });
});

describe('the runnable blocks of README.md and docs/, in a consumer project', SLOW, () => {
  it('type-check against the published types', async () => {
    const typed = blocks.filter((block) => block.language === 'ts');
    await mkdir(join(consumer, 'typed'), { recursive: true });
    for (const block of typed) {
      await writeFile(join(consumer, 'typed', `${nameOf(block)}.ts`), block.code);
    }
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          types: ['node', 'vite/client'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        include: ['typed/*.ts'],
      }),
    );
    await inConsumer(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.']);
  });

  it('runs the module blocks with node', async () => {
    // One node process imports them in turn: the package loads once, and a failure names its block.
    const modules = ofKind('ts');
    expect(modules.length).toBeGreaterThan(0);
    for (const block of modules) await writeFile(join(consumer, `${nameOf(block)}.ts`), block.code);
    const runner = join(consumer, 'run-blocks.mjs');
    await writeFile(
      runner,
      `const failures = [];
for (const [where, file] of ${JSON.stringify(modules.map((block) => [block.where, `./${nameOf(block)}.ts`]))}) {
  try { await import(file); } catch (error) { failures.push(where + ': ' + (error?.stack ?? error)); }
}
console.log(JSON.stringify(failures));
`,
    );
    const { stdout } = await inConsumer(process.execPath, [runner]);
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]')).toEqual([]);
  });

  it('runs the vitest blocks with vitest', async () => {
    const tests = ofKind('ts vitest');
    expect(tests.length).toBeGreaterThan(0);
    for (const block of tests) await writeFile(join(consumer, `${nameOf(block)}.test.ts`), block.code);
    const { stdout } = await inConsumer(process.execPath, [
      join(consumer, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--root',
      consumer,
      '--dir',
      consumer,
    ]);
    expect(stdout).toMatch(new RegExp(`Test Files +${tests.length} passed`));
  });

  describe('the shell blocks, against okta-apigee-sim serve', () => {
    let server: ChildProcess | undefined;
    let base = '';

    beforeAll(async () => {
      server = spawn(
        process.execPath,
        [join(consumer, 'node_modules/.bin/okta-apigee-sim'), 'serve', '--port', '0'],
        { cwd: consumer, env: consumerEnv(), stdio: ['ignore', 'pipe', 'inherit'] },
      );
      base = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        server?.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (found) resolveUrl(found[1]!);
        });
        server?.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
      });
    });

    afterAll(() => {
      server?.kill();
    });

    it.each(ofKind('sh').map((block) => [block.where, block] as const))('runs %s', async (_, block) => {
      await fetch(`${base}/__sim/reset`, { method: 'POST' });
      const script = block.code.replace(/http:\/\/(127\.0\.0\.1|localhost):4455/g, base);
      // Each curl writes its status to stderr; the block's lines say which statuses they expect.
      const wrapped = `set -euo pipefail\ncurl() { command curl --no-progress-meter -w '%{stderr}HTTP %{http_code}\\n' "$@"; }\n${script}`;
      const { stderr } = await inConsumer('bash', ['-c', wrapped]);
      const statuses = [...stderr.matchAll(/^HTTP (\d+)$/gm)].map((match) => Number(match[1]));
      expect(statuses).toEqual(expectedStatuses(script, statuses));
    });
  });

  it('runs the browser blocks in Chromium through Vite', async () => {
    const pages = ofKind('ts browser');
    expect(pages.length).toBeGreaterThan(0);
    const found = await findChromium();
    if ('reason' in found) throw new Error(found.reason);
    const { createServer } = await import('vite');
    const browser = await chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS });
    try {
      for (const block of pages) {
        const config = blocks.find(
          (other) => other.file === block.file && kindOf(other) === 'ts vite-config',
        );
        if (!config) throw new Error(`${block.where}: no \`ts runnable vite-config\` block on its page`);
        const app = join(consumer, nameOf(block));
        await mkdir(join(app, 'src'), { recursive: true });
        await writeFile(join(app, 'vite.config.ts'), config.code);
        await writeFile(join(app, 'src', 'main.ts'), block.code);
        await writeFile(
          join(app, 'index.html'),
          '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>',
        );
        const vite = await createServer({
          root: app,
          configFile: join(app, 'vite.config.ts'),
          server: { host: '127.0.0.1', port: 0, watch: null },
          logLevel: 'warn',
          clearScreen: false,
        });
        try {
          await vite.listen();
          const address = vite.httpServer?.address();
          if (!address || typeof address === 'string') throw new Error('Vite is not listening');
          const page = await browser.newPage();
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          // Only the service worker may answer the vendors: the real hosts are out of reach.
          await page.route(/^https:\/\/(dev-000000\.okta\.com|acme-test\.apigee\.net)\//, (route) =>
            route.abort(),
          );
          await page.goto(`http://127.0.0.1:${address.port}/`);
          await page
            .locator('body', { hasText: 'SUCCESS' })
            .waitFor({ timeout: 15_000 })
            .catch(async (error: Error) => {
              throw new Error(
                `${block.where}: the page shows "${await page.textContent('body')}"; errors: ${errors.join('; ')}`,
                { cause: error },
              );
            });
        } finally {
          await vite.close();
        }
      }
    } finally {
      await browser.close();
    }
  });
});

/** The statuses a block's curls should answer: `# => 401` at the end of a line, else the one seen if below 400. */
function expectedStatuses(script: string, seen: number[]): number[] {
  const expected: number[] = [];
  const logical = script.replace(/\\\n/g, ' ').split('\n');
  for (const line of logical) {
    const calls = line.match(/(^|[\s($|])curl\s/g)?.length ?? 0;
    const stated = /#\s*=>\s*(\d{3})\s*$/.exec(line);
    for (let i = 0; i < calls; i++) {
      const index = expected.length;
      const actual = seen[index] ?? 0;
      expected.push(stated ? Number(stated[1]) : actual > 0 && actual < 400 ? actual : 200);
    }
  }
  return expected;
}
