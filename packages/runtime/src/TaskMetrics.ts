/** Counters of one task (a snapshot). */
export interface TaskMetrics {
  /** Records taken from the input partitions and run through the topology. */
  readonly processedTotal: number;
  /**
   * Records skipped because of a negative timestamp (with `negativeTimestamp: 'drop'`), and records processors
   * dropped (`ProcessorContext.recordDropped`: late for their window, null keys), per window they missed, and
   * records skipped because an exception handler chose to continue.
   */
  readonly droppedRecordsTotal: number;
  /** Punctuator calls, stream-time and wall-clock. */
  readonly punctuateTotal: number;
  /** Records processed while some input partition was empty, after waiting `maxTaskIdleMs`. */
  readonly enforcedProcessingTotal: number;
  /** Records skipped because the source could not deserialize them and the handler chose to continue. */
  readonly deserializationErrorsTotal: number;
  /** Processor and punctuator errors the processing exception handler chose to continue after. */
  readonly processingErrorsTotal: number;
  /** Records a sink could not serialize or send, skipped because the production handler chose to continue. */
  readonly productionErrorsTotal: number;
}
