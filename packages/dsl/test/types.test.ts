import { Serdes } from '@tributary/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  Consumed,
  type KGroupedStream,
  type KStream,
  type KTable,
  Materialized,
  StreamsBuilder,
} from '../src/index.js';

interface Order {
  readonly id: string;
  readonly amount: number;
}

describe('types flow through the DSL without casts', () => {
  it('mapValues from KStream<string, Order> to number yields KStream<string, number>', () => {
    const builder = new StreamsBuilder();
    const orders = builder.stream('orders', Consumed.with(Serdes.String(), Serdes.Json<Order>()));
    expectTypeOf(orders).toEqualTypeOf<KStream<string, Order>>();
    const amounts = orders.mapValues((order) => order.amount);
    expectTypeOf(amounts).toEqualTypeOf<KStream<string, number>>();
  });

  it('map, selectKey, groupBy and aggregations carry key and value types', () => {
    const builder = new StreamsBuilder();
    const orders = builder.stream('orders', Consumed.with(Serdes.String(), Serdes.Json<Order>()));
    expectTypeOf(orders.map((k, o) => ({ key: o.amount, value: k }))).toEqualTypeOf<
      KStream<number, string>
    >();
    expectTypeOf(orders.selectKey((_k, o) => o.id.length)).toEqualTypeOf<KStream<number, Order>>();
    expectTypeOf(orders.flatMapValues((o) => [o.id])).toEqualTypeOf<KStream<string, string>>();
    const grouped = orders.groupBy((_k, o) => o.id);
    expectTypeOf(grouped).toEqualTypeOf<KGroupedStream<string, Order>>();
    expectTypeOf(grouped.count()).toEqualTypeOf<KTable<string, number>>();
    const totals = grouped.aggregate(
      () => 0,
      (_k, o, total) => total + o.amount,
      Materialized.with(Serdes.String(), Serdes.Double()),
    );
    expectTypeOf(totals).toEqualTypeOf<KTable<string, number>>();
    expectTypeOf(totals.toStream()).toEqualTypeOf<KStream<string, number>>();
    expectTypeOf(totals.mapValues((t) => `${t}`)).toEqualTypeOf<KTable<string, string>>();
    // A serde of the wrong type is rejected.
    // @ts-expect-error Serde<number> is not a Serde<string>
    Consumed.with(Serdes.String(), Serdes.Int32()).withValueSerde(Serdes.String()) satisfies Consumed<
      string,
      string
    >;
  });
});
