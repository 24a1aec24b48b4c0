// Adds to package-lock.json the platform-specific optional packages that `npm install` left out because the
// registry mirror it used does not serve them (e.g. @biomejs/cli-darwin-x64). `npm ci` refuses a lock file
// that lacks an optional dependency, even one for another platform; npm skips such entries by os/cpu/libc
// without fetching them. Run after `npm install`: npx tsx .ci/complete-lockfile.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

interface Lock {
  packages: Record<string, LockEntry>;
}

const PLATFORM =
  /-(win32|darwin|linux|android|freebsd|openbsd|netbsd|sunos|aix|openharmony)-(x64|arm64|ia32|arm|ppc64|s390x|riscv64|loong64|mips64el)(?:-(musl|gnu|gnueabihf|msvc))?$/;

/** The lock entries npm would have written for platform packages it could not fetch. */
export function missingOptionalEntries(lock: Lock): Record<string, LockEntry> {
  const added: Record<string, LockEntry> = {};
  for (const entry of Object.values(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const key = `node_modules/${name}`;
      const match = PLATFORM.exec(name);
      if (lock.packages[key] || added[key] || !match) continue;
      const [, os = '', cpu = '', libc] = match;
      added[key] = {
        version,
        cpu: [cpu],
        ...(entry.dev && { dev: true }),
        ...(os === 'linux' && { libc: [libc === 'musl' ? 'musl' : 'glibc'] }),
        optional: true,
        os: [os],
      };
    }
  }
  return added;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
  const added = missingOptionalEntries(lock);
  const packages = { ...lock.packages, ...added };
  const root = packages[''];
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  if (root) lock.packages[''] = root;
  writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
  console.log(
    `complete-lockfile: added ${Object.keys(added).length} entries ${Object.keys(added).join(', ')}`,
  );
}
