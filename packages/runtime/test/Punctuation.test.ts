import { type ConsumerRecord, Headers, Record, TaskId } from '@tributary/core';
import type { Cancellable, ProcessorContext, PunctuationType } from '@tributary/dsl';
import { describe, expect, it } from 'vitest';
import { DefaultRecordCollector, StreamTask } from '../src/index.js';
import { CapturingProducer, processor, sink, source, topologyOf } from './helpers/TopologyFixtures.js';

function raw(offset: number, timestamp: number): ConsumerRecord {
  return {
    topic: 'in',
    partition: 0,
    offset,
    key: Buffer.from('k'),
    value: Buffer.from(`v${offset}`),
    timestamp,
    headers: new Headers(),
  };
}

function setup(type: PunctuationType, interval: number, options: { cancelAfter?: number } = {}) {
  const fired: number[] = [];
  let cancellable: Cancellable | undefined;
  const topology = topologyOf([
    {
      id: 0,
      nodes: [
        source('src', ['in'], ['p']),
        processor('p', () => {
          let ctx: ProcessorContext<unknown, unknown>;
          return {
            init(c) {
              ctx = c;
              cancellable = c.schedule(interval, type, (ts) => {
                fired.push(ts);
                ctx.forward(new Record('tick', `at ${ts}`, ts));
                if (options.cancelAfter !== undefined && fired.length >= options.cancelAfter)
                  cancellable!.cancel();
              });
            },
            process() {},
          };
        }, ['out']),
        sink('out', 'ticks'),
      ],
    },
  ]);
  let now = 10_000;
  const producer = new CapturingProducer();
  const task = new StreamTask({
    applicationId: 'app',
    taskId: new TaskId(0, 0),
    topology,
    inputPartitions: [{ topic: 'in', partition: 0 }],
    collector: new DefaultRecordCollector(producer),
    clock: { now: () => now },
  });
  task.initialize();
  let offset = 0;
  const pipe = (timestamp: number) => {
    task.addRecord(raw(offset++, timestamp));
    while (task.process()) task.maybePunctuateStreamTime();
  };
  return {
    task,
    fired,
    producer,
    pipe,
    advance(ms: number) {
      now += ms;
      task.maybePunctuateSystemTime();
    },
  };
}

describe('stream-time punctuation', () => {
  it('fires on the first record (aligned to 0), then every interval of stream time, skipping missed intervals', () => {
    const { fired, pipe } = setup('stream-time', 10);
    pipe(5); // first punctuation as soon as stream time is known: at 5; next at 10
    pipe(9); // nothing
    pipe(10); // due at 10 → fires with stream time 10; next 20
    pipe(19);
    pipe(3); // out of order: stream time stays 19
    pipe(25); // due at 20 → fires with 25; next 30 (20 + 10 > 25)
    pipe(61); // due at 30, 40, 50, 60 missed: fires once with 61; next = 61 + 10 = 71
    pipe(70);
    pipe(71); // due at 71 → fires; next 81
    expect(fired).toEqual([5, 10, 25, 61, 71]);
  });

  it('does not fire before any record and not on wall-clock time', () => {
    const { fired, advance } = setup('stream-time', 10);
    advance(1_000_000);
    expect(fired).toEqual([]);
  });

  it('stops after cancel()', () => {
    const { fired, pipe } = setup('stream-time', 10, { cancelAfter: 2 });
    pipe(0);
    pipe(10);
    pipe(20);
    pipe(30);
    expect(fired).toEqual([0, 10]);
  });

  it('forwards punctuation output downstream with the punctuation timestamp', () => {
    const { producer, pipe, task } = setup('stream-time', 100);
    pipe(42);
    expect(producer.texts()).toEqual([['ticks', 0, 'tick', 'at 42', 42]]);
    expect(task.metrics().punctuateTotal).toBe(1);
  });
});

describe('wall-clock punctuation', () => {
  it('fires first at schedule time + interval, then every interval, skipping missed ones', () => {
    const { fired, advance, pipe } = setup('wall-clock', 1000); // scheduled at 10 000: first due 11 000
    advance(999); // 10 999
    pipe(1); // records do not trigger wall-clock punctuation
    advance(1); // 11 000 → fires; next 12 000
    advance(500); // 11 500
    advance(600); // 12 100 → fires (due 12 000); next 13 000
    advance(3_500); // 15 600 → missed 13 000, 14 000, 15 000: fires once; next 16 600
    advance(999); // 16 599
    advance(1); // 16 600 → fires
    expect(fired).toEqual([11_000, 12_100, 15_600, 16_600]);
  });

  it('is driven by maybePunctuateSystemTime(now)', () => {
    const { fired, task } = setup('wall-clock', 50);
    expect(task.maybePunctuateSystemTime(10_049)).toBe(false);
    expect(task.maybePunctuateSystemTime(10_050)).toBe(true);
    expect(fired).toEqual([10_050]);
  });

  it('is cleared when the task is suspended', () => {
    const { fired, task } = setup('wall-clock', 50);
    task.suspend();
    expect(task.maybePunctuateSystemTime(20_000)).toBe(false);
    expect(fired).toEqual([]);
  });

  it('rejects an interval below 1 ms', () => {
    expect(() => setup('wall-clock', 0)).toThrow(
      "Processor 'p' of Task 0_0 scheduled a punctuator every 0 ms; the interval must be an integer >= 1",
    );
  });
});
