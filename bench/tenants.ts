import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { startHttpServer } from '../src/node/http-server.ts';
import { parseScenario } from '../src/scenario/parse.ts';
import { SimulatorCore } from '../src/simulator.ts';
import { bytes, collect, ms, record } from './support.ts';

/** A bare node:http server on a port of its own: what a tenant's listening costs at the least. */
async function bareServer(): Promise<Server> {
  const server = createServer((_, response) => response.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Tenant figures (docs/tenants.md): `POST /__sim/tenants` of the default scenario, `count` in one process
 * (each a simulator and a port), against the floor of the same work without the tenants API (a simulator
 * made, a bare server listening, and one control-plane round trip); then the heap each idle tenant holds,
 * against a simulator alone.
 */
export async function tenants(quick: boolean): Promise<void> {
  const scenario = parseScenario(readFileSync('scenarios/default.yaml', 'utf8'));
  const count = quick ? 50 : 100;
  // No limits: the full run's earlier sections leave this process's heap past the default memory budget.
  const main = await startHttpServer(new SimulatorCore(scenario), {
    port: 0,
    tenants: { limit: 10_000, memoryBudget: Number.POSITIVE_INFINITY },
  });
  const create = () =>
    fetch(`${main.url}/__sim/tenants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // Named, so that none comes from a pool: each is made from scratch.
      body: JSON.stringify({ scenario: 'default' }),
    }).then(async (response) => {
      if (response.status !== 201) {
        throw new Error(`POST /__sim/tenants answered ${response.status}: ${await response.text()}`);
      }
      return (await response.json()) as { id: string };
    });

  // Warm-up, then ended: the figures are of a server that has already made a few.
  for (let i = 0; i < 10; i++) await main.tenants?.delete((await create()).id);
  const floor: Server[] = [];
  const keep: SimulatorCore[] = [];
  const floorOne = async () => {
    keep.push(new SimulatorCore(scenario));
    floor.push(await bareServer());
    await (await fetch(`${main.url}/__sim/health`)).json();
  };
  for (let i = 0; i < 10; i++) await floorOne();

  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  let started = performance.now();
  for (let i = 0; i < count; i++) await create();
  const perTenant = (performance.now() - started) / count;
  collect();
  const heapPerTenant = (process.memoryUsage().heapUsed - heapBefore) / count;

  started = performance.now();
  for (let i = 0; i < count; i++) await floorOne();
  const perFloor = (performance.now() - started) / count;

  keep.length = 0;
  collect();
  const simBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) keep.push(new SimulatorCore(scenario));
  collect();
  const heapPerSim = (process.memoryUsage().heapUsed - simBefore) / count;

  record({
    section: 'tenants',
    figure: `POST /__sim/tenants, default scenario (${count} in one process): each`,
    ours: ms(perTenant),
    baseline: `${ms(perFloor)} (a simulator, a bare node:http server listening, GET /__sim/health)`,
    ratio: perTenant / perFloor,
    target: '< 10 ms',
    met: perTenant < 10,
  });
  record({
    section: 'tenants',
    figure: 'heap per idle default tenant',
    ours: bytes(heapPerTenant),
    baseline: `${bytes(heapPerSim)} (a simulator alone)`,
    ratio: heapPerTenant / heapPerSim,
    target: '<= 2 MB',
    met: heapPerTenant <= 2 * 2 ** 20,
  });

  await main.close();
  await Promise.all(floor.map((server) => new Promise((resolve) => server.close(resolve))));
}
