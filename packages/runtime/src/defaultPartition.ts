import { murmur2 } from './murmur2.js';

/**
 * The partition Kafka's default partitioner picks for a keyed record:
 * `toPositive(murmur2(keyBytes)) % numPartitions`, where `toPositive` clears the sign bit (not `Math.abs`).
 */
export function defaultPartition(keyBytes: Uint8Array, numPartitions: number): number {
  return (murmur2(keyBytes) & 0x7fffffff) % numPartitions;
}
