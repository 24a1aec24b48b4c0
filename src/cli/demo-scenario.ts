/**
 * The demo scenario as `serve` loads it when given no file. `npm run build` keeps the parsed value of
 * scenarios/default.yaml beside the CLI (scripts/bundle-cli.mjs), with the SHA-256 of the text it came from:
 * validating that value skips the YAML parser, some 20 ms of `serve`'s start-up (docs/performance.md).
 * When the copy is missing or unreadable, or the file's text has changed since the build, the file is
 * loaded as any other.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isRecord } from '../core/guards.ts';
import { loadScenarioFile } from '../node/load-scenario-file.ts';
import { validateScenarioOnce } from '../scenario/parse.ts';
import type { Scenario } from '../scenario/schema.ts';

/** Where the build writes the parsed copy: beside the module that reads it. */
const PARSED_COPY = new URL('./default-scenario.json', import.meta.url);

export async function loadDemoScenario(file: string, parsedCopy: URL = PARSED_COPY): Promise<Scenario> {
  const [text, copy] = await Promise.all([
    readFile(file, 'utf8'),
    readFile(parsedCopy, 'utf8')
      .then((json): unknown => JSON.parse(json))
      .catch(() => undefined),
  ]);
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (isRecord(copy) && copy.sha256 === sha256) return validateScenarioOnce(copy.scenario, file);
  return loadScenarioFile(file);
}
