/** The JSON Schema of scenario files, as editors show it: every field says what it is for. */
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';

/** Paths of the properties (at any depth, in every union member) that have no description. */
function undescribed(node: unknown, path = '$'): string[] {
  if (!node || typeof node !== 'object') return [];
  const schema = node as Record<string, unknown>;
  const found: string[] = [];
  for (const [key, child] of Object.entries(
    (schema.properties ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    if (typeof child.description !== 'string' || child.description.length === 0) found.push(`${path}.${key}`);
    found.push(...undescribed(child, `${path}.${key}`));
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(schema[key]))
      for (const member of schema[key]) found.push(...undescribed(member, path));
  }
  if (schema.items) found.push(...undescribed(schema.items, `${path}[]`));
  if (schema.additionalProperties) found.push(...undescribed(schema.additionalProperties, `${path}{}`));
  return found;
}

describe('the JSON Schema of scenario files', () => {
  it('describes every field, in every union member', () => {
    const schema = scenarioJsonSchema();
    expect(undescribed(schema)).toEqual([]);
    // The walk sees the deep fields: a factor's phone number, an action's login, a fault effect's status.
    const text = JSON.stringify(schema);
    for (const description of [
      'The phone number, E.164',
      "The Okta user's login",
      'The status to answer with',
    ]) {
      expect(text).toContain(description);
    }
  });

  it('gives examples where a field takes a format', () => {
    const text = JSON.stringify(scenarioJsonSchema());
    expect(text).toContain('"examples":["+15555550100"]');
    expect(text).toContain('"examples":["alice@example.com"]');
  });

  it('describes durations by the pattern the parser accepts', () => {
    const text = JSON.stringify(scenarioJsonSchema());
    expect(text).toContain('"pattern":"^(?:\\\\d+|(?:\\\\d+(?:\\\\.\\\\d+)?(?:ms|s|m|h|d))+)$"');
  });
});
