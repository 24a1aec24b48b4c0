/**
 * The layering CONTRIBUTING.md draws, checked over the import graph of src (type-only imports included):
 * core imports nothing of ours, a vendor's domain only core and itself, src/http only core and itself,
 * msw only in create-simulator.ts, src/node and src/browser, and no cycles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|import\('([^']+)'\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** file (relative to src) → what it imports: files of ours (relative to src) and packages. */
const graph = new Map<string, { ours: string[]; packages: string[] }>();
for (const file of sourceFiles(SRC)) {
  const text = readFileSync(file, 'utf8');
  const ours: string[] = [];
  const packages: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const target = (match[1] ?? match[2] ?? match[3]) as string;
    if (target.startsWith('.')) ours.push(relative(SRC, normalize(join(dirname(file), target))));
    else packages.push(target);
  }
  graph.set(relative(SRC, file), { ours, packages });
}

const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);

/** Files in `from` that import files outside `allowed`. */
function violations(from: (file: string) => boolean, allowed: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const [file, { ours }] of graph) {
    if (!from(file)) continue;
    for (const target of ours) if (!allowed(target)) found.push(`${file} -> ${target}`);
  }
  return found;
}

describe('the layering of src', () => {
  it('reads every source file', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('simulator.ts')?.ours).toContain('http/dispatcher.ts');
  });

  it('keeps core free of the rest', () => {
    expect(violations(under('core'), under('core'))).toEqual([]);
  });

  it("keeps each vendor's domain to core and itself", () => {
    for (const vendor of ['okta', 'apigee']) {
      const domain = under(`${vendor}/domain`);
      expect(violations(domain, (target) => under('core')(target) || domain(target))).toEqual([]);
    }
  });

  it('keeps src/http vendor-neutral: core and itself', () => {
    expect(violations(under('http'), (target) => under('core')(target) || under('http')(target))).toEqual([]);
  });

  it('imports msw only in create-simulator.ts, src/node and src/browser', () => {
    const allowed = (file: string) =>
      file === 'create-simulator.ts' || under('node')(file) || under('browser')(file);
    const importers = [...graph].filter(([, { packages }]) =>
      packages.some((p) => p === 'msw' || p.startsWith('msw/')),
    );
    expect(importers.map(([file]) => file).filter((file) => !allowed(file))).toEqual([]);
    expect(importers.length).toBeGreaterThan(0);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file)?.ours ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
