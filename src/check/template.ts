import { isRecord } from '../core/guards.ts';
import type { SimulatorCore } from '../simulator.ts';

/**
 * `{{...}}` in step values: the vendor origins (`{{okta}}`, `{{apigee}}`, `{{management}}`), values captured
 * by earlier steps (`{{stateToken}}`), and what a user or an app would know (`{{totp alice@example.com}}`,
 * `{{passCode ...}}`, `{{recoveryToken ...}}`, `{{apiToken NAME}}`, `{{clientId APP}}`, `{{clientSecret APP}}`,
 * `{{basic APP}}` for an Authorization header, `{{appId APP}}`, `{{now}}` in epoch ms). APP is an app name, or
 * `developer/app` (`dev@example.com/web`) where two developers have an app of that name. A string that is one
 * template alone keeps the value's type.
 */
const TEMPLATE = /\{\{\s*([\w.-]+)(?:\s+([^}]+?))?\s*\}\}/g;

export function expand(value: unknown, sim: SimulatorCore, vars: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([\w.-]+)(?:\s+([^}]+?))?\s*\}\}$/.exec(value);
    if (whole) return resolve(whole[1] ?? '', whole[2], sim, vars);
    return value.replace(TEMPLATE, (_, name: string, arg?: string) => String(resolve(name, arg, sim, vars)));
  }
  if (Array.isArray(value)) return value.map((item) => expand(item, sim, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expand(item, sim, vars)]));
  }
  return value;
}

function resolve(
  name: string,
  arg: string | undefined,
  sim: SimulatorCore,
  vars: Readonly<Record<string, unknown>>,
): unknown {
  const needs = (what: string): string => {
    if (!arg)
      throw new Error(
        `{{${name}}} needs ${what}, e.g. {{${name} ${what === 'a login' ? 'alice@example.com' : 'web'}}}`,
      );
    return arg.trim();
  };
  switch (name) {
    case 'okta':
      return required(sim.scenario.okta?.orgUrl, 'an okta section');
    case 'apigee':
      return required(sim.scenario.apigee?.runtimeUrl, 'an apigee section');
    case 'management':
      return required(sim.scenario.apigee?.managementUrl, 'an apigee section');
    case 'now':
      return sim.clock.now();
    case 'totp':
      return sim.okta.totpCode(needs('a login'));
    case 'passCode':
      return sim.okta.lastPassCode(needs('a login'));
    case 'recoveryToken':
      return sim.okta.lastRecoveryToken(needs('a login'));
    case 'apiToken':
      return sim.okta.apiToken(needs('a token name'));
    case 'clientId':
      return sim.apigee.credentials(needs('an app')).clientId;
    case 'clientSecret':
      return sim.apigee.credentials(needs('an app')).clientSecret;
    case 'basic': {
      const { clientId, clientSecret } = sim.apigee.credentials(needs('an app'));
      return `Basic ${btoa(`${clientId}:${clientSecret}`)}`;
    }
    case 'appId':
      return sim.apigee.appId(needs('an app'));
    default:
      if (!(name in vars))
        throw new Error(`{{${name}}} is neither captured by an earlier step nor a known template`);
      return vars[name];
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The scenario has no ${what}`);
  return value;
}

/** The value at a JSON path: `$`, `$.a.b`, `$.list[0].id`, `$['key with dots']`; undefined when absent. */
export function atPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`A JSON path starts with $: "${path}"`);
  const parts = path.slice(1).match(/\.[^.[\]]+|\[\d+\]|\['[^']*'\]/g) ?? [];
  if (parts.join('') !== path.slice(1)) throw new Error(`Cannot read the JSON path "${path}"`);
  let current: unknown = value;
  for (const part of parts) {
    if (!isRecord(current)) return undefined;
    const key = part.startsWith('[')
      ? part.startsWith("['")
        ? part.slice(2, -2)
        : Number(part.slice(1, -1))
      : part.slice(1);
    if (!Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}
