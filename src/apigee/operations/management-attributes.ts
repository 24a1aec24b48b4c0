import { z } from 'zod';
import type { Call } from '../../http/operation.ts';
import {
  attributeOf,
  deleteAttribute,
  type HasAttributes,
  replaceAttributes,
  setAttribute,
} from '../domain/attributes.ts';
import { attributesBody } from '../http/management-wire.ts';
import {
  actor,
  attributeList,
  type ManagementContext,
  type ManagementOperation,
  management,
  readBody,
  scalarText,
} from './management-define.ts';

/**
 * The attribute sub-resources every attributed entity shares (docs/fidelity/apigee.md#apigee-attributes):
 * `GET`/`POST .../attributes` (the whole set, `{"attribute":[...]}`) and `GET`/`POST`/`DELETE
 * .../attributes/{name}`.
 */

export interface AttributeNames {
  list: string;
  replace: string;
  get: string;
  update: string;
  remove: string;
}

const attributeBody = z.object({ attribute: attributeList.default([]) });
const valueBody = z.object({ value: scalarText });

/** The five attribute operations of the entity at `path`, found by `entity`. */
export function attributeOperations(
  path: string,
  what: string,
  names: AttributeNames,
  entity: (call: Call<ManagementContext>) => HasAttributes,
  dialects?: ManagementOperation['dialects'],
): ManagementOperation[] {
  const one = `${path}/attributes/:attribute`;
  const nameOf = (call: Call<ManagementContext>) => call.params.attribute ?? '';
  const common = dialects ? { dialects } : {};
  return [
    management({
      name: names.list,
      method: 'GET',
      path: `${path}/attributes`,
      summary: `The attributes of ${what}`,
      ...common,
      run: (_, call) => entity(call).attributes,
      answer: (attributes) => ({ body: attributesBody(attributes) }),
    }),
    management({
      name: names.replace,
      method: 'POST',
      path: `${path}/attributes`,
      summary: `Replace the attributes of ${what}`,
      ...common,
      input: (call) => readBody(call, attributeBody).attribute,
      run: (list, call) => replaceAttributes(entity(call), list, call.org.apigee.now(), actor(call)),
      answer: (attributes) => ({ body: attributesBody(attributes) }),
    }),
    management({
      name: names.get,
      method: 'GET',
      path: one,
      summary: `One attribute of ${what}`,
      ...common,
      run: (_, call) => attributeOf(entity(call), nameOf(call)),
      answer: (attribute) => ({ body: { ...attribute } }),
    }),
    management({
      name: names.update,
      method: 'POST',
      path: one,
      summary: `Create or update one attribute of ${what}`,
      ...common,
      input: (call) => readBody(call, valueBody).value,
      run: (value, call) =>
        setAttribute(entity(call), nameOf(call), value, call.org.apigee.now(), actor(call)),
      answer: (attribute) => ({ body: { ...attribute } }),
    }),
    management({
      name: names.remove,
      method: 'DELETE',
      path: one,
      summary: `Delete one attribute of ${what}`,
      ...common,
      run: (_, call) => deleteAttribute(entity(call), nameOf(call), call.org.apigee.now(), actor(call)),
      answer: (attribute) => ({ body: { ...attribute } }),
    }),
  ];
}
