import { Record, type Serde } from '@tributary/core';
import type { KeyValueStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import {
  combinedKey,
  Instruction,
  type SubscriptionResponseWrapper,
  type SubscriptionWrapper,
} from '../ForeignKeyJoinWrappers.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';
import type { ValueAndTimestamp } from '../ValueAndTimestamp.js';

/**
 * Foreign-key join, right side, subscriptions: keeps (foreign key, left key) → subscription in the subscription
 * store (or deletes it), then answers with the right table's current value for the foreign key as the
 * instruction says, keyed by the left key (to the subscription-response topic), with the larger of the
 * subscription's and the right value's timestamps. Kafka Streams' receive and
 * subscription-join processors in one node.
 */
export class SubscriptionReceive<K, KO, VO>
  implements Processor<KO | null, SubscriptionWrapper<K>, K, SubscriptionResponseWrapper<VO>>
{
  private context!: ProcessorContext<K, SubscriptionResponseWrapper<VO>>;
  private subscriptions!: KeyValueStore<Buffer, SubscriptionWrapper<K>>;
  private right!: TimestampedKeyValueStore<KO, VO>;

  constructor(
    private readonly subscriptionStoreName: string,
    private readonly rightStoreName: string,
    private readonly foreignKeySerde: Serde<KO>,
    private readonly primaryKeySerde: Serde<K>,
    private readonly topic: string,
  ) {}

  init(context: ProcessorContext<K, SubscriptionResponseWrapper<VO>>): void {
    this.context = context;
    this.subscriptions = context.getStateStore(this.subscriptionStoreName) as unknown as KeyValueStore<
      Buffer,
      SubscriptionWrapper<K>
    >;
    this.right = context.getStateStore<TimestampedKeyValueStore<KO, VO>>(this.rightStoreName);
  }

  process(record: Record<KO | null, SubscriptionWrapper<K>>): void {
    const wrapper = record.value;
    const fk = record.key;
    if (fk === null || fk === undefined) {
      // A left join's subscription without a foreign key: answer "no right value" at once.
      if (wrapper.instruction === Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE)
        this.respond(record, null, record.timestamp);
      return;
    }
    const key = combinedKey(
      this.foreignKeySerde.serialize(this.topic, fk),
      this.primaryKeySerde.serialize(this.topic, wrapper.primaryKey),
    );
    switch (wrapper.instruction) {
      case Instruction.DELETE_KEY_NO_PROPAGATE:
        this.subscriptions.delete(key);
        return;
      case Instruction.DELETE_KEY_AND_PROPAGATE:
        this.subscriptions.delete(key);
        this.respond(record, null, this.responseTimestamp(record, this.right.getWithTimestamp(fk)));
        return;
      case Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE: {
        this.subscriptions.put(key, wrapper);
        const right = this.right.getWithTimestamp(fk);
        this.respond(record, right === null ? null : right.value, this.responseTimestamp(record, right));
        return;
      }
      case Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE: {
        this.subscriptions.put(key, wrapper);
        const right = this.right.getWithTimestamp(fk);
        if (right !== null) this.respond(record, right.value, this.responseTimestamp(record, right));
        return;
      }
    }
  }

  /** Kafka Streams: the larger of the subscription's and the right value's timestamps. */
  private responseTimestamp(
    record: Record<KO | null, SubscriptionWrapper<K>>,
    right: ValueAndTimestamp<VO> | null,
  ): number {
    return right === null ? record.timestamp : Math.max(record.timestamp, right.timestamp);
  }

  private respond(
    record: Record<KO | null, SubscriptionWrapper<K>>,
    foreignValue: VO | null,
    timestamp: number,
  ): void {
    const wrapper = record.value;
    this.context.forward(
      new Record(wrapper.primaryKey, { hash: wrapper.hash, foreignValue }, timestamp, record.headers),
    );
  }
}
