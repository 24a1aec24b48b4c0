import { MANAGEMENT_OPERATIONS } from './apigee/operations/management.ts';
import {
  PROXY_OPERATIONS,
  verifyAccessTokenOperation,
  verifyApiKeyOperation,
} from './apigee/operations/oauth.ts';
import { type CatalogueEntry, catalogueOf } from './http/operation.ts';
import { OKTA_OPERATIONS } from './okta/operations/index.ts';

const APIGEE_OPERATIONS = [
  ...PROXY_OPERATIONS,
  verifyAccessTokenOperation(),
  verifyApiKeyOperation(),
  ...MANAGEMENT_OPERATIONS,
] as const;

/**
 * Every simulated vendor operation: its vendor, name, method, path and summary. The names are what
 * fault rules match (`match.operation`) and what the request journal writes; proxy paths are the
 * defaults, which a scenario may move (`apigee.proxy`).
 */
export const OPERATIONS: readonly CatalogueEntry[] = catalogueOf([...OKTA_OPERATIONS, ...APIGEE_OPERATIONS]);

/** The name of a simulated operation. */
export type OperationName =
  | (typeof OKTA_OPERATIONS)[number]['names'][number]
  | (typeof APIGEE_OPERATIONS)[number]['names'][number];

/** Every operation name once (an endpoint serving two methods or grants is one entry per name). */
export const OPERATION_NAMES: readonly OperationName[] = [
  ...new Set([...OKTA_OPERATIONS, ...APIGEE_OPERATIONS].flatMap((op): readonly OperationName[] => op.names)),
];
