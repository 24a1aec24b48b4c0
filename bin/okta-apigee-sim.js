#!/usr/bin/env node
// The published entry point: runs the built CLI. In a clone, use `npm start` or `npm run sim -- <command>`.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
