import { Record, type Serde } from '@tributary/core';
import type { ReadOnlyKeyValueStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import { type SubscriptionResponseWrapper, valueHash } from '../ForeignKeyJoinWrappers.js';

/**
 * Foreign-key join, back on the left side: drops a response whose hash is not the hash of the left key's
 * current value (it answers an older value: stale), else joins the current left value with the right value.
 * The result is null (a deletion) when the right value is null in an inner join, or the left value is gone.
 */
export class ResponseJoin<K, V, VO, VR>
  implements Processor<K, SubscriptionResponseWrapper<VO>, K, VR | null>
{
  private context!: ProcessorContext<K, VR | null>;
  private left!: ReadOnlyKeyValueStore<K, V>;

  constructor(
    private readonly leftStoreName: string,
    private readonly valueSerde: Serde<V>,
    private readonly joiner: (value: V | null, foreignValue: VO | null, key: K) => VR,
    private readonly leftJoin: boolean,
    private readonly topic: string,
  ) {}

  init(context: ProcessorContext<K, VR | null>): void {
    this.context = context;
    this.left = context.getStateStore(this.leftStoreName) as unknown as ReadOnlyKeyValueStore<K, V>;
  }

  process(record: Record<K, SubscriptionResponseWrapper<VO>>): void {
    const key = record.key;
    const current = this.left.get(key);
    const currentHash = current === null ? null : valueHash(this.valueSerde.serialize(this.topic, current));
    const { hash, foreignValue } = record.value;
    const fresh = hash === null ? currentHash === null : currentHash !== null && hash.equals(currentHash);
    if (!fresh) return;
    const result =
      foreignValue === null && (!this.leftJoin || current === null)
        ? null
        : this.joiner(current, foreignValue, key);
    this.context.forward(new Record(key, result, record.timestamp, record.headers));
  }
}
