/** Where the record being processed came from. Undefined inside a punctuator. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}
