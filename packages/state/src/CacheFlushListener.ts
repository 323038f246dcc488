/**
 * Receives what a caching store writes through at flush or eviction: one call per dirty key with its latest
 * value (null = deleted), the value the store held before (only when old values were asked for, else null),
 * and the timestamp of the record that last wrote the key.
 */
export type CacheFlushListener<K, V> = (
  key: K,
  newValue: V | null,
  oldValue: V | null,
  timestamp: number,
) => void;
