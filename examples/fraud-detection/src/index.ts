export { type Alert, RULES, type Rule } from './Alert.js';
export { avroTransactionSerde, TRANSACTION_SCHEMA } from './avroTransactionSerde.js';
export { COUNTRIES, distanceKm } from './Countries.js';
export { type AlertKey, alertKeyId, expectedAlerts, sortAlerts, toAlertKey } from './expectedAlerts.js';
export { DEFAULT_RULES, type FraudRules } from './FraudRules.js';
export { createFraudTopics, type FraudTopics, fraudTopics } from './FraudTopics.js';
export { type CardStats, type FraudTopologyOptions, fraudTopology } from './fraudTopology.js';
export { publishReferenceData, publishTransactions } from './publishScenario.js';
export { type DeadLetter, type RunOptions, type RunResult, runFraudDetection } from './runFraudDetection.js';
export {
  generateScenario,
  type MalformedRecord,
  type PlantedPattern,
  type Scenario,
  type ScenarioOptions,
} from './Scenario.js';
export { type Summary, summarize } from './Summary.js';
export type { BlockedCard, Merchant, Transaction } from './Transaction.js';
export { checkTransaction, transactionSerde } from './transactionSerde.js';
