/**
 * A small route table: `:name` segments capture, everything else matches literally. Static paths are one
 * map lookup; parametrised ones are tried in the order they were added.
 */
export type RouteMatch<T> =
  | { kind: 'found'; value: T; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

interface ParamRoute<T> {
  segments: string[];
  byMethod: Map<string, T>;
}

export class Router<T> {
  readonly #static = new Map<string, Map<string, T>>();
  readonly #dynamic: ParamRoute<T>[] = [];

  add(method: string, pattern: string, value: T): this {
    const byMethod = this.#slot(pattern);
    if (byMethod.has(method)) throw new Error(`[okta-apigee-sim] Duplicate route ${method} ${pattern}`);
    byMethod.set(method, value);
    return this;
  }

  match(method: string, path: string): RouteMatch<T> {
    const fixed = this.#static.get(path);
    if (fixed) return pick(fixed, method, {});
    const parts = path.split('/');
    for (const route of this.#dynamic) {
      const params = capture(route.segments, parts);
      if (params) return pick(route.byMethod, method, params);
    }
    return { kind: 'none' };
  }

  #slot(pattern: string): Map<string, T> {
    if (!pattern.includes('/:')) {
      const existing = this.#static.get(pattern);
      if (existing) return existing;
      const byMethod = new Map<string, T>();
      this.#static.set(pattern, byMethod);
      return byMethod;
    }
    const segments = pattern.split('/');
    const existing = this.#dynamic.find((route) => route.segments.join('/') === segments.join('/'));
    if (existing) return existing.byMethod;
    const route = { segments, byMethod: new Map<string, T>() };
    this.#dynamic.push(route);
    return route.byMethod;
  }
}

function pick<T>(byMethod: Map<string, T>, method: string, params: Record<string, string>): RouteMatch<T> {
  const value = byMethod.get(method);
  if (value !== undefined) return { kind: 'found', value, params };
  return { kind: 'wrong-method', allowed: [...byMethod.keys()] };
}

function capture(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const part = parts[i] as string;
    if (segment.startsWith(':')) {
      if (part === '') return null;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return null;
      }
    } else if (segment !== part) {
      return null;
    }
  }
  return params;
}
