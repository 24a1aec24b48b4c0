/**
 * A tenant idle for its ttl ends by itself; every request restarts the wait; pooled tenants never idle
 * out. Real time here is a manual clock: the registry takes its timers, so nothing sleeps.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Listening, TenantRegistry, type TenantTimers } from '../../src/node/tenants.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { SimulatorCore } from '../../src/simulator.ts';

const demo = parseScenario(readFileSync('scenarios/default.yaml', 'utf8'));

/** Timers run by hand: `advance(ms)` runs what falls due. */
class ManualTimers implements TenantTimers {
  time = 1_800_000_000_000;
  #due: { at: number; run: () => void; cancelled: boolean }[] = [];

  now = () => this.time;

  schedule(run: () => void, ms: number) {
    const timer = { at: this.time + ms, run, cancelled: false };
    this.#due.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.#due
        .filter((timer) => !timer.cancelled && timer.at <= end)
        .sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.time = next.at;
      next.cancelled = true;
      next.run();
    }
    this.time = end;
  }
}

/** A registry whose tenants "listen" on fake servers: only their request events matter here. */
function registry(options: ConstructorParameters<typeof TenantRegistry>[1] = {}) {
  const timers = new ManualTimers();
  const servers: EventEmitter[] = [];
  let port = 40_000;
  const listen = async (): Promise<Listening> => {
    const server = new EventEmitter();
    servers.push(server);
    return { url: `http://127.0.0.1:${port++}`, server, close: async () => {} };
  };
  const tenants = new TenantRegistry(new SimulatorCore(demo), options, listen, timers);
  return { tenants, timers, servers };
}

const ids = (tenants: TenantRegistry) => tenants.list().map((tenant) => tenant.id);

describe('the idle ttl of tenants', () => {
  it('ends a tenant idle for its ttl (default 30m)', async () => {
    const { tenants, timers } = registry();
    await tenants.start('http://127.0.0.1:4455');
    const tenant = await tenants.create();
    timers.advance(30 * 60_000 - 1);
    expect(ids(tenants)).toEqual([tenant.id]);
    timers.advance(1);
    expect(ids(tenants)).toEqual([]);
    expect(tenants.get(tenant.id)).toBeUndefined();
  });

  it('restarts the wait on every request, on its own port and by Host', async () => {
    const { tenants, timers, servers } = registry();
    const tenant = await tenants.create({ ttl: '1m' });
    timers.advance(50_000);
    servers[0]?.emit('request');
    timers.advance(50_000);
    tenants.answererFor(new URL(`http://${tenant.id}.localhost:4455/api/v1/authn`));
    timers.advance(59_999);
    expect(ids(tenants)).toEqual([tenant.id]);
    expect(tenants.list()[0]?.expiresAt).toBe(new Date(timers.time + 1).toISOString());
    timers.advance(1);
    expect(ids(tenants)).toEqual([]);
  });

  it("ends each tenant by its own ttl, and the server's default for those that give none", async () => {
    const { tenants, timers } = registry({ ttl: '10m' });
    const long = await tenants.create({ ttl: '2h' });
    const short = await tenants.create({ ttl: 5_000 });
    const fallback = await tenants.create();
    timers.advance(4_999);
    expect(ids(tenants)).toEqual([long.id, short.id, fallback.id]);
    timers.advance(1);
    expect(ids(tenants)).toEqual([long.id, fallback.id]);
    timers.advance(10 * 60_000);
    expect(ids(tenants)).toEqual([long.id]);
    timers.advance(2 * 3_600_000);
    expect(ids(tenants)).toEqual([]);
  });

  it('keeps pooled tenants however long they wait, and starts the ttl when one is handed out', async () => {
    const { tenants, timers } = registry({ pool: 1, ttl: '1m' });
    await tenants.start('http://127.0.0.1:4455');
    const [pooled] = tenants.list();
    timers.advance(7 * 86_400_000);
    expect(ids(tenants)).toEqual([pooled?.id]);
    const taken = await tenants.create();
    expect(taken.id).toBe(pooled?.id);
    timers.advance(60_000);
    expect(ids(tenants)).not.toContain(pooled?.id);
  });
});
