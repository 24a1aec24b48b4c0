import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_TOKEN } from './http-scenario.ts';
import { count, median, ms, record } from './support.ts';

interface Load {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The target: requests/s at least this share of the bare server's (issue 19). */
  target: number;
}

interface Recorded {
  status: number;
  headers: [string, string][];
  body: string;
}

const LOADS: Load[] = [
  {
    name: 'VerifyAccessToken on a protected path',
    method: 'GET',
    path: '/v1/orders/1',
    headers: { Authorization: `Bearer ${BENCH_TOKEN}` },
    target: 0.7,
  },
  {
    name: 'POST /api/v1/authn (password only)',
    method: 'POST',
    path: '/api/v1/authn',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username: 'bench@example.com', password: 'Passw0rd!' }),
    target: 0.5,
  },
];

/** Starts a benchmark server process and resolves to its URL and a stop function. */
export async function target(args: string[]): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/http-target.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

async function hammer(url: string, load: Load, seconds: number) {
  const result = await autocannon({
    url: `${url}${load.path}`,
    method: load.method,
    headers: load.headers,
    ...(load.body !== undefined && { body: load.body }),
    connections: 50,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${load.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/** A free TCP port on 127.0.0.1, for a peer that wants one named. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const WIREMOCK_JAR = 'node_modules/wiremock/build';
const WIREMOCK_VERSION = existsSync('node_modules/wiremock/package.json')
  ? (JSON.parse(readFileSync('node_modules/wiremock/package.json', 'utf8')) as { version: string }).version
  : '';

/**
 * WireMock standalone (the `wiremock` devDependency ships its jar) with one static stub per load answering
 * the simulator's recorded status, headers and body; `{ skipped }` with the reason when it cannot start here
 * (no `java` on PATH, no jar).
 */
async function wiremock(
  recording: Record<string, Recorded>,
): Promise<{ url: string; stop: () => void } | { skipped: string }> {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) return { skipped: 'skipped: no java on PATH' };
  const jar = existsSync(WIREMOCK_JAR)
    ? readdirSync(WIREMOCK_JAR).find((file) => /^wiremock-standalone-.*\.jar$/.test(file))
    : undefined;
  if (!jar) return { skipped: 'skipped: no WireMock jar (npm ci)' };
  const port = await freePort();
  // Static stubs, no request journal, no request logging: WireMock at its fastest.
  const child = spawn(
    'java',
    [
      '-jar',
      join(WIREMOCK_JAR, jar),
      '--port',
      String(port),
      '--bind-address',
      '127.0.0.1',
      '--no-request-journal',
      '--disable-request-logging',
      '--disable-banner',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = () => child.kill();
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) return { skipped: `skipped: WireMock exited with ${child.exitCode}` };
    const ok = await fetch(`${url}/__admin/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() - started > 60_000) {
      stop();
      return { skipped: 'skipped: WireMock did not start in 60 s' };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const [key, answer] of Object.entries(recording)) {
    const [method, path] = key.split(' ');
    const response = await fetch(`${url}/__admin/mappings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        request: { method, url: path },
        response: { status: answer.status, headers: Object.fromEntries(answer.headers), body: answer.body },
      }),
    });
    if (!response.ok) throw new Error(`WireMock refused the stub for ${key}: ${response.status}`);
  }
  return { url, stop };
}

/**
 * The HTTP figure: requests per second and p99 latency of the standalone server under autocannon with 50
 * connections, against a bare node:http server answering the same bytes, and WireMock's standalone server
 * answering them from static stubs (when java is here). Each server runs in its own process; the load
 * generator runs in this one.
 */
export async function httpServer(quick: boolean): Promise<void> {
  const seconds = quick ? 2 : 4;
  const rounds = quick ? 1 : 3;
  const sim = await target(['sim']);
  try {
    // Record what the simulator answers, for the bare server to repeat byte for byte.
    const recording: Record<string, Recorded> = {};
    for (const load of LOADS) {
      const response = await fetch(`${sim.url}${load.path}`, {
        method: load.method,
        headers: load.headers,
        ...(load.body !== undefined && { body: load.body }),
      });
      const headers = [...response.headers].filter(
        ([name]) =>
          !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name),
      );
      recording[`${load.method} ${load.path}`] = {
        status: response.status,
        headers,
        body: await response.text(),
      };
    }
    const file = join(tmpdir(), `okta-apigee-sim-bench-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(recording));
    const bare = await target(['bare', file]);
    const peer = await wiremock(recording);
    try {
      for (const load of LOADS) {
        await hammer(sim.url, load, 1);
        await hammer(bare.url, load, 1);
        // The JVM compiles its hot paths in the first seconds: WireMock is measured warm.
        if ('url' in peer) await hammer(peer.url, load, quick ? 1 : 4);
        // Alternating rounds, so that a noisy neighbour on the machine weighs on every server alike; the
        // figures are the medians of the rounds.
        const ours: { rps: number; p99: number }[] = [];
        const baseline: { rps: number; p99: number }[] = [];
        const wire: { rps: number; p99: number }[] = [];
        for (let round = 0; round < rounds; round++) {
          ours.push(await hammer(sim.url, load, seconds));
          baseline.push(await hammer(bare.url, load, seconds));
          if ('url' in peer) wire.push(await hammer(peer.url, load, seconds));
        }
        const ratio = median(ours.map((run, i) => run.rps / (baseline[i] as { rps: number }).rps));
        record({
          section: 'http',
          figure: `${load.name}: requests/s`,
          ours: count(median(ours.map((run) => run.rps))),
          baseline: `${count(median(baseline.map((run) => run.rps)))} (bare node:http)`,
          ratio,
          target: `>= ${load.target}x`,
          met: ratio >= load.target,
        });
        const p99 = median(ours.map((run) => run.p99));
        const baseP99 = median(baseline.map((run) => run.p99));
        record({
          section: 'http',
          figure: `${load.name}: p99 latency`,
          ours: ms(p99),
          baseline: ms(baseP99),
          ratio: p99 / baseP99,
          target: '',
          met: null,
        });
        // Issue 19: authn ahead of WireMock answering its bytes; verify reported beside it.
        const ahead = load.method === 'POST';
        if ('url' in peer) {
          const peerRatio = median(ours.map((run, i) => run.rps / (wire[i] as { rps: number }).rps));
          record({
            section: 'http',
            figure: `${load.name}: requests/s vs WireMock`,
            ours: count(median(ours.map((run) => run.rps))),
            baseline: `${count(median(wire.map((run) => run.rps)))} (WireMock ${WIREMOCK_VERSION}, static stub)`,
            ratio: peerRatio,
            target: ahead ? '>= 1x' : '',
            met: ahead ? peerRatio >= 1 : null,
          });
        } else {
          record({
            section: 'http',
            figure: `${load.name}: requests/s vs WireMock`,
            ours: count(median(ours.map((run) => run.rps))),
            baseline: peer.skipped,
            ratio: null,
            target: ahead ? '>= 1x' : '',
            met: null,
          });
        }
      }
    } finally {
      bare.stop();
      if ('url' in peer) peer.stop();
    }
  } finally {
    sim.stop();
  }
}
