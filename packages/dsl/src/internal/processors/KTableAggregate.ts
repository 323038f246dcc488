import { Record } from '@tributary/core';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { TimestampedKeyValueStore } from '../TimestampedKeyValueStore.js';

/**
 * KGroupedTable count / reduce / aggregate, as Kafka Streams' KTableAggregate and KTableReduce: a change's old
 * value is first subtracted from the group's aggregate, then its new value added (starting from the
 * initializer, or for reduce from the value itself, when the group has no aggregate). Forwards
 * `Change(new aggregate, old aggregate)`, through the store cache's flush listener when the store is cached,
 * timestamped with the larger of the previous aggregate's timestamp and the record's.
 */
export class KTableAggregate<K, V, A> implements Processor<K, Change<V>, K, Change<A>> {
  private context!: ProcessorContext<K, Change<A>>;
  private store!: TimestampedKeyValueStore<K, A>;
  private cached = false;

  constructor(
    private readonly storeName: string,
    /** Undefined for reduce: a group's first value is its aggregate. */
    private readonly initializer: (() => A) | undefined,
    private readonly adder: (key: K, value: V, aggregate: A) => A,
    private readonly subtractor: (key: K, value: V, aggregate: A) => A,
    /** Whether forwarded changes carry the previous aggregate (a downstream operation needs it). */
    private readonly sendOldValues: boolean,
  ) {}

  init(context: ProcessorContext<K, Change<A>>): void {
    this.context = context;
    this.store = context.getStateStore<TimestampedKeyValueStore<K, A>>(this.storeName);
    this.cached = this.store.setFlushListener((key, newValue, oldValue, timestamp) => {
      context.forward(new Record(key, { newValue, oldValue }, timestamp));
    }, this.sendOldValues);
  }

  process(record: Record<K, Change<V>>): void {
    const { key, value: change } = record;
    if (key === null || key === undefined) {
      this.context.recordDropped?.();
      return;
    }
    const old = this.store.getWithTimestamp(key);
    const oldAggregate = old === null ? null : old.value;
    let aggregate = oldAggregate;
    if (change.oldValue !== null && aggregate !== null) {
      aggregate = this.subtractor(key, change.oldValue, aggregate);
    }
    if (change.newValue !== null) {
      if (aggregate !== null) aggregate = this.adder(key, change.newValue, aggregate);
      else if (this.initializer !== undefined)
        aggregate = this.adder(key, change.newValue, this.initializer());
      else aggregate = change.newValue as unknown as A;
    }
    // Kafka Streams: the larger of the previous aggregate's timestamp and the record's.
    const timestamp = old === null || old.timestamp < record.timestamp ? record.timestamp : old.timestamp;
    this.store.putWithTimestamp(key, aggregate, timestamp);
    if (!this.cached) {
      this.context.forward(
        new Record(
          key,
          { newValue: aggregate, oldValue: this.sendOldValues ? oldAggregate : null },
          timestamp,
          record.headers,
        ),
      );
    }
  }
}
