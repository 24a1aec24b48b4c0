import type { z } from 'zod';

type Schema = z.core.$ZodType;

/** The keys an object of `schema` may have at `path` (every union member's), for "did you mean" hints. */
export function knownKeys(schema: Schema, path: readonly PropertyKey[]): string[] {
  let nodes = leaves(schema);
  for (const segment of path) nodes = nodes.flatMap((node) => child(node, segment)).flatMap(leaves);
  const keys = nodes.flatMap((node) => {
    const def = defOf(node);
    return def.type === 'object' ? Object.keys(def.shape) : [];
  });
  return [...new Set(keys)];
}

/** The schemas a value is checked against once wrappers (optional, default, pipe ...) and unions are opened. */
function leaves(node: Schema): Schema[] {
  const def = defOf(node);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return leaves(def.innerType);
    case 'pipe':
      return leaves(def.in);
    case 'union':
      return def.options.flatMap(leaves);
    default:
      return [node];
  }
}

function child(node: Schema, segment: PropertyKey): Schema[] {
  const def = defOf(node);
  if (def.type === 'object' && typeof segment === 'string') {
    const found = def.shape[segment];
    return found ? [found] : [];
  }
  if (def.type === 'array') return [def.element];
  if (def.type === 'record') return [def.valueType];
  return [];
}

/**
 * A schema's definition, told apart by its `type`. Every zod schema is one of `$ZodTypes`, but `$ZodType`
 * does not say so; zod's docs narrow this way, and it is the one assertion here.
 */
function defOf(node: Schema): z.core.$ZodTypes['_zod']['def'] {
  return (node as z.core.$ZodTypes)._zod.def;
}
