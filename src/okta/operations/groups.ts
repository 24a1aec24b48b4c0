import { z } from 'zod';
import { jsonResponse } from '../../http/exchange.ts';
import {
  assignUserToGroup,
  createGroup,
  deleteGroup,
  groupNamed,
  listGroups,
  listGroupUsers,
  replaceGroup,
  unassignUserFromGroup,
} from '../domain/groups.ts';
import { userNamed } from '../domain/users.ts';
import { readJson } from '../http/request.ts';
import { groupBody, userBody } from '../http/wire.ts';
import { admitAdmin, noContent, pageOfQuery, pageResponse, queryText, text } from './admin.ts';
import { oktaOperation } from './define.ts';

/**
 * The Groups API (`/api/v1/groups`, docs/fidelity/okta.md#okta-admin-groups) over the org's groups: the
 * membership it edits is what `users[].groups` sets up and the `groups` claim reads.
 */

/** A group body; okta-sdk-nodejs sends a group back whole on replace, so unknown fields are ignored. */
const GroupBody = z.object({
  profile: z.object({ name: text, description: z.string().nullish() }).nullish(),
});

const membership = <const Name extends string>(
  name: Name,
  method: 'PUT' | 'DELETE',
  summary: string,
  act: typeof assignUserToGroup,
) =>
  oktaOperation({
    name,
    method,
    path: '/api/v1/groups/:groupId/users/:userId',
    summary,
    input(call) {
      admitAdmin(call);
      return call.params;
    },
    principal: (params, call) => call.org.users.resolve(params.userId)?.login,
    run(params, call) {
      const group = groupNamed(call.org, params.groupId);
      const user = userNamed(call.org, params.userId);
      act(call.org, group, user);
      return user;
    },
    answer: (user) => ({ response: noContent(), principal: user.login }),
  });

export const GROUP_OPERATIONS = [
  oktaOperation({
    name: 'createGroup',
    method: 'POST',
    path: '/api/v1/groups',
    summary: 'Create an OKTA_GROUP',
    bucket: 'groups',
    input(call) {
      admitAdmin(call);
      return readJson(call.request, GroupBody);
    },
    run: (body, call) =>
      createGroup(call.org, { name: body.profile?.name, description: body.profile?.description }),
    answer: (group, call) => ({ response: jsonResponse(groupBody(group, call.base)) }),
  }),
  oktaOperation({
    name: 'listGroups',
    method: 'GET',
    path: '/api/v1/groups',
    summary: 'List groups: all, q, filter or search; paged by limit and after',
    bucket: 'groups',
    input(call) {
      admitAdmin(call);
      const q = queryText(call.url, 'q');
      const search = queryText(call.url, 'search');
      const filter = queryText(call.url, 'filter');
      const plainQ = q !== undefined && search === undefined && filter === undefined;
      return {
        q,
        search,
        filter,
        page: pageOfQuery(call.url, plainQ ? { default: 300, max: 10_000 } : { default: 200, max: 10_000 }),
      };
    },
    run: (query, call) => ({ page: listGroups(call.org, query), limit: query.page.limit }),
    answer: ({ page, limit }, call) => ({
      response: pageResponse(page, limit, call.url, (group) => groupBody(group, call.base)),
    }),
  }),
  oktaOperation({
    name: 'getGroup',
    method: 'GET',
    path: '/api/v1/groups/:groupId',
    summary: 'A group by id',
    bucket: 'group',
    input(call) {
      admitAdmin(call);
      return call.params.groupId;
    },
    run: (id, call) => groupNamed(call.org, id),
    answer: (group, call) => ({ response: jsonResponse(groupBody(group, call.base)) }),
  }),
  oktaOperation({
    name: 'replaceGroup',
    method: 'PUT',
    path: '/api/v1/groups/:groupId',
    summary: "Replace an OKTA_GROUP's profile",
    bucket: 'group',
    input(call) {
      admitAdmin(call);
      return { id: call.params.groupId, body: readJson(call.request, GroupBody) };
    },
    run: ({ id, body }, call) =>
      replaceGroup(call.org, groupNamed(call.org, id), {
        name: body.profile?.name,
        description: body.profile?.description,
      }),
    answer: (group, call) => ({ response: jsonResponse(groupBody(group, call.base)) }),
  }),
  oktaOperation({
    name: 'deleteGroup',
    method: 'DELETE',
    path: '/api/v1/groups/:groupId',
    summary: 'Delete an OKTA_GROUP',
    bucket: 'group',
    input(call) {
      admitAdmin(call);
      return call.params.groupId;
    },
    run: (id, call) => deleteGroup(call.org, groupNamed(call.org, id)),
    answer: () => ({ response: noContent(), outcome: 'deleted' }),
  }),
  oktaOperation({
    name: 'listGroupUsers',
    method: 'GET',
    path: '/api/v1/groups/:groupId/users',
    summary: "A group's members, paged by limit and after",
    input(call) {
      admitAdmin(call);
      return { id: call.params.groupId, page: pageOfQuery(call.url, { default: 1000, max: 1000 }) };
    },
    run: ({ id, page }, call) => ({
      page: listGroupUsers(call.org, groupNamed(call.org, id), page),
      limit: page.limit,
    }),
    answer: ({ page, limit }, call) => ({
      response: pageResponse(page, limit, call.url, (user) => userBody(call.org, user, call.base, 'self')),
    }),
  }),
  membership('assignUserToGroup', 'PUT', 'Add a user to an OKTA_GROUP', assignUserToGroup),
  membership('unassignUserFromGroup', 'DELETE', 'Remove a user from an OKTA_GROUP', unassignUserFromGroup),
] as const;
