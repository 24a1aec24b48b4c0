import {
  type Document,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { z } from 'zod';
import { errorMessage } from '../core/error-message.ts';
import { closest } from '../core/suggest.ts';
import { expandIssue, ScenarioError, type ScenarioIssue } from './issues.ts';
import { knownKeys } from './known-keys.ts';
import { type Scenario, type ScenarioInput, ScenarioSchema } from './schema.ts';
import type { Strict } from './strict.ts';

export type ScenarioFormat = 'yaml' | 'json';

/** Scenarios this module produced: validating one of them again would only repeat the same work. */
const validated = new WeakSet<object>();

function accept(scenario: Scenario): Scenario {
  validated.add(scenario);
  return scenario;
}

/** Whether `input` is one of those scenarios: only `accept` adds to the set. */
function isValidated(input: unknown): input is Scenario {
  return typeof input === 'object' && input !== null && validated.has(input);
}

/**
 * Parses and validates scenario text. Every problem is reported at once, each with its path and
 * line:column. Browser-safe: reading files is `okta-apigee-sim/node`'s `loadScenarioFile`.
 *
 * @example
 * const scenario = parseScenario(text, 'yaml');
 * const sim = createSimulator(scenario);
 */
export function parseScenario(text: string, format: ScenarioFormat = 'yaml', source?: string): Scenario {
  // YAML 1.2 is a superset of JSON, so one parser gives positions for both formats; JSON gets a strict
  // pre-check so that YAML-only syntax in a .json file is still an error.
  if (text.trim() === '' || /^(?:\s*#[^\n]*\n?)*\s*$/.test(text)) {
    throw new ScenarioError(
      [{ path: '', message: 'The file is empty: a scenario needs at least `version: 1`' }],
      source,
    );
  }
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = errorMessage(error);
      // V8 writes "... at position 14 (line 1 column 15)".
      const at = /line (\d+) column (\d+)/.exec(message);
      throw new ScenarioError(
        [
          {
            path: '',
            message: `Invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
            ...(at && { line: Number(at[1]), column: Number(at[2]) }),
          },
        ],
        source,
      );
    }
  }
  const nesting = nestingProblem(text);
  if (nesting) throw new ScenarioError([nesting], source);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => {
        const at = lines.linePos(error.pos[0]);
        return { path: '', message: error.message.split('\n', 1).join(''), line: at.line, column: at.col };
      }),
      source,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml refuses documents whose aliases expand without bound ("billion laughs").
    throw new ScenarioError([{ path: '', message: errorMessage(error) }], source);
  }
  const result = ScenarioSchema.safeParse(value, { jitless: true });
  if (result.success) return accept(result.data);
  throw new ScenarioError(locate(result.error.issues, doc, lines), source);
}

/** Deeper than any scenario needs; deeper text only costs the parser time (a 200 KB "[[[[..." takes a second). */
const MAX_NESTING = 64;

/**
 * A quick look for nesting no scenario has, before the YAML parser spends time on it: flow collections
 * (`[`, `{`) opened more than `MAX_NESTING` deep, or a line that opens as many block collections at once
 * (`- - - x`, `? ? x`). Quoted text and comments are skipped.
 */
function nestingProblem(text: string): ScenarioIssue | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let compact = 0;
  let atLineHead = true;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '\n') {
      line += 1;
      lineStart = i + 1;
      compact = 0;
      atLineHead = true;
      continue;
    }
    // A quote opens a quoted scalar only where a scalar starts; elsewhere (don't) it is a plain character.
    if ((char === '"' || char === "'") && startsScalar(text, i, lineStart)) {
      i = skipQuoted(text, i);
      atLineHead = false;
      continue;
    }
    if (char === '#' && (i === 0 || /\s/.test(text.charAt(i - 1)))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (atLineHead && (char === '-' || char === '?') && /\s/.test(text[i + 1] ?? ' ')) compact += 1;
    else if (char !== ' ' && char !== '\t') atLineHead = false;
    if (char === '[' || char === '{') depth += 1;
    else if ((char === ']' || char === '}') && depth > 0) depth -= 1;
    if (depth > MAX_NESTING || compact > MAX_NESTING) {
      return {
        path: '',
        message: `Nested more than ${MAX_NESTING} levels deep`,
        line,
        column: i - lineStart + 1,
      };
    }
  }
  return undefined;
}

function startsScalar(text: string, at: number, lineStart: number): boolean {
  for (let i = at - 1; i >= lineStart; i--) {
    const char = text.charAt(i);
    if (char === ' ' || char === '\t') continue;
    return ':-?[{,'.includes(char);
  }
  return true;
}

/** The index of the quote that closes the one at `start` (YAML: \" escapes in double, '' in single quotes). */
function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (quote === '"' && char === '\\') i++;
    else if (char === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

/**
 * `validateScenario` for a value validated once, as a file's is: without zod's compiled fast path, which a
 * single parse never repays (`serve`'s start-up, docs/performance.md).
 */
export function validateScenarioOnce(input: unknown, source?: string): Scenario {
  const result = ScenarioSchema.safeParse(input, { jitless: true });
  if (result.success) return accept(result.data);
  throw new ScenarioError(locate(result.error.issues), source);
}

/** Validates a scenario object (typed or parsed elsewhere); issues carry paths but no positions. */
export function validateScenario(input: unknown, source?: string): Scenario {
  if (isValidated(input)) return input;
  const result = ScenarioSchema.safeParse(input);
  if (result.success) return accept(result.data);
  throw new ScenarioError(locate(result.error.issues), source);
}

/**
 * The identity function, typed: gives editor completion and type checks for a scenario written in code.
 * Beyond the shape, the type checker refuses what the schema would refuse at run time: a key the format
 * does not have, at any depth and inside union members (a misspelt `passcode` in an SMS factor), and a
 * duration the parser would refuse (`'16 minutes'`, `'-5s'`).
 *
 * @example
 * const scenario = defineScenario({ version: 1, okta: { users: [{ login: 'ada@example.com', password: 'x' }] } });
 */
export function defineScenario<const T extends ScenarioInput>(scenario: T & Strict<T, ScenarioInput>): T {
  return scenario;
}

function locate(issues: readonly z.core.$ZodIssue[], doc?: Document, lines?: LineCounter): ScenarioIssue[] {
  const located = issues
    .flatMap((issue) => expandIssue(issue))
    .map(({ path, message, key }) => {
      const position = doc && lines ? positionOf(doc, lines, path, key) : undefined;
      return {
        path: [...path, ...(key === undefined ? [] : [key])].join('.'),
        message: friendlier(message, path, key),
        ...position,
      };
    });
  return located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** A schema message with what to do about it: the key meant, the line every scenario starts with. */
function friendlier(message: string, path: readonly PropertyKey[], key: string | undefined): string {
  if (key !== undefined) {
    const meant = closest(key, knownKeys(ScenarioSchema, path));
    return meant ? `${message} (did you mean "${meant}"?)` : message;
  }
  if (path.length === 1 && path[0] === 'version') {
    return `${message}; every scenario starts with \`version: 1\``;
  }
  return message;
}

function positionOf(
  doc: Document,
  lines: LineCounter,
  path: PropertyKey[],
  key: string | undefined,
): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = doc.contents ?? undefined;
  for (const segment of path) {
    const next = childOf(node, segment);
    if (next === undefined) break;
    node = next;
    if (isNode(next)) last = next;
  }
  // For an unknown key, point at the key itself, not at the map holding it.
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) last = pair.key;
  }
  const offset = last?.range?.[0];
  if (offset === undefined) return undefined;
  const at = lines.linePos(offset);
  return { line: at.line, column: at.col };
}

function childOf(node: unknown, segment: PropertyKey): unknown {
  if (!isCollection(node)) return undefined;
  const items: readonly unknown[] = node.items;
  if (typeof segment === 'number') return items[segment];
  const pair = items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
  return pair && isPair(pair) ? pair.value : undefined;
}
