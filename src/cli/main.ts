#!/usr/bin/env node
/**
 * The `okta-apigee-sim` command: serve, validate, check, schema.
 *
 * @module
 */
import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OPERATIONS } from '../catalogue.ts';
import { catalogueMarkdown } from '../catalogue-table.ts';
import { runSteps } from '../check/run-steps.ts';
import { errorMessage } from '../core/error-message.ts';
import { startHttpServer } from '../node/http-server.ts';
import { loadScenarioFile } from '../node/load-scenario-file.ts';
import { scenarioFiles } from '../node/scenario-files.ts';
import { TENANT_FLAGS, TENANT_USAGE, tenantOptionsFromFlags, tenantsBanner } from '../node/tenant-flags.ts';
import { formatIssues, ScenarioError } from '../scenario/issues.ts';
import { scenarioReferenceMarkdown } from '../scenario/reference.ts';
import { scenarioJsonSchema } from '../scenario/schema.ts';
import { SimulatorCore } from '../simulator.ts';
import { banner } from './banner.ts';

const USAGE = `Usage: okta-apigee-sim <command> [options]

Commands:
  serve [SCENARIO]     Serve a scenario over HTTP (default: the built-in demo org)
      --port N           Port (default 4455)
      --host H           Interface (default 127.0.0.1)
      --control-token T  Require "Authorization: Bearer T" on /__sim/... (it also admits any Origin and Host)
      --cors-origin O    A browser origin besides loopback ones that may call /__sim/ (with CORS); repeatable
      --allowed-host H   A Host name besides loopback ones /__sim/ answers to (.example.com: subdomains); repeatable
      --watch            Reload the scenario when its file changes (an invalid one is reported, not loaded)
${TENANT_USAGE}
  validate FILE|DIR... Check scenario files; every problem with file:line:column
  check FILE|DIR...    Run the scenarios' steps against a fresh simulator each; exit 1 on a failure
                       (directories are searched for .yaml, .yml and .json scenario files)
  schema [--markdown]  Print the JSON Schema of scenario files (--markdown: the key reference of the docs)
  operations [--json]  Print the catalogue of simulated operations (names for fault rules and the journal)
  help                 This text`;

/** The scenario `serve` uses without an argument. */
export const DEFAULT_SCENARIO = fileURLToPath(new URL('../../scenarios/default.yaml', import.meta.url));

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'validate':
      return validate(rest);
    case 'check':
      return check(rest);
    case 'schema':
      process.stdout.write(
        rest.includes('--markdown')
          ? scenarioReferenceMarkdown(scenarioJsonSchema())
          : `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
      );
      return 0;
    case 'operations':
      process.stdout.write(
        rest.includes('--json') ? `${JSON.stringify(OPERATIONS, null, 2)}\n` : catalogueMarkdown(),
      );
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4455' },
      host: { type: 'string', default: '127.0.0.1' },
      'control-token': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true, default: [] },
      'allowed-host': { type: 'string', multiple: true, default: [] },
      watch: { type: 'boolean', default: false },
      ...TENANT_FLAGS,
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid --port "${values.port}"`);
    return 2;
  }
  const tenants = tenantOptionsFromFlags(values);
  if (typeof tenants === 'string') {
    console.error(tenants);
    return 2;
  }
  const file = positionals[0] ?? DEFAULT_SCENARIO;
  let sim: SimulatorCore;
  try {
    sim = new SimulatorCore(await loadScenarioFile(file));
  } catch (error) {
    return reportLoadError(file, error);
  }
  const host = values.host;
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    console.warn(
      `[okta-apigee-sim] Warning: listening on ${host} exposes the simulator and its control plane beyond this machine` +
        (values['control-token'] ? '' : '; pass --control-token to protect /__sim/'),
    );
  }
  const running = await startHttpServer(sim, {
    port,
    host,
    controlToken: values['control-token'],
    corsOrigins: values['cors-origin'],
    allowedHosts: values['allowed-host'],
    tenants,
  });
  console.log(banner(sim, running.url, file));
  console.log(tenantsBanner(running));
  const unwatch = values.watch ? watchScenario(file, sim) : undefined;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  unwatch?.();
  await running.close();
  console.log('\nStopped.');
  return 0;
}

/**
 * Reloads the scenario when its file changes; the server keeps its port. Editors often replace a file
 * rather than write it, so the directory is watched, and bursts of events are folded into one reload.
 */
function watchScenario(file: string, sim: SimulatorCore): () => void {
  let timer: NodeJS.Timeout | undefined;
  const reload = async () => {
    try {
      sim.load(await loadScenarioFile(file));
      console.log(`[okta-apigee-sim] Reloaded ${file}: "${sim.scenario.name}"`);
    } catch (error) {
      reportLoadError(file, error);
      console.log('[okta-apigee-sim] Kept the previous scenario');
    }
  };
  const watcher = watch(dirname(file), (_event, name) => {
    if (name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(reload, 50);
  });
  console.log(`Watching ${file} for changes.`);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

async function validate(args: string[]): Promise<number> {
  if (args.length === 0) {
    console.error('Usage: okta-apigee-sim validate FILE|DIR...');
    return 2;
  }
  const files = await scenarioFiles(args);
  let failed = 0;
  for (const file of files) {
    try {
      await loadScenarioFile(file);
      console.log(`ok    ${file}`);
    } catch (error) {
      failed += 1;
      reportLoadError(file, error);
    }
  }
  console.log(`${files.length - failed} valid, ${failed} invalid`);
  return failed === 0 ? 0 : 1;
}

async function check(args: string[]): Promise<number> {
  if (args.length === 0) {
    console.error('Usage: okta-apigee-sim check FILE|DIR...');
    return 2;
  }
  const files = await scenarioFiles(args);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let sim: SimulatorCore;
    try {
      sim = new SimulatorCore(await loadScenarioFile(file));
    } catch (error) {
      reportLoadError(file, error);
      failed += 1;
      continue;
    }
    console.log(`${file}: ${sim.scenario.name}`);
    const results = await runSteps(sim, sim.scenario.steps);
    if (results.length === 0) console.log('  (no steps)');
    for (const result of results) {
      console.log(`  ${result.ok ? 'ok  ' : 'FAIL'}  ${result.index} ${result.label}`);
      for (const failure of result.failures) console.log(`          ${failure}`);
      if (result.ok) passed += 1;
      else failed += 1;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function reportLoadError(file: string, error: unknown): number {
  if (error instanceof ScenarioError) {
    console.error(`FAIL  ${file}\n${formatIssues(error.issues, file)}`);
  } else {
    console.error(`FAIL  ${file}\n  ${errorMessage(error)}`);
  }
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('[okta-apigee-sim]', error);
      process.exit(1);
    },
  );
}
