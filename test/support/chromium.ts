/**
 * Finds the Chromium that the browser tests (test/browser) drive through playwright-core, which brings no
 * browser of its own. A fresh machine (CI's included) has no system browser and cannot download one, so
 * the tests must find one that arrived with `npm install`, or one the developer already has.
 */
import { existsSync } from 'node:fs';
import { win32 } from 'node:path';

/**
 * Chromium's flags for the tests. --no-sandbox: CI runs as root, where Chromium refuses its sandbox. The
 * background-networking flags stop Chromium's own connections, which this machine's closed network
 * refuses. None of @sparticuz/chromium's serverless flags is needed, and some (--disable-web-security)
 * would change what the tests assert.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A Chromium to launch, and where it came from (shown when it fails to start). */
export interface FoundChromium {
  executablePath: string;
  source: string;
}

/** No Chromium was found: `reason` says what was tried and how to get one. */
export interface MissingChromium {
  reason: string;
}

/** What `findChromium` reads from the machine; tests pass their own. */
export interface ChromiumLookup {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  arch: string;
  exists(path: string): boolean;
  /** Unpacks @sparticuz/chromium's binary and returns its path. */
  bundled(): Promise<string>;
}

const machine: ChromiumLookup = {
  env: process.env,
  platform: process.platform,
  arch: process.arch,
  exists: existsSync,
  bundled: async () => (await import('@sparticuz/chromium')).default.executablePath(),
};

/**
 * Where Chrome or Chromium installs itself on each platform. Windows keeps per-machine installs under
 * Program Files and per-user installs under LOCALAPPDATA.
 */
function installedPaths({ env, platform }: ChromiumLookup): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (root): root is string => Boolean(root),
    );
    // win32.join, not join: the platform may be a test's rather than this machine's.
    return roots.flatMap((root) => [
      win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
}

/** The Chromium to launch, or why there is none; the order below is the order of preference. */
export async function findChromium(
  lookup: ChromiumLookup = machine,
): Promise<FoundChromium | MissingChromium> {
  // 1. An explicit choice wins, so that a developer can test against a particular build. A path that does
  //    not exist is an error rather than a reason to look elsewhere: the tests would run on another browser.
  const chosen = lookup.env.CHROMIUM_PATH;
  if (chosen) {
    return lookup.exists(chosen)
      ? { executablePath: chosen, source: 'CHROMIUM_PATH' }
      : {
          reason:
            `CHROMIUM_PATH is ${chosen}, which does not exist. Point it at a Chrome or Chromium ` +
            'executable, or unset it to use the Chromium that @sparticuz/chromium ships (Linux x64) ' +
            'or an installed one.',
        };
  }

  // 2. On Linux, the build that the @sparticuz/chromium devDependency ships inside its npm package, so a
  //    machine with nothing but Node and npm (CI's) has a browser after `npm install`. Its binary is for
  //    x64 only; elsewhere, or if unpacking fails, an installed browser is the next best. It unpacks to
  //    /tmp/chromium (about 3 s) once and reuses that file later: delete it to unpack afresh.
  let bundledError = '';
  if (lookup.platform === 'linux' && lookup.arch === 'x64') {
    try {
      return { executablePath: await lookup.bundled(), source: '@sparticuz/chromium' };
    } catch (error) {
      bundledError = ` @sparticuz/chromium did not unpack its Chromium: ${(error as Error).message}.`;
    }
  }

  // 3. A Chrome or Chromium the machine already has (Debian's `chromium` package, a Chrome install on a
  //    developer's Mac or Windows machine), for platforms that @sparticuz/chromium does not cover.
  const candidates = installedPaths(lookup);
  const installed = candidates.find((path) => lookup.exists(path));
  if (installed) return { executablePath: installed, source: 'installed browser' };

  return {
    reason:
      `The browser tests found no Chromium.${bundledError} None of these exists: ${candidates.join(', ')}. ` +
      'Set CHROMIUM_PATH to a Chrome or Chromium executable, or install Chrome or Chromium ' +
      '(on Debian: apt-get install chromium).',
  };
}
