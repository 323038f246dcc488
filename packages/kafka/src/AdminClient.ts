import type { NewTopicSpec, TopicDescription } from './KafkaAdmin.js';

/** What start-up uses of an admin client: the port `KafkaAdmin` implements. */
export interface AdminClient {
  createTopics(topics: readonly NewTopicSpec[], options?: { ifNotExists?: boolean }): Promise<void>;
  listTopics(): Promise<string[]>;
  describeTopics(names: readonly string[]): Promise<TopicDescription[]>;
  close(): void;
}
