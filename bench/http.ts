import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
}

const LOADS: Load[] = [
  {
    name: 'VerifyAccessToken on a protected path',
    method: 'GET',
    path: '/v1/orders/1',
    headers: { Authorization: `Bearer ${BENCH_TOKEN}` },
  },
  {
    name: 'POST /api/v1/authn (password only)',
    method: 'POST',
    path: '/api/v1/authn',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username: 'bench@example.com', password: 'Passw0rd!' }),
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

/**
 * The HTTP figure: requests per second and p99 latency of the standalone server under autocannon with 50
 * connections, against a bare node:http server answering the same bytes. Each server runs in its own
 * process; the load generator runs in this one.
 */
export async function httpServer(quick: boolean): Promise<void> {
  const seconds = quick ? 2 : 4;
  const rounds = quick ? 1 : 3;
  const sim = await target(['sim']);
  try {
    // Record what the simulator answers, for the bare server to repeat byte for byte.
    const recording: Record<string, { status: number; headers: [string, string][]; body: string }> = {};
    for (const load of LOADS) {
      const response = await fetch(`${sim.url}${load.path}`, {
        method: load.method,
        headers: load.headers,
        ...(load.body !== undefined && { body: load.body }),
      });
      const headers = [...response.headers].filter(
        ([name]) => !['date', 'connection', 'keep-alive', 'content-length'].includes(name),
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
    try {
      for (const load of LOADS) {
        await hammer(sim.url, load, 1);
        await hammer(bare.url, load, 1);
        // Alternating rounds, so that a noisy neighbour on the machine weighs on both servers alike; the
        // figures are the medians of the rounds.
        const ours: { rps: number; p99: number }[] = [];
        const baseline: { rps: number; p99: number }[] = [];
        for (let round = 0; round < rounds; round++) {
          ours.push(await hammer(sim.url, load, seconds));
          baseline.push(await hammer(bare.url, load, seconds));
        }
        const ratio = median(ours.map((run, i) => run.rps / (baseline[i] as { rps: number }).rps));
        record({
          section: 'http',
          figure: `${load.name}: requests/s`,
          ours: count(median(ours.map((run) => run.rps))),
          baseline: `${count(median(baseline.map((run) => run.rps)))} (bare node:http)`,
          ratio,
          target: '>= 0.5x',
          met: ratio >= 0.5,
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
      }
    } finally {
      bare.stop();
    }
  } finally {
    sim.stop();
  }
}
