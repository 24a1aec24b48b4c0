import { errorMessage } from '../core/error-message.ts';
import { isRecord } from '../core/guards.ts';
import { ActionSchema } from '../scenario/actions.ts';
import type { Step } from '../scenario/steps.ts';
import type { SimulatorCore } from '../simulator.ts';
import { atPath, expand } from './template.ts';

export interface StepResult {
  /** From 1. */
  index: number;
  /** What ran: `POST https://.../api/v1/authn -> 401`, `advance 6m`, `do apigee.revokeApp`. */
  label: string;
  ok: boolean;
  failures: string[];
  /** Real time the step took, in milliseconds. */
  durationMs: number;
  /** A failing request step's request and answer (bodies cut at 2,000 characters), for the report. */
  exchange?: StepExchange;
}

/** What a request step sent and got, as a report shows it. */
export interface StepExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** Absent when no answer came (a `hang` fault, a network error). */
  response?: { status: number; headers: Record<string, string>; body?: string };
}

/** The longest body a report shows. */
const REPORTED_BODY = 2000;

function trimmed(text: string | null | undefined): { body?: string } {
  if (!text) return {};
  return {
    body: text.length > REPORTED_BODY ? `${text.slice(0, REPORTED_BODY)}… (${text.length} characters)` : text,
  };
}

/**
 * Runs a scenario's `steps` against a simulator, in order (`okta-apigee-sim check`). A failing step is
 * reported and the run goes on; a capture that finds nothing leaves the variable unset.
 */
export async function runSteps(sim: SimulatorCore, steps: readonly Step[]): Promise<StepResult[]> {
  const vars: Record<string, unknown> = {};
  const results: StepResult[] = [];
  for (const [i, step] of steps.entries()) {
    const index = i + 1;
    const prefix = step.name ? `${step.name}: ` : '';
    const started = performance.now();
    const took = () => Math.round((performance.now() - started) * 100) / 100;
    try {
      if ('advance' in step) {
        sim.clock.advance(step.advance);
        results.push({
          index,
          label: `${prefix}advance ${formatMs(step.advance)}`,
          ok: true,
          failures: [],
          durationMs: took(),
        });
      } else if ('do' in step) {
        const action = ActionSchema.safeParse(expand(step.do, sim, vars));
        if (!action.success) {
          const problems = action.error.issues.map(
            (issue) => `${issue.path.join('.') || 'do'}: ${issue.message}`,
          );
          throw new Error(`Invalid action: ${problems.join('; ')}`);
        }
        sim.run(action.data);
        results.push({
          index,
          label: `${prefix}do ${step.do.action}`,
          ok: true,
          failures: [],
          durationMs: took(),
        });
      } else {
        const done = await runRequest(sim, step, vars, prefix);
        results.push({ index, ...done, durationMs: took() });
      }
    } catch (error) {
      results.push({
        index,
        label: `${prefix}step ${index}`,
        ok: false,
        failures: [errorMessage(error)],
        durationMs: took(),
      });
    }
  }
  return results;
}

type RequestStep = Extract<Step, { request: unknown }>;

async function runRequest(
  sim: SimulatorCore,
  step: RequestStep,
  vars: Record<string, unknown>,
  prefix: string,
): Promise<Omit<StepResult, 'index' | 'durationMs'>> {
  // The request as the scenario schema checked it, its {{templates}} filled in; a template that is a whole
  // value may put a value of another type there, which the request then sends as it is.
  const spec = expand(step.request, sim, vars) as RequestStep['request'];
  const headers = new Headers(spec.headers);
  let body: string | null = null;
  if (spec.json !== undefined) {
    body = JSON.stringify(spec.json);
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/json');
    if (!headers.has('accept')) headers.set('Accept', 'application/json');
  } else if (spec.form !== undefined) {
    body = new URLSearchParams(spec.form).toString();
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/x-www-form-urlencoded');
  } else if (spec.body !== undefined) {
    body = spec.body;
  }
  const sent: StepExchange['request'] = {
    method: spec.method,
    url: spec.url,
    headers: Object.fromEntries(headers),
    ...trimmed(body),
  };
  // A hang fault never answers; the step's timeout aborts the request so the run reports it and goes on.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), step.request.timeout);
  let response: Response | undefined;
  try {
    response = await sim.fetch(
      new Request(spec.url, {
        method: spec.method,
        headers,
        body,
        redirect: 'manual',
        signal: controller.signal,
      }),
    );
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    const label = `${prefix}${spec.method} ${spec.url} -> no answer`;
    return {
      label,
      ok: false,
      failures: [`no answer within ${formatMs(step.request.timeout)}`],
      exchange: { request: sent },
    };
  } finally {
    clearTimeout(timer);
  }
  const label = `${prefix}${spec.method} ${spec.url} -> ${response ? response.status || 'network error' : 'unanswered'}`;
  if (!response) {
    return {
      label,
      ok: false,
      failures: [`No simulated vendor answers ${spec.method} ${spec.url}`],
      exchange: { request: sent },
    };
  }
  const text = response.type === 'error' ? '' : await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const failures = step.expect
    ? await check(expand(step.expect, sim, vars) as NonNullable<RequestStep['expect']>, response, text, json)
    : [];
  for (const [name, spec] of Object.entries(step.capture ?? {})) {
    const value = capture(spec, response, json);
    if (value === undefined || value === null) failures.push(`capture ${name}: nothing at ${spec}`);
    else vars[name] = value;
  }
  if (failures.length === 0) return { label, ok: true, failures };
  const exchange: StepExchange = {
    request: sent,
    response: { status: response.status, headers: Object.fromEntries(response.headers), ...trimmed(text) },
  };
  return { label, ok: false, failures, exchange };
}

async function check(
  expect: NonNullable<RequestStep['expect']>,
  response: Response,
  text: string,
  json: unknown,
): Promise<string[]> {
  const failures: string[] = [];
  if (expect.status !== undefined && response.status !== expect.status) {
    failures.push(`status: expected ${expect.status}, got ${response.status}`);
  }
  for (const [name, expected] of Object.entries(expect.headers ?? {})) {
    const actual = response.headers.get(name);
    if (expected === null ? actual !== null : !matchesText(expected, actual)) {
      failures.push(
        `header ${name}: expected ${expected === null ? 'none' : JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
      );
    }
  }
  if (expect.text !== undefined && !matchesText(expect.text, text)) {
    failures.push(`text: expected ${JSON.stringify(expect.text)}, got ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (expect.json !== undefined) subset(expect.json, json, '$', failures);
  if (expect.jwt) {
    const claims = await decodeJwt(atPath(json, expect.jwt.at));
    if (!claims) failures.push(`${expect.jwt.at}: expected a JWT`);
    else {
      if (expect.jwt.header) subset(expect.jwt.header, claims.header, `${expect.jwt.at} (header)`, failures);
      if (expect.jwt.claims) subset(expect.jwt.claims, claims.payload, `${expect.jwt.at} (claims)`, failures);
    }
  }
  for (const path of expect.absent ?? []) {
    if (atPath(json, path) !== undefined)
      failures.push(`${path}: expected absent, got ${JSON.stringify(atPath(json, path))}`);
  }
  return failures;
}

/**
 * A captured value: `$.json.path` or `header:<name>`, optionally followed by ` /regex/` whose first group
 * is kept (`header:set-cookie /sid=([^;]+)/`).
 */
function capture(spec: string, response: Response, json: unknown): unknown {
  const [, source = spec, pattern] = /^(\S+)(?:\s+\/(.+)\/)?$/.exec(spec) ?? [];
  const value = source.startsWith('header:') ? response.headers.get(source.slice(7)) : atPath(json, source);
  if (pattern === undefined) return value;
  return typeof value === 'string' ? new RegExp(pattern).exec(value)?.[1] : undefined;
}

/** The header and claims of a JWT, decoded without verifying it; undefined for anything else. */
async function decodeJwt(value: unknown): Promise<{ header: unknown; payload: unknown } | undefined> {
  if (typeof value !== 'string') return undefined;
  // jose is loaded only for steps that check a JWT, as the simulator itself loads it only to sign one.
  const { decodeJwt: claims, decodeProtectedHeader } = await import('jose');
  try {
    return { header: decodeProtectedHeader(value), payload: claims(value) };
  } catch {
    return undefined;
  }
}

/** Objects: every expected key matches; arrays: same length, item by item; strings may be `/regex/`. */
function subset(expected: unknown, actual: unknown, path: string, failures: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      failures.push(
        `${path}: expected an array of ${expected.length}, got ${JSON.stringify(actual)?.slice(0, 200)}`,
      );
      return;
    }
    expected.forEach((item, i) => {
      subset(item, actual[i], `${path}[${i}]`, failures);
    });
  } else if (expected !== null && typeof expected === 'object') {
    if (!isRecord(actual) || Array.isArray(actual)) {
      failures.push(`${path}: expected an object, got ${JSON.stringify(actual)?.slice(0, 200)}`);
      return;
    }
    for (const [key, item] of Object.entries(expected)) {
      subset(item, actual[key], `${path}.${key}`, failures);
    }
  } else if (typeof expected === 'string' ? !matchesText(expected, actual) : expected !== actual) {
    failures.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** An exact string, or a `/regex/` (with optional flags). */
function matchesText(expected: string, actual: unknown): boolean {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(expected);
  if (regex) return typeof actual === 'string' && new RegExp(regex[1] ?? '', regex[2]).test(actual);
  return actual === expected;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
