import { Serdes } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/test-driver';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Consumed,
  Grouped,
  Materialized,
  Named,
  Produced,
  StreamsBuilder,
  type Topology,
} from '../src/index.js';
import { storeDefaults } from './driverHarness.js';

const S = Serdes.String();
const defaults = { defaultKeySerde: S, defaultValueSerde: S, ...storeDefaults };

let driver: TopologyTestDriver | undefined;
afterEach(() => {
  driver?.close();
  driver = undefined;
});

/** orders (orderId → "customerId:item") joined with customers (customerId → name) on the customer id. */
function ordersWithCustomers(kind: 'join' | 'leftJoin', named?: string): Topology {
  const builder = new StreamsBuilder(defaults);
  const orders = builder.table<string, string>('orders');
  const customers = builder.table<string, string>('customers');
  const customerId = (order: string) => order.split(':')[0]!;
  const joiner = (order: string, customer: string | null) => `${order}/${customer}`;
  const join = (o: typeof orders, ...args: Parameters<typeof orders.leftJoin<string, string, string>>) =>
    kind === 'join' ? o.join(...args) : o.leftJoin(...args);
  const joined =
    named === undefined
      ? join(orders, customers, customerId, joiner, Materialized.as('enriched'))
      : join(orders, customers, customerId, joiner, Named.as(named), Materialized.as('enriched'));
  joined.toStream().to('out');
  return builder.build();
}

function run(topology: Topology) {
  driver = new TopologyTestDriver(topology, { partitions: { orders: 3, customers: 2 } });
  const d = driver;
  const orders = d.createInputTopic('orders', S, S);
  const customers = d.createInputTopic('customers', S, S);
  const out = () =>
    d
      .createOutputTopic('out', S, S)
      .readRecordsToList()
      .map(({ key, value, timestamp }) => ({ key, value, timestamp }));
  return { d, orders, customers, out };
}

describe('KTable-KTable foreign-key join through the driver (orders: 3 partitions, customers: 2)', () => {
  it('names subscription and response topics and the subscription store as Kafka Streams does', () => {
    const topology = ordersWithCustomers('join', 'fk');
    expect([...topology.internalTopics.keys()].sort()).toEqual([
      'customers-STATE-STORE-0000000003-changelog',
      'enriched-changelog',
      'fk-subscription-registration-topic',
      'fk-subscription-response-topic',
      'fk-subscription-store-changelog',
      'orders-STATE-STORE-0000000000-changelog',
    ]);
    expect(topology.copartitionGroups).toEqual(
      expect.arrayContaining([
        [
          'orders',
          'fk-subscription-response-topic',
          'orders-STATE-STORE-0000000000-changelog',
          'enriched-changelog',
        ],
        [
          'customers',
          'fk-subscription-registration-topic',
          'customers-STATE-STORE-0000000003-changelog',
          'fk-subscription-store-changelog',
        ],
      ]),
    );
  });

  it('inner join: inserts, right-side updates, a foreign-key change, and deletes of either side', () => {
    const { d, orders, customers, out } = run(ordersWithCustomers('join', 'fk'));
    customers.pipeInput('c1', 'Ann', 1);
    orders.pipeInput('o1', 'c1:book', 2);
    orders.pipeInput('o2', 'c2:pen', 3); // no customer c2 yet: nothing
    customers.pipeInput('c2', 'Bob', 4); // now o2 joins
    customers.pipeInput('c1', 'Anna', 5); // update fans out to o1
    orders.pipeInput('o1', 'c2:book', 6); // foreign key changes c1 → c2
    customers.pipeInput('c1', 'Annie', 7); // o1 no longer follows c1: nothing
    customers.pipeInput('c2', null, 8); // right side deleted: both results deleted
    customers.pipeInput('c2', 'Bea', 9); // back again
    orders.pipeInput('o2', null, 10); // left side deleted
    orders.pipeInput('o3', 'c3:cup', 11); // never joins
    orders.pipeInput('o3', 'c1:cup', 12); // foreign key changes c3 → c1, which exists
    expect(out()).toEqual([
      { key: 'o1', value: 'c1:book/Ann', timestamp: 2 },
      { key: 'o2', value: 'c2:pen/Bob', timestamp: 4 },
      { key: 'o1', value: 'c1:book/Anna', timestamp: 5 },
      { key: 'o1', value: 'c2:book/Bob', timestamp: 6 },
      { key: 'o1', value: null, timestamp: 8 },
      { key: 'o2', value: null, timestamp: 8 },
      { key: 'o1', value: 'c2:book/Bea', timestamp: 9 },
      { key: 'o2', value: 'c2:pen/Bea', timestamp: 9 },
      { key: 'o2', value: null, timestamp: 10 },
      // the old subscription (c3) is dropped without a response; the new one (c1) answers
      { key: 'o3', value: 'c1:cup/Annie', timestamp: 12 },
    ]);
    const store = d.getKeyValueStore<string, string>('enriched');
    expect([...store.all()].map(({ key, value }) => `${key}=${value}`)).toEqual([
      'o1=c2:book/Bea',
      'o3=c1:cup/Annie',
    ]);
  });

  it('left join: results without a right row, a foreign-key change, and deletes of either side', () => {
    const { orders, customers, out } = run(ordersWithCustomers('leftJoin'));
    orders.pipeInput('o1', 'c1:book', 1); // no customer: joined with null
    customers.pipeInput('c1', 'Ann', 2);
    orders.pipeInput('o1', 'c2:book', 3); // foreign key changes to a missing customer
    customers.pipeInput('c2', 'Bob', 4);
    customers.pipeInput('c2', null, 5); // right side deleted: result kept with null
    orders.pipeInput('o1', null, 6); // left side deleted
    expect(out()).toEqual([
      { key: 'o1', value: 'c1:book/null', timestamp: 1 },
      { key: 'o1', value: 'c1:book/Ann', timestamp: 2 },
      { key: 'o1', value: 'c2:book/null', timestamp: 3 },
      { key: 'o1', value: 'c2:book/Bob', timestamp: 4 },
      { key: 'o1', value: 'c2:book/null', timestamp: 5 },
      { key: 'o1', value: null, timestamp: 6 },
    ]);
  });

  it('discards a stale response: only the result of the latest left value is emitted', () => {
    // Two quick updates of o1 before the right side answers are impossible in the synchronous driver, so
    // feed the response topic a response carrying the hash of an older value directly.
    const { d, orders, customers, out } = run(ordersWithCustomers('join', 'fk'));
    customers.pipeInput('c1', 'Ann', 1);
    orders.pipeInput('o1', 'c1:book', 2);
    const responses = d.createInputTopic('fk-subscription-response-topic', S, Serdes.Bytes());
    const stale = Buffer.alloc(19);
    stale[0] = 0;
    stale[1] = 1; // a hash of 16 zero bytes: not the hash of 'c1:book'
    stale[18] = 1;
    responses.pipeInput('o1', Buffer.concat([stale, Buffer.from('Eve')]), 3);
    orders.pipeInput('o1', 'c1:pen', 4);
    expect(out()).toEqual([
      { key: 'o1', value: 'c1:book/Ann', timestamp: 2 },
      { key: 'o1', value: 'c1:pen/Ann', timestamp: 4 },
    ]);
  });
});

describe('foreign-key join API (issue 15)', () => {
  it('picks the foreign-key overload from the arguments alone: a joiner is not taken for a Named', () => {
    const builder = new StreamsBuilder(defaults);
    const orders = builder.table<string, string>('orders');
    const customers = builder.table<string, string>('customers');
    // No type arguments: a function has a `name`, but Named is nominal, so this is the foreign-key join.
    const joined = orders.join(
      customers,
      (order) => order.split(':')[0]!,
      (order, customer) => `${order}/${customer}`,
    );
    joined.toStream().to('out');
    const text = builder.build().describe().toString();
    expect(text).toContain('KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-');
    // @ts-expect-error a function is not a Named
    const notNamed: Named = (a: string) => a;
    expect(typeof notNamed).toBe('function');
  });

  it('builds and runs without Materialized and without default serdes; the result table has no store', () => {
    const builder = new StreamsBuilder(storeDefaults);
    const orders = builder.table('orders', Consumed.with(S, S));
    const customers = builder.table('customers', Consumed.with(S, S));
    orders
      .leftJoin(
        customers,
        (order) => order.split(':')[0]!,
        (order, customer) => `${order}/${customer}`,
      )
      .toStream()
      .to('out', Produced.with(S, S));
    const topology = builder.build();
    expect([...topology.storeBuilders.keys()].some((name) => name.startsWith('KTABLE-FK-JOIN-OUTPUT-'))).toBe(
      false,
    );
    const { orders: o, customers: c, out } = run(topology);
    o.pipeInput('o1', 'alice:book', 1);
    c.pipeInput('alice', 'Alice', 2);
    c.pipeInput('alice', 'Alice B', 3);
    expect(out()).toEqual([
      { key: 'o1', value: 'alice:book/null', timestamp: 1 },
      { key: 'o1', value: 'alice:book/Alice', timestamp: 2 },
      { key: 'o1', value: 'alice:book/Alice B', timestamp: 3 },
    ]);
  });

  it('says to materialize an unmaterialized result when an operation after it needs old values', () => {
    const builder = new StreamsBuilder(storeDefaults);
    const orders = builder.table('orders', Consumed.with(S, S));
    const customers = builder.table('customers', Consumed.with(S, S));
    orders
      .join(
        customers,
        (order) => order.split(':')[0]!,
        (order, customer) => `${order}/${customer}`,
      )
      .groupBy((_k, v) => ({ key: v, value: v }), Grouped.with(S, S))
      .count()
      .toStream()
      .to('out', Produced.with(S, Serdes.Int64()));
    expect(() => run(builder.build())).toThrow(
      /has no store, but an operation after it needs its previous values: pass Materialized\.with\(keySerde, valueSerde\) to join\(\)/,
    );
  });
});
