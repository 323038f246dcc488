export { Branched } from './Branched.js';
export { BranchedKStream } from './BranchedKStream.js';
export { BufferConfig } from './BufferConfig.js';
export { Consumed } from './Consumed.js';
export { EmitStrategy } from './EmitStrategy.js';
export { GlobalKTable } from './GlobalKTable.js';
export { Grouped } from './Grouped.js';
export { Joined } from './Joined.js';
export { JoinWindows } from './JoinWindows.js';
export { KGroupedStream } from './KGroupedStream.js';
export { KGroupedTable } from './KGroupedTable.js';
export { KStream } from './KStream.js';
export { KTable } from './KTable.js';
export { Materialized } from './Materialized.js';
export { Named } from './Named.js';
export { Produced } from './Produced.js';
export type {
  AsProcessor,
  FixedKeyProcessor,
  FixedKeyProcessorSupplier,
} from './processor/FixedKeyProcessor.js';
export type { Processor, ProcessorSupplier } from './processor/Processor.js';
export type { ProcessorContext } from './processor/ProcessorContext.js';
export type { Cancellable, PunctuationType, Punctuator } from './processor/PunctuationType.js';
export type { RecordMetadata } from './processor/RecordMetadata.js';
export { Repartitioned } from './Repartitioned.js';
export { renderTopologyHtml } from './renderTopologyHtml.js';
export { renderTopologyMermaid } from './renderTopologyMermaid.js';
export { renderTopologySvg } from './renderTopologySvg.js';
export { SessionWindowedKStream } from './SessionWindowedKStream.js';
export { SessionWindows } from './SessionWindows.js';
export { SlidingWindows } from './SlidingWindows.js';
export { StreamJoined } from './StreamJoined.js';
export { StreamsBuilder, type StreamsBuilderOptions } from './StreamsBuilder.js';
export { Suppressed } from './Suppressed.js';
export { TimeWindowedKStream } from './TimeWindowedKStream.js';
export { TimeWindows } from './TimeWindows.js';
export {
  type GlobalStore,
  type InternalTopic,
  type Subtopology,
  Topology,
  type TopologyParts,
} from './Topology.js';
export {
  type GlobalStoreDescription,
  type NodeDescription,
  type ProcessorDescription,
  type SinkDescription,
  type SourceDescription,
  type SubtopologyDescription,
  TopologyDescription,
} from './TopologyDescription.js';
export type {
  ProcessorNode,
  SinkNode,
  SourceNode,
  StreamPartitioner,
  TimestampExtractor,
  TopicNameExtractor,
  TopologyNode,
} from './TopologyNode.js';
export type { ValueJoiner } from './ValueJoiner.js';
