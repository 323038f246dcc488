import { Serdes } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/test-driver';
import { afterEach, describe, expect, it } from 'vitest';
import { Materialized, Named, StreamsBuilder } from '../src/index.js';
import { storeDefaults } from './driverHarness.js';

const S = Serdes.String();
const defaults = { defaultKeySerde: S, defaultValueSerde: S, ...storeDefaults };

let driver: TopologyTestDriver | undefined;
afterEach(() => {
  driver?.close();
  driver = undefined;
});

function read(d: TopologyTestDriver, topic: string) {
  return d
    .createOutputTopic(topic, S, S)
    .readRecordsToList()
    .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
}

describe('KStream-GlobalKTable joins through the driver', () => {
  function topology() {
    const builder = new StreamsBuilder(defaults);
    const customers = builder.globalTable<string, string>(
      'customers',
      undefined,
      Materialized.as('customers-store'),
    );
    const orders = builder.stream<string, string>('orders');
    const customerOf = (_orderId: string, order: string) => order.split(':')[0]!;
    orders.join(customers, customerOf, (order, customer, key) => `${key}:${order}@${customer}`).to('inner');
    orders
      .leftJoin(customers, customerOf, (order, customer) => `${order}@${customer}`, Named.as('enrich'))
      .to('left');
    return builder.build();
  }

  it('looks up the key chosen by the key selector in the global table, from every task, without co-partitioning', () => {
    const t = topology();
    expect(t.copartitionGroups).toEqual([]);
    expect([...t.internalTopics.keys()]).toEqual([]);
    driver = new TopologyTestDriver(t, { partitions: { orders: 4, customers: 3 } });
    const customers = driver.createInputTopic('customers', S, S);
    customers.pipeInput('c1', 'Ann', 1);
    customers.pipeInput('c2', 'Bob', 2);
    customers.pipeInput('c3', 'Cid', 3);
    const orders = driver.createInputTopic('orders', S, S);
    orders.pipeInput('o1', 'c1:book', 10);
    orders.pipeInput('o2', 'c2:pen', 11);
    orders.pipeInput('o3', 'c9:cup', 12);
    orders.pipeInput('o4', 'c3:ink', 13);
    customers.pipeInput('c1', null, 14); // deleted customer: later orders no longer match
    orders.pipeInput('o5', 'c1:mug', 15);
    orders.pipeInput('o6', null, 16); // null value: dropped by both joins
    expect(read(driver, 'inner')).toEqual([
      { key: 'o1', value: 'o1:c1:book@Ann', timestamp: 10 },
      { key: 'o2', value: 'o2:c2:pen@Bob', timestamp: 11 },
      { key: 'o4', value: 'o4:c3:ink@Cid', timestamp: 13 },
    ]);
    expect(read(driver, 'left')).toEqual([
      { key: 'o1', value: 'c1:book@Ann', timestamp: 10 },
      { key: 'o2', value: 'c2:pen@Bob', timestamp: 11 },
      { key: 'o3', value: 'c9:cup@null', timestamp: 12 },
      { key: 'o4', value: 'c3:ink@Cid', timestamp: 13 },
      { key: 'o5', value: 'c1:mug@null', timestamp: 15 },
    ]);
  });

  it('does not repartition a re-keyed stream (the global table is complete everywhere)', () => {
    const builder = new StreamsBuilder(defaults);
    const rates = builder.globalTable<string, string>('rates');
    builder
      .stream<string, string>('payments')
      .selectKey((_k, v) => v)
      .join(
        rates,
        (k) => k,
        (p, r) => `${p}*${r}`,
      )
      .to('out');
    const t = builder.build();
    expect([...t.internalTopics.keys()]).toEqual([]);
    driver = new TopologyTestDriver(t, { defaultPartitions: 2 });
    driver.createInputTopic('rates', S, S).pipeInput('EUR', '1.1', 1);
    driver.createInputTopic('payments', S, S).pipeInput('p1', 'EUR', 2);
    expect(read(driver, 'out')).toEqual([{ key: 'EUR', value: 'EUR*1.1', timestamp: 2 }]);
  });
});
