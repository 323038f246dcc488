import { Headers } from '@tributary/core';
import type { TopicPartitionOffset } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { CommitProtocol, recoveryFor } from '../src/internal/CommitProtocol.js';
import { KafkaRecordProducer } from '../src/internal/KafkaRecordProducer.js';
import { clientError, FakeKafka } from './fakes/FakeKafka.js';

async function setUp(exactlyOnce = true) {
  const kafka = new FakeKafka();
  kafka.createTopic('in', 1);
  kafka.createTopic('out', 1);
  const records = new KafkaRecordProducer(new Map([['out', 1]]));
  const protocol = new CommitProtocol(
    'thread-1',
    exactlyOnce,
    kafka.supplier(),
    exactlyOnce ? { 'transactional.id': 'app-1' } : {},
    records,
  );
  await protocol.start();
  const consumer = await kafka.supplier().consumer({ 'group.id': 'app' });
  const log: string[] = [];
  const task = (offset: number) => ({
    prepareCommit: (): TopicPartitionOffset[] => {
      log.push('prepare');
      records.send(
        { topic: 'out', key: null, value: Buffer.from(`v${offset}`), timestamp: 0, headers: new Headers() },
        0,
      );
      return [{ topic: 'in', partition: 0, offset }];
    },
    postCommit: () => log.push('post'),
  });
  return { kafka, protocol, consumer, task, log };
}

describe('CommitProtocol', () => {
  it('exactly-once: idle → in_transaction → committing → idle, offsets and records committed together', async () => {
    const { kafka, protocol, consumer, task, log } = await setUp();
    expect(protocol.state).toBe('idle');
    await protocol.begin();
    expect(protocol.state).toBe('in_transaction');
    await protocol.commit([task(5)], consumer);
    expect(protocol.state).toBe('idle');
    expect(log).toEqual(['prepare', 'post']);
    expect(kafka.committed('app', { topic: 'in', partition: 0 })).toBe(5);
    expect(kafka.read('out').map((r) => r.value!.toString())).toEqual(['v5']);
    expect(protocol.commitCount).toBe(1);
  });

  it('a failed step leaves it failed; step 5 does not run; recover aborts and it is idle again', async () => {
    const { kafka, protocol, consumer, task, log } = await setUp();
    await protocol.begin();
    const error = clientError('flushing the producer failed: Local: Timed out', { retriable: true });
    kafka.inject('flush', { error });
    await expect(protocol.commit([task(5)], consumer)).rejects.toBe(error);
    expect(protocol.state).toBe('failed');
    expect(log).toEqual(['prepare']);
    expect(await protocol.recover(error)).toEqual({ producer: 'abort', tasksMoved: false });
    expect(protocol.state).toBe('idle');
    expect(kafka.calls.get('abortTransaction')).toBe(1);
    expect(kafka.producers).toHaveLength(1);
    expect(kafka.read('out')).toEqual([]);
    expect(kafka.read('out', 'read_uncommitted')).toHaveLength(1);
    expect(kafka.committed('app', { topic: 'in', partition: 0 })).toBeUndefined();
  });

  it('a commit of unknown outcome replaces the producer: never an abort', async () => {
    const { kafka, protocol, consumer, task } = await setUp();
    await protocol.begin();
    const error = clientError('committing the transaction failed: Local: Erroneous state');
    kafka.inject('commitTransaction', { error, after: true });
    await expect(protocol.commit([task(5)], consumer)).rejects.toBe(error);
    expect(await protocol.recover(error)).toEqual({ producer: 'replace', tasksMoved: false });
    expect(protocol.state).toBe('idle');
    expect(kafka.calls.get('abortTransaction') ?? 0).toBe(0);
    expect(kafka.producers).toHaveLength(2);
    expect(kafka.read('out').map((r) => r.value!.toString())).toEqual(['v5']);
  });

  it('a retriable commit failure is retried; recovery that cannot reach the brokers is finished later', async () => {
    const { kafka, protocol, consumer, task } = await setUp();
    await protocol.begin();
    kafka.inject('commitTransaction', { error: clientError('timed out', { retriable: true }) });
    await protocol.commit([task(5)], consumer);
    expect(kafka.calls.get('commitTransaction')).toBe(2);
    await protocol.begin();
    const down = clientError('flushing the producer failed: Local: Timed out', { unreachable: true });
    kafka.inject('flush', { error: down });
    await expect(protocol.commit([task(6)], consumer)).rejects.toBe(down);
    kafka.down = true;
    await expect(protocol.recover(down)).rejects.toThrow('initTransactions failed: Local: Timed out');
    expect(protocol.state).toBe('failed');
    kafka.down = false;
    await protocol.begin();
    expect(protocol.state).toBe('in_transaction');
    // The abort failed, so a new producer settled the transaction (the fake's close aborted it).
    expect(kafka.producers).toHaveLength(3);
    expect(kafka.read('out').map((r) => r.value!.toString())).toEqual(['v5']);
  });

  it('at-least-once: commits the consumer offsets; keeps the producer after a non-fatal failure', async () => {
    const { kafka, protocol, consumer, task } = await setUp(false);
    await protocol.begin();
    expect(protocol.state).toBe('idle');
    await protocol.commit([task(7)], consumer);
    expect(kafka.committed('app', { topic: 'in', partition: 0 })).toBe(7);
    const error = clientError('committing offsets failed: Broker: Request timed out');
    kafka.inject('commit', { error });
    await expect(protocol.commit([task(8)], consumer)).rejects.toBe(error);
    expect(await protocol.recover(error)).toEqual({ producer: 'keep', tasksMoved: false });
    expect(kafka.producers).toHaveLength(1);
  });

  it('close aborts an open transaction and reports the first failure', async () => {
    const { kafka, protocol } = await setUp();
    await protocol.begin();
    const error = clientError('aborting the transaction failed: Local: Timed out');
    kafka.inject('abortTransaction', { error });
    expect(await protocol.close()).toBe(error);
    expect(protocol.state).toBe('closed');
    expect(kafka.producers[0]!.isClosed).toBe(true);
  });
});

describe('recoveryFor', () => {
  const moved = clientError('fenced', { fatal: true, migrated: true });
  const evicted = clientError('unknown member', { txnRequiresAbort: true, migrated: true });
  const abortable = clientError('abortable', { txnRequiresAbort: true });
  const plain = clientError('timed out', { retriable: true });
  const fatal = clientError('fatal', { fatal: true });

  it('exactly-once: replace when fatal, fenced or the outcome is unknown; abort otherwise', () => {
    expect(recoveryFor(moved, true)).toEqual({ producer: 'replace', tasksMoved: true });
    expect(recoveryFor(evicted, true)).toEqual({ producer: 'abort', tasksMoved: true });
    expect(recoveryFor(fatal, true)).toEqual({ producer: 'replace', tasksMoved: false });
    expect(recoveryFor(abortable, true)).toEqual({ producer: 'abort', tasksMoved: false });
    expect(recoveryFor(plain, true)).toEqual({ producer: 'abort', tasksMoved: false });
    expect(recoveryFor(plain, true, true)).toEqual({ producer: 'replace', tasksMoved: false });
  });

  it('at-least-once: keep the producer unless fatal', () => {
    expect(recoveryFor(plain, false)).toEqual({ producer: 'keep', tasksMoved: false });
    expect(recoveryFor(moved, false)).toEqual({ producer: 'replace', tasksMoved: true });
    expect(recoveryFor(clientError('gone', { migrated: true }), false)).toEqual({
      producer: 'keep',
      tasksMoved: true,
    });
  });

  it('anything but a client failure is not recovered', () => {
    expect(recoveryFor(new Error('bug'), true)).toBeUndefined();
  });
});
