import { type ConsumerRecord, Headers, TaskId } from '@tributary/core';
import type { Processor, ProcessorContext } from '@tributary/dsl';
import { DefaultRecordCollector, StreamTask, type StreamTaskConfig } from '../../src/index.js';
import { CapturingProducer, processor, sink, source, topologyOf } from './TopologyFixtures.js';

// Shared by the StreamTask test files: raw consumed records, a task over a CapturingProducer, a one-processor topology.

export function raw(
  topic: string,
  offset: number,
  key: string | null,
  value: string | null,
  timestamp: number,
  partition = 0,
  headers = new Headers(),
): ConsumerRecord {
  return {
    topic,
    partition,
    offset,
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    timestamp,
    headers,
  };
}

export const upper = (): Processor<unknown, unknown, unknown, unknown> => {
  let ctx: ProcessorContext<unknown, unknown>;
  return {
    init(c) {
      ctx = c;
    },
    process(r) {
      ctx.forward(r.withValue(String(r.value).toUpperCase()));
    },
  };
};

export function makeTask(
  topology: ReturnType<typeof topologyOf>,
  options: Partial<StreamTaskConfig> & { partitions?: { [topic: string]: number } } = {},
) {
  const producer = new CapturingProducer(options.partitions);
  let now = 1_000;
  const clock = { now: () => now };
  const task = new StreamTask({
    applicationId: 'app',
    taskId: new TaskId(0, 0),
    topology,
    inputPartitions: [{ topic: 'in', partition: 0 }],
    collector: new DefaultRecordCollector(producer),
    clock,
    ...options,
  });
  return {
    task,
    producer,
    setTime: (t: number) => {
      now = t;
    },
  };
}

export function runAll(task: StreamTask): void {
  while (task.process()) task.maybePunctuateStreamTime();
}

export const simple = () =>
  topologyOf([
    { id: 0, nodes: [source('src', ['in'], ['up']), processor('up', upper, ['out']), sink('out', 'out')] },
  ]);
