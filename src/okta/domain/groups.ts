import { OktaError, resourceNotFound, validationFailed } from './errors.ts';
import type { Group, User } from './model.ts';
import type { OktaOrg } from './org.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';
import { type Dialect, matches, type Operator, parseExpression } from './search.ts';
import { addMember } from './users.ts';

/**
 * The Groups API's rules (docs/fidelity/okta.md#okta-admin-groups): OKTA_GROUPs are made, renamed, deleted
 * and given members here; the built-in Everyone holds every user and cannot be edited. Membership is what the
 * `groups` claim of tokens reads (`org.groups.of(userId)`).
 */

/** Bounds on a group's profile (docs/fidelity/okta.md#okta-admin-input-bounds). */
export const GROUP_LIMITS = { name: 255, description: 1024 } as const;

export interface GroupProfileInput {
  name: string | undefined;
  description: string | undefined | null;
}

/** `POST /api/v1/groups`: a new OKTA_GROUP; a missing or taken name is 400 E0000001. */
export function createGroup(org: OktaOrg, input: GroupProfileInput): Group {
  const { name, description } = checkedProfile(org, input, undefined);
  const now = org.now();
  const group: Group = {
    id: `00g${org.ids.chars(17)}`,
    type: 'OKTA_GROUP',
    name,
    description,
    created: now,
    lastUpdated: now,
    lastMembershipUpdated: now,
    members: new Set(),
  };
  org.groups.add(group);
  return group;
}

/** `PUT /api/v1/groups/{id}`: a new profile for an OKTA_GROUP; Everyone is 403 E0000006. */
export function replaceGroup(org: OktaOrg, group: Group, input: GroupProfileInput): Group {
  editable(group);
  const { name, description } = checkedProfile(org, input, group);
  if (name !== group.name) org.groups.rename(group, name);
  group.description = description;
  group.lastUpdated = org.now();
  return group;
}

/** `DELETE /api/v1/groups/{id}`; Everyone is 403 E0000006. */
export function deleteGroup(org: OktaOrg, group: Group): void {
  editable(group);
  org.groups.delete(group);
}

/** `PUT /api/v1/groups/{gid}/users/{uid}`: idempotent. */
export function assignUserToGroup(org: OktaOrg, group: Group, user: User): void {
  editable(group);
  addMember(org, group, user);
}

/** `DELETE /api/v1/groups/{gid}/users/{uid}`: idempotent. */
export function unassignUserFromGroup(org: OktaOrg, group: Group, user: User): void {
  editable(group);
  if (group.members.delete(user.id)) group.lastMembershipUpdated = org.now();
}

/** The group `{groupId}` names, or 404 E0000007 (docs/fidelity/okta.md#okta-admin-groups). */
export function groupNamed(org: OktaOrg, id: string): Group {
  const group = org.groups.get(id);
  if (!group) throw resourceNotFound(id, 'UserGroup');
  return group;
}

/** What `GET /api/v1/groups` was asked (docs/fidelity/okta.md#okta-admin-list-groups). */
export interface GroupQuery {
  q: string | undefined;
  filter: string | undefined;
  search: string | undefined;
  page: PageRequest;
}

/**
 * `GET /api/v1/groups`: every group in the order made; `q` a prefix of the name (one page at most),
 * `filter` and `search` expressions.
 */
export function listGroups(org: OktaOrg, query: GroupQuery): Page<Group> {
  const all = [...org.groups.values()];
  if (query.search !== undefined || query.filter !== undefined) {
    const dialect = query.search !== undefined ? GROUP_SEARCH : GROUP_FILTER;
    const expression = parseExpression(query.search ?? query.filter ?? '', dialect);
    const found = all.filter((group) => matches(expression, groupAttribute(group), dialect));
    return pageOf(
      found,
      query.page,
      (group) => group.id,
      (id) => org.groups.position(id),
    );
  }
  if (query.q !== undefined) {
    const prefix = query.q.toLowerCase();
    const found = all.filter((group) => group.name.toLowerCase().startsWith(prefix));
    return { items: found.slice(0, query.page.limit), next: undefined };
  }
  return pageOf(
    all,
    query.page,
    (group) => group.id,
    (id) => org.groups.position(id),
  );
}

/** `GET /api/v1/groups/{id}/users`: the members, in the order the users were made. */
export function listGroupUsers(org: OktaOrg, group: Group, page: PageRequest): Page<User> {
  const members = [...org.users.values()].filter((user) => group.members.has(user.id));
  return pageOf(
    members,
    page,
    (user) => user.id,
    (id) => org.users.position(id),
  );
}

const DATES = new Set(['created', 'lastUpdated', 'lastMembershipUpdated']);
const ORDERED: readonly Operator[] = ['eq', 'gt', 'ge', 'lt', 'le'];

/** The Groups API's `filter`: `id` and `type` by `eq`, the dates by comparisons. */
const GROUP_FILTER: Dialect = {
  name: 'filter',
  operators: (attribute) =>
    attribute === 'id' || attribute === 'type'
      ? ['eq']
      : attribute === 'lastUpdated' || attribute === 'lastMembershipUpdated'
        ? ORDERED
        : undefined,
  allowsNot: false,
  ignoreCase: false,
  isDate: (attribute) => DATES.has(attribute),
};

const SEARCH_OPERATORS: readonly Operator[] = ['eq', 'sw', 'gt', 'ge', 'lt', 'le', 'pr'];

/** The Groups API's `search`: profile attributes, `id`, `type`, `source.id` and the dates; `co` on name and description. */
const GROUP_SEARCH: Dialect = {
  name: 'search',
  operators(attribute) {
    if (attribute === 'profile.name' || attribute === 'profile.description')
      return [...SEARCH_OPERATORS, 'co'];
    if (attribute.startsWith('profile.') || ['id', 'type', 'source.id'].includes(attribute))
      return SEARCH_OPERATORS;
    if (DATES.has(attribute)) return [...ORDERED, 'pr'];
    return undefined;
  },
  allowsNot: true,
  ignoreCase: true,
  isDate: (attribute) => DATES.has(attribute),
};

function groupAttribute(group: Group): (attribute: string) => unknown {
  return (attribute) => {
    switch (attribute) {
      case 'id':
        return group.id;
      case 'type':
        return group.type;
      case 'created':
        return group.created;
      case 'lastUpdated':
        return group.lastUpdated;
      case 'lastMembershipUpdated':
        return group.lastMembershipUpdated;
      case 'profile.name':
        return group.name;
      case 'profile.description':
        return group.description;
      default:
        return undefined;
    }
  };
}

/** Only OKTA_GROUPs change; editing Everyone is 403 E0000006 (docs/fidelity/okta.md#okta-admin-groups). */
function editable(group: Group): void {
  if (group.type !== 'OKTA_GROUP') {
    throw new OktaError('E0000006', { detail: `the ${group.type} group ${group.name} cannot be changed` });
  }
}

function checkedProfile(
  org: OktaOrg,
  input: GroupProfileInput,
  current: Group | undefined,
): { name: string; description: string | undefined } {
  const causes: string[] = [];
  const name = input.name?.trim() ?? '';
  if (name === '') causes.push('name: The field cannot be left blank');
  else if (name.length > GROUP_LIMITS.name)
    causes.push(`name: size must be between 1 and ${GROUP_LIMITS.name}`);
  else {
    const holder = org.groups.named(name);
    if (holder && holder.id !== current?.id) {
      causes.push('name: An object with this field already exists in the current organization');
    }
  }
  const description = input.description ?? undefined;
  if (description !== undefined && description.length > GROUP_LIMITS.description) {
    causes.push(`description: size must be between 0 and ${GROUP_LIMITS.description}`);
  }
  if (causes.length > 0)
    throw validationFailed(causes[0]?.startsWith('name') ? 'name' : 'description', causes);
  return { name, description };
}
