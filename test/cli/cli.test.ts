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

describe('okta-apigee-sim serve --watch', () => {
  let child: ReturnType<typeof spawn> | undefined;
  afterEach(() => child?.kill('SIGKILL'));

  it('reloads the scenario on change on the same port, and keeps it when the new one is invalid', async () => {
    const scenario = (password: string) =>
      `version: 1\nname: watched ${password}\nokta:\n  users: [{ login: a@example.com, password: ${password} }]\n`;
    const path = file('watched.yaml', scenario('First-Passw0rd'));
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', path, '--port', '0', '--watch'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.includes(text)) resolve();
        };
        child?.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          check();
        });
        child?.stderr?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          check();
        });
        child?.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
        check();
      });
    await waitFor('Watching');
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] as string;
    const signIn = async (password: string) =>
      (
        await fetch(`${url}/api/v1/authn`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'a@example.com', password }),
        })
      ).status;
    expect(await signIn('First-Passw0rd')).toBe(200);
    writeFileSync(path, scenario('Second-Passw0rd'));
    await waitFor('Reloaded');
    expect(await signIn('Second-Passw0rd')).toBe(200);
    expect(await signIn('First-Passw0rd')).toBe(401);
    writeFileSync(path, 'version: 1\nokta: { users: [{ login: 5 }] }\n');
    await waitFor('Kept the previous scenario');
    expect(output).toContain('okta.users.0.login');
    expect(await signIn('Second-Passw0rd')).toBe(200);
  });
});

describe('okta-apigee-sim check', () => {
  const scenario = (expectStatus: number) => `version: 1
name: checked
clock: { start: 2026-01-01T00:00:00Z, frozen: true }
okta:
  users: [{ login: a@example.com, password: Passw0rd! }]
steps:
  - name: sign in
    request: { method: POST, url: "{{okta}}/api/v1/authn", json: { username: a@example.com, password: Passw0rd! } }
    expect: { status: 200, json: { status: SUCCESS } }
    capture: { token: "$.sessionToken" }
  - advance: 5m
  - name: too late
    request: { method: POST, url: "{{okta}}/api/v1/sessions", json: { sessionToken: "{{token}}" } }
    expect: { status: ${expectStatus}, json: { errorCode: "/^E00000(04|11)$/" } }
`;

  it('prints each step and the totals, exiting 0 when every step passes', async () => {
    const result = await run('check', file('pass.yaml', scenario(401)));
    expect(result.code).toBe(0);
    expect(result.out).toContain('ok    1 sign in: POST https://dev-000000.okta.com/api/v1/authn -> 200');
    expect(result.out).toContain('ok    2 advance 5m');
    expect(result.out).toMatch(/3 passed, 0 failed$/);
  });

  it('reports what a failing step expected, and exits 1', async () => {
    const result = await run('check', file('fail.yaml', scenario(201)));
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAIL  3 too late: POST https://dev-000000.okta.com/api/v1/sessions -> 401');
    expect(result.out).toContain('status: expected 201, got 401');
    expect(result.out).toMatch(/2 passed, 1 failed$/);
  });

  it('checks every scenario file under a directory and leaves the JSON Schema out', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'oas-check-'));
    writeFileSync(join(folder, 'a.yaml'), scenario(401));
    writeFileSync(
      join(folder, 'schema.json'),
      JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema' }),
    );
    const result = await run('check', folder);
    expect(result.code).toBe(0);
    expect(result.out).not.toContain('schema.json');
    expect(result.out).toMatch(/3 passed, 0 failed$/);
  });

  it('fails a step whose request gets no answer in time (a hang fault), instead of exiting quietly', async () => {
    const hang = `version: 1
okta: { users: [{ login: a@example.com, password: Passw0rd! }] }
faults: [{ match: { operation: primaryAuthentication }, effect: { type: hang } }]
steps:
  - request: { method: POST, url: "{{okta}}/api/v1/authn", json: { username: a@example.com, password: Passw0rd! }, timeout: 100ms }
    expect: { status: 200 }
`;
    const result = await run('check', file('hang.yaml', hang));
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAIL  1 POST https://dev-000000.okta.com/api/v1/authn -> no answer');
    expect(result.out).toContain('no answer within 100ms');
    expect(result.out).toMatch(/0 passed, 1 failed$/);
  });

  it('fills templates in actions, captures part of a header, and checks JWT claims', async () => {
    const scenario = `version: 1
clock: { start: 2026-01-01T00:00:00Z, frozen: true }
okta: { users: [{ login: a@example.com, password: Passw0rd! }] }
apigee:
  developers: [{ email: dev@example.com }]
  products: [{ name: orders, resources: ["/v1/**"] }]
  apps:
    - { name: web, developer: dev@example.com, tokenFormat: jwt, keys: [{ consumerKey: web-key, consumerSecret: s, products: [orders] }] }
steps:
  - request: { method: POST, url: "{{okta}}/api/v1/authn", json: { username: a@example.com, password: Passw0rd! } }
    capture: { token: "$.sessionToken" }
  - request: { method: GET, url: "{{okta}}/login/sessionCookieRedirect?token={{token}}&redirectUrl=http://localhost/app" }
    expect: { status: 302 }
    capture: { sid: "header:set-cookie /sid=([^;]+)/" }
  - request: { method: GET, url: "{{okta}}/api/v1/sessions/me", headers: { Cookie: "sid={{sid}}" } }
    expect: { status: 200, json: { login: a@example.com } }
  - request: { method: POST, url: "{{apigee}}/oauth/token", headers: { Authorization: "{{basic web}}" }, form: { grant_type: client_credentials } }
    expect: { status: 200, jwt: { at: "$.access_token", header: { typ: at+JWT, alg: RS256 }, claims: { client_id: web-key, iss: "/oauth$/" } } }
    capture: { issuedAt: "$.issued_at" }
  - do: { action: apigee.revokeAll, app: web, before: "{{now}}", cascade: true }
  - do: { action: apigee.revokeApp, app: "{{nothing}}" }
`;
    const result = await run('check', file('templates.yaml', scenario));
    expect(result.out).toContain('ok    5 do apigee.revokeAll');
    expect(result.out).toContain('FAIL  6 step 6');
    expect(result.out).toContain('{{nothing}} is neither captured by an earlier step nor a known template');
    expect(result.out).toMatch(/5 passed, 1 failed$/);
  });
});
