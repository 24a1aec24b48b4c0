/**
 * A server process for the HTTP benchmark, so that the load generator and the server do not share an
 * event loop. `sim` serves the simulator (src/node/http-server.ts); `bare` serves the same bytes from a
 * plain node:http server. Prints its URL on stdout.
 *
 *   node --import tsx bench/http-target.ts sim|bare [recording.json]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulator } from '../src/index.ts';
import { startHttpServer } from '../src/node/http-server.ts';
import { benchScenario } from './http-scenario.ts';

const [mode, recordingFile] = process.argv.slice(2);

if (mode === 'sim') {
  const sim = createSimulator(benchScenario);
  const server = await startHttpServer(sim, { port: 0 });
  console.log(server.url);
} else {
  // path -> recorded answer: the exact status, headers and body the simulator gave.
  const recording: Record<string, { status: number; headers: [string, string][]; body: string }> = JSON.parse(
    readFileSync(recordingFile as string, 'utf8'),
  );
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = recording[`${req.method} ${req.url}`];
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(answer.status, answer.headers.flat());
      res.end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1', () =>
    console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
  );
}
