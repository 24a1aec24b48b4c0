/**
 * Compile-time checks of the public types: `npm test`'s type check (tsc) fails when a `@ts-expect-error`
 * below meets no error, so each line marked with one is a scenario or duration the type checker refuses.
 * The runtime assertions show that the schema refuses the same values.
 */
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { CheckedDuration, Duration } from '../../src/core/duration.ts';
import { createSimulator } from '../../src/create-simulator.ts';
import { startHttpServer } from '../../src/node/http-server.ts';
import { defineScenario, validateScenario } from '../../src/scenario/parse.ts';
import { SimulatorCore } from '../../src/simulator.ts';

/** Checks a duration as `sim.clock.advance` does, at compile time. */
const duration = <const D extends Duration>(value: CheckedDuration<D>) => value;

describe('defineScenario', () => {
  it('accepts a scenario as the schema does', () => {
    const scenario = defineScenario({
      version: 1,
      okta: {
        policy: { stateTokenLifetime: '90s', session: { maxIdle: '1h30m', maxLifetime: 0 } },
        users: [
          {
            login: 'ada@example.com',
            password: 'Passw0rd!',
            passwordAge: 86_400_000,
            factors: [
              { type: 'sms', phoneNumber: '+15555550100', passCode: '123456' },
              { type: 'push', outcome: 'REJECT' },
            ],
          },
        ],
      },
      faults: [{ match: { operation: 'primaryAuthentication' }, effect: { type: 'latency', ms: '500ms' } }],
      timeline: [{ at: '10m', do: { action: 'okta.lockUser', login: 'ada@example.com' } }],
      steps: [{ advance: '1.5h' }],
    });
    expect(validateScenario(scenario).okta?.policy.session.maxIdle).toBe(5_400_000);
  });

  it('refuses unknown keys at any depth, inside union members too', () => {
    const typos = [
      // @ts-expect-error: "nmae" is no key of a scenario
      defineScenario({ version: 1, nmae: 'x' }),
      // @ts-expect-error: "maxIdel" is no key of policy.session
      defineScenario({ version: 1, okta: { policy: { session: { maxIdel: '2h' } } } }),
      defineScenario({
        version: 1,
        okta: {
          users: [
            {
              login: 'ada@example.com',
              // @ts-expect-error: an SMS factor has passCode, not passcode
              factors: [{ type: 'sms', phoneNumber: '+15555550100', passcode: '123456' }],
            },
          ],
        },
      }),
      defineScenario({
        version: 1,
        // @ts-expect-error: a latency effect has ms, not delay
        faults: [{ effect: { type: 'latency', delay: '1s' } }],
      }),
    ];
    for (const scenario of typos) expect(() => validateScenario(scenario)).toThrow(/Unknown key/);
  });

  it('refuses durations the parser refuses', () => {
    const wrong = [
      // @ts-expect-error: not a duration
      defineScenario({ version: 1, okta: { policy: { stateTokenLifetime: '16 minutes' } } }),
      // @ts-expect-error: negative
      defineScenario({ version: 1, okta: { policy: { stateTokenLifetime: '-5s' } } }),
      // @ts-expect-error: an exponent
      defineScenario({ version: 1, timeline: [{ at: '1e3s', do: { action: 'okta.lockUser', login: 'a' } }] }),
      // @ts-expect-error: milliseconds are whole
      defineScenario({ version: 1, steps: [{ advance: 1.5 }] }),
    ];
    for (const scenario of wrong) expect(() => validateScenario(scenario)).toThrow();
  });
});

describe('durations', () => {
  it('types exactly what the parser accepts', () => {
    const sim = createSimulator({ version: 1, clock: { start: '2026-01-01T00:00:00Z', frozen: true } });
    const accepted = [
      duration('90s'),
      duration('1h30m'),
      duration('500ms'),
      duration('1.5h'),
      duration('250'),
      duration(90_000),
    ];
    for (const value of accepted) expect(() => sim.clock.advance(value)).not.toThrow();
    const refused = [
      // @ts-expect-error: words
      duration('16 minutes'),
      // @ts-expect-error: a space
      duration('16 m'),
      // @ts-expect-error: negative
      duration('-5s'),
      // @ts-expect-error: an exponent
      duration('1e3s'),
      // @ts-expect-error: a leading space
      duration(' 5s'),
      // @ts-expect-error: no number
      duration('m'),
      // @ts-expect-error: a decimal without a unit
      duration('1.5'),
      // @ts-expect-error: an unknown unit
      duration('5w'),
      // @ts-expect-error: negative milliseconds
      duration(-1),
    ];
    for (const value of refused) expect(() => sim.clock.advance(value as Duration)).toThrow(RangeError);
  });
});

describe('disposal', () => {
  it('closes a server at the end of an await using block', async () => {
    const sim = new SimulatorCore({ version: 1, okta: {} });
    let server: Server | undefined;
    {
      await using running = await startHttpServer(sim, { port: 0 });
      server = running.server;
      expect(server.listening).toBe(true);
      expect((await fetch(`${running.url}/__sim/health`)).status).toBe(200);
    }
    expect(server.listening).toBe(false);
  });

  it('disposes of a simulator at the end of a using block', () => {
    let seen = 0;
    {
      using sim = createSimulator({ version: 1 });
      sim.requests.subscribe(() => {
        seen += 1;
      });
    }
    expect(seen).toBe(0);
  });
});
