import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/node/index.ts';
import { ScenarioError } from '../../src/scenario/issues.ts';
import { SimulatorCore } from '../../src/simulator.ts';
import { apigeeScenario, EDGE_ADMIN, edgeScenario, withApigee } from '../support/scenarios.ts';

/**
 * Which dialect answers where (docs/fidelity/apigee.md#apigee-management-dialects): Apigee's own hosts speak
 * their own, in-process and on the standalone server; any other origin speaks `apigee.managementDialect`.
 */

const BASIC = `Basic ${btoa(`${EDGE_ADMIN.username}:${EDGE_ADMIN.password}`)}`;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A GET to the standalone server with a chosen Host header (fetch does not let one set it). */
function get(port: number, path: string, host: string, authorization: string) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = request(
      { port, host: '127.0.0.1', path, headers: { Host: host, Authorization: authorization } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function fetchIn(sim: SimulatorCore, url: string, authorization: string) {
  const response = await sim.fetch(new Request(url, { headers: { Authorization: authorization } }));
  return { status: response?.status, body: await response?.json() };
}

describe('management dialects', () => {
  it("answers on Apigee's own hosts in their own dialect in-process, whatever the scenario's (docs/fidelity/apigee.md#apigee-management-dialects)", async () => {
    const sim = new SimulatorCore(apigeeScenario);
    expect(
      await fetchIn(sim, 'https://api.enterprise.apigee.com/v1/o/acme/developers', 'Basic ' + btoa('a:b')),
    ).toEqual({
      status: 200,
      body: ['dev@example.com', 'other@example.com'],
    });
    const x = await fetchIn(
      sim,
      'https://apigee.googleapis.com/v1/organizations/acme/developers',
      'Bearer t',
    );
    expect(x.body).toEqual({ developer: [{ email: 'dev@example.com' }, { email: 'other@example.com' }] });
  });

  it('speaks managementDialect on another managementUrl, and defaults managementUrl to the dialect host', async () => {
    const local = new SimulatorCore(
      withApigee({ managementUrl: 'https://mgmt.example.test', managementDialect: 'edge' }),
    );
    expect((await fetchIn(local, 'https://mgmt.example.test/v1/o/acme/developers', BASIC)).body).toEqual([
      'dev@example.com',
      'other@example.com',
    ]);
    const { managementUrl: _, ...rest } = apigeeScenario.apigee;
    const edge = new SimulatorCore({ ...apigeeScenario, apigee: { ...rest, managementDialect: 'edge' } });
    expect(edge.scenario.apigee?.managementUrl).toBe('https://api.enterprise.apigee.com');
  });

  it("refuses a managementDialect that contradicts Apigee's own host at validation", () => {
    expect(
      () =>
        new SimulatorCore(
          withApigee({ managementUrl: 'https://apigee.googleapis.com', managementDialect: 'edge' }),
        ),
    ).toThrow(ScenarioError);
  });

  it("lets the Host header pick the dialect on the standalone server, the scenario's otherwise", async () => {
    const xServer = await startHttpServer(new SimulatorCore(apigeeScenario), { port: 0 });
    closers.push(xServer.close);
    const local = await get(xServer.port, '/v1/organizations/acme/developers', '127.0.0.1', 'Bearer t');
    expect(local.body).toEqual({ developer: [{ email: 'dev@example.com' }, { email: 'other@example.com' }] });
    const edge = await get(xServer.port, '/v1/o/acme/developers', 'api.enterprise.apigee.com', BASIC);
    expect(edge).toEqual({ status: 200, body: ['dev@example.com', 'other@example.com'] });

    const edgeServer = await startHttpServer(new SimulatorCore(edgeScenario), { port: 0 });
    closers.push(edgeServer.close);
    expect((await get(edgeServer.port, '/v1/o/acme/developers', '127.0.0.1', BASIC)).body).toEqual([
      'dev@example.com',
      'other@example.com',
    ]);
    const x = await get(
      edgeServer.port,
      '/v1/organizations/acme/developers',
      'apigee.googleapis.com',
      'Bearer t',
    );
    expect(x.body).toEqual({ developer: [{ email: 'dev@example.com' }, { email: 'other@example.com' }] });
  });

  it("keeps management paths from the reference proxy's /v1/** on a shared origin: an unauthenticated call is the management API's 401", async () => {
    const server = await startHttpServer(new SimulatorCore(edgeScenario), { port: 0 });
    closers.push(server.close);
    for (const path of ['/v1/o/acme/developers', '/v1/organizations/acme/developers']) {
      const reply = await fetch(`${server.url}${path}`);
      expect(reply.status).toBe(401);
      expect(await reply.json()).toMatchObject({ code: 'security.auth.MissingCredentials', contexts: [] });
    }
  });
});
