import { z } from 'zod';
import { ActionSchema } from './actions.ts';
import { duration } from './fields.ts';

const request = z.strictObject({
  method: z.string().toUpperCase().default('GET'),
  url: z.string().describe('May use {{okta}}, {{apigee}}, {{management}} and captured values'),
  headers: z.record(z.string(), z.string()).optional(),
  json: z.unknown().optional().describe('A JSON body (Content-Type: application/json)'),
  form: z
    .record(z.string(), z.string())
    .optional()
    .describe('A form body (application/x-www-form-urlencoded)'),
  body: z.string().optional().describe('A raw body, sent as is'),
});

const expectation = z.strictObject({
  status: z.number().int().optional(),
  headers: z
    .record(z.string(), z.union([z.string(), z.null()]))
    .optional()
    .describe('Exact values, /regex/ values, or null for "absent"'),
  json: z.unknown().optional().describe('A subset the JSON body must contain; strings may be /regex/'),
  absent: z.array(z.string()).optional().describe('JSON paths ($.a.b) that must not exist'),
  text: z.string().optional().describe('The exact body text, or a /regex/'),
});

export const StepSchema = z.union([
  z.strictObject({
    name: z.string().optional(),
    request,
    expect: expectation.optional(),
    capture: z
      .record(z.string(), z.string())
      .optional()
      .describe('name: JSON path ($.stateToken) or header:<name>'),
  }),
  z.strictObject({
    name: z.string().optional(),
    advance: duration.describe('Move the virtual clock forward'),
  }),
  z.strictObject({ name: z.string().optional(), do: ActionSchema.describe('Run an action now') }),
]);

export type Step = z.output<typeof StepSchema>;
