import { type LogFields, Serdes } from '@tributary/core';
import { Consumed, Produced, StreamsBuilder, type Topology } from '@tributary/dsl';
import { afterEach, describe, expect, it } from 'vitest';
import { storeDefaults } from '../../dsl/test/driverHarness.js';
import { TopologyTestDriver, type TopologyTestDriverConfig } from '../src/index.js';

const S = Serdes.String();

/** transactions (card → amount) joined with blocked cards (card → reason): an alert per blocked card's transaction. */
function alerts(): Topology {
  const builder = new StreamsBuilder(storeDefaults);
  const blocked = builder.table('blocked', Consumed.with(S, S));
  builder
    .stream('transactions', Consumed.with(S, S))
    .join(blocked, (amount, reason) => `${amount}:${reason}`)
    .to('alerts', Produced.with(S, S));
  return builder.build();
}

const drivers: TopologyTestDriver[] = [];
afterEach(() => {
  for (const d of drivers.splice(0)) d.close();
});

function start(config: TopologyTestDriverConfig) {
  const d = new TopologyTestDriver(alerts(), config);
  drivers.push(d);
  const blocked = d.createInputTopic('blocked', S, S);
  const transactions = d.createInputTopic('transactions', S, S);
  const out = () =>
    d
      .createOutputTopic('alerts', S, S)
      .readRecordsToList()
      .map((r) => `${r.key}=${r.value}@${r.timestamp}`);
  const enforced = () => d.taskMetrics().get('0_0')!.enforcedProcessingTotal;
  return { d, blocked, transactions, out, enforced };
}

describe('task idling (max.task.idle.ms, KIP-695) with input held on the "broker"', () => {
  it('default 0: waits for a partition whose data is still on the broker, then joins in timestamp order', () => {
    const { d, blocked, transactions, out, enforced } = start({});
    // The table topic was filled before the application started, but its task has not fetched it yet.
    d.holdInput('blocked');
    blocked.pipeInput('c1', 'stolen', 1);
    blocked.pipeInput('c2', 'lost', 2);
    transactions.pipeInput('c1', '10', 5);
    transactions.pipeInput('c3', '20', 6);
    transactions.pipeInput('c2', '30', 7);
    expect(out()).toEqual([]); // waiting: the blocked-cards partition has data on the broker
    d.advanceWallClockTime(60_000);
    expect(out()).toEqual([]); // still waiting, however long: the data is known to be there
    d.releaseInput('blocked');
    expect(out()).toEqual(['c1=10:stolen@5', 'c2=30:lost@7']);
    // After the two table records, the table partition is empty and caught up: the three transactions go on
    // at once (max.task.idle.ms 0), each an enforced processing, as Kafka counts it.
    expect(enforced()).toBe(3);
  });

  it('-1: never waits, so stream records fetched first miss the table (the failure KIP-695 prevents)', () => {
    const { d, blocked, transactions, out, enforced } = start({ maxTaskIdleMs: -1 });
    d.holdInput('blocked');
    blocked.pipeInput('c1', 'stolen', 1);
    transactions.pipeInput('c1', '10', 5);
    expect(out()).toEqual([]);
    d.releaseInput('blocked');
    transactions.pipeInput('c1', '11', 8);
    expect(out()).toEqual(['c1=11:stolen@8']);
    expect(enforced()).toBe(0);
  });

  it('> 0: a caught-up empty partition is waited for that long, then processing is enforced, counted and logged', () => {
    const lines: { fields: LogFields; message: string }[] = [];
    const logger = {
      error: () => {},
      warn: () => {},
      debug: () => {},
      info: (fields: LogFields, message: string) => lines.push({ fields, message }),
    };
    const { d, blocked, transactions, out, enforced } = start({ maxTaskIdleMs: 100, logger });
    blocked.pipeInput('c1', 'stolen', 1); // fetched and processed: the table partition is now empty, caught up
    transactions.pipeInput('c1', '10', 5);
    transactions.pipeInput('c1', '20', 6);
    expect(out()).toEqual([]); // waiting up to 100 ms for more table data
    d.advanceWallClockTime(99);
    expect(out()).toEqual([]);
    d.advanceWallClockTime(1);
    expect(out()).toEqual(['c1=10:stolen@5', 'c1=20:stolen@6']);
    expect(enforced()).toBe(2);
    expect(lines.map((l) => l.fields.partitions)).toEqual([['blocked-0']]);
    expect(lines[0]!.message).toMatch(/Task 0_0: processing on although blocked-0 has no buffered records/);
  });

  it('names the fix when releasing a topic that is not held, or holding a global topic', () => {
    const { d } = start({});
    expect(() => d.releaseInput('blocked')).toThrow(/call holdInput\('blocked'\) first/);
  });
});
