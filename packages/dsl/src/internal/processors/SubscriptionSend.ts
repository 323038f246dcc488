import { Record, type Serde } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import { Instruction, type SubscriptionWrapper, valueHash } from '../ForeignKeyJoinWrappers.js';

/**
 * Foreign-key join, left side: turns each change of the left table into subscription records keyed by the
 * foreign key (to the subscription-registration topic), following Kafka Streams' instructions: unsubscribe the
 * old foreign key when it changed, subscribe the new one, and ask for a null response only where an earlier
 * result may need deleting (left joins always ask for one). Each carries the hash of the new left value.
 */
export class SubscriptionSend<K, V, KO>
  implements Processor<K, Change<V>, KO | null, SubscriptionWrapper<K>>
{
  private context!: ProcessorContext<KO | null, SubscriptionWrapper<K>>;

  constructor(
    private readonly foreignKeyExtractor: (value: V, key: K) => KO,
    private readonly foreignKeySerde: Serde<KO>,
    private readonly valueSerde: Serde<V>,
    private readonly leftJoin: boolean,
    private readonly topic: string,
  ) {}

  init(context: ProcessorContext<KO | null, SubscriptionWrapper<K>>): void {
    this.context = context;
  }

  process(record: Record<K, Change<V>>): void {
    const { key } = record;
    if (key === null || key === undefined) return;
    const { newValue, oldValue } = record.value;
    const hash = newValue === null ? null : valueHash(this.valueSerde.serialize(this.topic, newValue));
    const oldFk = oldValue === null ? null : nullable(this.foreignKeyExtractor(oldValue, key));
    if (this.leftJoin) {
      if (oldValue === null && newValue === null) return;
      const newFk = newValue === null ? null : nullable(this.foreignKeyExtractor(newValue, key));
      if (oldFk !== null && this.changed(newFk, oldFk)) {
        this.send(record, oldFk, Instruction.DELETE_KEY_NO_PROPAGATE, hash);
      }
      this.send(record, newFk, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE, hash);
      return;
    }
    if (newValue === null) {
      if (oldFk !== null) this.send(record, oldFk, Instruction.DELETE_KEY_AND_PROPAGATE, hash);
      return;
    }
    const newFk = nullable(this.foreignKeyExtractor(newValue, key));
    if (newFk === null) {
      if (oldFk !== null) this.send(record, oldFk, Instruction.DELETE_KEY_AND_PROPAGATE, hash);
      return;
    }
    if (oldFk === null) {
      this.send(record, newFk, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE, hash);
    } else if (this.changed(newFk, oldFk)) {
      this.send(record, oldFk, Instruction.DELETE_KEY_NO_PROPAGATE, hash);
      this.send(record, newFk, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE, hash);
    } else {
      this.send(record, newFk, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE, hash);
    }
  }

  private changed(newFk: KO | null, oldFk: KO): boolean {
    if (newFk === null) return true;
    return !this.foreignKeySerde
      .serialize(this.topic, newFk)
      .equals(this.foreignKeySerde.serialize(this.topic, oldFk));
  }

  private send(
    record: Record<K, Change<V>>,
    fk: KO | null,
    instruction: Instruction,
    hash: Buffer | null,
  ): void {
    const wrapper: SubscriptionWrapper<K> = {
      hash,
      instruction,
      primaryKey: record.key,
      timestamp: record.timestamp,
    };
    this.context.forward(new Record(fk, wrapper, record.timestamp, record.headers));
  }
}

function nullable<T>(value: T | null | undefined): T | null {
  return value === undefined ? null : value;
}
