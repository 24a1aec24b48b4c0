/**
 * Terminal colours for the CLI and the request log: only on a terminal, never with `NO_COLOR`
 * (https://no-color.org), always with `FORCE_COLOR` (other than `0`) when `NO_COLOR` is not set.
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Whether output to `stream` gets colours, by the rules above. */
export function colorsFor(
  stream: { isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const code = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** ANSI styles when `enabled`, else the text as it is. */
export function style(enabled: boolean): Style {
  return enabled
    ? {
        enabled,
        bold: code(1, 22),
        dim: code(2, 22),
        red: code(31, 39),
        green: code(32, 39),
        yellow: code(33, 39),
        cyan: code(36, 39),
      }
    : { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
}
