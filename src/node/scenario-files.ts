import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isRecord } from '../core/guards.ts';

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * The scenario files named by command-line arguments: files as given, directories searched for .yaml,
 * .yml and .json files (sorted). The generated JSON Schema is not a scenario and is left out.
 */
export async function scenarioFiles(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (info?.isDirectory()) {
      const entries = await readdir(arg, { recursive: true });
      for (const entry of entries.sort()) {
        const path = join(arg, entry);
        if (SCENARIO_EXTENSIONS.has(extname(path).toLowerCase()) && !(await isJsonSchema(path)))
          files.push(path);
      }
    } else if (!(info && (await isJsonSchema(arg)))) {
      files.push(arg);
    }
  }
  return files;
}

async function isJsonSchema(path: string): Promise<boolean> {
  if (extname(path).toLowerCase() !== '.json') return false;
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isRecord(value) && typeof value.$schema === 'string' && value.$schema.includes('json-schema.org');
  } catch {
    return false;
  }
}
