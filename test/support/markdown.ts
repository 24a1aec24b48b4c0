/**
 * The code blocks of the user documentation (README.md and docs/*.md) that `npm test` runs. A block is
 * run when its info string says `runnable` after the language (CONTRIBUTING.md, "Runnable docs"):
 *
 * - ```ts runnable            a module, run with node in a project that installed the packed package
 * - ```ts runnable vitest     a test file, run with vitest in that project
 * - ```ts runnable browser    a page's script, served by Vite (with the page's `ts runnable vite-config`
 *                             block as its config) and run in Chromium; it must put `SUCCESS` in the body
 * - ```ts runnable vite-config  the Vite config of the browser blocks of the same page
 * - ```sh runnable            a bash script against `okta-apigee-sim serve` of the demo org, started in
 *                             that project; `127.0.0.1:4455` becomes the server's address, every curl
 *                             must answer below 400 unless its line ends with `# => <status>`
 * - ```yaml runnable          a scenario, validated, and its `steps` run as `okta-apigee-sim check` does;
 *                             a block without `version` is a fragment, merged into the demo org first
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CodeBlock {
  /** `README.md:42`: the file and the line of the opening fence. */
  where: string;
  file: string;
  line: number;
  language: string;
  /** The words after the language: `runnable`, then its kind (`vitest`, `browser` ...). */
  attributes: string[];
  code: string;
}

/** README.md, CONTRIBUTING.md and docs/*.md (not the generated or ledger pages' subfolders). */
export function documentationFiles(root = '.'): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', ...docs];
}

/** Every fenced code block of a Markdown file. */
export function codeBlocks(file: string, root = '.'): CodeBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```', language = '', rest = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const text = lines[j] ?? '';
      if (text.trim().startsWith(fence) && text.trim().replace(/[`~]/g, '') === '') break;
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text);
    }
    blocks.push({
      where: `${file}:${i + 1}`,
      file,
      line: i + 1,
      language,
      attributes: rest.split(/\s+/).filter(Boolean),
      code: `${body.join('\n')}\n`,
    });
    i = j;
  }
  return blocks;
}

/** The blocks marked runnable, in every documentation file. */
export function runnableBlocks(root = '.'): CodeBlock[] {
  return documentationFiles(root)
    .flatMap((file) => codeBlocks(file, root))
    .filter((block) => block.attributes[0] === 'runnable');
}

/** The kind of a runnable block: its language and the word after `runnable` (`ts vitest`, `sh` ...). */
export function kindOf(block: CodeBlock): string {
  return [block.language, ...block.attributes.slice(1)].join(' ');
}

export const RUNNABLE_KINDS = ['ts', 'ts vitest', 'ts browser', 'ts vite-config', 'sh', 'yaml'] as const;
