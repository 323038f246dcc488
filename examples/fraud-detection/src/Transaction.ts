/** A card payment, as the card network reports it: the record value of the `transactions` topic (key: card). */
export interface Transaction {
  /** Unique id, e.g. `tx-000042`. */
  readonly id: string;
  readonly card: string;
  readonly merchant: string;
  readonly category: string;
  /** ISO 3166 alpha-2 code of the merchant's country. */
  readonly country: string;
  /** In US dollars, two decimals. */
  readonly amount: number;
  /** Event time, epoch ms (also the Kafka record's timestamp). */
  readonly timestamp: number;
}

/** A merchant and its risk score (0–100, from a risk team): the `merchants` topic, read as a GlobalKTable. */
export interface Merchant {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly country: string;
  readonly riskScore: number;
}

/** A card reported lost or stolen: the compacted `blocked-cards` topic (key: card; a tombstone unblocks). */
export interface BlockedCard {
  readonly card: string;
  readonly reason: 'lost' | 'stolen' | 'compromised';
  readonly blockedAt: number;
}
