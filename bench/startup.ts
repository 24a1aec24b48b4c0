import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createSimulator, parseScenario } from '../src/index.ts';
import { median, ms, record, timeEach } from './support.ts';

/** Spawns `args` and resolves to the milliseconds until `url` (found on stdout) answers `path` with 200. */
async function timeToHealthy(args: string[], path: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    for (;;) {
      const ok = await fetch(`${url}${path}`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
    }
  } finally {
    child.kill();
  }
}

const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('{"ok":true}')).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port) })`;

/**
 * Start-up figures: `serve` (the bin and its bundle, as an installed package runs it) and `npm start`
 * until the first healthy answer, against a bare node:http process; createSimulator for the default
 * scenario and for 10,000 generated users; sim.reset().
 */
export async function startup(quick: boolean): Promise<void> {
  const runs = quick ? 3 : 7;
  const serve: number[] = [];
  const bare: number[] = [];
  const start: number[] = [];
  for (let i = 0; i < runs; i++) {
    serve.push(await timeToHealthy(['bin/okta-apigee-sim.js', 'serve', '--port', '0'], '/__sim/health'));
    bare.push(await timeToHealthy(['-e', BARE_SERVER], '/'));
    // What `npm start` runs (tsx on the sources), without npm's own start.
    start.push(
      await timeToHealthy(
        ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'serve', '--port', '0'],
        '/__sim/health',
      ),
    );
  }
  const serveMs = median(serve);
  const bareMs = median(bare);
  record({
    section: 'start-up',
    figure: 'installed bin `serve` to first healthy answer',
    ours: ms(serveMs),
    baseline: `${ms(bareMs)} (bare node:http process)`,
    ratio: serveMs / bareMs,
    target: '<= 2x',
    met: serveMs / bareMs <= 2,
  });
  const startMs = median(start);
  record({
    section: 'start-up',
    figure: '`npm start` (tsx on the sources) to first healthy answer',
    ours: ms(startMs),
    baseline: `${ms(bareMs)} (bare node:http process)`,
    ratio: startMs / bareMs,
    target: '',
    met: null,
  });

  const text = readFileSync('scenarios/default.yaml', 'utf8');
  const scenario = parseScenario(text);
  const createDefault = await timeEach(quick ? 20 : 100, () => createSimulator(scenario));
  record({
    section: 'start-up',
    figure: 'createSimulator, default scenario',
    ours: ms(createDefault),
    baseline: '',
    ratio: null,
    target: '',
    met: null,
  });

  const users = Array.from({ length: 10_000 }, (_, i) => ({
    login: `user${i}@example.com`,
    password: 'Passw0rd!',
  }));
  const createBig = await timeEach(quick ? 2 : 5, () => createSimulator({ version: 1, okta: { users } }));
  record({
    section: 'start-up',
    figure: 'createSimulator, 10,000 generated users',
    ours: ms(createBig),
    baseline: `${ms(createDefault)} (default scenario)`,
    ratio: createBig / createDefault,
    target: '',
    met: null,
  });

  const sim = createSimulator(scenario);
  for (let i = 0; i < 200; i++) sim.reset();
  const reset = await timeEach(quick ? 200 : 2000, () => sim.reset());
  record({
    section: 'start-up',
    figure: 'sim.reset(), default scenario',
    ours: ms(reset),
    baseline: '',
    ratio: null,
    target: '< 1 ms',
    met: reset < 1,
  });
}
