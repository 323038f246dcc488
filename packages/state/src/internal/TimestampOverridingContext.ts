import type { TaskId } from '@tributary/core';
import type { ChangelogWriter } from '../ChangelogWriter.js';
import type { StateStoreContext } from '../StateStoreContext.js';

/**
 * The context a caching store gives to the stores it wraps: while the cache flushes, `currentTimestamp()`
 * answers the timestamp of the record that wrote the entry being flushed, so changelog records carry it.
 */
export class TimestampOverridingContext implements StateStoreContext {
  /** When not undefined, the timestamp `currentTimestamp()` answers. */
  override: number | undefined = undefined;

  constructor(private readonly base: StateStoreContext) {}

  get applicationId(): string {
    return this.base.applicationId;
  }
  get taskId(): TaskId {
    return this.base.taskId;
  }
  get changelogTopic(): string | undefined {
    return this.base.changelogTopic;
  }
  get changelogPartition(): number {
    return this.base.changelogPartition;
  }
  get changelogWriter(): ChangelogWriter {
    return this.base.changelogWriter;
  }
  get stateDir(): string | undefined {
    return this.base.stateDir;
  }
  get cacheMaxBytes(): number | undefined {
    return this.base.cacheMaxBytes;
  }
  currentTimestamp(): number {
    return this.override ?? this.base.currentTimestamp();
  }
  streamTime(): number {
    return this.base.streamTime();
  }
}
