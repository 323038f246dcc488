import { IllegalStateError, StreamsError } from '@tributary/core';
import type { ProcessorContext } from '@tributary/dsl';
import { describe, expect, it } from 'vitest';
import type { StreamTask } from '../src/index.js';
import { makeTask, raw, runAll, simple } from './helpers/streamTaskFixtures.js';
import { TestKeyValueStoreBuilder } from './helpers/TestKeyValueStore.js';
import { processor, sink, source, topologyOf } from './helpers/TopologyFixtures.js';

describe('negative timestamps', () => {
  const extractor = () =>
    topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['out'], {
            timestampExtractor: (r) => (r.value === 'late' ? -5 : r.timestamp),
          }),
          sink('out', 'out'),
        ],
      },
    ]);

  it("fail (default): a StreamsError naming topic, partition, offset and the 'drop' option", () => {
    const { task } = makeTask(extractor());
    task.initialize();
    expect(() => task.addRecord(raw('in', 3, 'k', 'late', 10))).toThrow(
      "Record at topic 'in' partition 0 offset 3 has invalid timestamp -5 (source 'src', custom timestamp extractor); " +
        "write records with timestamps >= 0, fix the timestamp extractor, or set negativeTimestamp: 'drop' to skip and count them",
    );
    // the bad record is skipped, the task goes on
    task.addRecord(raw('in', 4, 'k', 'fine', 11));
    runAll(task);
    expect(task.metrics().processedTotal).toBe(1);
  });

  it('drop: skipped and counted in droppedRecordsTotal', () => {
    const { task, producer } = makeTask(extractor(), { negativeTimestamp: 'drop' });
    task.initialize();
    task.addRecords({ topic: 'in', partition: 0 }, [
      raw('in', 0, 'k', 'a', 1),
      raw('in', 1, 'k', 'late', 2),
      raw('in', 2, 'k', 'b', -1),
      raw('in', 3, 'k', 'c', 3),
    ]);
    runAll(task);
    expect(producer.texts().map(([, , , v, ts]) => [v, ts])).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(task.metrics().droppedRecordsTotal).toBe(2);
    expect(task.metrics().processedTotal).toBe(2);
  });

  it('a sink refuses a negative timestamp set by a processor', () => {
    const topology = topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['neg']),
          processor('neg', () => {
            let ctx: ProcessorContext<unknown, unknown>;
            return {
              init(c) {
                ctx = c;
              },
              process(r) {
                ctx.forward(r.withTimestamp(-1));
              },
            };
          }, ['out']),
          sink('out', 'out'),
        ],
      },
    ]);
    const { task } = makeTask(topology);
    task.initialize();
    task.addRecord(raw('in', 0, 'k', 'v', 1));
    expect(() => task.process()).toThrow(StreamsError);
  });
});

describe('task state machine', () => {
  const fresh = () => makeTask(simple()).task;

  it('walks created → restoring → running → suspended → restoring → running → suspended → closed → created', () => {
    const task = fresh();
    expect(task.state).toBe('created');
    task.initializeIfNeeded();
    expect(task.state).toBe('restoring');
    task.completeRestoration();
    expect(task.state).toBe('running');
    task.suspend();
    expect(task.state).toBe('suspended');
    task.resume();
    expect(task.state).toBe('restoring');
    task.completeRestoration();
    expect(task.state).toBe('running');
    task.suspend();
    task.closeClean();
    expect(task.state).toBe('closed');
    task.revive();
    expect(task.state).toBe('created');
  });

  it('allows created → suspended and restoring → suspended, and closeDirty from suspended', () => {
    const a = fresh();
    a.suspend();
    expect(a.state).toBe('suspended');
    a.closeDirty();
    expect(a.state).toBe('closed');
    const b = fresh();
    b.initializeIfNeeded();
    b.suspend();
    expect(b.state).toBe('suspended');
  });

  const to = (task: StreamTask, state: string) => {
    if (state === 'restoring') task.initializeIfNeeded();
    if (state === 'running') task.initialize();
    if (state === 'suspended') task.suspend();
    if (state === 'closed') {
      task.suspend();
      task.closeClean();
    }
    return task;
  };

  it.each([
    ['created', 'running', () => (t: StreamTask) => t.completeRestoration()],
    ['created', 'restoring (resume)', () => (t: StreamTask) => t.resume()],
    ['created', 'created (revive)', () => (t: StreamTask) => t.revive()],
    ['restoring', 'restoring (resume)', () => (t: StreamTask) => t.resume()],
    ['restoring', 'created (revive)', () => (t: StreamTask) => t.revive()],
    ['running', 'running', () => (t: StreamTask) => t.completeRestoration()],
    ['running', 'restoring (resume)', () => (t: StreamTask) => t.resume()],
    ['running', 'created (revive)', () => (t: StreamTask) => t.revive()],
    ['suspended', 'running', () => (t: StreamTask) => t.completeRestoration()],
    ['suspended', 'suspended', () => (t: StreamTask) => t.suspend()],
    ['suspended', 'created (revive)', () => (t: StreamTask) => t.revive()],
    ['closed', 'restoring (resume)', () => (t: StreamTask) => t.resume()],
    ['closed', 'running', () => (t: StreamTask) => t.completeRestoration()],
    ['closed', 'suspended', () => (t: StreamTask) => t.suspend()],
  ])('rejects %s → %s with an IllegalStateError naming task and states', (from, target, action) => {
    const task = to(fresh(), from);
    const targetState = target.split(' ')[0];
    let error: unknown;
    try {
      action()(task);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IllegalStateError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Task 0_0 cannot (go from state '${from}' to '${targetState}'|resume in state '${from}'; it must be 'suspended')`,
      ),
    );
    expect(task.state).toBe(from);
  });

  it.each([
    ['created', (t: StreamTask) => t.closeClean()],
    ['restoring', (t: StreamTask) => t.closeClean()],
    ['running', (t: StreamTask) => t.closeClean()],
    ['running', (t: StreamTask) => t.closeDirty()],
    ['closed', (t: StreamTask) => t.closeClean()],
  ])('rejects closing from %s (suspend first)', (from, action) => {
    const task = to(fresh(), from);
    expect(() => action(task)).toThrow(
      /^Task 0_0 cannot close (cleanly|dirty) in state '\w+'; it must be 'suspended'$/,
    );
  });

  it('processes only while running', () => {
    const task = fresh();
    task.addRecord(raw('in', 0, 'k', 'v', 1));
    expect(() => task.process()).toThrow(
      "Task 0_0 cannot process records in state 'created'; it must be 'running'",
    );
    task.initialize();
    expect(task.process()).toBe(true);
    task.suspend();
    expect(() => task.process()).toThrow(
      "Task 0_0 cannot process records in state 'suspended'; it must be 'running'",
    );
  });

  it('closes processors on suspend and creates fresh ones on resume', () => {
    const events: string[] = [];
    let n = 0;
    const topology = topologyOf([
      {
        id: 0,
        nodes: [
          source('src', ['in'], ['p']),
          processor('p', () => {
            const id = ++n;
            return {
              init: () => events.push(`init ${id}`),
              process: () => {},
              close: () => events.push(`close ${id}`),
            };
          }),
        ],
      },
    ]);
    const { task } = makeTask(topology);
    task.initialize();
    task.suspend();
    task.resume();
    task.completeRestoration();
    task.suspend();
    task.closeClean();
    expect(events).toEqual(['init 1', 'close 1', 'init 2', 'close 2']);
  });

  it('closeClean flushes and closes the stores', () => {
    const counts = new TestKeyValueStoreBuilder<number>('counts');
    const topology = topologyOf([{ id: 0, nodes: [source('src', ['in'], [])], storeNames: ['counts'] }], {
      storeBuilders: [counts],
    });
    const { task } = makeTask(topology);
    task.initialize();
    const store = counts.built[0]!;
    expect(store.isOpen()).toBe(true);
    task.suspend();
    task.closeClean();
    expect(store.flushCount).toBe(1);
    expect(store.isOpen()).toBe(false);
  });
});
