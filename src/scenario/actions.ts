import { z } from 'zod';
import { duration } from './fields.ts';

const status = z.enum(['active', 'inactive']);

/**
 * What a timeline entry, a `check` step or `POST /__sim/actions` may do: the things a real org does on its
 * own or that an admin does, which tests cannot make happen through the vendor's public API.
 */
export const ActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('okta.lockUser'), login: z.string() }),
  z.strictObject({ action: z.literal('okta.unlockUser'), login: z.string() }),
  z.strictObject({ action: z.literal('okta.expirePassword'), login: z.string() }),
  z
    .strictObject({ action: z.literal('okta.endSessions'), login: z.string() })
    .describe('End every session of a user'),
  z.strictObject({ action: z.literal('okta.endSession'), sessionId: z.string() }),
  z.strictObject({
    action: z.literal('okta.setPushOutcome'),
    login: z.string(),
    outcome: z.enum(['APPROVE', 'REJECT', 'TIMEOUT']),
    afterPolls: z.number().int().min(0).optional(),
  }),
  z.strictObject({ action: z.literal('okta.revokeApiToken'), token: z.string().describe('Name or value') }),
  z
    .strictObject({
      action: z.literal('okta.rotateApiToken'),
      name: z.string(),
      token: z.string().min(1).optional(),
    })
    .describe('Revoke the named token and issue a new value under the same name'),
  z
    .strictObject({ action: z.literal('okta.revokeUserTokens'), login: z.string() })
    .describe('Revoke every OIDC access and refresh token of a user'),
  z
    .strictObject({
      action: z.literal('okta.rotateKeys'),
      authorizationServer: z.string().default('default').describe('A custom server id, or org'),
    })
    .describe('A new signing key for an authorization server; the previous one stays published'),
  z.strictObject({ action: z.literal('apigee.revokeApp'), app: z.string() }),
  z.strictObject({ action: z.literal('apigee.approveApp'), app: z.string() }),
  z.strictObject({ action: z.literal('apigee.revokeKey'), key: z.string() }),
  z.strictObject({ action: z.literal('apigee.approveKey'), key: z.string() }),
  z.strictObject({ action: z.literal('apigee.revokeKeyProduct'), key: z.string(), product: z.string() }),
  z.strictObject({ action: z.literal('apigee.approveKeyProduct'), key: z.string(), product: z.string() }),
  z.strictObject({ action: z.literal('apigee.setDeveloperStatus'), developer: z.email(), status }),
  z.strictObject({
    action: z.literal('apigee.invalidateToken'),
    token: z.string(),
    type: z.enum(['accesstoken', 'refreshtoken']).default('accesstoken'),
    cascade: z.boolean().default(true),
  }),
  z.strictObject({
    action: z.literal('apigee.validateToken'),
    token: z.string(),
    type: z.enum(['accesstoken', 'refreshtoken']).default('accesstoken'),
    cascade: z.boolean().default(true),
  }),
  z
    .strictObject({
      action: z.literal('apigee.revokeAll'),
      app: z.string().optional().describe('App name'),
      endUser: z.string().optional(),
      before: z.number().int().optional().describe('Epoch ms'),
      cascade: z.boolean().default(false),
    })
    .describe('RevokeOAuthV2'),
]);

export type Action = z.output<typeof ActionSchema>;

export const TimelineEntrySchema = z.strictObject({
  at: duration.describe('When, after the clock start'),
  do: ActionSchema,
});

/** The names of every action. */
export const ACTION_NAMES = ActionSchema.options.map((option) => option.shape.action.value) as [
  Action['action'],
  ...Action['action'][],
];
