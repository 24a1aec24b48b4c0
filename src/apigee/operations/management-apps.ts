import { z } from 'zod';
import type { Call } from '../../http/operation.ts';
import type { ManagementDialect } from '../domain/config.ts';
import { badManagementRequest } from '../domain/errors.ts';
import {
  appGroupOf,
  appsOf,
  createApp,
  deleteApp,
  deleteAppById,
  deleteKey,
  appById as findAppById,
  findDeveloper,
  findOwnedApp,
  findOwnedKey,
  generateKeyPair,
  importKey,
  type Owner,
  removeKeyProduct,
  setOwnedAppStatus,
  setOwnedKeyProductStatus,
  setOwnedKeyStatus,
  statusOfAction,
  updateApp,
  updateKey,
} from '../domain/management.ts';
import type { App } from '../domain/model.ts';
import { appBody, keyBody } from '../http/management-wire.ts';
import { attributeOperations } from './management-attributes.ts';
import {
  action,
  actor,
  attributeList,
  count,
  flag,
  hasBody,
  integerField,
  MAX_LIST,
  type ManagementCall,
  type ManagementContext,
  type ManagementOperation,
  management,
  ORG,
  optional,
  page,
  query,
  readBody,
  text,
  textList,
} from './management-define.ts';

/**
 * Apps and their keys (docs/fidelity/apigee.md#apigee-app-create, docs/fidelity/apigee.md#apigee-key-import):
 * the same operations for a developer's apps (`/developers/{d}/apps`, both dialects) and an app group's
 * (`/appgroups/{g}/apps`, Apigee X), and the organization's `/apps`.
 */

const productNames = z.array(z.string().max(1000)).max(MAX_LIST);

const appCreateBody = z.object({
  name: z.string().max(1000),
  apiProducts: productNames.nullish().transform((v) => v ?? []),
  callbackUrl: optional(text),
  attributes: optional(attributeList),
  keyExpiresIn: optional(integerField),
  scopes: textList.nullish().transform((v) => v ?? []),
});

const appUpdateBody = z.object({
  name: z
    .string()
    .max(1000)
    .nullish()
    .transform((v) => v ?? undefined),
  apiProducts: optional(productNames),
  callbackUrl: optional(text),
  attributes: optional(attributeList),
});

const keyPairBody = z.object({
  apiProducts: productNames.nullish().transform((v) => v ?? []),
  attributes: optional(attributeList),
  callbackUrl: optional(text),
  keyExpiresIn: optional(integerField),
});

const keyImportBody = z.object({
  consumerKey: z.string().max(4096),
  consumerSecret: z
    .string()
    .max(4096)
    .nullish()
    .transform((v) => v ?? undefined),
  expiresInSeconds: optional(integerField),
  attributes: optional(attributeList),
  scopes: optional(textList),
});

const keyUpdateBody = z.object({
  apiProducts: optional(productNames),
  attributes: optional(attributeList),
  scopes: optional(textList),
});

/** Where an owner's apps live and how its operations are named. */
interface OwnerKind {
  /** `${ORG}/developers/:developer` or `${ORG}/appgroups/:appgroup`. */
  base: string;
  /** `Developer` or `AppGroup`, in operation names. */
  noun: string;
  /** `a developer's` / `an app group's`, in summaries. */
  whose: string;
  owner(call: Call<ManagementContext>): Owner;
  dialects: readonly ManagementDialect[];
  /** The list answer of the owner's apps. */
  list(apps: App[], call: Call<ManagementContext>): unknown;
  /** The method that approves or revokes an app (`?action=`): POST for developers, PUT for app groups. */
  statusMethod: 'POST' | 'PUT';
}

/** The app and key operations of one kind of owner. */
function appOperations(kind: OwnerKind): ManagementOperation[] {
  const { base, noun, whose, dialects } = kind;
  const APPS = `${base}/apps`;
  const APP = `${APPS}/:app`;
  const KEY = `${APP}/keys/:key`;
  const owner = (call: Call<ManagementContext>) => kind.owner(call);
  const appName = (call: Call<ManagementContext>) => call.params.app ?? '';
  const keyName = (call: Call<ManagementContext>) => call.params.key ?? '';
  const app = (call: Call<ManagementContext>) => findOwnedApp(call.org.apigee, owner(call), appName(call));
  const dialect = (call: Call<ManagementContext>) => call.org.dialect;
  const statusAction = {
    input: (call: Call<ManagementContext>) => statusOfAction(action(call)),
  };
  return [
    management({
      name: `list${noun}Apps`,
      method: 'GET',
      path: APPS,
      summary: `${capital(whose)} apps (?expand=true for whole apps)`,
      dialects,
      run: (_, call) => appsOf(call.org.apigee, owner(call)),
      answer: (apps, call) => ({ body: kind.list(apps, call) }),
    }),
    management({
      name: `create${noun}App`,
      method: 'POST',
      path: APPS,
      summary: `Create ${whose.replace(/'s$/, '')} app with one key holding its API products`,
      dialects,
      input: (call) => readBody(call, appCreateBody),
      run: (input, call) => createApp(call.org.apigee, owner(call), input, actor(call), dialect(call)),
      answer: (created, call) => ({
        status: 201,
        body: appBody(call.org.dialect, created),
        principal: `${created.developerEmail || created.appGroup}/${created.name}`,
      }),
    }),
    management({
      name: `get${noun}App`,
      method: 'GET',
      path: APP,
      summary: `${capital(whose)} app`,
      dialects,
      run: (_, call) => app(call),
      answer: (found, call) => ({ body: appBody(call.org.dialect, found) }),
    }),
    management({
      name: `update${noun}App`,
      method: 'PUT',
      path: APP,
      summary: `Replace ${whose} app's attributes and callback URL; new API products get a new key${kind.statusMethod === 'PUT' ? ' (?action=approve|revoke: its status)' : ''}`,
      dialects,
      ...(kind.statusMethod === 'PUT' && {
        variants: {
          names: [`update${noun}App`, `set${noun}AppStatus`],
          pick: (input: AppPut) => (input.kind === 'status' ? `set${noun}AppStatus` : `update${noun}App`),
        },
      }),
      input: (call): AppPut =>
        kind.statusMethod === 'PUT' && action(call) !== null
          ? { kind: 'status', status: statusOfAction(action(call)) }
          : { kind: 'update', update: readBody(call, appUpdateBody) },
      run: (input, call) =>
        input.kind === 'status'
          ? setOwnedAppStatus(call.org.apigee, owner(call), appName(call), input.status, actor(call))
          : updateApp(call.org.apigee, owner(call), appName(call), input.update, actor(call), dialect(call)),
      answer: (updated, call) => ({ body: appBody(call.org.dialect, updated), outcome: updated.status }),
    }),
    management({
      name: `delete${noun}App`,
      method: 'DELETE',
      path: APP,
      summary: `Delete ${whose} app and its keys; answers the app`,
      dialects,
      run: (_, call) => deleteApp(call.org.apigee, owner(call), appName(call)),
      answer: (deleted, call) => ({ body: appBody(call.org.dialect, deleted) }),
    }),
    ...(kind.statusMethod === 'POST'
      ? [
          management({
            name: `set${noun}AppStatus`,
            method: 'POST',
            path: APP,
            summary: `Approve or revoke ${whose} app (?action=), or generate a key pair (a JSON body)`,
            dialects,
            variants: {
              names: [`set${noun}AppStatus`, `generate${noun}AppKeyPair`],
              pick: (input: AppPost) =>
                input.kind === 'status' ? `set${noun}AppStatus` : `generate${noun}AppKeyPair`,
            },
            input: (call): AppPost =>
              action(call) !== null || !hasBody(call)
                ? { kind: 'status', status: statusOfAction(action(call)) }
                : { kind: 'keyPair', input: readBody(call, keyPairBody) },
            run: (input, call) =>
              input.kind === 'status'
                ? setOwnedAppStatus(call.org.apigee, owner(call), appName(call), input.status, actor(call))
                : generateKeyPair(
                    call.org.apigee,
                    owner(call),
                    appName(call),
                    input.input,
                    actor(call),
                    dialect(call),
                  ),
            answer: (updated, call) =>
              call.url.searchParams.has('action') || !hasBody(call)
                ? { outcome: updated.status }
                : { body: appBody(call.org.dialect, updated) },
          }),
        ]
      : []),
    ...attributeOperations(
      APP,
      `${whose} app`,
      {
        list: `list${noun}AppAttributes`,
        replace: `update${noun}AppAttributes`,
        get: `get${noun}AppAttribute`,
        update: `update${noun}AppAttribute`,
        remove: `delete${noun}AppAttribute`,
      },
      app,
      dialects,
    ),
    management({
      name: `create${noun}AppKey`,
      method: 'POST',
      path: `${APP}/keys/create`,
      summary: `Import a consumer key and secret into ${whose} app (no API products; add them with a key update)`,
      dialects,
      aliases: [{ method: 'POST', path: `${APP}/keys`, dialects: ['x'] }],
      input: (call) => readBody(call, keyImportBody),
      run: (input, call) =>
        importKey(call.org.apigee, owner(call), appName(call), input, actor(call), dialect(call)),
      answer: (key, call) => ({
        status: 201,
        body: keyBody(key, { withExpiry: call.org.dialect === 'x' }),
        principal: key.consumerKey,
      }),
    }),
    management({
      name: `get${noun}AppKey`,
      method: 'GET',
      path: KEY,
      summary: `A key of ${whose} app`,
      dialects,
      run: (_, call) => findOwnedKey(call.org.apigee, owner(call), appName(call), keyName(call)).key,
      answer: (key) => ({ body: keyBody(key) }),
    }),
    management({
      name: `delete${noun}AppKey`,
      method: 'DELETE',
      path: KEY,
      summary: `Delete a key of ${whose} app; answers the key`,
      dialects,
      run: (_, call) => deleteKey(call.org.apigee, owner(call), appName(call), keyName(call), actor(call)),
      answer: (key) => ({ body: keyBody(key) }),
    }),
    management({
      name: `update${noun}AppKey`,
      method: 'POST',
      path: KEY,
      summary: `Approve or revoke a key (?action=), or add API products and replace attributes or scopes (a JSON body)`,
      dialects,
      variants: {
        names: [`update${noun}AppKey`, `add${noun}AppKeyProducts`],
        pick: (input: KeyPost) =>
          input.kind === 'status' ? `update${noun}AppKey` : `add${noun}AppKeyProducts`,
      },
      input: (call): KeyPost =>
        action(call) !== null || !hasBody(call)
          ? { kind: 'status', status: statusOfAction(action(call)) }
          : { kind: 'update', update: readBody(call, keyUpdateBody) },
      run: (input, call) =>
        input.kind === 'status'
          ? setOwnedKeyStatus(
              call.org.apigee,
              owner(call),
              appName(call),
              keyName(call),
              input.status,
              actor(call),
            )
          : updateKey(call.org.apigee, owner(call), appName(call), keyName(call), input.update, actor(call)),
      answer: (key, call) =>
        call.url.searchParams.has('action') || !hasBody(call)
          ? { outcome: key.status }
          : { body: keyBody(key) },
    }),
    management({
      name: `replace${noun}AppKey`,
      method: 'PUT',
      path: KEY,
      summary:
        "Add API products to a key and replace its attributes or scopes (what apigee-edge-js's PUT does)",
      dialects,
      input: (call) => readBody(call, keyUpdateBody),
      run: (update, call) =>
        updateKey(call.org.apigee, owner(call), appName(call), keyName(call), update, actor(call)),
      answer: (key) => ({ body: keyBody(key) }),
    }),
    management({
      name: `delete${noun}AppKeyApiProduct`,
      method: 'DELETE',
      path: `${KEY}/apiproducts/:product`,
      summary: 'Remove an API product from a key; answers the key',
      dialects,
      run: (_, call) =>
        removeKeyProduct(
          call.org.apigee,
          owner(call),
          appName(call),
          keyName(call),
          call.params.product,
          actor(call),
        ),
      answer: (key) => ({ body: keyBody(key) }),
    }),
    management({
      name: `update${noun}AppKeyApiProduct`,
      method: 'POST',
      path: `${KEY}/apiproducts/:product`,
      summary: "Approve or revoke a key's API product (?action=)",
      dialects,
      ...statusAction,
      run: (status, call) =>
        setOwnedKeyProductStatus(
          call.org.apigee,
          owner(call),
          appName(call),
          keyName(call),
          call.params.product,
          status,
          actor(call),
        ),
      answer: (entry) => ({ outcome: entry.status }),
    }),
  ];
}

type AppPut =
  | { kind: 'status'; status: App['status'] }
  | { kind: 'update'; update: z.output<typeof appUpdateBody> };
type AppPost =
  | { kind: 'status'; status: App['status'] }
  | { kind: 'keyPair'; input: z.output<typeof keyPairBody> };
type KeyPost =
  | { kind: 'status'; status: App['status'] }
  | { kind: 'update'; update: z.output<typeof keyUpdateBody> };

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A developer's apps: X `{"app":[{"appId"}]}`, Edge the names; `expand=true` whole apps in both,
 * `shallowExpand=true` (X) without their keys; `startKey` (a name, inclusive) and `count`
 * (docs/fidelity/apigee.md#apigee-management-lists).
 */
function developerAppList(apps: App[], call: Call<ManagementContext>): unknown {
  const expand = flag(call, 'expand');
  const shallow = call.org.dialect === 'x' && flag(call, 'shallowExpand');
  const selected = page(
    apps,
    (app) => app.name,
    query(call, 'startKey'),
    count(call, 'count', expand ? 100 : 1000),
  );
  if (expand || shallow) {
    return {
      app: selected.map((app) => appBody(call.org.dialect, app, { withoutCredentials: shallow && !expand })),
    };
  }
  return call.org.dialect === 'x'
    ? { app: selected.map((app) => ({ appId: app.appId })) }
    : selected.map((a) => a.name);
}

/** An app group's apps (X): `{"appGroupApps":[...],"nextPageToken"}`, `pageSize` and `pageToken` (an app name). */
function appGroupAppList(apps: App[], call: Call<ManagementContext>): unknown {
  const size = count(call, 'pageSize', 1000) ?? 1000;
  const selected = page(apps, (app) => app.name, query(call, 'pageToken'), size + 1);
  return {
    appGroupApps: selected.slice(0, size).map((app) => appBody(call.org.dialect, app)),
    nextPageToken: selected[size]?.name,
  };
}

export const DEVELOPER_APP_OPERATIONS = appOperations({
  base: `${ORG}/developers/:developer`,
  noun: 'Developer',
  whose: "a developer's",
  owner: (call) => ({ kind: 'developer', developer: developerOf(call) }),
  dialects: ['x', 'edge'],
  list: developerAppList,
  statusMethod: 'POST',
});

export const APP_GROUP_APP_OPERATIONS = appOperations({
  base: `${ORG}/appgroups/:appgroup`,
  noun: 'AppGroup',
  whose: "an app group's",
  owner: (call) => ({ kind: 'appgroup', group: appGroupFor(call) }),
  dialects: ['x'],
  list: appGroupAppList,
  statusMethod: 'PUT',
});

function developerOf(call: Call<ManagementContext>) {
  return findDeveloper(call.org.apigee, call.params.developer ?? '');
}

function appGroupFor(call: Call<ManagementContext>) {
  return appGroupOf(call.org.apigee, call.params.appgroup ?? '');
}

// ---------------------------------------------------------------------------------------------------------
// The organization's apps

/**
 * `GET /apps` (docs/fidelity/apigee.md#apigee-org-apps): X `{"app":[{"appId"}]}` and by default only
 * approved apps (`status`), Edge the ids; `expand=true` whole apps with their keys (unless
 * `includeCred=false`); `apptype`, `ids` (X), `apiProduct` (X), `startKey` (an app id, inclusive) and `rows`.
 */
function orgAppList(call: ManagementCall<typeof APPS_PATH>): unknown {
  const { dialect, apigee } = call.org;
  const expand = flag(call, 'expand');
  const includeCred = query(call, 'includeCred') !== 'false';
  const status = query(call, 'status') ?? (dialect === 'x' ? 'approved' : null);
  if (status !== null && status !== 'approved' && status !== 'revoked') {
    throw invalidQuery('status', status, 'approved or revoked');
  }
  const apptype = query(call, 'apptype');
  if (apptype !== null && !['developer', 'company', 'appgroup'].includes(apptype)) {
    throw invalidQuery('apptype', apptype, 'developer, company or appgroup');
  }
  const ids = dialect === 'x' ? query(call, 'ids')?.split(',').filter(Boolean) : undefined;
  const product = dialect === 'x' ? query(call, 'apiProduct') : null;
  const rows = count(call, 'rows', 1000);
  const candidates = [...apigee.apps.values()].filter(
    (app) =>
      (status === null || app.status === status) &&
      (apptype === null ||
        (apptype === 'developer' && app.appGroup === undefined) ||
        (apptype === 'appgroup' && app.appGroup !== undefined)) &&
      (ids === undefined || ids.includes(app.appId)) &&
      (product === null || app.credentials.some((k) => k.apiProducts.some((p) => p.apiproduct === product))),
  );
  const selected = page(candidates, (app) => app.appId, query(call, 'startKey'), rows);
  if (expand) {
    return {
      app: selected.map((app) => appBody(dialect, app, { orgLevel: true, withoutCredentials: !includeCred })),
    };
  }
  return dialect === 'x'
    ? { app: selected.map((app) => ({ appId: app.appId })) }
    : selected.map((a) => a.appId);
}

function invalidQuery(name: string, value: string, expected: string) {
  return badManagementRequest(`Invalid value ${JSON.stringify(value)} for ${name}: ${expected}`);
}

const APPS_PATH = `${ORG}/apps`;

export const ORG_APP_OPERATIONS = [
  management({
    name: 'listApps',
    method: 'GET',
    path: APPS_PATH,
    summary: "The organization's apps (?expand, status, apptype, ids, apiProduct, startKey, rows)",
    run: (_, call) => orgAppList(call),
    answer: (body) => ({ body }),
  }),
  management({
    name: 'getApp',
    method: 'GET',
    path: `${APPS_PATH}/:appId`,
    summary: 'Any app by its id',
    run: (_, call) => findAppById(call.org.apigee, call.params.appId),
    answer: (found, call) => ({ body: appBody(call.org.dialect, found, { orgLevel: true }) }),
  }),
  management({
    name: 'deleteApp',
    method: 'DELETE',
    path: `${APPS_PATH}/:appId`,
    summary: 'Delete any app by its id; answers the app',
    run: (_, call) => deleteAppById(call.org.apigee, call.params.appId),
    answer: (deleted, call) => ({ body: appBody(call.org.dialect, deleted, { orgLevel: true }) }),
  }),
];
