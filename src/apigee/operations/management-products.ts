import { z } from 'zod';
import type { Call } from '../../http/operation.ts';
import type { Product } from '../domain/model.ts';
import { createProduct, deleteProduct, findProduct, updateProduct } from '../domain/products.ts';
import { productBody } from '../http/management-wire.ts';
import { attributeOperations } from './management-attributes.ts';
import {
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
  scalarText,
  text,
  textList,
} from './management-define.ts';

/**
 * API products (docs/fidelity/apigee.md#apigee-products): create (201), read, list, replace (`PUT`, and the
 * `POST` with a body that `apigee-edge-js` sends), delete, and their attributes.
 */

const PRODUCTS = `${ORG}/apiproducts`;
const PRODUCT = `${PRODUCTS}/:product`;

const productSchema = z.object({
  name: optional(z.string().max(1000)),
  displayName: optional(text),
  description: optional(text),
  approvalType: optional(z.enum(['auto', 'manual'])),
  apiResources: optional(textList),
  environments: optional(textList),
  proxies: optional(textList),
  scopes: optional(textList),
  quota: optional(scalarText),
  quotaInterval: optional(scalarText),
  quotaTimeUnit: optional(scalarText),
  attributes: optional(attributeList),
  operationGroup: optional(z.looseObject({})),
});

const product = (call: Call<ManagementContext>) => findProduct(call.org.apigee, call.params.product ?? '');

/**
 * X `{"apiProduct":[{"name"}]}`, Edge the names; `expand=true` whole products; sorted by name, `startKey`
 * (inclusive) and `count`; `attributename` / `attributevalue` filters.
 */
function productList(call: Call<ManagementContext>): unknown {
  const { apigee, dialect } = call.org;
  const attributeName = query(call, 'attributename');
  const attributeValue = query(call, 'attributevalue');
  const candidates = [...apigee.products.values()].filter(
    (p: Product) =>
      attributeName === null ||
      p.attributes.some(
        (a) => a.name === attributeName && (attributeValue === null || a.value === attributeValue),
      ),
  );
  const expand = flag(call, 'expand');
  const selected = page(candidates, (p) => p.name, query(call, 'startKey'), count(call, 'count', 1000));
  if (expand) return { apiProduct: selected.map((p) => productBody(dialect, p)) };
  return dialect === 'x'
    ? { apiProduct: selected.map((p) => ({ name: p.name })) }
    : selected.map((p) => p.name);
}

export const PRODUCT_OPERATIONS: readonly ManagementOperation[] = [
  management({
    name: 'listApiProducts',
    method: 'GET',
    path: PRODUCTS,
    summary: "The organization's API products (?expand=true for whole products; count, startKey)",
    run: (_, call) => productList(call),
    answer: (body) => ({ body }),
  }),
  management({
    name: 'createApiProduct',
    method: 'POST',
    path: PRODUCTS,
    summary: 'Create an API product (approvalType auto or manual)',
    input: (call) => readBody(call, productSchema),
    run: (input, call) => createProduct(call.org.apigee, input, actor(call)),
    answer: (created, call) => ({
      status: 201,
      body: productBody(call.org.dialect, created),
      principal: created.name,
    }),
  }),
  management({
    name: 'getApiProduct',
    method: 'GET',
    path: PRODUCT,
    summary: 'An API product',
    run: (_, call) => product(call),
    answer: (found, call) => ({ body: productBody(call.org.dialect, found) }),
  }),
  management({
    name: 'updateApiProduct',
    method: 'PUT',
    path: PRODUCT,
    summary: 'Replace an API product (POST with a body too, as apigee-edge-js sends it)',
    aliases: [{ method: 'POST', path: PRODUCT }],
    input: (call) => readBody(call, productSchema),
    run: (input, call) => updateProduct(call.org.apigee, call.params.product, input, actor(call)),
    answer: (updated, call) => ({ body: productBody(call.org.dialect, updated) }),
  }),
  management({
    name: 'deleteApiProduct',
    method: 'DELETE',
    path: PRODUCT,
    summary: 'Delete an API product; keys that hold it lose its resources; answers the product',
    run: (_, call) => deleteProduct(call.org.apigee, call.params.product),
    answer: (deleted, call) => ({ body: productBody(call.org.dialect, deleted) }),
  }),
  ...attributeOperations(
    PRODUCT,
    'an API product',
    {
      list: 'listApiProductAttributes',
      replace: 'updateApiProductAttributes',
      get: 'getApiProductAttribute',
      update: 'updateApiProductAttribute',
      remove: 'deleteApiProductAttribute',
    },
    product,
  ),
];
