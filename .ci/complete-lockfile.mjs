#!/usr/bin/env node
// Adds to package-lock.json the platform-specific optional packages that `npm install` left out because the
// registry mirror it used does not serve them (e.g. @biomejs/cli-darwin-x64). `npm ci` refuses a lock file
// that lacks an optional dependency, even one for another platform; npm skips such entries by os/cpu/libc
// without fetching them. Run after `npm install`: node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /-(win32|darwin|linux|android|freebsd|openbsd|netbsd|sunos|aix|openharmony)-(x64|arm64|ia32|arm|ppc64|s390x|riscv64|loong64|mips64el)(?:-(musl|gnu|gnueabihf|msvc))?$/;

export function missingOptionalEntries(lock) {
  const added = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const key = `node_modules/${name}`;
      if (lock.packages[key] || added[key]) continue;
      const match = PLATFORM.exec(name);
      if (!match) continue;
      const [, os, cpu, libc] = match;
      added[key] = {
        version,
        cpu: [cpu],
        ...(entry.dev && { dev: true }),
        ...(os === 'linux' && { libc: [libc === 'musl' ? 'musl' : 'glibc'] }),
        optional: true,
        os: [os],
        _from: path,
      };
    }
  }
  return added;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const added = missingOptionalEntries(lock);
  for (const [key, { _from, ...entry }] of Object.entries(added)) lock.packages[key] = entry;
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`complete-lockfile: added ${Object.keys(added).length} entries`, Object.keys(added).join(', '));
}
