import { type ProducerRecord, StreamsError, TaskMigratedError } from '@tributary/core';
import type { Processor } from '@tributary/dsl';
import { describe, expect, it } from 'vitest';
import { DefaultRecordCollector } from '../src/index.js';
import { makeTask, raw, runAll, upper } from './helpers/streamTaskFixtures.js';
import { CapturingProducer, processor, sink, source, topologyOf } from './helpers/TopologyFixtures.js';

// The task-level guarantees behind the exception handlers (the handlers themselves are tested through the
// TopologyTestDriver in packages/test-driver/test/exceptionHandlers.test.ts).

const strict = {
  name: 'Strict',
  serialize: (_t: string, v: string) => Buffer.from(v),
  deserialize: (_t: string, b: Buffer) => {
    const text = b.toString();
    if (text.startsWith('!')) throw new Error(`unreadable ${text}`);
    return text;
  },
};

const strictTopology = () =>
  topologyOf([
    {
      id: 0,
      nodes: [
        source('src', ['in'], ['up'], { valueSerde: strict as never }),
        processor('up', upper, ['out']),
        sink('out', 'out'),
      ],
    },
  ]);

describe('records skipped by a handler', () => {
  it('count as consumed: the commit moves past them, so they are not read again after a restart', () => {
    const { task, producer } = makeTask(strictTopology(), {
      exceptionHandlers: { deserialization: 'logAndContinue', log: () => {} },
    });
    task.initialize();
    task.addRecords({ topic: 'in', partition: 0 }, [raw('in', 4, 'a', 'x', 1), raw('in', 5, 'b', '!y', 2)]);
    runAll(task);
    expect(producer.texts()).toEqual([['out', 0, 'a', 'X', 1]]);
    expect(task.commitNeeded()).toBe(true);
    expect(task.prepareCommit()).toEqual([{ topic: 'in', partition: 0, offset: 6 }]);
    task.postCommit();
    // a batch of nothing but unreadable records still needs (and gets) a commit
    task.addRecords({ topic: 'in', partition: 0 }, [raw('in', 6, 'c', '!z', 3), raw('in', 7, 'd', '!w', 4)]);
    expect(task.process()).toBe(false);
    expect(task.commitNeeded()).toBe(true);
    expect(task.prepareCommit()).toEqual([{ topic: 'in', partition: 0, offset: 8 }]);
    expect(task.metrics()).toMatchObject({
      processedTotal: 1,
      droppedRecordsTotal: 3,
      deserializationErrorsTotal: 3,
    });
  });

  it('with negativeTimestamp drop, dropped records are consumed too', () => {
    const topology = topologyOf([
      { id: 0, nodes: [source('src', ['in'], ['up']), processor('up', upper, ['out']), sink('out', 'out')] },
    ]);
    const { task } = makeTask(topology, { negativeTimestamp: 'drop' });
    task.initialize();
    task.addRecords({ topic: 'in', partition: 0 }, [raw('in', 0, 'a', 'x', 1), raw('in', 1, 'b', 'y', -5)]);
    runAll(task);
    expect(task.committableOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
  });

  it('a processor that throws on every other record: each failure handled once, every offset consumed', () => {
    const seen: number[] = [];
    const throwing = (): Processor<unknown, unknown, unknown, unknown> => ({
      process(r) {
        if (r.value === 'boom') throw new Error('boom');
      },
    });
    const topology = topologyOf([{ id: 0, nodes: [source('src', ['in'], ['t']), processor('t', throwing)] }]);
    const { task } = makeTask(topology, {
      exceptionHandlers: {
        processing: (context) => {
          seen.push(context.offset);
          return 'continue';
        },
        log: () => {},
      },
    });
    task.initialize();
    task.addRecords({ topic: 'in', partition: 0 }, [
      raw('in', 0, 'a', 'boom', 1),
      raw('in', 1, 'b', 'ok', 2),
      raw('in', 2, 'c', 'boom', 3),
    ]);
    runAll(task);
    expect(seen).toEqual([0, 2]);
    expect(task.committableOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 3 }]);
    expect(task.metrics()).toMatchObject({
      processedTotal: 3,
      droppedRecordsTotal: 2,
      processingErrorsTotal: 2,
    });
  });
});

describe('errors no handler may skip', () => {
  it('a send error other than a record too large stops the task even with continue handlers', () => {
    class FailingProducer extends CapturingProducer {
      override send(record: ProducerRecord, partition: number | undefined): void {
        if (record.topic === 'out') throw new StreamsError("sending to 'out' failed: Local: Queue full");
        super.send(record, partition);
      }
    }
    const topology = topologyOf([
      { id: 0, nodes: [source('src', ['in'], ['up']), processor('up', upper, ['out']), sink('out', 'out')] },
    ]);
    const handled: string[] = [];
    const { task } = makeTask(topology, {
      collector: new DefaultRecordCollector(new FailingProducer()),
      exceptionHandlers: {
        processing: () => {
          handled.push('processing');
          return 'continue';
        },
        production: () => {
          handled.push('production');
          return 'continue';
        },
      },
    });
    task.initialize();
    task.addRecord(raw('in', 0, 'a', 'x', 1));
    expect(() => task.process()).toThrow("sending to 'out' failed: Local: Queue full");
    expect(handled).toEqual([]);
  });

  it('a TaskMigratedError from a processor is never handed to the processing handler', () => {
    const migrating = (): Processor<unknown, unknown, unknown, unknown> => ({
      process() {
        throw new TaskMigratedError('moved');
      },
    });
    const topology = topologyOf([
      { id: 0, nodes: [source('src', ['in'], ['m']), processor('m', migrating)] },
    ]);
    const handled: unknown[] = [];
    const { task } = makeTask(topology, {
      exceptionHandlers: {
        processing: (_c, _r, e) => {
          handled.push(e);
          return 'continue';
        },
      },
    });
    task.initialize();
    task.addRecord(raw('in', 0, 'a', 'x', 1));
    expect(() => task.process()).toThrow(TaskMigratedError);
    expect(handled).toEqual([]);
  });

  it('a processing failure is handled once, at the processor that threw, not again by the ones upstream', () => {
    const seen: string[] = [];
    const throwing = (): Processor<unknown, unknown, unknown, unknown> => ({
      process() {
        throw new Error('deep');
      },
    });
    const topology = topologyOf([
      {
        id: 0,
        nodes: [source('src', ['in'], ['up']), processor('up', upper, ['deep']), processor('deep', throwing)],
      },
    ]);
    const { task } = makeTask(topology, {
      exceptionHandlers: {
        processing: (context) => {
          seen.push(context.processorNodeId);
          return 'fail';
        },
      },
    });
    task.initialize();
    task.addRecord(raw('in', 3, 'a', 'x', 1));
    expect(() => task.process()).toThrow(
      "Exception caught in process: Task 0_0, processor 'deep', topic 'in' partition 0 offset 3: deep",
    );
    expect(seen).toEqual(['deep']);
  });
});
