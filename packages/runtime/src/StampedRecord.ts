import type { ConsumerRecord, Record } from '@tributary/core';
import type { SourceNode } from '@tributary/dsl';

/** A consumed record after its source deserialized it and its timestamp extractor ran. */
export interface StampedRecord {
  /** The deserialized record; its timestamp is the extracted one. */
  readonly record: Record<unknown, unknown>;
  /** The serialized record as consumed (topic, partition, offset, original timestamp). */
  readonly raw: ConsumerRecord;
  /** The source node that reads this record's topic. */
  readonly source: SourceNode;
}
