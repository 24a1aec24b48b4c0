import type { z } from 'zod';

type Schema = z.core.$ZodType;

/** The keys an object of `schema` may have at `path` (every union member's), for "did you mean" hints. */
export function knownKeys(schema: Schema, path: readonly PropertyKey[]): string[] {
  let nodes = leaves(schema);
  for (const segment of path) nodes = nodes.flatMap((node) => child(node, segment)).flatMap(leaves);
  const keys = nodes.flatMap((node) => (node._zod.def.type === 'object' ? Object.keys(shapeOf(node)) : []));
  return [...new Set(keys)];
}

/** The schemas a value is checked against once wrappers (optional, default, pipe ...) and unions are opened. */
function leaves(node: Schema): Schema[] {
  const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return leaves(def.innerType as Schema);
    case 'pipe':
      return leaves(def.in as Schema);
    case 'union':
      return (def.options as Schema[]).flatMap(leaves);
    default:
      return [node];
  }
}

function child(node: Schema, segment: PropertyKey): Schema[] {
  const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
  if (def.type === 'object' && typeof segment === 'string') {
    const found = shapeOf(node)[segment];
    return found ? [found] : [];
  }
  if (def.type === 'array') return [def.element as Schema];
  if (def.type === 'record') return [def.valueType as Schema];
  return [];
}

function shapeOf(node: Schema): Record<string, Schema> {
  return (node._zod.def as unknown as { shape: Record<string, Schema> }).shape;
}
