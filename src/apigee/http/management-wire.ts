import type { ManagementDialect } from '../domain/config.ts';
import type {
  AccessToken,
  App,
  AppGroup,
  AppKey,
  Attribute,
  Developer,
  KeyProduct,
  Product,
} from '../domain/model.ts';
import type { ApigeeOrg } from '../domain/org.ts';

/**
 * The management API's JSON in each dialect (docs/fidelity/apigee.md#apigee-management-wire). Bodies are
 * built once with numbers and every field, then written for the dialect: X (proto3 JSON) writes 64-bit
 * integers as strings and leaves out empty fields; Edge keeps numbers and empty lists and adds
 * `createdBy`/`lastModifiedBy`.
 */

type Json = Record<string, unknown>;

/** Fields X writes as int64 strings. */
const INT64 = new Set(['createdAt', 'lastModifiedAt', 'issuedAt', 'expiresAt', 'keyExpiresIn']);

/** A body as the dialect writes it. */
export function inDialect(dialect: ManagementDialect, value: unknown): unknown {
  return dialect === 'x' ? proto3(value) : withoutUndefined(value);
}

function proto3(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => proto3(item));
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [name, item] of Object.entries(value)) {
      if (isEmpty(item)) continue;
      out[name] = proto3(item, name);
    }
    return out;
  }
  return typeof value === 'number' && key !== undefined && INT64.has(key) ? String(value) : value;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [name, item] of Object.entries(value)) {
      if (item !== undefined) out[name] = withoutUndefined(item);
    }
    return out;
  }
  return value;
}

/** Edge's change-tracking fields; X has none. */
function authorship(dialect: ManagementDialect, entity: { createdBy: string; lastModifiedBy: string }) {
  return dialect === 'edge' ? { createdBy: entity.createdBy, lastModifiedBy: entity.lastModifiedBy } : {};
}

const attributeList = (attributes: readonly Attribute[]) =>
  attributes.map(({ name, value }) => ({ name, value }));

/** Developer; `apps` lists at most the first 100 app names, as Apigee does. */
export function developerBody(org: ApigeeOrg, dialect: ManagementDialect, developer: Developer): Json {
  return {
    apps: org.apps
      .ofOwner(developer.developerId)
      .slice(0, 100)
      .map((app) => app.name),
    attributes: attributeList(developer.attributes),
    companies: [],
    createdAt: developer.createdAt,
    ...authorship(dialect, developer),
    developerId: developer.developerId,
    email: developer.email,
    firstName: developer.firstName,
    lastModifiedAt: developer.lastModifiedAt,
    lastName: developer.lastName,
    organizationName: org.config.organization,
    status: developer.status,
    userName: developer.userName,
  };
}

export interface AppBodyOptions {
  /** Leave out `credentials` (`shallowExpand`, `/apps` without `includeCred`). */
  withoutCredentials?: boolean;
  /** X's org-level `App` adds `developerEmail` and the products of every key. */
  orgLevel?: boolean;
}

/** DeveloperApp, AppGroupApp, and the org-level App. */
export function appBody(
  dialect: ManagementDialect,
  app: App,
  { withoutCredentials = false, orgLevel = false }: AppBodyOptions = {},
): Json {
  return {
    appFamily: 'default',
    appId: app.appId,
    ...(orgLevel && dialect === 'x' && { apiProducts: appProducts(app) }),
    attributes: attributeList(app.attributes),
    callbackUrl: app.callbackUrl,
    createdAt: app.createdAt,
    ...authorship(dialect, app),
    ...(withoutCredentials ? {} : { credentials: app.credentials.map((key) => keyBody(key)) }),
    ...(app.appGroup === undefined
      ? {
          developerId: app.developerId,
          ...(orgLevel && dialect === 'x' && { developerEmail: app.developerEmail }),
        }
      : { appGroup: app.appGroup }),
    ...(dialect === 'x' && app.keyExpiresIn !== undefined && { keyExpiresIn: app.keyExpiresIn }),
    lastModifiedAt: app.lastModifiedAt,
    name: app.name,
    scopes: [...app.scopes],
    status: app.status,
  };
}

/** The products of every key of an app, once each. */
function appProducts(app: App): KeyProduct[] {
  const seen = new Map<string, KeyProduct>();
  for (const key of app.credentials) {
    for (const entry of key.apiProducts) if (!seen.has(entry.apiproduct)) seen.set(entry.apiproduct, entry);
  }
  return [...seen.values()].map(({ apiproduct, status }) => ({ apiproduct, status }));
}

/** Credential / DeveloperAppKey: `expiresAt` is `-1` for a key that never expires. */
export function keyBody(key: AppKey, { withExpiry = true }: { withExpiry?: boolean } = {}): Json {
  return {
    apiProducts: key.apiProducts.map(({ apiproduct, status }) => ({ apiproduct, status })),
    attributes: attributeList(key.attributes),
    consumerKey: key.consumerKey,
    consumerSecret: key.consumerSecret,
    ...(withExpiry && { expiresAt: key.expiresAt }),
    issuedAt: key.issuedAt,
    scopes: [...key.scopes],
    status: key.status,
  };
}

/** ApiProduct; `quota*` are strings in both dialects. */
export function productBody(dialect: ManagementDialect, product: Product): Json {
  return {
    apiResources: [...product.apiResources],
    approvalType: product.approvalType,
    attributes: attributeList(product.attributes),
    createdAt: product.createdAt,
    ...authorship(dialect, product),
    description: product.description,
    displayName: product.displayName,
    environments: [...product.environments],
    lastModifiedAt: product.lastModifiedAt,
    name: product.name,
    ...(dialect === 'x' &&
      product.operationGroup !== undefined && { operationGroup: product.operationGroup }),
    proxies: [...product.proxies],
    quota: product.quota,
    quotaInterval: product.quotaInterval,
    quotaTimeUnit: product.quotaTimeUnit,
    scopes: [...product.scopes],
  };
}

/** AppGroup (Apigee X). */
export function appGroupBody(org: ApigeeOrg, group: AppGroup): Json {
  return {
    appGroupId: group.appGroupId,
    attributes: attributeList(group.attributes),
    channelId: group.channelId,
    channelUri: group.channelUri,
    createdAt: group.createdAt,
    displayName: group.displayName,
    lastModifiedAt: group.lastModifiedAt,
    name: group.name,
    organization: org.config.organization,
    status: group.status,
  };
}

/** The organization: what `apigee-edge-js` reads `properties.property` from when it connects with Basic. */
export function organizationBody(org: ApigeeOrg, dialect: ManagementDialect): Json {
  const environments = [...new Set([...org.products.values()].flatMap((p) => p.environments))].sort();
  return {
    createdAt: org.createdAt,
    ...(dialect === 'edge' && {
      createdBy: 'noreply_admin@apigee.com',
      lastModifiedBy: 'noreply_admin@apigee.com',
    }),
    displayName: org.config.organization,
    environments,
    lastModifiedAt: org.createdAt,
    name: org.config.organization,
    properties: { property: [] },
    ...(dialect === 'edge' ? { type: 'paid' } : { state: 'ACTIVE' }),
  };
}

/** `{"attribute":[...]}`: an entity's attributes. */
export function attributesBody(attributes: readonly Attribute[]): Json {
  return { attribute: attributeList(attributes) };
}

/** An access token as Edge's token administration API reports it (docs/fidelity/apigee.md#apigee-edge-token-admin). */
export function accessTokenBody(org: ApigeeOrg, token: AccessToken): Json {
  return {
    apiproducts: [...token.apiProducts],
    app: org.appById(token.appId)?.name ?? '',
    appId: token.appId,
    attributes: attributeList(token.attributes ?? []),
    clientId: token.clientId,
    createdAt: token.issuedAt,
    expiresAt: token.expiresAt,
    grantType: token.grantType,
    issuedAt: token.issuedAt,
    lastModifiedAt: token.revokedAt ?? token.issuedAt,
    refreshCount: token.refreshCount,
    scope: token.scope,
    status: token.status,
    token: token.value,
    tokenType: 'BearerToken',
  };
}
