export type { AsProcessor, FixedKeyProcessor, FixedKeyProcessorSupplier } from './processor/FixedKeyProcessor.js';
export type { Processor, ProcessorSupplier } from './processor/Processor.js';
export type { ProcessorContext } from './processor/ProcessorContext.js';
export type { Cancellable, PunctuationType, Punctuator } from './processor/PunctuationType.js';
export type { RecordMetadata } from './processor/RecordMetadata.js';
export { type GlobalStore, type InternalTopic, type Subtopology, Topology, type TopologyParts } from './Topology.js';
export type {
  ProcessorNode,
  SinkNode,
  SourceNode,
  StreamPartitioner,
  TimestampExtractor,
  TopicNameExtractor,
  TopologyNode,
} from './TopologyNode.js';
