import { Record, type Serde } from '@tributary/core';
import type { KeyValueStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import {
  combinedKeyPrefix,
  type SubscriptionResponseWrapper,
  type SubscriptionWrapper,
} from '../ForeignKeyJoinWrappers.js';

/**
 * Foreign-key join, right side, table changes: sends the new right value (null when deleted) to every left key
 * subscribed to this foreign key (a prefix scan of the subscription store, in left-key byte order), with the
 * hash each subscription carried, even for the delete of a key that had no value (as Kafka). Timestamp: the right
 * change's, as Kafka's ForeignTableJoinProcessorSupplier.
 */
export class ForeignTableJoin<K, KO, VO>
  implements Processor<KO, Change<VO>, K, SubscriptionResponseWrapper<VO>>
{
  private context!: ProcessorContext<K, SubscriptionResponseWrapper<VO>>;
  private subscriptions!: KeyValueStore<Buffer, SubscriptionWrapper<K>>;

  constructor(
    private readonly subscriptionStoreName: string,
    private readonly foreignKeySerde: Serde<KO>,
    private readonly topic: string,
  ) {}

  init(context: ProcessorContext<K, SubscriptionResponseWrapper<VO>>): void {
    this.context = context;
    this.subscriptions = context.getStateStore(this.subscriptionStoreName) as unknown as KeyValueStore<
      Buffer,
      SubscriptionWrapper<K>
    >;
  }

  process(record: Record<KO, Change<VO>>): void {
    const fk = record.key;
    if (fk === null || fk === undefined) return;
    // As Kafka: every change goes to the subscribers, a delete of a key that had no value too.
    const newValue = record.value.newValue;
    const prefix = combinedKeyPrefix(this.foreignKeySerde.serialize(this.topic, fk));
    const subscribers: SubscriptionWrapper<K>[] = [];
    const iterator = this.subscriptions.prefixScan(prefix);
    try {
      for (let r = iterator.next(); !r.done; r = iterator.next()) subscribers.push(r.value.value);
    } finally {
      iterator.close();
    }
    for (const s of subscribers) {
      this.context.forward(
        new Record(s.primaryKey, { hash: s.hash, foreignValue: newValue }, record.timestamp, record.headers),
      );
    }
  }
}
