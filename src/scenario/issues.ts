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

/** Schema issues (zod's) as scenario issues: the path dotted, the message as is. */
export function issuesOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ScenarioIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
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
