/**
 * The inspector (docs/inspector.md): a live page of one simulator at `/__sim/ui`, and the event stream it
 * listens to at `/__sim/events`. The standalone server serves both, for its own simulator and for each
 * tenant's, behind the control plane's guard; in-process there is no page (the control plane answers 404).
 *
 * The page is static: `inspector/` of the package (HTML, one ES module, one style sheet), no build step. It
 * reads the control plane's JSON (`/__sim/state`, `/__sim/clock`, `/__sim/faults`, `/__sim/requests`) and
 * refetches when the stream says the state changed.
 */
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { OPERATION_NAMES } from '../catalogue.ts';
import { isoString } from '../core/clock.ts';
import type { JournalEntry } from '../core/journal.ts';
import {
  CONTROL_COOKIE,
  type ControlPolicy,
  controlCorsHeaders,
  guardControlPlane,
} from '../http/control-guard.ts';
import { jsonResponse, type SimRequest, type SimResponse } from '../http/exchange.ts';
import { SimulatorCore } from '../simulator.ts';

/** Open event streams per server (each port: the main one, each tenant's); past it `429 too_many_streams`. */
export const MAX_STREAMS = 32;
/** Real time between comment lines on an idle stream: transport keep-alive, not domain time. */
const HEARTBEAT_MS = 15_000;
/** Real time the stream gathers journal entries and state changes before it writes them. */
const FLUSH_MS = 50;
/** Entries gathered between two writes; past it the oldest are dropped and a `missed` event says how many. */
const MAX_PENDING = 500;
/** Bytes a client may leave unread; past it its stream is closed (the page reconnects and refetches). */
const MAX_UNREAD = 1 << 20;

const PAGE = '/__sim/ui';
const EVENTS = '/__sim/events';

/** The page's files: name under `/__sim/ui/` → file in `inspector/` and its type. */
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'inspector.js': { file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
  'inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
  'favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** `inspector/` next to `src/` and `dist/`: this file is `src/node/inspector.ts` or `dist/node/inspector.js`. */
const FOLDER = new URL('../../inspector/', import.meta.url);

/** Served with every file of the page: nothing but this origin, no framing, no referrer, no caching. */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** The value of the inspector's cookie for a control token: derived from it, so the cookie never holds it. */
export function controlCookieValue(token: string): string {
  return createHmac('sha256', token).update('okta-apigee-sim inspector cookie v1').digest('base64url');
}

/** Whether a path is the inspector's (the page, its files, the event stream). */
export function isInspectorPath(pathname: string): boolean {
  return pathname === PAGE || pathname.startsWith(`${PAGE}/`) || pathname === EVENTS;
}

/** Tells the streams of a simulator that its state changed (a control-plane request that may change it). */
export function stateChanged(target: unknown): void {
  if (target instanceof SimulatorCore) hubs.get(target)?.changed();
}

/** What answers a request when it is not a simulator: a 404 for a tenant Host that names none. */
interface Answerer {
  answer(request: SimRequest): Promise<SimResponse | undefined>;
}

interface Stream {
  readonly res: ServerResponse;
  readonly hub: Hub;
  /** False once the simulator is gone (a tenant deleted while its stream on the main port is open). */
  readonly alive: () => boolean;
}

/**
 * What the streams of one simulator share: one journal subscription and one clock listener, whatever the
 * number of streams and ports, and the entries and changes gathered for the next write.
 */
class Hub {
  readonly #sim: SimulatorCore;
  readonly #streams = new Set<Stream>();
  #unsubscribe: (() => void)[] = [];
  #pending: JournalEntry[] = [];
  #missed = 0;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(sim: SimulatorCore) {
    this.#sim = sim;
  }

  add(stream: Stream): void {
    if (this.#streams.size === 0) {
      this.#unsubscribe = [
        this.#sim.requests.subscribe((entry) => this.#record(entry)),
        this.#sim.clock.onJump(() => this.changed()),
      ];
    }
    this.#streams.add(stream);
  }

  remove(stream: Stream): void {
    this.#streams.delete(stream);
    if (this.#streams.size > 0) return;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#missed = 0;
    this.#dirty = false;
    hubs.delete(this.#sim);
  }

  changed(): void {
    this.#dirty = true;
    this.#schedule();
  }

  /** What the page needs to know whether to refetch: the clock, and the journal's last number. */
  summary(): string {
    const { clock, requests } = this.#sim;
    const last = requests.recent(1)[0];
    return JSON.stringify({ now: isoString(clock.now()), frozen: clock.frozen, seq: last?.seq ?? 0 });
  }

  #record(entry: JournalEntry): void {
    this.#pending.push(entry);
    if (this.#pending.length > MAX_PENDING) {
      this.#pending.shift();
      this.#missed += 1;
    }
    // Any request may have changed the state: the page refetches once per write, not per entry.
    this.#dirty = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#streams.size === 0) return;
    this.#timer = setTimeout(() => this.#flush(), FLUSH_MS);
    this.#timer.unref();
  }

  #flush(): void {
    this.#timer = undefined;
    let text = '';
    for (const entry of this.#pending) text += event('request', JSON.stringify(entry));
    if (this.#missed > 0) text += event('missed', JSON.stringify({ count: this.#missed }));
    if (this.#dirty) text += event('state', this.summary());
    this.#pending = [];
    this.#missed = 0;
    this.#dirty = false;
    for (const stream of this.#streams) write(stream, text);
  }
}

const hubs = new WeakMap<SimulatorCore, Hub>();

function hubFor(sim: SimulatorCore): Hub {
  let hub = hubs.get(sim);
  if (!hub) {
    hub = new Hub(sim);
    hubs.set(sim, hub);
  }
  return hub;
}

/** One server-sent event; JSON has no line breaks, so one `data:` line carries it. */
function event(name: string, data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}

/** Writes to a stream, or closes it when its client has left too much unread. */
function write(stream: Stream, text: string): void {
  const { res } = stream;
  if (res.destroyed) return;
  if (res.writableLength > MAX_UNREAD) {
    res.destroy();
    return;
  }
  res.write(text);
}

/**
 * The inspector of one server (one port): its page, its files and its streams, at most `MAX_STREAMS` of
 * them, each with a comment line every 15 s of real time, all ended when the server closes.
 */
export class Inspector {
  readonly #policy: ControlPolicy;
  readonly #secure: boolean;
  readonly #streams = new Set<Stream>();
  readonly #files = new Map<string, Promise<Buffer>>();
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(policy: ControlPolicy, options: { secure?: boolean } = {}) {
    this.#policy = policy;
    this.#secure = options.secure ?? false;
  }

  /** The number of open event streams. */
  get streams(): number {
    return this.#streams.size;
  }

  /**
   * Answers a request for the page, a file of it, or the stream: signs in with `?token=`, guards the rest
   * as the control plane is guarded, and serves `target`, the simulator the request's port or Host names.
   */
  async serve(
    request: SimRequest,
    res: ServerResponse,
    target: Answerer,
    alive: () => boolean,
  ): Promise<void> {
    const { method, url } = request;
    const page = url.pathname === PAGE || url.pathname === `${PAGE}/`;
    if (page && (method === 'GET' || method === 'HEAD') && url.searchParams.has('token')) {
      this.#signIn(url.searchParams.get('token') ?? '', res);
      return;
    }
    const refusal = guardControlPlane(request, this.#policy);
    if (refusal) {
      if (page && refusal.status === 401) sendPage(res, 401, signInPage(false));
      else send(res, refusal, controlCorsHeaders(request, this.#policy));
      return;
    }
    if (!(target instanceof SimulatorCore)) {
      // A tenant Host that names no tenant (any more): its 404.
      const answer = await target.answer(request);
      send(res, answer ?? problem(404, 'not_found', `Nothing answers ${url.pathname}`));
      return;
    }
    if (url.pathname === EVENTS) {
      if (method !== 'GET') {
        send(res, problem(405, 'method_not_allowed', `${method} is not allowed on ${EVENTS}; try GET`));
        return;
      }
      this.#stream(request, res, target, alive);
      return;
    }
    const name = page ? '' : url.pathname.slice(PAGE.length + 1);
    if (name === 'operations.json') {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed(res, method, url.pathname);
      send(res, jsonResponse(OPERATION_NAMES, 200, PAGE_HEADERS), {}, method === 'HEAD');
      return;
    }
    const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
    if (!file) {
      send(
        res,
        problem(404, 'not_found', `No inspector file ${url.pathname.slice(0, 200)}`, {
          files: Object.keys(FILES).map((known) => (known ? `${PAGE}/${known}` : PAGE)),
        }),
      );
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(res, method, url.pathname);
    const bytes = await this.#read(file.file);
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': bytes.length, ...PAGE_HEADERS });
    res.end(method === 'HEAD' ? undefined : bytes);
  }

  /** Ends every stream: the server is closing. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    for (const stream of this.#streams) stream.res.end();
  }

  /** `?token=`: the right one sets the cookie and leaves the token out of the address bar. */
  #signIn(token: string, res: ServerResponse): void {
    const expected = this.#policy.token;
    if (expected !== undefined && token !== expected) {
      sendPage(res, 401, signInPage(true));
      return;
    }
    const headers: Record<string, string> = {
      Location: PAGE,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    };
    if (expected !== undefined && this.#policy.cookie !== undefined) {
      headers['Set-Cookie'] =
        `${CONTROL_COOKIE}=${this.#policy.cookie}; Path=/__sim; HttpOnly; SameSite=Strict${this.#secure ? '; Secure' : ''}`;
    }
    res.writeHead(303, headers);
    res.end();
  }

  #stream(request: SimRequest, res: ServerResponse, sim: SimulatorCore, alive: () => boolean): void {
    if (this.#closed) {
      send(res, problem(503, 'closed', 'The server is closing'));
      return;
    }
    if (this.#streams.size >= MAX_STREAMS) {
      send(
        res,
        problem(
          429,
          'too_many_streams',
          `${MAX_STREAMS} event streams are open on this port, the limit: close an inspector tab first`,
        ),
      );
      return;
    }
    const hub = hubFor(sim);
    const stream: Stream = { res, hub, alive };
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
      ...controlCorsHeaders(request, this.#policy),
    });
    hub.add(stream);
    this.#streams.add(stream);
    res.on('close', () => {
      hub.remove(stream);
      this.#streams.delete(stream);
      if (this.#streams.size === 0) {
        clearInterval(this.#heartbeat);
        this.#heartbeat = undefined;
      }
    });
    res.write(
      `retry: 2000\n: okta-apigee-sim events (docs/inspector.md)\n\n${event('hello', hub.summary())}`,
    );
    if (this.#heartbeat === undefined) {
      this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
      this.#heartbeat.unref();
    }
  }

  #beat(): void {
    for (const stream of this.#streams) {
      if (stream.alive()) write(stream, ': ping\n\n');
      else stream.res.end();
    }
  }

  #read(file: string): Promise<Buffer> {
    let bytes = this.#files.get(file);
    if (!bytes) {
      bytes = readFile(new URL(file, FOLDER));
      this.#files.set(file, bytes);
      bytes.catch(() => this.#files.delete(file));
    }
    return bytes;
  }
}

function problem(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return jsonResponse({ error: { code, message, ...extra } }, status);
}

function notAllowed(res: ServerResponse, method: string, path: string): void {
  send(res, problem(405, 'method_not_allowed', `${method} is not allowed on ${path.slice(0, 200)}; try GET`));
}

function send(
  res: ServerResponse,
  response: SimResponse,
  extra: Record<string, string> = {},
  head = false,
): void {
  const outgoing: string[] = [];
  for (const [name, value] of response.headers) outgoing.push(name, value);
  for (const [name, value] of Object.entries(extra)) outgoing.push(name, value);
  res.writeHead(response.status, outgoing);
  res.end(head ? undefined : (response.bytes ?? response.body ?? undefined));
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...PAGE_HEADERS });
  res.end(html);
}

/** The page for a browser without the cookie: a form that sends the token as `?token=`. No user data in it. */
function signInPage(wrong: boolean): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>okta-apigee-sim inspector: sign in</title></head>
<body>
<h1>okta-apigee-sim inspector</h1>
<p>This server was started with <code>--control-token</code>. ${
    wrong ? '<strong>That is not its token.</strong> ' : ''
  }Enter the token to open the inspector; a cookie keeps you signed in until the browser closes.</p>
<form method="get" action="${PAGE}">
<label>Control token <input name="token" type="password" autocomplete="off" required autofocus></label>
<button type="submit">Open the inspector</button>
</form>
</body>
</html>
`;
}
