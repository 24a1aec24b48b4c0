#!/usr/bin/env node
// The published entry point: runs the built CLI. In a clone, use `npm start` or `npm run sim -- <command>`.
import module from 'node:module';

// Node caches the compiled modules on disk, so every start after the first loads faster (Node >= 22.1).
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
