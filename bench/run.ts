/**
 * `npm run bench`: every figure of the benchmark suite, each beside a baseline measured in the same run.
 * `npm run bench -- --quick` is a short smoke run (smaller counts, shorter loads). Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { admin } from './admin.ts';
import { browserBundle } from './bundle.ts';
import { httpServer } from './http.ts';
import { inProcess } from './in-process.ts';
import { oidc } from './oidc.ts';
import { scale } from './scale.ts';
import { soak } from './soak.ts';
import { startup } from './startup.ts';
import { printTable, rows } from './support.ts';
import { tenants } from './tenants.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7);

// The start-up figure runs the built CLI and its bundle, as an installed package does.
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { stdio: 'inherit' });

const sections: [string, (quick: boolean) => Promise<void>][] = [
  ['in-process', inProcess],
  ['http', httpServer],
  ['oidc', oidc],
  ['admin', admin],
  ['scale', scale],
  ['start-up', startup],
  ['soak', soak],
  ['tenants', tenants],
  ['bundle', async () => browserBundle()],
];
console.log(`okta-apigee-sim benchmarks (node ${process.version}, ${quick ? 'quick' : 'full'} run)\n`);
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  process.stdout.write(`running ${name} ...`);
  const started = performance.now();
  await run(quick);
  process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
console.log('');
printTable();
const judged = rows.filter((row) => row.met !== null);
const missed = judged.filter((row) => row.met === false);
console.log(`\n${judged.length - missed.length} of ${judged.length} targets met, ${missed.length} missed.`);
for (const row of missed)
  console.log(`  missed: ${row.section}, ${row.figure}: ${row.ratio || row.ours} (target ${row.target})`);
