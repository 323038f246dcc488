/** Counters of one task (a snapshot). */
export interface TaskMetrics {
  /** Records taken from the input partitions and run through the topology. */
  readonly processedTotal: number;
  /**
   * Records skipped because of a negative timestamp (with `negativeTimestamp: 'drop'`), and records processors
   * dropped (`ProcessorContext.recordDropped`: late for their window, null keys), per window they missed.
   */
  readonly droppedRecordsTotal: number;
  /** Punctuator calls, stream-time and wall-clock. */
  readonly punctuateTotal: number;
  /** Records processed while some input partition was empty, after waiting `maxTaskIdleMs`. */
  readonly enforcedProcessingTotal: number;
}
