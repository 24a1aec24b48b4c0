/**
 * Run by test/examples/playwright.test.ts, which expects the first test to pass and the second to fail:
 * the fixture then attaches the tenant's journal to the report.
 */
import { expect, test } from '../../../src/playwright/index.ts';

const signIn = (url: string, password: string) =>
  fetch(`${url}/api/v1/authn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'ada@example.com', password }),
  });

test('starts in a tenant of the scenario it asked for', async ({ tenant }) => {
  expect((await tenant.clock()).now).toBe('2026-01-01T00:00:00.000Z');
  expect((await tenant.requests()).length).toBe(0);
});

test('fails on purpose, after one sign-in', async ({ tenant }) => {
  expect((await signIn(tenant.url, 'wrong')).status).toBe(401);
  expect('the journal').toBe('attached to the report');
});
