import type { Serde } from '@tributary/core';
import type { StreamPartitioner } from '../TopologyNode.js';
import type { GraphNode, SerdeFix, SourceGraphNode } from './GraphNode.js';
import type { InternalStreamsBuilder } from './InternalStreamsBuilder.js';
import { NullKeyFilter } from './processors/NullKeyFilter.js';

export interface RepartitionOptions {
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly numberOfPartitions: number | undefined;
  readonly partitioner: StreamPartitioner | undefined;
  /** Aggregations drop null keys before the topic; an explicit repartition() keeps them. */
  readonly filterNullKeys: boolean;
  readonly fix: SerdeFix;
  /** The prefix came from the user (Grouped / Repartitioned name): nodes are then named after the topic. */
  readonly userNamed: boolean;
}

/**
 * Appends `[null-key filter →] sink → <prefix>-repartition → source` after `parent` and returns the new
 * source, as Kafka Streams does: three names are always drawn from the counter (sink, filter, source) so
 * later names do not shift; a user-given topic name names the nodes `<topic>-sink`, `-filter`, `-source`.
 */
export function addRepartitionNodes(
  builder: InternalStreamsBuilder,
  parent: GraphNode,
  prefix: string,
  options: RepartitionOptions,
): SourceGraphNode {
  const topic = prefix.endsWith('-repartition') ? prefix : `${prefix}-repartition`;
  const generatedSink = builder.newProcessorName('KSTREAM-SINK-');
  const generatedFilter = builder.newProcessorName('KSTREAM-FILTER-');
  const generatedSource = builder.newProcessorName('KSTREAM-SOURCE-');
  const generated = !options.userNamed;
  builder.addRepartitionTopic({ name: topic, numberOfPartitions: options.numberOfPartitions });
  let last = parent;
  if (options.filterNullKeys) {
    last = builder.addProcessor(
      {
        kind: 'processor',
        name: generated ? generatedFilter : `${topic}-filter`,
        supplier: () => new NullKeyFilter(),
        stores: [],
      },
      [parent],
    );
  }
  builder.addSink(
    {
      kind: 'sink',
      name: generated ? generatedSink : `${topic}-sink`,
      topic,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      partitioner: options.partitioner,
      fix: options.fix,
    },
    [last],
  );
  return builder.addSource({
    kind: 'source',
    name: generated ? generatedSource : `${topic}-source`,
    topics: [topic],
    pattern: undefined,
    keySerde: options.keySerde,
    valueSerde: options.valueSerde,
    timestampExtractor: undefined,
    fix: options.fix,
    global: false,
  });
}
