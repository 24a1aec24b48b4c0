import { checkedAttributes, touch } from './attributes.ts';
import { badManagementRequest, managementError } from './errors.ts';
import type { ApprovalType, Attribute, Product } from './model.ts';
import type { ApigeeOrg } from './org.ts';

/**
 * API products through the management API (docs/fidelity/apigee.md#apigee-products): create, replace,
 * delete. A product's `approvalType` decides whether keys that get it start `approved` or `pending`; its
 * `apiResources` are what the runtime matches, every path when there are none
 * (docs/fidelity/apigee.md#apigee-empty-product). Deleting a product leaves the keys that hold it; they lose
 * its resources.
 */

/** Letters, digits, space and `_ - . # $ %`, at most 100 (docs/fidelity/apigee.md#apigee-management-names). */
const PRODUCT_NAME = /^[A-Za-z0-9 _.#$%-]+$/;
const MAX_PRODUCT_NAME = 100;
/** Caps of ours against hostile input (docs/fidelity/apigee.md#apigee-management-limits). */
const MAX_LIST = 1000;
const MAX_TEXT = 4096;

export interface ProductInput {
  name: string | undefined;
  displayName: string | undefined;
  description: string | undefined;
  approvalType: ApprovalType | undefined;
  apiResources: readonly string[] | undefined;
  environments: readonly string[] | undefined;
  proxies: readonly string[] | undefined;
  scopes: readonly string[] | undefined;
  quota: string | undefined;
  quotaInterval: string | undefined;
  quotaTimeUnit: string | undefined;
  attributes: readonly (Attribute | null)[] | undefined;
  operationGroup: unknown;
}

export function findProduct(org: ApigeeOrg, name: string): Product {
  const product = org.products.get(name);
  if (!product) throw managementError('ApiProductDoesNotExist', [name, org.config.organization]);
  return product;
}

/** `POST /apiproducts`: 201 with the product; a name in use is a 409. */
export function createProduct(org: ApigeeOrg, input: ProductInput, by: string): Product {
  const name = input.name;
  if (name === undefined || name === '') {
    throw badManagementRequest('An API product needs a name', [{ field: 'name', description: 'Required' }]);
  }
  checkProductName(name);
  const fields = checkedFields(input);
  if (org.products.has(name)) throw managementError('ApiProductAlreadyExists', [name]);
  const now = org.now();
  const product: Product = {
    name,
    ...fields,
    displayName: input.displayName || name,
    createdAt: now,
    lastModifiedAt: now,
    createdBy: by,
    lastModifiedBy: by,
  };
  org.products.set(name, product);
  return product;
}

/**
 * `PUT /apiproducts/{p}` (and `POST` with a body, which `apigee-edge-js` sends): every field replaced by the
 * body's; the name cannot change (docs/fidelity/apigee.md#apigee-products).
 */
export function updateProduct(org: ApigeeOrg, name: string, input: ProductInput, by: string): Product {
  const product = findProduct(org, name);
  if (input.name !== undefined && input.name !== name) {
    throw badManagementRequest(`The name of API product ${name} cannot be changed to ${input.name}`, [
      { field: 'name', description: 'API product names cannot change' },
    ]);
  }
  const fields = checkedFields(input);
  Object.assign(product, fields, { displayName: input.displayName || product.displayName });
  touch(product, org.now(), by);
  return product;
}

/** `DELETE /apiproducts/{p}`: the product; keys that hold it keep the entry and lose its resources. */
export function deleteProduct(org: ApigeeOrg, name: string): Product {
  const product = findProduct(org, name);
  org.products.delete(name);
  return product;
}

function checkProductName(name: string): void {
  if (name.length > MAX_PRODUCT_NAME || !PRODUCT_NAME.test(name)) {
    throw badManagementRequest(`Invalid API product name ${JSON.stringify(name)}`, [
      {
        field: 'name',
        description: `1 to ${MAX_PRODUCT_NAME} letters, digits, spaces and _ - . # $ %`,
      },
    ]);
  }
}

type ProductFields = Omit<
  Product,
  'name' | 'displayName' | 'createdAt' | 'lastModifiedAt' | 'createdBy' | 'lastModifiedBy'
>;

function checkedFields(input: ProductInput): ProductFields {
  const apiResources = list('apiResources', input.apiResources);
  for (const resource of apiResources) {
    if (!resource.startsWith('/') || /[\s?#]/.test(resource)) {
      throw badManagementRequest(`Invalid API resource ${JSON.stringify(resource)}`, [
        { field: 'apiResources', description: 'Paths such as /, /** or /v1/orders/*' },
      ]);
    }
  }
  const scopes = list('scopes', input.scopes);
  if (scopes.some((scope) => scope === '' || /\s/.test(scope))) {
    throw badManagementRequest('A scope is one word', [
      { field: 'scopes', description: 'Non-empty, no spaces' },
    ]);
  }
  for (const [field, value] of [
    ['description', input.description],
    ['quota', input.quota],
    ['quotaInterval', input.quotaInterval],
    ['quotaTimeUnit', input.quotaTimeUnit],
  ] as const) {
    if (value !== undefined && value.length > MAX_TEXT) {
      throw badManagementRequest(`${field} is longer than ${MAX_TEXT} characters`);
    }
  }
  return {
    description: input.description ?? '',
    approvalType: input.approvalType ?? 'auto',
    apiResources,
    resources: apiResources.length > 0 ? apiResources : ['/**'],
    environments: list('environments', input.environments),
    proxies: list('proxies', input.proxies),
    scopes,
    quota: input.quota,
    quotaInterval: input.quotaInterval,
    quotaTimeUnit: input.quotaTimeUnit,
    attributes: checkedAttributes(input.attributes),
    operationGroup: input.operationGroup,
  };
}

function list(field: string, values: readonly string[] | undefined): string[] {
  const items = [...new Set(values ?? [])];
  if (items.length > MAX_LIST) throw badManagementRequest(`${field} has more than ${MAX_LIST} entries`);
  if (items.some((item) => item.length > MAX_TEXT)) {
    throw badManagementRequest(`An entry of ${field} is longer than ${MAX_TEXT} characters`);
  }
  return items;
}
