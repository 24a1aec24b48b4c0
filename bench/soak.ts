/**
 * The soak figures: the standalone server under a steady mixed load (primary authentication, token
 * issuance with a refresh token, VerifyAccessToken, refresh) at a fixed rate, its RSS sampled every 5 s,
 * once with a running clock and short token lifetimes and once with a frozen clock; then requests with
 * 1 MB fields. The server runs in its own process (bench/soak-target.ts), which reports its memory.
 */
import { type ChildProcess, fork } from 'node:child_process';
import autocannon from 'autocannon';
import { bytes, record } from './support.ts';

interface Memory {
  rss: number;
  heapUsed: number;
  tokens: number;
  journal: number;
  transactions: number;
}

interface Target {
  url: string;
  memory(): Promise<Memory>;
  stop(): void;
}

async function start(mode: 'running' | 'frozen'): Promise<Target> {
  const child: ChildProcess = fork('bench/soak-target.ts', [mode], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`soak server exited with ${code}`)));
  });
  const memory = () =>
    new Promise<Memory>((resolve) => {
      child.once('message', (message) => resolve(message as Memory));
      child.send('memory');
    });
  return { url, memory, stop: () => child.kill() };
}

/** The journal's default limit (src/core/journal.ts). */
const JOURNAL_LIMIT = 10_000;

/** What a connection of the load keeps between its requests. */
interface Tokens {
  access?: string;
  refresh?: string;
}

/**
 * The mixed load: each connection signs in, gets a token pair, calls the API with it, refreshes it; for
 * `seconds` at `rate` requests/s, or `amount` requests as fast as they go.
 */
function load(url: string, pace: { seconds: number; rate: number } | { amount: number }) {
  const basic = `Basic ${btoa('web-key:web-secret')}`;
  const form = { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic };
  return autocannon({
    url,
    connections: 20,
    ...('amount' in pace ? { amount: pace.amount } : { duration: pace.seconds, overallRate: pace.rate }),
    requests: [
      {
        method: 'POST',
        path: '/api/v1/authn',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username: 'soak@example.com', password: 'Passw0rd!' }),
      },
      {
        method: 'POST',
        path: '/oauth/token',
        headers: form,
        body: 'grant_type=password&username=soak&password=x',
        onResponse: (status, body, context) => {
          if (status !== 200) return;
          const tokens = JSON.parse(body);
          Object.assign(context, { access: tokens.access_token, refresh: tokens.refresh_token });
        },
      },
      {
        method: 'GET',
        path: '/v1/orders/1',
        setupRequest: (request, context) => ({
          ...request,
          headers: { ...request.headers, Authorization: `Bearer ${(context as Tokens).access}` },
        }),
      },
      {
        method: 'POST',
        path: '/oauth/token',
        headers: form,
        setupRequest: (request, context) => ({
          ...request,
          body: `grant_type=refresh_token&refresh_token=${(context as Tokens).refresh}`,
        }),
      },
    ],
  });
}

/** Least-squares slope of (seconds, bytes) samples, in bytes per second. */
function slope(samples: { t: number; rss: number }[]): number {
  const n = samples.length;
  const mt = samples.reduce((sum, s) => sum + s.t, 0) / n;
  const mr = samples.reduce((sum, s) => sum + s.rss, 0) / n;
  const num = samples.reduce((sum, s) => sum + (s.t - mt) * (s.rss - mr), 0);
  const den = samples.reduce((sum, s) => sum + (s.t - mt) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function soak(quick: boolean): Promise<void> {
  const seconds = quick ? 5 : 60;
  const rate = 2000;
  // The slope is fitted over the last half of the run, at most 30 s, sampled a dozen times or every 5 s.
  const window = Math.min(30, seconds / 2);
  const every = Math.min(5, seconds / 12);

  // Running clock: tokens live 5 s (refresh tokens 10 s) and are kept 10 s after: from about 20 s on,
  // as many go as come, so the last 30 s of the full run are the steady state.
  const running = await start('running');
  try {
    const samples: { t: number; rss: number }[] = [];
    const started = performance.now();
    const sampler = setInterval(async () => {
      const { rss } = await running.memory();
      samples.push({ t: (performance.now() - started) / 1000, rss });
    }, every * 1000);
    const result = await load(running.url, { seconds, rate });
    clearInterval(sampler);
    const last = samples.filter((s) => s.t >= seconds - window);
    const perSecond = last.length >= 2 ? slope(last) : Number.NaN;
    record({
      section: 'soak',
      figure: `running clock, ${rate} req/s for ${seconds} s: RSS slope over the last ${window} s`,
      ours: Number.isNaN(perSecond)
        ? `${last.length} sample(s): no slope`
        : `${(perSecond / 1e6).toFixed(3)} MB/s`,
      baseline: `${Math.round(result.requests.average)} req/s served, ${result.non2xx} non-2xx`,
      ratio: null,
      // A quick run ends before the first tokens are purged: its slope is printed, not judged.
      target: quick ? '< 0.5 MB/s (full run)' : '< 0.5 MB/s',
      met: quick || Number.isNaN(perSecond) ? null : perSecond < 0.5e6,
    });
  } finally {
    running.stop();
  }

  // Frozen clock: nothing expires, so every issued token stays; nothing else may grow.
  const frozen = await start('frozen');
  try {
    // The journal keeps the last 10,000 requests: filled to its limit first, so that the heap per token
    // counts the tokens, not the journal filling up.
    await load(frozen.url, { amount: JOURNAL_LIMIT + 1000 });
    const before = await frozen.memory();
    if (before.journal < JOURNAL_LIMIT)
      throw new Error(`the journal holds ${before.journal} entries, not full`);
    const result = await load(frozen.url, { seconds, rate });
    const after = await frozen.memory();
    const issued = after.tokens - before.tokens;
    const perToken = (after.heapUsed - before.heapUsed) / Math.max(1, issued);
    record({
      section: 'soak',
      figure: `frozen clock, ${rate} req/s for ${seconds} s: retained heap per issued token (journal full before)`,
      ours: bytes(perToken),
      baseline: `${issued.toLocaleString('en-US')} tokens, ${Math.round(result.requests.average)} req/s`,
      ratio: null,
      target: '<= 1,024 B',
      met: perToken <= 1024,
    });
    record({
      section: 'soak',
      figure: 'frozen clock: journal entries, live transactions (before -> after)',
      ours: `${before.journal} -> ${after.journal}, ${before.transactions} -> ${after.transactions}`,
      baseline: `journal limit ${JOURNAL_LIMIT.toLocaleString('en-US')}`,
      ratio: null,
      target: 'bounded',
      met: after.journal <= JOURNAL_LIMIT && after.transactions <= before.transactions + 1,
    });

    // Requests with 1 MB fields: refused by the field caps, nothing kept.
    const big = 'x'.repeat(1024 * 1024 - 200);
    const count = quick ? 200 : 10_000;
    await autocannon({
      url: frozen.url,
      connections: 10,
      amount: count,
      requests: [
        {
          method: 'POST',
          path: '/oauth/token',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: `Basic ${btoa('web-key:web-secret')}`,
          },
          body: `grant_type=client_credentials&app_enduser=${big}`,
        },
        {
          method: 'POST',
          path: '/api/v1/authn',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: `${big}@example.com`, password: 'x' }),
        },
      ],
    });
    const heavy = await frozen.memory();
    record({
      section: 'soak',
      figure: `${count.toLocaleString('en-US')} requests with 1 MB fields: heap after`,
      ours: bytes(heavy.heapUsed),
      baseline: bytes(after.heapUsed),
      ratio: heavy.heapUsed / after.heapUsed,
      target: '< 300 MB',
      met: heavy.heapUsed < 300e6,
    });
  } finally {
    frozen.stop();
  }
}
