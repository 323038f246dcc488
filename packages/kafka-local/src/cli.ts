import { main } from './internal/kafkaLocalCli.js';
import { KafkaLocalError } from './KafkaLocalError.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof KafkaLocalError ? `kafka-local: ${error.message}` : error);
    process.exitCode = 1;
  },
);
