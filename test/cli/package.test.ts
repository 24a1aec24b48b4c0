import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.ts';

/**
 * The package as users install it: `npm run build` (also run by `npm pack`) compiles src/ to dist/, the
 * `exports` map points there, and the bin runs the built CLI.
 */
describe('the built package', () => {
  it('builds, exports the documented entries and runs its bin', async () => {
    await ensureBuilt();
    // Specifiers in variables: type-checking runs before any build, when dist/ does not exist yet.
    const entries = ['okta-apigee-sim', 'okta-apigee-sim/node'];
    const root: typeof import('../../src/index.ts') = await import(entries[0] as string);
    const node: typeof import('../../src/node/index.ts') = await import(entries[1] as string);
    for (const name of ['createSimulator', 'parseScenario', 'defineScenario', 'validateScenario']) {
      expect(typeof root[name as keyof typeof root], name).toBe('function');
    }
    for (const name of ['loadScenarioFile', 'setupSimulatorServer', 'startHttpServer', 'createSimulator']) {
      expect(typeof node[name as keyof typeof node], name).toBe('function');
    }
    const sim = node.createSimulator(await node.loadScenarioFile('scenarios/default.yaml'));
    const reply = await sim.fetch(
      new Request('https://dev-000000.okta.com/api/v1/authn', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'password@example.com', password: 'Passw0rd!' }),
      }),
    );
    expect(reply?.status).toBe(200);
    expect((await reply!.json()).status).toBe('SUCCESS');
    const out = execFileSync(process.execPath, [
      'bin/okta-apigee-sim.js',
      'validate',
      'scenarios/default.yaml',
    ]);
    expect(out.toString()).toContain('1 valid, 0 invalid');
  });
});
