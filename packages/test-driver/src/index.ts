export type { OutputRecord } from './OutputRecord.js';
export { TestInputTopic } from './TestInputTopic.js';
export { TestOutputTopic } from './TestOutputTopic.js';
export type { TestRecord } from './TestRecord.js';
export { TopologyTestDriver } from './TopologyTestDriver.js';
export type { TopologyTestDriverConfig } from './TopologyTestDriverConfig.js';
