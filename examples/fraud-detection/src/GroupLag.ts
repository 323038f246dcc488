import { KafkaAdmin, KafkaConsumer } from '@tributary/kafka';

/**
 * The consumer lag of an application on one input topic: end offsets minus the group's committed offsets.
 * Reads the committed offsets with a consumer that uses the group's id but never joins the group.
 */
export class GroupLag {
  private constructor(
    private readonly consumer: KafkaConsumer,
    private readonly admin: KafkaAdmin,
    private readonly topic: string,
  ) {}

  static async connect(servers: string, groupId: string, topic: string): Promise<GroupLag> {
    const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
    try {
      const consumer = await KafkaConsumer.connect({ 'bootstrap.servers': servers, 'group.id': groupId });
      return new GroupLag(consumer, admin, topic);
    } catch (error) {
      admin.close();
      throw error;
    }
  }

  /** Committed records (summed over partitions) and the lag behind the end offsets. */
  async measure(): Promise<{ committed: number; end: number; lag: number }> {
    const ends = await this.admin.endOffsets(this.topic, 'read_uncommitted');
    const committed = await this.consumer.committed(
      ends.map((_, partition) => ({ topic: this.topic, partition })),
    );
    let done = 0;
    let end = 0;
    for (const { partition, offset } of committed) {
      done += Number.isFinite(offset) && offset > 0 ? offset : 0;
      end += ends[partition] ?? 0;
    }
    return { committed: done, end, lag: end - done };
  }

  async close(): Promise<void> {
    this.admin.close();
    await this.consumer.close();
  }
}
