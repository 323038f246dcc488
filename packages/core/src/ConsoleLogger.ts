import type { LogFields, Logger, LogLevel } from './Logger.js';

const RANK: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 3, silent: -1 };

export interface ConsoleLoggerOptions {
  /** Lines below this level are dropped; default `info`. */
  readonly level?: LogLevel;
  /** One JSON object per line (`time`, `level`, `msg`, then the fields) instead of readable text. */
  readonly json?: boolean;
  /** Fields added to every line (an application id, a thread name). */
  readonly fields?: LogFields;
  /** Where lines go; default standard error. */
  readonly write?: (line: string) => void;
  /** The clock for timestamps; default `Date.now`. */
  readonly now?: () => number;
}

function text(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  return typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? String(value));
}

/**
 * The default logger: one line per event on standard error, e.g.
 * `2026-11-29T16:00:00.000Z INFO  stream thread assigned 4 partitions  thread=app-1 partitions=[...]`,
 * or JSON lines with `json: true`. `withFields` gives a logger that adds fields to every line.
 */
export class ConsoleLogger implements Logger {
  private readonly rank: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: ConsoleLoggerOptions = {}) {
    this.rank = RANK[options.level ?? 'info'];
    this.write = options.write ?? ((line) => process.stderr.write(line));
    this.now = options.now ?? Date.now;
  }

  /** Whether lines of `level` are written. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return RANK[level] <= this.rank;
  }

  withFields(fields: LogFields): ConsoleLogger {
    return new ConsoleLogger({ ...this.options, fields: { ...this.options.fields, ...fields } });
  }

  error(fields: LogFields, message: string): void {
    this.log('error', fields, message);
  }

  warn(fields: LogFields, message: string): void {
    this.log('warn', fields, message);
  }

  info(fields: LogFields, message: string): void {
    this.log('info', fields, message);
  }

  debug(fields: LogFields, message: string): void {
    this.log('debug', fields, message);
  }

  private log(level: Exclude<LogLevel, 'silent'>, fields: LogFields, message: string): void {
    if (!this.enabled(level)) return;
    const all = { ...this.options.fields, ...fields };
    const time = new Date(this.now()).toISOString();
    if (this.options.json) {
      const entries = Object.entries(all).map(([k, v]) => [k, v instanceof Error ? v.message : v]);
      this.write(`${JSON.stringify({ time, level, msg: message, ...Object.fromEntries(entries) })}\n`);
      return;
    }
    const rest = Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${text(v)}`)
      .join(' ');
    this.write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${rest ? `  ${rest}` : ''}\n`);
  }
}
