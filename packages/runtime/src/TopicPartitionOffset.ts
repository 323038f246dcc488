/** An offset to commit: the next offset to consume from `topic`/`partition` (last processed + 1). */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}
