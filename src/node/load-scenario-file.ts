import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../scenario/parse.ts';
import type { Scenario } from '../scenario/schema.ts';

/**
 * Reads and validates a scenario file: `.json` as JSON, anything else as YAML. Throws a `ScenarioError`
 * listing every problem with `file:line:column`. `path` may also be a `file:` URL, as a `URL` or as the
 * string that `import.meta.resolve` returns, so that a scenario shipped in a package can be named by its
 * specifier.
 *
 * @example
 * const sim = createSimulator(await loadScenarioFile('scenarios/my-org.yaml'));
 * const demo = await loadScenarioFile(import.meta.resolve('okta-apigee-sim/scenarios/default.yaml'));
 */
export async function loadScenarioFile(path: string | URL): Promise<Scenario> {
  const file = path instanceof URL || path.startsWith('file:') ? fileURLToPath(path) : path;
  const text = await readFile(file, 'utf8');
  return parseScenario(text, extname(file).toLowerCase() === '.json' ? 'json' : 'yaml', file);
}
