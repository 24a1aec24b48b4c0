import { matchesPath } from './paths.ts';
import type { Vendor } from './vendor-error.ts';

/** Which requests a fault rule applies to; every given field must match. */
export interface FaultMatch {
  vendor?: Vendor | undefined;
  /** A vendor operation name as the journal writes it, or several. */
  operation?: string | string[] | undefined;
  method?: string | undefined;
  /** A path pattern: `*` one segment, `**` any depth. */
  path?: string | undefined;
  /** Okta: the username (or the user of a stateToken). */
  username?: string | undefined;
  /** Apigee: the client_id. */
  clientId?: string | undefined;
}

export type FaultEffect =
  | { type: 'latency'; ms: number }
  | { type: 'hang' }
  | { type: 'network-error' }
  | { type: 'vendor-error'; code: string; message?: string | undefined }
  | { type: 'status'; status: number; body?: string | undefined; contentType?: string | undefined }
  | { type: 'malformed-body'; status?: number | undefined };

export interface FaultRule {
  name?: string | undefined;
  match: FaultMatch;
  effect: FaultEffect;
  /** How many requests it affects; unlimited when absent. */
  times?: number | undefined;
  /** How many matching requests it lets through first. */
  after?: number | undefined;
}

/** What the plan knows of a request when it decides: enough to match, before any state changes. */
export interface FaultTarget {
  vendor: Vendor;
  operation: string | null;
  method: string;
  path: string;
  principal: string | undefined;
}

interface Active {
  id: number;
  rule: FaultRule;
  seen: number;
  used: number;
}

/**
 * The fault rules in force, in order: rules injected at run time come before the scenario's, the most
 * recent first (msw's `server.use()` order); the first rule that matches decides. A rule lets `after`
 * matching requests through, then affects `times` of them.
 */
export class FaultPlan {
  readonly #scenario: readonly FaultRule[];
  #active: Active[] = [];
  #ids = 0;

  constructor(scenario: readonly FaultRule[] = []) {
    this.#scenario = scenario;
    this.reset();
  }

  /** Back to the scenario's rules, counters at zero. */
  reset(): void {
    this.#active = this.#scenario.map((rule) => ({ id: ++this.#ids, rule, seen: 0, used: 0 }));
  }

  /** Adds a rule ahead of the others; returns a function that removes it. */
  inject(rule: FaultRule): { id: number; dispose: () => void } {
    const active = { id: ++this.#ids, rule, seen: 0, used: 0 };
    this.#active.unshift(active);
    return { id: active.id, dispose: () => this.remove(active.id) };
  }

  remove(id: number): boolean {
    const before = this.#active.length;
    this.#active = this.#active.filter((active) => active.id !== id);
    return this.#active.length < before;
  }

  /** Removes every rule, the scenario's included (until the next reset). */
  clear(): void {
    this.#active = [];
  }

  get size(): number {
    return this.#active.length;
  }

  /** Whether any rule matches on the principal, which costs a look at the request body. */
  get needsPrincipal(): boolean {
    return this.#active.some(
      ({ rule }) => rule.match.username !== undefined || rule.match.clientId !== undefined,
    );
  }

  list(): { id: number; rule: FaultRule; seen: number; used: number }[] {
    return this.#active.map((active) => ({ ...active }));
  }

  /** The rule that decides for `target`, counting it; `undefined` lets the request through untouched. */
  take(target: FaultTarget): FaultRule | undefined {
    for (const active of this.#active) {
      const { rule } = active;
      if (rule.times !== undefined && active.used >= rule.times) continue;
      if (!matches(rule.match, target)) continue;
      active.seen += 1;
      if (active.seen <= (rule.after ?? 0)) return undefined;
      active.used += 1;
      return rule;
    }
    return undefined;
  }
}

function matches(match: FaultMatch, target: FaultTarget): boolean {
  if (match.vendor !== undefined && match.vendor !== target.vendor) return false;
  if (match.operation !== undefined) {
    const operations = Array.isArray(match.operation) ? match.operation : [match.operation];
    if (target.operation === null || !operations.includes(target.operation)) return false;
  }
  if (match.method !== undefined && match.method.toUpperCase() !== target.method) return false;
  if (match.path !== undefined && !matchesPath(match.path, target.path)) return false;
  const principal = target.principal?.toLowerCase();
  if (
    match.username !== undefined &&
    (target.vendor !== 'okta' || principal !== match.username.toLowerCase())
  )
    return false;
  if (match.clientId !== undefined && (target.vendor !== 'apigee' || target.principal !== match.clientId))
    return false;
  return true;
}
