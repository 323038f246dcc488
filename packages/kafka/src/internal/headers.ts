import { Headers } from '@tributary/core';
import type { RdKafkaTypes } from './rdkafka.js';

export function fromRdKafkaHeaders(headers: RdKafkaTypes.MessageHeader[] | undefined): Headers {
  const out = new Headers();
  if (!headers) return out;
  for (const header of headers) {
    for (const key in header) {
      const value = header[key];
      out.add(key, value === undefined ? null : typeof value === 'string' ? Buffer.from(value) : value);
    }
  }
  return out;
}

export function toRdKafkaHeaders(headers: Headers): RdKafkaTypes.MessageHeader[] | undefined {
  if (headers.size === 0) return undefined;
  const out: RdKafkaTypes.MessageHeader[] = [];
  for (const header of headers) out.push({ [header.key]: header.value ?? Buffer.alloc(0) });
  return out;
}
