/** The thresholds of the five rules. */
export interface FraudRules {
  /** velocity: alert when a card has more than this many transactions in one window. */
  readonly velocityMaxTransactions: number;
  /** velocity: the hopping window's size and advance. */
  readonly velocityWindowMs: number;
  readonly velocityAdvanceMs: number;
  /** amount spike: alert when an amount exceeds this multiple of the card's average so far... */
  readonly spikeFactor: number;
  /** ...once the card has at least this many earlier transactions. */
  readonly spikeMinHistory: number;
  /** impossible travel: two transactions of a card at most this far apart in time... */
  readonly travelWindowMs: number;
  /** ...that would need a faster trip than this between their countries. */
  readonly travelMaxKmh: number;
  /** merchant risk: alert on a transaction at a merchant scored at least this (0–100). */
  readonly merchantRiskThreshold: number;
}

export const DEFAULT_RULES: FraudRules = {
  velocityMaxTransactions: 4,
  velocityWindowMs: 60_000,
  velocityAdvanceMs: 30_000,
  spikeFactor: 8,
  spikeMinHistory: 5,
  travelWindowMs: 10 * 60_000,
  travelMaxKmh: 900,
  merchantRiskThreshold: 80,
};
