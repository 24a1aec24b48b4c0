import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, OPERATIONS } from '../../src/catalogue.ts';
import { catalogueMarkdown } from '../../src/catalogue-table.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { ScenarioError } from '../../src/scenario/issues.ts';
import { validateScenario } from '../../src/scenario/parse.ts';
import { apigeeScenario, baseScenario } from '../support/scenarios.ts';

describe('the operation catalogue', () => {
  it('lists each operation once per method with a summary', () => {
    const keys = OPERATIONS.map((entry) => `${entry.vendor} ${entry.name} ${entry.method}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of OPERATIONS) expect(entry.summary.length).toBeGreaterThan(5);
    expect(OPERATION_NAMES).toContain('primaryAuthentication');
    expect(OPERATION_NAMES).toContain('refreshAccessToken');
  });

  it('is what docs/operations.md shows (regenerate with `npx tsx src/cli/main.ts operations`)', () => {
    const page = readFileSync('docs/operations.md', 'utf8');
    const table = page.slice(
      page.indexOf('<!-- operations:start -->'),
      page.indexOf('<!-- operations:end -->'),
    );
    // Compared cell by cell: the formatter aligns the table's columns.
    const cells = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('|') && !line.startsWith('| -'))
        .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(cells(table)).toEqual(cells(catalogueMarkdown()));
  });

  it('names what the journal writes for every request a simulated operation answers', async () => {
    const sim = createSimulator({ ...apigeeScenario, okta: baseScenario.okta });
    await sim.fetch(new Request('https://dev-000000.okta.com/api/v1/sessions/me'));
    await sim.fetch(new Request('https://acme-test.apigee.net/oauth/token', { method: 'POST' }));
    await sim.fetch(new Request('https://acme-test.apigee.net/v1/orders/1'));
    const operations = sim.requests.all().map((entry) => entry.operation);
    expect(operations).toEqual(['getCurrentSession', 'generateAccessToken', 'verifyAccessToken']);
    for (const operation of operations) expect(OPERATION_NAMES).toContain(operation);
  });
});

describe('fault rules name operations from the catalogue', () => {
  it('refuse a misspelt operation with a suggestion, in the scenario, inject and the control plane', () => {
    const scenario = {
      ...baseScenario,
      faults: [{ match: { operation: 'primaryAuthenticaton' }, effect: { type: 'hang' } }],
    };
    expect(() => validateScenario(scenario)).toThrow(/did you mean "primaryAuthentication"/);
    const sim = createSimulator(baseScenario);
    expect(() =>
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      sim.faults.inject({ match: { operation: ['verifyFactr'] as any }, effect: { type: 'hang' } }),
    ).toThrow(ScenarioError);
    expect(() =>
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      sim.faults.inject({ match: { operation: 'verifyFactr' as any }, effect: { type: 'hang' } }),
    ).toThrow(/did you mean "verifyFactor"/);
  });

  it('accept every catalogued name', () => {
    const sim = createSimulator(baseScenario);
    for (const operation of OPERATION_NAMES) {
      expect(() => sim.faults.inject({ match: { operation }, effect: { type: 'hang' } })).not.toThrow();
    }
  });
});
