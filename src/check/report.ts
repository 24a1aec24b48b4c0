import { stringify } from 'yaml';
import { type Style, style } from '../style.ts';
import type { StepExchange, StepResult } from './run-steps.ts';

/** What `check` found for one scenario file. */
export interface FileResult {
  file: string;
  /** The scenario's name; absent when the file did not load. */
  scenario?: string;
  /** Why the file did not load (an invalid scenario), one problem per line. */
  error?: string;
  steps: StepResult[];
  durationMs: number;
}

export type Reporter = 'text' | 'junit' | 'tap' | 'json';
export const REPORTERS: readonly Reporter[] = ['text', 'junit', 'tap', 'json'];

export interface Totals {
  passed: number;
  failed: number;
}

/** Passed steps; failed steps plus files that did not load. */
export function totals(files: readonly FileResult[]): Totals {
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    if (file.error !== undefined) failed += 1;
    for (const step of file.steps) {
      if (step.ok) passed += 1;
      else failed += 1;
    }
  }
  return { passed, failed };
}

/** The report in the chosen format; `text` is coloured by `style`. */
export function report(reporter: Reporter, files: readonly FileResult[], style: Style): string {
  switch (reporter) {
    case 'text':
      return textReport(files, style);
    case 'junit':
      return junitReport(files);
    case 'tap':
      return tapReport(files);
    case 'json':
      return `${JSON.stringify({ ...totals(files), files }, null, 2)}\n`;
  }
}

function textReport(files: readonly FileResult[], s: Style): string {
  const lines: string[] = [];
  for (const file of files) {
    if (file.error !== undefined) {
      lines.push(`${s.red('FAIL')}  ${file.file}`, ...file.error.split('\n').map((line) => `  ${line}`));
      continue;
    }
    lines.push(s.bold(`${file.file}: ${file.scenario}`));
    if (file.steps.length === 0) lines.push(s.dim('  (no steps)'));
    for (const step of file.steps) {
      lines.push(`  ${step.ok ? s.green('ok  ') : s.red('FAIL')}  ${step.index} ${step.label}`);
      for (const failure of step.failures) lines.push(`          ${s.red(failure)}`);
      if (step.exchange) lines.push(...exchangeLines(step.exchange, s).map((line) => `          ${line}`));
    }
  }
  const { passed, failed } = totals(files);
  lines.push(
    `${(passed > 0 ? s.green : (t: string) => t)(`${passed} passed`)}, ${(failed > 0 ? s.red : (t: string) => t)(`${failed} failed`)}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The request and answer of a failing step, as text lines. */
function exchangeLines(exchange: StepExchange, s: Style): string[] {
  const lines = [s.dim(`> ${exchange.request.method} ${exchange.request.url}`)];
  for (const [name, value] of Object.entries(exchange.request.headers))
    lines.push(s.dim(`> ${name}: ${value}`));
  if (exchange.request.body) lines.push(...indentBody(exchange.request.body, s.dim('> ')));
  const response = exchange.response;
  if (!response) {
    lines.push(s.dim('< (no answer)'));
    return lines;
  }
  lines.push(s.dim(`< ${response.status}`));
  for (const [name, value] of Object.entries(response.headers)) lines.push(s.dim(`< ${name}: ${value}`));
  if (response.body) lines.push(...indentBody(response.body, s.dim('< ')));
  return lines;
}

function indentBody(body: string, prefix: string): string[] {
  return body.split('\n').map((line) => `${prefix}${line}`);
}

/** JUnit XML as CI servers read it: a testsuite per scenario file, a testcase per step. */
function junitReport(files: readonly FileResult[]): string {
  const { passed, failed } = totals(files);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="okta-apigee-sim check" tests="${passed + failed}" failures="${failed}" time="${seconds(files.reduce((sum, f) => sum + f.durationMs, 0))}">`,
  ];
  for (const file of files) {
    const name = file.scenario ? `${file.file}: ${file.scenario}` : file.file;
    if (file.error !== undefined) {
      out.push(
        `  <testsuite name="${xml(name)}" tests="1" failures="0" errors="1" time="${seconds(file.durationMs)}">`,
        `    <testcase name="load" classname="${xml(file.file)}">`,
        `      <error message="${xml(file.error.split('\n')[0] ?? '')}">${xml(file.error)}</error>`,
        '    </testcase>',
        '  </testsuite>',
      );
      continue;
    }
    const failures = file.steps.filter((step) => !step.ok).length;
    out.push(
      `  <testsuite name="${xml(name)}" tests="${file.steps.length}" failures="${failures}" errors="0" time="${seconds(file.durationMs)}">`,
    );
    for (const step of file.steps) {
      const open = `    <testcase name="${xml(`${step.index} ${step.label}`)}" classname="${xml(file.file)}" time="${seconds(step.durationMs)}"`;
      if (step.ok) {
        out.push(`${open}/>`);
        continue;
      }
      const details = [...step.failures];
      if (step.exchange) details.push('', ...exchangeLines(step.exchange, PLAIN));
      out.push(
        `${open}>`,
        `      <failure message="${xml(step.failures.join('; '))}">${xml(details.join('\n'))}</failure>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** TAP version 14: a test point per step, a failing one with its YAML diagnostics. */
function tapReport(files: readonly FileResult[]): string {
  const points = files.reduce((sum, file) => sum + (file.error !== undefined ? 1 : file.steps.length), 0);
  const out = ['TAP version 14', `1..${points}`];
  let n = 0;
  for (const file of files) {
    if (file.error !== undefined) {
      out.push(`not ok ${++n} - ${tapText(file.file)}: load`, ...diagnostics({ message: file.error }));
      continue;
    }
    for (const step of file.steps) {
      const description = `${tapText(file.file)}: ${step.index} ${tapText(step.label)}`;
      if (step.ok) {
        out.push(`ok ${++n} - ${description}`);
        continue;
      }
      out.push(
        `not ok ${++n} - ${description}`,
        ...diagnostics({
          message: step.failures.join('\n'),
          ...(step.exchange && { request: step.exchange.request, response: step.exchange.response ?? null }),
        }),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

function diagnostics(value: Record<string, unknown>): string[] {
  const yaml = stringify(value, { lineWidth: 0 }).trimEnd();
  return ['  ---', ...yaml.split('\n').map((line) => `  ${line}`), '  ...'];
}

/** A TAP description: no `#` (a directive) and no line break. */
function tapText(text: string): string {
  return text.replaceAll('#', '\\#').replaceAll('\n', ' ');
}

const PLAIN = style(false);

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Text in XML attributes and elements; characters XML 1.0 cannot hold are dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
