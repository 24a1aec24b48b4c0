/**
 * `okta-apigee-sim/vitest`'s `useSimulator`, used as a test file uses it: msw answers the vendors
 * in-process, every test starts from the scenario, and unsimulated requests fail.
 */
import { describe, expect, it, vi } from 'vitest';
import { useSimulator } from '../../src/vitest/index.ts';

const OKTA = 'https://dev-000000.okta.com';
const sim = useSimulator('default');

const signIn = (password: string) =>
  fetch(`${OKTA}/api/v1/authn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'password@example.com', password }),
  });

describe('useSimulator', () => {
  it('answers the scenario through msw, and changes state', async () => {
    for (const password of ['x', 'y', 'z']) expect((await signIn(password)).status).toBe(401);
    expect(sim.state.okta?.users.find((user) => user.login === 'password@example.com')?.status).toBe(
      'LOCKED_OUT',
    );
    sim.clock.advance('1d');
  });

  it('starts each test from the scenario again: state, clock and journal', async () => {
    expect(sim.state.okta?.users.find((user) => user.login === 'password@example.com')?.status).toBe(
      'ACTIVE',
    );
    expect(sim.requests.recent(10)).toEqual([]);
    expect((await signIn('Passw0rd!')).status).toBe(200);
  });

  it('fails requests no simulated operation answers (onUnsimulated: error)', async () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(fetch(`${OKTA}/api/v1/not-simulated`)).rejects.toThrow();
    expect(sim.requests.last()?.outcome).toBe('unsimulated');
    expect(reported).toHaveBeenCalledWith(expect.stringContaining('is not simulated'));
    reported.mockRestore();
  });

  it('exposes the msw server for handlers of the test', () => {
    expect(typeof sim.server.use).toBe('function');
  });
});
