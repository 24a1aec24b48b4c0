/**
 * `serve`'s tenant flags (docs/server.md#serve, docs/tenants.md), kept beside the tenants so that the
 * command only spreads them in.
 */
import { checkedDuration, parseDuration } from '../core/duration.ts';
import { errorMessage } from '../core/error-message.ts';
import type { TenantOptions } from './tenants.ts';

export const TENANT_FLAGS = {
  tenants: { type: 'string' },
  'max-tenants': { type: 'string' },
  'tenant-memory': { type: 'string' },
  'tenant-ttl': { type: 'string' },
} as const;

export const TENANT_USAGE = `  --tenants N         Make N tenants of the scenario at start, ready for POST /__sim/tenants (default 0)
  --max-tenants N     The most tenants at once (default 200); past it POST /__sim/tenants answers 429
  --tenant-memory MB  Heap in use (MB) past which no tenant is made (default 1024, or half V8's limit)
  --tenant-ttl D      Idle time after which a tenant ends, unless its POST says (default 30m)`;

/** The tenant options the flags give, or what is wrong with them. */
export function tenantOptionsFromFlags(values: {
  tenants?: string | undefined;
  'max-tenants'?: string | undefined;
  'tenant-memory'?: string | undefined;
  'tenant-ttl'?: string | undefined;
}): TenantOptions | string {
  const options: TenantOptions = {};
  const whole = (flag: string, text: string | undefined, max: number): number | string | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    return /^\d+$/.test(text) && value <= max
      ? value
      : `Invalid ${flag} "${text}": a whole number up to ${max}`;
  };
  const pool = whole('--tenants', values.tenants, 10_000);
  const limit = whole('--max-tenants', values['max-tenants'], 10_000);
  const memory = whole('--tenant-memory', values['tenant-memory'], 1_000_000);
  for (const value of [pool, limit, memory]) if (typeof value === 'string') return value;
  if (typeof pool === 'number') options.pool = pool;
  if (typeof limit === 'number') options.limit = limit;
  if (typeof memory === 'number') {
    if (memory === 0) return 'Invalid --tenant-memory "0": at least 1 (MB)';
    options.memoryBudget = memory * 2 ** 20;
  }
  const ttl = values['tenant-ttl'];
  if (ttl !== undefined) {
    try {
      const ms = parseDuration(ttl);
      if (ms < 1000 || ms > 7 * 86_400_000) throw new RangeError('from 1s to 7d');
    } catch (error) {
      return `Invalid --tenant-ttl "${ttl}": ${errorMessage(error)}`;
    }
    options.ttl = checkedDuration(ttl);
  }
  if ((options.pool ?? 0) > (options.limit ?? 200)) {
    return `--tenants ${options.pool} is more than --max-tenants ${options.limit ?? 200}`;
  }
  return options;
}
