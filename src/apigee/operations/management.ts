import { z } from 'zod';
import type { Call } from '../../http/operation.ts';
import {
  createDeveloper,
  deleteDeveloper,
  findDeveloper,
  setDeveloperStatus,
  updateDeveloper,
} from '../domain/management.ts';
import type { Developer } from '../domain/model.ts';
import { developerBody, organizationBody } from '../http/management-wire.ts';
import { APP_GROUP_OPERATIONS } from './management-app-groups.ts';
import { APP_GROUP_APP_OPERATIONS, DEVELOPER_APP_OPERATIONS, ORG_APP_OPERATIONS } from './management-apps.ts';
import { attributeOperations } from './management-attributes.ts';
import {
  action,
  actor,
  attributeList,
  count,
  flag,
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
import { PRODUCT_OPERATIONS } from './management-products.ts';
import { TOKEN_ADMIN_OPERATIONS } from './management-tokens.ts';

/**
 * Apigee's management API (docs/apigee-management.md): the organization, developers, their apps and keys, API
 * products, the organization's apps, app groups (X) and OAuth token administration (Edge), in the Apigee X
 * (`apigee.googleapis.com`) and Apigee Edge (`api.enterprise.apigee.com`) dialects
 * (docs/fidelity/apigee.md#apigee-management).
 */

const DEVELOPERS = `${ORG}/developers`;
const DEVELOPER = `${DEVELOPERS}/:developer`;

const developerBodySchema = z.object({
  email: z.string().max(1000),
  firstName: text,
  lastName: text,
  userName: text,
  attributes: optional(attributeList),
});

const developerUpdateSchema = developerBodySchema.extend({
  email: z
    .string()
    .max(1000)
    .nullish()
    .transform((v) => v ?? undefined),
});

const developer = (call: Call<ManagementContext>) =>
  findDeveloper(call.org.apigee, call.params.developer ?? '');

/**
 * X `{"developer":[{"email"}]}`, Edge the emails; `expand=true` whole developers; sorted by email, from
 * `startKey` (inclusive), `count` of them; X's `ids` and both dialects' `app` filters
 * (docs/fidelity/apigee.md#apigee-management-lists).
 */
function developerList(call: Call<ManagementContext>): unknown {
  const { apigee, dialect } = call.org;
  const ids = dialect === 'x' ? query(call, 'ids')?.split(',').filter(Boolean) : undefined;
  const app = query(call, 'app');
  const candidates = [...apigee.developers.values()].filter(
    (d: Developer) =>
      (ids === undefined || ids.includes(d.developerId)) &&
      (app === null || apigee.apps.ofOwner(d.developerId).some((a) => a.name === app)),
  );
  const expand = flag(call, 'expand');
  const selected = page(
    candidates,
    (d) => d.email.toLowerCase(),
    query(call, 'startKey')?.toLowerCase() ?? null,
    count(call, 'count', 1000),
  );
  if (expand) return { developer: selected.map((d) => developerBody(apigee, dialect, d)) };
  return dialect === 'x'
    ? { developer: selected.map((d) => ({ email: d.email })) }
    : selected.map((d) => d.email);
}

const ORGANIZATION_OPERATIONS = [
  management({
    name: 'getOrganization',
    method: 'GET',
    path: ORG,
    summary: 'The organization, with its properties',
    // apigee-edge-js asks for `/v1/organizations/{org}/` when it connects with Basic credentials.
    aliases: [{ method: 'GET', path: `${ORG}/` }],
    run: (_, call) => call.org.apigee,
    answer: (org, call) => ({ body: organizationBody(org, call.org.dialect) }),
  }),
];

const DEVELOPER_OPERATIONS = [
  management({
    name: 'listDevelopers',
    method: 'GET',
    path: DEVELOPERS,
    summary: "The organization's developers (?expand=true for whole developers; count, startKey)",
    run: (_, call) => developerList(call),
    answer: (body) => ({ body }),
  }),
  management({
    name: 'createDeveloper',
    method: 'POST',
    path: DEVELOPERS,
    summary: 'Create a developer (active)',
    input: (call) => readBody(call, developerBodySchema),
    run: (input, call) => createDeveloper(call.org.apigee, input, actor(call), call.org.dialect),
    answer: (created, call) => ({
      status: 201,
      body: developerBody(call.org.apigee, call.org.dialect, created),
      principal: created.email,
    }),
  }),
  management({
    name: 'getDeveloper',
    method: 'GET',
    path: DEVELOPER,
    summary: 'A developer by email or id',
    run: (_, call) => developer(call),
    answer: (found, call) => ({ body: developerBody(call.org.apigee, call.org.dialect, found) }),
  }),
  management({
    name: 'updateDeveloper',
    method: 'PUT',
    path: DEVELOPER,
    summary: "Replace a developer's profile and attributes",
    input: (call) => readBody(call, developerUpdateSchema),
    run: (input, call) =>
      updateDeveloper(call.org.apigee, call.params.developer, input, actor(call), call.org.dialect),
    answer: (updated, call) => ({ body: developerBody(call.org.apigee, call.org.dialect, updated) }),
  }),
  management({
    name: 'deleteDeveloper',
    method: 'DELETE',
    path: DEVELOPER,
    summary: 'Delete a developer with its apps and keys; answers the developer',
    run: (_, call) => {
      // The answer lists the apps the developer had: written before they go.
      const found = developer(call);
      const body = developerBody(call.org.apigee, call.org.dialect, found);
      deleteDeveloper(call.org.apigee, found.developerId);
      return body;
    },
    answer: (body) => ({ body }),
  }),
  management({
    name: 'setDeveloperStatus',
    method: 'POST',
    path: DEVELOPER,
    summary: 'Set a developer active or inactive (?action=)',
    run: (_, call) => setDeveloperStatus(call.org.apigee, call.params.developer, action(call), actor(call)),
    answer: (updated) => ({ outcome: updated.status }),
  }),
  ...attributeOperations(
    DEVELOPER,
    'a developer',
    {
      list: 'listDeveloperAttributes',
      replace: 'updateDeveloperAttributes',
      get: 'getDeveloperAttribute',
      update: 'updateDeveloperAttribute',
      remove: 'deleteDeveloperAttribute',
    },
    developer,
  ),
];

/** Every management operation, each serving the dialects it names. */
export const MANAGEMENT_OPERATIONS: readonly ManagementOperation[] = [
  ...ORGANIZATION_OPERATIONS,
  ...DEVELOPER_OPERATIONS,
  ...DEVELOPER_APP_OPERATIONS,
  ...ORG_APP_OPERATIONS,
  ...PRODUCT_OPERATIONS,
  ...APP_GROUP_OPERATIONS,
  ...APP_GROUP_APP_OPERATIONS,
  ...TOKEN_ADMIN_OPERATIONS,
];
