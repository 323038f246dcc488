import { Record, StreamsError, type Windowed } from '@tributary/core';
import type { KeyValueStore } from '@tributary/state';
import type { Processor } from '../../processor/Processor.js';
import type { ProcessorContext } from '../../processor/ProcessorContext.js';
import type { Change } from '../Change.js';
import type { SuppressBufferValue } from '../SuppressBufferValue.js';
import { TimeOrderedKeys } from '../TimeOrderedKeys.js';

export interface SuppressOptions<K> {
  readonly storeName: string;
  /** Buffer time is the window end (final results) instead of the record timestamp (time limit). */
  readonly untilWindowCloses: boolean;
  /** Emit a key once its buffer time <= observed stream time - this (grace, or the time limit). */
  readonly suppressDurationMs: number;
  readonly maxRecords: number;
  readonly whenFull: 'emit-early' | 'shut-down';
  /** Final results drop tombstones (a window that never had a value); time limits forward them. */
  readonly safeToDropTombstones: boolean;
  /** The serialized key, for the buffer's order (Kafka: time, then key bytes). */
  readonly keyBytes: (key: K) => Buffer;
}

/**
 * KTable.suppress, as Kafka Streams' KTableSuppressProcessor: buffers the latest change per key in a
 * changelogged key-value store, keeping the key's first buffer time ("non-resetting"), and forwards a key's
 * latest value (with the value before its first buffered update as the old value, and the latest update's
 * timestamp) once the processor's stream time — the largest timestamp it has seen — reaches buffer time +
 * suppress duration. Keys due at the same time leave in the byte order of their serialized keys, as Kafka's.
 */
export class KTableSuppressProcessor<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private store!: KeyValueStore<K, SuppressBufferValue<V>>;
  private readonly order = new TimeOrderedKeys<K>();
  private observedStreamTime = -1;

  constructor(private readonly options: SuppressOptions<K>) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    this.store = context.getStateStore<KeyValueStore<K, SuppressBufferValue<V>>>(this.options.storeName);
    // After a restore the buffer's keys come back from the store, into the heap (buffer time, key bytes).
    this.order.clear();
    const entries = this.store.all();
    try {
      for (const entry of entries) {
        this.order.push(entry.value.bufferTime, entry.key, this.options.keyBytes(entry.key));
      }
    } finally {
      entries.close();
    }
  }

  process(record: Record<K, Change<V>>): void {
    const { key, value: change, timestamp } = record;
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const existing = this.store.get(key);
    if (existing === null) {
      const bufferTime = this.options.untilWindowCloses
        ? (key as unknown as Windowed<unknown>).window.end
        : timestamp;
      this.store.put(key, { bufferTime, timestamp, newValue: change.newValue, priorValue: change.oldValue });
      this.order.push(bufferTime, key, this.options.keyBytes(key));
    } else {
      this.store.put(key, {
        bufferTime: existing.bufferTime,
        timestamp,
        newValue: change.newValue,
        priorValue: existing.priorValue,
      });
    }
    this.enforceConstraints();
  }

  private enforceConstraints(): void {
    const expiryTime = this.observedStreamTime - this.options.suppressDurationMs;
    const order = this.order;
    while (order.size > 0 && order.minTime() <= expiryTime) this.emit(order.pop()!);
    if (order.size > this.options.maxRecords) {
      if (this.options.whenFull === 'shut-down') {
        throw new StreamsError(
          `Suppress buffer '${this.options.storeName}' is full (${order.size} records, max ` +
            `${this.options.maxRecords}) and is configured to shut down when full: raise ` +
            'BufferConfig.withMaxRecords(...) or use BufferConfig.unbounded()',
        );
      }
      while (order.size > this.options.maxRecords) this.emit(order.pop()!);
    }
  }

  private emit(key: K): void {
    const buffered = this.store.get(key);
    if (buffered === null) return;
    this.store.delete(key);
    if (buffered.newValue === null && this.options.safeToDropTombstones) return;
    this.context.forward(
      new Record(key, { newValue: buffered.newValue, oldValue: buffered.priorValue }, buffered.timestamp),
    );
  }
}
