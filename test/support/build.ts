/**
 * `npm run build` once for the test files that need the built package (the CLI tests spawn the built bin):
 * the first file to ask builds while the others wait on a lock, and a build newer than every source file is
 * used as it is.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const STAMP = 'dist/.built';
const LOCK = 'node_modules/.cache/okta-apigee-sim-build.lock';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function upToDate(): boolean {
  try {
    const built = statSync(STAMP).mtimeMs;
    return (
      built >= newest('src') &&
      built >= statSync('tsconfig.build.json').mtimeMs &&
      built >= statSync('scripts/bundle-cli.mjs').mtimeMs
    );
  } catch {
    return false;
  }
}

export async function ensureBuilt(): Promise<void> {
  mkdirSync('node_modules/.cache', { recursive: true });
  for (;;) {
    if (upToDate()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Another test file is building; a lock older than two minutes is left over from a killed run.
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
        stdio: 'pipe',
      });
      execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { stdio: 'pipe' });
      writeFileSync(STAMP, '');
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
