import type { StoreMetrics } from '../StoreMetrics.js';

export function newStoreMetrics(): StoreMetrics {
  return { puts: 0, gets: 0, deletes: 0, scans: 0, flushes: 0, restored: 0 };
}
