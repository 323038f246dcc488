import { Headers, type Record, SerializationError, StreamsError, TopologyError } from '@tributary/core';
import type {
  Processor,
  ProcessorContext,
  ProcessorNode,
  SinkNode,
  SourceNode,
  StreamPartitioner,
  TopicNameExtractor,
} from '@tributary/dsl';
import { messageOf } from './messageOf.js';
import type { TaskHost } from './TaskHost.js';

const EMPTY_HEADERS = new Headers();

/** A node of a running task: a source, a processor or a sink, wired to its children. */
export abstract class RuntimeNode {
  readonly children: RuntimeNode[] = [];
  readonly childrenByName = new Map<string, RuntimeNode>();

  constructor(
    readonly name: string,
    protected readonly host: TaskHost,
  ) {}

  addChild(child: RuntimeNode): void {
    this.children.push(child);
    this.childrenByName.set(child.name, child);
  }

  abstract process(record: Record<unknown, unknown>): void;

  /** Send `record` to every child, or to the named one. */
  forward(record: Record<unknown, unknown>, childName?: string): void {
    const host = this.host;
    const previousNode = host.currentNode;
    const previousTimestamp = host.currentTimestamp;
    if (childName === undefined) {
      const children = this.children;
      for (let i = 0; i < children.length; i++) {
        const child = children[i]!;
        host.currentNode = child;
        host.currentTimestamp = record.timestamp;
        child.process(record);
      }
    } else {
      const child = this.childrenByName.get(childName);
      if (child === undefined) {
        throw new TopologyError(
          `Processor '${this.name}' forwarded to child '${childName}', which is not one of its children ` +
            `(${this.children.map((c) => `'${c.name}'`).join(', ') || 'none'}); use one of those names or omit it to forward to all`,
        );
      }
      host.currentNode = child;
      host.currentTimestamp = record.timestamp;
      child.process(record);
    }
    host.currentNode = previousNode;
    host.currentTimestamp = previousTimestamp;
  }

  init(): void {}
  close(): void {}
}

/** Passes deserialized records (deserialization happens in the RecordQueue) to its children. */
export class SourceRuntimeNode extends RuntimeNode {
  constructor(
    readonly node: SourceNode,
    host: TaskHost,
  ) {
    super(node.name, host);
  }

  process(record: Record<unknown, unknown>): void {
    this.forward(record);
  }
}

/** Runs a fresh user Processor (from the node's supplier) per (re)initialisation. */
export class ProcessorRuntimeNode extends RuntimeNode {
  processor: Processor<unknown, unknown, unknown, unknown> | undefined;
  readonly context: ProcessorContext<unknown, unknown>;
  readonly storeNames: ReadonlySet<string>;

  constructor(
    readonly node: ProcessorNode,
    host: TaskHost,
  ) {
    super(node.name, host);
    this.storeNames = new Set(node.stores);
    this.context = new ProcessorContextImpl(this, host);
  }

  override init(): void {
    const processor = this.node.supplier();
    this.processor = processor;
    if (processor.init !== undefined) {
      this.host.currentNode = this;
      processor.init(this.context);
      this.host.currentNode = undefined;
    }
  }

  process(record: Record<unknown, unknown>): void {
    try {
      this.processor!.process(record);
    } catch (error) {
      this.host.processingFailed(this, record, error);
    }
  }

  override close(): void {
    const processor = this.processor;
    this.processor = undefined;
    if (processor?.close !== undefined) {
      this.host.currentNode = this;
      processor.close();
      this.host.currentNode = undefined;
    }
  }
}

/** A processor's view of its task. One per processor node; every method is synchronous. */
class ProcessorContextImpl implements ProcessorContext<unknown, unknown> {
  constructor(
    private readonly node: ProcessorRuntimeNode,
    private readonly host: TaskHost,
  ) {}

  get applicationId(): string {
    return this.host.applicationId;
  }

  get taskId() {
    return this.host.taskId;
  }

  recordMetadata() {
    return this.host.recordMetadata;
  }

  forward(record: Record<unknown, unknown>, childName?: string): void {
    this.node.forward(record, childName);
  }

  schedule(intervalMs: number, type: 'stream-time' | 'wall-clock', punctuator: (timestamp: number) => void) {
    return this.host.schedule(this.node, intervalMs, type, punctuator);
  }

  getStateStore<S>(name: string): S {
    return this.host.getStateStore(this.node, name) as S;
  }

  currentStreamTimeMs(): number {
    return this.host.streamTime();
  }

  currentSystemTimeMs(): number {
    return this.host.clock.now();
  }

  commit(): void {
    this.host.commitRequested = true;
  }

  recordDropped(): void {
    this.host.recordDropped();
  }
}

/** Serializes records and hands them to the task's RecordCollector. */
export class SinkRuntimeNode extends RuntimeNode {
  private readonly fixedTopic: string | undefined;
  private readonly topicExtractor: TopicNameExtractor | undefined;
  private readonly partitioner: StreamPartitioner | undefined;

  constructor(
    readonly node: SinkNode,
    host: TaskHost,
  ) {
    super(node.name, host);
    if (typeof node.topic === 'string') this.fixedTopic = host.resolveTopic(node.topic);
    else this.topicExtractor = node.topic;
    this.partitioner = node.partitioner;
  }

  override addChild(child: RuntimeNode): void {
    throw new TopologyError(
      `Sink '${this.name}' cannot have children (found '${child.name}'); a sink ends a branch`,
    );
  }

  process(record: Record<unknown, unknown>): void {
    const host = this.host;
    const topic = this.fixedTopic ?? this.extractTopic(record);
    const timestamp = record.timestamp;
    if (timestamp < 0) {
      throw new StreamsError(
        `Sink '${this.name}' got a record with negative timestamp ${timestamp} for topic '${topic}'; ` +
          'a processor upstream set it (withTimestamp): use a timestamp >= 0',
      );
    }
    const headers = record.headers ?? EMPTY_HEADERS;
    const key = record.key;
    const value = record.value;
    let keyBytes: Buffer | null = null;
    let valueBytes: Buffer | null = null;
    if (key !== null && key !== undefined) {
      try {
        keyBytes = this.node.keySerde.serialize(topic, key, headers);
      } catch (cause) {
        const failure = this.serializationError('key', this.node.keySerde.name, topic, cause);
        host.productionFailed(this, { topic, key, value, timestamp, headers }, cause, 'key', failure);
        return;
      }
    }
    if (value !== null && value !== undefined) {
      try {
        valueBytes = this.node.valueSerde.serialize(topic, value, headers);
      } catch (cause) {
        const failure = this.serializationError('value', this.node.valueSerde.name, topic, cause);
        host.productionFailed(this, { topic, key, value, timestamp, headers }, cause, 'value', failure);
        return;
      }
    }
    try {
      host.collector.send(
        { topic, partition: undefined, key: keyBytes, value: valueBytes, timestamp, headers },
        this.partitioner,
        key,
        value,
      );
    } catch (error) {
      const failure =
        error instanceof StreamsError ? error : new StreamsError(messageOf(error), { cause: error });
      host.productionFailed(
        this,
        { topic, key: keyBytes, value: valueBytes, timestamp, headers },
        error,
        undefined,
        failure,
      );
    }
  }

  private extractTopic(record: Record<unknown, unknown>): string {
    const metadata = this.host.recordMetadata;
    const topic = this.topicExtractor!(record.key, record.value, {
      topic: metadata?.topic,
      partition: metadata?.partition,
    });
    if (typeof topic !== 'string' || topic.length === 0) {
      throw new TopologyError(
        `The topic name extractor of sink '${this.name}' returned ${JSON.stringify(topic)}; it must return a topic name`,
      );
    }
    return this.host.resolveTopic(topic);
  }

  private serializationError(
    part: 'key' | 'value',
    serde: string,
    topic: string,
    cause: unknown,
  ): StreamsError {
    const input = this.host.recordMetadata;
    const from =
      input === undefined
        ? ` (${this.host.taskName})`
        : ` (${this.host.taskName}, input record at topic '${input.topic}' partition ${input.partition} offset ${input.offset})`;
    return new SerializationError(
      `Sink '${this.name}' could not serialize the ${part} of a record for topic '${topic}' with ${part} serde ` +
        `'${serde}': ${messageOf(cause)}; give the sink a ${part} serde that matches the ${part} type (Produced.with)${from}`,
      { cause },
    );
  }
}
