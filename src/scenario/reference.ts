/**
 * The key reference of docs/scenarios.md, generated from the scenario's JSON Schema (itself generated from
 * the zod schemas), so that every key, type, default and description the validator knows is documented
 * and none that it does not: `okta-apigee-sim schema --markdown` prints it, and a test compares it with
 * the page.
 */

type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  description?: string;
  pattern?: string;
};

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

/** A union whose alternatives are told apart by one constant key (`type`, `action`). */
interface Variants {
  path: string;
  discriminator: string;
  alternatives: { value: string; fields: string[] }[];
}

/** Enums longer than this are a `name`: the operation names belong to docs/operations.md. */
const LONGEST_ENUM = 12;

/** Top-level sections, in the order the page shows them; anything else is in the first table. */
const SECTIONS = ['okta', 'apigee', 'faults', 'timeline', 'steps'];

/** The reference as Markdown: one table per section, and one per union of alternatives. */
export function scenarioReferenceMarkdown(schema: Record<string, unknown>): string {
  const root = schema as JsonSchema;
  const out: string[] = [];
  const top: JsonSchema = {
    properties: Object.fromEntries(
      Object.entries(root.properties ?? {}).filter(([key]) => !SECTIONS.includes(key)),
    ),
    required: root.required ?? [],
  };
  out.push(section('Top level', top, ''));
  for (const key of SECTIONS) {
    const node = root.properties?.[key];
    if (!node) continue;
    const holder: JsonSchema = { properties: { [key]: node }, required: root.required ?? [] };
    out.push(section(key, holder, ''));
  }
  return `${out.join('\n')}`;
}

function section(title: string, node: JsonSchema, prefix: string): string {
  const rows: Row[] = [];
  const variants: Variants[] = [];
  walk(node, prefix, rows, variants);
  const lines = [`### ${title}`, '', table(rows)];
  for (const union of variants) {
    lines.push(
      '',
      `\`${union.path}\` is one of these, chosen by \`${union.discriminator}\`:`,
      '',
      `| \`${union.discriminator}\` | other keys |`,
      '| --- | --- |',
      ...union.alternatives.map(
        (alternative) =>
          `| \`${escapeCell(alternative.value)}\` | ${alternative.fields.map(escapeCell).join(', ') || '(none)'} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function table(rows: Row[]): string {
  return [
    '| key | type | default | description |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${escapeCell(row.key)}\` | ${escapeCell(row.type)} | ${escapeCell(row.default)} | ${escapeCell(row.description)} |`,
    ),
  ].join('\n');
}

function walk(node: JsonSchema, path: string, rows: Row[], variants: Variants[]): void {
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path ? `${path}.${key}` : key;
    rows.push({
      key: childPath,
      type: typeName(child),
      default: child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``,
      description: `${required.has(key) ? '**required**. ' : ''}${child.description ?? ''}`.trim(),
    });
    descend(child, childPath, rows, variants);
  }
}

/** Into an object's keys, a list's items, or the alternatives of a union. */
function descend(node: JsonSchema, path: string, rows: Row[], variants: Variants[]): void {
  if (node.properties) walk(node, path, rows, variants);
  if (node.items) descend(node.items, `${path}[]`, rows, variants);
  const alternatives = node.oneOf ?? node.anyOf;
  if (!alternatives) return;
  const objects = alternatives.filter((alternative) => alternative.properties);
  const discriminator = discriminatorOf(objects);
  if (discriminator && objects.length > 1) {
    variants.push({
      path,
      discriminator,
      alternatives: objects.map((alternative) => ({
        value: String(alternative.properties?.[discriminator]?.const),
        fields: Object.entries(alternative.properties ?? {})
          .filter(([key]) => key !== discriminator)
          .map(([key, field]) => {
            const optional = alternative.required?.includes(key) ? '' : '?';
            return `\`${key}${optional}\` (${typeName(field)})`;
          }),
      })),
    });
    return;
  }
  // Alternatives without one constant key (the step kinds): their keys, each once.
  const seen = new Set(rows.map((row) => row.key));
  for (const alternative of alternatives) {
    const before = rows.length;
    descend(alternative, path, rows, variants);
    const added = rows.splice(before).filter((row) => !seen.has(row.key));
    for (const row of added) seen.add(row.key);
    rows.push(...added);
  }
}

function discriminatorOf(objects: JsonSchema[]): string | undefined {
  const first = objects[0];
  if (!first?.properties) return undefined;
  return Object.keys(first.properties).find((key) =>
    objects.every((alternative) => alternative.properties?.[key]?.const !== undefined),
  );
}

function typeName(node: JsonSchema): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) {
    return node.enum.length > LONGEST_ENUM
      ? 'name'
      : node.enum.map((value) => `\`${String(value)}\``).join(' | ');
  }
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) {
    if (isDuration(alternatives)) return 'duration';
    const names = [...new Set(alternatives.map(typeName))];
    return names.join(' or ');
  }
  switch (node.type) {
    case 'array':
      return node.items ? `list of ${plural(typeName(node.items))}` : 'list';
    case 'object':
      return node.properties || typeof node.additionalProperties !== 'object' ? 'object' : 'map';
    case undefined:
      return 'any';
    default:
      return node.type;
  }
}

function plural(name: string): string {
  return /^(object|string|integer|number|boolean|map|name)$/.test(name) ? `${name}s` : name;
}

/** Durations are a whole number of milliseconds or a string such as `16m` or `1h30m`. */
function isDuration(alternatives: JsonSchema[]): boolean {
  return (
    alternatives.length === 2 &&
    alternatives.some((alternative) => alternative.type === 'integer') &&
    alternatives.some(
      (alternative) => alternative.type === 'string' && alternative.pattern?.includes('ms|s|m|h|d'),
    )
  );
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
