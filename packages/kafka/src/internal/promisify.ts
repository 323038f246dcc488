import { KafkaClientError } from '../KafkaClientError.js';

/** Runs a librdkafka callback-style call as a Promise, wrapping its error with what was being done. */
export function call<T = void>(
  doing: string,
  start: (callback: (error: unknown, result?: unknown) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      start((error, result) => (error ? reject(KafkaClientError.wrap(doing, error)) : resolve(result as T)));
    } catch (error) {
      reject(KafkaClientError.wrap(doing, error));
    }
  });
}
