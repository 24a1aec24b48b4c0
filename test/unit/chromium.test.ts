import { describe, expect, it } from 'vitest';
import { type ChromiumLookup, findChromium } from '../support/chromium.ts';

/** A machine with the given files, where @sparticuz/chromium unpacks to /tmp/chromium (or fails). */
function machine(overrides: Partial<ChromiumLookup> & { files?: string[] } = {}): ChromiumLookup {
  const files = new Set(overrides.files ?? []);
  return {
    env: {},
    platform: 'linux',
    arch: 'x64',
    exists: (path) => files.has(path),
    bundled: async () => '/tmp/chromium',
    ...overrides,
  };
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, over the bundled and installed browsers', async () => {
    const found = await findChromium(
      machine({
        env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
        files: ['/opt/chrome/chrome', '/usr/bin/chromium'],
      }),
    );
    expect(found).toEqual({ executablePath: '/opt/chrome/chrome', source: 'CHROMIUM_PATH' });
  });

  it('reports a CHROMIUM_PATH that does not exist instead of using another browser', async () => {
    const found = await findChromium(
      machine({ env: { CHROMIUM_PATH: '/opt/none/chrome' }, files: ['/usr/bin/chromium'] }),
    );
    expect(found).toEqual({
      reason: expect.stringContaining('CHROMIUM_PATH is /opt/none/chrome, which does not exist'),
    });
  });

  it('uses the Chromium that @sparticuz/chromium ships on Linux x64, before an installed one', async () => {
    const found = await findChromium(machine({ files: ['/usr/bin/chromium'] }));
    expect(found).toEqual({ executablePath: '/tmp/chromium', source: '@sparticuz/chromium' });
  });

  it('falls back to an installed Chromium when the bundled one does not unpack', async () => {
    const bundled = async () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const found = await findChromium(machine({ bundled, files: ['/usr/bin/chromium-browser'] }));
    expect(found).toEqual({ executablePath: '/usr/bin/chromium-browser', source: 'installed browser' });
  });

  it('leaves the x64-only bundled build alone on Linux arm64', async () => {
    const bundled = async () => {
      throw new Error('must not be called');
    };
    const found = await findChromium(machine({ arch: 'arm64', bundled, files: ['/usr/bin/google-chrome'] }));
    expect(found).toEqual({ executablePath: '/usr/bin/google-chrome', source: 'installed browser' });
  });

  it("finds Chrome in macOS's Applications folder", async () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    const found = await findChromium(machine({ platform: 'darwin', arch: 'arm64', files: [chrome] }));
    expect(found).toEqual({ executablePath: chrome, source: 'installed browser' });
  });

  it("finds Chrome under Windows' Program Files, and a per-user install under LOCALAPPDATA", async () => {
    const env = { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' };
    const machineWide = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    const perUser = 'C:\\Users\\dev\\AppData\\Local\\Chromium\\Application\\chrome.exe';
    expect(await findChromium(machine({ platform: 'win32', env, files: [machineWide, perUser] }))).toEqual({
      executablePath: machineWide,
      source: 'installed browser',
    });
    expect(await findChromium(machine({ platform: 'win32', env, files: [perUser] }))).toEqual({
      executablePath: perUser,
      source: 'installed browser',
    });
  });

  it('says how to get a browser when none is found', async () => {
    const bundled = async () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const found = await findChromium(machine({ bundled }));
    expect(found).toEqual({ reason: expect.stringContaining('Set CHROMIUM_PATH') });
    const { reason } = found as { reason: string };
    expect(reason).toContain('install Chrome or Chromium');
    expect(reason).toContain('ENOSPC: no space left on device');
    expect(reason).toContain('/usr/bin/chromium');
  });
});
