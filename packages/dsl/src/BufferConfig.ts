import { TopologyError } from '@tributary/core';

/**
 * The buffer of a `suppress`: unbounded, or bounded by a number of records, and what to do when full — emit the
 * oldest records early (`emitEarlyWhenFull`, the default for bounded buffers), or fail the task
 * (`shutDownWhenFull`, required by `untilWindowCloses`). The buffer is backed by a changelogged store unless
 * logging is disabled. Immutable.
 */
export class BufferConfig {
  private constructor(
    readonly maxRecords: number,
    readonly whenFull: 'emit-early' | 'shut-down',
    readonly loggingEnabled: boolean,
    readonly logConfig: Readonly<Record<string, string>>,
  ) {}

  /** No bound: keeps every key until its time comes (strict: never emits early). */
  static unbounded(): BufferConfig {
    return new BufferConfig(Number.POSITIVE_INFINITY, 'shut-down', true, {});
  }

  /** At most `maxRecords` keys; when full, emits the oldest early unless `shutDownWhenFull()`. */
  static maxRecords(maxRecords: number): BufferConfig {
    return BufferConfig.unbounded().withMaxRecords(maxRecords).emitEarlyWhenFull();
  }

  /** Not supported yet: the buffer cannot measure bytes; throws. Use `maxRecords`. */
  static maxBytes(maxBytes: number): BufferConfig {
    throw new TopologyError(
      `BufferConfig.maxBytes(${maxBytes}) is not supported yet: bound the suppression buffer with BufferConfig.maxRecords(...)`,
    );
  }

  withMaxRecords(maxRecords: number): BufferConfig {
    if (!Number.isSafeInteger(maxRecords) || maxRecords < 1) {
      throw new TopologyError(`BufferConfig.withMaxRecords(${maxRecords}): give a whole number >= 1`);
    }
    return new BufferConfig(maxRecords, this.whenFull, this.loggingEnabled, this.logConfig);
  }

  /** When full, emit the oldest records before their time (may emit more than one result per window). */
  emitEarlyWhenFull(): BufferConfig {
    return new BufferConfig(this.maxRecords, 'emit-early', this.loggingEnabled, this.logConfig);
  }

  /** When full, fail the task with a StreamsError (keeps the "one result per window" guarantee). */
  shutDownWhenFull(): BufferConfig {
    return new BufferConfig(this.maxRecords, 'shut-down', this.loggingEnabled, this.logConfig);
  }

  withLoggingDisabled(): BufferConfig {
    return new BufferConfig(this.maxRecords, this.whenFull, false, {});
  }

  withLoggingEnabled(config: Readonly<Record<string, string>> = {}): BufferConfig {
    return new BufferConfig(this.maxRecords, this.whenFull, true, { ...config });
  }
}
