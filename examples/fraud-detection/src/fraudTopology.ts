import {
  BufferConfig,
  Consumed,
  Grouped,
  Joined,
  JoinWindows,
  Materialized,
  Named,
  Produced,
  RocksDBDslStoreSuppliers,
  type Serde,
  Serdes,
  StreamJoined,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type Topology,
} from '@tributary/streams';
import type { Alert } from './Alert.js';
import { distanceKm } from './Countries.js';
import { DEFAULT_RULES, type FraudRules } from './FraudRules.js';
import { type FraudTopics, fraudTopics } from './FraudTopics.js';
import type { BlockedCard, Merchant, Transaction } from './Transaction.js';
import { transactionSerde } from './transactionSerde.js';

export interface FraudTopologyOptions {
  /** Default: `fraudTopics()`, the unprefixed names. */
  readonly topics?: FraudTopics;
  readonly rules?: FraudRules;
  /** The value serde of `transactions`; default `transactionSerde()` (checked JSON), or `avroTransactionSerde(registry)`. */
  readonly transactionSerde?: Serde<Transaction>;
  /** Where DSL stores live; default RocksDB (written to disk after each Kafka commit). */
  readonly inMemory?: boolean;
}

/** A card's spend so far: the amount-spike rule's KTable. */
export interface CardStats {
  readonly count: number;
  readonly cents: number;
  /** The last transaction counted, so the join can tell whether the stats include the one it joins. */
  readonly lastId: string;
}

const cents = (amount: number): number => Math.round(amount * 100);
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/**
 * The fraud detection application: one topology, five rules, all alerts to `fraud-alerts` keyed by card.
 *
 * - velocity: a card's transactions in a hopping 1-minute window (advancing 30 s), suppressed until the window
 *   closes, so each window is emitted once; more than `velocityMaxTransactions` is an alert with the window's transactions as evidence;
 * - amount spike: a KTable of each card's count and total spend (an aggregate of the stream), joined with the
 *   stream: an amount above `spikeFactor` times the card's earlier average is an alert;
 * - impossible travel: the stream joined with itself within `travelWindowMs`: two transactions of a card in
 *   countries further apart than a plane could fly in the time between them;
 * - blocked card: the stream joined with the compacted `blocked-cards` topic read as a KTable;
 * - merchant risk: the stream joined with the `merchants` GlobalKTable: a merchant scored at or above
 *   `merchantRiskThreshold`.
 */
export function fraudTopology(options: FraudTopologyOptions = {}): Topology {
  const rules = options.rules ?? DEFAULT_RULES;
  const topics = options.topics ?? fraudTopics();
  const sourceSerde = options.transactionSerde ?? transactionSerde();
  // Stores and changelogs hold transactions as JSON, whatever the topic's format (Avro needs a registry round
  // trip per new schema, which the stream thread does for sources and sinks, not for changelogs).
  const txSerde = Serdes.Json<Transaction>();
  const alertSerde = Serdes.Json<Alert>();
  const builder = new StreamsBuilder(options.inMemory ? {} : { dslStoreSuppliers: RocksDBDslStoreSuppliers });

  const transactions = builder.stream(topics.transactions, Consumed.with(Serdes.String(), sourceSerde));
  const byCard = transactions.groupByKey(Grouped.with(Serdes.String(), txSerde));

  // velocity
  const velocity = byCard
    .windowedBy(TimeWindows.ofSizeWithNoGrace(rules.velocityWindowMs).advanceBy(rules.velocityAdvanceMs))
    .aggregate<Transaction[]>(
      () => [],
      (_card, tx, window) => [...window, tx],
      Named.as('velocity-window'),
      Materialized.as<string, Transaction[]>('velocity-store').withValueSerde(Serdes.Json<Transaction[]>()),
    )
    // Once per window, when stream time passes its end (stream time only: EmitStrategy.onWindowClose() would
    // also wait for Kafka's wall-clock emit interval, so its output depends on how fast records arrive).
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName('velocity-final'))
    .toStream(Named.as('velocity-closed'))
    .filter((_window, txs) => txs.length > rules.velocityMaxTransactions, Named.as('velocity-over-limit'))
    .map<string, Alert>(
      (windowed, txs) => ({
        key: windowed.key,
        value: {
          rule: 'velocity',
          card: windowed.key,
          evidence: txs,
          detail: `${txs.length} transactions in the window ${clock(windowed.window.start)}-${clock(windowed.window.end)}`,
        },
      }),
      Named.as('velocity-alert'),
    );

  // amount spike
  const stats = byCard.aggregate<CardStats>(
    () => ({ count: 0, cents: 0, lastId: '' }),
    (_card, tx, s) => ({ count: s.count + 1, cents: s.cents + cents(tx.amount), lastId: tx.id }),
    Named.as('card-stats'),
    Materialized.as<string, CardStats>('card-stats-store').withValueSerde(Serdes.Json<CardStats>()),
  );
  const spikes = transactions
    .join(
      stats,
      (tx, s): Alert | null => {
        // The stats may already count this transaction (the aggregate ran first): compare with the ones before.
        const before = s.lastId === tx.id ? { count: s.count - 1, cents: s.cents - cents(tx.amount) } : s;
        if (before.count < rules.spikeMinHistory) return null;
        if (cents(tx.amount) * before.count <= rules.spikeFactor * before.cents) return null;
        const average = before.cents / before.count / 100;
        return {
          rule: 'amount-spike',
          card: tx.card,
          evidence: [tx],
          detail: `$${tx.amount.toFixed(2)} is ${(tx.amount / average).toFixed(1)}x the card's average of $${average.toFixed(2)} over ${before.count} payments`,
        };
      },
      Joined.as('amount-spike'),
    )
    .flatMapValues((alert) => (alert ? [alert] : []), Named.as('amount-spike-alert'));

  // impossible travel: each pair is seen from both sides (and each record with itself): keep earlier→later.
  const travel = transactions
    .join(
      transactions,
      (a, b): Alert | null => {
        if (a.id >= b.id || a.country === b.country) return null;
        const km = distanceKm(a.country, b.country);
        const hours = (b.timestamp - a.timestamp) / 3_600_000;
        if (km <= rules.travelMaxKmh * hours) return null;
        return {
          rule: 'impossible-travel',
          card: a.card,
          evidence: [a, b],
          detail: `${a.country} ${clock(a.timestamp)} → ${b.country} ${clock(b.timestamp)}: ${Math.round(km)} km in ${Math.round(hours * 60)} min`,
        };
      },
      JoinWindows.ofTimeDifferenceWithNoGrace(rules.travelWindowMs),
      StreamJoined.with(Serdes.String(), txSerde, txSerde).withName('travel').withStoreName('travel'),
    )
    .flatMapValues((alert) => (alert ? [alert] : []), Named.as('travel-alert'));

  // blocked cards
  const blocked = builder.table(
    topics.blockedCards,
    Consumed.with(Serdes.String(), Serdes.Json<BlockedCard>()),
    Materialized.as<string, BlockedCard>('blocked-cards-store'),
  );
  const blockedUse = transactions.join(
    blocked,
    (tx, card): Alert => ({
      rule: 'blocked-card',
      card: tx.card,
      evidence: [tx],
      detail: `card reported ${card.reason} at ${clock(card.blockedAt)}`,
    }),
    Joined.as('blocked-card'),
  );

  // merchant risk
  const merchants = builder.globalTable(
    topics.merchants,
    Consumed.with(Serdes.String(), Serdes.Json<Merchant>()),
    Materialized.as<string, Merchant>('merchants-store'),
  );
  const risky = transactions
    .join(
      merchants,
      (_card, tx) => tx.merchant,
      (tx, merchant): Alert | null =>
        merchant.riskScore < rules.merchantRiskThreshold
          ? null
          : {
              rule: 'merchant-risk',
              card: tx.card,
              evidence: [tx],
              detail: `${merchant.name} (${merchant.category}) has risk score ${merchant.riskScore}`,
            },
      Named.as('merchant-risk'),
    )
    .flatMapValues((alert) => (alert ? [alert] : []), Named.as('merchant-risk-alert'));

  velocity
    .merge(spikes, Named.as('alerts-1'))
    .merge(travel, Named.as('alerts-2'))
    .merge(blockedUse, Named.as('alerts-3'))
    .merge(risky, Named.as('alerts-4'))
    .to(topics.alerts, Produced.with(Serdes.String(), alertSerde));
  return builder.build();
}
