import { compilePathPattern } from './paths.ts';

/**
 * A route table. Templates capture `:name` segments and match everything else literally; glob routes
 * (`*` one segment, `**` any depth, as Apigee writes proxy paths) are tried last, in the order added, and
 * may be limited to some methods. Static paths are one map lookup; templates are tried in the order added.
 */
export type RouteMatch<T> =
  | { kind: 'found'; value: T; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

interface TemplateRoute<T> {
  segments: string[];
  byMethod: Map<string, T>;
}

interface GlobRoute<T> {
  pattern: RegExp;
  methods: readonly string[] | undefined;
  value: T;
}

export class Router<T> {
  readonly #static = new Map<string, Map<string, T>>();
  readonly #templates: TemplateRoute<T>[] = [];
  /** The same routes by template: finding one by joining every route's segments made building quadratic. */
  readonly #byTemplate = new Map<string, TemplateRoute<T>>();
  readonly #globs: GlobRoute<T>[] = [];

  add(method: string, template: string, value: T): this {
    const byMethod = this.#slot(template);
    if (byMethod.has(method)) throw new Error(`[okta-apigee-sim] Duplicate route ${method} ${template}`);
    byMethod.set(method, value);
    return this;
  }

  /** A glob route for `methods` (every method when undefined); a method it does not list falls through. */
  addGlob(pattern: string, methods: readonly string[] | undefined, value: T): this {
    this.#globs.push({ pattern: compilePathPattern(pattern), methods, value });
    return this;
  }

  match(method: string, path: string): RouteMatch<T> {
    const fixed = this.#static.get(path);
    let wrong: RouteMatch<T> | undefined;
    if (fixed) {
      const found = pick(fixed, method, {});
      if (found.kind === 'found') return found;
      wrong = found;
    } else if (this.#templates.length > 0) {
      const parts = path.split('/');
      for (const route of this.#templates) {
        const params = capture(route.segments, parts);
        if (!params) continue;
        const found = pick(route.byMethod, method, params);
        if (found.kind === 'found') return found;
        wrong ??= found;
      }
    }
    for (const glob of this.#globs) {
      if ((!glob.methods || glob.methods.includes(method)) && glob.pattern.test(path)) {
        return { kind: 'found', value: glob.value, params: {} };
      }
    }
    return wrong ?? { kind: 'none' };
  }

  #slot(template: string): Map<string, T> {
    if (!template.includes('/:')) {
      const existing = this.#static.get(template);
      if (existing) return existing;
      const byMethod = new Map<string, T>();
      this.#static.set(template, byMethod);
      return byMethod;
    }
    const existing = this.#byTemplate.get(template);
    if (existing) return existing.byMethod;
    const route = { segments: template.split('/'), byMethod: new Map<string, T>() };
    this.#templates.push(route);
    this.#byTemplate.set(template, route);
    return route.byMethod;
  }
}

function pick<T>(byMethod: Map<string, T>, method: string, params: Record<string, string>): RouteMatch<T> {
  const value = byMethod.get(method);
  if (value !== undefined) return { kind: 'found', value, params };
  return { kind: 'wrong-method', allowed: [...byMethod.keys()] };
}

function capture(segments: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
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
