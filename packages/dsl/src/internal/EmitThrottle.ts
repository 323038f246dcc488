/**
 * Kafka Streams' wall-clock throttle of emit-on-close checks (its `TimeTracker.nextTimeToEmit`): a check runs
 * only once the wall clock reaches the next emit time, and then schedules the one after. Kafka's internal
 * configs `__emit.interval.ms.kstreams.windowed.aggregation__` and
 * `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__` (both 1000 ms by default) are the intervals;
 * here `StreamsBuilderOptions.windowedAggregationEmitIntervalMs` / `outerJoinEmitIntervalMs`. 0 checks every time.
 */
export class EmitThrottle {
  private nextTimeToEmit = 0;

  constructor(private readonly intervalMs: number) {}

  /** Whether a check may run now; if so, the next one is due `interval` after now. */
  tryFromNow(nowMs: number): boolean {
    if (nowMs < this.nextTimeToEmit) return false;
    this.nextTimeToEmit = nowMs + this.intervalMs;
    return true;
  }
}
