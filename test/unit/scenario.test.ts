import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/scenario/issues.ts';
import { parseScenario, validateScenario } from '../../src/scenario/parse.ts';
import { scenarioJsonSchema } from '../../src/scenario/schema.ts';

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).issues;
  }
  throw new Error('expected a ScenarioError');
}

const shippedScenarios = readdirSync('scenarios', { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => `scenarios/${name}`);

describe('parseScenario', () => {
  it('applies every default and turns durations into milliseconds', () => {
    const scenario = parseScenario('version: 1\nokta:\n  users: [{ login: a@example.com, password: x }]\n');
    expect(scenario.clock).toEqual({ start: 'now', frozen: false });
    expect(scenario.okta?.policy.stateTokenLifetime).toBe(300_000);
    expect(scenario.okta?.policy.session).toEqual({ maxIdle: 7_200_000, maxLifetime: 0 });
    expect(scenario.okta?.users[0]).toMatchObject({ status: 'ACTIVE', locale: 'en_US', factors: [] });
    expect(scenario.okta?.quirks.staleSidCookie).toBe('reject');
  });

  it('reports every problem at once with its path and line:column', () => {
    const text = [
      'version: 1',
      'clok: {}',
      'okta:',
      '  orgUrl: https://dev-1.okta.com/path',
      '  policy:',
      '    session: { maxIdle: 2hours }',
      '  users:',
      '    - login: a@b.com',
      '      factors:',
      '        - { type: token:software:totp, secret: ABC }',
      '        - { type: smss }',
      '        - { type: push, outcome: MAYBE, extra: 1 }',
    ].join('\n');
    const issues = issuesOf(() => parseScenario(text, 'yaml', 'bad.yaml'));
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual([
      '2:1 clok',
      '4:11 okta.orgUrl',
      '6:25 okta.policy.session.maxIdle',
      '10:48 okta.users.0.factors.0.secret',
      '11:19 okta.users.0.factors.1.type',
      '12:34 okta.users.0.factors.2.outcome',
      '12:41 okta.users.0.factors.2.extra',
    ]);
    expect(issues[0]?.message).toBe('Unknown key "clok" (did you mean "clock"?)');
  });

  it('reports YAML syntax errors with their position', () => {
    const issues = issuesOf(() => parseScenario('version: 1\nokta: [\n'));
    expect(issues[0]).toMatchObject({ path: '', line: expect.any(Number), column: expect.any(Number) });
  });

  it('parses JSON with positions and refuses YAML-only syntax in JSON', () => {
    const issues = issuesOf(() => parseScenario('{\n  "version": 2\n}', 'json'));
    expect(issues).toEqual([expect.objectContaining({ path: 'version', line: 2, column: 14 })]);
    expect(issuesOf(() => parseScenario('version: 1', 'json'))[0]?.message).toMatch(/Invalid JSON/);
  });

  it('checks cross-references: duplicate logins, ids, factor kinds and tokens', () => {
    const issues = issuesOf(() =>
      validateScenario({
        version: 1,
        okta: {
          apiTokens: [
            { name: 'a', token: 't' },
            { name: 'b', token: 't' },
          ],
          users: [
            {
              login: 'A@example.com',
              id: '00u1',
              factors: [
                { type: 'sms', phoneNumber: '+15555550100' },
                { type: 'sms', phoneNumber: '+15555550101' },
              ],
            },
            { login: 'a@example.com', id: '00u1' },
          ],
        },
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'okta.users.0.factors.1.type',
      'okta.users.1.login',
      'okta.users.1.id',
      'okta.apiTokens.1.token',
    ]);
  });

  it('refuses a TOTP secret under 16 bytes and passwordChanged together with passwordAge', () => {
    const issues = issuesOf(() =>
      validateScenario({
        version: 1,
        okta: {
          users: [
            { login: 'a', factors: [{ type: 'token:software:totp', secret: 'JBSWY3DPEHPK3PXP' }] },
            { login: 'b', passwordChanged: '2026-01-01T00:00:00Z', passwordAge: '1d' },
          ],
        },
      }),
    );
    expect(issues.map((i) => i.message)).toEqual([
      'A TOTP secret must encode at least 16 bytes (26 base32 characters)',
      'Give passwordChanged or passwordAge, not both',
    ]);
  });

  it.each(shippedScenarios)('accepts its own output of %s again unchanged', (file) => {
    // A copy, not the parsed object itself (which validateScenario recognises): `{ ...demo, clock }` in a
    // test is a copy too, and must validate as the scenario it was.
    const once = parseScenario(readFileSync(file, 'utf8'));
    expect(validateScenario({ ...once })).toEqual(once);
  });
});

describe('scenario JSON Schema', () => {
  it('is what scenarios/schema.json holds (regenerate with `npm run sim -- schema > scenarios/schema.json`)', () => {
    expect(JSON.parse(readFileSync('scenarios/schema.json', 'utf8'))).toEqual(scenarioJsonSchema());
  });

  it('describes durations as strings or numbers and forbids unknown keys', () => {
    const schema = scenarioJsonSchema() as {
      additionalProperties: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.additionalProperties).toBe(false);
    const okta = JSON.stringify(schema.properties.okta);
    expect(okta).toContain(
      '"stateTokenLifetime":{"description":"Sliding lifetime of a stateToken (docs/fidelity/okta.md#okta-state-token-lifetime)"',
    );
    expect(okta).toContain('(?:ms|s|m|h|d)');
  });
});

describe('friendlier validation', () => {
  const issues = (text: string, format: 'yaml' | 'json' = 'yaml') => {
    try {
      parseScenario(text, format);
    } catch (error) {
      if (error instanceof ScenarioError) return error.issues;
      throw error;
    }
    return [];
  };

  it('says an empty file needs a version', () => {
    expect(issues('')).toEqual([
      { path: '', message: 'The file is empty: a scenario needs at least `version: 1`' },
    ]);
    expect(issues('# only a comment\n')[0]?.message).toMatch(/^The file is empty/);
  });

  it('says every scenario starts with version: 1', () => {
    expect(issues('okta: {}\n')[0]?.message).toMatch(/; every scenario starts with `version: 1`$/);
  });

  it('places a JSON syntax error at its line and column', () => {
    expect(issues('{\n  "version": 1,\n}', 'json')).toEqual([
      { path: '', message: expect.stringMatching(/^Invalid JSON: /), line: 3, column: 1 },
    ]);
  });

  it('suggests the key a typo meant, inside union members too', () => {
    const found = issues(
      'version: 1\nokta:\n  polcy: {}\n  users:\n    - login: a\n      factors: [{ type: sms, phoneNumber: "+15555550100", passcode: "1234" }]\n',
    );
    expect(found.map((issue) => issue.message)).toEqual([
      'Unknown key "polcy" (did you mean "policy"?)',
      'Unknown key "passcode" (did you mean "passCode"?)',
    ]);
    expect(issues('version: 1\nfrobnicate: 1\n')[0]?.message).toBe('Unknown key "frobnicate"');
  });
});
