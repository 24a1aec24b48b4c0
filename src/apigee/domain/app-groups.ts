import { appGroupOwner } from './app-registry.ts';
import { checkedAttributes, touch } from './attributes.ts';
import { badManagementRequest, managementError } from './errors.ts';
import { appGroupOf } from './management.ts';
import type { AppGroup, Attribute } from './model.ts';
import type { ApigeeOrg } from './org.ts';

/**
 * Apigee X app groups (docs/fidelity/apigee.md#apigee-app-groups): create, replace, delete and the
 * `active`/`inactive` status. Their apps and keys are the developer apps' rules with a group as owner
 * (`management.ts`).
 */

/** Letters, digits and `. _ - $ %` and space, as X's AppGroup name allows (docs/fidelity/apigee.md#apigee-app-groups). */
const GROUP_NAME = /^[A-Za-z0-9 ._$%-]+$/;
const MAX_GROUP_NAME = 100;
const MAX_TEXT = 4096;

export interface AppGroupInput {
  name: string | undefined;
  displayName: string | undefined;
  channelUri: string | undefined;
  channelId: string | undefined;
  status: string | undefined;
  attributes: readonly (Attribute | null)[] | undefined;
}

export function createAppGroup(org: ApigeeOrg, input: AppGroupInput, by: string): AppGroup {
  const name = input.name ?? '';
  if (name === '' || name.length > MAX_GROUP_NAME || !GROUP_NAME.test(name)) {
    throw badManagementRequest(`Invalid app group name ${JSON.stringify(name)}`, [
      { field: 'name', description: `1 to ${MAX_GROUP_NAME} letters, digits, spaces and . _ - $ %` },
    ]);
  }
  const fields = checkedFields(input, 'active');
  if (org.appGroups.has(name)) {
    throw managementError('AppGroupAlreadyExists', [name, org.config.organization]);
  }
  const now = org.now();
  const group: AppGroup = {
    appGroupId: org.ids.faker.string.uuid(),
    name,
    ...fields,
    displayName: input.displayName || name,
    createdAt: now,
    lastModifiedAt: now,
    createdBy: by,
    lastModifiedBy: by,
  };
  org.appGroups.set(name, group);
  return group;
}

/** `PUT /appgroups/{g}`: the group replaced (its name cannot change). */
export function updateAppGroup(org: ApigeeOrg, name: string, input: AppGroupInput, by: string): AppGroup {
  const group = appGroupOf(org, name);
  if (input.name !== undefined && input.name !== name) {
    throw badManagementRequest(`The name of app group ${name} cannot be changed to ${input.name}`);
  }
  const fields = checkedFields(input, group.status);
  Object.assign(group, fields, { displayName: input.displayName || group.displayName });
  touch(group, org.now(), by);
  return group;
}

/** `PUT /appgroups/{g}?action=active|inactive`: only the status changes. */
export function setAppGroupStatus(org: ApigeeOrg, name: string, action: string | null, by: string) {
  const group = appGroupOf(org, name);
  if (action !== 'active' && action !== 'inactive') {
    throw badManagementRequest(`Invalid action "${action ?? ''}": expected active or inactive`);
  }
  group.status = action;
  touch(group, org.now(), by);
  return group;
}

/** `DELETE /appgroups/{g}`: the group, with its apps and their keys. */
export function deleteAppGroup(org: ApigeeOrg, name: string): AppGroup {
  const group = appGroupOf(org, name);
  for (const app of org.apps.ofOwner(appGroupOwner(name))) org.apps.remove(app);
  org.appGroups.delete(name);
  return group;
}

function checkedFields(
  input: AppGroupInput,
  status: AppGroup['status'],
): Pick<AppGroup, 'channelUri' | 'channelId' | 'status' | 'attributes'> {
  if (input.status !== undefined && input.status !== 'active' && input.status !== 'inactive') {
    throw badManagementRequest(`Invalid status ${JSON.stringify(input.status)}: active or inactive`);
  }
  for (const [field, value] of [
    ['displayName', input.displayName],
    ['channelUri', input.channelUri],
    ['channelId', input.channelId],
  ] as const) {
    if (value !== undefined && value.length > MAX_TEXT) {
      throw badManagementRequest(`${field} is longer than ${MAX_TEXT} characters`);
    }
  }
  return {
    channelUri: input.channelUri ?? '',
    channelId: input.channelId ?? '',
    status: input.status === 'active' || input.status === 'inactive' ? input.status : status,
    attributes: checkedAttributes(input.attributes),
  };
}
