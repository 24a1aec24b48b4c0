import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { bytes, record } from './support.ts';

/** What an app's development build imports: the README's browser quick start. */
const SIMULATOR = `import { createSimulator, parseScenario, setupSimulatorWorker } from './dist/browser/index.js';
globalThis.start = (text) => setupSimulatorWorker(createSimulator(parseScenario(text, 'yaml'))).start();`;
/** The same with a scenario in code: no YAML parser. */
const IN_CODE = `import { createSimulator, setupSimulatorWorker } from './dist/browser/index.js';
globalThis.start = (scenario) => setupSimulatorWorker(createSimulator(scenario)).start();`;
/** msw's own floor: a worker with one handler. */
const MSW_ONLY = `import { setupWorker } from 'msw/browser';
import { http, HttpResponse } from 'msw';
globalThis.start = () => setupWorker(http.get('/x', () => HttpResponse.json({}))).start();`;

interface Bundle {
  minified: number;
  gzip: number;
  /** Minified bytes per package (`zod`, `@faker-js/faker` ...) or, for our own code, per dist/ file. */
  inputs: Map<string, number>;
}

async function bundle(source: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const inputs = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    inputs.set(path, (inputs.get(path) ?? 0) + bytesInOutput);
  }
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

/** Minified bytes of the inputs whose path matches. */
function share(of: Bundle, pattern: RegExp): number {
  let total = 0;
  for (const [path, size] of of.inputs) if (pattern.test(path)) total += size;
  return total;
}

const kb = (value: number) => `${(value / 1024).toFixed(0)} KB`;

/**
 * The size the browser entry adds to an app's development build (esbuild, minified, gzip -9), beside msw's
 * own; then what its biggest parts cost: faker's English locale, zod, the YAML parser, and the vendor
 * surfaces a browser cannot use (the Apigee management API, served without CORS).
 */
export async function browserBundle(): Promise<void> {
  const [simulator, inCode, msw] = await Promise.all([bundle(SIMULATOR), bundle(IN_CODE), bundle(MSW_ONLY)]);
  record({
    section: 'bundle',
    figure: 'okta-apigee-sim/browser (YAML scenario), minified',
    ours: kb(simulator.minified),
    baseline: `${kb(msw.minified)} (msw alone)`,
    ratio: simulator.minified / msw.minified,
    target: '',
    met: null,
  });
  record({
    section: 'bundle',
    figure: 'okta-apigee-sim/browser (YAML scenario), gzip',
    ours: kb(simulator.gzip),
    baseline: `${kb(msw.gzip)} (msw alone)`,
    ratio: simulator.gzip / msw.gzip,
    target: '',
    met: null,
  });
  record({
    section: 'bundle',
    figure: 'okta-apigee-sim/browser (scenario in code), minified / gzip',
    ours: `${kb(inCode.minified)} / ${kb(inCode.gzip)}`,
    baseline: '',
    ratio: null,
    target: '',
    met: null,
  });
  const parts: [string, RegExp][] = [
    ['@faker-js/faker (English locale and base)', /node_modules\/@faker-js\//],
    ['zod', /node_modules\/zod\//],
    ['yaml', /node_modules\/yaml\//],
    ['jose', /node_modules\/jose\//],
    ['msw and its dependencies', /node_modules\/(msw|@mswjs|@msw|tough-cookie|tldts|tldts-core|rettime)\//],
    ['our code (dist/)', /^dist\//],
    [
      'of which the Apigee management API',
      /^dist\/apigee\/(operations\/management|http\/management-surface|domain\/management)\.js$/,
    ],
  ];
  for (const [name, pattern] of parts) {
    const size = share(simulator, pattern);
    record({
      section: 'bundle',
      figure: `  ${name}, minified`,
      ours: kb(size),
      baseline: bytes(size),
      ratio: null,
      target: '',
      met: null,
    });
  }
}
