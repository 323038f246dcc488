// The single place that loads @confluentinc/kafka-javascript (a CommonJS module with a native binding).
import { createRequire } from 'node:module';
import type * as RdKafkaTypes from '@confluentinc/kafka-javascript';

const require = createRequire(import.meta.url);

export const rdkafka = require('@confluentinc/kafka-javascript') as typeof RdKafkaTypes;
export type { RdKafkaTypes };
