import { Record } from '@tributary/core';
import type { ReadOnlyKeyValueStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';

/**
 * KStream-KTable and KStream-GlobalKTable join / leftJoin: each stream record looks up the table (its own key, or
 * `keyMapper(key, value)` for a global table) in the table's store; table updates never trigger. Records with a
 * null value are dropped; a null join key is dropped by an inner join, while a left join of a record with a null
 * key joins it with null (KIP-962). The output keeps the stream record's key, timestamp and headers.
 */
export class KStreamKTableJoin<K, V, KT, VT, VR> implements Processor<K, V, K, VR> {
  private context!: ProcessorContext<K, VR>;
  private store!: ReadOnlyKeyValueStore<KT, VT>;

  constructor(
    private readonly storeName: string,
    private readonly keyMapper: ((key: K, value: V) => KT) | undefined,
    private readonly joiner: (value: V, other: VT | null, key: K) => VR,
    private readonly leftJoin: boolean,
  ) {}

  init(context: ProcessorContext<K, VR>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName) as unknown as ReadOnlyKeyValueStore<KT, VT>;
  }

  process(record: Record<K, V>): void {
    const { key, value } = record;
    if (value === null || value === undefined) return;
    const mapped = this.keyMapper === undefined ? (key as unknown as KT) : this.keyMapper(key, value);
    const mappedIsNull = mapped === null || mapped === undefined;
    if (mappedIsNull && !(this.leftJoin && (key === null || key === undefined))) return;
    const other = mappedIsNull ? null : this.store.get(mapped);
    if (other === null && !this.leftJoin) return;
    this.context.forward(new Record(key, this.joiner(value, other, key), record.timestamp, record.headers));
  }
}
