import { z } from 'zod';
import type { Call } from '../../http/operation.ts';
import { createAppGroup, deleteAppGroup, setAppGroupStatus, updateAppGroup } from '../domain/app-groups.ts';
import { appGroupOf } from '../domain/management.ts';
import type { AppGroup } from '../domain/model.ts';
import { appGroupBody } from '../http/management-wire.ts';
import {
  action,
  actor,
  attributeList,
  count,
  type ManagementContext,
  type ManagementOperation,
  management,
  ORG,
  optional,
  page,
  query,
  readBody,
  text,
} from './management-define.ts';

/**
 * Apigee X app groups (docs/fidelity/apigee.md#apigee-app-groups): create, list (`{"appGroups":[...]}` with
 * `pageSize` / `pageToken`), read, replace, `?action=active|inactive`, delete. Their apps and keys are in
 * `management-apps.ts`. Edge has companies instead, which the simulator does not play.
 */

const GROUPS = `${ORG}/appgroups`;
const GROUP = `${GROUPS}/:appgroup`;

const groupSchema = z.object({
  name: optional(z.string().max(1000)),
  displayName: optional(text),
  channelUri: optional(text),
  channelId: optional(text),
  status: optional(z.string().max(100)),
  attributes: optional(attributeList),
});

const group = (call: Call<ManagementContext>) => appGroupOf(call.org.apigee, call.params.appgroup ?? '');

type GroupPut =
  | { kind: 'status'; action: string | null }
  | { kind: 'update'; input: z.output<typeof groupSchema> };

export const APP_GROUP_OPERATIONS: readonly ManagementOperation[] = [
  management({
    name: 'listAppGroups',
    method: 'GET',
    path: GROUPS,
    summary: "The organization's app groups (pageSize, pageToken)",
    dialects: ['x'],
    run: (_, call) => {
      const groups = [...call.org.apigee.appGroups.values()];
      const size = count(call, 'pageSize', 1000) ?? 1000;
      const selected = page(groups, (g: AppGroup) => g.name, query(call, 'pageToken'), size + 1);
      return {
        appGroups: selected.slice(0, size).map((g) => appGroupBody(call.org.apigee, g)),
        nextPageToken: selected[size]?.name,
        totalSize: groups.length,
      };
    },
    answer: (body) => ({ body }),
  }),
  management({
    name: 'createAppGroup',
    method: 'POST',
    path: GROUPS,
    summary: 'Create an app group',
    dialects: ['x'],
    input: (call) => readBody(call, groupSchema),
    run: (input, call) => createAppGroup(call.org.apigee, input, actor(call)),
    answer: (created, call) => ({
      status: 201,
      body: appGroupBody(call.org.apigee, created),
      principal: created.name,
    }),
  }),
  management({
    name: 'getAppGroup',
    method: 'GET',
    path: GROUP,
    summary: 'An app group',
    dialects: ['x'],
    run: (_, call) => group(call),
    answer: (found, call) => ({ body: appGroupBody(call.org.apigee, found) }),
  }),
  management({
    name: 'updateAppGroup',
    method: 'PUT',
    path: GROUP,
    summary: 'Replace an app group, or with ?action=active|inactive set its status',
    dialects: ['x'],
    variants: {
      names: ['updateAppGroup', 'setAppGroupStatus'],
      pick: (input: GroupPut) => (input.kind === 'status' ? 'setAppGroupStatus' : 'updateAppGroup'),
    },
    input: (call): GroupPut =>
      action(call) !== null
        ? { kind: 'status', action: action(call) }
        : { kind: 'update', input: readBody(call, groupSchema) },
    run: (input, call) =>
      input.kind === 'status'
        ? setAppGroupStatus(call.org.apigee, call.params.appgroup, input.action, actor(call))
        : updateAppGroup(call.org.apigee, call.params.appgroup, input.input, actor(call)),
    answer: (updated, call) => ({ body: appGroupBody(call.org.apigee, updated), outcome: updated.status }),
  }),
  management({
    name: 'deleteAppGroup',
    method: 'DELETE',
    path: GROUP,
    summary: 'Delete an app group with its apps and keys; answers the group',
    dialects: ['x'],
    run: (_, call) => deleteAppGroup(call.org.apigee, call.params.appgroup),
    answer: (deleted, call) => ({ body: appGroupBody(call.org.apigee, deleted) }),
  }),
];
