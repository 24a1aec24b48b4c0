import { z } from 'zod';
import { ACTION_NAMES } from './actions.ts';
import { duration } from './fields.ts';

const request = z.strictObject({
  method: z.string().toUpperCase().default('GET').describe('HTTP method'),
  url: z.string().describe('May use {{okta}}, {{apigee}}, {{management}} and captured values'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .meta({
      description: 'Request headers; values may use templates',
      examples: [{ Authorization: '{{basic web}}' }],
    }),
  json: z.unknown().optional().describe('A JSON body (Content-Type: application/json)'),
  form: z
    .record(z.string(), z.string())
    .optional()
    .describe('A form body (application/x-www-form-urlencoded)'),
  body: z.string().optional().describe('A raw body, sent as is'),
  timeout: duration.prefault('10s').describe('Real time to wait for the answer (a hang fault never answers)'),
});

const expectation = z.strictObject({
  status: z.number().int().optional().describe('The status the answer must have'),
  headers: z
    .record(z.string(), z.union([z.string(), z.null()]))
    .optional()
    .describe('Exact values, /regex/ values, or null for "absent"'),
  json: z.unknown().optional().describe('A subset the JSON body must contain; strings may be /regex/'),
  absent: z.array(z.string()).optional().describe('JSON paths ($.a.b) that must not exist'),
  text: z.string().optional().describe('The exact body text, or a /regex/'),
  jwt: z
    .strictObject({
      at: z.string().describe('JSON path of the JWT, e.g. $.access_token'),
      header: z.record(z.string(), z.unknown()).optional().describe('A subset of the decoded JOSE header'),
      claims: z.record(z.string(), z.unknown()).optional().describe('A subset of the decoded claims'),
    })
    .optional()
    .describe('Decode (not verify) a JWT in the body and check its header and claims'),
});

export const StepSchema = z.union([
  z.strictObject({
    name: z.string().optional().describe('What the step does, for the report'),
    request: request.describe('The request to send (templates filled in first)'),
    expect: expectation.optional().describe('What the answer must be; every given check must pass'),
    capture: z
      .record(z.string(), z.string())
      .optional()
      .describe('name: JSON path ($.stateToken) or header:<name>'),
  }),
  z.strictObject({
    name: z.string().optional().describe('What the step does, for the report'),
    advance: duration.describe('Move the virtual clock forward'),
  }),
  z.strictObject({
    name: z.string().optional().describe('What the step does, for the report'),
    // Checked in full once its {{templates}} are filled in, when the step runs.
    do: z
      .looseObject({ action: z.enum(ACTION_NAMES).describe('The action; its fields as in the timeline') })
      .describe('Run an action now'),
  }),
]);

export type Step = z.output<typeof StepSchema>;
