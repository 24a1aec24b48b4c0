import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest } from '../core/suggest.ts';
import { parseScenario } from '../scenario/parse.ts';
import type { Scenario, ScenarioInput } from '../scenario/schema.ts';

/** The scenario library shipped with the package (`scenarios/` beside `dist/` and `src/`). */
const LIBRARY = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** A scenario as a caller names it: an object, or the name of one in the library (`okta/lockout-auto-unlock`). */
export type ScenarioSource = Scenario | ScenarioInput | string;

/** A library name that names no scenario: `known` lists the names there are, `suggestion` the closest one. */
export class UnknownScenarioError extends Error {
  readonly suggestion: string | undefined;

  constructor(name: string) {
    const suggestion = closest(name, libraryNames());
    super(
      `No scenario "${name.slice(0, 200)}" in the library` +
        (suggestion
          ? `; did you mean "${suggestion}"?`
          : ' (names look like "default", "okta/lockout-auto-unlock")'),
    );
    this.name = 'UnknownScenarioError';
    this.suggestion = suggestion;
  }
}

let names: string[] | undefined;
const parsed = new Map<string, Scenario>();

/** The names of the library's scenarios: `default`, `okta/...`, `apigee/...`, `combined/...` (read once). */
export function libraryNames(): string[] {
  names ??= readdirSync(LIBRARY, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split('\\').join('/'))
    .filter((file) => extname(file) === '.yaml')
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
  return names;
}

/**
 * The library's scenario of that name (`default`, `okta/lockout-hidden-by-default`; a trailing `.yaml` is
 * allowed), parsed once and kept. Only names the library lists are read: never a path a caller made up.
 */
export function libraryScenario(name: string): Scenario {
  const key = name.endsWith('.yaml') ? name.slice(0, -'.yaml'.length) : name;
  const known = parsed.get(key);
  if (known) return known;
  if (!libraryNames().includes(key)) throw new UnknownScenarioError(name);
  const file = `${LIBRARY}${key}.yaml`;
  const scenario = parseScenario(readFileSync(file, 'utf8'), 'yaml', file);
  parsed.set(key, scenario);
  return scenario;
}

/** An object as it is (validated later, by the simulator), a name from the library. */
export function scenarioFrom(source: ScenarioSource): Scenario | ScenarioInput {
  return typeof source === 'string' ? libraryScenario(source) : source;
}
