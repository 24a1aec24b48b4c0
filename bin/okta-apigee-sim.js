#!/usr/bin/env node
// The published entry point: runs the CLI's bundle (scripts/bundle-cli.mjs), which starts sooner than the
// ~400 modules of dist/cli/main.js. In a clone, use `npm start` or `npm run sim -- <command>`.
import module from 'node:module';

// Node caches the compiled modules on disk, so every start after the first loads faster (Node >= 22.1).
module.enableCompileCache?.();
const { main } = await import('../dist/cli/okta-apigee-sim.mjs');
process.exitCode = await main(process.argv.slice(2));
