/**
 * Operation counters of one store instance, kept by its metered layer as a plain mutable object
 * (read it, do not write it). The streams facade samples these into `metrics$`.
 */
export interface StoreMetrics {
  /** Writes: put (also of null), putIfAbsent, each entry of putAll, window/session puts and removes. */
  puts: number;
  /** Point reads (get / fetch / fetchSession). */
  gets: number;
  /** Calls of delete(). */
  deletes: number;
  /** Range reads (range, all, prefixScan, fetchRange, findSessions, ...). */
  scans: number;
  flushes: number;
  /** Changelog records applied by restore. */
  restored: number;
}
