#!/usr/bin/env node
/**
 * The `okta-apigee-sim` command: serve, validate, check, schema, operations (docs/cli.md).
 *
 * @module
 */
import { readFileSync, watch } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { OPERATIONS } from '../catalogue.ts';
import { catalogueMarkdown } from '../catalogue-table.ts';
import type { FileResult, Reporter } from '../check/report.ts';
import { runSteps } from '../check/run-steps.ts';
import { errorCode, errorMessage } from '../core/error-message.ts';
import { isRecord } from '../core/guards.ts';
import { startHttpServer } from '../node/http-server.ts';
import { loadScenarioFile } from '../node/load-scenario-file.ts';
import { scenarioFiles } from '../node/scenario-files.ts';
import { TENANT_FLAGS, TENANT_USAGE, tenantOptionsFromFlags } from '../node/tenant-flags.ts';
import { formatRequestLine } from '../request-log.ts';
import { formatIssues, ScenarioError } from '../scenario/issues.ts';
import { scenarioReferenceMarkdown } from '../scenario/reference.ts';
import type { Scenario } from '../scenario/schema.ts';
import { scenarioJsonSchema } from '../scenario/schema.ts';
import { SimulatorCore } from '../simulator.ts';
import { colorsFor, style } from '../style.ts';
import { banner } from './banner.ts';
import { loadDemoScenario } from './demo-scenario.ts';

const NAME = 'okta-apigee-sim';

const USAGE = `Usage: ${NAME} <command> [options]

Commands:
  serve [SCENARIO]      Serve a scenario over HTTP or HTTPS (default: the built-in demo org)
  validate FILE|DIR...  Check scenario files; every problem with file:line:column
  check FILE|DIR...     Run the scenarios' steps against a fresh simulator each
  schema [--markdown]   Print the JSON Schema of scenario files (--markdown: the docs' key reference)
  operations [--json]   Print the catalogue of simulated operations (names for fault rules and the journal)
  help [COMMAND]        This text, or a command's

Options:
  -h, --help            This text; "${NAME} <command> --help" for a command's options
  -v, --version         The version

Exit status: 0 done, 1 an invalid scenario or a failed check, 2 a usage problem (an unknown option,
an unreadable file, a port in use). Documentation: docs/cli.md`;

const SERVE_USAGE = `Usage: ${NAME} serve [SCENARIO] [options]

Serves a scenario file (YAML or JSON; default: the built-in demo org) on one port: Okta, the Apigee
runtime and the Apigee management API at their real paths, and the control plane under /__sim/.

Options:
  --port N            Port (default 4455; 0 picks a free one)
  --host H            Interface (default 127.0.0.1; 0.0.0.0 listens on every interface)
  --https             Serve https with a self-signed certificate for the served names (kept in --cert-dir)
  --cert FILE         Serve https with this certificate (PEM) instead; needs --key
  --key FILE          The private key (PEM) of --cert
  --cert-dir DIR      Where --https keeps its certificate (default ~/.cache/okta-apigee-sim/certificates)
  --log[=FORMAT]      Print a line per request: text (the default) or json (JSON lines on stdout,
                      the banner on stderr)
  --capture           Keep headers and bodies in the journal (secrets masked; 4,096 characters a body)
  --control-token T   Require "Authorization: Bearer T" on /__sim/... (it also admits any Origin and Host)
  --cors-origin O     A browser origin besides loopback ones that may call /__sim/ (with CORS); repeatable
  --allowed-host H    A Host name besides loopback ones that /__sim/ answers to (.example.com: its
                      subdomains too); repeatable, and printed as a URL in the banner
  --watch             Reload the scenario when its file changes: the state is kept when the users and
                      apps are the same, else reset (the log says which); an invalid file is reported
${TENANT_USAGE}
  -h, --help          This text`;

const VALIDATE_USAGE = `Usage: ${NAME} validate FILE|DIR...

Checks scenario files (directories are searched for .yaml, .yml and .json files) and prints every
problem with file:line:column. Exit status 1 when one is invalid, 2 when one cannot be read.

Options:
  -h, --help          This text`;

const CHECK_USAGE = `Usage: ${NAME} check FILE|DIR... [options]

Runs each scenario's steps against a fresh simulator and reports every step; a failing request step
shows its request and answer. Exit status 1 when a step fails or a scenario is invalid.

Options:
  --reporter R        text (the default; coloured on a terminal), junit (JUnit XML), tap (TAP 14) or json
  --output FILE       Write the report to FILE instead of stdout
  -h, --help          This text`;

const SCHEMA_USAGE = `Usage: ${NAME} schema [--markdown]

Prints the JSON Schema of scenario files (scenarios/schema.json is this output).

Options:
  --markdown          The key reference of docs/scenarios.md instead
  -h, --help          This text`;

const OPERATIONS_USAGE = `Usage: ${NAME} operations [--json]

Prints the catalogue of simulated operations: the names fault rules and the journal use.

Options:
  --json              As JSON instead of a Markdown table
  -h, --help          This text`;

const HELP: Record<string, string> = {
  serve: SERVE_USAGE,
  validate: VALIDATE_USAGE,
  check: CHECK_USAGE,
  schema: SCHEMA_USAGE,
  operations: OPERATIONS_USAGE,
  help: USAGE,
};

/** The scenario `serve` uses without an argument. */
export const DEFAULT_SCENARIO = fileURLToPath(new URL('../../scenarios/default.yaml', import.meta.url));

/** A mistake in how the command was called: one line on stderr, exit status 2. */
class UsageError extends Error {}

const stdout = () => style(colorsFor(process.stdout, process.env));
const stderr = () => style(colorsFor(process.stderr, process.env));

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return await run(command, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const where = command && command in HELP && command !== 'help' ? `${NAME} ${command}` : NAME;
    console.error(`${stderr().red(`${where}:`)} ${error.message}`);
    return 2;
  }
}

async function run(command: string | undefined, rest: string[]): Promise<number> {
  if (command !== undefined && command in HELP && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(HELP[command]);
    return 0;
  }
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'validate':
      return validate(rest);
    case 'check':
      return check(rest);
    case 'schema': {
      const { values } = options(rest, { markdown: { type: 'boolean' } });
      process.stdout.write(
        values.markdown
          ? scenarioReferenceMarkdown(scenarioJsonSchema())
          : `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
      );
      return 0;
    }
    case 'operations': {
      const { values } = options(rest, { json: { type: 'boolean', default: false } });
      process.stdout.write(values.json ? `${JSON.stringify(OPERATIONS, null, 2)}\n` : catalogueMarkdown());
      return 0;
    }
    case '--version':
    case '-v':
      console.log(version());
      return 0;
    case undefined:
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case 'help': {
      const topic = rest[0];
      if (topic !== undefined && !(topic in HELP))
        throw new UsageError(`no command "${topic}"; try ${NAME} --help`);
      console.log(HELP[topic ?? 'help']);
      return 0;
    }
    default:
      throw new UsageError(
        `unknown command "${command}"; the commands are serve, validate, check, schema, operations (${NAME} --help)`,
      );
  }
}

/** The package's version, from its package.json (two levels up from src/cli and from dist/cli). */
function version(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const manifest: unknown = JSON.parse(text);
  return isRecord(manifest) && typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** `parseArgs`, with its errors as one-line usage errors. */
function options<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  spec: T,
  positionals = false,
) {
  try {
    return parseArgs({ args, options: spec, allowPositionals: positionals, strict: true });
  } catch (error) {
    const code = errorCode(error);
    const message = errorMessage(error);
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    switch (code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${option ?? message}; see --help for the options`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new UsageError(`${message.split('\n', 1)[0]?.replace(/\.$/, '')}; see --help`);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw new UsageError(`unexpected argument ${/'([^']+)'/.exec(message)?.[1] ?? ''}; see --help`);
      default:
        throw error;
    }
  }
}

/** Reads and validates a scenario file; a file that cannot be read is a usage error. */
async function loadFile(file: string): Promise<Scenario> {
  try {
    return file === DEFAULT_SCENARIO ? await loadDemoScenario(file) : await loadScenarioFile(file);
  } catch (error) {
    throw unreadable(file, error) ?? error;
  }
}

function unreadable(file: string, error: unknown): UsageError | undefined {
  const code = errorCode(error);
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    ELOOP: 'too many symbolic links',
  };
  const reason = code ? reasons[code] : undefined;
  return reason ? new UsageError(`cannot read ${file}: ${reason}`) : undefined;
}

function reportLoadError(file: string, error: unknown): number {
  const s = stderr();
  if (error instanceof ScenarioError) {
    console.error(`${s.red('FAIL')}  ${file}\n${formatIssues(error.issues, file)}`);
  } else {
    console.error(`${s.red('FAIL')}  ${file}\n  ${errorMessage(error)}`);
  }
  return 1;
}

// --- serve ---------------------------------------------------------------------------------------------

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

async function serve(args: string[]): Promise<number> {
  // `--log` takes an optional value, which parseArgs cannot express: a bare `--log` means text.
  const normalized = args.map((arg) => (arg === '--log' ? '--log=text' : arg));
  const { values, positionals } = options(
    normalized,
    {
      port: { type: 'string', default: '4455' },
      host: { type: 'string', default: '127.0.0.1' },
      https: { type: 'boolean', default: false },
      cert: { type: 'string' },
      key: { type: 'string' },
      'cert-dir': { type: 'string' },
      log: { type: 'string' },
      capture: { type: 'boolean', default: false },
      'control-token': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true, default: [] },
      'allowed-host': { type: 'string', multiple: true, default: [] },
      watch: { type: 'boolean', default: false },
      ...TENANT_FLAGS,
    },
    true,
  );
  if (positionals.length > 1) throw new UsageError(`serves one scenario, got ${positionals.length}`);
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port > 65535) {
    throw new UsageError(`--port must be a port number from 0 to 65535, got "${values.port}"`);
  }
  const log = values.log;
  if (log !== undefined && log !== 'text' && log !== 'json') {
    throw new UsageError(`--log is text or json, got "${log}"`);
  }
  if ((values.cert === undefined) !== (values.key === undefined)) {
    throw new UsageError('--cert and --key go together');
  }
  const host = values.host;
  const allowedHosts = values['allowed-host'];
  const tenants = tenantOptionsFromFlags(values);
  if (typeof tenants === 'string') throw new UsageError(tenants);
  const file = positionals[0] ?? DEFAULT_SCENARIO;
  let sim: SimulatorCore;
  try {
    sim = new SimulatorCore(await loadFile(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return reportLoadError(file, error);
  }
  // With --log=json stdout carries JSON lines only; everything else goes to stderr.
  const say = log === 'json' ? console.error : console.log;
  const s = log === 'json' ? stderr() : stdout();

  let tls: { cert: string; key: string } | undefined;
  let certFile: string | undefined;
  let certCreated = false;
  if (values.cert !== undefined && values.key !== undefined) {
    const read = async (path: string) =>
      readFile(path, 'utf8').catch((error: unknown) => {
        throw unreadable(path, error) ?? error;
      });
    tls = { cert: await read(values.cert), key: await read(values.key) };
    certFile = values.cert;
  } else if (values.https) {
    const names = [...LOOPBACK_NAMES];
    if (!WILDCARD_HOSTS.has(host)) names.push(host.replace(/^\[|\]$/g, ''));
    for (const allowed of allowedHosts) {
      if (allowed.startsWith('.')) names.push(allowed.slice(1), `*${allowed}`);
      else names.push(allowed);
    }
    // Loaded only for --https, as the check reports are only for check: serve starts sooner without them.
    const { defaultCertificateDir, localCertificate } = await import('../node/certificate.ts');
    const made = await localCertificate(names, values['cert-dir'] ?? defaultCertificateDir());
    tls = { cert: made.cert, key: made.key };
    certFile = made.certFile;
    certCreated = made.created;
  }

  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    console.warn(
      `[${NAME}] Warning: listening on ${host} exposes the simulator and its control plane beyond this machine` +
        (values['control-token'] ? '' : '; pass --control-token to protect /__sim/'),
    );
  }
  let running: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    running = await startHttpServer(sim, {
      port,
      host,
      controlToken: values['control-token'],
      corsOrigins: values['cors-origin'],
      allowedHosts,
      tenants,
      ...(tls && { tls }),
    });
  } catch (error) {
    throw listenProblem(error, host, port) ?? error;
  }
  if (values.capture) sim.requests.capture(true);
  const unsubscribe =
    log === undefined
      ? undefined
      : sim.requests.subscribe((entry) => {
          process.stdout.write(
            `${log === 'json' ? JSON.stringify(entry) : formatRequestLine(entry, { color: stdout().enabled })}\n`,
          );
        });
  const urls = clientUrls(running.url, host, running.port, allowedHosts);
  say(
    banner(sim, {
      urls,
      file,
      controlToken: values['control-token'],
      certFile,
      certCreated,
      style: s,
      pooledTenants: running.tenants?.list().filter((tenant) => tenant.pooled).length,
    }),
  );
  const unwatch = values.watch ? watchScenario(file, sim, say, s) : undefined;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  unwatch?.();
  unsubscribe?.();
  await running.close();
  say('\nStopped.');
  return 0;
}

function listenProblem(error: unknown, host: string, port: number): UsageError | undefined {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new UsageError(
        `port ${port} on ${host} is in use; choose another with --port (0 picks a free one)`,
      );
    case 'EACCES':
    case 'EPERM':
      return new UsageError(
        `may not listen on port ${port} on ${host} (ports below 1024 need privileges); try --port 4455`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`cannot listen on --host ${host}: not an address of this machine`);
    default:
      return undefined;
  }
}

/**
 * URLs a client can use, which the control plane's Host check accepts too: the bound address, or
 * 127.0.0.1 when bound to every interface (0.0.0.0 is no address to connect to), then each
 * `--allowed-host` that names one host.
 */
function clientUrls(url: string, host: string, port: number, allowedHosts: readonly string[]): string[] {
  const scheme = new URL(url).protocol;
  const urls = [WILDCARD_HOSTS.has(host) ? `${scheme}//127.0.0.1:${port}` : url];
  for (const allowed of allowedHosts) {
    if (allowed.startsWith('.')) continue;
    const name = allowed.includes(':') && !allowed.startsWith('[') ? `[${allowed}]` : allowed;
    urls.push(`${scheme}//${name}:${port}`);
  }
  return [...new Set(urls)];
}

/**
 * Reloads the scenario when its file changes; the server keeps its port. The state carries over when the
 * new scenario has the same users and apps, and the log says whether it did. Editors often replace a file
 * rather than write it, so the directory is watched, and bursts of events are folded into one reload.
 */
function watchScenario(
  file: string,
  sim: SimulatorCore,
  say: (line: string) => void,
  s: ReturnType<typeof style>,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const reload = async () => {
    try {
      const result = sim.load(await loadFile(file), { keepState: true });
      const how =
        result.state === 'kept'
          ? s.green('state kept: same users and apps')
          : s.yellow(`state reset: ${result.reason ?? 'a new scenario'}`);
      say(`[${NAME}] Reloaded ${file}: "${sim.scenario.name}" (${how})`);
    } catch (error) {
      if (error instanceof UsageError) console.error(`[${NAME}] ${error.message}`);
      else reportLoadError(file, error);
      say(`[${NAME}] Kept the previous scenario`);
    }
  };
  const watcher = watch(dirname(file), (_event, name) => {
    if (name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(reload, 50);
  });
  say(`Watching ${file} for changes.`);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

// --- validate and check --------------------------------------------------------------------------------

async function filesOf(args: string[], usage: string): Promise<string[]> {
  if (args.length === 0) throw new UsageError(`needs a file or directory (${usage})`);
  const files = await scenarioFiles(args);
  if (files.length === 0)
    throw new UsageError(`found no .yaml, .yml or .json scenario in ${args.join(', ')}`);
  return files;
}

async function validate(args: string[]): Promise<number> {
  const { positionals } = options(args, {}, true);
  const files = await filesOf(positionals, `${NAME} validate FILE|DIR...`);
  const s = stdout();
  let failed = 0;
  for (const file of files) {
    try {
      await loadFile(file);
      console.log(`${s.green('ok')}    ${file}`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      failed += 1;
      reportLoadError(file, error);
    }
  }
  console.log(`${files.length - failed} valid, ${failed} invalid`);
  return failed === 0 ? 0 : 1;
}

async function check(args: string[]): Promise<number> {
  const { values, positionals } = options(
    args,
    { reporter: { type: 'string', default: 'text' }, output: { type: 'string' } },
    true,
  );
  const { REPORTERS } = await import('../check/report.ts');
  const reporter = REPORTERS.find((known) => known === values.reporter);
  if (!reporter) throw new UsageError(`--reporter is ${REPORTERS.join(', ')}; got "${values.reporter}"`);
  const files = await filesOf(positionals, `${NAME} check FILE|DIR...`);
  const results: FileResult[] = [];
  for (const file of files) {
    const started = performance.now();
    let sim: SimulatorCore;
    try {
      sim = new SimulatorCore(await loadFile(file));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const text =
        error instanceof ScenarioError
          ? formatIssues(error.issues, file).replace(/^ {2}/gm, '')
          : errorMessage(error);
      results.push({ file, error: text, steps: [], durationMs: performance.now() - started });
      continue;
    }
    const steps = await runSteps(sim, sim.scenario.steps);
    results.push({ file, scenario: sim.scenario.name, steps, durationMs: performance.now() - started });
  }
  return (await writeReport(reporter, results, values.output)) ? 0 : 1;
}

/** Writes the report; whether every step passed. */
async function writeReport(reporter: Reporter, results: FileResult[], output: string | undefined) {
  const { report, totals } = await import('../check/report.ts');
  const { passed, failed } = totals(results);
  if (output === undefined) {
    process.stdout.write(report(reporter, results, stdout()));
    return failed === 0;
  }
  await writeFile(output, report(reporter, results, style(false))).catch((error: unknown) => {
    throw new UsageError(`cannot write ${output}: ${errorCode(error) ?? errorMessage(error)}`);
  });
  console.log(`${passed} passed, ${failed} failed (report in ${output})`);
  return failed === 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`[${NAME}] A bug in the simulator, please report it:`, error);
      process.exit(1);
    },
  );
}
