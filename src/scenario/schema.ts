import { z } from 'zod';
import { ambiguousAppMessage, matchAppRef } from '../apigee/domain/app-ref.ts';
import { ApigeeScenarioSchema } from '../apigee/scenario.ts';
import { OktaScenarioSchema } from '../okta/scenario.ts';
import { TimelineEntrySchema } from './actions.ts';
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
    const check = (action: ActionFields, path: (string | number)[]) => {
      for (const problem of unknownReferences(scenario, action))
        ctx.addIssue({ code: 'custom', path, message: problem });
    };
    scenario.timeline.forEach((entry, i) => {
      check(entry.do, ['timeline', i, 'do']);
    });
    scenario.steps.forEach((step, i) => {
      // A step's action is checked in full when it runs; its literal names can be checked now.
      if ('do' in step) check(step.do, ['steps', i, 'do']);
      // {{clientId APP}} and the like name apps too: an ambiguous or unknown one fails now, not when run.
      for (const ref of templateAppRefs(step)) {
        const problem = scenario.apigee ? appRefProblem(scenario.apigee, ref) : undefined;
        if (problem) ctx.addIssue({ code: 'custom', path: ['steps', i], message: problem });
      }
    });
  });

/** Templates that name an app: `{{clientId APP}}`, `{{clientSecret APP}}`, `{{basic APP}}`, `{{appId APP}}`. */
const APP_TEMPLATE = /\{\{\s*(?:clientId|clientSecret|basic|appId)\s+([^}{\s]+)\s*\}\}/g;

function templateAppRefs(step: unknown): string[] {
  const refs: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof value === 'string') {
      for (const match of value.matchAll(APP_TEMPLATE)) if (match[1]) refs.push(match[1]);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  visit(step, 0);
  return refs;
}

/**
 * Why an app reference names no single app: none of that name, or two developers' apps of that name
 * (docs/fidelity/apigee.md#apigee-app-names); a reference may also be an app id.
 */
function appRefProblem(apigee: ApigeeRefs, ref: string): string | undefined {
  const match = matchAppRef(
    apigee.apps,
    ref,
    (a) => a.name,
    (a) => a.developer,
  );
  if (match.kind === 'found' || apigee.apps.some((a) => a.appId === ref)) return undefined;
  if (match.kind === 'ambiguous') {
    return ambiguousAppMessage(
      ref,
      match.candidates.map((a) => a.developer),
    );
  }
  return `No Apigee app ${ref}`;
}

/** An action's fields as the reference check reads them: a timeline's `Action`, or a step's unchecked one. */
type ActionFields = { readonly action: string; readonly [field: string]: unknown };

function unknownReferences(
  scenario: {
    okta?: { users: { login: string }[]; apiTokens: { name: string; token: string }[] } | undefined;
    apigee?: ApigeeRefs | undefined;
  },
  action: ActionFields,
): string[] {
  const problems: string[] = [];
  // A {{template}} is filled in when the step runs; only literal names can be checked now.
  const literal = (value: unknown): value is string => typeof value === 'string' && !value.includes('{{');
  const [vendor] = action.action.split('.');
  if (vendor === 'okta' && !scenario.okta) return ['The scenario has no okta section'];
  if (vendor === 'apigee' && !scenario.apigee) return ['The scenario has no apigee section'];
  const logins = new Set(scenario.okta?.users.map((u) => u.login.toLowerCase()));
  const keys = new Set(
    scenario.apigee?.apps.flatMap((a) => a.keys.flatMap((k) => (k.consumerKey ? [k.consumerKey] : []))),
  );
  const products = new Set(scenario.apigee?.products.map((p) => p.name));
  const names: [field: string, known: Set<string>, what: string, hint: string][] = [
    ['login', logins, 'Okta user', ''],
    ['key', keys, 'Apigee key', ' (give keys a consumerKey)'],
    ['product', products, 'Apigee product', ''],
  ];
  for (const [field, known, what, hint] of names) {
    const value = action[field];
    if (literal(value) && !known.has(field === 'login' ? value.toLowerCase() : value)) {
      problems.push(`No ${what} ${value}${hint}`);
    }
  }
  const app = action.app;
  if (scenario.apigee && typeof app === 'string' && literal(app)) {
    const problem = appRefProblem(scenario.apigee, app);
    if (problem) problems.push(problem);
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
  apps: {
    name: string;
    developer: string;
    appId?: string | undefined;
    keys: { consumerKey?: string | undefined }[];
  }[];
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
