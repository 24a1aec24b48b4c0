import { z } from 'zod';
import { ApigeeScenarioSchema } from '../apigee/scenario.ts';
import { OktaScenarioSchema } from '../okta/scenario.ts';
import { instant } from './fields.ts';

/**
 * The scenario file format (product.md §6): YAML or JSON, strict (an unknown key is an error), with
 * defaults written down here so that the JSON Schema and the README can be generated from one source.
 */
export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional().describe('Editor hint: path or URL of the generated JSON Schema'),
  version: z.literal(1).describe('Format version; always 1'),
  name: z.string().default('unnamed scenario'),
  description: z.string().optional(),
  seed: z.number().int().default(1).describe('Seeds generated ids, tokens and names: same seed, same values'),
  clock: z
    .strictObject({
      start: z
        .union([z.literal('now'), instant])
        .default('now')
        .describe('"now" or an ISO-8601 instant'),
      frozen: z.boolean().default(false).describe('Frozen: time moves only through advance/set'),
    })
    .prefault({}),
  okta: OktaScenarioSchema.optional().describe('The simulated Okta org; absent: no Okta'),
  apigee: ApigeeScenarioSchema.optional().describe('The simulated Apigee organization; absent: no Apigee'),
});

/** A scenario as written (defaults optional, durations as strings). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A validated scenario with every default applied and durations in milliseconds. */
export type Scenario = z.output<typeof ScenarioSchema>;

/** The JSON Schema of scenario files (`okta-apigee-sim schema`). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'okta-apigee-sim scenario',
  };
}
