import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseScenario } from '../scenario/parse.ts';
import type { Scenario } from '../scenario/schema.ts';

/**
 * Reads and validates a scenario file: `.json` as JSON, anything else as YAML. Throws a `ScenarioError`
 * listing every problem with `file:line:column`.
 *
 * @example
 * const sim = createSimulator(await loadScenarioFile('scenarios/default.yaml'));
 */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  const text = await readFile(path, 'utf8');
  return parseScenario(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml', path);
}
