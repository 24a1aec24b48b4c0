import type { z } from 'zod';

/** One problem in a scenario, located by its path in the document and, for text, by line and column. */
export interface ScenarioIssue {
  /** Dotted path into the document, e.g. `okta.users.0.factors.1.secret`; empty for the whole file. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Thrown for an invalid scenario; `issues` lists every problem found, in document order. */
export class ScenarioError extends Error {
  readonly issues: ScenarioIssue[];
  readonly source: string | undefined;

  constructor(issues: ScenarioIssue[], source?: string) {
    super(`[okta-apigee-sim] Invalid scenario${source ? ` ${source}` : ''}:\n${formatIssues(issues)}`);
    this.name = 'ScenarioError';
    this.issues = issues;
    this.source = source;
  }
}

/** Schema issues (zod's) as scenario issues: unions resolved to their best branch, the path dotted. */
export function issuesOf(issues: readonly z.core.$ZodIssue[]): ScenarioIssue[] {
  return issues.flatMap(expandIssue).map(({ path, key, message }) => ({
    path: [...path, ...(key === undefined ? [] : [key])].map(String).join('.'),
    message,
  }));
}

export interface FlatIssue {
  path: PropertyKey[];
  message: string;
  key?: string;
}

/** Unions report their branches' failures nested; pick the branch that got furthest, flatten the rest. */
export function expandIssue(issue: z.core.$ZodIssue): FlatIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: issue.path, key, message: `Unknown key "${key}"` }));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    // Else the branch whose type the value had (a string for a string-or-list field): its message says why.
    const typed = issue.errors.find(
      (errors) => errors.length > 0 && errors.every((e) => e.code !== 'invalid_type'),
    );
    const chosen = depth(best) > 0 ? best : typed;
    if (chosen)
      return chosen.flatMap((inner) => expandIssue({ ...inner, path: [...issue.path, ...inner.path] }));
  }
  return [{ path: issue.path, message: issue.message }];
}

function depth(errors: z.core.$ZodIssue[]): number {
  return Math.max(0, ...errors.map((e) => e.path.length));
}

/** `line:column  path: message`, one issue per line. */
export function formatIssues(issues: readonly ScenarioIssue[], source?: string): string {
  return issues
    .map((issue) => {
      const where = issue.line
        ? `${source ? `${source}:` : ''}${issue.line}:${issue.column}`
        : (source ?? '');
      const path = issue.path ? `${issue.path}: ` : '';
      return `  ${where}${where ? '  ' : ''}${path}${issue.message}`;
    })
    .join('\n');
}
