import { z } from 'zod';
import {
  accessTokenOf,
  deleteAccessToken,
  revokeTokens,
  searchTokens,
  setAccessTokenStatus,
  setRefreshTokenStatus,
  updateAccessToken,
} from '../domain/token-admin.ts';
import { accessTokenBody } from '../http/management-wire.ts';
import {
  action,
  attributeList,
  flag,
  hasBody,
  type ManagementOperation,
  management,
  ORG,
  optional,
  query,
  readBody,
  text,
} from './management-define.ts';

/**
 * Apigee Edge's OAuth 2.0 token administration (docs/fidelity/apigee.md#apigee-edge-token-admin): look up,
 * approve, revoke, update and delete an access token, approve or revoke a refresh token, revoke and search the
 * tokens of an app or an end user. Apigee X has none of these paths (its answer is 404).
 */

const ACCESS_TOKEN = `${ORG}/oauth2/accesstokens/:token`;

const tokenUpdateSchema = z.object({
  attributes: optional(attributeList),
  scope: optional(text),
});

type TokenPost =
  | { kind: 'status'; action: string | null; cascade: boolean }
  | { kind: 'update'; update: z.output<typeof tokenUpdateSchema> };

export const TOKEN_ADMIN_OPERATIONS: readonly ManagementOperation[] = [
  management({
    name: 'getOAuth2AccessToken',
    method: 'GET',
    path: ACCESS_TOKEN,
    summary: 'An access token: app, products, scope, status, times (Edge)',
    dialects: ['edge'],
    run: (_, call) => accessTokenOf(call.org.apigee, call.params.token),
    answer: (token, call) => ({ body: accessTokenBody(call.org.apigee, token), principal: token.clientId }),
  }),
  management({
    name: 'updateOAuth2AccessToken',
    method: 'POST',
    path: ACCESS_TOKEN,
    summary:
      'Approve or revoke an access token (?action=, &cascade=true for its refresh token), or update its attributes and scope (Edge)',
    dialects: ['edge'],
    variants: {
      names: ['updateOAuth2AccessToken', 'setOAuth2AccessTokenStatus'],
      pick: (input: TokenPost) =>
        input.kind === 'status' ? 'setOAuth2AccessTokenStatus' : 'updateOAuth2AccessToken',
    },
    input: (call): TokenPost =>
      action(call) !== null || !hasBody(call)
        ? { kind: 'status', action: action(call), cascade: flag(call, 'cascade') }
        : { kind: 'update', update: readBody(call, tokenUpdateSchema) },
    run: (input, call) =>
      input.kind === 'status'
        ? {
            token: setAccessTokenStatus(call.org.apigee, call.params.token, input.action, input.cascade),
            body: false,
          }
        : { token: updateAccessToken(call.org.apigee, call.params.token, input.update), body: true },
    answer: ({ token, body }, call) =>
      body
        ? { body: accessTokenBody(call.org.apigee, token), principal: token.clientId }
        : { outcome: token.status, principal: token.clientId },
  }),
  management({
    name: 'deleteOAuth2AccessToken',
    method: 'DELETE',
    path: ACCESS_TOKEN,
    summary: 'Delete an access token; answers it (Edge)',
    dialects: ['edge'],
    run: (_, call) => deleteAccessToken(call.org.apigee, call.params.token),
    answer: (token, call) => ({ body: accessTokenBody(call.org.apigee, token), principal: token.clientId }),
  }),
  management({
    name: 'setOAuth2RefreshTokenStatus',
    method: 'POST',
    path: `${ORG}/oauth2/refreshtokens/:token`,
    summary: 'Approve or revoke a refresh token (?action=) (Edge)',
    dialects: ['edge'],
    run: (_, call) => setRefreshTokenStatus(call.org.apigee, call.params.token, action(call)),
    answer: (token) => ({ outcome: token.status, principal: token.clientId }),
  }),
  management({
    name: 'revokeOAuth2AccessTokens',
    method: 'POST',
    path: `${ORG}/oauth2/revoke`,
    summary: 'Revoke the access tokens of an app (?app=) or end user (?enduser=); 202 with the count (Edge)',
    dialects: ['edge'],
    run: (_, call) =>
      revokeTokens(call.org.apigee, {
        appId: query(call, 'app') || undefined,
        endUser: query(call, 'enduser') || undefined,
        cascade: flag(call, 'cascade'),
      }),
    answer: (revoked) => ({ status: 202, body: revoked, outcome: `revoked ${revoked}` }),
  }),
  management({
    name: 'searchOAuth2AccessTokens',
    method: 'GET',
    path: `${ORG}/oauth2/search`,
    summary:
      'The access tokens of an app (?app=) or end user (?enduser=), a page at a time (limit, start) (Edge)',
    dialects: ['edge'],
    run: (_, call) =>
      searchTokens(call.org.apigee, {
        appId: query(call, 'app') || undefined,
        endUser: query(call, 'enduser') || undefined,
        limit: query(call, 'limit'),
        start: query(call, 'start'),
      }),
    answer: (found, call) => ({
      body: {
        list: found.list,
        meta: {
          limit: found.limit,
          next: found.next,
          query: {
            ...(query(call, 'app') && { app: query(call, 'app') }),
            ...(query(call, 'enduser') && { endUser: query(call, 'enduser') }),
          },
          start: found.start,
          totalResults: found.totalResults,
        },
      },
    }),
  }),
];
