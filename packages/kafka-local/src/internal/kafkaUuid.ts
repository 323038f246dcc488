import { randomBytes } from 'node:crypto';

/** A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, never starting with '-'. */
export function kafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
