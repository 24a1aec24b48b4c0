import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

/** Runs the CLI in-process and captures what it prints. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args) => void err.push(args.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'oas-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('okta-apigee-sim validate', () => {
  it('accepts valid YAML and JSON scenarios', async () => {
    const json = file(
      'ok.json',
      JSON.stringify({ version: 1, okta: { users: [{ login: 'a@example.com' }] } }),
    );
    const result = await run('validate', 'scenarios/default.yaml', json);
    expect(result.code).toBe(0);
    expect(result.out).toContain('ok    scenarios/default.yaml');
    expect(result.out).toContain('2 valid, 0 invalid');
  });

  it('lists every problem with file:line:column and exits 1', async () => {
    const bad = file(
      'bad.yaml',
      'version: 1\nokta:\n  users:\n    - { login: a, status: GONE }\n  extra: true\n',
    );
    const result = await run('validate', bad, 'scenarios/default.yaml');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${bad}:4:27  okta.users.0.status: Invalid option`);
    expect(result.err).toContain(`${bad}:5:3  okta.extra: Unknown key "extra"`);
    expect(result.out).toContain('1 valid, 1 invalid');
  });

  it('reports a missing file without a stack trace', async () => {
    const result = await run('validate', join(dir, 'nope.yaml'));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/FAIL .*nope\.yaml\n {2}ENOENT/);
  });
});

describe('okta-apigee-sim schema and help', () => {
  it('prints the JSON Schema of scenario files', async () => {
    const result = await run('schema');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ title: 'okta-apigee-sim scenario', type: 'object' });
  });

  it('prints usage, and exits 2 for an unknown command', async () => {
    expect((await run('help')).out).toContain('Usage: okta-apigee-sim');
    expect((await run('frobnicate')).code).toBe(2);
  });
});

describe('okta-apigee-sim serve', () => {
  let child: ReturnType<typeof spawn> | undefined;
  afterEach(() => child?.kill('SIGKILL'));

  it('serves the default scenario, prints how to use it and stops cleanly on SIGINT', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      child?.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
      child?.stdout?.on('data', () => {
        const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match && output.includes('Ctrl-C')) resolve(match[1] as string);
      });
    });
    expect(output).toContain('Default demo org');
    expect(output).toContain('totp@example.com');
    expect(output).toContain('SSWS');
    expect(await (await fetch(`${url}/__sim/health`)).json()).toEqual({ ok: true });
    const authn = await fetch(`${url}/api/v1/authn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'password@example.com', password: 'Passw0rd!' }),
    });
    expect((await authn.json()).status).toBe('SUCCESS');
    const exited = new Promise<number | null>((resolve) => child?.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Stopped.');
  });

  it('refuses an invalid scenario before listening', async () => {
    const bad = file('bad-serve.yaml', 'version: 3\n');
    const result = await run('serve', bad, '--port', '0');
    expect(result.code).toBe(1);
    expect(result.err).toContain('version');
  });
});
