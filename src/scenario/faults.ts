import { z } from 'zod';
import { APIGEE_FAULTS, MANAGEMENT_ERRORS } from '../apigee/domain/errors.ts';
import { OPERATION_NAMES } from '../catalogue.ts';
import { closest } from '../core/suggest.ts';
import { OKTA_ERRORS } from '../okta/domain/errors.ts';
import { duration } from './fields.ts';

/** OAuth-style token-endpoint codes an Apigee vendor-error fault may use besides the policy faults. */
export const APIGEE_OAUTH_CODES = ['invalid_client', 'invalid_request', 'invalid_scope'] as const;

/** The longest timer JavaScript runs as asked: a longer `setTimeout` fires after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A status an answer can have: 1xx are interim answers that no transport can send as the final one (a
 * client would wait for the real answer that never comes).
 */
const answerStatus = z.number().int().min(200, 'Expected a final status, 200 to 599').max(599);

/** A header value as HTTP allows it: visible ASCII, spaces and tabs; no CR, LF or NUL. */
const headerValue = z.string().regex(/^[\t\x20-\x7e]*$/, 'Expected printable ASCII, no line breaks');

/** A simulated operation's name; a near miss gets a "did you mean". */
const operationName = z.enum(OPERATION_NAMES, {
  error: (issue) => {
    const guess = typeof issue.input === 'string' ? closest(issue.input, OPERATION_NAMES) : undefined;
    return `Unknown operation ${JSON.stringify(issue.input)}${guess ? ` (did you mean "${guess}"?)` : ''}; see the operation catalogue (docs/operations.md)`;
  },
});

const effect = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('latency').describe('The effect'),
    ms: duration
      .refine((ms) => ms <= MAX_TIMER_MS, 'Latency is at most 24d (2147483647 ms); use hang to never answer')
      .describe('Extra delay, in real time'),
  }),
  z
    .strictObject({ type: z.literal('hang').describe('The effect') })
    .describe('Never answer (until the client gives up)'),
  z
    .strictObject({ type: z.literal('network-error').describe('The effect') })
    .describe('A network failure: fetch rejects'),
  z
    .strictObject({
      type: z.literal('vendor-error').describe('The effect'),
      code: z
        .string()
        .describe(
          'An Okta code (E0000009), an Apigee fault name / OAuth code (invalid_client), or an Apigee management error name (AppDoesNotExist)',
        ),
      message: z
        .string()
        .optional()
        .describe('Apigee OAuth codes: the Error text; management errors: the message'),
    })
    .describe("A vendor error in the vendor's exact wire shape"),
  z
    .strictObject({
      type: z.literal('status').describe('The effect'),
      status: answerStatus.describe('The status to answer with'),
      body: z.string().optional().describe('The body to answer with'),
      contentType: headerValue.optional().meta({ description: 'Its Content-Type', examples: ['text/html'] }),
    })
    .describe('A raw answer, e.g. an HTML 502 from a gateway'),
  z
    .strictObject({
      type: z.literal('malformed-body').describe('The effect'),
      status: answerStatus.optional().describe('The status to answer with (default 200)'),
    })
    .describe('A JSON content type with a truncated body'),
]);

export const FaultRuleSchema = z
  .strictObject({
    name: z.string().optional().describe('A name for the journal and the request log'),
    match: z
      .strictObject({
        vendor: z.enum(['okta', 'apigee']).optional().describe('Only requests to this vendor'),
        operation: z
          .union([operationName, z.array(operationName).min(1)])
          .optional()
          .describe('Operation names, as the catalogue and the request journal write them'),
        method: z.string().toUpperCase().optional().describe('Only requests with this HTTP method'),
        path: z.string().optional().describe('Path pattern: * one segment, ** any depth'),
        username: z.string().optional().describe('Okta username'),
        clientId: z.string().optional().describe('Apigee client_id'),
      })
      .prefault({})
      .describe('Which requests the rule applies to; every given field must match (none: every request)'),
    effect: effect.describe('What happens to a matching request'),
    times: z.number().int().min(1).optional().describe('Requests affected; unlimited when absent'),
    after: z.number().int().min(0).optional().describe('Matching requests let through first'),
  })
  .superRefine((rule, ctx) => {
    if (rule.effect.type !== 'vendor-error') return;
    const { code } = rule.effect;
    // Own keys only: "toString" or "constructor" are in every object, not in the catalogues.
    const okta = Object.hasOwn(OKTA_ERRORS, code);
    const apigee =
      Object.hasOwn(APIGEE_FAULTS, code) ||
      Object.hasOwn(MANAGEMENT_ERRORS, code) ||
      APIGEE_OAUTH_CODES.some((known) => known === code);
    const vendor = rule.match.vendor;
    if ((vendor === 'okta' && !okta) || (vendor === 'apigee' && !apigee) || (!okta && !apigee)) {
      ctx.addIssue({
        code: 'custom',
        path: ['effect', 'code'],
        message: `Unknown ${vendor ?? 'vendor'} error code ${code}`,
      });
    }
  });

export type FaultRuleInput = z.input<typeof FaultRuleSchema>;
