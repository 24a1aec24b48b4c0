import { jsonResponse } from '../../http/exchange.ts';
import { activeApiTokens, apiTokenById, currentApiToken, revokeApiToken } from '../domain/api-tokens.ts';
import { apiCredential } from '../http/request.ts';
import { apiTokenBody } from '../http/wire.ts';
import { admitAdmin, noContent } from './admin.ts';
import { oktaOperation } from './define.ts';
import { sidOf } from './sessions.ts';

/**
 * The API tokens API (`/api/v1/api-tokens`, docs/fidelity/okta.md#okta-admin-api-tokens): token metadata,
 * never a secret, and revocation, after which the token answers 401 E0000011 everywhere.
 */
export const API_TOKEN_OPERATIONS = [
  oktaOperation({
    name: 'listApiTokens',
    method: 'GET',
    path: '/api/v1/api-tokens',
    summary: 'The active API tokens (metadata)',
    input: admitAdmin,
    run: (_, call) => activeApiTokens(call.org),
    answer: (tokens, call) => ({
      response: jsonResponse(tokens.map((token) => apiTokenBody(call.org, token, call.base))),
    }),
  }),
  oktaOperation({
    name: 'revokeCurrentApiToken',
    method: 'DELETE',
    path: '/api/v1/api-tokens/current',
    summary: 'Revoke the API token of the call',
    input: (call) => currentApiToken(call.org, apiCredential(call.request), sidOf(call)),
    principal: (token) => token.name,
    run: (token, call) => revokeApiToken(call.org, token),
    answer: () => ({ response: noContent(), outcome: 'revoked' }),
  }),
  oktaOperation({
    name: 'getApiToken',
    method: 'GET',
    path: '/api/v1/api-tokens/:apiTokenId',
    summary: "An active API token's metadata",
    input(call) {
      admitAdmin(call);
      return call.params.apiTokenId;
    },
    run: (id, call) => apiTokenById(call.org, id),
    answer: (token, call) => ({ response: jsonResponse(apiTokenBody(call.org, token, call.base)) }),
  }),
  oktaOperation({
    name: 'revokeApiToken',
    method: 'DELETE',
    path: '/api/v1/api-tokens/:apiTokenId',
    summary: 'Revoke an API token by id',
    input(call) {
      admitAdmin(call);
      return call.params.apiTokenId;
    },
    run: (id, call) => revokeApiToken(call.org, apiTokenById(call.org, id)),
    answer: () => ({ response: noContent(), outcome: 'revoked' }),
  }),
] as const;
