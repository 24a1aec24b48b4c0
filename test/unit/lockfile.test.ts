import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingOptionalEntries } from '../../.ci/complete-lockfile.ts';

describe('package-lock.json', () => {
  it('lists every platform package, so that npm ci accepts it (run npx tsx .ci/complete-lockfile.ts)', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
    expect(Object.keys(missingOptionalEntries(lock))).toEqual([]);
  });

  it('finds a platform package a lock file lacks, with its os, cpu and libc', () => {
    const lock = {
      packages: {
        'node_modules/tool': {
          version: '1.0.0',
          dev: true,
          optionalDependencies: { '@tool/cli-linux-x64-musl': '1.0.0' },
        },
      },
    };
    expect(missingOptionalEntries(lock)).toEqual({
      'node_modules/@tool/cli-linux-x64-musl': {
        version: '1.0.0',
        cpu: ['x64'],
        dev: true,
        libc: ['musl'],
        optional: true,
        os: ['linux'],
      },
    });
  });
});
