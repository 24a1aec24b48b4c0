import { badManagementRequest, ManagementError } from './errors.ts';
import type { Attribute } from './model.ts';

/**
 * Custom attributes of developers, apps, keys, products and app groups: at most 18 per entity
 * (docs/fidelity/apigee.md#apigee-attributes), names unique within an entity, lengths capped by the
 * simulator (docs/fidelity/apigee.md#apigee-management-limits). Every check throws before anything changes.
 */
export const MAX_ATTRIBUTES = 18;
/** Caps of ours against hostile input, not Apigee's (docs/fidelity/apigee.md#apigee-management-limits). */
export const MAX_ATTRIBUTE_NAME = 1024;
export const MAX_ATTRIBUTE_VALUE = 8192;

/** Something that holds attributes and records who changed it last. */
export interface HasAttributes {
  attributes: Attribute[];
  lastModifiedAt: number;
  lastModifiedBy: string;
}

/** A checked copy of a list of attributes; `null` entries (a client defect) are dropped. */
export function checkedAttributes(list: readonly (Attribute | null)[] | undefined): Attribute[] {
  const attributes = (list ?? []).filter((a): a is Attribute => a !== null);
  if (attributes.length > MAX_ATTRIBUTES) {
    throw badManagementRequest(
      `At most ${MAX_ATTRIBUTES} custom attributes are allowed; got ${attributes.length}`,
    );
  }
  const seen = new Set<string>();
  return attributes.map(({ name, value }) => {
    checkAttribute(name, value);
    if (seen.has(name)) throw badManagementRequest(`Duplicate attribute ${name}`);
    seen.add(name);
    return { name, value };
  });
}

function checkAttribute(name: string, value: string): void {
  if (name.length === 0 || name.length > MAX_ATTRIBUTE_NAME) {
    throw badManagementRequest(`An attribute name has 1 to ${MAX_ATTRIBUTE_NAME} characters`);
  }
  if (value.length > MAX_ATTRIBUTE_VALUE) {
    throw badManagementRequest(`Attribute ${name} is longer than ${MAX_ATTRIBUTE_VALUE} characters`);
  }
}

/** `POST .../attributes`: the whole set replaced. */
export function replaceAttributes(
  entity: HasAttributes,
  list: readonly (Attribute | null)[],
  now: number,
  by: string,
): Attribute[] {
  entity.attributes = checkedAttributes(list);
  touch(entity, now, by);
  return entity.attributes;
}

/** `GET .../attributes/{name}`. */
export function attributeOf(entity: HasAttributes, name: string): Attribute {
  const found = entity.attributes.find((a) => a.name === name);
  if (!found) throw attributeNotFound(name);
  return found;
}

/** `POST .../attributes/{name}`: one attribute created or updated. */
export function setAttribute(
  entity: HasAttributes,
  name: string,
  value: string,
  now: number,
  by: string,
): Attribute {
  checkAttribute(name, value);
  const found = entity.attributes.find((a) => a.name === name);
  if (found) {
    found.value = value;
  } else {
    if (entity.attributes.length >= MAX_ATTRIBUTES) {
      throw badManagementRequest(`At most ${MAX_ATTRIBUTES} custom attributes are allowed`);
    }
    entity.attributes.push({ name, value });
  }
  touch(entity, now, by);
  return { name, value };
}

/** `DELETE .../attributes/{name}`: answers the attribute it removed. */
export function deleteAttribute(entity: HasAttributes, name: string, now: number, by: string): Attribute {
  const found = attributeOf(entity, name);
  entity.attributes = entity.attributes.filter((a) => a !== found);
  touch(entity, now, by);
  return found;
}

export function touch(entity: { lastModifiedAt: number; lastModifiedBy: string }, now: number, by: string) {
  entity.lastModifiedAt = now;
  entity.lastModifiedBy = by;
}

/**
 * An attribute the entity lacks: the code the PHP client's tests expect (`organizations.keymanagement.AttributeDoesntExist`,
 * docs/fidelity/apigee.md#apigee-attributes).
 */
function attributeNotFound(name: string): ManagementError {
  return new ManagementError({
    status: 404,
    code: 'organizations.keymanagement.AttributeDoesntExist',
    message: `Attribute ${name} does not exist`,
  });
}
