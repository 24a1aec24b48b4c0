import { z } from 'zod';
import { duration } from './fields.ts';

const status = z.enum(['active', 'inactive']).describe('The new status');
const login = z.string().meta({ description: "The Okta user's login", examples: ['alice@example.com'] });
const app = z.string().describe('The Apigee app, by name');
const key = z.string().describe('The consumer key (client_id)');
const product = z.string().describe('The API product, by name');

/**
 * What a timeline entry, a `check` step or `POST /__sim/actions` may do: the things a real org does on its
 * own or that an admin does, which tests cannot make happen through the vendor's public API.
 */
export const ActionSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('okta.lockUser').describe('Lock the user out, as too many failed passwords would'),
    login,
  }),
  z.strictObject({
    action: z.literal('okta.unlockUser').describe('Unlock the user, as an admin would'),
    login,
  }),
  z.strictObject({
    action: z
      .literal('okta.expirePassword')
      .describe('Expire the user\'s password, as an admin\'s "expire password" does'),
    login,
  }),
  z
    .strictObject({ action: z.literal('okta.endSessions').describe('End every session of the user'), login })
    .describe('End every session of a user'),
  z.strictObject({
    action: z.literal('okta.endSession').describe('End one session, as if it had expired'),
    sessionId: z.string().describe('The session id (102...)'),
  }),
  z.strictObject({
    action: z
      .literal('okta.setPushOutcome')
      .describe('Set what the user does with push challenges from now on'),
    login,
    outcome: z.enum(['APPROVE', 'REJECT', 'TIMEOUT']).describe('What the user does with the push'),
    afterPolls: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('The poll that sees the outcome (0: the verify itself)'),
  }),
  z.strictObject({
    action: z.literal('okta.revokeApiToken').describe('Revoke an SSWS API token'),
    token: z.string().describe('The API token: its name or value'),
  }),
  z
    .strictObject({
      action: z
        .literal('okta.rotateApiToken')
        .describe('Revoke the named API token and issue a new value under the same name'),
      name: z.string().describe('The API token to rotate, by name'),
      token: z.string().min(1).optional().describe('The new value; generated when absent'),
    })
    .describe('Revoke the named token and issue a new value under the same name'),
  z
    .strictObject({
      action: z.literal('okta.revokeUserTokens').describe('Revoke the OIDC tokens of a user'),
      login,
    })
    .describe('Revoke every OIDC access and refresh token of a user'),
  z
    .strictObject({
      action: z.literal('okta.rotateKeys').describe("Rotate an authorization server's signing key"),
      authorizationServer: z.string().default('default').describe('A custom server id, or org'),
    })
    .describe('A new signing key for an authorization server; the previous one stays published'),
  z.strictObject({ action: z.literal('apigee.revokeApp').describe('Revoke a developer app'), app }),
  z.strictObject({ action: z.literal('apigee.approveApp').describe('Approve a developer app'), app }),
  z.strictObject({
    action: z.literal('apigee.revokeKey').describe("Revoke an app's key (consumer key)"),
    key,
  }),
  z.strictObject({ action: z.literal('apigee.approveKey').describe("Approve an app's key"), key }),
  z.strictObject({
    action: z.literal('apigee.revokeKeyProduct').describe('Revoke an API product on a key'),
    key,
    product,
  }),
  z.strictObject({
    action: z.literal('apigee.approveKeyProduct').describe('Approve an API product on a key'),
    key,
    product,
  }),
  z.strictObject({
    action: z.literal('apigee.setDeveloperStatus').describe('Set a developer active or inactive'),
    developer: z.email().describe("The developer's email"),
    status,
  }),
  z.strictObject({
    action: z.literal('apigee.invalidateToken').describe('InvalidateToken, as the proxy policy does'),
    token: z.string().describe('The token value'),
    type: z
      .enum(['accesstoken', 'refreshtoken'])
      .default('accesstoken')
      .describe('Which kind of token it is'),
    cascade: z.boolean().default(true).describe('Also act on its pair (the refresh or access token)'),
  }),
  z.strictObject({
    action: z
      .literal('apigee.validateToken')
      .describe('ValidateToken (re-approve), as the proxy policy does'),
    token: z.string().describe('The token value'),
    type: z
      .enum(['accesstoken', 'refreshtoken'])
      .default('accesstoken')
      .describe('Which kind of token it is'),
    cascade: z.boolean().default(true).describe('Also act on its pair (the refresh or access token)'),
  }),
  z
    .strictObject({
      action: z.literal('apigee.revokeAll').describe('RevokeOAuthV2: revoke tokens by app or end user'),
      app: z.string().optional().describe('App name'),
      endUser: z.string().optional().describe('app_enduser of the tokens'),
      before: z.number().int().optional().describe('Epoch ms'),
      cascade: z.boolean().default(false).describe('Also revoke the paired tokens'),
    })
    .describe('RevokeOAuthV2'),
]);

export type Action = z.output<typeof ActionSchema>;

export const TimelineEntrySchema = z.strictObject({
  at: duration.describe('When, after the clock start'),
  do: ActionSchema.describe('The action'),
});

const [firstAction, ...otherActions] = ActionSchema.options;

/** The names of every action: a non-empty list, as `z.enum` takes. */
export const ACTION_NAMES: [Action['action'], ...Action['action'][]] = [
  firstAction.shape.action.value,
  ...otherActions.map((option) => option.shape.action.value),
];
