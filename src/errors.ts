/** Stable codes for every error that stops a command. Per-file problems are rows in `errors`, not these. */
export type ShoeboxErrorCode =
  | 'SHOEBOX_CONFIG_INVALID'
  | 'SHOEBOX_USAGE'
  | 'SHOEBOX_UNKNOWN_PIPELINE'
  | 'SHOEBOX_UNKNOWN_QUERY'
  | 'SHOEBOX_DB_LOCKED'
  | 'SHOEBOX_OUTPUT_UNWRITABLE'
  | 'SHOEBOX_ROOT_MISSING'
  | 'SHOEBOX_SINK_FAILED'
  | 'SHOEBOX_QUERY_FAILED'
  | 'SHOEBOX_INTERRUPTED';

/** Exit status a code maps to (DESIGN.md: 1 config/usage, 2 could not complete, 130 Ctrl-C). */
export function exitCodeFor(code: ShoeboxErrorCode): number {
  switch (code) {
    case 'SHOEBOX_CONFIG_INVALID':
    case 'SHOEBOX_USAGE':
    case 'SHOEBOX_UNKNOWN_PIPELINE':
    case 'SHOEBOX_UNKNOWN_QUERY':
    case 'SHOEBOX_ROOT_MISSING':
    case 'SHOEBOX_OUTPUT_UNWRITABLE':
      return 1;
    case 'SHOEBOX_INTERRUPTED':
      return 130;
    default:
      return 2;
  }
}

export class ShoeboxError extends Error {
  readonly code: ShoeboxErrorCode;
  constructor(code: ShoeboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ShoeboxError';
    this.code = code;
  }
}

/** One line for a per-file problem, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
