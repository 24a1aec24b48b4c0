import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadDemoScenario } from '../../src/cli/demo-scenario.ts';
import { DEFAULT_SCENARIO } from '../../src/cli/main.ts';
import { loadScenarioFile } from '../../src/node/load-scenario-file.ts';

let dir: string;
let demo: string;
let copy: URL;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'okta-apigee-sim-demo-'));
  demo = join(dir, 'default.yaml');
  copy = pathToFileURL(join(dir, 'default-scenario.json'));
  await writeFile(demo, await readFile(DEFAULT_SCENARIO, 'utf8'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("serve's demo scenario", () => {
  it('validates the parsed copy the build kept when it was made from the same text', async () => {
    const text = await readFile(demo, 'utf8');
    // A copy that differs from the text by its name: what comes back shows which one was read.
    const value = { ...parse(text), name: 'from the parsed copy' };
    await writeFile(copy, JSON.stringify({ sha256: sha256(text), scenario: value }));
    const scenario = await loadDemoScenario(demo, copy);
    expect(scenario.name).toBe('from the parsed copy');
    expect({ ...scenario, name: undefined }).toEqual({ ...(await loadScenarioFile(demo)), name: undefined });
  });

  it('reads the file when its text changed since the build', async () => {
    const text = await readFile(demo, 'utf8');
    await writeFile(
      copy,
      JSON.stringify({ sha256: sha256(text), scenario: { ...parse(text), name: 'stale' } }),
    );
    await writeFile(demo, text.replace(/^name: .*$/m, 'name: Edited after the build'));
    try {
      expect((await loadDemoScenario(demo, copy)).name).toBe('Edited after the build');
    } finally {
      await writeFile(demo, text);
    }
  });

  it('reads the file when there is no copy, or one that is not JSON', async () => {
    const expected = await loadScenarioFile(demo);
    await rm(copy, { force: true });
    expect(await loadDemoScenario(demo, copy)).toEqual(expected);
    await writeFile(copy, '{"sha256":');
    expect(await loadDemoScenario(demo, copy)).toEqual(expected);
  });

  it('refuses a copy that is not a valid scenario as it would refuse the file', async () => {
    const text = await readFile(demo, 'utf8');
    await writeFile(copy, JSON.stringify({ sha256: sha256(text), scenario: { version: 2 } }));
    await expect(loadDemoScenario(demo, copy)).rejects.toThrow(/version/);
  });
});
