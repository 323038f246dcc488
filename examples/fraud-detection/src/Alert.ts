import type { Transaction } from './Transaction.js';

/** The five rules of the fraud topology. */
export const RULES = [
  'velocity',
  'amount-spike',
  'impossible-travel',
  'blocked-card',
  'merchant-risk',
] as const;
export type Rule = (typeof RULES)[number];

/** One alert in `fraud-alerts` (key: card): which rule fired, on which card, and the transactions behind it. */
export interface Alert {
  readonly rule: Rule;
  readonly card: string;
  /** The transactions that made the rule fire, oldest first. */
  readonly evidence: readonly Transaction[];
  /** Why, in words: "6 transactions in the minute from 10:02:00", "$912.40 is 14.2x the card's average"... */
  readonly detail: string;
}
