/** Levels, most severe first; `silent` logs nothing. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';

/** Structured context of a log line: thread, task, topic, partition, offset, store... */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where Tributary writes what it does. Each method takes the fields first and the message second, as pino does,
 * so a pino logger (or anything with that shape) can be passed as the `logger` config directly.
 */
export interface Logger {
  error(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  debug(fields: LogFields, message: string): void;
}
