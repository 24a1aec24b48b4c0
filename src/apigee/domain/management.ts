import { managementError } from './errors.ts';
import type { App, AppKey, Developer, KeyProduct, Status } from './model.ts';
import type { ApigeeOrg } from './org.ts';

/**
 * The management plane's approve/revoke actions (docs/fidelity/apigee.md#apigee-management-actions): they
 * change the status of a developer, an app, a key or a key's product, and never a token
 * (docs/fidelity/apigee.md#apigee-app-chain-at-use-time, checked at use time instead).
 */

export function findDeveloper(org: ApigeeOrg, developer: string): Developer {
  const found =
    org.developer(developer) ?? [...org.developers.values()].find((d) => d.developerId === developer);
  if (!found) {
    throw managementError(
      404,
      'NOT_FOUND',
      `DeveloperId ${developer} does not exist in organization ${org.config.organization}`,
    );
  }
  return found;
}

export function findApp(org: ApigeeOrg, developer: string, appName: string): App {
  const owner = findDeveloper(org, developer);
  const app = org.apps.get(appName);
  if (!app || app.developerEmail.toLowerCase() !== owner.email.toLowerCase()) {
    throw managementError(404, 'NOT_FOUND', `App named ${appName} does not exist under ${owner.email}`);
  }
  return app;
}

export function findKey(
  org: ApigeeOrg,
  developer: string,
  appName: string,
  consumerKey: string,
): { app: App; key: AppKey } {
  const app = findApp(org, developer, appName);
  const key = app.credentials.find((k) => k.consumerKey === consumerKey);
  if (!key)
    throw managementError(404, 'NOT_FOUND', `Consumer key ${consumerKey} does not exist for app ${appName}`);
  return { app, key };
}

/**
 * `approve`/`revoke`, and the `approved`/`revoked` spellings older client docs use
 * (docs/fidelity/apigee.md#apigee-management-actions).
 */
export function statusOfAction(action: string | null): Status {
  if (action === 'approve' || action === 'approved') return 'approved';
  if (action === 'revoke' || action === 'revoked') return 'revoked';
  throw managementError(
    400,
    'INVALID_ARGUMENT',
    `Invalid action "${action ?? ''}": expected approve or revoke`,
  );
}

export function setAppStatus(org: ApigeeOrg, developer: string, appName: string, status: Status): App {
  const app = findApp(org, developer, appName);
  app.status = status;
  app.lastModifiedAt = org.now();
  return app;
}

export function setKeyStatus(
  org: ApigeeOrg,
  developer: string,
  appName: string,
  consumerKey: string,
  status: Status,
): AppKey {
  const { app, key } = findKey(org, developer, appName, consumerKey);
  key.status = status;
  app.lastModifiedAt = org.now();
  return key;
}

export function setKeyProductStatus(
  org: ApigeeOrg,
  developer: string,
  appName: string,
  consumerKey: string,
  product: string,
  status: Status,
): KeyProduct {
  const { app, key } = findKey(org, developer, appName, consumerKey);
  const entry = key.apiProducts.find((p) => p.apiproduct === product);
  if (!entry)
    throw managementError(
      404,
      'NOT_FOUND',
      `API product ${product} is not associated with key ${consumerKey}`,
    );
  entry.status = status;
  app.lastModifiedAt = org.now();
  return entry;
}

export function setDeveloperStatus(org: ApigeeOrg, developer: string, action: string | null): Developer {
  const found = findDeveloper(org, developer);
  if (action !== 'active' && action !== 'inactive') {
    throw managementError(
      400,
      'INVALID_ARGUMENT',
      `Invalid action "${action ?? ''}": expected active or inactive`,
    );
  }
  found.status = action;
  found.lastModifiedAt = org.now();
  return found;
}
