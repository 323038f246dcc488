import { Headers } from './Headers.js';

/**
 * An immutable record flowing through a topology: key, value, timestamp (ms) and headers. The `with*`
 * methods return a copy; the headers object is shared unless replaced.
 */
export class Record<K, V> {
  readonly headers: Headers;

  constructor(
    readonly key: K,
    readonly value: V,
    readonly timestamp: number,
    headers?: Headers,
  ) {
    this.headers = headers ?? new Headers();
  }

  withKey<NK>(key: NK): Record<NK, V> {
    return new Record(key, this.value, this.timestamp, this.headers);
  }

  withValue<NV>(value: NV): Record<K, NV> {
    return new Record(this.key, value, this.timestamp, this.headers);
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.key, this.value, timestamp, this.headers);
  }

  withHeaders(headers: Headers): Record<K, V> {
    return new Record(this.key, this.value, this.timestamp, headers);
  }
}
