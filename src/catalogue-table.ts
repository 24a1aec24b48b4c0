import { OPERATIONS } from './catalogue.ts';

/** The operation catalogue as a Markdown table per vendor: what `okta-apigee-sim operations` prints. */
export function catalogueMarkdown(): string {
  const sections: string[] = [];
  for (const vendor of ['okta', 'apigee'] as const) {
    const rows = OPERATIONS.filter((entry) => entry.vendor === vendor).map(
      (entry) => `| \`${entry.name}\` | ${entry.method} | \`${entry.path}\` | ${entry.summary} |`,
    );
    sections.push(
      `### ${vendor === 'okta' ? 'Okta' : 'Apigee'}\n\n| operation | method | path | what it does |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`,
    );
  }
  return sections.join('\n');
}
