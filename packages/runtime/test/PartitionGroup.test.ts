import { type ConsumerRecord, Headers, StreamsError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { PartitionGroup, RecordQueue } from '../src/index.js';
import { source } from './helpers/TopologyFixtures.js';

const src = source('src', ['a', 'b'], []);

function raw(
  topic: string,
  partition: number,
  offset: number,
  timestamp: number,
  value = `${topic}${offset}`,
): ConsumerRecord {
  return {
    topic,
    partition,
    offset,
    key: Buffer.from('k'),
    value: Buffer.from(value),
    timestamp,
    headers: new Headers(),
  };
}

function group(maxTaskIdleMs = 0, dropped: ConsumerRecord[] = []) {
  const a = new RecordQueue({ topic: 'a', partition: 0 }, src, 'drop', (r) => dropped.push(r));
  const b = new RecordQueue({ topic: 'b', partition: 0 }, src, 'drop', (r) => dropped.push(r));
  return { g: new PartitionGroup([a, b], maxTaskIdleMs), a, b };
}

function drain(g: PartitionGroup): string[] {
  const out: string[] = [];
  for (let r = g.nextRecord(); r !== undefined; r = g.nextRecord())
    out.push(`${r.record.value}@${r.record.timestamp}`);
  return out;
}

describe('PartitionGroup', () => {
  it('returns heads in timestamp order across partitions, ties to the first partition', () => {
    const { g } = group();
    g.addRawRecords({ topic: 'a', partition: 0 }, [
      raw('a', 0, 0, 10),
      raw('a', 0, 1, 30),
      raw('a', 0, 2, 20),
    ]);
    g.addRawRecords({ topic: 'b', partition: 0 }, [
      raw('b', 0, 0, 5),
      raw('b', 0, 1, 30),
      raw('b', 0, 2, 40),
    ]);
    // within a partition offset order is kept (a2@20 comes after a1@30)
    expect(drain(g)).toEqual(['b0@5', 'a0@10', 'a1@30', 'a2@20', 'b1@30', 'b2@40']);
  });

  it('keeps stream time as the max timestamp returned and partition time per partition', () => {
    const { g } = group();
    expect(g.streamTime()).toBe(-1);
    g.addRawRecords({ topic: 'a', partition: 0 }, [raw('a', 0, 0, 100), raw('a', 0, 1, 50)]);
    g.addRawRecords({ topic: 'b', partition: 0 }, [raw('b', 0, 0, 70)]);
    expect(g.partitionTime({ topic: 'a', partition: 0 })).toBe(100);
    expect(g.partitionTime({ topic: 'b', partition: 0 })).toBe(70);
    expect(g.nextRecord()?.record.timestamp).toBe(70);
    expect(g.streamTime()).toBe(70);
    expect(g.nextRecord()?.record.timestamp).toBe(100);
    expect(g.streamTime()).toBe(100);
    expect(g.nextRecord()?.record.timestamp).toBe(50);
    expect(g.streamTime()).toBe(100);
    expect(g.numBuffered()).toBe(0);
  });

  it('counts buffered records per partition and in total', () => {
    const { g } = group();
    g.addRawRecords({ topic: 'a', partition: 0 }, [raw('a', 0, 0, 1), raw('a', 0, 1, 2)]);
    expect(g.numBuffered({ topic: 'a', partition: 0 })).toBe(2);
    expect(g.numBuffered({ topic: 'b', partition: 0 })).toBe(0);
    expect(g.numBuffered()).toBe(2);
  });

  it('waits max.task.idle.ms for an empty partition, then processes (enforced) and counts it', () => {
    const { g } = group(100);
    expect(g.readyToProcess(0)).toBe(false); // nothing buffered
    g.addRawRecords({ topic: 'a', partition: 0 }, [raw('a', 0, 0, 1), raw('a', 0, 1, 2)]);
    expect(g.readyToProcess(1000)).toBe(false); // b empty: idle starts at 1000
    expect(g.readyToProcess(1099)).toBe(false);
    expect(g.readyToProcess(1100)).toBe(true);
    expect(g.enforcedProcessingCount()).toBe(1);
    g.nextRecord();
    g.addRawRecords({ topic: 'b', partition: 0 }, [raw('b', 0, 0, 3)]);
    expect(g.readyToProcess(1101)).toBe(true); // all buffered: idle timer reset
    g.nextRecord();
    expect(g.readyToProcess(1102)).toBe(false); // a empty again, new idle period from 1102
    expect(g.readyToProcess(1202)).toBe(true);
    expect(g.enforcedProcessingCount()).toBe(2);
  });

  it('processes at once with max.task.idle.ms 0 or negative', () => {
    const zero = group(0).g;
    zero.addRawRecords({ topic: 'a', partition: 0 }, [raw('a', 0, 0, 1)]);
    expect(zero.readyToProcess(5)).toBe(true);
    const never = group(-1).g;
    never.addRawRecords({ topic: 'a', partition: 0 }, [raw('a', 0, 0, 1)]);
    expect(never.readyToProcess(5)).toBe(true);
    expect(never.enforcedProcessingCount()).toBe(0);
  });

  it('drops negative timestamps under the drop policy and reports them', () => {
    const dropped: ConsumerRecord[] = [];
    const { g } = group(0, dropped);
    g.addRawRecords({ topic: 'a', partition: 0 }, [raw('a', 0, 0, 5), raw('a', 0, 1, -1), raw('a', 0, 2, 7)]);
    expect(drain(g)).toEqual(['a0@5', 'a2@7']);
    expect(dropped.map((r) => r.offset)).toEqual([1]);
  });

  it('rejects records of a partition outside the group', () => {
    const { g } = group();
    expect(() => g.addRawRecords({ topic: 'c', partition: 0 }, [])).toThrow(StreamsError);
  });
});
