/**
 * The user documentation cannot rot: the README stays a front door, every page and anchor that the
 * repository cites exists, the generated tables match their sources, and every YAML block marked runnable
 * is a valid scenario whose steps pass. (TypeScript and shell blocks run against the packed package in
 * test/package/published.test.ts.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runSteps } from '../../src/check/run-steps.ts';
import { CONTROL_OPERATIONS } from '../../src/control-plane.ts';
import { parseScenario, validateScenario } from '../../src/scenario/parse.ts';
import { scenarioReferenceMarkdown } from '../../src/scenario/reference.ts';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import {
  codeBlocks,
  documentationFiles,
  kindOf,
  RUNNABLE_KINDS,
  runnableBlocks,
} from '../support/markdown.ts';

/**
 * Pages that engineers are writing on other branches, linked from the README and docs/README.md before
 * they land. Links to them are accepted while they do not exist; once a page exists, its anchors are
 * checked like any other. Remove an entry when its page has landed.
 */
const PAGES_TO_COME: string[] = [];

/** Files whose text may cite docs pages: sources, tests, scenarios, benchmarks, examples and the docs. */
function citingFiles(dir = '.'): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', '.git', 'coverage'].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (
        dir === '.' &&
        !['src', 'test', 'scenarios', 'bench', 'examples', 'docs', '.ci', 'bin'].includes(name)
      )
        continue;
      files.push(...citingFiles(path));
    } else if (
      /\.(md|ts|yaml|yml|js|json)$/.test(name) &&
      name !== 'package-lock.json' &&
      name !== 'schema.json'
    ) {
      files.push(path);
    }
  }
  return files;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return (
    heading
      .trim()
      .toLowerCase()
      // Inside a code span `<x>` is text, which GitHub keeps (without the brackets); elsewhere it is a tag.
      .replace(/`([^`]*)`/g, (_, code: string) => code.replace(/[<>]/g, ''))
      .replace(/<[^>]+>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
  );
}

/** The anchors of a Markdown page: explicit `<a id>`s and its headings' slugs (with GitHub's -1, -2 ...). */
function anchorsOf(page: string): Set<string> {
  const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
  const anchors = new Set<string>();
  for (const match of text.matchAll(/<a id="([^"]+)"/g)) anchors.add(match[1]!);
  const seen = new Map<string, number>();
  for (const match of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(match[1]!);
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

interface Citation {
  from: string;
  page: string;
  anchor: string | undefined;
}

/** Pages under docs/ named anywhere (with their anchor), and relative Markdown links of .md files. */
function citations(): Citation[] {
  const found: Citation[] = [];
  for (const file of citingFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?<![\w/.-])(docs\/[\w./-]+\.md)(?:#([\w-]+))?/g)) {
      found.push({ from: file, page: normalize(match[1]!), anchor: match[2] });
    }
    if (!file.endsWith('.md')) continue;
    for (const match of text.replace(/```[\s\S]*?```/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [path = '', anchor] = target.split('#');
      const page = path === '' ? file : normalize(join(dirname(file), path));
      found.push({ from: file, page, anchor });
    }
  }
  return found;
}

describe('the documentation', () => {
  it('keeps the README a front door of at most 15 KB', () => {
    expect(statSync('README.md').size).toBeLessThanOrEqual(15 * 1024);
  });

  it('resolves every docs page and anchor cited in the repository', () => {
    const broken: string[] = [];
    const anchors = new Map<string, Set<string>>();
    for (const { from, page, anchor } of citations()) {
      const exists = (() => {
        try {
          return statSync(page).isFile() || statSync(page).isDirectory();
        } catch {
          return false;
        }
      })();
      if (!exists) {
        if (!PAGES_TO_COME.includes(page) || anchor)
          broken.push(`${from}: ${page}${anchor ? `#${anchor}` : ''}`);
        continue;
      }
      if (!anchor || !page.endsWith('.md')) continue;
      if (!anchors.has(page)) anchors.set(page, anchorsOf(page));
      if (!anchors.get(page)?.has(anchor)) broken.push(`${from}: ${page}#${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it('has the key reference that the schema generates (regenerate with `npx okta-apigee-sim schema --markdown`)', () => {
    const page = readFileSync('docs/scenarios.md', 'utf8');
    const region = page.slice(
      page.indexOf('<!-- reference:start -->'),
      page.indexOf('<!-- reference:end -->'),
    );
    expect(tableCells(region)).toEqual(tableCells(scenarioReferenceMarkdown(scenarioJsonSchema())));
  });

  it('lists the control plane as it is', () => {
    const page = readFileSync('docs/control-plane.md', 'utf8');
    const region = page.slice(
      page.indexOf('<!-- control-plane:start -->'),
      page.indexOf('<!-- control-plane:end -->'),
    );
    const rows = tableCells(region).slice(1);
    expect(rows).toEqual(
      CONTROL_OPERATIONS.map((op) => [
        `\`${op.method}\``,
        `\`${op.path.replace(/:(\w+)/g, '{$1}')}\``,
        op.summary,
      ]),
    );
  });

  it('marks runnable only blocks of a kind that npm test runs', () => {
    const unknown = runnableBlocks()
      .filter((block) => !(RUNNABLE_KINDS as readonly string[]).includes(kindOf(block)))
      .map((block) => `${block.where}: ${kindOf(block)}`);
    expect(unknown).toEqual([]);
    expect(documentationFiles()).toContain('docs/scenarios.md');
  });

  it('shows the README quick starts as runnable blocks', () => {
    const kinds = codeBlocks('README.md')
      .filter((block) => block.attributes[0] === 'runnable')
      .map(kindOf);
    expect(kinds).toEqual(expect.arrayContaining(['ts vitest', 'ts browser', 'ts vite-config', 'sh']));
  });

  it('starts every shipped scenario with the schema line of the YAML language server', () => {
    const scenarios = readdirSync('scenarios', { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.yaml'),
    );
    const wrong = scenarios.filter((file) => {
      const first = readFileSync(join('scenarios', file), 'utf8').split('\n')[0] ?? '';
      const schema = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
      return (
        !schema || normalize(join('scenarios', dirname(file), schema)) !== normalize('scenarios/schema.json')
      );
    });
    expect(scenarios.length).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });

  it('keeps a changelog with the unreleased changes first, then the released versions', () => {
    const headings = [...readFileSync('CHANGELOG.md', 'utf8').matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings[0]).toBe('Unreleased');
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(headings).toContain(version);
  });
});

describe('the runnable YAML blocks', () => {
  const demo = parse(readFileSync('scenarios/default.yaml', 'utf8')) as Record<string, unknown>;
  const yamlBlocks = runnableBlocks().filter((block) => kindOf(block) === 'yaml');

  it('exist', () => {
    expect(yamlBlocks.length).toBeGreaterThan(0);
  });

  it.each(yamlBlocks.map((block) => [block.where, block] as const))(
    '%s is a valid scenario (a fragment within the demo org) whose steps pass',
    async (where, block) => {
      const value = parse(block.code) as Record<string, unknown>;
      const scenario =
        'version' in value
          ? parseScenario(block.code, 'yaml', where)
          : validateScenario({ ...demo, ...value }, where);
      const results = await runSteps(new SimulatorCore(scenario), scenario.steps);
      expect(
        results.filter((result) => !result.ok).map((result) => `${result.label}: ${result.failures}`),
      ).toEqual([]);
    },
  );
});

/** A Markdown table's cells, row by row, without the separator row; `\|` is a pipe inside a cell. */
function tableCells(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}
