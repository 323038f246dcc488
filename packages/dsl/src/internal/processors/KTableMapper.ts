import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';

/**
 * KTable.filter / filterNot / mapValues, as Kafka Streams' KTableFilter / KTableMapValues: applies `compute`
 * (null = filtered out) to the new value, and to the old one when a child needs old values (Kafka's
 * sendOldValues), writes the result to the store when materialized and forwards the change. A filter whose
 * children need old values skips a change that is null on both sides; otherwise (e.g. only `toStream()` below)
 * every rejected update goes on as a tombstone, as in Kafka.
 */
export class KTableMapper<K, V, VR> implements Processor<K, Change<V>, K, Change<VR>> {
  private context!: ProcessorContext<K, Change<VR>>;
  private store: TimestampedKeyValueStore<K, VR> | undefined;

  constructor(
    private readonly compute: (key: K, value: V) => VR | null,
    private readonly storeName: string | undefined,
    private readonly isFilter: boolean,
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.context = context;
    if (this.storeName !== undefined)
      this.store = context.getStateStore<TimestampedKeyValueStore<K, VR>>(this.storeName);
  }

  process(record: Record<K, Change<V>>): void {
    const { key, value: change } = record;
    const newValue = change.newValue === null ? null : this.compute(key, change.newValue);
    const oldValue =
      !this.sendOldValues || change.oldValue === null ? null : this.compute(key, change.oldValue);
    if (this.isFilter && this.sendOldValues && newValue === null && oldValue === null) return;
    this.store?.putWithTimestamp(key, newValue, record.timestamp);
    this.context.forward(new Record(key, { newValue, oldValue }, record.timestamp, record.headers));
  }
}
