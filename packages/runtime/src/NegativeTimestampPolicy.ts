/**
 * What a task does with a record whose extracted timestamp is negative: `fail` throws a StreamsError naming
 * topic, partition and offset (Kafka Streams' `FailOnInvalidTimestamp`); `drop` skips it and counts it in
 * the task's `droppedRecordsTotal` metric (`LogAndSkipOnInvalidTimestamp`).
 */
export type NegativeTimestampPolicy = 'fail' | 'drop';
