import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/check/run-steps.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { loadScenarioFile } from '../../src/node/load-scenario-file.ts';
import { scenarioFiles } from '../../src/node/scenario-files.ts';
import type { Scenario } from '../../src/scenario/schema.ts';

/**
 * The shipped scenario library (docs/scenarios.md): every file under scenarios/ loads, and its steps pass
 * against a fresh simulator, as `okta-apigee-sim check scenarios` runs them.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const files = await scenarioFiles([`${root}scenarios`]);

/** Each file with its scenario, or why it did not load (reported by its own test, not at collection). */
const library = await Promise.all(
  files.map(async (file) => {
    const path = relative(root, file);
    try {
      return { path, scenario: await loadScenarioFile(file), error: undefined };
    } catch (error) {
      return { path, scenario: undefined, error: error as Error };
    }
  }),
);

function loaded(entry: (typeof library)[number]): Scenario {
  if (!entry.scenario) throw new Error(`${entry.path} does not load:\n${entry.error?.message}`);
  return entry.scenario;
}

describe('scenario library', () => {
  it('finds the shipped scenarios', () => {
    expect(library.map((entry) => entry.path)).toContain('scenarios/default.yaml');
    expect(library.length).toBeGreaterThan(1);
  });

  for (const entry of library) {
    it(`${entry.path}: ${entry.scenario?.name ?? 'does not load'}`, async () => {
      const scenario = loaded(entry);
      const results = await runSteps(createSimulator(scenario), scenario.steps);
      const failures = results
        .filter((result) => !result.ok)
        .map(
          (result) =>
            `  ${result.index} ${result.label}\n${result.failures.map((f) => `      ${f}`).join('\n')}`,
        );
      expect(failures, `${entry.path}: failing steps\n${failures.join('\n')}`).toEqual([]);
    });
  }

  it('gives every scenario but the demo org a description and at least one step', () => {
    const lacking = library
      .filter((entry) => basename(entry.path) !== 'default.yaml')
      .flatMap((entry) => {
        const scenario = loaded(entry);
        const problems = [
          ...(scenario.description?.trim() ? [] : ['no description']),
          ...(scenario.steps.length > 0 ? [] : ['no steps']),
        ];
        return problems.length > 0 ? [`${entry.path}: ${problems.join(', ')}`] : [];
      });
    expect(lacking, lacking.join('\n')).toEqual([]);
  });
});
