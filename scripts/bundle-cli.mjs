/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, dependencies included) into
 * dist/cli/okta-apigee-sim.mjs, which bin/okta-apigee-sim.js runs: one file to read and compile instead of
 * some 400 modules to resolve, so that `serve` answers sooner (docs/performance.md, bench/startup.ts).
 * What only some commands load (the --https certificate, the check reporters) stays in chunks loaded on
 * demand. `npm run build` runs it after tsc; dist/cli/main.js stays for its typings and for importers.
 *
 *   node scripts/bundle-cli.mjs
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';
import { parseDocument } from 'yaml';

const OUT = 'dist/cli';

/**
 * Node's builtins through `require` rather than `import`: the ESM loader's builtin translator costs more
 * than the CommonJS one, and the bundle imports some 20 of them. Except `node:util`, whose every export
 * esbuild's CommonJS interop would read (its lazy getters load TextDecoder and more, ~10 ms), and builtins
 * loaded with `import()` (node:https for --https), which keep their named exports that way.
 */
const builtinsAsRequire = {
  name: 'builtins-as-require',
  setup(bundle) {
    bundle.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === 'builtin' || args.path === 'node:util' || args.kind === 'dynamic-import'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin' },
    );
    bundle.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * zod's locales but English: `zod` re-exports all of them (some 350 KB) for `z.config(z.locales.xx())`,
 * which the simulator never calls; its messages are English (`z.config(en())` in zod itself).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

// The previous bundle's files (tsc writes only .js and .d.ts there).
for (const file of readdirSync(OUT, { withFileTypes: true })) {
  if (file.name.endsWith('.mjs')) rmSync(join(OUT, file.name));
}
await build({
  entryPoints: { 'okta-apigee-sim': 'src/cli/main.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  outdir: OUT,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  // Beside the entry: code that finds the package's files from `import.meta.url` (the demo scenario, the
  // version) works from any of them.
  chunkNames: 'okta-apigee-sim-[name]-[hash]',
  minifyWhitespace: true,
  minifySyntax: true,
  // CommonJS dependencies (and the builtins above) call `require`, which an ES module does not have.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [builtinsAsRequire, zodEnglishOnly],
  // Loaded by node from the installed dependency, and only for --https: bundled, esbuild's chunk of this
  // CommonJS package would export only a default.
  external: ['selfsigned'],
  logLevel: 'warning',
});

// The demo scenario's parsed value, for `serve` without a file to skip the YAML parser
// (src/cli/demo-scenario.ts): parsed as parseScenario parses, and kept only if JSON holds it exactly.
const demo = readFileSync('scenarios/default.yaml', 'utf8');
const doc = parseDocument(demo, { uniqueKeys: true });
const value = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;
rmSync(join(OUT, 'default-scenario.json'), { force: true });
if (value !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) {
  const sha256 = createHash('sha256').update(demo).digest('hex');
  writeFileSync(join(OUT, 'default-scenario.json'), JSON.stringify({ sha256, scenario: value }));
}
