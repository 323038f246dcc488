import { murmur2 } from './murmur2.js';

/**
 * The partition Kafka's default partitioner picks for a keyed record:
 * `toPositive(murmur2(keyBytes)) % numPartitions`, where `toPositive` clears the sign bit (not `Math.abs`).
 * With one partition that is 0 whatever the hash, so the hash is skipped.
 */
export function defaultPartition(keyBytes: Uint8Array, numPartitions: number): number {
  if (numPartitions === 1) return 0;
  return (murmur2(keyBytes) & 0x7fffffff) % numPartitions;
}
