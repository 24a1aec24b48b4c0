import type { JournalEntry } from './core/journal.ts';
import { style } from './style.ts';

/**
 * One line of the request log (`serve --log`), from a journal entry: wall-clock time, virtual time,
 * method, path, status, operation, error code, principal, fault applied, duration.
 *
 * @example
 * sim.requests.subscribe((entry) => console.log(formatRequestLine(entry)));
 * // 10:15:03.120 [2026-01-01T00:05:00.000Z] POST /api/v1/authn 401 primaryAuthentication E0000004 alice@example.com 1.2ms
 */
export function formatRequestLine(entry: JournalEntry, options: { color?: boolean } = {}): string {
  const s = style(options.color ?? false);
  const url = URL.parse(entry.url);
  const target = url ? `${url.pathname}${url.search}` : entry.url;
  const status = entry.status;
  const paint = status >= 500 || status === 0 ? s.red : status >= 400 ? s.yellow : s.green;
  const parts = [
    s.dim(entry.wall.slice(11, 23)),
    s.dim(`[${entry.at}]`),
    entry.method,
    target.length > 160 ? `${target.slice(0, 160)}…` : target,
    paint(status === 0 ? 'unanswered' : String(status)),
    entry.operation ?? (entry.outcome === 'unsimulated' ? 'unsimulated' : '-'),
  ];
  if (entry.errorCode) parts.push(paint(entry.errorCode));
  if (entry.principal) parts.push(s.cyan(entry.principal));
  if (entry.fault)
    parts.push(s.red(`fault:${entry.fault.type}${entry.fault.name ? `(${entry.fault.name})` : ''}`));
  parts.push(s.dim(`${entry.durationMs}ms`));
  return parts.join(' ');
}
