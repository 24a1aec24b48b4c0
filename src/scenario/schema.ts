import { z } from 'zod';
import { ApigeeScenarioSchema } from '../apigee/scenario.ts';
import { OktaScenarioSchema } from '../okta/scenario.ts';
import { type Action, TimelineEntrySchema } from './actions.ts';
import { FaultRuleSchema } from './faults.ts';
import { instant } from './fields.ts';
import { StepSchema } from './steps.ts';

/**
 * The scenario file format (docs/scenarios.md): YAML or JSON, strict (an unknown key is an error), with
 * defaults written down here so that the JSON Schema and the README can be generated from one source.
 */
export const ScenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Editor hint: path or URL of the generated JSON Schema'),
    version: z.literal(1).describe('Format version; always 1'),
    name: z
      .string()
      .default('unnamed scenario')
      .meta({ description: 'A name for the banner, `check` and reports', examples: ['Push MFA sign-in'] }),
    description: z.string().optional().describe('What the scenario is for'),
    seed: z
      .number()
      .int()
      .default(1)
      .describe('Seeds generated ids, tokens and names: same seed, same values'),
    clock: z
      .strictObject({
        start: z
          .union([z.literal('now'), instant])
          .default('now')
          .describe('"now" or an ISO-8601 instant'),
        frozen: z.boolean().default(false).describe('Frozen: time moves only through advance/set'),
      })
      .prefault({})
      .describe('The virtual clock every expiry is judged on'),
    okta: OktaScenarioSchema.optional().describe('The simulated Okta org; absent: no Okta'),
    apigee: ApigeeScenarioSchema.optional().describe('The simulated Apigee organization; absent: no Apigee'),
    faults: z
      .array(FaultRuleSchema)
      .default([])
      .describe('Fault rules: the first that matches a request decides'),
    timeline: z
      .array(TimelineEntrySchema)
      .default([])
      .describe('Actions at virtual times after the clock start'),
    steps: z.array(StepSchema).default([]).describe('A script that `okta-apigee-sim check` runs'),
  })
  .superRefine((scenario, ctx) => {
    // Actions name users, apps, keys and products: they must exist, so that a typo fails at load, not at 10m.
    const check = (action: Action, path: (string | number)[]) => {
      for (const problem of unknownReferences(scenario, action))
        ctx.addIssue({ code: 'custom', path, message: problem });
    };
    scenario.timeline.forEach((entry, i) => {
      check(entry.do, ['timeline', i, 'do']);
    });
    scenario.steps.forEach((step, i) => {
      if ('do' in step) check(step.do as Action, ['steps', i, 'do']);
    });
  });

function unknownReferences(
  scenario: {
    okta?: { users: { login: string }[]; apiTokens: { name: string; token: string }[] } | undefined;
    apigee?: ApigeeRefs | undefined;
  },
  action: Action,
): string[] {
  const problems: string[] = [];
  // A {{template}} is filled in when the step runs; only literal names can be checked now.
  const literal = (value: unknown) => typeof value === 'string' && !value.includes('{{');
  const [vendor] = action.action.split('.');
  if (vendor === 'okta' && !scenario.okta) return ['The scenario has no okta section'];
  if (vendor === 'apigee' && !scenario.apigee) return ['The scenario has no apigee section'];
  const logins = new Set(scenario.okta?.users.map((u) => u.login.toLowerCase()));
  const apps = new Set(scenario.apigee?.apps.map((a) => a.name));
  const keys = new Set(
    scenario.apigee?.apps.flatMap((a) => a.keys.flatMap((k) => (k.consumerKey ? [k.consumerKey] : []))),
  );
  const products = new Set(scenario.apigee?.products.map((p) => p.name));
  const names: [field: string, known: Set<string>, what: string, hint: string][] = [
    ['login', logins, 'Okta user', ''],
    ['app', apps, 'Apigee app', ''],
    ['key', keys, 'Apigee key', ' (give keys a consumerKey)'],
    ['product', products, 'Apigee product', ''],
  ];
  for (const [field, known, what, hint] of names) {
    const value = (action as Record<string, unknown>)[field];
    const key = field === 'login' && typeof value === 'string' ? value.toLowerCase() : value;
    if (literal(value) && !known.has(key as string)) problems.push(`No ${what} ${value}${hint}`);
  }
  if (
    action.action === 'apigee.setDeveloperStatus' &&
    literal(action.developer) &&
    !scenario.apigee?.developers.some((d) => d.email === action.developer)
  ) {
    problems.push(`No Apigee developer ${action.developer}`);
  }
  if (
    action.action === 'okta.rotateApiToken' &&
    !scenario.okta?.apiTokens.some((t) => t.name === action.name)
  ) {
    problems.push(`No Okta API token named ${action.name}`);
  }
  return problems;
}

interface ApigeeRefs {
  apps: { name: string; keys: { consumerKey?: string | undefined }[] }[];
  products: { name: string }[];
  developers: { email: string }[];
}

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
