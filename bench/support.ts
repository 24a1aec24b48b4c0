/**
 * Shared pieces of the benchmarks: timing, statistics and the report table. Every figure is printed next
 * to a baseline measured in the same run, so the ratio, not the absolute number, is what to compare.
 */

export interface Row {
  section: string;
  figure: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

export const rows: Row[] = [];

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs `fn` `times` times and returns the median duration of one call in milliseconds. */
export async function timeEach(times: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** Total milliseconds of `fn` run `times` times in a row (for work too small to time one by one). */
export async function timeBatch(times: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < times; i++) await fn();
  return performance.now() - start;
}

export function ms(value: number): string {
  if (value < 0.01) return `${(value * 1000).toFixed(2)} µs`;
  if (value < 1) return `${(value * 1000).toFixed(0)} µs`;
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function bytes(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} B`;
}

export function record(row: Omit<Row, 'ratio'> & { ratio: number | null }): void {
  rows.push({ ...row, ratio: row.ratio === null ? '' : `${row.ratio.toFixed(2)}x` });
}

export function printTable(): void {
  const headers = ['section', 'figure', 'ours', 'baseline', 'ratio', 'target', 'met'];
  const cells = rows.map((row) => [
    row.section,
    row.figure,
    row.ours,
    row.baseline,
    row.ratio,
    row.target,
    row.met === null ? '' : row.met ? 'yes' : 'NO',
  ]);
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...cells.map((line) => (line[i] as string).length)),
  );
  const line = (values: string[]) =>
    `| ${values.map((value, i) => value.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const values of cells) console.log(line(values));
}

/** Forces a full garbage collection when node runs with --expose-gc. */
export function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
