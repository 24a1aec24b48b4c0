/**
 * The `okta-apigee-sim` command as users run it: the built bin (`npm run build`, then
 * `node bin/okta-apigee-sim.js ...`), spawned with its output piped (so without colours unless told).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.ts';

const BIN = 'bin/okta-apigee-sim.js';
const ESC = '\u001b[';
/** The environment of a spawned command: no colour settings inherited from the one running the tests. */
const ENV: NodeJS.ProcessEnv = { ...process.env };
delete ENV.NO_COLOR;
delete ENV.FORCE_COLOR;

beforeAll(ensureBuilt, 120_000);

/** Runs the bin to its end. */
function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...ENV, ...env } }, (error, out, err) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'oas-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A running `serve`: what it printed so far, and a way to wait for a line. */
interface Served {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  waitFor(text: string | RegExp, stream?: 'out' | 'err'): Promise<void>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function serve(args: string[], env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...ENV, ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const check of waiters) check();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const check of waiters) check();
  });
  return {
    child,
    out: () => out,
    err: () => err,
    waitFor: (text, stream = 'out') =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          const seen = stream === 'out' ? out : err;
          if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
        check();
      }),
  };
}

/** The URL the banner prints first. */
function urlOf(banner: string): string {
  return /at (https?:\/\/[^\s]+)/.exec(banner)?.[1] as string;
}

/** A plain http request with any Host header (fetch cannot set one). */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('help, version and usage errors', () => {
  it('prints the version and help for every command', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await run(['--version'])).toMatchObject({ code: 0, out: `${pkg.version}\n` });
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toContain('Usage: okta-apigee-sim <command> [options]');
    const commands = ['serve', 'validate', 'check', 'schema', 'operations'];
    const helps = await Promise.all(commands.map((command) => run([command, '--help'])));
    const topic = run(['help', 'serve']);
    commands.forEach((command, i) => {
      const help = helps[i]!;
      expect([command, help.code, help.out.split('\n')[0]]).toEqual([
        command,
        0,
        expect.stringContaining(`Usage: okta-apigee-sim ${command}`),
      ]);
    });
    expect((await topic).out).toBe(helps[0]?.out);
    expect((await run(['serve', '-h'])).out).toContain('--https');
    // docs/cli.md shows each of them as it is.
    const page = readFileSync('docs/cli.md', 'utf8');
    expect(page).toContain(`$ okta-apigee-sim --help\n${top.out}\`\`\``);
    commands.forEach((command, i) => {
      expect(page).toContain(`$ okta-apigee-sim ${command} --help\n${helps[i]?.out}\`\`\``);
    });
  }, 60_000);

  it('answers a usage problem with one line and exit status 2, never a stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const cases: [string[], RegExp][] = [
      [['serve', '--frob'], /^okta-apigee-sim serve: unknown option --frob; see --help for the options\n$/],
      [
        ['serve', '--port'],
        /^okta-apigee-sim serve: Option '--port <value>' argument missing; see --help\n$/,
      ],
      [['serve', '--port', 'http'], /^okta-apigee-sim serve: --port must be a port number/],
      [['serve', '--log=xml'], /^okta-apigee-sim serve: --log is text or json, got "xml"\n$/],
      [['serve', '--cert', 'a.pem'], /^okta-apigee-sim serve: --cert and --key go together\n$/],
      [
        ['serve', '--port', String(port)],
        new RegExp(
          `^okta-apigee-sim serve: port ${port} on 127\\.0\\.0\\.1 is in use; choose another with --port`,
        ),
      ],
      [
        ['serve', join(dir, 'nope.yaml')],
        /^okta-apigee-sim serve: cannot read .*nope\.yaml: no such file\n$/,
      ],
      [
        ['validate', join(dir, 'nope.yaml')],
        /^okta-apigee-sim validate: cannot read .*nope\.yaml: no such file\n$/,
      ],
      [
        ['check', dir, '--reporter', 'xml'],
        /^okta-apigee-sim check: --reporter is text, junit, tap, json; got "xml"\n$/,
      ],
      [['validate'], /^okta-apigee-sim validate: needs a file or directory/],
      [['frobnicate'], /^okta-apigee-sim: unknown command "frobnicate"/],
    ];
    try {
      const results = await Promise.all(cases.map(([args]) => run(args)));
      for (const [i, [args, expected]] of cases.entries()) {
        const result = results[i]!;
        expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
        expect(result.err).toMatch(expected);
        expect(result.err.trim().split('\n')).toHaveLength(1);
        expect(result.err).not.toMatch(/\n\s+at /);
      }
    } finally {
      busy.close();
    }
  }, 60_000);

  it('lists every problem of an invalid scenario with file:line:column and exits 1', async () => {
    const bad = file(
      'bad.yaml',
      'version: 1\nokta:\n  users:\n    - { login: a, status: GONE }\n  extra: true\n',
    );
    const result = await run(['validate', bad, 'scenarios/default.yaml']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${bad}:4:27  okta.users.0.status: Invalid option`);
    expect(result.err).toContain(`${bad}:5:3  okta.extra: Unknown key "extra"`);
    expect(result.out).toContain('ok    scenarios/default.yaml');
    expect(result.out).toContain('1 valid, 1 invalid');
  });

  it('colours only when told or on a terminal, and never with NO_COLOR', async () => {
    const piped = await run(['validate', 'scenarios/default.yaml']);
    expect(piped.out).not.toContain(ESC);
    const forced = await run(['validate', 'scenarios/default.yaml'], { FORCE_COLOR: '1' });
    expect(forced.out).toContain(`${ESC}32mok${ESC}39m`);
    const refused = await run(['validate', 'scenarios/default.yaml'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(refused.out).not.toContain(ESC);
  });
});

describe('okta-apigee-sim serve', () => {
  it('prints URLs clients can use when bound to every interface, with the control token in its examples', async () => {
    const served = serve([
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--allowed-host',
      'sim.test',
      '--control-token',
      's3cret',
    ]);
    await served.waitFor('Ctrl-C');
    const banner = served.out();
    const url = urlOf(banner);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(url).port;
    expect(banner).toContain(`  and http://sim.test:${port}`);
    expect(banner).not.toContain('0.0.0.0:');
    expect(banner).toContain(`curl -s -H 'Authorization: Bearer s3cret' ${url}/__sim/state`);
    expect(banner).toContain(`Inspector: ${url}/__sim/ui?token=s3cret `);
    expect(banner).toContain(`${url}/__sim/okta/users/totp@example.com/codes`);
    expect(served.err()).toContain('Warning: listening on 0.0.0.0');
    // Both URLs pass the control plane's Host check with the token, and nothing passes without it.
    const auth = { Authorization: 'Bearer s3cret' };
    expect((await get(`${url}/__sim/health`, auth)).status).toBe(200);
    expect((await get(`${url}/__sim/health`, { ...auth, Host: `sim.test:${port}` })).status).toBe(200);
    expect((await get(`${url}/__sim/health`)).status).toBe(401);
    expect((await get(`${url}/__sim/health`, { Host: `evil.test:${port}` })).status).toBe(403);

    const exited = new Promise<number | null>((resolve) => served.child.on('exit', resolve));
    served.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(served.out()).toContain('Stopped.');
  });

  it('logs a line per request with --log, and JSON lines with --log=json (the banner on stderr)', async () => {
    const text = serve(['--port', '0', '--log']);
    await text.waitFor('Ctrl-C');
    const url = urlOf(text.out());
    await fetch(`${url}/api/v1/authn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'password@example.com', password: 'wrong' }),
    });
    await text.waitFor('primaryAuthentication');
    expect(text.out()).toMatch(
      /\n\d\d:\d\d:\d\d\.\d{3} \[\d{4}-\d\d-\d\dT[\d:.]+Z\] POST \/api\/v1\/authn 401 primaryAuthentication E0000004 password@example\.com [\d.]+ms\n/,
    );

    const json = serve(['--port', '0', '--log=json', '--capture']);
    await json.waitFor('Ctrl-C', 'err');
    expect(json.out()).toBe('');
    const jsonUrl = urlOf(json.err());
    await fetch(`${jsonUrl}/oauth/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${btoa('web-key:web-secret')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    await json.waitFor('generateAccessToken');
    const entry = JSON.parse(json.out().trim().split('\n')[0] as string);
    expect(entry).toMatchObject({
      method: 'POST',
      url: `${jsonUrl}/oauth/token`,
      vendor: 'apigee',
      operation: 'generateAccessToken',
      status: 200,
      principal: 'web-key',
      request: { headers: { authorization: 'Basic ****' } },
      response: { headers: { 'content-type': expect.stringContaining('application/json') } },
    });
    expect(JSON.parse(entry.response.body).access_token).toBe('****');
    expect(typeof entry.durationMs).toBe('number');
    expect(entry.wall).toMatch(/Z$/);
  });

  it('serves https with a self-signed certificate for the served names, written where the banner says', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'oas-certs-'));
    const served = serve(['--port', '0', '--https', '--cert-dir', certDir]);
    await served.waitFor('Ctrl-C');
    const banner = served.out();
    const url = urlOf(banner);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const certFile = /HTTPS certificate \(self-signed, made now\): (\S+)/.exec(banner)?.[1] as string;
    expect(certFile.startsWith(certDir)).toBe(true);
    expect(banner).toContain(`NODE_EXTRA_CA_CERTS='${certFile}'`);
    const ca = readFileSync(certFile, 'utf8');
    const port = Number(new URL(url).port);
    for (const host of ['127.0.0.1', 'localhost']) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest({ host, port, path: '/__sim/health', ca }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect([host, answer.status, answer.body]).toEqual([host, 200, '{"ok":true}']);
    }
    served.child.kill('SIGKILL');
    // The next start finds the certificate and uses it again.
    const again = serve(['--port', '0', '--https', '--cert-dir', certDir]);
    await again.waitFor('Ctrl-C');
    expect(again.out()).toContain(`HTTPS certificate (self-signed): ${certFile}`);
  });
});

describe('okta-apigee-sim serve --watch', () => {
  const scenario = (password: string, users: string[] = ['a@example.com']) =>
    `version: 1\nname: watched ${password}\nclock: { start: 2026-01-01T00:00:00Z, frozen: true }\nokta:\n  users: [${users
      .map((login) => `{ login: ${login}, password: Passw0rd! }`)
      .join(', ')}]\n  policy: { lockout: { maxAttempts: ${password === 'strict' ? 2 : 10} } }\n`;

  it('keeps the state when the users are the same, resets it when they change, and says which', async () => {
    const path = file('watched.yaml', scenario('lenient'));
    const served = serve([path, '--port', '0', '--watch']);
    await served.waitFor('Watching');
    const url = urlOf(served.out());
    const signIn = async (username: string, password = 'Passw0rd!') =>
      (
        await fetch(`${url}/api/v1/authn`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username, password }),
        })
      ).status;
    const clock = () =>
      fetch(`${url}/__sim/clock`)
        .then((r) => r.json())
        .then((c: { now: string }) => c.now);
    expect(await signIn('a@example.com')).toBe(200);
    await fetch(`${url}/__sim/clock`, { method: 'POST', body: JSON.stringify({ advance: '5m' }) });

    writeFileSync(path, scenario('strict'));
    await served.waitFor('Reloaded');
    expect(served.out()).toContain('"watched strict" (state kept: same users and apps)');
    expect(await clock()).toBe('2026-01-01T00:05:00.000Z');
    const journal = (await (await fetch(`${url}/__sim/requests`)).json()) as unknown[];
    expect(journal).toHaveLength(1);
    // The new lock-out policy applies to the kept user.
    await signIn('a@example.com', 'wrong');
    await signIn('a@example.com', 'wrong');
    expect(await signIn('a@example.com')).toBe(401);

    writeFileSync(path, scenario('strict', ['a@example.com', 'b@example.com']));
    await served.waitFor('state reset');
    expect(served.out()).toContain('(state reset: okta.users changed)');
    expect(await clock()).toBe('2026-01-01T00:00:00.000Z');
    expect(await signIn('a@example.com')).toBe(200);
    expect(await signIn('b@example.com')).toBe(200);

    writeFileSync(path, 'version: 1\nokta: { users: [{ login: 5 }] }\n');
    await served.waitFor('Kept the previous scenario');
    expect(served.err()).toContain('okta.users.0.login');
    expect(await signIn('b@example.com')).toBe(200);
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
    const result = await run(['check', file('pass.yaml', scenario(401))]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('ok    1 sign in: POST https://dev-000000.okta.com/api/v1/authn -> 200');
    expect(result.out).toContain('ok    2 advance 5m');
    expect(result.out).toMatch(/\n3 passed, 0 failed\n$/);
  });

  it('reports a failing step with its request and response, coloured when told, and exits 1', async () => {
    const failing = file('fail.yaml', scenario(201));
    const result = await run(['check', failing]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAIL  3 too late: POST https://dev-000000.okta.com/api/v1/sessions -> 401');
    expect(result.out).toContain('          status: expected 201, got 401');
    expect(result.out).toContain('          > POST https://dev-000000.okta.com/api/v1/sessions');
    expect(result.out).toContain('          > content-type: application/json');
    expect(result.out).toMatch(/ {10}> \{"sessionToken":"\w+"\}/);
    expect(result.out).toContain('          < 401');
    expect(result.out).toMatch(/ {10}< x-okta-request-id: \w+/);
    expect(result.out).toContain('          < {"errorCode":"E0000004"');
    expect(result.out).toMatch(/\n2 passed, 1 failed\n$/);
    const coloured = await run(['check', failing], { FORCE_COLOR: '1' });
    expect(coloured.out).toContain(`${ESC}31mFAIL${ESC}39m`);
    expect(coloured.out).toContain(`${ESC}32mok  ${ESC}39m`);
  });

  it('writes JUnit XML, TAP and JSON reports with the failing exchange', async () => {
    const failing = file('fail-report.yaml', scenario(201));
    const invalid = file('invalid-report.yaml', 'version: 1\nstepz: []\n');
    const junit = await run(['check', failing, invalid, '--reporter', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.out).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="okta-apigee-sim check" tests="4" failures="2"/,
    );
    expect(junit.out).toContain(`<testsuite name="${failing}: checked" tests="3" failures="1" errors="0"`);
    expect(junit.out).toMatch(
      /<testcase name="1 sign in: POST https:\/\/dev-000000\.okta\.com\/api\/v1\/authn -&gt; 200" classname="[^"]+" time="[\d.]+"\/>/,
    );
    expect(junit.out).toContain(
      '<failure message="status: expected 201, got 401">status: expected 201, got 401',
    );
    expect(junit.out).toContain('&lt; 401');
    expect(junit.out).toMatch(
      /<error message="[^"]*invalid-report\.yaml:2:1 {2}stepz: Unknown key &quot;stepz&quot; \(did you mean &quot;steps&quot;\?\)"/,
    );

    const tap = await run(['check', failing, invalid, '--reporter', 'tap']);
    const lines = tap.out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'TAP version 14',
      '1..4',
      expect.stringMatching(/^ok 1 - .*fail-report\.yaml: 1 sign in: POST/),
    ]);
    expect(tap.out).toContain('not ok 3 - ');
    expect(tap.out).toMatch(
      / {2}---\n {2}message: "status: expected 201, got 401"\n {2}request:\n {4}method: POST/,
    );
    expect(tap.out).toMatch(/ {2}response:\n {4}status: 401/);
    expect(tap.out).toMatch(/not ok 4 - .*invalid-report\.yaml: load/);

    const output = join(dir, 'report.json');
    const json = await run(['check', failing, '--reporter', 'json', '--output', output]);
    expect(json.out).toBe(`2 passed, 1 failed (report in ${output})\n`);
    const report = JSON.parse(readFileSync(output, 'utf8'));
    expect(report).toMatchObject({ passed: 2, failed: 1, files: [{ file: failing, scenario: 'checked' }] });
    expect(report.files[0].steps[2].exchange).toMatchObject({
      request: { method: 'POST', url: 'https://dev-000000.okta.com/api/v1/sessions' },
      response: { status: 401, headers: { 'content-type': 'application/json' } },
    });
  });

  it('checks every scenario file under a directory and leaves the JSON Schema out', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'oas-check-'));
    writeFileSync(join(folder, 'a.yaml'), scenario(401));
    writeFileSync(
      join(folder, 'schema.json'),
      JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema' }),
    );
    const result = await run(['check', folder]);
    expect(result.code).toBe(0);
    expect(result.out).not.toContain('schema.json');
    expect(result.out).toMatch(/3 passed, 0 failed\n$/);
  });

  it('fails a step whose request gets no answer in time (a hang fault), instead of exiting quietly', async () => {
    const hang = `version: 1
okta: { users: [{ login: a@example.com, password: Passw0rd! }] }
faults: [{ match: { operation: primaryAuthentication }, effect: { type: hang } }]
steps:
  - request: { method: POST, url: "{{okta}}/api/v1/authn", json: { username: a@example.com, password: Passw0rd! }, timeout: 100ms }
    expect: { status: 200 }
`;
    const result = await run(['check', file('hang.yaml', hang)]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAIL  1 POST https://dev-000000.okta.com/api/v1/authn -> no answer');
    expect(result.out).toContain('no answer within 100ms');
    expect(result.out).toContain('< (no answer)');
    expect(result.out).toMatch(/0 passed, 1 failed\n$/);
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
    const result = await run(['check', file('templates.yaml', scenario)]);
    expect(result.out).toContain('ok    5 do apigee.revokeAll');
    expect(result.out).toContain('FAIL  6 step 6');
    expect(result.out).toContain('{{nothing}} is neither captured by an earlier step nor a known template');
    expect(result.out).toMatch(/5 passed, 1 failed\n$/);
  });
});
