import { jsonResponse, simResponse } from '../../http/exchange.ts';
import {
  type Call,
  defineOperation,
  type Method,
  type Operation,
  type PathParams,
} from '../../http/operation.ts';
import {
  findApp,
  findDeveloper,
  findKey,
  setAppStatus,
  setDeveloperStatus,
  setKeyProductStatus,
  setKeyStatus,
  statusOfAction,
} from '../domain/management.ts';
import type { ApigeeOrg } from '../domain/org.ts';
import { appBody, developerBody, keyBody } from '../http/wire.ts';

/**
 * The management API (Apigee X names, `apigee.googleapis.com/v1`): approve and revoke developers, apps,
 * keys and key products, and read them back in Apigee's shapes (docs/fidelity/apigee.md#apigee-management).
 */

const ORG = '/v1/organizations/:org';
const DEVELOPER = `${ORG}/developers/:developer`;
const APP = `${DEVELOPER}/apps/:app`;
const KEY = `${APP}/keys/:key`;

type Params = { readonly developer?: string; readonly app?: string };

/** A management operation: the journal notes the app or developer it acts on. */
function management<const Name extends string, const Path extends string, Output>(
  name: Name,
  method: Method,
  path: Path,
  summary: string,
  run: (call: Call<ApigeeOrg, PathParams<Path>>) => Output,
  answer: (output: Output, call: Call<ApigeeOrg, PathParams<Path>>) => { body?: unknown; outcome?: string },
): Operation<ApigeeOrg, Name> {
  return defineOperation('apigee', {
    name,
    method,
    path,
    summary,
    input: () => undefined,
    principal(_, call) {
      const params: Params = call.params;
      return params.app ?? params.developer;
    },
    run: (_, call) => run(call),
    answer(output, call) {
      const { body, outcome } = answer(output, call);
      return { response: body === undefined ? simResponse(204) : jsonResponse(body), outcome };
    },
  });
}

/** `?action=` of a status action. */
const action = (call: Call<ApigeeOrg, unknown>) => call.url.searchParams.get('action');

export const MANAGEMENT_OPERATIONS = [
  management(
    'listDevelopers',
    'GET',
    `${ORG}/developers`,
    "The organization's developers",
    (call) => [...call.org.developers.values()],
    (developers, call) => ({ body: { developer: developers.map((d) => developerBody(call.org, d)) } }),
  ),
  management(
    'getDeveloper',
    'GET',
    DEVELOPER,
    'A developer by email or id',
    (call) => findDeveloper(call.org, call.params.developer),
    (developer, call) => ({ body: developerBody(call.org, developer) }),
  ),
  management(
    'setDeveloperStatus',
    'POST',
    DEVELOPER,
    'Set a developer active or inactive (?action=)',
    (call) => setDeveloperStatus(call.org, call.params.developer, action(call)),
    (developer) => ({ outcome: developer.status }),
  ),
  management(
    'listDeveloperApps',
    'GET',
    `${DEVELOPER}/apps`,
    "A developer's apps (?expand=true for whole apps)",
    (call) => {
      const developer = findDeveloper(call.org, call.params.developer);
      return [...call.org.apps.values()].filter(
        (app) => app.developerEmail.toLowerCase() === developer.email.toLowerCase(),
      );
    },
    (apps, call) => {
      const expand = call.url.searchParams.get('expand') === 'true';
      return { body: { app: apps.map((app) => (expand ? appBody(call.org, app) : { appId: app.appId })) } };
    },
  ),
  management(
    'getDeveloperApp',
    'GET',
    APP,
    "A developer's app",
    (call) => findApp(call.org, call.params.developer, call.params.app),
    (app, call) => ({ body: appBody(call.org, app) }),
  ),
  management(
    'setDeveloperAppStatus',
    'POST',
    APP,
    'Approve or revoke an app (?action=)',
    (call) => setAppStatus(call.org, call.params.developer, call.params.app, statusOfAction(action(call))),
    (app) => ({ outcome: app.status }),
  ),
  management(
    'getDeveloperAppKey',
    'GET',
    KEY,
    "An app's key",
    (call) => findKey(call.org, call.params.developer, call.params.app, call.params.key).key,
    (key) => ({ body: keyBody(key) }),
  ),
  management(
    'updateDeveloperAppKey',
    'POST',
    KEY,
    'Approve or revoke a key (?action=)',
    (call) =>
      setKeyStatus(
        call.org,
        call.params.developer,
        call.params.app,
        call.params.key,
        statusOfAction(action(call)),
      ),
    (key) => ({ outcome: key.status }),
  ),
  management(
    'updateDeveloperAppKeyApiProduct',
    'POST',
    `${KEY}/apiproducts/:product`,
    "Approve or revoke a key's API product (?action=)",
    (call) =>
      setKeyProductStatus(
        call.org,
        call.params.developer,
        call.params.app,
        call.params.key,
        call.params.product,
        statusOfAction(action(call)),
      ),
    (entry) => ({ outcome: entry.status }),
  ),
] as const;
