import { appGroupOwner } from './app-registry.ts';
import { checkedAttributes, touch } from './attributes.ts';
import type { ManagementDialect } from './config.ts';
import { badManagementRequest, type ManagementError, managementError } from './errors.ts';
import type {
  App,
  AppGroup,
  AppKey,
  Attribute,
  Developer,
  KeyProduct,
  KeyProductStatus,
  Status,
} from './model.ts';
import type { ApigeeOrg } from './org.ts';

/**
 * The management plane's developers, apps and keys (docs/fidelity/apigee.md#apigee-management): create,
 * read, update, delete, and the approve/revoke actions, which change the status of a developer, an app, a
 * key or a key's product and never a token (docs/fidelity/apigee.md#apigee-app-chain-at-use-time, checked at
 * use time instead). Every function checks everything before it changes anything; `by` is who asks (Edge's
 * `lastModifiedBy`).
 */

/** Who owns an app: a developer, or (Apigee X) an app group. */
export type Owner = { kind: 'developer'; developer: Developer } | { kind: 'appgroup'; group: AppGroup };

/** Names of apps: letters, digits, space and `_ - . # $ %`, from a letter or digit (docs/fidelity/apigee.md#apigee-management-names). */
const APP_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.#$%-]*$/;
/** Consumer keys and secrets: letters, digits, `_` and `-`, at most 255 (docs/fidelity/apigee.md#apigee-management-names). */
const KEY_TEXT = /^[A-Za-z0-9_-]+$/;
const MAX_NAME = 255;
const MAX_KEY = 255;
/** Keys per app: a cap of ours against hostile input (docs/fidelity/apigee.md#apigee-management-limits). */
const MAX_KEYS_PER_APP = 100;

/** Generated consumer key and secret lengths of each dialect (docs/fidelity/apigee.md#apigee-generated-lengths). */
const GENERATED = { x: { key: 48, secret: 64 }, edge: { key: 32, secret: 16 } } as const;

// ---------------------------------------------------------------------------------------------------------
// Developers

/** A developer by email (any case) or developer id. */
export function findDeveloper(org: ApigeeOrg, developer: string): Developer {
  const found =
    org.developer(developer) ?? [...org.developers.values()].find((d) => d.developerId === developer);
  if (!found) {
    throw managementError('DeveloperIdDoesNotExist', [developer, org.config.organization]);
  }
  return found;
}

export interface DeveloperInput {
  email: string;
  firstName: string;
  lastName: string;
  userName: string;
  attributes: readonly (Attribute | null)[] | undefined;
}

/** `POST /developers`: a new developer, `active`; X keeps emails in lower case (docs/fidelity/apigee.md#apigee-developer-email). */
export function createDeveloper(
  org: ApigeeOrg,
  input: DeveloperInput,
  by: string,
  dialect: ManagementDialect,
): Developer {
  const email = dialect === 'x' ? input.email.toLowerCase() : input.email;
  checkEmail(email);
  const attributes = checkedAttributes(input.attributes);
  if (org.developer(email)) {
    throw managementError('DeveloperAlreadyExists', [email, org.config.organization]);
  }
  const now = org.now();
  const developer: Developer = {
    developerId: org.ids.faker.string.uuid(),
    email,
    firstName: input.firstName,
    lastName: input.lastName,
    userName: input.userName,
    status: 'active',
    attributes,
    createdAt: now,
    lastModifiedAt: now,
    createdBy: by,
    lastModifiedBy: by,
  };
  org.developers.set(email.toLowerCase(), developer);
  return developer;
}

/**
 * `PUT /developers/{d}`: the profile replaced, attributes absent from the body removed; `status` is not
 * changed here. A new email: X refuses it, Edge moves the developer (docs/fidelity/apigee.md#apigee-developer-update).
 */
export function updateDeveloper(
  org: ApigeeOrg,
  ref: string,
  input: Omit<DeveloperInput, 'email'> & { email: string | undefined },
  by: string,
  dialect: ManagementDialect,
): Developer {
  const developer = findDeveloper(org, ref);
  const attributes = checkedAttributes(input.attributes);
  const email = input.email ?? developer.email;
  const renamed = email.toLowerCase() !== developer.email.toLowerCase();
  if (renamed) {
    if (dialect === 'x') {
      throw badManagementRequest(`The email of developer ${developer.email} cannot be changed`);
    }
    checkEmail(email);
    if (org.developer(email)) {
      throw managementError('DeveloperAlreadyExists', [email, org.config.organization]);
    }
    org.developers.delete(developer.email.toLowerCase());
    org.developers.set(email.toLowerCase(), developer);
    for (const app of org.apps.ofOwner(developer.developerId)) app.developerEmail = email;
  }
  developer.email = renamed ? email : developer.email;
  developer.firstName = input.firstName;
  developer.lastName = input.lastName;
  developer.userName = input.userName;
  developer.attributes = attributes;
  touch(developer, org.now(), by);
  return developer;
}

/** `DELETE /developers/{d}`: the developer, with its apps and keys (whose tokens then fail). */
export function deleteDeveloper(org: ApigeeOrg, ref: string): Developer {
  const developer = findDeveloper(org, ref);
  for (const app of org.apps.ofOwner(developer.developerId)) org.apps.remove(app);
  org.developers.delete(developer.email.toLowerCase());
  return developer;
}

/** `POST /developers/{d}?action=active|inactive`. */
export function setDeveloperStatus(
  org: ApigeeOrg,
  developer: string,
  action: string | null,
  by = '',
): Developer {
  const found = findDeveloper(org, developer);
  if (action !== 'active' && action !== 'inactive') {
    throw badManagementRequest(`Invalid action "${action ?? ''}": expected active or inactive`);
  }
  found.status = action;
  touch(found, org.now(), by || found.lastModifiedBy);
  return found;
}

function checkEmail(email: string): void {
  if (email.length > 254 || !/^[^\s@/]+@[^\s@/]+$/.test(email)) {
    throw badManagementRequest(`Invalid email ${email}`, [
      { field: 'email', description: 'A valid email address' },
    ]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Owners and apps

export function developerOwner(org: ApigeeOrg, ref: string): Owner {
  return { kind: 'developer', developer: findDeveloper(org, ref) };
}

export function appGroupOf(org: ApigeeOrg, name: string): AppGroup {
  const group = org.appGroups.get(name);
  if (!group) throw managementError('AppGroupDoesNotExist', [name, org.config.organization]);
  return group;
}

export function groupOwner(org: ApigeeOrg, name: string): Owner {
  return { kind: 'appgroup', group: appGroupOf(org, name) };
}

/** The owner of an app the organization holds. */
export function ownerOfApp(org: ApigeeOrg, app: App): Owner {
  return app.appGroup === undefined
    ? { kind: 'developer', developer: findDeveloper(org, app.developerId) }
    : groupOwner(org, app.appGroup);
}

function ownerKey(owner: Owner): string {
  return owner.kind === 'developer' ? owner.developer.developerId : appGroupOwner(owner.group.name);
}

/** How the error messages name an owner: the developer's email, or the app group's name. */
function ownerLabel(owner: Owner): string {
  return owner.kind === 'developer' ? owner.developer.email : owner.group.name;
}

export function appsOf(org: ApigeeOrg, owner: Owner): App[] {
  return org.apps.ofOwner(ownerKey(owner));
}

export function findOwnedApp(org: ApigeeOrg, owner: Owner, name: string): App {
  const app = org.apps.find(ownerKey(owner), name);
  if (!app) throw managementError('AppDoesNotExist', [name, ownerLabel(owner)]);
  return app;
}

export interface AppInput {
  name: string;
  apiProducts: readonly string[];
  callbackUrl: string | undefined;
  attributes: readonly (Attribute | null)[] | undefined;
  /** Milliseconds; -1 or absent: keys never expire. */
  keyExpiresIn: number | undefined;
  scopes: readonly string[];
}

/**
 * `POST .../apps`: a new app with one generated key holding `apiProducts`, each `approved` or `pending` by
 * its product's approval type (docs/fidelity/apigee.md#apigee-app-create).
 */
export function createApp(
  org: ApigeeOrg,
  owner: Owner,
  input: AppInput,
  by: string,
  dialect: ManagementDialect,
): App {
  checkAppName(input.name);
  const attributes = checkedAttributes(input.attributes);
  const products = keyProducts(org, input.apiProducts, 400);
  checkScopes(org, products, input.scopes);
  checkKeyExpiry(input.keyExpiresIn);
  if (org.apps.find(ownerKey(owner), input.name)) throw managementError('AppAlreadyExists', [input.name]);
  const now = org.now();
  const app: App = {
    appId: org.ids.faker.string.uuid(),
    name: input.name,
    developerEmail: owner.kind === 'developer' ? owner.developer.email : '',
    developerId: owner.kind === 'developer' ? owner.developer.developerId : '',
    appGroup: owner.kind === 'appgroup' ? owner.group.name : undefined,
    status: 'approved',
    callbackUrl: input.callbackUrl ?? '',
    tokenFormat: org.config.tokens.format,
    attributes,
    scopes: [...input.scopes],
    keyExpiresIn: input.keyExpiresIn,
    credentials: [],
    createdAt: now,
    lastModifiedAt: now,
    createdBy: by,
    lastModifiedBy: by,
  };
  app.credentials.push(generatedKey(org, dialect, products, input.keyExpiresIn, [...input.scopes]));
  org.apps.add(app);
  return app;
}

export interface AppUpdate {
  name: string | undefined;
  apiProducts: readonly string[] | undefined;
  callbackUrl: string | undefined;
  attributes: readonly (Attribute | null)[] | undefined;
}

/**
 * `PUT .../apps/{a}` (docs/fidelity/apigee.md#apigee-app-update): attributes and callback URL replaced by
 * the body's (absent: removed); the name cannot change; products no key holds yet go on a new key; an empty
 * or absent product list leaves the keys alone. Output-only fields of the body were never read.
 */
export function updateApp(
  org: ApigeeOrg,
  owner: Owner,
  name: string,
  update: AppUpdate,
  by: string,
  dialect: ManagementDialect,
): App {
  const app = findOwnedApp(org, owner, name);
  if (update.name !== undefined && update.name !== app.name) {
    throw badManagementRequest(`The name of app ${app.name} cannot be changed to ${update.name}`, [
      { field: 'name', description: 'App names cannot change' },
    ]);
  }
  const attributes = checkedAttributes(update.attributes);
  const held = new Set(app.credentials.flatMap((k) => k.apiProducts.map((p) => p.apiproduct)));
  const added = [...new Set(update.apiProducts ?? [])].filter((p) => !held.has(p));
  const products = keyProducts(org, added, 400);
  if (products.length > 0) checkRoomForKey(app);
  app.attributes = attributes;
  app.callbackUrl = update.callbackUrl ?? '';
  if (products.length > 0) {
    org.apps.addKey(app, generatedKey(org, dialect, products, app.keyExpiresIn, [...app.scopes]));
  }
  touch(app, org.now(), by);
  return app;
}

/** `DELETE .../apps/{a}`: the app with its keys, whose tokens then fail. */
export function deleteApp(org: ApigeeOrg, owner: Owner, name: string): App {
  const app = findOwnedApp(org, owner, name);
  org.apps.remove(app);
  return app;
}

/** `DELETE /apps/{appId}` and `GET /apps/{appId}`: any app by id. */
export function appById(org: ApigeeOrg, appId: string): App {
  const app = org.appById(appId);
  if (!app) throw managementError('AppIdDoesNotExist', [appId]);
  return app;
}

export function deleteAppById(org: ApigeeOrg, appId: string): App {
  const app = appById(org, appId);
  org.apps.remove(app);
  return app;
}

export interface KeyPairInput {
  apiProducts: readonly string[];
  attributes: readonly (Attribute | null)[] | undefined;
  callbackUrl: string | undefined;
  keyExpiresIn: number | undefined;
}

/**
 * `POST .../apps/{a}` with a body: a new generated key holding `apiProducts`; the body's attributes and
 * callback URL, when given, replace the app's (docs/fidelity/apigee.md#apigee-app-generate-key).
 */
export function generateKeyPair(
  org: ApigeeOrg,
  owner: Owner,
  name: string,
  input: KeyPairInput,
  by: string,
  dialect: ManagementDialect,
): App {
  const app = findOwnedApp(org, owner, name);
  const attributes = input.attributes === undefined ? undefined : checkedAttributes(input.attributes);
  const products = keyProducts(org, input.apiProducts, 400);
  checkKeyExpiry(input.keyExpiresIn);
  checkRoomForKey(app);
  if (attributes) app.attributes = attributes;
  if (input.callbackUrl !== undefined) app.callbackUrl = input.callbackUrl;
  org.apps.addKey(app, generatedKey(org, dialect, products, input.keyExpiresIn, [...app.scopes]));
  touch(app, org.now(), by);
  return app;
}

/** `approve`/`revoke`, and the `approved`/`revoked` spellings of older docs (docs/fidelity/apigee.md#apigee-management-actions). */
export function statusOfAction(action: string | null): Status {
  if (action === 'approve' || action === 'approved') return 'approved';
  if (action === 'revoke' || action === 'revoked') return 'revoked';
  throw badManagementRequest(`Invalid action "${action ?? ''}": expected approve or revoke`);
}

export function setOwnedAppStatus(org: ApigeeOrg, owner: Owner, appName: string, status: Status, by = '') {
  const app = findOwnedApp(org, owner, appName);
  app.status = status;
  touch(app, org.now(), by || app.lastModifiedBy);
  return app;
}

/** A developer's app approved or revoked (what `apigee.revokeApp` and the management action do). */
export function setAppStatus(org: ApigeeOrg, developer: string, appName: string, status: Status): App {
  return setOwnedAppStatus(org, developerOwner(org, developer), appName, status);
}

// ---------------------------------------------------------------------------------------------------------
// Keys

export function findOwnedKey(
  org: ApigeeOrg,
  owner: Owner,
  appName: string,
  consumerKey: string,
): { app: App; key: AppKey } {
  const app = findOwnedApp(org, owner, appName);
  const key = app.credentials.find((k) => k.consumerKey === consumerKey);
  if (!key) throw managementError('InvalidClientIdForGivenApp');
  return { app, key };
}

export interface KeyImport {
  consumerKey: string;
  consumerSecret: string | undefined;
  /** X: seconds; absent or -1: never. */
  expiresInSeconds: number | undefined;
  attributes: readonly (Attribute | null)[] | undefined;
  scopes: readonly string[] | undefined;
}

/**
 * `POST .../keys` (X) and `.../keys/create`: a key and secret of the caller's, without products, approved
 * (docs/fidelity/apigee.md#apigee-key-import). A consumer key used anywhere in the org is a 409.
 */
export function importKey(
  org: ApigeeOrg,
  owner: Owner,
  appName: string,
  input: KeyImport,
  by: string,
  dialect: ManagementDialect,
): AppKey {
  const app = findOwnedApp(org, owner, appName);
  checkKeyText('consumerKey', input.consumerKey);
  if (input.consumerSecret !== undefined) checkKeyText('consumerSecret', input.consumerSecret);
  const attributes = checkedAttributes(input.attributes);
  const seconds = input.expiresInSeconds;
  if (seconds !== undefined && seconds !== -1 && (!Number.isSafeInteger(seconds) || seconds <= 0)) {
    throw badManagementRequest(`Invalid expiresInSeconds ${seconds}`);
  }
  if (org.keyOf(input.consumerKey)) throw managementError('ConsumerKeyAlreadyExists');
  checkRoomForKey(app);
  const now = org.now();
  const key: AppKey = {
    consumerKey: input.consumerKey,
    consumerSecret: input.consumerSecret ?? org.opaque(GENERATED[dialect].secret),
    status: 'approved',
    issuedAt: now,
    expiresAt: seconds === undefined || seconds === -1 ? -1 : now + seconds * 1000,
    apiProducts: [],
    attributes,
    scopes: [...(input.scopes ?? [])],
  };
  org.apps.addKey(app, key);
  touch(app, now, by);
  return key;
}

export interface KeyUpdate {
  apiProducts: readonly string[] | undefined;
  attributes: readonly (Attribute | null)[] | undefined;
  scopes: readonly string[] | undefined;
}

/**
 * `POST .../keys/{k}` with a body, and `PUT .../keys/{k}` (docs/fidelity/apigee.md#apigee-key-update):
 * listed products added to the key (kept ones untouched, duplicates ignored), attributes replaced when
 * given, scopes replaced when given and contained in the key's products' scopes.
 */
export function updateKey(
  org: ApigeeOrg,
  owner: Owner,
  appName: string,
  consumerKey: string,
  update: KeyUpdate,
  by: string,
): AppKey {
  const { app, key } = findOwnedKey(org, owner, appName, consumerKey);
  const held = new Set(key.apiProducts.map((p) => p.apiproduct));
  const added = keyProducts(
    org,
    [...new Set(update.apiProducts ?? [])].filter((p) => !held.has(p)),
    400,
  );
  const attributes = update.attributes === undefined ? undefined : checkedAttributes(update.attributes);
  if (update.scopes !== undefined) checkScopes(org, [...key.apiProducts, ...added], update.scopes);
  key.apiProducts.push(...added);
  if (attributes) key.attributes = attributes;
  if (update.scopes !== undefined) key.scopes = [...update.scopes];
  touch(app, org.now(), by);
  return key;
}

/** `DELETE .../keys/{k}`: the key it removed; its tokens then fail. */
export function deleteKey(org: ApigeeOrg, owner: Owner, appName: string, consumerKey: string, by: string) {
  const { app, key } = findOwnedKey(org, owner, appName, consumerKey);
  org.apps.removeKey(app, key);
  touch(app, org.now(), by);
  return key;
}

/**
 * `DELETE .../keys/{k}/apiproducts/{p}`: the key without that product. A product the key does not hold:
 * Edge 500, X 400 (docs/fidelity/apigee.md#apigee-key-remove-product).
 */
export function removeKeyProduct(
  org: ApigeeOrg,
  owner: Owner,
  appName: string,
  consumerKey: string,
  product: string,
  by: string,
): AppKey {
  const { app, key } = findOwnedKey(org, owner, appName, consumerKey);
  if (!key.apiProducts.some((p) => p.apiproduct === product)) {
    throw managementError('ApiProductNotAssociatedWithKey');
  }
  key.apiProducts = key.apiProducts.filter((p) => p.apiproduct !== product);
  touch(app, org.now(), by);
  return key;
}

export function setOwnedKeyStatus(
  org: ApigeeOrg,
  owner: Owner,
  appName: string,
  consumerKey: string,
  status: Status,
  by = '',
): AppKey {
  const { app, key } = findOwnedKey(org, owner, appName, consumerKey);
  key.status = status;
  touch(app, org.now(), by || app.lastModifiedBy);
  return key;
}

export function setOwnedKeyProductStatus(
  org: ApigeeOrg,
  owner: Owner,
  appName: string,
  consumerKey: string,
  product: string,
  status: Status,
  by = '',
): KeyProduct {
  const { app, key } = findOwnedKey(org, owner, appName, consumerKey);
  const entry = key.apiProducts.find((p) => p.apiproduct === product);
  if (!entry) throw notOnKey();
  entry.status = status;
  touch(app, org.now(), by || app.lastModifiedBy);
  return entry;
}

/** A product action on a key that does not hold the product: 404 in both dialects ([L]). */
function notOnKey(): ManagementError {
  return managementError('ApiProductNotAssociatedWithKey', [], { status: 404, xStatus: 404 });
}

// ---------------------------------------------------------------------------------------------------------
// Shared rules

/**
 * Key-product entries for product names: each must exist (else `status`, 400 on app create and key update),
 * `approved` for `auto` approval and `pending` for `manual` (docs/fidelity/apigee.md#apigee-approval-type).
 */
function keyProducts(org: ApigeeOrg, names: readonly string[], status: number): KeyProduct[] {
  return [...new Set(names)].map((name) => {
    const product = org.products.get(name);
    if (!product) {
      throw managementError('ApiProductDoesNotExist', [name, org.config.organization], {
        status,
        xStatus: status,
      });
    }
    const entry: KeyProductStatus = product.approvalType === 'manual' ? 'pending' : 'approved';
    return { apiproduct: name, status: entry };
  });
}

/** Scopes a key may hold: those its products offer (docs/fidelity/apigee.md#apigee-key-update). */
function checkScopes(org: ApigeeOrg, products: readonly KeyProduct[], scopes: readonly string[]): void {
  const offered = new Set(products.flatMap((p) => org.products.get(p.apiproduct)?.scopes ?? []));
  if (scopes.some((scope) => !offered.has(scope))) {
    throw managementError('InvalidScopes', [[...offered].join(', ')]);
  }
}

function generatedKey(
  org: ApigeeOrg,
  dialect: ManagementDialect,
  apiProducts: KeyProduct[],
  keyExpiresIn: number | undefined,
  scopes: string[],
): AppKey {
  const lengths = GENERATED[dialect];
  let consumerKey = org.opaque(lengths.key);
  while (org.keyOf(consumerKey)) consumerKey = org.opaque(lengths.key);
  const now = org.now();
  return {
    consumerKey,
    consumerSecret: org.opaque(lengths.secret),
    status: 'approved',
    issuedAt: now,
    expiresAt: keyExpiresIn === undefined || keyExpiresIn === -1 ? -1 : now + keyExpiresIn,
    apiProducts,
    attributes: [],
    scopes,
  };
}

function checkAppName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME || !APP_NAME.test(name)) {
    throw managementError('InvalidRequest', [`Invalid app name ${JSON.stringify(name)}`], {
      code: 'keymanagement.service.app_invalid_name',
      fields: [
        {
          field: 'name',
          description: `1 to ${MAX_NAME} letters, digits, spaces and _ - . # $ %, from a letter or digit`,
        },
      ],
    });
  }
}

function checkKeyText(field: string, value: string): void {
  if (value.length === 0 || value.length > MAX_KEY || !KEY_TEXT.test(value)) {
    throw badManagementRequest(`Invalid ${field}`, [
      { field, description: `1 to ${MAX_KEY} letters, digits, _ and -` },
    ]);
  }
}

function checkKeyExpiry(ms: number | undefined): void {
  if (ms !== undefined && ms !== -1 && (!Number.isSafeInteger(ms) || ms <= 0)) {
    throw badManagementRequest(`Invalid keyExpiresIn ${ms}: milliseconds, or -1 for never`);
  }
}

function checkRoomForKey(app: App): void {
  if (app.credentials.length >= MAX_KEYS_PER_APP) {
    throw badManagementRequest(`App ${app.name} already has ${MAX_KEYS_PER_APP} keys`);
  }
}
