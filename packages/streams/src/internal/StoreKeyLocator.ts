import { type Serde, StreamsError } from '@tributary/core';
import type { Topology } from '@tributary/dsl';
import { defaultPartition } from '@tributary/runtime';
import { SessionStoreBuilder, WindowStoreBuilder } from '@tributary/state';
import type { StoreKind } from './InteractiveQueryServer.js';

/**
 * Finds the task of a store's key: the sub-topology that owns the store, and the partition the default
 * partitioner gives the key's bytes (serialized with the store's key serde, or the one given) among the
 * sub-topology's partitions — the partition that fed the task which wrote the key.
 */
export class StoreKeyLocator {
  constructor(
    private readonly topology: Topology,
    private readonly applicationId: string,
    private readonly counts: ReadonlyMap<string, number>,
  ) {}

  isGlobal(store: string): boolean {
    return this.topology.globalStores.some((g) => g.storeBuilder.name === store);
  }

  /** The kind of store `store` by what its builder builds, or undefined when the topology has no such store. */
  kind(store: string): StoreKind | undefined {
    const builder =
      this.topology.storeBuilders.get(store) ??
      this.topology.globalStores.find((g) => g.storeBuilder.name === store)?.storeBuilder;
    if (builder === undefined) return undefined;
    if (builder instanceof WindowStoreBuilder) return 'window';
    if (builder instanceof SessionStoreBuilder) return 'session';
    return 'keyValue';
  }

  /** `{ taskId, partition }` of `key` in store `store`. */
  locate(store: string, key: unknown, keySerde?: Serde<unknown>): { taskId: string; partition: number } {
    const subtopology = this.topology.subtopologies.find((s) => s.storeNames.includes(store));
    if (subtopology === undefined) {
      throw new StreamsError(
        `store '${store}' belongs to no sub-topology (a global store is on every instance)`,
      );
    }
    const serde =
      keySerde ?? (this.topology.storeBuilders.get(store) as { keySerde?: Serde<unknown> }).keySerde;
    if (serde === undefined) {
      throw new StreamsError(
        `store '${store}' has no key serde to partition keys with; pass one to queryMetadataForKey`,
      );
    }
    const source = this.topology.resolveTopic(this.applicationId, subtopology.sourceTopics[0]!);
    const partitions = this.counts.get(source);
    if (partitions === undefined)
      throw new StreamsError(`no partition count known for '${source}' (not started?)`);
    const partition = defaultPartition(serde.serialize(source, key), partitions);
    return { taskId: `${subtopology.id}_${partition}`, partition };
  }
}
